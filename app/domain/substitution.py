"""What handing over a product other than the one prescribed means: nothing, a generic substitution,
or an adjustment; which product to offer first; what the patient's refusal of the generic costs.

Art. L.5125-23 CSP: the pharmacist may hand over, in place of the prescribed speciality, another of
the same generic group, unless the prescriber excluded it by "non substituable" with its justification
(arrêté du 12 novembre 2019: MTE — a substance of the narrow-therapeutic-margin list, EFG — a child under
six without a generic of a suitable form, CIF — a formal contra-indication to an excipient). Since 1
January 2020 a "non substituable" without one of them does not count: substitution stays possible. For
an MTE substance the pharmacist may himself keep the prescribed speciality ("non substituable
(MTE-PH)", arrêté du 30 janvier 2020). Such a generic substitution is recorded as a FHIR
``MedicationDispense.substitution`` (type ``G``). Anything else that changes what was prescribed (a
product outside the group, another quantity, another posology, a line not delivered) is an
*adjustment*, agreed with the prescriber and recorded with its reason.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.catalogue import GenericRole, Presentation
from app.domain.delivery import GenericRefusal, Substitution
from app.domain.prescription import MedicationKind, NonSubstitutionReason, PrescriptionLine
from app.domain.quantities import PackInfo, boxes_for_units
from app.domain.substances import MteList, default_mte_list
from app.domain.units import fold

# v3 ActSubstanceAdminSubstitutionCode / SubstanceAdminSubstitutionReason
GENERIC = "G"
REGULATORY_REQUIREMENT = "RR"  # the pharmacist's right of substitution (L.5125-23)
EFG_AGE_LIMIT = 6  # years (arrêté du 12 novembre 2019, 2°)


class ChangeKind(enum.Enum):
    SAME = "same"  # what was prescribed (or, for a common-name line, any matching product)
    GENERIC = "generic"  # another speciality of the prescribed one's generic group
    ADJUSTMENT = "adjustment"  # anything else: needs a reason (and often the prescriber's agreement)


@dataclass(frozen=True)
class Prescribed:
    """What a line allows without any change: its specialities (CIS) and their generic groups.

    For a common-name (DC) or UCD line, ``cis`` holds every speciality matching the substance, dosage
    and form, since choosing among them is dispensing, not substituting.
    """

    cis: frozenset[str]
    generic_groups: frozenset[str] = frozenset()
    cip13: frozenset[str] = frozenset()  # a presentation line: its exact box


def substitution_allowed(line: PrescriptionLine) -> bool:
    """False when the prescriber excluded substitution with a justification (MTE, EFG, CIF).

    A "non substituable" without justification does not count since 2020 (L.5125-23, arrêté du 12
    novembre 2019). Whether EFG and MTE hold for this patient and this substance is
    :func:`substitution_verdict`'s work.
    """
    return line.substitution_allowed or line.non_substitution_reason is None


def non_substitution_text(line: PrescriptionLine) -> str | None:
    """The "non substituable" mention as printed, or None."""
    if line.substitution_allowed:
        return None
    reason = line.non_substitution_reason
    if reason is None:
        return ("Non substituable sans justification (MTE, EFG ou CIF) : mention sans effet depuis le "
                "1er janvier 2020, substitution possible")
    return f"Non substituable ({reason.value} : {reason.label})"


@dataclass(frozen=True)
class SubstitutionVerdict:
    """Whether a generic may be handed over for this line and this patient, and why (French)."""

    allowed: bool
    reason: str
    justification: NonSubstitutionReason | None = None  # the prescriber's, when it holds
    unjustified: bool = False  # the prescriber wrote "non substituable" and it does not hold
    mte_substance: str | None = None  # the MTE-list name, when the product has one

    @property
    def pharmacist_may_keep_princeps(self) -> bool:
        """An MTE substance: the pharmacist may keep the prescribed speciality ("non substituable
        (MTE-PH)", arrêté du 30 janvier 2020), writing it on the ordonnance and telling the prescriber."""
        return self.mte_substance is not None


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def substitution_verdict(line: PrescriptionLine, *, on: date, substances: Sequence[str] = (),
                         patient_birth_date: date | None = None, mte: MteList | None = None) -> SubstitutionVerdict:
    """The substitution rule for one line, on ``on`` (arrêté du 12 novembre 2019).

    - EFG holds only for a child under six (when the birth date is unknown it is taken to hold);
    - MTE only for a substance of the list (unknown substances: taken to hold);
    - CIF always holds (the prescriber's medical judgement);
    - no justification: the mention does not count.
    """
    listed = (mte or default_mte_list()).match(substances, on) if substances else None
    if line.substitution_allowed:
        return SubstitutionVerdict(True, "substitution générique autorisée", mte_substance=listed)
    reason = line.non_substitution_reason
    if reason is None:
        return SubstitutionVerdict(True, "« non substituable » sans justification MTE, EFG ou CIF : sans effet, "
                                   "substitution possible", unjustified=True, mte_substance=listed)
    if reason is NonSubstitutionReason.EFG:
        age = age_on(patient_birth_date, on)
        if age is not None and age >= EFG_AGE_LIMIT:
            return SubstitutionVerdict(True, f"« non substituable (EFG) » pour un patient de {age} ans : l'EFG ne "
                                       "vaut que pour un enfant de moins de 6 ans, substitution possible",
                                       unjustified=True, mte_substance=listed)
    if reason is NonSubstitutionReason.MTE and substances and listed is None:
        return SubstitutionVerdict(True, "« non substituable (MTE) » pour une substance absente de la liste des "
                                   "médicaments à marge thérapeutique étroite : substitution possible",
                                   unjustified=True)
    return SubstitutionVerdict(False, f"non substituable ({reason.value} : {reason.label})", reason,
                               mte_substance=listed)


def classify(line: PrescriptionLine, prescribed: Prescribed, chosen: Presentation, *,
             allowed: bool | None = None, other_pack_same: bool = False) -> ChangeKind:
    """Whether handing ``chosen`` over for ``line`` is no change, a generic substitution, or an adjustment.

    ``allowed`` is the substitution verdict when known (:func:`substitution_verdict`), else the line's
    own mention decides. ``other_pack_same``: another pack size of the prescribed speciality on a line
    naming one exact box is the same medicine, its box count recomputed (:func:`boxes_for`), rather
    than an adjustment.
    """
    if chosen.cip13 in prescribed.cip13:
        return ChangeKind.SAME
    if chosen.cis in prescribed.cis:
        # Same speciality, other box: the same medicine for a prescribed speciality, CIS or DC line;
        # only a line naming one exact presentation sees a different box as a change.
        if line.medication.kind is not MedicationKind.CIP13 or not prescribed.cip13 or other_pack_same:
            return ChangeKind.SAME
        return ChangeKind.ADJUSTMENT
    may_substitute = substitution_allowed(line) if allowed is None else allowed
    if may_substitute and chosen.generic_group_id is not None and chosen.generic_group_id in prescribed.generic_groups:
        return ChangeKind.GENERIC
    return ChangeKind.ADJUSTMENT


def generic_substitution(line: PrescriptionLine) -> Substitution:
    """The substitution record of a generic handed over within the group."""
    return Substitution(type=GENERIC, reason=REGULATORY_REQUIREMENT, prescribed=line.medication.text)


def boxes_for(units: Decimal, product: Presentation) -> tuple[int | None, str]:
    """Boxes of ``product`` holding the prescribed ``units``: a generic of another pack size (×30 for a
    prescribed ×28) is acceptable, the count recomputed."""
    return boxes_for_units(units, PackInfo(product.pack_quantity, product.pack_unit))


# --- which product first ------------------------------------------------------------------------


class OfferKind(enum.Enum):
    GENERIC = "generic"
    PRINCEPS = "princeps"
    PRESCRIBED = "prescribed"  # the prescribed speciality with no generic role (no group)
    OTHER = "other"  # outside the prescription: an adjustment


@dataclass(frozen=True)
class Alternative:
    """A product offered for a line, what handing it over means, and its place in the offer."""

    product: Presentation
    change: ChangeKind
    kind: OfferKind
    cost: Decimal | None  # what the need costs with it (boxes × price), None: price unknown


def _kind(product: Presentation, change: ChangeKind) -> OfferKind:
    if change is ChangeKind.ADJUSTMENT:
        return OfferKind.OTHER
    if product.generic_role is GenericRole.PRINCEPS:
        return OfferKind.PRINCEPS
    if product.generic_role is not None:
        return OfferKind.GENERIC
    return OfferKind.PRESCRIBED


def _cost(product: Presentation, needed_units: Decimal | None) -> Decimal | None:
    if product.price is None:
        return None
    if needed_units and product.pack_quantity:
        boxes, _ = boxes_for(needed_units, product)
        return product.price * (boxes or 1)
    if product.pack_quantity:
        return product.price / product.pack_quantity * 30  # a month's worth, to compare pack sizes
    return product.price


def _lab_rank(product: Presentation, preferred_labs: Sequence[str], holders: Mapping[str, str] | None) -> int:
    """Place of the product's laboratory in the pharmacy's list (its holder when known, else the
    words of its name: "ATORVASTATINE BIOGARAN 20 mg"); after the list when absent."""
    where = fold((holders or {}).get(product.cis) or product.name)
    for index, lab in enumerate(preferred_labs):
        if lab and fold(lab) in where:
            return index
    return len(preferred_labs)


def order_alternatives(line: PrescriptionLine, prescribed: Prescribed, candidates: Sequence[Presentation], *,
                       allowed: bool | None = None, preferred_labs: Sequence[str] = (),
                       holders: Mapping[str, str] | None = None,
                       needed_units: Decimal | None = None,
                       large_packs: frozenset[str] = frozenset()) -> list[Alternative]:
    """The products to offer for ``line``, best first.

    Where substitution is allowed: the generics first (art. L.5125-23: the pharmacist substitutes to
    save the insurance's money), the cheapest for the need first, ties by the pharmacy's preferred
    laboratories (``preferred_labs``, in order); then the princeps and the prescribed speciality; then
    what would be an adjustment. Where it is not, the prescribed product first. Products no longer
    marketed go last within their rank. A box of another size is offered like the others: its count
    is recomputed for the need (``needed_units``). ``large_packs`` (CIP13 of three-month packs, for a
    treatment of three months or more) come first within their rank: "le pharmacien doit délivrer
    ledit conditionnement" (L.5125-23, last paragraph), even when three monthly boxes cost less.
    """
    offered = []
    seen: set[str] = set()
    for product in candidates:
        if product.cip13 in seen:
            continue
        seen.add(product.cip13)
        change = classify(line, prescribed, product, allowed=allowed)
        offered.append(Alternative(product, change, _kind(product, change), _cost(product, needed_units)))
    may_substitute = substitution_allowed(line) if allowed is None else allowed
    rank = ({OfferKind.GENERIC: 0, OfferKind.PRESCRIBED: 1, OfferKind.PRINCEPS: 1, OfferKind.OTHER: 2}
            if may_substitute else
            {OfferKind.PRESCRIBED: 0, OfferKind.PRINCEPS: 0, OfferKind.GENERIC: 0, OfferKind.OTHER: 2})

    def key(a: Alternative) -> tuple:
        exact_first = a.product.cip13 in prescribed.cip13 and not may_substitute
        return (rank[a.kind], not exact_first, not a.product.active, a.product.cip13 not in large_packs,
                a.cost is None, a.cost or Decimal(0),
                _lab_rank(a.product, preferred_labs, holders), a.product.name, a.product.pack_quantity or 0)

    return sorted(offered, key=key)


def _unit_price(product: Presentation) -> Decimal:
    """The price of one unit (boxes of different sizes compare by unit), else of the box."""
    price = product.price or Decimal(0)
    return price / product.pack_quantity if product.pack_quantity else price


# --- the patient refuses the generic (GenericRefusal: app.domain.delivery, kept with the line) ----


def generic_refusal(verdict: SubstitutionVerdict, chosen: Presentation, group: Sequence[Presentation], *,
                    tfr_group: bool = False) -> GenericRefusal:
    """The patient wants the princeps although a generic may be handed over ("tiers payant contre
    génériques").

    Art. L.162-16-7 CSS: the dispense d'avance de frais for a medicine of a generic group is subject to
    the patient accepting the generic — except in groups under tarif forfaitaire de responsabilité
    (``tfr_group``: the base is the TFR anyway), where a marketed generic costs as much as the princeps
    or more, and in the medical situations of L.5125-23 (a justified "non substituable"). Since 2020
    (LFSS 2019 art. 66) the reimbursement base is then the price of the dearest generic of the group,
    given here for the same pack size when the catalogue has one; the bill itself is the billing
    module's work.
    """
    if not verdict.allowed:
        return GenericRefusal(True, f"Princeps délivré : {verdict.reason}, tiers payant maintenu.")
    if tfr_group:
        return GenericRefusal(True, "Groupe sous tarif forfaitaire de responsabilité : tiers payant maintenu, "
                              "remboursement sur la base du TFR.")
    generics = [p for p in group if p.generic_role is not None and p.generic_role is not GenericRole.PRINCEPS
                and p.active and p.price is not None]
    if chosen.price is not None and generics and all(_unit_price(p) >= _unit_price(chosen) for p in generics):
        return GenericRefusal(True, "Aucun générique moins cher que le princeps : tiers payant maintenu.")
    same_size = [p.price for p in generics if p.pack_quantity == chosen.pack_quantity]
    base = max(same_size) if same_size else None  # type: ignore[type-var]
    return GenericRefusal(False, "Refus du générique par le patient : pas de tiers payant pour cette ligne, le "
                          "patient règle et sera remboursé sur la base du générique le plus cher "
                          "(art. L.162-16-7 CSS, « tiers payant contre génériques »).", reimbursement_base=base)
