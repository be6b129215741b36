"""Real BDPM rows (the complete 2022-06 release kept in tests/fixtures) as domain objects, without a database.

The five ANSM files are read once per test session with the catalogue's own row parsers
(``app.catalogue.records``); presentations, specialities and packs are built from the rows the way
the catalogue service builds them, so that the domain tests run on real products (TAHOR 20 mg ×28
and ×90, RIVOTRIL 2 mg, METHADONE AP-HP, ACTISKENAN, LEVOTHYROX …).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from app.catalogue.records import CIP_FILE, CIS_FILE, COMPO_FILE, CPD_FILE, GENER_FILE, parse_file
from app.domain.catalogue import Composition, GenericRole, Presentation, Speciality
from app.domain.conditions import ProductConditions, parse_conditions
from app.domain.quantities import PackInfo

RELEASE_2022 = Path(__file__).resolve().parents[1] / "fixtures" / "bdpm-2022-06"
MARKETED_PRESENTATION = "Déclaration de commercialisation"


@dataclass
class Release:
    specialities: dict = field(default_factory=dict)  # cis → SpecialityRow
    presentations: dict = field(default_factory=dict)  # cip13 → PresentationRow
    by_cis: dict = field(default_factory=lambda: defaultdict(list))  # cis → [PresentationRow]
    compositions: dict = field(default_factory=lambda: defaultdict(list))  # cis → [CompositionRow]
    conditions: dict = field(default_factory=lambda: defaultdict(list))  # cis → [text]
    groups: dict = field(default_factory=dict)  # cis → GenericRow
    members: dict = field(default_factory=lambda: defaultdict(list))  # group id → [GenericRow]


@cache
def release() -> Release:
    source = RELEASE_2022  # the domain tests' prices and packs are those of 2022-06
    rejected: list = []
    r = Release()
    for _, row in parse_file(source / CIS_FILE, CIS_FILE, rejected):
        r.specialities[row.cis] = row
    for _, row in parse_file(source / CIP_FILE, CIP_FILE, rejected):
        r.presentations[row.cip13] = row
        r.by_cis[row.cis].append(row)
    for _, row in parse_file(source / COMPO_FILE, COMPO_FILE, rejected):
        r.compositions[row.cis].append(row)
    for _, row in parse_file(source / CPD_FILE, CPD_FILE, rejected):
        r.conditions[row.cis].append(row.text)
    for _, row in parse_file(source / GENER_FILE, GENER_FILE, rejected):
        r.groups.setdefault(row.cis, row)
        r.members[row.group_id].append(row)
    return r


def conditions(cis: str) -> ProductConditions:
    return parse_conditions(release().conditions.get(cis, []))


def _euros(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _presentation(row) -> Presentation:
    r = release()
    spec = r.specialities[row.cis]
    group = r.groups.get(row.cis)
    return Presentation(
        cip13=row.cip13, cip7=row.cip7, cis=row.cis, name=spec.name, label=row.label,
        pack_quantity=None if row.pack_quantity is None else Decimal(row.pack_quantity), pack_unit=row.pack_unit,
        price=_euros(row.price_cents), price_with_fee=_euros(row.price_with_fee_cents), fee=_euros(row.fee_cents),
        rate=row.rate, active=row.commercial_state == MARKETED_PRESENTATION, form=spec.form,
        flags=conditions(row.cis).flags(), generic_group_id=group.group_id if group else None,
        generic_role=GenericRole(group.role) if group else None)


def by_cip13(cip13: str) -> Presentation:
    return _presentation(release().presentations[cip13])


def boxes_of(cis: str) -> list[Presentation]:
    """Every presentation of a speciality, smallest pack first."""
    return sorted((_presentation(row) for row in release().by_cis[cis]),
                  key=lambda p: (p.pack_quantity or 0, p.cip13))


def box(cis: str, units: int) -> Presentation:
    """The presentation of ``cis`` holding ``units`` units."""
    return next(p for p in boxes_of(cis) if p.pack_quantity == units)


def speciality(cis: str) -> Speciality:
    r = release()
    row = r.specialities[cis]
    return Speciality(cis=row.cis, name=row.name, form=row.form, routes=tuple(row.routes.split(";")),
                      holder=row.holder, commercialised=True,
                      compositions=tuple(Composition(c.substance_code, c.substance, c.dosage, c.reference, c.nature)
                                         for c in r.compositions[cis]),
                      conditions=tuple(r.conditions.get(cis, [])), flags=conditions(cis).flags())


def substances(cis: str) -> tuple[str, ...]:
    return tuple(c.substance.strip() for c in release().compositions[cis])


def pack(product: Presentation) -> PackInfo:
    """The pack as the quantity computation sees it: the counter's own reading (strength of the
    speciality's strength composition, :func:`app.domain.line_plan.pack_of`)."""
    from app.domain.line_plan import pack_of

    return pack_of(product, speciality(product.cis))


def group_of(cis: str) -> list[Presentation]:
    """Every presentation of the generic group of ``cis``."""
    r = release()
    group = r.groups.get(cis)
    if group is None:
        return boxes_of(cis)
    return [p for member in r.members[group.group_id] for p in boxes_of(member.cis)]


def find_cis(name_start: str) -> str:
    """The CIS of the first speciality whose name starts with ``name_start``."""
    return next(cis for cis, row in release().specialities.items() if row.name.startswith(name_start))
