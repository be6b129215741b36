"""The pharmacist's dispensing fees ("honoraires de dispensation") and the franchise, as dated data.

Why data: every amount here was set by the pharmacists' national convention and its amendments
("avenants") or by decree, and changes with the next one. ``resources/fees/dispensing_fees.csv``
holds one row per fee and period (code, label, amount, reimbursement rule, conditions, effective
from/to, source); a new amount is a new row, never code. What each code means — which ordonnance
earns it — is a rule, in :func:`ordonnance_fee_codes`, each condition a named function citing where it
comes from.

- Per box (art. L.162-16-1 7° CSS): ``HD`` for a standard pack, ``HG`` for a three-month pack. They are
  part of the box's BDPM price ("prix incluant honoraire") and reimbursed like the medicine.
- Per ordonnance of reimbursable medicines (avenants n° 11 and 14, in force since 2019; avenant n° 1
  of 2024): ``HDR`` always, ``HDA`` for a patient under 3 or aged 70 and over, ``HDE`` when a medicine of
  the closed list of "spécifiques" is delivered (``resources/fees/specific_medicines.json``), ``HC`` for
  an ordonnance "complexe" of five reimbursable lines or more delivered at once (since 2015).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from app.domain.catalogue import Condition
from app.domain.quantities import month_count
from app.domain.units import fold
from app.resources_path import resource

FEES_RESOURCE = "fees/dispensing_fees.csv"
FRANCHISE_RESOURCE = "fees/franchise.csv"
SPECIFIC_RESOURCE = "fees/specific_medicines.json"

BOX = "HD"  # per standard box
LARGE_BOX = "HG"  # per three-month box
ORDONNANCE = "HDR"
AGE = "HDA"
SPECIFIC = "HDE"
COMPLEX = "HC"
ORDONNANCE_CODES = (ORDONNANCE, AGE, SPECIFIC, COMPLEX)  # the order they are billed in

YOUNG_AGE = 3  # HDA: a patient under 3 …
OLD_AGE = 70  # … or aged 70 and over
COMPLEX_LINES = 5  # HC: five reimbursable lines or more
PRODUCT_RATE = "product"  # reimbursement rule of a per-box fee: the medicine's own rate


def _resource(name: str) -> str:
    return resource(name).read_text(encoding="utf-8")


def cents_of(amount: Decimal) -> int:
    """Whole cents of an amount in euros given to the cent (the tables never hold a fraction of one)."""
    value = amount * 100
    if value != value.to_integral_value():
        raise ValueError(f"montant au centime attendu, pas {amount}")
    return int(value)


def _day(text: str) -> date | None:
    return date.fromisoformat(text.strip()) if text and text.strip() else None


def _in_force(start: date | None, end: date | None, on: date) -> bool:
    return (start is None or start <= on) and (end is None or on <= end)


@dataclass(frozen=True)
class Fee:
    """One row of the fee table: a fee's amount over one period."""

    code: str
    label: str
    cents: int
    reimbursement: str  # "70", "100" (percent paid by the compulsory insurance) or "product"
    conditions: str
    effective_from: date
    effective_to: date | None
    source: str

    @property
    def amo_rate(self) -> int | None:
        """The compulsory insurance's rate, None for a per-box fee (the medicine's own rate)."""
        return None if self.reimbursement == PRODUCT_RATE else int(self.reimbursement)

    def in_force(self, on: date) -> bool:
        return _in_force(self.effective_from, self.effective_to, on)


