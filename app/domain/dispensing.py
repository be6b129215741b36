"""The dispensing of one ordonnance at the counter: a state machine per line, boxes scanned, the
Delivery record at the end.

Each line moves through the FHIR MedicationDispense statuses: ``preparation`` (nothing chosen yet or
boxes still to pick), ``in-progress`` (boxes being scanned), ``completed``, ``on-hold`` (set aside),
``declined`` (not delivered, with its reason), ``stopped`` and ``cancelled`` (final). Every method
either changes the state consistently or raises a :class:`DispensingError` whose message tells the
pharmacist what to do; the object is plain data (see :mod:`app.domain.codec`) so the workflow stores
it after every step and finds it again after a restart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from app.domain.adjustments import check_product_change
from app.domain.bearer import Bearer, BearerRequired
from app.domain.billing import Bill
from app.domain.catalogue import Presentation
from app.domain.delivery import (
    Adjustment,
    AdjustmentKind,
    DeliveredItem,
    Delivery,
    DispenseStatus,
    LineDelivery,
    PharmacyIdentity,
    ScannedBox,
)
from app.domain.dispense_line import (
    FINISHED,
    STATUS_LABELS,
    TRANSITIONS,
    AdjustmentRequired,
    BoxBeyondQuantity,
    BoxNotPrescribed,
    BoxScannedTwice,
    DispensingError,
    ExpiredBox,
    LineState,
    ProductNeedsAdjustment,
    Proposal,
    ScanAfterBill,
    ScanRefused,
)
from app.domain.errors import N_
from app.domain.prescription import Prescription, PrescriptionLine
from app.domain.substitution import ChangeKind, GenericRefusal, generic_substitution

S = DispenseStatus
K = AdjustmentKind
__all__ = ["FINISHED", "STATUS_LABELS", "TRANSITIONS", "AdjustmentRequired", "Dispensing", "DispensingError",
           "LineState", "Proposal", "ScanRefused"]

@dataclass
class Dispensing:
    """One ordonnance being dispensed: its lines' states, then the bill, then the delivery."""

    delivery_id: str
    prescription: Prescription
    started_at: datetime
    lines: list[LineState] = field(default_factory=list)
    renewal_index: int = 0
    tiers_payant: bool = True
    bill: Bill | None = None
    invoice_number: str | None = None
    notices: list[str] = field(default_factory=list)  # problems shown up front (French)
    bearer: Bearer | None = None  # who takes the medicines, when not the patient (R.5132-35 CSP)
    bearer_is_patient: bool = False  # the pharmacist answered: the patient takes them
    exceptional_lines: list[str] = field(default_factory=list)  # expired lines that may be dispensed exceptionally

    @classmethod
    def begin(cls, delivery_id: str, prescription: Prescription, started_at: datetime) -> Dispensing:
        return cls(delivery_id, prescription, started_at, [LineState(line.line_id) for line in prescription.lines])

    # --- lookups -----------------------------------------------------------------------------

    def line(self, line_id: str) -> LineState:
        for state in self.lines:
            if state.line_id == line_id:
                return state
        raise DispensingError(f"Ligne inconnue sur cette ordonnance : {line_id}")

    def prescribed(self, line_id: str) -> PrescriptionLine:
        return self.prescription.line(line_id)

    def _editable(self, state: LineState) -> None:
        if self.bill is not None:
            raise DispensingError(N_("La facture est déjà établie : la délivrance ne peut plus changer."))
        if state.status in (S.STOPPED, S.CANCELLED):
            raise DispensingError(N_("Ligne {state} : plus de modification possible."),
                                  values={"state": N_(STATUS_LABELS[state.status])})

    # --- choosing product and quantity -------------------------------------------------------

    def set_proposals(self, line_id: str, proposals: list[Proposal]) -> None:
        """The products offered for the line, the first being the one proposed (chosen unless it
        would be an adjustment)."""
        state = self.line(line_id)
        self.add_proposals(line_id, proposals, replace=True)
        if state.product is None and proposals and state.status is S.PREPARATION:
            first = proposals[0]
            if first.kind is not ChangeKind.ADJUSTMENT:
                self._apply_product(state, first.product, first.kind)

    def add_proposals(self, line_id: str, proposals: list[Proposal], *, replace: bool = False) -> None:
        """Offer more products (a product found by searching the catalogue) without choosing them."""
        state = self.line(line_id)
        if replace:
            state.proposals, state.proposal_kinds, state.estimates, state.default_quantities = [], {}, {}, {}
        for p in proposals:
            if p.product.cip13 not in state.proposal_kinds:
                state.proposals.append(p.product)
            state.proposal_kinds[p.product.cip13] = p.kind
            if p.estimate is not None:
                state.estimates[p.product.cip13] = p.estimate
            if p.quantity is not None:
                state.default_quantities[p.product.cip13] = p.quantity

    def requires_adjustment(self, line_id: str, *, product: Presentation | None = None,
                            quantity: int | None = None) -> str | None:
        """Why choosing ``product`` / ``quantity`` changes the prescription (French), or None."""
        state = self.line(line_id)
        if product is not None:
            kind = state.proposal_kinds.get(product.cip13, ChangeKind.ADJUSTMENT)
            if kind is ChangeKind.ADJUSTMENT:
                return f"{product.name} n'est pas le médicament prescrit ni un générique substituable."
        if quantity is not None and state.default_quantity is not None and quantity != state.default_quantity:
            return f"Quantité modifiée ({quantity} au lieu de {state.default_quantity})."
        return None

    def another_medicine(self, line_id: str, product: Presentation) -> bool:
        """Whether handing ``product`` over is delivering another medicine than the one prescribed (art.
        L.5125-23 I CSP): an adjustment whose speciality is none of those the line allows as they are.
        Another box of the prescribed speciality is the same medicine, its quantity being the change."""
        state = self.line(line_id)
        if state.proposal_kinds.get(product.cip13, ChangeKind.ADJUSTMENT) is not ChangeKind.ADJUSTMENT:
            return False
        prescribed = {p.cis for p in state.proposals if state.proposal_kinds.get(p.cip13) is ChangeKind.SAME}
        return product.cis not in prescribed

    def _apply_product(self, state: LineState, product: Presentation, kind: ChangeKind) -> None:
        """Choose ``product``; the quantity follows its box unless the pharmacist set another one."""
        line = self.prescribed(state.line_id)
        quantity_was_default = state.adjustment_of(K.QUANTITY) is None or state.quantity == state.default_quantity
        state.product = product
        state.change = kind
        state.estimate = state.estimates.get(product.cip13)
        state.default_quantity = state.default_quantities.get(product.cip13)
        if quantity_was_default or state.quantity <= 0:
            state.quantity = state.default_quantity or 0
        state.substitution = generic_substitution(line) if kind is ChangeKind.GENERIC else None
        if kind is not ChangeKind.SAME:
            state.generic_refusal = None  # a generic after all (or another product): no refusal
        state.boxes = [b for b in state.boxes if b.cip13 == product.cip13]

    def choose_product(self, line_id: str, product: Presentation, *,
                       adjustment: Adjustment | None = None) -> LineState:
        """Hand over ``product`` for the line; outside the prescription this needs an adjustment, and
        another medicine the prescriber's agreement or a legal basis (:func:`check_product_change`).
        A product adjustment made earlier for another product is replaced, or dropped when the product
        chosen now needs none: it described a product that is not handed over."""
        state = self.line(line_id)
        self._editable(state)
        why = self.requires_adjustment(line_id, product=product)
        if why and adjustment is None:  # the same words as requires_adjustment's, said as a template
            raise AdjustmentRequired(N_("{product} n'est pas le médicament prescrit ni un générique substituable. "
                                        "Indiquez le motif de l'adaptation."), values={"product": product.name})
        if why and adjustment is not None and self.another_medicine(line_id, product):
            check_product_change(adjustment, product.name)
        kind = state.proposal_kinds.get(product.cip13, ChangeKind.ADJUSTMENT)
        self._apply_product(state, product, kind)
        if why and adjustment is not None:
            prescribed = self.prescribed(line_id).medication.text
            state.keep_adjustment(replace(adjustment, kind=K.PRODUCT,
                                          detail=f"{product.name} — {product.label} au lieu de « {prescribed} »"))
        elif not why:
            state.drop_adjustments(K.PRODUCT)
        self._quantity_detail(state)
        if state.status in (S.DECLINED, S.ON_HOLD):
            state.move(S.PREPARATION)
            state.decline_reason = None
        state._settle()
        return state

    def set_quantity(self, line_id: str, quantity: int, *, adjustment: Adjustment | None = None) -> LineState:
        """Boxes to hand over; another number than the one proposed needs an adjustment."""
        state = self.line(line_id)
        self._editable(state)
        if quantity < 1:
            raise DispensingError(N_("Quantité : au moins une boîte (sinon, indiquez la ligne comme non délivrée)."))
        if quantity > 99:
            raise DispensingError(N_("Quantité : 99 boîtes au plus par ligne."))
        if state.product is None:
            raise DispensingError(N_("Choisissez d'abord le produit de cette ligne."))
        why = self.requires_adjustment(line_id, quantity=quantity)
        if why and adjustment is None and state.adjustment_of(K.QUANTITY) is None:
            raise AdjustmentRequired(N_("Quantité modifiée ({quantity} au lieu de {proposed}). Indiquez le motif de "
                                        "l'adaptation."), values={"quantity": quantity,
                                                                  "proposed": state.default_quantity})
        if quantity < len(state.boxes):
            raise DispensingError(N_("{boxes} boîtes déjà scannées : retirez-en avant de réduire la quantité."),
                                  values={"boxes": len(state.boxes)})
        state.quantity = quantity
        if why and adjustment is not None:
            state.keep_adjustment(replace(adjustment, kind=K.QUANTITY))
        elif not why:
            state.drop_adjustments(K.QUANTITY)
        self._quantity_detail(state)
        state._settle()
        return state

    @staticmethod
    def _quantity_detail(state: LineState) -> None:
        """The quantity adjustment says the boxes handed over against those proposed, kept true when the
        quantity changes again under the same reason (or the product, and the boxes proposed, change)."""
        current = state.adjustment_of(K.QUANTITY)
        if current is None:
            return
        if state.default_quantity is not None and state.quantity == state.default_quantity:
            state.drop_adjustments(K.QUANTITY)
            return
        detail = quantity_detail(state.quantity, state.default_quantity)
        state.adjustments = [replace(a, detail=detail) if a is current else a for a in state.adjustments]

    def change_posology(self, line_id: str, posology: str, adjustment: Adjustment) -> LineState:
        """Another posology than the one prescribed: always an adjustment, with its reason."""
        state = self.line(line_id)
        self._editable(state)
        posology = posology.strip()
        if not posology:
            raise DispensingError(N_("Posologie : indiquez la nouvelle posologie."))
        prescribed = self.prescribed(line_id).posology_text
        state.posology = posology if posology != prescribed else None
        if state.posology is None:
            state.drop_adjustments(K.POSOLOGY)
        else:
            state.keep_adjustment(replace(adjustment, kind=K.POSOLOGY,
                                          detail=f"« {posology} » au lieu de « {prescribed} »"))
        return state

    def set_price(self, line_id: str, price: Decimal) -> LineState:
        """The price typed when the catalogue does not know it (non-reimbursed products)."""
        state = self.line(line_id)
        self._editable(state)
        if price < 0:
            raise DispensingError(N_("Prix : montant positif attendu."))
        state.unit_price = price
        return state

    # --- scanning ----------------------------------------------------------------------------

    def scan(self, box: ScannedBox, today: date) -> LineState:
        """Tick the line a scanned box belongs to, or refuse it with the reason."""
        if self.bill is not None:
            raise ScanAfterBill()
        if box.expiry is not None and box.expiry < today:
            raise ExpiredBox(box.expiry)
        if box.serial:
            for state in self.lines:
                if any(b.serial == box.serial and b.cip13 == box.cip13 for b in state.boxes):
                    raise BoxScannedTwice(box.serial)
        active = [s for s in self.lines if s.status not in (S.DECLINED, S.STOPPED, S.CANCELLED)]
        matching = [s for s in active if s.product is not None and s.product.cip13 == box.cip13]
        if not matching:
            # A proposed product not chosen yet (a generic instead of the princeps ...): switch to it.
            candidates = [s for s in active if not s.boxes and box.cip13 in s.proposal_kinds]
            if not candidates:
                raise BoxNotPrescribed(box.cip13)
            allowed = [s for s in candidates if s.proposal_kinds[box.cip13] is not ChangeKind.ADJUSTMENT]
            if not allowed:
                raise ProductNeedsAdjustment()
            product = next(p for p in allowed[0].proposals if p.cip13 == box.cip13)
            self.choose_product(allowed[0].line_id, product)
            matching = [allowed[0]]
        room = [s for s in matching if len(s.boxes) < s.quantity]
        if not room:
            state = matching[0]
            raise BoxBeyondQuantity(state.quantity, self.prescribed(state.line_id).medication.text)
        state = room[0]
        if state.status is S.ON_HOLD:
            state.move(S.PREPARATION)
        state.boxes.append(box)
        state._settle()
        return state

    def unscan(self, line_id: str, index: int) -> LineState:
        state = self.line(line_id)
        self._editable(state)
        if not 0 <= index < len(state.boxes):
            raise DispensingError(N_("Cette boîte n'est pas sur la ligne."))
        del state.boxes[index]
        if state.status is S.COMPLETED:
            state.move(S.IN_PROGRESS if state.boxes else S.PREPARATION)
        return state

    # --- other line states -------------------------------------------------------------------

    def confirm(self, line_id: str) -> LineState:
        """Line handed over without scanning every box (boxes without DataMatrix)."""
        state = self.line(line_id)
        self._editable(state)
        if state.product is None or state.quantity <= 0:
            raise DispensingError(N_("Choisissez le produit et la quantité avant de valider la ligne."))
        state.move(S.COMPLETED)
        return state

    def decline(self, line_id: str, adjustment: Adjustment) -> LineState:
        """The line is not delivered: always an adjustment, with its reason."""
        state = self.line(line_id)
        self._editable(state)
        state.move(S.DECLINED)
        state.keep_adjustment(replace(adjustment, kind=K.NOT_DELIVERED))
        state.decline_reason = adjustment.reason_label + (f" — {adjustment.comment}" if adjustment.comment else "")
        state.boxes.clear()
        return state

    def hold(self, line_id: str) -> LineState:
        state = self.line(line_id)
        self._editable(state)
        state.move(S.ON_HOLD)
        return state

    def resume_line(self, line_id: str) -> LineState:
        """Back from on-hold or declined to the dispensing of the line."""
        state = self.line(line_id)
        self._editable(state)
        state.move(S.PREPARATION)
        state.decline_reason = None
        state.drop_adjustments(K.NOT_DELIVERED)
        state._settle()
        return state

    def set_aside(self, line_id: str, notice: str) -> None:
        """A line not part of this delivery (nothing remains, line cancelled or expired): say why."""
        self.line(line_id).status = S.CANCELLED
        self.notices.append(notice)

    def refuse_generic(self, line_id: str, product: Presentation, refusal: GenericRefusal) -> LineState:
        """The patient refuses the generic: ``product`` (the prescribed speciality) is handed over
        and the refusal is kept on the line, with what it means for the tiers payant."""
        state = self.line(line_id)
        if state.proposal_kinds.get(product.cip13) is not ChangeKind.SAME:
            raise DispensingError(N_("{product} n'est pas la spécialité prescrite : le refus du générique porte "
                                     "sur le produit prescrit."), values={"product": product.name})
        if not any(kind is ChangeKind.GENERIC for kind in state.proposal_kinds.values()):
            raise DispensingError(N_("Aucun générique proposé pour cette ligne : il n'y a rien à refuser."))
        self.choose_product(line_id, product)
        state.generic_refusal = refusal
        return state

    def mark_done(self, line_id: str) -> None:
        """A line delivered in full before (an earlier dispensation, here or elsewhere): nothing to
        hand over now and nothing wrong with it; it stays out of this delivery."""
        state = self.line(line_id)
        state.status = S.CANCELLED
        state.delivered_before = True

    def reopen(self, line_id: str) -> LineState:
        """A line shown done or set aside (its ordonnance expired) dispensed after all: back to
        preparation, for the exceptional dispensing (:meth:`dispense_exceptionally`)."""
        state = self.line(line_id)
        if self.bill is not None:
            raise DispensingError(N_("La facture est déjà établie : la délivrance ne peut plus changer."))
        if state.status is S.CANCELLED:
            state.status, state.delivered_before = S.PREPARATION, False
        return state

    def dispense_exceptionally(self, line_id: str, boxes: int, adjustment: Adjustment, detail: str) -> LineState:
        """Hand over ``boxes`` of the line's product on its expired ordonnance (art. L.5125-23-1 CSP):
        the line, done or set aside, is dispensed again with the exceptional adjustment, which says
        how the prescriber is informed and when. Eligibility and the boxes allowed are the rules'
        (:mod:`app.domain.exceptional`), checked by the workflow before."""
        state = self.line(line_id)
        if not (adjustment.informed_means or "").strip() or adjustment.informed_on is None:
            raise DispensingError(N_("Dispensation exceptionnelle : indiquez par quel moyen sécurisé et à quelle "
                                     "date le prescripteur est informé (art. L.5125-23-1 CSP)."))
        self._editable(state)
        if state.product is None:
            raise DispensingError(N_("Choisissez d'abord le produit de cette ligne."))
        state.quantity = state.default_quantity = boxes
        state.drop_adjustments(K.QUANTITY)
        state.keep_adjustment(replace(adjustment, kind=K.EXCEPTIONAL, detail=detail))
        state._settle()
        return state

    def cancel(self) -> None:
        """The whole dispensing abandoned: every unfinished line cancelled."""
        for state in self.lines:
            if state.status not in (S.STOPPED, S.CANCELLED) and S.CANCELLED in TRANSITIONS[state.status]:
                state.status = S.CANCELLED

    def override(self, line_id: str, rule: str, reason: str) -> None:
        reason = reason.strip()
        if not reason:
            raise DispensingError(N_("Indiquez la raison pour passer outre cet avertissement."))
        self.line(line_id).overrides[rule] = reason

    # --- the bearer ----------------------------------------------------------------------------

    def set_bearer(self, bearer: Bearer | None) -> None:
        """Who takes the medicines: ``bearer``, or None for the patient in person."""
        if self.bill is not None:
            raise DispensingError(N_("La facture est déjà établie : la délivrance ne peut plus changer."))
        self.bearer, self.bearer_is_patient = bearer, bearer is None

    def check_bearer(self, asks_bearer: Callable[[Presentation], bool]) -> None:
        """Raise :class:`BearerRequired` when a product handed over asks the bearer's identity
        (``asks_bearer``, from its conditions) and who takes it was not stated."""
        if self.bearer is not None or self.bearer_is_patient:
            return
        names = [s.product.name for s in self.lines
                 if s.status is S.COMPLETED and s.product is not None and asks_bearer(s.product)]
        if names:
            raise BearerRequired(names)

    # --- end ---------------------------------------------------------------------------------

    def problems(self) -> list[str]:
        """What keeps the dispensing from being billed (French), empty when ready."""
        texts = {"unfinished": "« {medication} » : ligne {status}.",
                 "no_reason": "« {medication} » : produit changé sans motif d'adaptation.",
                 "no_price": "« {medication} » : prix inconnu, saisissez-le.",
                 "nothing": "Aucune ligne délivrée."}
        return [texts[kind].format(medication=text, status=STATUS_LABELS[state.status] if state else "")
                for kind, text, state in self.problem_items()]

    def problem_items(self) -> list[tuple[str, str, LineState | None]]:
        """The same, as (kind, prescribed medication, line) for a UI in another language: kinds
        ``unfinished``, ``no_reason``, ``no_price``, ``nothing`` (no line, medication "")."""
        found: list[tuple[str, str, LineState | None]] = []
        for state in self.lines:
            text = self.prescribed(state.line_id).medication.text
            if state.status not in FINISHED:
                found.append(("unfinished", text, state))
            elif (state.status is S.COMPLETED and state.change is ChangeKind.ADJUSTMENT
                  and state.adjustment_of(K.PRODUCT) is None):
                found.append(("no_reason", text, state))
            elif state.status is S.COMPLETED and state.price is None:
                found.append(("no_price", text, state))
        if not any(s.status is S.COMPLETED for s in self.lines) and not found:
            found.append(("nothing", "", None))
        return found

    def to_delivery(self, *, pharmacy: PharmacyIdentity, pharmacist_name: str, pharmacist_rpps: str,
                    handed_over_at: datetime) -> Delivery:
        """The record sent to the service, written in the ordonnancier and printed."""
        if self.bill is None or self.invoice_number is None:
            raise DispensingError(N_("Facturez avant d'enregistrer la délivrance."))
        rx = self.prescription
        return Delivery(
            delivery_id=self.delivery_id, number=rx.number, handed_over_at=handed_over_at, pharmacy=pharmacy,
            pharmacist_name=pharmacist_name, pharmacist_rpps=pharmacist_rpps, patient=rx.patient,
            prescriber=rx.prescriber, prescription_date=rx.authored_date,
            lines=tuple(self._line_delivery(s) for s in self.lines if s.status is not S.CANCELLED),
            invoice_number=self.invoice_number, total=self.bill.total, amo_share=self.bill.amo_share,
            patient_share=self.bill.patient_share, bill=self.bill, bearer=self.bearer,
        )

    def _line_delivery(self, state: LineState) -> LineDelivery:
        line = self.prescribed(state.line_id)
        items: tuple[DeliveredItem, ...] = ()
        remaining = line.remaining_quantity
        if state.status is S.COMPLETED and state.product is not None:
            p = state.product
            items = (DeliveredItem.of(p, state.quantity, unit_price=state.price, boxes=tuple(state.boxes)),)
            if remaining is not None:
                remaining = max(Decimal(0), remaining - state.quantity)
        return LineDelivery(
            line_id=line.line_id, prescribed=line.medication.text, posology=state.posology or line.posology_text,
            status=state.status, items=items, substitution=state.substitution,
            adjustments=tuple(a for a in state.adjustments
                              if a.kind is None or (a.kind is K.NOT_DELIVERED) == (state.status is S.DECLINED)),
            decline_reason=state.decline_reason, renewal_index=self.renewal_index, remaining_quantity=remaining,
            remaining_renewals=line.remaining_renewals,
            overrides=tuple(f"{rule} : {reason}" for rule, reason in sorted(state.overrides.items())),
            prescribed_posology=line.posology_text if state.posology else None,
            generic_refusal=state.generic_refusal if state.status is S.COMPLETED else None,
        )


_QUANTITY_DETAIL = re.compile(r"(\d+) boîte\(s\)(?: au lieu de (\d+))?")


def quantity_detail(quantity: int, proposed: int | None) -> str:
    """What a quantity adjustment records: "3 boîte(s) au lieu de 2" (French, the records' words)."""
    return f"{quantity} boîte(s)" + (f" au lieu de {proposed}" if proposed is not None else "")


def read_quantity_detail(detail: str) -> tuple[int, int | None] | None:
    """The boxes handed over and those proposed, read back from a recorded :func:`quantity_detail`
    (a UI in another language renders them); None for any other text."""
    m = _QUANTITY_DETAIL.fullmatch(detail.strip())
    return None if m is None else (int(m[1]), int(m[2]) if m[2] else None)

