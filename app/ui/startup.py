"""Opening the app's services off the GUI thread: database, migrations, first catalogue import.

Why: the window appears at once (time to first window is measured) and the slow part — migrating the
database, importing the bundled BDPM catalogue on the very first start, building the service client
and the use cases (:func:`app.wiring.build_services`, the composition root) — runs on the database
worker while a progress dialog says what is happening.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.config import Settings
from app.ui.tasks import DB, TaskRunner

__all__ = ["Startup"]


class Startup(QObject):
    """Runs :func:`app.wiring.build_services` on the database worker and reports on the GUI thread."""

    progress = Signal(int, int, str)
    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, settings: Settings, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._runner = runner

    def start(self) -> None:
        from app.wiring import build_services  # here: the composition root loads after the first paint

        self._runner.run(
            lambda: build_services(self._settings, progress=self._report),
            on_success=self.ready.emit,
            on_failure=lambda message, _exc: self.failed.emit(message),
            kind=DB,
        )

    def _report(self, done: int, total: int, message: str) -> None:
        # Worker thread: the signal is queued to the GUI thread.
        self.progress.emit(int(done), int(total), str(message))