@dataclass(frozen=True)
class FeeTable:
    """The dated fee rows; :meth:`fee` answers which row holds on a day."""

    rows: tuple[Fee, ...]

    @classmethod
    def from_csv(cls, text: str) -> FeeTable:
        """Read ``resources/fees/dispensing_fees.csv``; ValueError (French) on a malformed row or on two
        rows of one code in force the same day."""
        rows = []
        for number, raw in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            try:
                reimbursement = raw["reimbursement"].strip()
                if reimbursement != PRODUCT_RATE and not 0 <= int(reimbursement) <= 100:
                    raise ValueError(f"taux « {reimbursement} »")
                start = _day(raw["effective_from"])
                if start is None:
                    raise ValueError("date de début manquante")
                rows.append(Fee(raw["code"].strip(), raw["label"].strip(), cents_of(Decimal(raw["amount"].strip())),
                                reimbursement, raw["conditions"].strip(), start, _day(raw["effective_to"]),
                                raw["source"].strip()))
            except (KeyError, ValueError, InvalidOperation, AttributeError) as exc:
                raise ValueError(f"table des honoraires illisible, ligne {number} : {exc}") from exc
        table = cls(tuple(rows))
        table._check_periods()
        return table

    def _check_periods(self) -> None:
        by_code: dict[str, list[Fee]] = {}
        for row in self.rows:
            by_code.setdefault(row.code, []).append(row)
        for code, rows in by_code.items():
            rows.sort(key=lambda r: r.effective_from)
            for before, after in zip(rows, rows[1:], strict=False):
                if before.effective_to is None or before.effective_to >= after.effective_from:
                    raise ValueError(f"table des honoraires : deux montants de {code} en vigueur le "
                                     f"{after.effective_from:%d/%m/%Y}")

    def fee(self, code: str, on: date) -> Fee | None:
        """The row of ``code`` in force on ``on``, or None (not yet created, or ended)."""
        return next((row for row in self.rows if row.code == code and row.in_force(on)), None)

    def box_fee_code(self, fee_cents: int | None, on: date, pack_quantity: Decimal | None = None,
                     daily_units: Decimal | None = None) -> str | None:
        """``HG`` for a three-month pack, ``HD`` for any other box of a reimbursable medicine; None
        without a fee.

        The amount the BDPM gives in its fee column decides first: it is the one the CEPS set for
        that very presentation, which knows whether the pack is "trimestriel" (a box of 90 tablets
        taken three a day is a month, and carries the standard fee). When the amount matches neither
        row in force (a new amount not yet in the table, an overseas majoration), the pack decides as
        the quantity rules count it (:func:`app.domain.quantities.month_count`): a box lasting three
        months at ``daily_units`` a day (one a day when unknown) is a three-month pack.
        """
        if not fee_cents:
            return None
        for code in (LARGE_BOX, BOX):
            row = self.fee(code, on)
            if row is not None and row.cents == fee_cents:
                return code
        if pack_quantity and pack_quantity > 0 and month_count(pack_quantity / (daily_units or Decimal(1))) == 3:
            return LARGE_BOX
        return BOX


@cache
def default_fee_table() -> FeeTable:
    return FeeTable.from_csv(_resource(FEES_RESOURCE))


# --- the franchise: shown, not collected at the counter ------------------------------------------


@dataclass(frozen=True)
class FranchiseRate:
    """The franchise médicale over one period (art. L.160-13 III CSS): per box, capped per year."""

    cents_per_box: int
    annual_cap_cents: int
    effective_from: date
    effective_to: date | None
    exemptions: str
    source: str


@dataclass(frozen=True)
class FranchiseTable:
    rows: tuple[FranchiseRate, ...]

    @classmethod
    def from_csv(cls, text: str) -> FranchiseTable:
        rows = []
        for number, raw in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            try:
                start = _day(raw["effective_from"])
                if start is None:
                    raise ValueError("date de début manquante")
                rows.append(FranchiseRate(cents_of(Decimal(raw["amount_per_box"].strip())),
                                          cents_of(Decimal(raw["annual_cap"].strip())), start,
                                          _day(raw["effective_to"]), raw["exemptions"].strip(), raw["source"].strip()))
            except (KeyError, ValueError, InvalidOperation, AttributeError) as exc:
                raise ValueError(f"table de la franchise illisible, ligne {number} : {exc}") from exc
        return cls(tuple(rows))

    def rate(self, on: date) -> FranchiseRate | None:
        return next((r for r in self.rows if _in_force(r.effective_from, r.effective_to, on)), None)


@cache
def default_franchise_table() -> FranchiseTable:
    return FranchiseTable.from_csv(_resource(FRANCHISE_RESOURCE))


# --- the "spécifiques" of HDE ----------------------------------------------------------------------


