"""A line's coverage (ALD, AT/MP, maternity) written, stored by the sandbox, fetched and read back as the
ANS IG carries it (reasonReference to an Observation; see docs/coverage.md)."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from app.domain.prescription import Coverage
from app.eprescription import systems
from app.eprescription.fhir_write import prescription_to_bundle
from tests.service.conftest import demo_bundle


def test_the_demo_ordonnances_ald_line_comes_back_at_100_percent(prescriber_client, pharmacy_client):
    number, _ = prescriber_client.submit_prescription(demo_bundle("demo-3-trois-lignes.json"))
    prescription = pharmacy_client.fetch(number)
    by_name = {line.medication.text.split()[0]: line.coverage for line in prescription.lines}
    assert by_name == {"DOLIPRANE": Coverage.COMMON, "TAHOR": Coverage.COMMON, "GLUCOPHAGE": Coverage.ALD}


@pytest.mark.parametrize("coverage", [Coverage.ALD, Coverage.WORK_ACCIDENT, Coverage.MATERNITY])
def test_each_coverage_round_trips_through_the_sandbox(prescriber_client, pharmacy_client, coverage):
    number, _ = prescriber_client.submit_prescription(demo_bundle("demo-3-trois-lignes.json"))
    fetched = pharmacy_client.fetch(number)
    first, *others = fetched.lines
    written = dataclasses.replace(fetched, lines=(dataclasses.replace(first, coverage=coverage, extensions=()),
                                                  *(dataclasses.replace(o, coverage=Coverage.COMMON, extensions=())
                                                    for o in others)))
    again, _ = prescriber_client.submit_prescription(prescription_to_bundle(written))
    read = pharmacy_client.fetch(again)
    assert read.line_coverage(read.lines[0].line_id) is coverage
    if coverage is Coverage.MATERNITY:  # the patient's situation: the whole ordonnance
        assert read.coverage is Coverage.MATERNITY
    else:
        assert [read.line_coverage(line.line_id) for line in read.lines[1:]] == [Coverage.COMMON] * len(others)


def _with_reason(bundle: dict, observation: dict, *, contained: bool) -> dict:
    bundle = copy.deepcopy(bundle)
    mr = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
    mr.pop("contained", None)
    if contained:
        mr["contained"] = [observation]
        mr["reasonReference"] = [{"reference": f"#{observation['id']}"}]
    else:
        bundle["entry"].append({"fullUrl": f"Observation/{observation['id']}", "resource": observation})
        mr["reasonReference"] = [{"reference": f"Observation/{observation['id']}"}]
    return bundle


def _observation(code: str, value: bool) -> dict:
    return {"resourceType": "Observation", "id": "obs1", "status": "final",
            "code": {"coding": [{"system": systems.CISIS, "code": code}]}, "valueBoolean": value}


@pytest.mark.parametrize(("code", "value", "contained", "expected"), [
    (systems.ALD_CODE, True, False, Coverage.ALD),  # an entry of the Bundle, as in a FHIR document
    (systems.WORK_ACCIDENT_CODE, True, True, Coverage.WORK_ACCIDENT),
    (systems.ALD_CODE, False, True, Coverage.COMMON),  # "not in relation with the ALD"
])
def test_the_reason_is_read_whether_contained_or_an_entry(prescriber_client, pharmacy_client, code, value,
                                                           contained, expected):
    bundle = _with_reason(demo_bundle("demo-1-amoxicilline.json"), _observation(code, value), contained=contained)
    number, _ = prescriber_client.submit_prescription(bundle)
    assert pharmacy_client.fetch(number).lines[0].coverage is expected


def test_a_reason_pointing_nowhere_is_refused(prescriber_client):
    from app.domain.errors import ServiceError

    bundle = demo_bundle("demo-1-amoxicilline.json")
    mr = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
    mr["reasonReference"] = [{"reference": "Observation/absente"}]
    with pytest.raises(ServiceError):
        prescriber_client.submit_prescription(bundle)
