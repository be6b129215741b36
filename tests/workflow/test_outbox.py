"""The outbox: kept while the service is down, retried with a growing delay, a refusal kept aside."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.domain.delivery import Delivery
from app.domain.errors import RuleViolation, ServiceUnavailable
from app.printing.specimen import specimen_delivery
from app.storage.db import open_database, transaction
from app.workflow.outbox import OutboxSender, send_one
from app.workflow.store import CounterStore

T0 = datetime(2026, 11, 26, 9, 0)


class ScriptedService:
    """The service client's interface; ``record_delivery`` raises the scripted errors, then accepts."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.received: list[Delivery] = []

    def fetch(self, number):  # pragma: no cover - not used here
        raise NotImplementedError

    def claim(self, number) -> None:
        return None

    def release(self, number) -> None:
        return None

    def record_delivery(self, delivery: Delivery) -> None:
        if self.errors:
            raise self.errors.pop(0)
        self.received.append(delivery)


def stored(db_url: str, *ids: str) -> CounterStore:
    _, factory = open_database(db_url)
    store = CounterStore(factory)
    with transaction(factory) as session:
        for i, delivery_id in enumerate(ids):
            delivery = specimen_delivery(lines=2)
            store.add_outbox(session, Delivery(**{**delivery.__dict__, "delivery_id": delivery_id}), T0 + timedelta(seconds=i))
    return store


def test_down_then_retried_with_a_growing_delay(db_url):
    store = stored(db_url, "a", "b")
    down = ScriptedService(ServiceUnavailable("Service indisponible"), ServiceUnavailable("Service indisponible"))
    clock = [T0]
    sender = OutboxSender(store, down, lambda: clock[0])
    report = sender.send_due()
    assert (report.sent, report.pending, report.failed) == (0, 2, 0)  # stopped at the first: the service is down
    assert store.due(T0 + timedelta(seconds=1)) == ["b"]
    assert store.due(T0 + timedelta(seconds=30)) == ["a", "b"]
    clock[0] = T0 + timedelta(seconds=30)
    sender.send_due()  # "a" fails again: its next try waits 60 s
    assert store.outbox("a").attempts == 2 and store.due(T0 + timedelta(seconds=60)) == ["b"]
    clock[0] = T0 + timedelta(minutes=5)
    report = sender.send_due()
    assert (report.sent, report.pending) == (2, 0)
    assert [d.delivery_id for d in down.received] == ["a", "b"]
    assert sender.send_due().sent == 0  # nothing sent twice
    assert store.outbox("a").delivery.lines == specimen_delivery(lines=2).lines  # the record kept whole


def test_a_refusal_is_kept_aside_with_its_message(db_url):
    store = stored(db_url, "c")
    refused = ScriptedService(RuleViolation("Quantité supérieure à ce qui reste à délivrer"))
    outcome = send_one(store, refused, "c", T0)
    assert not outcome.sent and outcome.permanent and "reste à délivrer" in outcome.message
    item = store.outbox("c")
    assert item.status == "failed" and "reste à délivrer" in item.last_error
    assert store.due(T0 + timedelta(days=1)) == []
    assert store.failed() == [("c", item.delivery.number, item.last_error)]
    assert store.requeue("c", T0) and not store.requeue("c", T0)
    assert send_one(store, refused, "c", T0).sent and store.failed() == []


def test_command_line_lists_sends_and_requeues(db_url, capsys, monkeypatch):
    from app.cli import main

    store = stored(db_url, "d", "e")
    send_one(store, ScriptedService(RuleViolation("Ordonnance déjà délivrée")), "e", T0)
    assert main(["--db", db_url, "outbox"]) == 0
    out = capsys.readouterr().out
    assert "En attente : 1" in out and "Refusée : e" in out and "déjà délivrée" in out
    assert main(["--db", db_url, "outbox", "--retry", "nope"]) == 1
    monkeypatch.setenv("COMPTOIR_SERVICE_BASE_URL", "http://127.0.0.1:9/fhir")  # nothing listens there
    monkeypatch.setenv("COMPTOIR_SERVICE_TIMEOUT_S", "1")
    assert main(["--db", db_url, "outbox", "--retry", "e", "--send"]) == 0
    out = capsys.readouterr().out
    assert "remise en file" in out and "Transmises : 0" in out and "En attente : 2" in out


def test_a_late_failure_does_not_undo_a_send_that_got_through(db_url):
    # Two sends overlap (the outbox timer and "Enregistrer"): one succeeds, the other then fails.
    store = stored(db_url, "d")
    store.mark("d", T0, sent=True)
    store.mark("d", T0 + timedelta(seconds=1), sent=False, error="Service indisponible")
    item = store.outbox("d")
    assert item.status == "sent" and item.last_error == ""
    assert store.due(T0 + timedelta(days=1)) == []

