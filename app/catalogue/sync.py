"""Bringing the catalogue tables in line with one release, writing only what differs.

The current state is read once, compared in memory with the parsed files, and only the differences
are written: a re-import of the same release therefore writes nothing, and an update yields the
exact list of added, withdrawn and changed presentations. A file absent from the release leaves its
tables untouched (a partial release updates what it carries).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from app.catalogue.bulk import bulk_insert
from app.catalogue.fields import encode_flags, flags_of, from_cents
from app.catalogue.guards import check_withdrawal
from app.catalogue.normalise import fold
from app.catalogue.records import (
    CompositionRow,
    ConditionRow,
    GenericRow,
    PresentationRow,
    SpecialityRow,
)
from app.catalogue.report import ImportReport, PriceChange, Rejection
from app.storage.models.catalogue import (
    CatalogueComposition,
    CatalogueCondition,
    CatalogueGenericGroup,
    CatalogueGenericMember,
    CataloguePresentation,
    CatalogueSpeciality,
)

SPECIALITY: Table = CatalogueSpeciality.__table__
PRESENTATION: Table = CataloguePresentation.__table__
COMPOSITION: Table = CatalogueComposition.__table__
CONDITION: Table = CatalogueCondition.__table__
GROUP: Table = CatalogueGenericGroup.__table__
MEMBER: Table = CatalogueGenericMember.__table__
CHUNK = 500


def _chunks(items: Iterable, size: int = CHUNK) -> Iterable[list]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _update_by_key(session: Session, table: Table, key: str, rows: list[dict]) -> None:
    """One executemany UPDATE of the given columns, rows matched on ``key``."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != key]
    statement = (update(table).where(table.c[key] == bindparam("_key"))
                 .values({c: bindparam(f"v_{c}") for c in columns}))
    session.execute(statement, [{**{f"v_{c}": r[c] for c in columns}, "_key": r[key]} for r in rows])


def _delete_where_in(session: Session, table: Table, column: str, values: Iterable[str]) -> None:
    for chunk in _chunks(sorted(values)):
        session.execute(delete(table).where(table.c[column].in_(chunk)))


