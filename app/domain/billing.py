"""The invoice arithmetic: price × boxes, the compulsory health insurance (AMO) share, the patient's.

All amounts are ``Decimal`` euros rounded to the cent, half up, line by line (each line's AMO share is
rounded before the sum, as on a feuille de soins). Under tiers payant the patient pays only his share
and the pharmacy is paid the AMO share by the insurance; otherwise he pays the total and is reimbursed.
Sending the invoice (SESAM-Vitale, card reader) sits behind :class:`ClaimSubmitter`, outside the
domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from app.domain.errors import ComptoirError

CENT = Decimal("0.01")


class BillingError(ComptoirError):
    """A line cannot be billed (unknown price, impossible rate)."""


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BillItem:
    """One product of one line to bill."""

    line_id: str
    cip13: str
    label: str
    boxes: int
    unit_price: Decimal | None  # public price incl. VAT, euros
    rate: int | None  # reimbursement rate, percent (None: not reimbursed)


@dataclass(frozen=True)
class BilledLine:
    line_id: str
    cip13: str
    label: str
    boxes: int
    unit_price: Decimal
    rate: int
    total: Decimal
    amo_share: Decimal
    patient_share: Decimal


@dataclass(frozen=True)
class Bill:
    lines: tuple[BilledLine, ...]
    tiers_payant: bool
    total: Decimal
    amo_share: Decimal
    patient_share: Decimal

    @property
    def due_now(self) -> Decimal:
        """What the patient pays at the counter."""
        return self.patient_share if self.tiers_payant else self.total


def bill_item(item: BillItem) -> BilledLine:
    """One line's amounts; a line without a price cannot be billed."""
    if item.boxes < 0:
        raise BillingError(f"Quantité négative pour {item.label}")
    if item.unit_price is None:
        raise BillingError(f"Prix inconnu pour {item.label} : saisissez le prix de vente.")
    if item.unit_price < 0:
        raise BillingError(f"Prix négatif pour {item.label}")
    rate = item.rate or 0
    if not 0 <= rate <= 100:
        raise BillingError(f"Taux de remboursement impossible ({rate} %) pour {item.label}")
    total = cents(item.unit_price * item.boxes)
    amo = cents(total * rate / 100)
    return BilledLine(item.line_id, item.cip13, item.label, item.boxes, cents(item.unit_price), rate,
                      total, amo, total - amo)


def compute_bill(items: list[BillItem] | tuple[BillItem, ...], *, tiers_payant: bool) -> Bill:
    """The invoice of a delivery: every line billed, totals summed (no rounding after the lines)."""
    lines = tuple(bill_item(i) for i in items if i.boxes > 0)
    total = sum((line.total for line in lines), Decimal("0.00"))
    amo = sum((line.amo_share for line in lines), Decimal("0.00"))
    return Bill(lines, tiers_payant, total, amo, total - amo)


@dataclass(frozen=True)
class SubmissionResult:
    accepted: bool
    message: str  # French, to show
    reference: str | None = None


class ClaimSubmitter(Protocol):
    """Where the invoice goes to the insurance (SESAM-Vitale with the patient's card); not built here."""

    def submit(self, invoice_number: str, bill: Bill) -> SubmissionResult: ...
