"""Sending a delivery to a slow service holds up no database task, and loses or doubles nothing.

The real workflow (Counter over SQLite with the bundled catalogue) runs behind the screen; only the
service is a stand-in with the real ServicePort interface, whose ``record_delivery`` waits on an Event
(a slow network) or fails as an unreachable service does.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from app.domain.errors import ServiceUnavailable
from app.domain.prescription import MedicationKind, MedicationRef
from app.ui.tasks import DB
from app.workflow.counter import Counter
from app.workflow.ops import Confirm, IssueBill, SetQuantity
from tests.ui.fakes import NUMBER, prescription, workflow_screen


class SlowRecordService:
    """ServicePort: ``record_delivery`` waits until ``gate`` is set (or fails while ``down``)."""

    def __init__(self, product) -> None:
        self.product = product  # a presentation of the bundled catalogue, prescribed by its CIP13
        self.gate = threading.Event()
        self.sending = threading.Event()
        self.down = False
        self.recorded: list[str] = []
        self.released: list[str] = []
        self.claimed: list[str] = []
        self.releasing = threading.Event()

    def fetch(self, number):
        p = prescription(str(number))
        line = replace(p.lines[0], medication=MedicationRef(MedicationKind.CIP13, self.product.name,
                                                            self.product.cip13))
        return replace(p, lines=(line,))

    def claim(self, number):
        self.claimed.append(str(number))

    def release(self, number):
        self.releasing.set()
        assert self.gate.wait(20), "the test never released the slow release"
        self.released.append(str(number))

    def record_delivery(self, delivery):
        self.sending.set()
        if self.down:
            raise ServiceUnavailable("Service indisponible")
        assert self.gate.wait(20), "the test never released the slow send"
        self.recorded.append(delivery.delivery_id)


@pytest.fixture
def stack(qtbot, catalogue_url, tmp_path):
    screen, service, counter, catalogue, engine = workflow_screen(
        qtbot, catalogue_url, tmp_path, lambda catalogue: SlowRecordService(catalogue.find("doliprane 1000")[0]))
    yield screen, service, counter, catalogue
    service.gate.set()
    screen.runner.wait_idle()
    engine.dispose()


def billed(counter: Counter):
    """A dispensing of the fake ordonnance, every line confirmed by hand, billed."""
    d = counter.start(NUMBER)
    for state in d.lines:  # posology not structured: the quantity is typed
        d = counter.apply(d, SetQuantity(state.line_id, 1)).dispensing
        d = counter.apply(d, Confirm(state.line_id)).dispensing
    return counter.apply(d, IssueBill(tiers_payant=True)).dispensing


def test_a_slow_send_holds_up_no_database_task(qtbot, stack):
    screen, service, counter, catalogue = stack
    d = billed(counter)
    screen._show_dispensing(d)
    assert screen.pages.currentWidget() is screen.billing
    screen.billing.print_check.setChecked(False)
    screen.billing.record_button.click()
    qtbot.waitUntil(service.sending.is_set, timeout=10000)  # the send step starts from the GUI thread
    # recorded locally already (the outbox keeps it), while the service is still answering
    assert counter.outbox.report().pending == 1
    found, pending = [], []
    screen.runner.run(lambda: catalogue.find("doliprane"), on_success=found.append, kind=DB)
    screen.runner.run(counter.pending, on_success=pending.append, kind=DB)
    qtbot.waitUntil(lambda: bool(found) and bool(pending), timeout=5000)
    assert found[0] and pending == [[]]
    assert not service.gate.is_set() and screen.recorded is None
    with qtbot.waitSignal(screen.recording.finished, timeout=10000):
        service.gate.set()
    assert screen.recorded.transmitted and "transmise" in screen.billing.record_label.text()
    assert service.recorded == [d.delivery_id]
    assert counter.outbox.report().pending == 0


def recorded_while_down(qtbot, screen, service, counter):
    """A dispensing billed then recorded (without printing) while the service does not answer."""
    service.down = True
    d = billed(counter)
    screen._show_dispensing(d)
    screen.billing.print_check.setChecked(False)
    with qtbot.waitSignal(screen.recording.finished, timeout=10000):
        screen.billing.record_button.click()
    return d


def test_an_unreachable_service_defers_and_sends_once_later(qtbot, stack):
    screen, service, counter, _catalogue = stack
    d = recorded_while_down(qtbot, screen, service, counter)
    assert "Transmission différée" in screen.billing.record_label.text()
    assert not screen.recorded.transmitted and screen.recorded.delivery.delivery_id == d.delivery_id
    assert counter.outbox.report().pending == 1 and service.recorded == []
    # the service is back: the outbox sends it, once; recording it again sends nothing more
    service.down = False
    service.gate.set()
    counter.outbox.send_pending(everything=True)
    assert service.recorded == [d.delivery_id] and counter.outbox.report().pending == 0
    assert counter.record(d).transmitted
    assert service.recorded == [d.delivery_id]


def test_discarding_claims_nothing_and_a_slow_release_holds_up_no_database_task(qtbot, stack):
    screen, service, counter, _catalogue = stack
    d = counter.start(NUMBER)
    screen.back_to_waiting()
    qtbot.waitUntil(lambda: screen.waiting.pending_list.count() == 1, timeout=5000)
    screen._discard(d.delivery_id)
    qtbot.waitUntil(service.releasing.is_set, timeout=5000)
    # the release waits on the service; the list of dispensings to resume is refreshed meanwhile
    qtbot.waitUntil(lambda: screen.waiting.pending_list.count() == 0, timeout=5000)
    assert counter.pending() == [] and service.claimed == [NUMBER] and service.released == []
    service.gate.set()
    qtbot.waitUntil(lambda: service.released == [NUMBER], timeout=5000)
