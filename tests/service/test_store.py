"""The sandbox's storage rules, run on SQLite and PostgreSQL (``db_url``)."""

from __future__ import annotations

import copy
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.eprescription.dispense import transaction_bundle
from app.eprescription.fhir_read import prescription_from_bundle
from app.sandbox import dispensing
from app.sandbox.errors import SandboxError
from app.sandbox.models import Actor, StoredDispense, StoredPrescription
from app.sandbox.store import ACTOR_CACHE_SECONDS, ActorInfo, SandboxStore, aware, hash_token
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
    """50 claims at once from two pharmacies: one pharmacy wins, every claim of the other is a 409."""
    number = _submit(store)
    actors = [PHARMACY, OTHER] * 25
    results = _race(len(actors), lambda k: store.claim(number, actors[k]))
    lost = [k for k, r in enumerate(results) if isinstance(r, SandboxError)]
    assert {results[k].status for k in lost} == {409} and len(lost) == 25
    winner = {actors[k].finess for k, r in enumerate(results) if not isinstance(r, SandboxError)}
    assert len(winner) == 1 and {actors[k].finess for k in lost}.isdisjoint(winner)
    with store.read() as session:
        assert {session.get(StoredPrescription, number).claim_finess} == winner


def test_the_sandbox_database_file_is_private(tmp_path):
    import stat

    path = tmp_path / "sandbox.sqlite3"
    store = SandboxStore(f"sqlite:///{path}")
    store.mint_token("prescriber", "10003456786")
    store.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


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


class _Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_token_expires_on_its_date_in_french(db_url):
    clock = _Clock()
    store = SandboxStore(db_url, clock=clock, ticks=_Ticks())
    try:
        token = store.mint_token("pharmacy", "10000000009", finess="750000010", role="pharmacist", days=2)
        assert store.authenticate(token) == PHARMACY
        assert store.cached_actor(token) == PHARMACY
        clock.now += timedelta(days=2, seconds=-1)
        assert store.cached_actor(token) == PHARMACY
        clock.now += timedelta(seconds=1)
        assert store.cached_actor(token) is None  # the cache knows the date: no request slips through
        with pytest.raises(SandboxError) as err:
            store.authenticate(token)
        assert (err.value.status, err.value.diagnostics) == (
            401, "Authentification refusée : jeton d'accès expiré le 16/03/2026 (demandez-en un nouveau)")
        assert store.mint_token("prescriber", "10003456786")  # 90 days by default
        with store.read() as session:
            expiries = sorted(aware(e) for e in session.scalars(select(Actor.expires_at)))
        assert expiries == [datetime(2026, 3, 16, 9, 0, tzinfo=UTC), clock.now + timedelta(days=90)]
    finally:
        store.close()


def test_a_deleted_token_stops_working_within_the_cache_period(db_url):
    ticks = _Ticks()
    store = SandboxStore(db_url, ticks=ticks)
    other = SandboxStore(db_url)  # another process: the operator's `comptoir sandbox revoke`
    try:
        token = store.mint_token("pharmacy", "10000000009", finess="750000010", role="pharmacist")
        assert store.authenticate(token) == PHARMACY
        assert other.revoke_token(token) and not other.revoke_token(token)
        ticks.now += ACTOR_CACHE_SECONDS - 0.1
        assert store.cached_actor(token) == PHARMACY  # still cached: at most ACTOR_CACHE_SECONDS
        ticks.now += 0.1
        assert store.cached_actor(token) is None
        with pytest.raises(SandboxError) as err:
            store.authenticate(token)
        assert (err.value.status, err.value.diagnostics) == (
            401, "Authentification refusée : jeton d'accès inconnu ou révoqué")
    finally:
        other.close()
        store.close()


def test_a_database_from_before_token_expiry_is_brought_up_to_date(db_url):
    """sbx_actor without expires_at (the first release): the column is added, and an old token lasts
    the default from its creation."""
    from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, insert

    from app.storage.db import make_engine, normalise_url

    engine = make_engine(normalise_url(db_url))
    old = MetaData()
    table = Table("sbx_actor", old, Column("id", Integer, primary_key=True), Column("token_hash", String(64)),
                  Column("kind", String(16)), Column("rpps", String(11)), Column("finess", String(9)),
                  Column("role", String(16)), Column("created_at", DateTime(timezone=True)))
    old.create_all(engine)
    created = datetime.now(UTC) - timedelta(days=100)
    with engine.begin() as conn:
        conn.execute(insert(table).values(token_hash=hash_token("old"), kind="prescriber", rpps="10003456786",
                                          created_at=created))
        conn.execute(insert(table).values(token_hash=hash_token("recent"), kind="prescriber", rpps="10003456786",
                                          created_at=datetime.now(UTC) - timedelta(days=10)))
    engine.dispose()
    store = SandboxStore(db_url)
    try:
        assert store.authenticate("recent") == PRESCRIBER
        with pytest.raises(SandboxError) as err:
            store.authenticate("old")
        assert f"expiré le {created + timedelta(days=90):%d/%m/%Y}" in err.value.diagnostics
    finally:
        store.close()