@dataclass(frozen=True)
class SpecificList:
    """The medicines earning ``HDE``: by presentation (CIP13), by substance of a listed class, or by
    prescribing condition — the data says how partial it is (``resources/fees/specific_medicines.json``)."""

    classes: tuple[tuple[str, tuple[str, ...]], ...]  # (class label, folded substance names)
    conditions: frozenset[Condition] = frozenset()
    cip13: frozenset[str] = frozenset()
    effective_from: date | None = None
    source: str = ""

    @classmethod
    def from_json(cls, text: str) -> SpecificList:
        try:
            data = json.loads(text)
            classes = tuple((item["class"], tuple(fold(s) for s in item["substances"])) for item in data["classes"])
            conditions = frozenset(Condition(c) for c in data.get("conditions", []))
            return cls(classes, conditions, frozenset(data.get("cip13", [])), _day(data.get("effective_from", "")),
                       "; ".join(data.get("sources", [])))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"liste des médicaments spécifiques illisible : {exc}") from exc

    def match(self, *, cip13: str = "", substances: Iterable[str] = (),
              flags: Iterable[Condition] = (), on: date | None = None) -> str | None:
        """Why the product is a "spécifique" (its class, in French), or None."""
        if on is not None and self.effective_from is not None and on < self.effective_from:
            return None
        if cip13 and cip13 in self.cip13:
            return "présentation de la liste"
        folded = [fold(s) for s in substances if s]
        for label, names in self.classes:
            if any(name in s for s in folded for name in names):
                return label
        listed = self.conditions & frozenset(flags)
        if listed:
            return min(c.value for c in listed)
        return None


@cache
def default_specific_list() -> SpecificList:
    return SpecificList.from_json(_resource(SPECIFIC_RESOURCE))


# --- which ordonnance fees apply -------------------------------------------------------------------


@dataclass(frozen=True)
class FeeBasis:
    """What the ordonnance fees depend on, from the delivered lines of reimbursable medicines."""

    reimbursable_lines: int  # distinct prescription lines delivered with a reimbursable medicine
    patient_age: int | None  # on the delivery date
    specific: str | None = None  # the class of a "spécifique" delivered, if any
    partial: bool = False  # a line handed over less than prescribed (fractioned, partial delivery)


def earns_ordonnance_fee(basis: FeeBasis) -> bool:
    """``HDR``: "l'exécution de toute ordonnance de médicaments remboursables" (avenant n° 11): at least
    one reimbursable medicine delivered. An ordonnance of non-reimbursable products earns no fee."""
    return basis.reimbursable_lines > 0


def earns_age_fee(basis: FeeBasis) -> bool:
    """``HDA``: an ordonnance of reimbursable medicines for "les jeunes enfants de moins de 3 ans et les
    patients âgés de 70 ans et plus" (avenant n° 11), the age counted on the delivery date. Sources
    word the upper bound "plus de 70 ans" or "70 ans et plus"; we follow the issue and the convention's
    "70 ans et plus". An unknown birth date earns nothing."""
    age = basis.patient_age
    return earns_ordonnance_fee(basis) and age is not None and (age < YOUNG_AGE or age >= OLD_AGE)


def earns_specific_fee(basis: FeeBasis) -> bool:
    """``HDE``: once per ordonnance holding a medicine of the convention's closed list of
    "spécifiques" (Le Quotidien du pharmacien 2019: "ne peut être appliqué qu'une seule fois")."""
    return earns_ordonnance_fee(basis) and basis.specific is not None


def earns_complex_fee(basis: FeeBasis) -> bool:
    """``HC``: an ordonnance "complexe", "au moins cinq lignes de médicaments remboursés facturés en une
    seule fois" (arrêté du 28 novembre 2014, avenant n° 5): not for a partial delivery, whose lines are
    not all billed at once."""
    return basis.reimbursable_lines >= COMPLEX_LINES and not basis.partial


_RULES = {ORDONNANCE: earns_ordonnance_fee, AGE: earns_age_fee, SPECIFIC: earns_specific_fee,
          COMPLEX: earns_complex_fee}


def ordonnance_fees(basis: FeeBasis, on: date, table: FeeTable | None = None) -> list[Fee]:
    """The per-ordonnance fees the delivery earns, with the amounts in force on ``on`` (a fee not yet
    created on that day is not billed)."""
    table = table or default_fee_table()
    out = []
    for code in ORDONNANCE_CODES:
        if _RULES[code](basis):
            row = table.fee(code, on)
            if row is not None:
                out.append(row)
    return out


