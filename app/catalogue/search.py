"""The name index: every word of a speciality's name and substances, searchable by prefix.

Two interchangeable back-ends, chosen per database:
- SQLite with FTS5 (the normal case): the ``catalogue_fts`` virtual table, with prefix indexes, the
  rowid being the CIS (8 digits fit an integer);
- PostgreSQL, or a SQLite without FTS5: ``catalogue_search_word`` (field, folded word, CIS) whose
  primary key serves prefix range scans ("parac" <= word < "parad"); no extension needed (pg_trgm
  is often not installable by the pharmacy's database user, and prefix search is what is typed).

Both store text already folded by :func:`app.catalogue.normalise.fold`, so accents and case never
matter, and a query of several words matches specialities having all of them as word prefixes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, Select, and_, bindparam, delete, intersect, select, text
from sqlalchemy.orm import Session

from app.catalogue.bulk import bulk_insert
from app.catalogue.normalise import prefix_upper_bound, words
from app.storage.models.catalogue import CatalogueSearchWord

NAME, SUBSTANCE = 0, 1
_WORDS = CatalogueSearchWord.__table__
_CHUNK = 500
_FTS_DELETE = text("DELETE FROM catalogue_fts WHERE rowid IN :ids").bindparams(
    bindparam("ids", expanding=True))


def uses_fts5(connection: Connection) -> bool:
    """True on a SQLite database whose migration could create the FTS5 table."""
    if connection.dialect.name != "sqlite":
        return False
    found = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalogue_fts'")).first()
    return found is not None


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def update_index(session: Session, documents: Mapping[str, tuple[str, str]], removed: Iterable[str] = (),
                 *, empty_before: bool = False) -> None:
    """(Re)index ``documents`` ({CIS: (name, substances)}) and drop the CIS in ``removed``.

    ``empty_before``: the index holds nothing yet (first import), so nothing needs deleting.
    """
    connection = session.connection()
    stale = sorted(set(documents) | set(removed))
    if uses_fts5(connection):
        if not empty_before:
            for chunk in _chunks(stale):
                session.execute(_FTS_DELETE, {"ids": [int(c) for c in chunk]})
        rows = [{"rowid": int(cis), "cis": cis, "name": " ".join(words(name)),
                 "substances": " ".join(words(substances))}
                for cis, (name, substances) in documents.items()]
        if rows:
            session.execute(text("INSERT INTO catalogue_fts(rowid, cis, name, substances) "
                                 "VALUES (:rowid, :cis, :name, :substances)"), rows)
        return
    if not empty_before:
        for chunk in _chunks(stale):
            session.execute(delete(_WORDS).where(_WORDS.c.cis.in_(chunk)))
    rows = []
    for cis, (name, substances) in documents.items():
        name_words = words(name)
        rows.extend({"field": NAME, "word": w[:64], "cis": cis} for w in name_words)
        rows.extend({"field": SUBSTANCE, "word": w[:64], "cis": cis}
                    for w in words(substances) if w not in name_words)
    bulk_insert(session, _WORDS, rows)


def matching_cis(query: str, *, names_only: bool, fts: bool) -> Select | None:
    """A SELECT of the CIS whose name (or, with ``names_only`` false, name or substances) has every
    word of ``query`` as a word prefix; None when the query has no word."""
    terms = [w[:64] for w in words(query)]
    if not terms:
        return None
    if fts:
        column = "name : " if names_only else ""
        expression = " AND ".join(f'{column}"{t}"*' for t in terms)
        return select(text("cis")).select_from(text("catalogue_fts")).where(
            text("catalogue_fts MATCH :fts_query").bindparams(fts_query=expression))
    fields = [NAME] if names_only else [NAME, SUBSTANCE]
    selects = [
        select(_WORDS.c.cis).where(and_(_WORDS.c.field.in_(fields), _WORDS.c.word >= term,
                                        _WORDS.c.word < prefix_upper_bound(term)))
        for term in terms
    ]
    if len(selects) == 1:
        return selects[0]
    return select(intersect(*selects).subquery().c.cis)
