"""Live shared state: events published in a writer's transaction reach the other workstations'
listeners — LISTEN/NOTIFY on PostgreSQL across processes, through a killed connection; polling on
SQLite, in order."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest
import sqlalchemy as sa

from app.storage.db import open_database, transaction
from app.storage.notify import (
    Backoff,
    Event,
    ListenerState,
    Notifier,
    PollingListener,
    PostgresListener,
    listener_for,
    psycopg_params,
    publish,
)
from tests.conftest import fresh_pg_schema
from tests.team import procs


class Inbox:
    """What a listener delivered (events and statuses), and a way to wait for it without sleeping blind."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.statuses = []
        self._changed = threading.Condition()

    def event(self, event: Event) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def status(self, status) -> None:
        with self._changed:
            self.statuses.append(status)
            self._changed.notify_all()

    def wait(self, predicate, timeout: float = 20.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout)


def _publish(factory, channel: str, payload: dict) -> None:
    with transaction(factory) as session:
        publish(session, channel, payload)


# --- SQLite: polling -------------------------------------------------------------------------------


@pytest.fixture
def sqlite_db(sqlite_url):
    engine, factory = open_database(sqlite_url)
    yield sqlite_url, engine, factory
    engine.dispose()


def test_polling_delivers_in_order_only_the_channels_listened_to(sqlite_db):
    url, engine, factory = sqlite_db
    _publish(factory, "queue", {"n": 0})  # before the listener: not replayed
    inbox = Inbox()
    listener = PollingListener(engine, ["queue", "claims"], inbox.event, inbox.status)
    assert listener.poll_once() == []
    for n in range(1, 6):
        _publish(factory, "queue" if n % 2 else "claims", {"n": n})
    _publish(factory, "users", {"n": 99})
    delivered = listener.poll_once()
    assert [(e.channel, e.payload["n"]) for e in delivered] == [
        ("queue", 1), ("claims", 2), ("queue", 3), ("claims", 4), ("queue", 5)]
    assert delivered == inbox.events and [e.id for e in delivered] == sorted(e.id for e in delivered)
    assert listener.poll_once() == []


def test_a_rolled_back_transaction_publishes_nothing(sqlite_db):
    _, engine, factory = sqlite_db
    listener = PollingListener(engine, ["queue"], lambda e: None)
    listener.poll_once()
    with pytest.raises(RuntimeError), transaction(factory) as session:
        publish(session, "queue", {"n": 1})
        raise RuntimeError("no")
    _publish(factory, "queue", {"n": 2})
    assert [e.payload for e in listener.poll_once()] == [{"n": 2}]


def test_the_polling_thread_delivers_and_stops(sqlite_db):
    url, _, factory = sqlite_db
    inbox = Inbox()
    with listener_for(url, ["deliveries"], inbox.event, inbox.status, interval=0.05) as listener:
        assert isinstance(listener, PollingListener)
        assert inbox.wait(lambda i: any(s.state is ListenerState.LISTENING for s in i.statuses))
        _publish(factory, "deliveries", {"delivery_id": "D1"})
        assert inbox.wait(lambda i: i.events)
    assert inbox.events[0].payload == {"delivery_id": "D1"}
    assert inbox.statuses[-1].state is ListenerState.STOPPED


def test_a_reader_that_fell_behind_the_pruning_is_told_to_reload(sqlite_db, monkeypatch):
    from app.storage import notify

    monkeypatch.setattr(notify, "KEEP_EVENTS", 5)
    monkeypatch.setattr(notify, "_PRUNE_EVERY", 5)
    _, engine, factory = sqlite_db
    inbox = Inbox()
    listener = PollingListener(engine, ["queue"], inbox.event, inbox.status)
    listener.poll_once()
    for n in range(12):
        _publish(factory, "queue", {"n": n})
    delivered = listener.poll_once()
    assert [e.payload["n"] for e in delivered] == list(range(5, 12))  # 1..5 pruned at the 10th
    assert inbox.statuses[-1].resumed and "perdues" in inbox.statuses[-1].message


def test_a_callback_that_raises_does_not_stop_the_others(sqlite_db, caplog):
    url, _, factory = sqlite_db
    notifier = Notifier(url, interval=0.05)
    got = Inbox()

    def broken(_event):
        raise ValueError("bug in a screen")

    notifier.subscribe("queue", broken)
    unsubscribe = notifier.subscribe("queue", got.event)
    notifier.on_status(got.status)
    notifier.start()
    try:
        assert got.wait(lambda i: any(s.state is ListenerState.LISTENING for s in i.statuses))
        _publish(factory, "queue", {"n": 1})
        assert got.wait(lambda i: len(i.events) == 1)
        unsubscribe()
        notifier.subscribe("users", got.event)
        _publish(factory, "queue", {"n": 2})  # nobody listens to it any more
        _publish(factory, "users", {"n": 4})  # delivered after n° 2: n° 2 was dropped by then
        assert got.wait(lambda i: len(i.events) == 2)
    finally:
        notifier.stop()
    assert [e.payload["n"] for e in got.events] == [1, 4]
    assert "subscriber of queue failed" in caplog.text and "bug in a screen" in caplog.text


