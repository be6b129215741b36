"""The medication of a line: ``medicationCodeableConcept`` or a referenced ``Medication``, as a
:class:`~app.domain.prescription.MedicationRef` (CIP13, CIS, UCD, substance, compound or text)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain.errors import MalformedResponse
from app.domain.prescription import Coding, Ingredient, MedicationKind, MedicationRef
from app.eprescription import systems
from app.eprescription.dosage import concept_text, quantity
from app.eprescription.fhir_json import Node

_KIND_BY_SYSTEM = {
    systems.CIP13: MedicationKind.CIP13,
    systems.UCD: MedicationKind.UCD,
    systems.CIS: MedicationKind.CIS,
    systems.SUBSTANCE: MedicationKind.SUBSTANCE,
    systems.SUBSTANCE_SMS: MedicationKind.SUBSTANCE,
}
_PRIORITY = (MedicationKind.CIP13, MedicationKind.UCD, MedicationKind.CIS, MedicationKind.SUBSTANCE)
_COMPOUND_PROFILE = "fr-medication-compound"
UNNAMED = "Médicament sans libellé"

# A reference (a Reference element) → the resource it points to in the Bundle, or None.
Resolver = Callable[[Any], dict[str, Any] | None]


def codings(concept: Any) -> tuple[Coding, ...]:
    """The codings of a CodeableConcept that have both a system and a code."""
    found = []
    for coding in Node.of(concept, "CodeableConcept").get("coding").objects():
        system, code = coding.get("system").string(), coding.get("code").string()
        if system and code:
            found.append(Coding(system, code, coding.get("display").string()))
    return tuple(found)


def _from_concept(concept: Node) -> tuple[MedicationKind, str | None, tuple[Coding, ...]]:
    found = codings(concept)
    for kind in _PRIORITY:
        for coding in found:
            if _KIND_BY_SYSTEM.get(coding.system) is kind:
                return kind, coding.code, found
    return MedicationKind.TEXT, None, found


def _ingredient(data: Node, resolve: Resolver) -> Ingredient | None:
    strength = data.get("strength")
    num, den = quantity(strength.get("numerator")), quantity(strength.get("denominator"))
    active = data.get("isActive").boolean()
    active = True if active is None else active
    concept = data.get("itemCodeableConcept")
    if not concept.absent:
        found = codings(concept)
        return Ingredient(concept_text(concept) or "", found[0] if found else None, num, den, active)
    found_item = resolve(data.get("itemReference").mapping() or None)
    if found_item is None:
        return None
    item = Node.of(found_item)
    code = item.get("code")
    found = codings(code)
    if num is None:
        num, den = quantity(item.get("amount").get("numerator")), None
    return Ingredient(concept_text(code) or "", found[0] if found else None, num, den, active)


def medication_ref(mr: Any, resolve: Resolver) -> MedicationRef:
    """The MedicationRef of a MedicationRequest; no medication at all is a malformed answer."""
    line = Node.of(mr)
    concept = line.get("medicationCodeableConcept")
    if not concept.absent:
        concept.mapping()
        kind, code, found = _from_concept(concept)
        return MedicationRef(kind, concept_text(concept) or code or UNNAMED, code, found)
    resolved = resolve(line.get("medicationReference").mapping() or None)
    if resolved is None or resolved.get("resourceType") != "Medication":
        raise MalformedResponse("Réponse du service illisible : médicament d'une ligne absent",
                                detail=f"{line.path}: medication not found")
    med = Node.of(resolved)
    kind, code, found = _from_concept(med.get("code"))
    raw_ingredients = med.get("ingredient").objects()
    ingredients = tuple(i for i in (_ingredient(d, resolve) for d in raw_ingredients) if i is not None)
    profiles = med.get("meta").get("profile").strings()
    is_compound = any(_COMPOUND_PROFILE in p for p in profiles) or any(d.has("itemReference")
                                                                      for d in raw_ingredients)
    if is_compound or (kind is MedicationKind.TEXT and len(ingredients) > 1):
        kind, code = MedicationKind.COMPOUND, None
    text = concept_text(med.get("code"))
    if not text and ingredients:
        text = " + ".join(i.text for i in ingredients if i.text)
    return MedicationRef(kind, text or UNNAMED, code, found, concept_text(med.get("form")), ingredients)
