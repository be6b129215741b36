"""The background helper: results on the GUI thread, French default errors, latest wins, one DB worker."""

from __future__ import annotations

import threading

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
    release = threading.Event()
    # the older lookup answers only after the newer one has answered: its result is dropped all the same
    runner.run(lambda: (release.wait(10), "old")[1], on_success=results.append, kind=NET, latest="lookup")
    runner.run(lambda: "new", on_success=results.append, kind=NET, latest="lookup")
    qtbot.waitUntil(lambda: results == ["new"])
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert results == ["new"]


def test_database_work_is_serialised(qtbot):
    """The first database task holds until released: the others wait for it (none starts), while
    network work goes on meanwhile."""
    runner = TaskRunner()
    started, release, order = threading.Event(), threading.Event(), []

    def first():
        started.set()
        assert release.wait(10)
        order.append("first")

    runner.run(first, kind=DB)
    assert started.wait(10)
    for i in range(4):
        runner.run(lambda i=i: order.append(i), kind=DB)
    network = []
    runner.run(lambda: network.append("net"), kind=NET)
    qtbot.waitUntil(lambda: network == ["net"])
    assert order == []  # nothing ran beside the first one
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert order == ["first", 0, 1, 2, 3]


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
    release = threading.Event()
    runner.run(lambda: (release.wait(10), "late")[1], on_success=lambda v: (seen.append(v), label.setText(v)),
               owner=label)
    destroyed = []
    label.destroyed.connect(lambda: destroyed.append(True))
    label.deleteLater()
    qtbot.waitUntil(lambda: destroyed == [True])  # the widget is gone before the answer comes
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert seen == []