class Synchroniser:
    """Applies parsed files to the database inside the caller's transaction, filling ``report``.

    A file that would withdraw too much of what is in place raises
    :class:`~app.catalogue.guards.ImportRefused` before writing (the caller's transaction then rolls
    back), unless ``force``.
    """

    def __init__(self, session: Session, report: ImportReport, *, force: bool = False) -> None:
        self.session = session
        self.report = report
        self.force = force
        self.known_cis: set[str] = set(session.scalars(select(SPECIALITY.c.cis)))
        self.first_import = not self.known_cis
        self.names_changed: set[str] = set()  # CIS whose name is new or different: reindex
        self.compositions_changed: set[str] = set()
        self.specialities_added: set[str] = set()
        self.generics_done = False

    def finish(self) -> None:
        """After a release without CIS_GENER: specialities new to the catalogue may already be
        members of the groups kept from the earlier release."""
        if not self.generics_done:
            self._refresh_generic_roles(self.specialities_added)

    def _guard(self, file: str, what: str, withdrawn: int, in_place: int) -> None:
        check_withdrawal(file, what, withdrawn, in_place, force=self.force)

    def _reject_unknown(self, name: str, rows: list[tuple[int, tuple]]) -> list:
        kept = []
        for line, row in rows:
            if row.cis in self.known_cis:
                kept.append(row)
            else:
                self.report.rejected.append(Rejection(name, line, f"CIS {row.cis} absent du catalogue"))
        return kept

    # --- specialities ---------------------------------------------------------------------------
    def specialities(self, rows: list[tuple[int, SpecialityRow]]) -> None:
        fields = SpecialityRow._fields
        old = {r.cis: (SpecialityRow(*r[:-1]), r.in_release)
               for r in self.session.execute(select(*(SPECIALITY.c[f] for f in fields),
                                                    SPECIALITY.c.in_release))}
        new = {row.cis: row for _, row in rows}
        inserts, updates = [], []
        for cis, row in new.items():
            before = old.get(cis)
            if before is None:
                inserts.append({**row._asdict(), "name_folded": fold(row.name), "flags": "",
                                "generic_group_id": None, "generic_role": None, "in_release": True})
                self.names_changed.add(cis)
                self.specialities_added.add(cis)
            elif before != (row, True):
                updates.append({**row._asdict(), "name_folded": fold(row.name), "in_release": True})
                if before[0].name != row.name:
                    self.names_changed.add(cis)
        withdrawn = [{"cis": cis, "in_release": False} for cis, (_, present) in old.items()
                     if present and cis not in new]
        self._guard("CIS_bdpm.txt", "spécialités", len(withdrawn), sum(p for _, p in old.values()))
        bulk_insert(self.session, SPECIALITY, inserts)
        _update_by_key(self.session, SPECIALITY, "cis", updates)
        _update_by_key(self.session, SPECIALITY, "cis", withdrawn)
        self.report.specialities_changed = len(inserts) + len(updates) + len(withdrawn)
        self.known_cis |= set(new)

    # --- presentations --------------------------------------------------------------------------
    def presentations(self, rows: list[tuple[int, PresentationRow]]) -> None:
        fields = PresentationRow._fields
        new = {row.cip13: row for row in self._reject_unknown("CIS_CIP_bdpm.txt", rows)}
        old = {r.cip13: (PresentationRow(*r[:-1]), r.in_release)
               for r in self.session.execute(select(*(PRESENTATION.c[f] for f in fields),
                                                    PRESENTATION.c.in_release))}
        inserts, updates = [], []
        names = dict(self.session.execute(select(SPECIALITY.c.cis, SPECIALITY.c.name)).all())
        for cip13, row in new.items():
            before = old.get(cip13)
            if before is None:
                inserts.append({**row._asdict(), "in_release": True})
                self.report.added.append(cip13)
                self.report.names[cip13] = names.get(row.cis, "")
            elif before != (row, True):
                updates.append({**row._asdict(), "in_release": True})
                previous, present = before
                if not present:
                    self.report.added.append(cip13)
                    self.report.names[cip13] = names.get(row.cis, "")
                    continue
                self.report.changed.append(cip13)
                if previous.price_cents != row.price_cents:
                    self.report.price_changes.append(PriceChange(
                        cip13, names.get(row.cis, ""), from_cents(previous.price_cents),
                        from_cents(row.price_cents)))
        withdrawn = [{"cip13": c, "in_release": False} for c, (_, present) in old.items()
                     if present and c not in new]
        self._guard("CIS_CIP_bdpm.txt", "présentations", len(withdrawn), sum(p for _, p in old.values()))
        self.report.withdrawn.extend(sorted(w["cip13"] for w in withdrawn))
        self.report.names.update((w["cip13"], names.get(old[w["cip13"]][0].cis, "")) for w in withdrawn)
        bulk_insert(self.session, PRESENTATION, inserts)
        _update_by_key(self.session, PRESENTATION, "cip13", updates)
        _update_by_key(self.session, PRESENTATION, "cip13", withdrawn)

    # --- rows grouped per speciality: compositions and conditions ----------------------------------
    def _replace_per_cis(self, file: str, what: str, table: Table, fields: tuple[str, ...], rows: list,
                         extra=None) -> set[str]:
        """Rewrite the rows of every CIS whose list differs; returns those CIS."""
        new: dict[str, list[tuple]] = defaultdict(list)
        for row in rows:
            new[row.cis].append(tuple(row))
        old: dict[str, list[tuple]] = defaultdict(list)
        for r in self.session.execute(select(*(table.c[f] for f in fields)).order_by(table.c.id)):
            old[r.cis].append(tuple(r))
        changed = {cis for cis in set(new) | set(old) if new.get(cis) != old.get(cis)}
        self._guard(file, what, len(set(old) - set(new)), len(old))  # specialities left with no row
        if not changed:
            return changed
        if not self.first_import:
            _delete_where_in(self.session, table, "cis", changed)
        inserts = [{**dict(zip(fields, values, strict=True)), **(extra(values) if extra else {})}
                   for cis in sorted(changed) for values in new.get(cis, [])]
        bulk_insert(self.session, table, inserts)
        self.report.other_changes += len(changed)
        return changed

    def compositions(self, rows: list[tuple[int, CompositionRow]]) -> None:
        kept = self._reject_unknown("CIS_COMPO_bdpm.txt", rows)
        self.compositions_changed = self._replace_per_cis(
            "CIS_COMPO_bdpm.txt", "compositions de spécialité", COMPOSITION, CompositionRow._fields, kept,
            lambda v: {"substance_folded": fold(v[3])})

    def conditions(self, rows: list[tuple[int, ConditionRow]]) -> None:
        kept = self._reject_unknown("CIS_CPD_bdpm.txt", rows)
        changed = self._replace_per_cis("CIS_CPD_bdpm.txt", "listes de conditions de spécialité", CONDITION,
                                        ConditionRow._fields, kept)
        texts: dict[str, list[str]] = defaultdict(list)
        for row in kept:
            texts[row.cis].append(row.text)
        _update_by_key(self.session, SPECIALITY, "cis",
                       [{"cis": cis, "flags": encode_flags(flags_of(texts.get(cis, [])))}
                        for cis in sorted(changed)])

    # --- generic groups -------------------------------------------------------------------------
    def generics(self, rows: list[tuple[int, GenericRow]]) -> None:
        labels: dict[str, str] = {}
        members: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        for line, row in rows:
            if row.cis in members[row.group_id]:
                self.report.rejected.append(Rejection("CIS_GENER_bdpm.txt", line,
                                                      f"CIS {row.cis} en double dans le groupe {row.group_id}"))
                continue
            labels.setdefault(row.group_id, row.label)
            members[row.group_id][row.cis] = (row.role, row.sort_order)
        old_labels = dict(self.session.execute(select(GROUP.c.group_id, GROUP.c.label)).all())
        old_members: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        for r in self.session.execute(select(MEMBER.c.group_id, MEMBER.c.cis, MEMBER.c.role, MEMBER.c.sort_order)):
            old_members[r.group_id][r.cis] = (r.role, r.sort_order)
        changed = {g for g in set(labels) | set(old_labels)
                   if labels.get(g) != old_labels.get(g) or members.get(g, {}) != old_members.get(g, {})}
        self._guard("CIS_GENER_bdpm.txt", "groupes génériques", len(set(old_labels) - set(labels)),
                    len(old_labels))
        self.generics_done = True
        if not changed:
            self._refresh_generic_roles(self.specialities_added)
            return
        affected = {cis for g in changed for cis in (*members.get(g, {}), *old_members.get(g, {}))}
        if not self.first_import:
            _delete_where_in(self.session, MEMBER, "group_id", changed)
            _delete_where_in(self.session, GROUP, "group_id", changed - set(labels))
        _update_by_key(self.session, GROUP, "group_id",
                       [{"group_id": g, "label": labels[g]} for g in sorted(changed)
                        if g in labels and g in old_labels])
        new_groups = [{"group_id": g, "label": labels[g]} for g in sorted(changed)
                      if g in labels and g not in old_labels]
        bulk_insert(self.session, GROUP, new_groups)
        inserts = [{"group_id": g, "cis": cis, "role": role, "sort_order": order}
                   for g in sorted(changed) for cis, (role, order) in members.get(g, {}).items()]
        bulk_insert(self.session, MEMBER, inserts)
        self.report.other_changes += len(changed)
        self._refresh_generic_roles(affected | self.specialities_added)

    def _refresh_generic_roles(self, cis_codes: set[str]) -> None:
        """Denormalise each speciality's group (the lowest group id when it is in several)."""
        cis_codes = cis_codes & self.known_cis
        if not cis_codes:
            return
        best: dict[str, tuple[int, str, int]] = {}
        for chunk in _chunks(sorted(cis_codes)):
            for r in self.session.execute(select(MEMBER.c.cis, MEMBER.c.group_id, MEMBER.c.role)
                                          .where(MEMBER.c.cis.in_(chunk))):
                candidate = (int(r.group_id), r.group_id, r.role)
                if r.cis not in best or candidate < best[r.cis]:
                    best[r.cis] = candidate
        current = {r.cis: (r.generic_group_id, r.generic_role) for chunk in _chunks(sorted(cis_codes))
                   for r in self.session.execute(select(SPECIALITY.c.cis, SPECIALITY.c.generic_group_id,
                                                        SPECIALITY.c.generic_role)
                                                 .where(SPECIALITY.c.cis.in_(chunk)))}
        updates = []
        for cis in sorted(cis_codes):
            wanted = (best[cis][1], best[cis][2]) if cis in best else (None, None)
            if current.get(cis) != wanted:
                updates.append({"cis": cis, "generic_group_id": wanted[0], "generic_role": wanted[1]})
        _update_by_key(self.session, SPECIALITY, "cis", updates)

    # --- what the search index must learn ---------------------------------------------------------
    def documents_to_index(self) -> dict[str, tuple[str, str]]:
        """{CIS: (name, substances)} of the specialities whose name or composition changed."""
        stale = self.names_changed | self.compositions_changed
        if not stale:
            return {}
        names: dict[str, str] = {}
        substances: dict[str, list[str]] = defaultdict(list)
        everything = self.first_import or len(stale) > len(self.known_cis) // 2
        query_names = select(SPECIALITY.c.cis, SPECIALITY.c.name)
        query_subst = select(COMPOSITION.c.cis, COMPOSITION.c.substance).order_by(COMPOSITION.c.id)
        chunks = [None] if everything else list(_chunks(sorted(stale)))
        for chunk in chunks:
            qn = query_names if chunk is None else query_names.where(SPECIALITY.c.cis.in_(chunk))
            qs = query_subst if chunk is None else query_subst.where(COMPOSITION.c.cis.in_(chunk))
            names.update(self.session.execute(qn).all())
            for cis, substance in self.session.execute(qs):
                substances[cis].append(substance)
        return {cis: (names[cis], " ".join(substances.get(cis, []))) for cis in stale if cis in names}
