"""The FHIR readers are total: the real example Bundles, mutated at random (keys deleted, values of
another JSON type, values swapped between places, values nested one level deeper), give a
prescription or the project's own French error naming what is wrong, never any other exception.

A few seconds in the normal run; the ``long`` run 5,000 mutated Bundles and 5,000 mutated dispenses
in CI, times ``COMPTOIR_LONG_SCALE`` (:mod:`tests.longrun`; 10: 100,000 in all).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.errors import MalformedResponse
from app.domain.identifiers import OrdonnanceNumber
from app.domain.prescription import Prescription
from app.eprescription.client import _record_result
from app.eprescription.dispense import dispense_record, transaction_bundle
from app.eprescription.fhir_read import prescription_from_bundle
from app.sandbox.loader import complete_bundle
from tests.longrun import long_settings
from tests.service.conftest import EXAMPLES, delivery_for

NUMBER = "ABCDEFGH12"
_DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


def _as_served(bundle: dict[str, Any]) -> dict[str, Any]:
    """An example as the service answers it: patient and prescriber included, the number on every line."""
    served = complete_bundle(bundle, prescriber_rpps="10000000009", keep_dates=True,
                             now=datetime(2026, 1, 5, tzinfo=UTC))
    for entry in served["entry"]:
        if entry["resource"]["resourceType"] == "MedicationRequest":
            entry["resource"]["groupIdentifier"] = {"system": "urn:test", "value": NUMBER}
    return served


SEEDS = [_as_served(json.loads(p.read_text("utf-8")))
         for p in sorted([*EXAMPLES.glob("*.json"), *_DEMO.glob("*.json")])]
DISPENSES = [e["resource"] for seed in SEEDS
             for e in transaction_bundle(delivery_for(prescription_from_bundle(seed)))["entry"]]


def _paths(root: Any) -> list[tuple]:
    """Every key and array item of ``root``, as paths from the root."""
    found: list[tuple] = []
    todo: list[tuple[tuple, Any]] = [((), root)]
    while todo:
        prefix, node = todo.pop()
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in children:
            path = (*prefix, key)
            found.append(path)
            todo.append((path, value))
    return found


def _at(root: Any, path: tuple) -> Any:
    for step in path:
        root = root[step]
    return root


# Values put in place of another: every JSON type, edge numbers, strings that look like references,
# codes or dates, and containers of the wrong shape. A drawn text comes after them.
REPLACEMENTS: list[Any] = [
    None, True, False, 0, 1, -1, 2 ** 63, 10 ** 400, 1.5, 1e308, -0.0, float("nan"), float("inf"),
    "", " ", "x", "#p", "Patient/x", "MedicationRequest", "Patient", "2026-13-45", "1956", "d", "N", "MTE",
    "3400930065785", [], {}, [None], [1, "a"], [[[]]], {"value": None}, {"reference": "#x"}, {"coding": "x"},
    {"coding": [{"code": 1}]}, {"resourceType": "Patient"},
]
OPERATIONS = ("delete", "retype", "swap", "nest-list", "nest-value", "nest-reference")
PLAN = st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 2 ** 16), st.integers(0, 2 ** 16),
                          st.integers(0, len(REPLACEMENTS)), st.text(max_size=10)), min_size=1, max_size=4)


def mutate(seed: dict[str, Any], plan: list[tuple]) -> dict[str, Any]:
    """``seed`` changed by each step of ``plan``: (operation, where, other place, replacement, text);
    places are indexes into all the keys and array items of the document as it is at that step."""
    doc = json.loads(json.dumps(seed))  # a deep copy, faster than copy.deepcopy
    for operation, where, other, replacement, text in plan:
        paths = _paths(doc)
        if not paths:
            break
        path = paths[where % len(paths)]
        parent, key = _at(doc, path[:-1]), path[-1]
        if operation == "delete":
            del parent[key]
        elif operation == "retype":
            parent[key] = copy.deepcopy(REPLACEMENTS[replacement]) if replacement < len(REPLACEMENTS) else text
        elif operation == "swap":
            there = paths[other % len(paths)]
            if there[:len(path)] != path and path[:len(there)] != there:  # neither inside the other
                other_parent = _at(doc, there[:-1])
                parent[key], other_parent[there[-1]] = other_parent[there[-1]], parent[key]
        else:
            parent[key] = {"nest-list": [parent[key]], "nest-value": {"value": parent[key]},
                           "nest-reference": {"reference": parent[key]}}[operation]
    return doc


def _read_or_refuse(bundle: dict[str, Any]) -> None:
    for number in (None, OrdonnanceNumber(NUMBER)):  # the number read from the lines, or asked for
        try:
            prescription = prescription_from_bundle(bundle, number)
        except MalformedResponse as error:
            assert str(error).startswith("Réponse du service illisible")
            assert error.detail
        else:
            assert isinstance(prescription, Prescription) and prescription.lines
            assert number is None or prescription.number == number
            assert all(isinstance(line.posology_text, str) for line in prescription.lines)


def _dispense_or_refuse(resource: dict[str, Any]) -> None:
    try:
        record = dispense_record(resource)
    except MalformedResponse as error:
        assert error.detail
    else:
        assert isinstance(record.identifier, str)


QUICK = settings(max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(st.sampled_from(SEEDS), PLAN)
def test_a_mutated_bundle_reads_or_is_refused_in_french(seed, plan):
    _read_or_refuse(mutate(seed, plan))


@QUICK
@given(st.sampled_from(DISPENSES), PLAN)
def test_a_mutated_dispense_reads_or_is_refused_in_french(seed, plan):
    _dispense_or_refuse(mutate(seed, plan))


# The long run (tests/longrun.py): 5,000 mutated Bundles and 5,000 mutated dispenses in CI, in batches.
@pytest.mark.long
@long_settings(5_000, batch=5)
@given(st.lists(st.tuples(st.sampled_from(SEEDS), PLAN), min_size=5, max_size=5))
def test_long_a_mutated_bundle_reads_or_is_refused_in_french(cases):
    for seed, plan in cases:
        _read_or_refuse(mutate(seed, plan))


@pytest.mark.long
@long_settings(5_000, batch=5)
@given(st.lists(st.tuples(st.sampled_from(DISPENSES), PLAN), min_size=5, max_size=5))
def test_long_a_mutated_dispense_reads_or_is_refused_in_french(cases):
    for seed, plan in cases:
        _dispense_or_refuse(mutate(seed, plan))


def test_the_seeds_read_unmutated():
    assert len(SEEDS) >= 10
    for seed in SEEDS:
        assert prescription_from_bundle(seed).number == NUMBER


@pytest.mark.parametrize(("change", "named"), [
    (lambda b: _line(b).update(dosageInstruction={"text": "1 par jour"}),
     "MedicationRequest/{id}.dosageInstruction : liste attendue"),
    (lambda b: _line(b)["dispenseRequest"].update(numberOfRepeatsAllowed="2"),
     "MedicationRequest/{id}.dispenseRequest.numberOfRepeatsAllowed : nombre entier attendu"),
    (lambda b: _line(b).update(substitution={"allowedBoolean": "false"}),
     "MedicationRequest/{id}.substitution.allowedBoolean : booléen attendu"),
    (lambda b: _line(b).update(note=[{"text": ["à jeun"]}]), "MedicationRequest/{id}.note[0].text : texte attendu"),
    (lambda b: b["entry"].append("Patient"), "Bundle.entry[{last}] : objet attendu"),
])
def test_a_wrong_type_is_refused_naming_the_resource_and_the_field(change, named):
    bundle = copy.deepcopy(SEEDS[0])
    line_id = _line(bundle)["id"]
    change(bundle)
    with pytest.raises(MalformedResponse) as caught:
        prescription_from_bundle(bundle)
    expected = named.format(id=line_id, last=len(bundle["entry"]) - 1)
    assert str(caught.value) == f"Réponse du service illisible : {expected}"


def test_what_is_missing_is_named():
    bundle = copy.deepcopy(SEEDS[0])
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Patient"]
    with pytest.raises(MalformedResponse, match=r"incomplète \(patient de MedicationRequest/.+\.subject absent"):
        prescription_from_bundle(bundle)


def test_a_null_in_an_array_of_strings_is_allowed_as_fhir_says():
    bundle = copy.deepcopy(SEEDS[0])
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    patient["name"] = [{"family": "DURAND", "given": [None, "Marie"], "_given": [{"extension": []}, None]}]
    assert prescription_from_bundle(bundle).patient.given == "Marie"


def test_a_transaction_answer_of_the_wrong_shape_is_refused():
    with pytest.raises(MalformedResponse, match="envoi de la délivrance"):
        _record_result({"resourceType": "Bundle", "type": "transaction-response",
                        "entry": [{"response": {"status": "500 Internal"}}]})
    with pytest.raises(MalformedResponse, match=r"Bundle.entry\[0\].response : objet attendu"):
        _record_result({"resourceType": "Bundle", "type": "transaction-response", "entry": [{"response": "201"}]})


def _line(bundle: dict[str, Any]) -> dict[str, Any]:
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
