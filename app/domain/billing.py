"""The bill of a delivery: each box at its BDPM price including its dispensing fee, the per-ordonnance
fees of the pharmacists' convention, and who pays what (compulsory insurance AMO, complementary AMC,
patient).

Amounts are integers in cents, and every split is made once per line (each line's AMO share is rounded
before any sum, as on a feuille de soins): the patient's share is what remains of the line, so the
parts of every line, every fee and the whole bill add up to their total exactly. The same object is
shown by the billing screen, printed on the invoice and the ordonnance, answered by ``propose --json``
and stored with the delivery: :meth:`Bill.to_json` is that shared form, :meth:`Bill.from_json` reads
it back (and the form stored before the fees existed).

Under tiers payant the patient pays only his share now and the pharmacy is paid the rest by the
insurers; a line whose generic the patient refused is outside tiers payant (art. L.162-16-7 CSS): he
pays it whole and is reimbursed afterwards. Sending the invoice (SESAM-Vitale, card reader) sits behind
:class:`ClaimSubmitter`, outside the domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from app.domain.catalogue import Presentation
from app.domain.coverage import FranchiseNotice, fee_rate, franchise_notice, line_rate, split, years_on
from app.domain.errors import ComptoirError
from app.domain.fees import (
    FeeBasis,
    FeeTable,
    FranchiseTable,
    SpecificList,
    cents_of,
    default_fee_table,
    default_specific_list,
    ordonnance_fees,
)
from app.domain.packs import product_label
from app.domain.prescription import Coverage

CENT = Decimal("0.01")
FULL = 100


class BillingError(ComptoirError):
    """A line cannot be billed (unknown price, impossible rate), or a stored bill does not add up."""


class BillUnreadable(BillingError, ValueError):
    """A bill (stored, or received as JSON) that cannot be read or whose parts do not add up; a
    ValueError too, so that the readers of stored dispensings and deliveries report it as theirs."""


def cents(value: Decimal) -> Decimal:
    """Euros rounded to the cent, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def euros(amount_cents: int) -> Decimal:
    return (Decimal(amount_cents) / 100).quantize(CENT)


def _to_cents(value: Decimal) -> int:
    return cents_of(cents(value))


class _Shares:
    """The euro view of anything split in cents (a line, a fee, the bill), for the screens written
    before the cents: ``total_cents`` = ``amo_cents`` + ``amc_cents`` + ``patient_cents``."""

    total_cents: int
    amo_cents: int
    amc_cents: int
    patient_cents: int

    @property
    def total(self) -> Decimal:
        return euros(self.total_cents)

    @property
    def amo_share(self) -> Decimal:
        return euros(self.amo_cents)

    @property
    def amc_share(self) -> Decimal:
        return euros(self.amc_cents)

    @property
    def patient_share(self) -> Decimal:
        """The patient's part, his complementary's aside."""
        return euros(self.patient_cents)


@dataclass(frozen=True)
class BillItem:
    """One product of one line to bill (the first six fields are what callers gave before the fees)."""

    line_id: str
    cip13: str
    label: str
    boxes: int
    unit_price: Decimal | None  # per box, incl. VAT and the dispensing fee, euros
    rate: int | None  # the catalogue's reimbursement rate, percent (None: not reimbursable)
    fee: Decimal | None = None  # the per-box dispensing fee included in unit_price (BDPM)
    fee_code: str | None = None  # HD / HG; None: classified from the fee and the pack when billed
    coverage: Coverage = Coverage.COMMON  # ALD, maternité, AT/MP: 100 %
    tiers_payant: bool = True  # False: the patient refused the generic (L.162-16-7 CSS)
    reimbursement_base: Decimal | None = None  # per box, when lower than the price (refused generic)
    specific: str | None = None  # the class of a "spécifique" (HDE), None: not one
    partial: bool = False  # less than prescribed handed over on this line
    pack_quantity: Decimal | None = None

    @classmethod
    def of(cls, line_id: str, product: Presentation, boxes: int, *, unit_price: Decimal | None = None,
           coverage: Coverage = Coverage.COMMON, tiers_payant: bool = True,
           reimbursement_base: Decimal | None = None, substances: Iterable[str] = (), partial: bool = False,
           on: date | None = None, specifics: SpecificList | None = None) -> BillItem:
        """The item of ``boxes`` boxes of a catalogue ``product``: its BDPM price including the fee (or
        the ``unit_price`` typed for a product without one), its rate, its fee, whether it is a
        "spécifique" (from its ``substances`` and conditions) and its label in words."""
        price = unit_price if unit_price is not None else product.retail_price
        fee = product.fee if unit_price is None and product.price_with_fee is not None else None
        reimbursable = bool(product.rate)
        specific = (specifics or default_specific_list()).match(
            cip13=product.cip13, substances=substances, flags=product.flags, on=on) if reimbursable else None
        return cls(line_id, product.cip13, product_label(product.name, product.pack_quantity, product.pack_unit,
                                                         product.label),
                   boxes, price, product.rate, fee=fee, coverage=coverage, tiers_payant=tiers_payant,
                   reimbursement_base=reimbursement_base, specific=specific, partial=partial,
                   pack_quantity=product.pack_quantity)


