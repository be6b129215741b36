"""Domain :class:`MedicationRef` → FHIR: a ``medicationCodeableConcept``, or a ``Medication``
resource when the line carries more than a code and words (a form, ingredients, a compound).

A compound is written the ANS way (profile ``fr-medication-compound``): one ``Medication`` per
component, referenced from the compound's ``ingredient.itemReference``, a component's amount in
its own ``Medication.amount`` (or the strength ratio on the compound's ingredient).

Not representable in the domain, hence not written back: the codings of ``Medication.form``
(only its words are kept), every coding of an ingredient but the first, a component's own
ingredients and strengths, and extensions on a Medication or an ingredient (e.g. ANS
``fr-is-vehicle``); the domain keeps unknown extensions of the MedicationRequest only.
"""

from __future__ import annotations

from typing import Any

from app.domain.prescription import Coding, Ingredient, MedicationKind, MedicationRef
from app.eprescription import systems
from app.eprescription.dosage_write import quantity_json, text_concept

COMPOUND_PROFILE = "https://interop.esante.gouv.fr/ig/fhir/eprescription/StructureDefinition/fr-medication-compound"
SYSTEM_OF_KIND = {
    MedicationKind.CIP13: systems.CIP13,
    MedicationKind.CIS: systems.CIS,
    MedicationKind.UCD: systems.UCD,
    MedicationKind.SUBSTANCE: systems.SUBSTANCE,
}


def coding_json(c: Coding) -> dict[str, Any]:
    out = {"system": c.system, "code": c.code}
    if c.display:
        out["display"] = c.display
    return out


def medication_concept(ref: MedicationRef) -> dict[str, Any]:
    """The codings (the main code first added when no coding carries it) and the text."""
    codings = list(ref.codings)
    system = SYSTEM_OF_KIND.get(ref.kind)
    if ref.code and system and not any(c.code == ref.code and c.system in (system, systems.SUBSTANCE_SMS)
                                       for c in codings):
        codings.insert(0, Coding(system, ref.code))
    concept: dict[str, Any] = {}
    if codings:
        concept["coding"] = [coding_json(c) for c in codings]
    if ref.text:
        concept["text"] = ref.text
    return concept


def _ingredient_concept(ing: Ingredient) -> dict[str, Any]:
    concept: dict[str, Any] = {}
    if ing.coding is not None:
        concept["coding"] = [coding_json(ing.coding)]
    if ing.text:
        concept["text"] = ing.text
    return concept


def _strength(ing: Ingredient) -> dict[str, Any] | None:
    if ing.strength is None:
        return None
    ratio = {"numerator": quantity_json(ing.strength)}
    if ing.strength_per is not None:
        ratio["denominator"] = quantity_json(ing.strength_per)
    return ratio


def _needs_resource(ref: MedicationRef) -> bool:
    return ref.kind is MedicationKind.COMPOUND or bool(ref.form) or bool(ref.ingredients)


def medication_json(ref: MedicationRef, med_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The MedicationRequest's ``medication[x]`` element and the Medication resources it needs."""
    if not _needs_resource(ref):
        return {"medicationCodeableConcept": medication_concept(ref)}, []
    med: dict[str, Any] = {"resourceType": "Medication", "id": med_id}
    resources = [med]
    compound = ref.kind is MedicationKind.COMPOUND
    if compound:
        med["meta"] = {"profile": [COMPOUND_PROFILE]}
    concept = medication_concept(ref)
    if concept:
        med["code"] = concept
    if ref.form:
        med["form"] = text_concept(ref.form)
    ingredients = []
    for n, ing in enumerate(ref.ingredients, start=1):
        entry: dict[str, Any] = {}
        strength = _strength(ing)
        if compound:
            component: dict[str, Any] = {"resourceType": "Medication", "id": f"{med_id}-{n}"}
            item = _ingredient_concept(ing)
            if item:
                component["code"] = item
            if ing.strength is not None and ing.strength_per is None:  # the component's own amount
                component["amount"] = {"numerator": quantity_json(ing.strength), "denominator": {"value": 1}}
                strength = None
            resources.append(component)
            entry["itemReference"] = {"reference": f"Medication/{component['id']}"}
        else:
            entry["itemCodeableConcept"] = _ingredient_concept(ing)
        if not ing.is_active:
            entry["isActive"] = False
        if strength is not None:
            entry["strength"] = strength
        ingredients.append(entry)
    if ingredients:
        med["ingredient"] = ingredients
    return {"medicationReference": {"reference": f"Medication/{med_id}"}}, resources
