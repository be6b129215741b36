"""The outbox: kept while the service is down, retried with a growing delay, a refusal kept aside, and
a delivery the service never takes put aside after a bounded number of attempts, then requeued."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.domain.delivery import Delivery
from app.domain.errors import RuleViolation, ServiceUnavailable
from app.domain.records import OutboxItem, SendStatus
from app.printing.specimen import specimen_delivery
from app.storage.counter_store import CounterStore
from app.storage.db import open_database
from app.workflow.outbox import DEFERRED, Outbox, SendOutcome, retry_delay

T0 = datetime(2026, 11, 26, 9, 0)


class ScriptedService:
    """The service client's interface; ``record_delivery`` raises the scripted errors, then accepts."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.received: list[Delivery] = []
        self.released: list[str] = []

    def fetch(self, number):  # pragma: no cover - not used here
        raise NotImplementedError

    def claim(self, number) -> None:
        return None

    def release(self, number) -> None:
        self.released.append(str(number))

    def record_delivery(self, delivery: Delivery) -> None:
        if self.errors:
            raise self.errors.pop(0)
        self.received.append(delivery)


class DownService(ScriptedService):
    """Answers 503 to every delivery, forever (a request it will never accept)."""

    def record_delivery(self, delivery: Delivery) -> None:
        raise ServiceUnavailable("Service indisponible (503)")


def stored(db_url: str, *ids: str) -> CounterStore:
    """A store whose outbox holds a specimen delivery per id, as recording writes them."""
    from app.domain.dispensing import Dispensing
    from tests.domain.builders import daily_line, prescription

    _, factory = open_database(db_url)
    store = CounterStore(factory)
    for i, delivery_id in enumerate(ids):
        delivery = specimen_delivery(lines=2)
        d = Dispensing.begin(delivery_id, prescription(daily_line("l1", "X")), T0)
        store.record(d, Delivery(**{**delivery.__dict__, "delivery_id": delivery_id}), T0 + timedelta(seconds=i))
    return store


def due_ids(store: CounterStore, at: datetime) -> list[str]:
    return [item.delivery.delivery_id for item in store.due(at)]


def test_down_then_retried_with_a_growing_delay(db_url):
    store = stored(db_url, "a", "b")
    down = ScriptedService(ServiceUnavailable("Service indisponible"), ServiceUnavailable("Service indisponible"))
    clock = [T0]
    outbox = Outbox(store, down, lambda: clock[0])
    report = outbox.send_pending()
    assert (report.sent, report.pending, report.failed) == (0, 2, 0)  # stopped at the first: the service is down
    assert due_ids(store, T0 + timedelta(seconds=1)) == ["b"]
    assert due_ids(store, T0 + timedelta(seconds=30)) == ["a", "b"]
    clock[0] = T0 + timedelta(seconds=30)
    outbox.send_pending()  # "a" fails again: its next try waits 60 s
    assert store.outbox("a").attempts == 2 and due_ids(store, T0 + timedelta(seconds=60)) == ["b"]
    clock[0] = T0 + timedelta(minutes=5)
    report = outbox.send_pending()
    assert (report.sent, report.pending) == (2, 0)
    assert [d.delivery_id for d in down.received] == ["a", "b"]
    assert down.released == [str(d.number) for d in down.received]  # the claim is given back once sent
    assert outbox.send_pending().sent == 0  # nothing sent twice
    kept = store.outbox("a").delivery  # the record kept whole, with its ordonnancier numbers
    assert [line.items for line in kept.lines] == [line.items for line in specimen_delivery(lines=2).lines]
    assert all(line.ordonnancier_numbers for line in kept.lines if line.delivered)


def test_sending_touches_no_database_and_marking_sends_nothing(db_url):
    """The network half only asks the service; the database half only writes what it answered."""
    store = stored(db_url, "n")
    service = ScriptedService(ServiceUnavailable("Service indisponible"))
    outbox = Outbox(store, service, lambda: T0)
    (item,) = outbox.due()
    tried = outbox.send_all([item])
    assert tried == [(item, SendOutcome(False, "Service indisponible", retry=True))]
    assert store.outbox("n") == item  # nothing written by the send
    report = outbox.mark_all(tried)
    assert (report.sent, report.pending) == (0, 1) and service.received == []
    assert store.outbox("n").attempts == 1 and store.outbox("n").last_error == "Service indisponible"
    assert outbox.send(OutboxItem(item.delivery, SendStatus.SENT, 1)) == SendOutcome(True)  # sent: not again
    assert service.received == []


def test_a_refusal_is_kept_aside_with_its_message(db_url):
    store = stored(db_url, "c")
    refused = ScriptedService(RuleViolation("Quantité supérieure à ce qui reste à délivrer"))
    outbox = Outbox(store, refused, lambda: T0)
    (item,) = outbox.due()
    message = outbox.mark(item, outbox.send(item))
    assert message == "Transmission refusée par le service : Quantité supérieure à ce qui reste à délivrer"
    kept = store.outbox("c")
    assert kept.status is SendStatus.FAILED and kept.last_error == message
    assert store.due(T0 + timedelta(days=1)) == []
    assert outbox.refused() == [kept]
    assert outbox.requeue("c") and not outbox.requeue("c")
    report = outbox.send_pending()
    assert (report.sent, report.failed) == (1, 0) and outbox.refused() == []


