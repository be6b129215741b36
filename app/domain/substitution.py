"""What handing over a product other than the one prescribed means: nothing, a generic substitution,
or an adjustment.

Art. L.5125-23 CSP: the pharmacist may hand over, in place of the prescribed speciality, another of
the same generic group, unless the prescriber wrote "non substituable" with its justification (MTE,
EFG, CIF; arrêté du 12 novembre 2019). Such a generic substitution is recorded as a FHIR
``MedicationDispense.substitution`` (type ``G``). Anything else that changes what was prescribed (a
product outside the group, another quantity, another posology, a line not delivered) is an
*adjustment*, agreed with the prescriber and recorded with its reason.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.domain.catalogue import Presentation
from app.domain.delivery import Substitution
from app.domain.prescription import MedicationKind, PrescriptionLine

# v3 ActSubstanceAdminSubstitutionCode / SubstanceAdminSubstitutionReason
GENERIC = "G"
REGULATORY_REQUIREMENT = "RR"  # the pharmacist's right of substitution (L.5125-23)


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
    """False when the prescriber excluded substitution ("non substituable" MTE/EFG/CIF)."""
    return line.substitution_allowed and line.non_substitution_reason is None


def non_substitution_text(line: PrescriptionLine) -> str | None:
    """The "non substituable" mention as printed, or None."""
    if substitution_allowed(line):
        return None
    reason = line.non_substitution_reason
    return f"Non substituable ({reason.value} : {reason.label})" if reason else "Non substituable"


def classify(line: PrescriptionLine, prescribed: Prescribed, chosen: Presentation) -> ChangeKind:
    """Whether handing ``chosen`` over for ``line`` is no change, a generic substitution, or an adjustment."""
    if chosen.cip13 in prescribed.cip13:
        return ChangeKind.SAME
    if chosen.cis in prescribed.cis:
        # Same speciality, other box: the same medicine for a prescribed speciality, CIS or DC line;
        # only a line naming one exact presentation sees a different box as a change.
        if line.medication.kind is not MedicationKind.CIP13 or not prescribed.cip13:
            return ChangeKind.SAME
        return ChangeKind.ADJUSTMENT
    if (substitution_allowed(line) and chosen.generic_group_id is not None
            and chosen.generic_group_id in prescribed.generic_groups):
        return ChangeKind.GENERIC
    return ChangeKind.ADJUSTMENT


def generic_substitution(line: PrescriptionLine) -> Substitution:
    """The substitution record of a generic handed over within the group."""
    return Substitution(type=GENERIC, reason=REGULATORY_REQUIREMENT, prescribed=line.medication.text)
