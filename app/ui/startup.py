"""Opening the app's services off the GUI thread: database, migrations, first catalogue import.

Why: the window appears at once (time to first window is measured) and the slow part — migrating the
database, importing the bundled BDPM catalogue on the very first start, building the service client —
runs on the database worker while a progress dialog says what is happening.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.config import Settings
from app.ui.tasks import DB, TaskRunner

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What the screens work with, built once at start and handed to them (no global window)."""

    settings: Settings
    engine: Any
    session_factory: Any
    catalogue: Any
    client: Any = None  # app.eprescription.EPrescriptionClient, None when not configured
    counter: Any = None  # the workflow's use cases (app.workflow), None when not available

    def close(self) -> None:
        for resource in (self.client, self.engine):
            closer = getattr(resource, "close", None) or getattr(resource, "dispose", None)
            if closer is not None:
                try:
                    closer()
                except Exception:  # noqa: BLE001 - closing at exit must not raise
                    log.warning("closing %s failed", type(resource).__name__, exc_info=True)


def build_services(settings: Settings, progress=None) -> Services:
    """Open and migrate the database, import the bundled catalogue if empty, build the client.

    Runs on a worker thread; ``progress(done, total, message)`` reports the catalogue import.
    """
    from app.catalogue import Catalogue, ensure_bundled_catalogue
    from app.storage.db import open_database

    engine, factory = open_database(settings.db_url)
    ensure_bundled_catalogue(factory, progress=progress)
    catalogue = Catalogue(factory)
    services = Services(settings=settings, engine=engine, session_factory=factory, catalogue=catalogue)
    services.client = _make_client(settings)
    services.counter = _make_counter(services)
    return services


def _make_client(settings: Settings) -> Any:
    from app.eprescription import EPrescriptionClient

    return EPrescriptionClient.from_settings(settings)


def _make_counter(services: Services) -> Any:
    from app.ui.counter.port import make_counter

    return make_counter(services)


class Startup(QObject):
    """Runs :func:`build_services` on the database worker and reports on the GUI thread."""

    progress = Signal(int, int, str)
    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, settings: Settings, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._runner = runner

    def start(self) -> None:
        self._runner.run(
            lambda: build_services(self._settings, progress=self._report),
            on_success=self.ready.emit,
            on_failure=lambda message, _exc: self.failed.emit(message),
            kind=DB,
        )

    def _report(self, done: int, total: int, message: str) -> None:
        # Worker thread: the signal is queued to the GUI thread.
        self.progress.emit(int(done), int(total), str(message))
