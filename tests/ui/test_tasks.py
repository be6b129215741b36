"""The background helper: results on the GUI thread, French default errors, latest wins, one DB worker."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread

from app.domain.errors import StorageError
from app.ui.tasks import DB, NET, TaskRunner


def test_success_is_delivered_on_the_gui_thread(qtbot):
    runner = TaskRunner()
    seen = {}

    def work():
        seen["worker"] = threading.get_ident()
        return 42

    def done(value):
        seen["value"] = value
        seen["gui"] = QThread.currentThread() is runner.thread()

    runner.run(work, on_success=done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 42 and seen["gui"]
    assert seen["worker"] != threading.get_ident()


def test_failure_message_is_french(qtbot):
    runner = TaskRunner()
    messages = []
    runner.run(lambda: 1 / 0, on_failure=lambda message, exc: messages.append((message, type(exc))))
    runner.run(lambda: (_ for _ in ()).throw(StorageError("Base de données inaccessible")),
               on_failure=lambda message, exc: messages.append((message, type(exc))))
    qtbot.waitUntil(lambda: len(messages) == 2)
    assert messages[0][0].startswith("Une erreur inattendue") and messages[0][1] is ZeroDivisionError
    assert messages[1] == ("Base de données inaccessible", StorageError)


def test_unhandled_failure_goes_to_the_failed_signal(qtbot):
    runner = TaskRunner()
    with qtbot.waitSignal(runner.failed) as blocker:
        runner.run(lambda: 1 / 0)
    assert "inattendue" in blocker.args[0]


def test_latest_wins(qtbot):
    runner = TaskRunner()
    results = []
    runner.run(lambda: (time.sleep(0.2), "old")[1], on_success=results.append, kind=NET, latest="lookup")
    runner.run(lambda: "new", on_success=results.append, kind=NET, latest="lookup")
    qtbot.waitUntil(lambda: not runner.busy)
    assert results == ["new"]


def test_database_work_is_serialised(qtbot):
    runner = TaskRunner()
    active, peak, lock = [0], [0], threading.Lock()

    def work():
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.02)
        with lock:
            active[0] -= 1

    for _ in range(5):
        runner.run(work, kind=DB)
    qtbot.waitUntil(lambda: not runner.busy)
    assert peak[0] == 1


def test_busy_signal(qtbot):
    runner = TaskRunner()
    states = []
    runner.busy_changed.connect(states.append)
    runner.run(lambda: None)
    qtbot.waitUntil(lambda: not runner.busy)
    assert states == [True, False]


def test_result_for_a_deleted_owner_is_dropped(qtbot):
    from PySide6.QtWidgets import QLabel

    runner = TaskRunner()
    label = QLabel()
    seen = []
    runner.run(lambda: (time.sleep(0.05), "late")[1], on_success=lambda v: (seen.append(v), label.setText(v)),
               owner=label)
    label.deleteLater()
    qtbot.waitUntil(lambda: not runner.busy)
    assert seen == []
