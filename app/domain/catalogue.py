"""The drug catalogue's vocabulary (BDPM): specialities, presentations, generic groups."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal


class Condition(enum.Enum):
    """Prescribing and dispensing conditions that the counter acts on (CIS_CPD)."""

    LISTE_I = "liste I"
    LISTE_II = "liste II"
    STUPEFIANT = "stupéfiant"
    ASSIMILE_STUPEFIANT = "assimilé stupéfiant"
    HOSPITAL_ONLY = "réservé à l'usage hospitalier"
    HOSPITAL_PRESCRIPTION = "prescription hospitalière"
    INITIAL_HOSPITAL_PRESCRIPTION = "prescription initiale hospitalière"
    SPECIALIST = "prescription réservée à certains spécialistes"
    SECURE_PRESCRIPTION = "prescription sur ordonnance sécurisée"
    EXCEPTION = "médicament d'exception"
    OTHER = "autre"


class GenericRole(enum.Enum):
    """A speciality's place in its generic group (CIS_GENER type)."""

    PRINCEPS = 0
    GENERIC = 1
    COMPLEMENTARY = 2  # posology complement
    SUBSTITUTABLE = 4


@dataclass(frozen=True)
class Composition:
    substance_code: str
    substance: str
    dosage: str
    reference: str  # "un comprimé", "1 ml" ...
    nature: str  # SA (active substance) or FT (therapeutic fraction)


@dataclass(frozen=True)
class Speciality:
    cis: str
    name: str
    form: str
    routes: tuple[str, ...]
    holder: str
    commercialised: bool
    amm_status: str = ""
    compositions: tuple[Composition, ...] = ()
    conditions: tuple[str, ...] = ()  # raw CIS_CPD texts
    flags: frozenset[Condition] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Presentation:
    """A box that can be handed over, as the catalogue knows it."""

    cip13: str
    cip7: str
    cis: str
    name: str  # the speciality's name
    label: str  # the pack label ("plaquette(s) PVC ... de 30 comprimé(s)")
    pack_quantity: Decimal | None  # units in the box (30), when the label says
    pack_unit: str | None  # "comprimé"
    price: Decimal | None  # public price incl. VAT, euros
    rate: int | None  # reimbursement rate in percent
    active: bool = True  # presentation still marketed
    form: str = ""
    flags: frozenset[Condition] = field(default_factory=frozenset)
    generic_group_id: str | None = None
    generic_role: GenericRole | None = None
    price_with_fee: Decimal | None = None  # BDPM "prix incluant honoraire": what the box is billed
    fee: Decimal | None = None  # BDPM "honoraire": the dispensing fee included in price_with_fee

    @property
    def retail_price(self) -> Decimal | None:
        """What one box is billed: the BDPM price including its dispensing fee (the fee is part of the
        box's price, art. L.162-16-1 7° CSS), else the price alone when the BDPM gives no such column
        (a non-reimbursable product's price is free and typed at the counter)."""
        return self.price_with_fee if self.price_with_fee is not None else self.price

    @property
    def register_class(self) -> str:
        """What the ordonnancier registers this product as (art. R.5132-10 CSP: liste I, liste II,
        stupéfiants and what follows their rules), "" for a product the register does not take.
        A classed stupéfiant says so first (it also goes to the stupéfiants register)."""
        if Condition.STUPEFIANT in self.flags:
            return "stupéfiant"
        level = self.list_level
        if level:  # an "assimilé stupéfiant" of liste I is registered as liste I
            return f"liste {level}"
        return "assimilé stupéfiant" if Condition.ASSIMILE_STUPEFIANT in self.flags else ""

    @property
    def list_level(self) -> str | None:
        """"I" or "II" for a liste I / liste II medicine (the stricter when both are given), else None."""
        if Condition.LISTE_I in self.flags:
            return "I"
        if Condition.LISTE_II in self.flags:
            return "II"
        return None

    @property
    def is_narcotic(self) -> bool:
        """Stupéfiant, or assimilé stupéfiant: both follow the narcotic dispensing rules."""
        return bool(self.flags & {Condition.STUPEFIANT, Condition.ASSIMILE_STUPEFIANT})


@dataclass(frozen=True)
class GenericGroupMember:
    cis: str
    name: str
    role: GenericRole
    sort_order: int


@dataclass(frozen=True)
class GenericGroup:
    group_id: str
    label: str
    members: tuple[GenericGroupMember, ...]

    @property
    def princeps(self) -> tuple[GenericGroupMember, ...]:
        return tuple(m for m in self.members if m.role is GenericRole.PRINCEPS)

    @property
    def generics(self) -> tuple[GenericGroupMember, ...]:
        return tuple(m for m in self.members if m.role is not GenericRole.PRINCEPS)