def test_channels_and_payloads_are_checked():
    with pytest.raises(ValueError, match="unknown channel"):
        PollingListener("sqlite://", ["coffee"], lambda e: None)
    with pytest.raises(ValueError, match="patient data"):
        publish(None, "queue", {"patient_name": "DUPONT"})


# --- PostgreSQL: LISTEN/NOTIFY ---------------------------------------------------------------------


@pytest.fixture
def pg_db(pg_url):
    engine, factory = open_database(pg_url)
    yield pg_url, engine, factory
    engine.dispose()


def test_the_libpq_parameters_keep_the_schema_and_add_keepalives(pg_url):
    params = psycopg_params(pg_url)
    assert params["options"].startswith("-csearch_path=t_") and params["keepalives"] == 1
    assert params["dbname"] and params["host"]


def test_a_notify_from_another_process_reaches_this_one(pg_db):
    url, _, _ = pg_db
    inbox = Inbox()
    ctx = multiprocessing.get_context("spawn")
    ready, go = ctx.Event(), ctx.Event()
    child = ctx.Process(target=procs.publisher, args=(url, "queue", {"preparation": "P-17"}, ready, go))
    with PostgresListener(url, ["queue", "claims"], inbox.event, inbox.status):
        assert inbox.wait(lambda i: any(s.state is ListenerState.LISTENING for s in i.statuses))
        child.start()
        assert ready.wait(60)
        sent = time.monotonic()
        go.set()
        assert inbox.wait(lambda i: i.events, timeout=30)
        latency = time.monotonic() - sent
    child.join(60)
    assert child.exitcode == 0
    assert [(e.channel, e.payload) for e in inbox.events] == [("queue", {"preparation": "P-17"})]
    print(f"NOTIFY latency across processes: {latency * 1000:.0f} ms")


def test_the_listener_survives_its_connection_being_killed(pg_db):
    url, engine, factory = pg_db
    inbox = Inbox()
    listener = PostgresListener(url, ["claims"], inbox.event, inbox.status, backoff=Backoff(first=0.05), poll=0.1)
    with listener:
        assert inbox.wait(lambda i: listener.backend_pid is not None and i.statuses[-1].state is ListenerState.LISTENING)
        killed = listener.backend_pid
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": killed}).scalar_one()
        assert inbox.wait(lambda i: any(s.state is ListenerState.DISCONNECTED for s in i.statuses))
        assert inbox.wait(lambda i: i.statuses[-1].state is ListenerState.LISTENING and i.statuses[-1].resumed)
        assert listener.backend_pid not in (None, killed)
        _publish(factory, "claims", {"number": "N1", "change": "opened"})
        assert inbox.wait(lambda i: i.events)
    disconnected = next(s for s in inbox.statuses if s.state is ListenerState.DISCONNECTED)
    assert "Serveur de la pharmacie injoignable" in disconnected.message
    assert inbox.events[0].payload == {"number": "N1", "change": "opened"}


def test_an_unreachable_server_is_reported_and_retried(pg_url):
    dead = pg_url.replace("127.0.0.1:5432", "127.0.0.1:9")
    inbox = Inbox()
    with PostgresListener(dead, ["queue"], inbox.event, inbox.status, backoff=Backoff(first=0.05)):
        assert inbox.wait(lambda i: sum(s.state is ListenerState.DISCONNECTED for s in i.statuses) >= 2)
    assert inbox.statuses[-1].state is ListenerState.STOPPED and not inbox.events


def test_two_schemas_do_not_hear_each_other(pg_db):
    """A second schema on the same server: a second pharmacy. PostgreSQL delivers notifications in the
    order their transactions committed, so once ours arrives, the other one would have come first."""
    url, _, factory = pg_db
    second = fresh_pg_schema()
    other_engine, other_factory = open_database(next(second))
    inbox = Inbox()
    try:
        with PostgresListener(url, ["users"], inbox.event, inbox.status):
            assert inbox.wait(lambda i: any(s.state is ListenerState.LISTENING for s in i.statuses))
            _publish(other_factory, "users", {"pharmacy": "other"})
            _publish(factory, "users", {"pharmacy": "ours"})
            assert inbox.wait(lambda i: i.events)
    finally:
        other_engine.dispose()
        second.close()
    assert [e.payload for e in inbox.events] == [{"pharmacy": "ours"}]
