"""The catalogue as the rest of the app asks it: lookups by code, search by name, generic groups.

Every method opens its own short session (safe from any worker thread) and returns domain objects
(:mod:`app.domain.catalogue`), never ORM rows. A lookup is one indexed join: the speciality's
conditions and generic group are denormalised at import time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from sqlalchemy import Engine, Select, bindparam, case, select
from sqlalchemy.orm import Session, sessionmaker

from app.catalogue import search
from app.catalogue.fields import decode_flags, from_cents, repair_label
from app.catalogue.importer import loaded_release
from app.catalogue.normalise import fold, words
from app.domain.catalogue import (
    Composition,
    GenericGroup,
    GenericGroupMember,
    GenericRole,
    Presentation,
    Speciality,
)
from app.domain.identifiers import Cip7, Cip13, Cis
from app.storage.models.catalogue import (
    CatalogueComposition,
    CatalogueCondition,
    CatalogueGenericGroup,
    CatalogueGenericMember,
    CataloguePresentation,
    CatalogueSpeciality,
)

P = CataloguePresentation.__table__
S = CatalogueSpeciality.__table__
MARKETED_SPECIALITY = "Commercialisée"
MARKETED_PRESENTATION = "Déclaration de commercialisation"
ACTIVE_PRESENTATION = "Présentation active"

_COLUMNS = (P.c.cip13, P.c.cip7, P.c.cis, P.c.label, P.c.status, P.c.commercial_state, P.c.rate,
            P.c.price_cents, P.c.price_with_fee_cents, P.c.fee_cents, P.c.pack_quantity, P.c.pack_unit, P.c.in_release, S.c.name, S.c.form,
            S.c.flags, S.c.generic_group_id, S.c.generic_role, S.c.in_release.label("speciality_in_release"))
# marketed boxes first, then by name, then by box size
_ORDER = (case((P.c.commercial_state == MARKETED_PRESENTATION, 0), else_=1),
          case((P.c.in_release, 0), else_=1), S.c.name_folded, P.c.pack_quantity, P.c.cip13)
_CODE = re.compile(r"\s*[0-9][0-9\s.\-]*")  # ASCII digits: "٣٤٠٠…" is no code
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?")


def _presentations() -> Select:
    return select(*_COLUMNS).select_from(P.join(S, S.c.cis == P.c.cis))


def _to_presentation(row) -> Presentation:
    return Presentation(
        cip13=row.cip13, cip7=row.cip7, cis=row.cis, name=row.name, label=repair_label(row.label),
        pack_quantity=None if row.pack_quantity is None else Decimal(row.pack_quantity),
        pack_unit=row.pack_unit, price=from_cents(row.price_cents), rate=row.rate,
        price_with_fee=from_cents(row.price_with_fee_cents), fee=from_cents(row.fee_cents),
        active=bool(row.in_release and row.speciality_in_release and row.status == ACTIVE_PRESENTATION
                    and row.commercial_state == MARKETED_PRESENTATION),
        form=row.form, flags=decode_flags(row.flags), generic_group_id=row.generic_group_id,
        generic_role=None if row.generic_role is None else GenericRole(row.generic_role),
    )


def dosage_key(text: str) -> str:
    """"500,00 mg" and "500 mg" compare equal; so do "0,5 g" and "0.5g"."""
    def number(match: re.Match[str]) -> str:
        try:
            return format(Decimal(match.group(0).replace(",", ".")).normalize(), "f")
        except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
            return match.group(0)
    return fold(_NUMBER.sub(number, text.replace(",", "."))).replace(" ", "")


class Catalogue:
    """Read access to the imported BDPM catalogue."""

    BY_CIP13 = _presentations().where(P.c.cip13 == bindparam("code"))
    BY_CIP7 = _presentations().where(P.c.cip7 == bindparam("code")).order_by(*_ORDER).limit(1)

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory
        self._fts: bool | None = None
        bind = session_factory.kw.get("bind")
        # Reads on a server database use an autocommit connection: no BEGIN/ROLLBACK round trips
        # around a lookup (PostgreSQL p50 0.42 → 0.22 ms); SQLite has no round trips to save.
        self._read_engine = (bind.execution_options(isolation_level="AUTOCOMMIT")
                             if isinstance(bind, Engine) and bind.dialect.name != "sqlite" else None)

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        if self._read_engine is None:
            with self._factory() as session:
                yield session
            return
        with self._read_engine.connect() as connection, Session(bind=connection) as session:
            yield session

    def _uses_fts(self, session: Session) -> bool:
        if self._fts is None:
            self._fts = search.uses_fts5(session.connection())
        return self._fts

    # --- state -------------------------------------------------------------------------------------
    def release(self) -> str | None:
        """The BDPM release last imported ("2022-06"), or None before any import."""
        with self._reading() as session:
            return loaded_release(session)

    def is_loaded(self) -> bool:
        return self.release() is not None

    # --- codes -------------------------------------------------------------------------------------
    def by_cip13(self, cip13: str) -> Presentation | None:
        """The presentation of a CIP13 (or a GTIN-14 / EAN-13 carrying one); None when unknown.

        Raises InvalidIdentifier when ``cip13`` is not a well-formed code.
        """
        code = Cip13.from_gtin(cip13)
        with self._reading() as session:
            row = session.execute(self.BY_CIP13, {"code": str(code)}).first()
        return None if row is None else _to_presentation(row)

    def by_cip7(self, cip7: str) -> Presentation | None:
        code = Cip7.parse(cip7)
        with self._reading() as session:
            row = session.execute(self.BY_CIP7, {"code": str(code)}).first()
        return None if row is None else _to_presentation(row)

    def presentations_of_cis(self, cis: str) -> list[Presentation]:
        code = Cis.parse(cis)
        with self._reading() as session:
            rows = session.execute(_presentations().where(P.c.cis == str(code)).order_by(*_ORDER)).all()
        return [_to_presentation(r) for r in rows]

    def speciality(self, cis: str) -> Speciality | None:
        """The speciality with its compositions, raw condition texts and condition flags."""
        code = str(Cis.parse(cis))
        with self._reading() as session:
            spec = session.get(CatalogueSpeciality, code)
            if spec is None:
                return None
            compositions = session.scalars(select(CatalogueComposition).where(
                CatalogueComposition.cis == code).order_by(CatalogueComposition.id)).all()
            conditions = session.scalars(select(CatalogueCondition.text).where(
                CatalogueCondition.cis == code).order_by(CatalogueCondition.id)).all()
        return Speciality(
            cis=spec.cis, name=spec.name, form=spec.form,
            routes=tuple(r.strip() for r in spec.routes.split(";") if r.strip()), holder=spec.holder,
            commercialised=spec.in_release and spec.commercial_state == MARKETED_SPECIALITY,
            amm_status=spec.amm_status,
            compositions=tuple(Composition(c.substance_code, c.substance, c.dosage, c.reference, c.nature)
                               for c in compositions),
            conditions=tuple(conditions), flags=decode_flags(spec.flags),
        )

    # --- search ------------------------------------------------------------------------------------
    def find(self, query: str, limit: int = 50) -> list[Presentation]:
        """Presentations for what the pharmacist typed: a code (CIP13, GTIN, CIP7, CIS) exactly, or
        name words as prefixes, accents and case ignored ("doli 1000", "levoth 75").

        Specialities whose name matches come first; when they are fewer than ``limit``, those whose
        substances match follow ("parac" finds DOLIPRANE too). Raises InvalidIdentifier on a
        malformed 13/14-digit code.
        """
        if _CODE.fullmatch(query):
            digits = re.sub(r"[^0-9]", "", query)
            if len(digits) in (13, 14):
                found = self.by_cip13(digits)
                return [found] if found else []
            if len(digits) == 7:
                found = self.by_cip7(digits)
                return [found] if found else []
            if len(digits) == 8:
                return self.presentations_of_cis(digits)[:limit]
        first = (words(query) or [""])[0]
        results: list[Presentation] = []
        with self._reading() as session:
            fts = self._uses_fts(session)
            for names_only in (True, False):
                matching = search.matching_cis(query, names_only=names_only, fts=fts)
                if matching is None or len(results) >= limit:
                    break
                statement = (_presentations().where(P.c.cis.in_(matching))
                             .order_by(case((S.c.name_folded.startswith(first), 0), else_=1), *_ORDER)
                             .limit(limit - len(results)))
                if results:
                    statement = statement.where(P.c.cip13.not_in([p.cip13 for p in results]))
                results.extend(_to_presentation(r) for r in session.execute(statement))
        return results

    # --- generics ----------------------------------------------------------------------------------
    def _group_id_of(self, session: Session, code: str) -> str | None:
        digits = re.sub(r"[^0-9]", "", code)
        if len(digits) in (13, 14):
            cis = session.scalar(select(P.c.cis).where(P.c.cip13 == str(Cip13.from_gtin(digits))))
        else:
            cis = str(Cis.parse(digits))
        if cis is None:
            return None
        group = session.scalar(select(S.c.generic_group_id).where(S.c.cis == cis))
        if group is None:  # a CIS the CIS file no longer lists may still be in a group
            group = session.scalar(select(CatalogueGenericMember.group_id)
                                   .where(CatalogueGenericMember.cis == cis)
                                   .order_by(CatalogueGenericMember.group_id))
        return group

    def generic_group(self, code: str) -> GenericGroup | None:
        """The generic group of a CIP13 or CIS (the lowest-numbered when it is in several)."""
        with self._reading() as session:
            group_id = self._group_id_of(session, code)
            if group_id is None:
                return None
            label = session.scalar(select(CatalogueGenericGroup.label)
                                   .where(CatalogueGenericGroup.group_id == group_id))
            members = session.execute(
                select(CatalogueGenericMember.cis, CatalogueGenericMember.role,
                       CatalogueGenericMember.sort_order, S.c.name)
                .outerjoin(S, S.c.cis == CatalogueGenericMember.cis)
                .where(CatalogueGenericMember.group_id == group_id)
                .order_by(CatalogueGenericMember.role, CatalogueGenericMember.sort_order)).all()
        return GenericGroup(group_id, label or "", tuple(
            GenericGroupMember(m.cis, m.name or "", GenericRole(m.role), m.sort_order) for m in members))

    def substitutes(self, cip13: str) -> list[Presentation]:
        """Other marketed presentations of the same generic group with the same pack quantity."""
        box = self.by_cip13(cip13)
        if box is None or box.generic_group_id is None:
            return []
        with self._reading() as session:
            members = select(CatalogueGenericMember.cis).where(
                CatalogueGenericMember.group_id == box.generic_group_id)
            statement = _presentations().where(
                P.c.cis.in_(members), P.c.cip13 != box.cip13, P.c.in_release,
                P.c.commercial_state == MARKETED_PRESENTATION,
                P.c.pack_quantity == (None if box.pack_quantity is None else int(box.pack_quantity)),
                P.c.pack_unit == box.pack_unit).order_by(*_ORDER)
            rows = session.execute(statement).all()
        return [p for p in map(_to_presentation, rows) if p.active]

    def by_substance(self, substance: str, dosage: str | None = None,
                     form: str | None = None) -> list[Presentation]:
        """Presentations of single-substance specialities for a common-name (DC) line.

        ``substance`` matches a composition's substance by its leading words ("amoxicilline" finds
        "AMOXICILLINE TRIHYDRATÉE"); ``dosage`` compares numbers and units ("500 mg" = "500,00 mg");
        ``form`` words are prefixes of the speciality's form ("comprimé" fits "comprimé pelliculé").
        """
        folded = fold(substance)
        if not folded:
            return []
        wanted_dosage = dosage_key(dosage) if dosage else None
        wanted_form = words(form) if form else []
        C = CatalogueComposition
        with self._reading() as session:
            rows = session.execute(select(C.cis, C.dosage, C.link).where(
                (C.substance_folded == folded) | C.substance_folded.startswith(folded + " "))).all()
            candidates = {r.cis for r in rows if wanted_dosage is None or dosage_key(r.dosage) == wanted_dosage}
            if not candidates:
                return []
            links: dict[str, set[int]] = {}
            for cis, link in session.execute(select(C.cis, C.link).where(C.cis.in_(sorted(candidates)))):
                links.setdefault(cis, set()).add(link)
            single = sorted(c for c in candidates if len(links.get(c, ())) == 1)
            statement = _presentations().where(P.c.cis.in_(single), P.c.in_release).order_by(*_ORDER)
            result = [_to_presentation(r) for r in session.execute(statement)]
        if wanted_form:
            result = [p for p in result if _form_matches(wanted_form, p.form)]
        return result


def _form_matches(wanted: list[str], form: str) -> bool:
    have = words(form)
    return all(any(h.startswith(w) for h in have) for w in wanted)