@dataclass(frozen=True)
class BilledLine(_Shares):
    """One line of the bill; ``rate`` is the AMO rate applied (100 for an ALD line)."""

    line_id: str
    cip13: str
    label: str
    boxes: int
    unit_price_cents: int
    rate: int
    total_cents: int
    amo_cents: int
    amc_cents: int
    patient_cents: int
    tiers_payant: bool = True
    fee_code: str | None = None  # HD / HG: the fee included in the unit price
    fee_cents: int = 0  # per box
    coverage: Coverage = Coverage.COMMON
    product_rate: int | None = None  # the catalogue's rate

    @property
    def unit_price(self) -> Decimal:
        return euros(self.unit_price_cents)

    @property
    def reimbursable(self) -> bool:
        return bool(self.product_rate if self.product_rate is not None else self.rate)

    def to_json(self) -> dict[str, Any]:
        return {"line_id": self.line_id, "cip13": self.cip13, "label": self.label, "boxes": self.boxes,
                "unit_price_cents": self.unit_price_cents, "rate": self.rate, "total_cents": self.total_cents,
                "amo_cents": self.amo_cents, "amc_cents": self.amc_cents, "patient_cents": self.patient_cents,
                "tiers_payant": self.tiers_payant, "fee_code": self.fee_code, "fee_cents": self.fee_cents,
                "coverage": self.coverage.value, "product_rate": self.product_rate}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BilledLine:
        if "total_cents" not in data:  # stored before the fees: Decimal euros as text
            total = _to_cents(Decimal(str(data["total"])))
            amo = _to_cents(Decimal(str(data["amo_share"])))
            return cls(str(data.get("line_id", "")), str(data["cip13"]), str(data["label"]), int(data["boxes"]),
                       _to_cents(Decimal(str(data["unit_price"]))), int(data["rate"]), total, amo, 0, total - amo,
                       product_rate=int(data["rate"]))
        return cls(str(data.get("line_id", "")), str(data["cip13"]), str(data["label"]), int(data["boxes"]),
                   int(data["unit_price_cents"]), int(data["rate"]), int(data["total_cents"]),
                   int(data["amo_cents"]), int(data.get("amc_cents", 0)), int(data["patient_cents"]),
                   bool(data.get("tiers_payant", True)), data.get("fee_code"), int(data.get("fee_cents", 0)),
                   Coverage(data.get("coverage", Coverage.COMMON.value)),
                   None if data.get("product_rate") is None else int(data["product_rate"]))


@dataclass(frozen=True)
class BilledFee(_Shares):
    """A per-ordonnance fee of the convention (HDR, HDA, HDE, HC) as a line of the bill."""

    code: str
    label: str
    cents: int
    rate: int  # AMO rate applied
    amo_cents: int
    amc_cents: int
    patient_cents: int

    @property
    def total_cents(self) -> int:  # type: ignore[override]
        return self.cents

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "cents": self.cents, "rate": self.rate,
                "amo_cents": self.amo_cents, "amc_cents": self.amc_cents, "patient_cents": self.patient_cents}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BilledFee:
        return cls(str(data["code"]), str(data["label"]), int(data["cents"]), int(data.get("rate", 0)),
                   int(data["amo_cents"]), int(data.get("amc_cents", 0)), int(data["patient_cents"]))


def _franchise_json(notice: FranchiseNotice | None) -> dict[str, Any] | None:
    if notice is None:
        return None
    return {"boxes": notice.boxes, "cents_per_box": notice.cents_per_box, "cents": notice.cents,
            "annual_cap_cents": notice.annual_cap_cents, "exempt": notice.exempt}


def _franchise_of(data: dict[str, Any] | None) -> FranchiseNotice | None:
    if not data:
        return None
    return FranchiseNotice(int(data["boxes"]), int(data["cents_per_box"]), int(data["cents"]),
                           int(data["annual_cap_cents"]), data.get("exempt"))


