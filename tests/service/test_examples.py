"""Every shared ANS/HAS example loads into the real server, is fetched by its number through the
real client, and maps to domain lines matching the source; answers validate with fhir.resources."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from app.domain.identifiers import OrdonnanceNumber
from app.domain.prescription import MedicationKind, time_unit
from app.eprescription import systems
from tests.service.conftest import example, example_names, loadable

RENDERED = systems.RENDERED_DOSAGE
_UNIT_DAYS = {"h": Decimal(1) / 24, "d": Decimal(1), "wk": Decimal(7), "mo": Decimal(30), "a": Decimal(365)}


def _source_requests(name: str) -> list[dict]:
    return [e["resource"] for e in example(name)["entry"] if e["resource"]["resourceType"] == "MedicationRequest"]


def _source_medication(name: str, mr: dict) -> tuple[str, str | None]:
    if "medicationCodeableConcept" in mr:
        coding = mr["medicationCodeableConcept"]["coding"][0]
        return coding.get("display"), coding.get("code")
    ref = mr["medicationReference"]["reference"].lstrip("#")
    med = next(e["resource"] for e in example(name)["entry"] if e["resource"].get("id") == ref)
    code = med.get("code", {})
    coding = (code.get("coding") or [{}])[0]
    return code.get("text") or coding.get("display"), coding.get("code")


def _source_days(mr: dict) -> Decimal | None:
    total, found = Decimal(0), False
    for d in mr.get("dosageInstruction", []):
        bounds = d.get("timing", {}).get("repeat", {}).get("boundsDuration")
        if bounds:
            total += Decimal(str(bounds["value"])) * _UNIT_DAYS[time_unit(bounds.get("code"), bounds.get("unit"))]
            found = True
    return total if found else None


@pytest.mark.parametrize("name", example_names())
def test_example_loads_fetches_and_maps(name, sandbox, prescriber_client, pharmacy_client):
    number, ack = prescriber_client.submit_prescription(loadable(name))
    assert len(number) == 20 and number.check_ok()
    Bundle.model_validate(ack)

    prescription = pharmacy_client.fetch(number)
    sources = _source_requests(name)
    assert prescription.number == number
    assert len(prescription.lines) == len(sources)
    for line, mr in zip(prescription.lines, sources, strict=True):
        text, code = _source_medication(name, mr)
        assert line.medication.text == text
        if line.medication.kind in (MedicationKind.CIP13, MedicationKind.UCD, MedicationKind.CIS,
                                    MedicationKind.SUBSTANCE):
            assert line.medication.code == code
        rendered = next((e["valueMarkdown"] for e in mr.get("extension", []) if e["url"] == RENDERED), None)
        if rendered:
            assert line.posology_text == rendered
        else:
            assert line.posology_text  # built in words from the structure
            first = mr["dosageInstruction"][0].get("doseAndRate", [{}])[0]
            if "doseQuantity" in first:
                assert str(first["doseQuantity"]["value"]) in line.posology_text
        days = _source_days(mr)
        if days is not None:
            assert line.treatment_days() == days
        assert line.remaining_renewals == 0
        assert [n["text"] for n in mr.get("note", [])] == list(line.notes)


def test_multiline_keeps_period_duration_and_routes(prescriber_client, pharmacy_client):
    number, _ = prescriber_client.submit_prescription(loadable("MultiLine-Presc-METHOTREXATE-LEDERFOLINE.json"))
    lines = pharmacy_client.fetch(number).lines
    assert [line.duration.days() for line in lines] == [28, 28]
    assert [line.dosages[0].route for line in lines] == ["Voie intramusculaire", "Voie orale"]
    assert lines[0].dosages[0].timing.day_of_week == ("fri",)


def test_compound_and_patient_from_the_bundle(prescriber_client, pharmacy_client):
    number, _ = prescriber_client.submit_prescription(loadable("Presc-PerfGl-NaCl-KCl-500ml.json"))
    med = pharmacy_client.fetch(number).lines[0].medication
    assert med.kind is MedicationKind.COMPOUND
    assert [i.text for i in med.ingredients] == ["GLUCOSE", "SODIUM CHLORURE", "POTASSIUM CHLORURE"]
    assert med.ingredients[1].strength.value == 2

    number, _ = prescriber_client.submit_prescription(loadable("TradPN13FHIR-Presc-Morphine-PCA.json"))
    presc = pharmacy_client.fetch(number)
    assert presc.patient.family.upper() == "CUIMEANACH"
    assert [d.as_needed_text for d in presc.lines[0].dosages] == [None, "bolus"]


def test_unknown_extensions_are_kept(prescriber_client, pharmacy_client):
    bundle = loadable("HAS-11-1-Presc-VitamineD.json")
    mr = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
    mr["extension"].append({"url": "https://example.org/fhir/ext/local", "valueString": "gardé"})
    number, _ = prescriber_client.submit_prescription(bundle)
    line = pharmacy_client.fetch(number).lines[0]
    assert line.extensions == ('{"url":"https://example.org/fhir/ext/local","valueString":"gardé"}',)


def test_raw_answers_validate_as_fhir(sandbox, prescriber_client):
    number, _ = prescriber_client.submit_prescription(loadable("HAS-12-3-Presc-Enoxaparine.json"))
    token = sandbox.admin.pharmacy_token("750000010", "10000000009")
    with httpx.Client(base_url=sandbox.base_url + "/", headers={"Authorization": f"Bearer {token}"}) as http:
        CapabilityStatement.model_validate(http.get("metadata").json())
        query = {"group-identifier": f"{systems.NUMBER_SYSTEM}|{number}",
                 "_include": ["MedicationRequest:subject", "MedicationRequest:requester",
                              "MedicationRequest:medication"]}
        answer = http.get("MedicationRequest", params=query)
        assert answer.headers["content-type"].startswith("application/fhir+json")
        bundle = answer.json()
        Bundle.model_validate(bundle)
        kinds = sorted(e["resource"]["resourceType"] for e in bundle["entry"])
        assert kinds == ["Medication", "MedicationRequest", "Patient", "Practitioner"]
        only_lines = http.get("MedicationRequest", params={"group-identifier": number}).json()
        assert [e["resource"]["resourceType"] for e in only_lines["entry"]] == ["MedicationRequest"]


def test_numbers_are_unique_and_checked(prescriber_client):
    numbers = {prescriber_client.submit_prescription(loadable("HAS-05b-Presc-ACTISKENAN.json"))[0]
               for _ in range(5)}
    assert len(numbers) == 5
    assert all(OrdonnanceNumber.parse(n, check=True) == n for n in numbers)
