"""One line at the counter: its FHIR MedicationDispense status and the moves allowed between them,
the products proposed for it, what was chosen, scanned and adjusted.

Kept apart from :mod:`app.domain.dispensing` (the whole ordonnance) so that each stays small; both
are plain data for :mod:`app.domain.codec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.catalogue import Presentation
from app.domain.delivery import Adjustment, AdjustmentKind, DispenseStatus, ScannedBox, Substitution
from app.domain.errors import ComptoirError
from app.domain.quantities import BoxEstimate
from app.domain.substitution import ChangeKind, GenericRefusal

S = DispenseStatus
TRANSITIONS: dict[DispenseStatus, frozenset[DispenseStatus]] = {
    S.PREPARATION: frozenset({S.IN_PROGRESS, S.COMPLETED, S.ON_HOLD, S.DECLINED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.PREPARATION, S.COMPLETED, S.ON_HOLD, S.DECLINED, S.STOPPED, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.PREPARATION, S.IN_PROGRESS, S.DECLINED, S.CANCELLED}),
    S.COMPLETED: frozenset({S.PREPARATION, S.IN_PROGRESS, S.ON_HOLD, S.DECLINED, S.STOPPED}),
    S.DECLINED: frozenset({S.PREPARATION}),
    S.STOPPED: frozenset(),
    S.CANCELLED: frozenset(),
}
FINISHED = frozenset({S.COMPLETED, S.DECLINED, S.STOPPED, S.CANCELLED})
STATUS_LABELS = {
    S.PREPARATION: "à préparer", S.IN_PROGRESS: "en cours", S.ON_HOLD: "en attente",
    S.COMPLETED: "délivrée", S.DECLINED: "non délivrée", S.STOPPED: "arrêtée", S.CANCELLED: "annulée",
}


class DispensingError(ComptoirError):
    """An action the dispensing refuses, with the reason in French."""


class ScanRefused(DispensingError):
    """A scanned box that cannot be handed over (no matching line, expired, one too many ...).

    Each reason is a subclass carrying its values, so that a UI in another language renders it by
    its type; the French message (``str``) is what the records and the log keep.
    """


class ScanAfterBill(ScanRefused):
    """The bill is made: no more boxes."""

    def __init__(self) -> None:
        super().__init__("La facture est déjà établie : plus de boîte à scanner.")


class ExpiredBox(ScanRefused):
    def __init__(self, expiry: date) -> None:
        self.expiry = expiry
        super().__init__(f"Boîte périmée (expiration {expiry.strftime('%m/%Y')}) : ne la délivrez pas.")


class BoxScannedTwice(ScanRefused):
    def __init__(self, serial: str) -> None:
        self.serial = serial
        super().__init__(f"Boîte déjà scannée (numéro de série {serial}).")


class BoxNotPrescribed(ScanRefused):
    def __init__(self, cip13: str) -> None:
        self.cip13 = cip13
        super().__init__(f"Cette boîte (CIP {cip13}) ne correspond à aucune ligne de l'ordonnance.")


class ProductNeedsAdjustment(ScanRefused):
    """Another product than the prescribed one: chosen through the adjustment dialog, with its reason."""

    def __init__(self) -> None:
        super().__init__("Ce produit n'est pas celui prescrit : choisissez-le et indiquez le motif.")


class BoxBeyondQuantity(ScanRefused):
    def __init__(self, quantity: int, medication: str) -> None:
        self.quantity, self.medication = quantity, medication
        super().__init__(f"Une boîte de trop : {quantity} boîte(s) prévue(s) pour « {medication} », "
                         "toutes scannées.")


class AdjustmentRequired(DispensingError):
    """A change to what was prescribed: the adjustment dialog must give its reason first."""


@dataclass(frozen=True)
class Proposal:
    """A product offered for a line, what choosing it means, and the boxes proposed with it."""

    product: Presentation
    kind: ChangeKind
    estimate: BoxEstimate | None = None
    quantity: int | None = None  # the computed boxes, capped by the rules; None: to be typed


@dataclass
class LineState:
    """Where one prescription line stands."""

    line_id: str
    status: DispenseStatus = DispenseStatus.PREPARATION
    proposals: list[Presentation] = field(default_factory=list)
    proposal_kinds: dict[str, ChangeKind] = field(default_factory=dict)  # cip13 → what choosing it means
    estimates: dict[str, BoxEstimate] = field(default_factory=dict)  # cip13 → boxes computed for it
    default_quantities: dict[str, int] = field(default_factory=dict)  # cip13 → boxes proposed with it
    product: Presentation | None = None
    change: ChangeKind = ChangeKind.SAME
    quantity: int = 0
    default_quantity: int | None = None  # the proposed quantity; another one is an adjustment
    estimate: BoxEstimate | None = None
    boxes: list[ScannedBox] = field(default_factory=list)
    substitution: Substitution | None = None
    adjustment: Adjustment | None = None  # legacy: a line stored before the list; folded into ``adjustments``
    decline_reason: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)  # rule → reason
    unit_price: Decimal | None = None  # typed by the pharmacist when the catalogue has none
    posology: str | None = None  # another posology agreed with the prescriber (None: as prescribed)
    delivered_before: bool = False  # delivered in full by earlier dispensations: shown as done
    generic_refusal: GenericRefusal | None = None  # the patient refused the generic (tiers payant per line)
    adjustments: list[Adjustment] = field(default_factory=list)  # every change, at most one per kind

    def __post_init__(self) -> None:
        if self.adjustment is not None:
            self.adjustments.append(self.adjustment)
            self.adjustment = None

    def adjustment_of(self, kind: AdjustmentKind) -> Adjustment | None:
        """The line's adjustment of ``kind`` (an older record's untyped one counts as a product change)."""
        return next((a for a in self.adjustments if (a.kind or AdjustmentKind.PRODUCT) is kind), None)

    def keep_adjustment(self, adjustment: Adjustment) -> None:
        """Record ``adjustment`` (typed): it replaces an earlier one of the same kind, which describes
        the same element changed again (a second product, a second quantity); the other kinds stay."""
        self.drop_adjustments(adjustment.kind or AdjustmentKind.PRODUCT)
        self.adjustments.append(adjustment)

    def drop_adjustments(self, kind: AdjustmentKind) -> None:
        """Forget the adjustment of ``kind``: the line is back to what was prescribed on that point."""
        self.adjustments = [a for a in self.adjustments if (a.kind or AdjustmentKind.PRODUCT) is not kind]

    def move(self, to: DispenseStatus) -> None:
        if to is self.status:
            return
        if to not in TRANSITIONS[self.status]:
            raise DispensingError(
                f"Ligne {STATUS_LABELS[self.status]} : impossible de la passer « {STATUS_LABELS[to]} »")
        self.status = to

    @property
    def price(self) -> Decimal | None:
        """What one box is billed: the price typed, else the catalogue's price including its fee."""
        return self.unit_price if self.unit_price is not None else (self.product.retail_price if self.product else None)

    def _settle(self) -> None:
        """The status implied by the boxes scanned against the quantity wanted."""
        if self.status in (S.DECLINED, S.STOPPED, S.CANCELLED, S.ON_HOLD):
            return
        if self.product is None or self.quantity <= 0:
            self.move(S.PREPARATION)
        elif len(self.boxes) >= self.quantity:
            self.move(S.COMPLETED)
        elif self.boxes:
            self.move(S.IN_PROGRESS)
        else:
            self.move(S.PREPARATION)
