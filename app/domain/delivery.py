"""What was handed over for an ordonnance: the record the counter builds, the service receives
(as FHIR MedicationDispense), the ordonnancier registers and the printout shows.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from app.domain.bearer import Bearer
from app.domain.billing import Bill
from app.domain.catalogue import Presentation
from app.domain.identifiers import OrdonnanceNumber
from app.domain.prescription import Patient, Prescriber


class DispenseStatus(enum.Enum):
    """FHIR R4 MedicationDispense.status, the states of a line at the counter."""

    PREPARATION = "preparation"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    DECLINED = "declined"
    STOPPED = "stopped"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PharmacyIdentity:
    name: str
    address: str
    finess: str
    phone: str = ""


@dataclass(frozen=True)
class ScannedBox:
    """One box whose DataMatrix was read: what the serialisation scheme needs to keep."""

    cip13: str
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None


@dataclass(frozen=True)
class DeliveredItem:
    """A product handed over for a line, and how many boxes."""

    cip13: str
    name: str  # speciality name + pack label, as printed
    quantity: int  # boxes
    unit_price: Decimal | None = None
    rate: int | None = None  # reimbursement rate, percent
    boxes: tuple[ScannedBox, ...] = ()
    # What the printouts name the product by (see app.domain.packs): the speciality's name (name, dosage,
    # form) and the pack the catalogue read; "" / None on records written before they were kept.
    speciality: str = ""
    pack_quantity: Decimal | None = None
    pack_unit: str | None = None
    pack_label: str = ""
    register_class: str | None = None  # "liste I", "liste II", "stupéfiant"; "" not registered; None unknown

    @classmethod
    def of(cls, product: Presentation, quantity: int, *, unit_price: Decimal | None = None,
           boxes: tuple[ScannedBox, ...] = ()) -> DeliveredItem:
        """The item handed over of a catalogue ``product`` (``unit_price``: what each box was billed)."""
        return cls(product.cip13, f"{product.name} — {product.label}", quantity,
                   product.retail_price if unit_price is None else unit_price, product.rate, boxes,
                   product.name, product.pack_quantity, product.pack_unit, product.label, product.register_class)


@dataclass(frozen=True)
class Substitution:
    """A product handed over for another (FHIR MedicationDispense.substitution).

    ``type``: v3 ActSubstanceAdminSubstitutionCode (``G`` generic, ``TE`` therapeutic, ``N`` none);
    ``reason``: v3 SubstanceAdminSubstitutionReason (``CT``, ``FP``, ``OS``, ``RR``) or a French code.
    """

    type: str
    reason: str
    prescribed: str  # what was prescribed, as printed ("DOLIPRANE 1000 mg ...")


class AdjustmentKind(enum.Enum):
    """What an adjustment changed: each action of the counter has its own reasons (resources/adjustments)."""

    PRODUCT = "product"  # another product than the one prescribed, outside the generic substitution
    QUANTITY = "quantity"  # another number of boxes than the one proposed
    POSOLOGY = "posology"  # another posology than the one prescribed
    NOT_DELIVERED = "not-delivered"  # the line is not handed over
    EXCEPTIONAL = "exceptional"  # dispensed on an expired ordonnance (art. L.5125-23-1 CSP)


ADJUSTMENT_KIND_LABELS = {
    AdjustmentKind.PRODUCT: "Produit", AdjustmentKind.QUANTITY: "Quantité",
    AdjustmentKind.POSOLOGY: "Posologie", AdjustmentKind.NOT_DELIVERED: "Non délivré",
    AdjustmentKind.EXCEPTIONAL: "Dispensation exceptionnelle",
}


@dataclass(frozen=True)
class Adjustment:
    """A change to what was prescribed, with its reason and, where given, the prescriber's agreement
    (the adjustment dialog). ``kind`` and ``detail`` are stamped by the dispensing when the change is
    applied (what changed, in French); ``legal_basis`` is the listed provision that allows a product
    change without the prescriber's agreement (resources/adjustments/legal_bases.json).
    """

    reason_code: str
    reason_label: str
    agreement_means: str | None = None  # "téléphone", "messagerie sécurisée" ...; None: no agreement
    agreement_date: date | None = None
    comment: str = ""
    kind: AdjustmentKind | None = None  # None only on records written before adjustments were typed
    detail: str = ""  # what changed ("3 boîtes au lieu de 2"), French
    agreement_time: time | None = None
    legal_basis_code: str | None = None
    legal_basis: str | None = None  # French label with its article
    # The prescriber INFORMED afterwards (not his agreement): the exceptional dispensing of an expired
    # ordonnance (art. L.5125-23-1 CSP, "par tous moyens sécurisés"), by which means and when.
    informed_means: str | None = None
    informed_on: date | None = None

    @property
    def agreed(self) -> bool:
        return self.agreement_means is not None


@dataclass(frozen=True)
class GenericRefusal:
    """The patient refused the generic (art. L.162-16-7 CSS, « tiers payant contre génériques») and
    what it means for the bill of that line (:func:`app.domain.substitution.generic_refusal`)."""

    tiers_payant: bool  # False: the patient pays the line and is reimbursed afterwards
    message: str  # French
    article: str = "L.162-16-7 CSS"
    reimbursement_base: Decimal | None = None  # price of the dearest generic of the same pack size

    @property
    def summary(self) -> str:
        """The mention printed and sent with the line (French)."""
        return f"Refus du générique par le patient (tiers payant {'maintenu' if self.tiers_payant else 'suspendu'})"


@dataclass(frozen=True)
class LineDelivery:
    """What happened to one prescription line at this delivery."""

    line_id: str
    prescribed: str  # the line as prescribed (medication text)
    posology: str
    status: DispenseStatus
    items: tuple[DeliveredItem, ...] = ()
    substitution: Substitution | None = None
    adjustment: Adjustment | None = None  # legacy single adjustment, folded into ``adjustments``
    decline_reason: str | None = None  # for a declined line, in words
    renewal_index: int = 0  # 0: first delivery, n: n-th renewal
    remaining_quantity: Decimal | None = None  # after this delivery, boxes
    remaining_renewals: int | None = None
    fraction: int | None = None  # the n-th fraction of a fractioned delivery (stupéfiants), when it is one
    ordonnancier_numbers: tuple[int, ...] = ()
    overrides: tuple[str, ...] = ()  # warnings overridden, with their reasons
    prescribed_posology: str | None = None  # set when ``posology`` was adapted: what the prescriber wrote
    adjustments: tuple[Adjustment, ...] = ()  # every adjustment of the line, in the order made
    generic_refusal: GenericRefusal | None = None  # the patient refused the generic (the princeps handed over)

    def __post_init__(self) -> None:
        # ``adjustment`` is what records written before the list hold (one per line): folded into
        # ``adjustments`` so that a reprint of an old delivery still shows it; never set afterwards.
        if self.adjustment is not None:
            object.__setattr__(self, "adjustments", (*self.adjustments, self.adjustment))
            object.__setattr__(self, "adjustment", None)

    @property
    def delivered(self) -> bool:
        return self.status is DispenseStatus.COMPLETED and any(i.quantity > 0 for i in self.items)

    @property
    def partial(self) -> bool:
        """Less than prescribed was handed over: something remains to deliver on this line."""
        return self.delivered and (self.fraction is not None or
                                   (self.remaining_quantity is not None and self.remaining_quantity > 0))

    @property
    def all_adjustments(self) -> tuple[Adjustment, ...]:
        """Every adjustment of the line, in the order made."""
        return self.adjustments


@dataclass(frozen=True)
class TeamMember:
    """A member of the team as a delivery names him: who prepared, validated, handed over.

    ``role``: the code of :class:`app.domain.team.Role` (``titulaire``, ``adjoint``, ``preparateur``,
    ``etudiant``); ``rpps``: None for a student or a préparateur not registered in the RPPS."""

    user_id: int | None
    name: str
    role: str
    rpps: str | None = None


@dataclass(frozen=True)
class Delivery:
    """One delivery of an ordonnance at this pharmacy.

    ``pharmacist_name``/``pharmacist_rpps``: the pharmacist responsible (the ordonnancier's, R. 5132-10,
    and the MedicationDispense's first performer). ``prepared_by``, ``validated_by``,
    ``handed_over_by``: who did each step (None on records written before the team existed, or by a
    counter where nobody signs in); ``validation_comment``: the pharmaceutical validation's comment.
    """

    delivery_id: str  # unique, chosen by the pharmacy software (dispense identifiers derive from it)
    number: OrdonnanceNumber
    handed_over_at: datetime
    pharmacy: PharmacyIdentity
    pharmacist_name: str
    pharmacist_rpps: str
    patient: Patient
    prescriber: Prescriber
    prescription_date: date
    lines: tuple[LineDelivery, ...]
    invoice_number: str | None = None
    total: Decimal | None = None
    amo_share: Decimal | None = None
    patient_share: Decimal | None = None
    bill: Bill | None = None  # the whole bill (lines, fees, shares), when billed with it
    prepared_by: TeamMember | None = None
    validated_by: TeamMember | None = None
    handed_over_by: TeamMember | None = None
    validation_comment: str = ""
    bearer: Bearer | None = None  # who took the medicines when not the patient, where the product asks it

    def dispense_identifier(self, line: LineDelivery) -> str:
        """The MedicationDispense identifier of ``line``: stable, so re-sending creates nothing."""
        return f"{self.delivery_id}-{line.line_id}"
