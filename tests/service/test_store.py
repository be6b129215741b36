"""The sandbox's storage rules, run on SQLite and PostgreSQL (``db_url``)."""

from __future__ import annotations

import copy
import threading

import pytest
from sqlalchemy import select

from app.eprescription.dispense import transaction_bundle
from app.eprescription.fhir_read import prescription_from_bundle
from app.sandbox import dispensing
from app.sandbox.errors import SandboxError
from app.sandbox.models import Actor, StoredDispense, StoredPrescription
from app.sandbox.store import ActorInfo, SandboxStore
from tests.service.conftest import PHARMACY_B, delivery_for, demo_bundle

PRESCRIBER = ActorInfo("prescriber", "10003456786")
PHARMACY = ActorInfo("pharmacy", "10000000009", "750000010", "pharmacist")
OTHER = ActorInfo("pharmacy", PHARMACY_B[1], PHARMACY_B[0], "pharmacist")


@pytest.fixture
def store(db_url):
    store = SandboxStore(db_url)
    yield store
    store.close()


def _submit(store, name="demo-3-trois-lignes.json") -> str:
    return store.submit(demo_bundle(name), PRESCRIBER)["identifier"]["value"]


def test_tokens_are_stored_hashed(store):
    token = store.mint_token("pharmacy", "10000000009", finess="750000010", role="pharmacist")
    assert store.authenticate(token) == PHARMACY
    with store.read() as session:
        hashes = session.scalars(select(Actor.token_hash)).all()
    assert token not in hashes and len(hashes[0]) == 64
    with pytest.raises(SandboxError) as err:
        store.authenticate(token + "x")
    assert err.value.status == 401


def test_submission_is_stored_whole(store):
    number = _submit(store)
    bundle = dispensing.search(store, number, PHARMACY, list(dispensing.INCLUDES), "http://x/fhir")
    prescription = prescription_from_bundle(bundle, number)
    assert [line.line_id for line in prescription.lines] == [f"{number}-1", f"{number}-2", f"{number}-3"]
    assert prescription.patient.family == "BERNARD"


def test_a_failing_entry_rolls_back_the_whole_transaction(store):
    number = _submit(store)
    store.claim(number, PHARMACY)
    bundle = dispensing.search(store, number, PHARMACY, list(dispensing.INCLUDES), "http://x/fhir")
    prescription = prescription_from_bundle(bundle, number)
    tx = transaction_bundle(delivery_for(prescription, boxes={prescription.lines[2].line_id: 5}))
    with pytest.raises(SandboxError) as err:
        dispensing.record(store, tx, PHARMACY)
    assert err.value.status == 422
    with store.read() as session:
        assert session.scalars(select(StoredDispense)).all() == []
    ok = transaction_bundle(delivery_for(prescription))
    assert [e["response"]["status"] for e in dispensing.record(store, ok, PHARMACY)["entry"]] == ["201 Created"] * 3
    assert [e["response"]["status"] for e in dispensing.record(store, ok, PHARMACY)["entry"]] == ["200 OK"] * 3


def test_racing_claims_one_pharmacy_wins(store):
    number = _submit(store)
    results: list[str] = []

    def claim(actor):
        try:
            store.claim(number, actor)
            results.append(actor.finess)
        except SandboxError as exc:
            results.append(str(exc.status))

    threads = [threading.Thread(target=claim, args=(a,)) for a in (PHARMACY, OTHER) * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = {r for r in results if r != "409"}
    assert len(winners) == 1 and results.count("409") == 3
    with store.read() as session:
        assert session.get(StoredPrescription, number).claim_finess in winners


def test_cancel_keeps_history(store):
    number = _submit(store, "demo-1-amoxicilline.json")
    store.cancel(number, PRESCRIBER)
    with pytest.raises(SandboxError) as err:
        store.claim(number, PHARMACY)
    assert err.value.status == 410
    assert dispensing.dispenses(store, number, PRESCRIBER, "http://x/fhir")["total"] == 0


def _race(count: int, work) -> list:
    """``work(k)`` from ``count`` threads released at once; each result, or the SandboxError raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(k: int) -> None:
        barrier.wait()
        try:
            results[k] = work(k)
        except SandboxError as exc:
            results[k] = exc

    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _prescription(store, number):
    bundle = dispensing.search(store, number, PHARMACY, list(dispensing.INCLUDES), "http://x/fhir")
    return prescription_from_bundle(bundle, number)


def test_identical_recordings_racing_all_succeed_and_record_once(store):
    """50 sends of one delivery at once (a retried send racing the first): each is answered as a
    success, one creates the dispenses, the others find them. PostgreSQL answered 503 to 2-9 of them
    (a unique-key violation) before the prescription was locked before the identifiers were read."""
    number = _submit(store)
    store.claim(number, PHARMACY)
    tx = transaction_bundle(delivery_for(_prescription(store, number), delivery_id="RACE"))
    results = _race(50, lambda _k: dispensing.record(store, copy.deepcopy(tx), PHARMACY))
    assert [r for r in results if isinstance(r, SandboxError)] == []
    statuses = [tuple(e["response"]["status"] for e in r["entry"]) for r in results]
    assert statuses.count(("201 Created",) * 3) == 1 and statuses.count(("200 OK",) * 3) == 49
    assert len({tuple(e["response"]["location"] for e in r["entry"]) for r in results}) == 1
    with store.read() as session:
        assert len(session.scalars(select(StoredDispense).where(StoredDispense.number == number)).all()) == 3


def test_one_identifier_racing_on_two_prescriptions_one_wins_the_other_is_told(store):
    """Two pharmacies' software choosing the same identifier at the same moment, each on its own
    prescription (two different locks): one is recorded, the other gets the 422 of a reused
    identifier; never a 503, never both."""
    mine, theirs = _submit(store), _submit(store)
    store.claim(mine, PHARMACY)
    store.claim(theirs, OTHER)
    ours = transaction_bundle(delivery_for(_prescription(store, mine), delivery_id="X"))
    other = transaction_bundle(delivery_for(_prescription(store, theirs), delivery_id="X", pharmacy=PHARMACY_B))
    for a, b in zip(ours["entry"], other["entry"], strict=True):  # the same identifiers, on other lines
        b["request"]["ifNoneExist"] = a["request"]["ifNoneExist"]
        b["resource"]["identifier"] = a["resource"]["identifier"]
    senders = [(ours, PHARMACY), (other, OTHER)] * 10
    results = _race(len(senders), lambda k: dispensing.record(store, copy.deepcopy(senders[k][0]), senders[k][1]))
    failures = [r for r in results if isinstance(r, SandboxError)]
    assert {f.status for f in failures} == {422} and len(failures) == 10
    assert all("déjà utilisé pour une autre délivrance" in f.diagnostics for f in failures)
    winner = next(k for k, r in enumerate(results) if not isinstance(r, SandboxError)) % 2
    assert all(isinstance(r, SandboxError) == (k % 2 != winner) for k, r in enumerate(results))
    with store.read() as session:
        finesses = set(session.scalars(select(StoredDispense.finess)))
    assert finesses == {senders[winner][1].finess}
