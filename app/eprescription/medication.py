"""The medication of a line: ``medicationCodeableConcept`` or a referenced ``Medication``, as a
:class:`~app.domain.prescription.MedicationRef` (CIP13, CIS, UCD, substance, compound or text)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain.errors import MalformedResponse
from app.domain.prescription import Coding, Ingredient, MedicationKind, MedicationRef
from app.eprescription import systems
from app.eprescription.dosage import concept_text, quantity

_KIND_BY_SYSTEM = {
    systems.CIP13: MedicationKind.CIP13,
    systems.UCD: MedicationKind.UCD,
    systems.CIS: MedicationKind.CIS,
    systems.SUBSTANCE: MedicationKind.SUBSTANCE,
    systems.SUBSTANCE_SMS: MedicationKind.SUBSTANCE,
}
_PRIORITY = (MedicationKind.CIP13, MedicationKind.UCD, MedicationKind.CIS, MedicationKind.SUBSTANCE)
_COMPOUND_PROFILE = "fr-medication-compound"

Resolver = Callable[[Any], dict[str, Any] | None]


def codings(concept: Any) -> tuple[Coding, ...]:
    if not isinstance(concept, dict):
        return ()
    return tuple(Coding(str(c["system"]), str(c["code"]), c.get("display"))
                 for c in concept.get("coding") or []
                 if isinstance(c, dict) and c.get("system") and c.get("code"))


def _from_concept(concept: Any) -> tuple[MedicationKind, str | None, tuple[Coding, ...]]:
    found = codings(concept)
    for kind in _PRIORITY:
        for coding in found:
            if _KIND_BY_SYSTEM.get(coding.system) is kind:
                return kind, coding.code, found
    return MedicationKind.TEXT, None, found


def _ingredient(data: dict[str, Any], resolve: Resolver) -> Ingredient | None:
    strength = data.get("strength") if isinstance(data.get("strength"), dict) else {}
    num, den = quantity(strength.get("numerator")), quantity(strength.get("denominator"))
    active = data.get("isActive") if isinstance(data.get("isActive"), bool) else True
    if isinstance(data.get("itemCodeableConcept"), dict):
        concept = data["itemCodeableConcept"]
        found = codings(concept)
        return Ingredient(concept_text(concept) or "", found[0] if found else None, num, den, active)
    item = resolve(data.get("itemReference"))
    if item is None:
        return None
    found = codings(item.get("code"))
    amount = item.get("amount") if isinstance(item.get("amount"), dict) else {}
    if num is None:
        num, den = quantity(amount.get("numerator")), None
    return Ingredient(concept_text(item.get("code")) or "", found[0] if found else None, num, den, active)


def medication_ref(mr: dict[str, Any], resolve: Resolver) -> MedicationRef:
    """The MedicationRef of a MedicationRequest; no medication at all is a malformed answer."""
    if isinstance(mr.get("medicationCodeableConcept"), dict):
        concept = mr["medicationCodeableConcept"]
        kind, code, found = _from_concept(concept)
        return MedicationRef(kind, concept_text(concept) or code or "Médicament sans libellé", code, found)
    med = resolve(mr.get("medicationReference"))
    if med is None or med.get("resourceType") != "Medication":
        raise MalformedResponse("Réponse du service illisible : médicament d'une ligne absent",
                                detail=f"line {mr.get('id')}")
    kind, code, found = _from_concept(med.get("code"))
    ingredients = tuple(i for i in (_ingredient(d, resolve) for d in med.get("ingredient") or []
                                    if isinstance(d, dict)) if i is not None)
    profiles = (med.get("meta") or {}).get("profile") or []
    is_compound = any(_COMPOUND_PROFILE in str(p) for p in profiles) or any(
        isinstance(d, dict) and "itemReference" in d for d in med.get("ingredient") or [])
    if is_compound or (kind is MedicationKind.TEXT and len(ingredients) > 1):
        kind, code = MedicationKind.COMPOUND, None
    text = concept_text(med.get("code"))
    if not text and ingredients:
        text = " + ".join(i.text for i in ingredients if i.text)
    form = concept_text(med.get("form"))
    return MedicationRef(kind, text or "Médicament sans libellé", code, found, form, ingredients)
