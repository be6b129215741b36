"""Entry point of the window: ``run(settings) -> exit code`` (called by ``comptoir gui`` and the demo).

Why this order: the window is shown first (fast first paint), the database and the first catalogue
import run on the database worker with a progress dialog, and the screens appear once ready.
"""

from __future__ import annotations

import gc
import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.config import Settings
from app.domain.errors import ComptoirError, ConfigurationError
from app.logs import error_report
from app.ui.error_reporter import ErrorReporter
from app.ui.main_window import MainWindow
from app.ui.platform_check import check_display
from app.ui.startup import Startup
from app.ui.tasks import TaskRunner
from app.ui.translations import install_translators

if TYPE_CHECKING:
    from app.wiring import Services

log = logging.getLogger(__name__)


def application(language: str = "fr") -> QApplication:
    """The QApplication (created once) with the translators for ``language``."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Comptoir")
    app.setOrganizationName("Comptoir")
    if not getattr(app, "_comptoir_translators", None):
        app._comptoir_translators = install_translators(app, language)
    return app


class CatalogueProgress:
    """The first start's catalogue import, shown in a progress dialog over the window.

    The dialog is built at the first progress report (after the first paint: the services open then),
    not with the window: most starts import nothing and never need it.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog = None

    @staticmethod
    def _build(window: MainWindow):
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressDialog

        dialog = QProgressDialog(window)
        dialog.setWindowTitle(window.tr("Premier démarrage"))
        dialog.setLabelText(window.tr("Import du catalogue des médicaments…"))
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        return dialog

    def update(self, done: int, total: int, message: str) -> None:
        if self.dialog is None:
            self.dialog = self._build(self.window)
        dialog = self.dialog
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        if message:
            dialog.setLabelText(message)

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()


class AfterFirstPaint(QObject):
    """Calls ``then`` once, just after the window's first paint (at the latest after ``fallback_ms``).

    Why: opening the services imports the catalogue, database, service-client, camera and printing
    stacks on the database worker; started before the first paint, that worker competes with the GUI
    thread (the interpreter lock, and the CPU on a loaded counter PC) while the window is shown (issue 14:
    the first window's time). The fallback covers a window that is never exposed.
    """

    def __init__(self, window: MainWindow, then, fallback_ms: int = 300) -> None:
        super().__init__(window)  # owned by the window: no Python reference cycle keeps either alive
        self._then = then
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self.fire)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self.fire)  # once this paint is done
        return False

    def fire(self) -> None:
        if self._then is not None:
            self.parent().removeEventFilter(self)
            then, self._then = self._then, None
            then()


def open_window(settings: Settings, runner: TaskRunner) -> tuple[MainWindow, Startup]:
    """Show the main window and start opening the services behind it, once it has been painted."""
    window = MainWindow(settings, runner)
    window.showMaximized()  # the counter screen is the pharmacist's whole desk: every column visible
    progress = CatalogueProgress(window)
    startup = Startup(settings, runner, window)
    startup.progress.connect(progress.update)

    def ready(services: Services) -> None:
        progress.close()
        window.attach(services)

    def failed(message: str) -> None:
        progress.close()
        window.show_fatal(message)

    startup.ready.connect(ready)
    startup.failed.connect(failed)
    AfterFirstPaint(window, startup.start)
    return window, startup


def close_down(window: MainWindow, runner: TaskRunner, *, timeout_ms: int = 10000) -> None:
    """Take everything Qt down, in order, while the QApplication still exists.

    Why: PySide objects left to the interpreter's final garbage collection (the application-wide
    wedge event filter, the windows, the thread pools and their queued results) may be destroyed
    after the QApplication, which crashes the exit now and then ("Fatal Python error … Garbage-
    collecting"). So: scanners stopped and the event filter removed, the window closed, the
    background work finished and delivered, the services closed, then the window and the runner
    deleted and the deferred deletions processed.
    """
    app = QApplication.instance()
    counter = getattr(window, "counter", None)
    if counter is not None:
        counter.shutdown()  # readers stopped, wedge filter removed, printing waited for
    window.close()
    if not runner.wait_idle(timeout_ms):
        log.warning("background work still running at exit")
    if window.services is not None:
        window.services.close()
    window.deleteLater()
    if runner.parent() is None:
        runner.deleteLater()
    if app is not None:
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    gc.collect()


def release_application() -> None:
    """Destroy the QApplication (after :func:`close_down`) before the interpreter finalises.

    Why: left to the interpreter's exit, the QApplication is destroyed in no particular order with
    the Python objects around it; PySide's ``shutdown()`` takes it down while everything is intact.
    """
    app = QApplication.instance()
    if app is not None:
        app.processEvents()
        app.shutdown()


def show_startup_failure(exc: Exception) -> None:
    """A bug while the window is being built: the error dialog, modal (nothing else runs yet), before the
    command line reports it and exits (a windowed app has no terminal to read)."""
    from app.ui import error_dialog

    report = error_report((type(exc), exc, exc.__traceback__), where="opening the window")
    error_dialog.ErrorDialog(report, type(exc).__name__).exec()


def workstation_settings(settings: Settings, count: int) -> list[Settings]:
    """The settings of ``count`` windows on one database (``comptoir demo --workstations 2``): the first
    as configured, the next a preparer's workstation named after it."""
    import copy

    out = [settings]
    for n in range(1, max(count, 1)):
        other = copy.deepcopy(settings)
        other.workstation.mode = "preparation"
        other.workstation.name = f"{settings.workstation_name}-preparation{'' if n == 1 else f'-{n}'}"
        out.append(other)
    return out


def run(settings: Settings, workstations: int = 1) -> int:
    """Open the counter window (and, for a demo of the team, ``workstations - 1`` preparer windows on
    the same database) and run until they are closed; returns the exit code."""
    problem = check_display()
    if problem:
        raise ConfigurationError(problem)
    app = application(settings.ui.language)
    reporter = ErrorReporter()
    reporter.install()  # from here on, an exception in a slot or a thread shows the error dialog
    try:
        runner = TaskRunner(app)
        try:
            opened = [open_window(each, runner) for each in workstation_settings(settings, workstations)]
        except Exception as exc:
            if not isinstance(exc, ComptoirError):
                show_startup_failure(exc)
            raise
        code = app.exec()
        for window, _startup in opened:
            close_down(window, runner)
        del opened, runner
    finally:
        reporter.uninstall()
    release_application()
    return int(code)
