"""The sandbox's OpenAPI description: served, in step with the routes, valid for schemathesis; and a
quick schemathesis run (marker ``long``) asserting that no generated request gets a 5xx."""

from __future__ import annotations

import os
from collections import Counter

import httpx
import pytest
from starlette.routing import Route

from app.sandbox.app import create_app
from app.sandbox.openapi import openapi_document
from tests.longrun import scaled
from tests.service.conftest import PHARMACY_A, demo_bundle

# Per operation and mode (15 strategies): 15 in CI, about 20 s on its two cores (tests/longrun.py).
SMOKE_EXAMPLES = int(os.environ.get("COMPTOIR_SCHEMA_FUZZ_EXAMPLES") or scaled(15))


def test_the_document_is_served_without_a_token(sandbox):
    for url in (f"{sandbox.base_url}/openapi.json", sandbox.base_url.removesuffix("/fhir") + "/openapi.json"):
        answer = httpx.get(url)
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
        assert answer.json() == openapi_document()


def test_the_document_describes_every_route_and_only_them(sandbox):
    app = create_app(sandbox.admin.store)
    routes = {(route.path.removeprefix("/fhir") or "/", method.lower())
              for route in app.routes if isinstance(route, Route) and "openapi" not in route.path
              for method in route.methods - {"HEAD"}}
    described = {(path, method) for path, ops in openapi_document()["paths"].items() for method in ops}
    assert described == routes
    assert len(described) == 8  # the contract's eight operations; "/fhir" and "/fhir/" are one
    ops = openapi_document()["paths"]
    assert [p["name"] for p in ops["/MedicationRequest"]["get"]["parameters"]] == ["group-identifier", "_include"]
    assert ops["/"]["post"]["requestBody"]["content"]["application/fhir+json"]["schema"] == {
        "$ref": "#/components/schemas/TransactionBundle"}
    for path, methods in ops.items():  # every error answered is an OperationOutcome
        for op in methods.values():
            for status, answer in op["responses"].items():
                if int(status) >= 400:
                    assert answer["content"]["application/fhir+json"]["schema"]["$ref"].endswith("OperationOutcome"), path


def test_schemathesis_reads_it_and_finds_the_eight_operations():
    schemathesis = pytest.importorskip("schemathesis")
    schema = schemathesis.openapi.from_dict(openapi_document())
    labels = sorted(result.ok().label for result in schema.get_all_operations())
    assert labels == sorted(["GET /metadata", "POST /Bundle", "GET /MedicationRequest",
                             "POST /MedicationRequest/$claim", "POST /MedicationRequest/$release", "POST /",
                             "GET /MedicationDispense", "POST /MedicationRequest/$cancel"])


@pytest.mark.long
def test_fuzzed_from_its_schema_the_sandbox_never_answers_5xx(sandbox):
    """Every operation with schemathesis-generated requests, valid (positive) and invalid (negative)
    per the schema, with a prescriber's token for op 2 and a pharmacy's for the others (the
    pharmacy holds a claim on a real prescription, whose number and line ids are fed to the
    generator now and then): no 5xx, and every error an OperationOutcome."""
    schemathesis = pytest.importorskip("schemathesis")
    prescriber = sandbox.admin.prescriber_token()
    pharmacy = sandbox.admin.pharmacy_token(*PHARMACY_A)
    with sandbox.client(prescriber) as client:
        number = str(client.submit_prescription(demo_bundle("demo-3-trois-lignes.json"))[0])
    with sandbox.client(pharmacy) as client:
        client.claim(number)
    schema = schemathesis.openapi.from_dict(openapi_document())
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        token = prescriber if operation.path == "/Bundle" else pharmacy
        modes = [schemathesis.GenerationMode.POSITIVE]
        if operation.path != "/metadata":  # nothing in it to make invalid
            modes.append(schemathesis.GenerationMode.NEGATIVE)
        for mode in modes:
            _fuzz(operation.as_strategy(generation_mode=mode), sandbox.base_url, token, number, statuses)
    print("schemathesis statuses:", dict(sorted(statuses.items())))
    assert sum(statuses.values()) >= 8 * SMOKE_EXAMPLES // 2
    assert {200, 400, 404}.issubset(statuses)  # past the checks to real reads, and refused cleanly


def _fuzz(strategy, base_url: str, token: str, number: str, statuses: Counter) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=SMOKE_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy, real=st.booleans())
    def call(case, real):
        if real and isinstance(case.query, dict) and "group-identifier" in case.query:
            case.query["group-identifier"] = number  # now and then a number that exists
        response = case.call(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        statuses[response.status_code] += 1
        assert response.status_code < 500, (case.method, case.path, case.query, case.body, response.text)
        if response.status_code >= 400 and response.status_code not in (404, 405):
            assert response.json()["resourceType"] == "OperationOutcome", response.text

    call()
