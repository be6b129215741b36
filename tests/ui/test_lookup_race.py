"""A new ordonnance scan cancels the lookup still in flight: the second one wins, the first one claims
and stores nothing, and the same ordonnance read twice while it is fetched is fetched once.

The real workflow (Counter over a SQLite database with the bundled catalogue) runs behind the screen;
only the service is a stand-in with the real ServicePort interface, whose fetch of one ordonnance
waits on an Event (a slow network)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from app.catalogue import Catalogue
from app.config import Settings
from app.domain.errors import PrescriptionNotFound, ServiceUnavailable
from app.domain.identifiers import OrdonnanceNumber
from app.storage.db import open_database
from app.wiring import make_counter
from app.workflow.counter import LookupCancelled
from tests.ui.fakes import prescription, workflow_screen

SLOW = OrdonnanceNumber.issue("0123456789ABCDEFGHJ")
FAST = OrdonnanceNumber.issue("0123456789ABCDEFGHK")


class SlowService:
    """ServicePort: ``fetch`` of ``slow`` waits until ``gate`` is set; every call is counted."""

    def __init__(self, slow: str) -> None:
        self.slow = slow
        self.gate = threading.Event()
        self.fetching = threading.Event()
        self.fetched: list[str] = []
        self.claimed: list[str] = []
        self.released: list[str] = []
        self.down = False

    def fetch(self, number):
        number = str(number)
        self.fetched.append(number)
        if self.down:
            raise ServiceUnavailable("Service indisponible : vérifiez la connexion")
        if number not in (str(SLOW), str(FAST)):
            raise PrescriptionNotFound("Ordonnance introuvable : vérifiez le numéro")
        if number == self.slow:
            self.fetching.set()
            assert self.gate.wait(20), "the test never released the slow fetch"
        return prescription(number)

    def claim(self, number):
        self.claimed.append(str(number))
        return None

    def release(self, number):
        self.released.append(str(number))
        return None

    def record_delivery(self, delivery):  # pragma: no cover - not reached in these tests
        raise AssertionError("nothing is recorded here")


@pytest.fixture
def stack(qtbot, catalogue_url, tmp_path):
    screen, service, counter, _catalogue, engine = workflow_screen(
        qtbot, catalogue_url, tmp_path, lambda _catalogue: SlowService(str(SLOW)))
    yield screen, service, counter, screen.scanner
    service.gate.set()
    screen.runner.wait_idle()
    engine.dispose()


def test_a_second_scan_during_a_slow_fetch_wins(qtbot, stack):
    screen, service, counter, bridge = stack
    # typed number + Enter: the slow lookup starts
    qtbot.keyClicks(screen.waiting.number_edit, SLOW.grouped())
    qtbot.keyClick(screen.waiting.number_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(service.fetching.is_set, timeout=10000)  # (is it started here already? then the fetch)
    assert "Recherche de l'ordonnance" in screen.waiting.status_label.text()
    bridge.ordonnance_scanned.emit(str(SLOW))  # the scanner reads the same sheet again: no second fetch
    # another ordonnance scanned meanwhile: it is fetched, claimed and shown at once
    with qtbot.waitSignal(screen.shown, timeout=10000):
        bridge.ordonnance_scanned.emit(str(FAST))
    assert str(screen.dispensing.prescription.number) == str(FAST)

    # the slow fetch comes back: it stops before claiming, and nothing of it reaches the screen
    service.gate.set()
    qtbot.waitUntil(lambda: not screen.runner.busy, timeout=10000)
    assert screen.pages.currentWidget() is screen.dispensing_page
    assert str(screen.dispensing.prescription.number) == str(FAST)
    assert service.fetched == [str(SLOW), str(FAST)]  # the sheet read twice was fetched once
    assert service.claimed == [str(FAST)]
    assert [p.number for p in counter.pending()] == [str(FAST)]
    assert screen.dispensing_page.error_label.text() == ""


def test_the_workflow_stops_a_cancelled_lookup_before_claiming(catalogue_url, tmp_path):
    settings = Settings()
    settings.database.url = catalogue_url
    engine, factory = open_database(catalogue_url)
    service = SlowService("none")
    counter = make_counter(settings, factory, Catalogue(factory), service)
    with pytest.raises(LookupCancelled, match="une autre ordonnance a été scannée"):
        counter.start(str(FAST), cancelled=lambda: len(service.fetched) == 1)
    assert service.fetched == [str(FAST)] and service.claimed == [] and counter.pending() == []
    # superseded while it was being claimed: abandoned at once, the claim released
    with pytest.raises(LookupCancelled):
        counter.start(str(FAST), cancelled=lambda: bool(service.claimed))
    assert service.claimed == service.released == [str(FAST)] and counter.pending() == []
    assert str(counter.start(str(FAST), cancelled=lambda: False).prescription.number) == str(FAST)
    assert service.claimed == [str(FAST), str(FAST)] and len(counter.pending()) == 1
    engine.dispose()


def test_with_the_service_down_a_dispensing_started_here_goes_on_and_another_says_why(qtbot, stack):
    screen, service, counter, bridge = stack
    started = counter.start(str(FAST))
    service.down = True
    with qtbot.waitSignal(screen.shown, timeout=10000):
        bridge.ordonnance_scanned.emit(str(FAST))
    assert screen.dispensing.delivery_id == started.delivery_id
    assert "la réservation de l'ordonnance sera refaite à l'envoi" in screen.dispensing_page.panel.problems_label.text()
    screen.back_to_waiting()
    bridge.ordonnance_scanned.emit(str(SLOW))
    qtbot.waitUntil(lambda: "n'a pas pu être récupérée" in screen.waiting.error_label.text(), timeout=10000)
    assert screen.pages.currentWidget() is screen.waiting
    assert screen.waiting.retry_button.isVisible() and screen.waiting.number_edit.text() == SLOW.grouped()
    assert service.claimed == [str(FAST)]  # nothing claimed while down
