"""Issue 14 point 3: a delivery recorded while the service is down is seen as « non transmise » on
the waiting screen and in the history (number as printed, patient, since when, last error), and
« Renvoyer » sends it through the workflow off the GUI thread (real Counter over SQLite; only the
service is a stand-in)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.config import Settings
from app.ui.history_view import HistoryView
from app.wiring import make_history
from tests.ui import test_slow_send
from tests.ui.test_slow_send import recorded_while_down

stack = test_slow_send.stack  # the same stack: the real workflow, a stand-in service


def _cells(model, row: int) -> list[str]:
    return [model.data(model.index(row, c), Qt.ItemDataRole.DisplayRole) for c in range(model.columnCount())]


def test_a_delivery_not_transmitted_is_listed_and_sent_again(qtbot, stack, tmp_path):
    screen, service, counter, _catalogue = stack
    d = recorded_while_down(qtbot, screen, service, counter)
    screen.back_to_waiting()
    panel = screen.outbox_panel
    qtbot.waitUntil(lambda: panel.outbox_model.rowCount() == 1 and not screen.runner.busy, timeout=10000)
    assert panel.isVisibleTo(screen.waiting)
    number, patient, since, state, error = _cells(panel.outbox_model, 0)
    assert number == d.prescription.number.grouped() and " " in number
    assert patient == d.prescription.patient.display_name
    assert since[:2].isdigit() and "/" in since
    assert "non transmise" in state and "Service indisponible" in error
    assert "(Ctrl+R)" in panel.resend_button.text()

    # the history says so too, with the same « Renvoyer »
    settings = Settings()
    settings.printer.pdf_dir = str(tmp_path / "pdf")
    history = HistoryView(make_history(settings, counter_factory(counter)), screen.runner, settings,
                          outbox=counter.outbox)
    qtbot.addWidget(history)
    history.show()
    qtbot.waitUntil(lambda: history.results_model.rowCount() == 1 and history.waiting is not None
                    and not screen.runner.busy, timeout=10000)
    assert "non transmise" in _cells(history.results_model, 0)[3]
    assert history.outbox_panel.outbox_model.rowCount() == 1 and history.outbox_panel.isVisibleTo(history)

    # the service is back: « Renvoyer » (its key) sends it now, once
    service.down = False
    service.gate.set()
    history.hide()
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=5000)
    panel.outbox_view.setFocus()
    qtbot.keyClick(panel.outbox_view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.outbox_model.rowCount() == 0 and not screen.runner.busy, timeout=10000)
    assert "transmise au service" in panel.outbox_status.text()
    assert service.recorded == [d.delivery_id] and counter.outbox.waiting() == []
    assert not panel.isVisibleTo(screen.waiting)
    history.outbox_panel.refresh()
    qtbot.waitUntil(lambda: not screen.runner.busy and history.outbox_panel.outbox_model.rowCount() == 0,
                    timeout=10000)
    assert "✔ transmise" in _cells(history.results_model, 0)[3]
    assert not history.outbox_panel.isVisibleTo(history)  # nothing waits: the results get the room


def counter_factory(counter):
    """The session factory of the counter's store (the archive lives in the same database)."""
    return counter.store.factory
