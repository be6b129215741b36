"""No error vanishes in the window: an exception escaping a slot or a worker thread is logged with its
traceback and shown in one error dialog (French summary, "Copier le rapport"), on the GUI thread,
never a flood of dialogs; a task's French refusal keeps its detail in the log."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton

from app.domain.errors import StorageError
from app.ui import error_dialog
from app.ui.error_dialog import ErrorDialog
from app.ui.error_reporter import ErrorReporter

# The hooks under test replace pytest-qt's own capture of exceptions raised in Qt callbacks.
pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def reporter(qtbot):
    hooks = (sys.excepthook, threading.excepthook)
    installed = ErrorReporter()
    installed.install()
    yield installed
    installed.uninstall()
    assert (sys.excepthook, threading.excepthook) == hooks
    if installed.dialog is not None:
        installed.dialog.close()


def _dialogs() -> list[ErrorDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()]


def _raise_nir():
    raise ValueError("patient 2 69 05 49 588 157 80 introuvable")


def test_an_exception_in_a_slot_shows_the_dialog_and_logs_the_traceback(qtbot, reporter, caplog):
    button = QPushButton("essai")
    qtbot.addWidget(button)
    button.clicked.connect(_raise_nir)
    with caplog.at_level(logging.ERROR, logger="app.ui.error_reporter"):
        button.click()
        qtbot.waitUntil(lambda: reporter.dialog is not None)
    dialog = reporter.dialog
    assert dialog.windowTitle() == "Erreur inattendue"
    assert dialog.summary_label.text().startswith("Une erreur inattendue est survenue (ValueError). C'est un "
                                                  "défaut du logiciel")
    assert "aucune donnée de patient" in dialog.summary_label.text()
    logged = caplog.records[-1].getMessage()
    assert "Traceback (most recent call last)" in logged and "in _raise_nir" in logged
    assert "588 157" not in logged and "[NIR masqué]" in logged
    assert "588 157" not in dialog.report and "ValueError: patient [NIR masqué] introuvable" in dialog.report


def test_copy_puts_the_report_on_the_clipboard(qtbot, reporter):
    try:
        _raise_nir()
    except ValueError:
        reporter.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    dialog = reporter.dialog
    QGuiApplication.clipboard().clear()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == dialog.report
    first = copied.splitlines()
    assert first[0].startswith("Comptoir 0.1.0 — rapport d'erreur du ")
    assert first[1].startswith("Système : ") and first[2] == "Où : thread MainThread"
    assert "in _raise_nir" in copied and "588 157" not in copied
    assert dialog.copy_button.text() == "Rapport copié"


def test_a_worker_thread_exception_is_shown_on_the_gui_thread(qtbot, reporter, caplog, monkeypatch):
    built_on = []

    class Spy(ErrorDialog):
        def __init__(self, *args, **kwargs):
            built_on.append(threading.current_thread())
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(error_dialog, "ErrorDialog", Spy)

    def work():
        {}["missing"]

    with caplog.at_level(logging.ERROR, logger="app.ui.error_reporter"):
        worker = threading.Thread(target=work, name="lecteur-test")
        worker.start()
        worker.join()
        logged = [r.getMessage() for r in caplog.records]
        assert any("thread lecteur-test" in m and "KeyError: 'missing'" in m for m in logged)  # logged at once
        qtbot.waitUntil(lambda: reporter.dialog is not None)
    assert built_on == [threading.main_thread()]
    assert "Où : thread lecteur-test" in reporter.dialog.report


def test_one_dialog_at_a_time_counting_repeats_and_others(qtbot, reporter):
    def fail(exc):
        try:
            raise exc
        except Exception:
            reporter.excepthook(*sys.exc_info())

    for _ in range(3):
        fail(RuntimeError("same"))
    fail(KeyError("other"))
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.others == 1)
    assert len(_dialogs()) == 1
    dialog = reporter.dialog
    assert (dialog.repeats, dialog.others) == (2, 1)
    assert dialog.count_label.text() == ("Cette erreur s'est reproduite 2 fois. "
                                         "Autres erreurs depuis : 1 (voir le rapport et le journal).")
    assert dialog.report.count("Traceback") == 2 and "KeyError: 'other'" in dialog.report
    dialog.close_button.click()
    qtbot.waitUntil(lambda: reporter.dialog is None)
    fail(RuntimeError("same"))
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    assert reporter.dialog is not dialog and reporter.dialog.repeats == 0


def test_the_dialog_in_english(qtbot, reporter):
    from app.ui.translations import install_translators

    app = QApplication.instance()
    translators = install_translators(app, "en")
    try:
        dialog = ErrorDialog("report", "ValueError")
        qtbot.addWidget(dialog)
        dialog.add("another", same=True)
        assert dialog.windowTitle() == "Unexpected error"
        assert dialog.copy_button.text() == "Copy the report"
        assert dialog.close_button.text() == "Close"
        assert dialog.summary_label.text().startswith("An unexpected error occurred (ValueError).")
        assert dialog.count_label.text() == "This error happened again 1 time."
    finally:
        for translator in translators:
            app.removeTranslator(translator)


def test_a_bug_while_opening_the_window_shows_the_dialog_before_exiting(qtbot, monkeypatch):
    from app.config import load_settings
    from app.ui import main

    shown = []
    monkeypatch.setattr(main, "check_display", lambda: None)
    monkeypatch.setattr(error_dialog, "ErrorDialog", lambda report, name: type(
        "Shown", (), {"exec": lambda self: shown.append((name, report))})())

    def broken(settings, runner):
        raise AttributeError("'NoneType' object has no attribute 'attach'")

    monkeypatch.setattr(main, "open_window", broken)
    hooks = (sys.excepthook, threading.excepthook)
    with pytest.raises(AttributeError):
        main.run(load_settings(env={}))
    assert shown and shown[0][0] == "AttributeError" and "in broken" in shown[0][1]
    assert (sys.excepthook, threading.excepthook) == hooks  # the hooks are taken down again


def test_a_task_refusal_keeps_its_detail_and_traceback_in_the_log(qtbot, caplog):
    from app.ui.tasks import TaskRunner

    runner = TaskRunner()
    failures = []

    def refuse():
        raise StorageError("Base de données inaccessible", detail="OperationalError: disk I/O error")

    with caplog.at_level(logging.WARNING, logger="app.ui.tasks"):
        runner.run(refuse, on_failure=lambda message, exc: failures.append(message))
        qtbot.waitUntil(lambda: bool(failures))
    assert failures == ["Base de données inaccessible"]
    record = next(r for r in caplog.records if r.name == "app.ui.tasks")
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "background task refused: StorageError: OperationalError: disk I/O error"
    assert record.exc_info[1].detail == "OperationalError: disk I/O error"
    assert "in refuse" in caplog.text
    QCoreApplication.processEvents()