def test_a_service_that_never_takes_it_is_given_up_after_the_maximum_then_requeued(db_url):
    store = stored(db_url, "f")
    clock = [T0]
    outbox = Outbox(store, DownService(), lambda: clock[0], max_attempts=4)
    messages = []
    for _ in range(4):
        (item,) = outbox.due()
        messages.append(outbox.mark(item, outbox.send(item)))
        clock[0] += retry_delay(item.attempts + 1)
    assert messages[:3] == [DEFERRED] * 3
    assert messages[3] == ("Transmission abandonnée après 4 tentatives (dernière réponse : Service indisponible "
                           "(503)). Vérifiez le service, puis renvoyez la délivrance.")
    (aside,) = outbox.refused()
    assert aside.status is SendStatus.FAILED and aside.attempts == 4 and aside.last_error == messages[3]
    assert outbox.due(everything=True) == []  # no longer retried in silence
    assert outbox.report().failed == 1 and outbox.report().pending == 0
    # « renvoyer »: queued again at once, its attempts counted afresh
    assert outbox.requeue("f")
    (again,) = outbox.due()
    assert again.attempts == 0 and again.status is SendStatus.PENDING
    outbox.client = ScriptedService()
    assert outbox.send_pending().sent == 1 and store.outbox("f").status is SendStatus.SENT


def test_waiting_lists_pending_and_put_aside_and_resend_queues_again(db_url):
    store = stored(db_url, "w1", "w2", "w3")
    outbox = Outbox(store, ScriptedService(RuleViolation("Refusée")), lambda: T0)
    item = store.outbox("w2")
    outbox.mark(item, outbox.send(item))
    outbox.client = ScriptedService()
    item = store.outbox("w3")
    outbox.mark(item, outbox.send(item))  # sent: no longer waiting
    waiting = outbox.waiting()
    assert [(i.delivery.delivery_id, i.status) for i in waiting] == [("w1", SendStatus.PENDING),
                                                                     ("w2", SendStatus.FAILED)]
    assert waiting[0].since == T0 and waiting[1].since == T0 + timedelta(seconds=1)
    again = outbox.resend_item("w2")  # « Renvoyer »: queued again, then sent now
    assert again.status is SendStatus.PENDING and again.attempts == 0
    assert outbox.mark(again, outbox.send(again)) == ""
    assert [i.delivery.delivery_id for i in outbox.waiting()] == ["w1"]
    assert outbox.resend_item("w3") is None and outbox.resend_item("nope") is None


def test_the_delays_grow_to_an_hour():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 30)] == [30, 60, 120, 1920, 3600, 3600]


def test_command_line_lists_sends_and_requeues(db_url, capsys, monkeypatch):
    from app.cli import main

    store = stored(db_url, "d", "e")
    outbox = Outbox(store, ScriptedService(RuleViolation("Ordonnance déjà délivrée")), lambda: T0)
    item = store.outbox("e")
    outbox.mark(item, outbox.send(item))
    assert main(["--db", db_url, "outbox"]) == 0
    out = capsys.readouterr().out
    assert "En attente : 1" in out and "Mises de côté : 1" in out
    # issue 14 point 3: each one listed: number as printed, patient, since when, state, last error
    listed = [line for line in out.splitlines() if line.startswith("  ")]
    assert len(listed) == 2
    d = store.outbox("e").delivery
    assert listed[1].startswith(f"  {d.number.grouped()} — {d.patient.display_name} — depuis le 26/11/2026 09:00")
    assert "mise de côté — dernière erreur : Transmission refusée par le service : Ordonnance déjà délivrée" in listed[1]
    assert listed[0].endswith("en attente (0 tentative) — id d")
    assert main(["--db", db_url, "outbox", "--retry", "nope"]) == 1
    monkeypatch.setenv("COMPTOIR_SERVICE_BASE_URL", "http://127.0.0.1:9/fhir")  # nothing listens there
    monkeypatch.setenv("COMPTOIR_SERVICE_TIMEOUT_S", "1")
    assert main(["--db", db_url, "outbox", "--retry", "e", "--send"]) == 0
    out = capsys.readouterr().out
    assert "remise en file" in out and "Transmises : 0" in out and "En attente : 2" in out


def test_a_late_failure_does_not_undo_a_send_that_got_through(db_url):
    # Two sends overlap (the outbox timer and "Enregistrer"): one succeeds, the other then fails.
    store = stored(db_url, "d")
    outbox = Outbox(store, ScriptedService(), lambda: T0)
    (item,) = outbox.due()
    outbox.mark(item, SendOutcome(True))
    outbox.mark(item, SendOutcome(False, "Service indisponible", retry=True))
    kept = store.outbox("d")
    assert kept.status is SendStatus.SENT and kept.last_error == ""
    assert store.due(T0 + timedelta(days=1)) == []