@dataclass(frozen=True)
class Bill(_Shares):
    """The bill of one delivery: its lines, its fees, the franchise shown as information."""

    __json_format__ = "bill"  # app.domain.codec stores it through to_json / from_json

    lines: tuple[BilledLine, ...]
    tiers_payant: bool
    fees: tuple[BilledFee, ...] = ()
    franchise: FranchiseNotice | None = None  # information only: deducted later by the insurance
    on: date | None = None  # the day whose fee amounts apply (the delivery)

    # --- totals (cents) ---------------------------------------------------------------------------
    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.lines) + sum(fee.cents for fee in self.fees)

    @property
    def amo_cents(self) -> int:
        return sum(line.amo_cents for line in self.lines) + sum(fee.amo_cents for fee in self.fees)

    @property
    def amc_cents(self) -> int:
        return sum(line.amc_cents for line in self.lines) + sum(fee.amc_cents for fee in self.fees)

    @property
    def patient_cents(self) -> int:
        return sum(line.patient_cents for line in self.lines) + sum(fee.patient_cents for fee in self.fees)

    @property
    def to_pay_cents(self) -> int:
        """What the patient pays at the counter: his share of what tiers payant covers, the whole of the
        rest (every line without tiers payant, and everything when the bill has none)."""
        paid = 0
        for line in self.lines:
            paid += line.patient_cents if self.tiers_payant and line.tiers_payant else line.total_cents
        for fee in self.fees:
            paid += fee.patient_cents if self.tiers_payant else fee.cents
        return paid

    @property
    def due_now(self) -> Decimal:
        """What the patient pays at the counter."""
        return euros(self.to_pay_cents)

    def fee(self, code: str) -> BilledFee | None:
        return next((f for f in self.fees if f.code == code), None)

    # --- the shared form ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The bill as the billing screen, the invoice, ``propose --json`` and the stored delivery share
        it: amounts in integer cents, the parts adding up to the totals."""
        return {"lines": [line.to_json() for line in self.lines], "fees": [fee.to_json() for fee in self.fees],
                "total_cents": self.total_cents, "amo_cents": self.amo_cents, "amc_cents": self.amc_cents,
                "patient_cents": self.patient_cents, "to_pay_cents": self.to_pay_cents,
                "tiers_payant": self.tiers_payant, "franchise": _franchise_json(self.franchise),
                "date": self.on.isoformat() if self.on else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Bill:
        """Read :meth:`to_json`'s form, or the one stored before the fees (euros as text). A bill whose
        parts do not add up, or whose totals disagree with its lines, is refused (BillingError)."""
        try:
            bill = cls(tuple(BilledLine.from_json(d) for d in data["lines"]), bool(data.get("tiers_payant", True)),
                       tuple(BilledFee.from_json(d) for d in data.get("fees", ())),
                       _franchise_of(data.get("franchise")),
                       date.fromisoformat(data["date"]) if data.get("date") else None)
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise BillUnreadable("Facture illisible", detail=repr(exc)) from exc
        check_adds_up(bill)
        for key in ("total_cents", "amo_cents", "amc_cents", "patient_cents", "to_pay_cents"):
            if key in data and int(data[key]) != getattr(bill, key):
                raise BillUnreadable("Facture incohérente : les totaux ne correspondent pas aux lignes",
                                   detail=f"{key}={data[key]} computed={getattr(bill, key)}")
        if "total" in data and "total_cents" not in data and _to_cents(Decimal(str(data["total"]))) != bill.total_cents:
            raise BillUnreadable("Facture incohérente : le total ne correspond pas aux lignes", detail=str(data["total"]))
        return bill


def check_adds_up(bill: Bill) -> None:
    """Every line and fee: AMO + AMC + patient = total, none negative; BillingError otherwise."""
    parts = [(line.label, line.total_cents, line.amo_cents, line.amc_cents, line.patient_cents) for line in bill.lines]
    parts += [(fee.code, fee.cents, fee.amo_cents, fee.amc_cents, fee.patient_cents) for fee in bill.fees]
    for label, total, amo, amc, patient in parts:
        if min(total, amo, amc, patient) < 0 or amo + amc + patient != total:
            raise BillUnreadable(f"Facture incohérente : les parts de « {label} » ne font pas son total",
                               detail=f"total={total} amo={amo} amc={amc} patient={patient}")


# --- computing a bill ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BillingContext:
    """What the bill depends on besides its lines: the delivery date (the fee amounts in force that
    day), the patient (HDA, franchise), the complementary's contract and the ordonnance's coverage."""

    on: date
    birth_date: date | None = None
    amc_rate: int | None = None  # percent of what the AMO leaves; None: no complementary known
    coverage: Coverage = Coverage.COMMON  # the ordonnance's (maternité, AT/MP); lines may add ALD
    partial: bool = False  # a line handed over less than prescribed: no HC
    fees: FeeTable | None = None  # default: resources/fees/dispensing_fees.csv
    franchise: FranchiseTable | None = None


def _check(item: BillItem) -> int:
    if item.boxes < 0:
        raise BillingError(f"Quantité négative pour {item.label}")
    if item.unit_price is None:
        raise BillingError(f"Prix inconnu pour {item.label} : saisissez le prix de vente.")
    if item.unit_price < 0:
        raise BillingError(f"Prix négatif pour {item.label}")
    rate = item.rate or 0
    if not 0 <= rate <= FULL:
        raise BillingError(f"Taux de remboursement impossible ({rate} %) pour {item.label}")
    return rate


def bill_item(item: BillItem, *, coverage: Coverage = Coverage.COMMON, amc_rate: int | None = None,
              on: date | None = None, fees: FeeTable | None = None) -> BilledLine:
    """One line's amounts; a line without a price cannot be billed. ``coverage`` is the ordonnance's,
    used when the item has none of its own."""
    rate = _check(item)
    own = item.coverage if item.coverage is not Coverage.COMMON else coverage
    amo_rate = line_rate(rate, own)
    unit = _to_cents(item.unit_price)  # type: ignore[arg-type]
    total = unit * item.boxes
    base = None if item.reimbursement_base is None else _to_cents(item.reimbursement_base) * item.boxes
    shares = split(total, amo_rate, amc_rate, amo_base_cents=base)
    fee_cents = _to_cents(item.fee) if item.fee is not None else 0
    code = item.fee_code
    if code is None and fee_cents and on is not None:
        code = (fees or default_fee_table()).box_fee_code(fee_cents, on, item.pack_quantity)
    return BilledLine(item.line_id, item.cip13, item.label, item.boxes, unit, amo_rate, shares.total, shares.amo,
                      shares.amc, shares.patient, item.tiers_payant, code, fee_cents, own, item.rate)


def _fee_lines(items: Sequence[BillItem], lines: Sequence[BilledLine], context: BillingContext) -> list[BilledFee]:
    reimbursed = [(item, line) for item, line in zip(items, lines, strict=True) if line.reimbursable]
    basis = FeeBasis(reimbursable_lines=len({line.line_id for _, line in reimbursed}),
                     patient_age=years_on(context.birth_date, context.on),
                     specific=next((item.specific for item, _ in reimbursed if item.specific), None),
                     partial=context.partial or any(item.partial for item in items))
    exempt = any(line.coverage.exempt for _, line in reimbursed) or context.coverage.exempt
    irreplaceable = any(line.product_rate == FULL for _, line in reimbursed)
    out = []
    for row in ordonnance_fees(basis, context.on, context.fees):
        rate = fee_rate(row.amo_rate, exempt=exempt, irreplaceable=irreplaceable)
        shares = split(row.cents, rate, context.amc_rate)
        out.append(BilledFee(row.code, row.label, row.cents, rate, shares.amo, shares.amc, shares.patient))
    return out


def compute_bill(items: Sequence[BillItem], *, tiers_payant: bool, context: BillingContext | None = None) -> Bill:
    """The bill of a delivery: every line with boxes billed; with a ``context`` (the delivery date and
    the patient), the per-ordonnance fees in force that day, the complementary's share and the
    franchise notice too. Without one, the lines only — what callers got before the fees."""
    kept = [item for item in items if item.boxes > 0]
    if context is None:
        return Bill(tuple(bill_item(item) for item in kept), tiers_payant)
    lines = [bill_item(item, coverage=context.coverage, amc_rate=context.amc_rate, on=context.on, fees=context.fees)
             for item in kept]
    fees = _fee_lines(kept, lines, context)
    boxes = sum(line.boxes for line in lines if line.reimbursable)
    franchise = franchise_notice(boxes, context.on, birth_date=context.birth_date, coverage=context.coverage,
                                 table=context.franchise)
    bill = Bill(tuple(lines), tiers_payant, tuple(fees), franchise, context.on)
    check_adds_up(bill)
    return bill


@dataclass(frozen=True)
class SubmissionResult:
    accepted: bool
    message: str  # French, to show
    reference: str | None = None


class ClaimSubmitter(Protocol):
    """Where the invoice goes to the insurance (SESAM-Vitale with the patient's card); not built here."""

    def submit(self, invoice_number: str, bill: Bill) -> SubmissionResult: ...
