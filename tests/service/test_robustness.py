"""Mangled requests never make the server fail (5xx) nor answer anything but an OperationOutcome,
on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import json
import os
import random
from collections import Counter

import httpx
import pytest

from app.domain.errors import MalformedResponse, PrescriptionGone
from app.eprescription.client import INCLUDES, EPrescriptionClient
from app.eprescription.dispense import transaction_bundle
from tests.service.conftest import delivery_for, demo_bundle, example_names, loadable, sandbox_on

FUZZ_ROUNDS = int(os.environ.get("COMPTOIR_FUZZ_ROUNDS", "60"))
ODD_VALUES = [None, "", "x", 0, -1, 1e300, True, [], {}, [1, "a"], {"reference": "#nowhere"},
              {"value": "abc"}, "2026-13-45", "\u0000", "é" * 300]


@pytest.fixture(scope="module")
def sandbox(module_db_url):
    """On SQLite and PostgreSQL: what a column refuses (a NUL, an out-of-range number) differs."""
    with sandbox_on(module_db_url) as running:
        yield running


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*prefix, i)
            yield from _paths(value, (*prefix, i))


def _mangle(doc, rng: random.Random):
    doc = copy.deepcopy(doc)
    paths = list(_paths(doc))
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        parent = doc
        try:
            for step in path[:-1]:
                parent = parent[step]
            if rng.random() < 0.2 and isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
        except (KeyError, IndexError, TypeError):
            continue
    return doc


def _check(response: httpx.Response, allowed: set[int]) -> None:
    assert response.status_code in allowed, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body["resourceType"] == "OperationOutcome" and body["issue"][0]["diagnostics"]


def _read_back(client, number: str) -> str:
    """Fetch what the service accepted: the prescription, or a refusal the counter can show. Which
    one, as a word (the fuzz tests count them); anything else fails the test."""
    try:
        prescription = client.fetch(number)
    except PrescriptionGone as exc:  # a mangled date: expired, with the date the counter shows
        assert exc.status == 410 and str(exc).startswith("Ordonnance expirée : sa validité a pris fin le "), exc
        return "expired"
    except MalformedResponse as exc:  # stored, but not a prescription the counter can dispense
        assert exc.status is None and "illisible" in str(exc), exc
        return "unreadable"
    assert str(prescription.number) == number and prescription.lines
    return "read"


@pytest.mark.parametrize("seed", range(3))
def test_mangled_prescriptions(sandbox, pharmacy_client, seed):
    rng = random.Random(seed)
    token = sandbox.admin.prescriber_token()
    sources = [loadable(n) for n in example_names()] + [demo_bundle(f"demo-{k}.json") for k in (
        "1-amoxicilline", "2-levothyroxine-mte", "3-trois-lignes", "4-kardegic-cis")]
    outcomes: Counter[str] = Counter()
    with httpx.Client(base_url=sandbox.base_url + "/", headers={"Authorization": f"Bearer {token}"}) as http:
        for _ in range(FUZZ_ROUNDS):
            body = _mangle(rng.choice(sources), rng)
            response = http.post("Bundle", content=json.dumps(body))
            _check(response, {201, 400, 403, 422})
            if response.status_code == 201:  # what was accepted is read back, or refused cleanly
                outcomes[_read_back(pharmacy_client, response.json()["identifier"]["value"])] += 1
    assert outcomes["read"] > 0  # the fuzz reached the read path, not only refusals


def test_mangled_deliveries(sandbox, prescriber_client, pharmacy_client):
    number, _ = prescriber_client.submit_prescription(demo_bundle("demo-3-trois-lignes.json"))
    source = transaction_bundle(delivery_for(pharmacy_client.fetch(number)))
    pharmacy_client.claim(number)  # the same pharmacy as the token below: the claim check is passed
    rng = random.Random(7)
    token = sandbox.admin.pharmacy_token("750000010", "10000000009")
    with httpx.Client(base_url=sandbox.base_url + "/", headers={"Authorization": f"Bearer {token}"}) as http:
        for n in range(FUZZ_ROUNDS * 5):
            body = _mangle(source, rng)
            entries = body.get("entry") if isinstance(body, dict) else None
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get("request"), dict):
                    entry["request"]["ifNoneExist"] = f"identifier=urn:fuzz|{n}-{rng.random()}"
            _check(http.post("", content=json.dumps(body)), {200, 400, 409, 422})


@pytest.mark.parametrize("body", [b"[" * 100000, b'{"resourceType": NaN}', b'{"a": 1e999}', b"\xff\xfe",
                                  b'"just a string"', b"null", b'{"resourceType": "Bundle\\ud800"}',
                                  b'{"\\udfff": 1}', b'{"a": "\xed\xa0\x80"}'])
def test_unreadable_bodies(sandbox, body):
    token = sandbox.admin.prescriber_token()
    response = httpx.post(sandbox.base_url + "/Bundle", content=body, headers={"Authorization": f"Bearer {token}"})
    _check(response, {400})


def test_mangled_answers_never_crash_the_client(sandbox, prescriber_client, pharmacy_client):
    number, _ = prescriber_client.submit_prescription(loadable("Presc-PerfGl-NaCl-KCl-500ml.json"))
    good = httpx.get(sandbox.base_url + "/MedicationRequest",
                     params={"group-identifier": number, "_include": list(INCLUDES)},
                     headers={"Authorization": f"Bearer {sandbox.admin.pharmacy_token('750000010', '1')}"}).json()
    rng = random.Random(11)
    current = {}
    client = EPrescriptionClient("http://service.example/fhir", "t", retries=0,
                                 transport=httpx.MockTransport(lambda request: httpx.Response(200, json=current["b"])))
    outcomes: Counter[str] = Counter()
    for _ in range(FUZZ_ROUNDS * 5):
        current["b"] = _mangle(good, rng)
        outcomes[_read_back(client, number)] += 1
    assert outcomes["read"] > 0 and outcomes["unreadable"] > 0 and outcomes["expired"] == 0


def test_a_lone_surrogate_inside_a_real_prescription_or_delivery_is_a_400(sandbox, prescriber_client, pharmacy_client):
    """Valid JSON, valid FHIR shape, one name holding "\\ud800": refused before the database sees it
    (PostgreSQL cannot encode it; an answer echoing it could not be written as UTF-8)."""
    bundle = demo_bundle("demo-3-trois-lignes.json")
    text = json.dumps(bundle).replace('"family": "', '"family": "\\ud83d', 1)
    assert "\\ud83d" in text
    token = sandbox.admin.prescriber_token()
    response = httpx.post(sandbox.base_url + "/Bundle", content=text.encode("ascii"),
                          headers={"Authorization": f"Bearer {token}", "Content-Type": "application/fhir+json"})
    _check(response, {400})
    assert "Unicode invalide" in response.text
    paired = text.replace("\\ud83d", "\\ud83d\\ude00", 1)  # a real pair (an emoji) is text: accepted
    response = httpx.post(sandbox.base_url + "/Bundle", content=paired.encode("ascii"),
                          headers={"Authorization": f"Bearer {token}", "Content-Type": "application/fhir+json"})
    assert response.status_code == 201, response.text
