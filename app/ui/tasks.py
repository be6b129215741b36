"""Background work for the GUI: one small helper, Anki-style.

Why: the GUI thread never waits on the network, the database or a camera. Every slow call goes through
:class:`TaskRunner.run`, which executes it on a worker and delivers the result (or the error) back on
the GUI thread, where the callbacks may touch widgets. One owner per resource: database work is
serialised on ONE worker (SQLite has a single writer and sessions are not shared across threads);
network and other I/O run in parallel and never touch the database — a step that needs both comes in
halves (``app.workflow.counter``), the network half's result handed to a database task through the
GUI thread. A task given a ``latest`` key makes any earlier task with the same key stale: its result
is dropped ("latest wins", as FeelUOwn does for lookups).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from app.domain.errors import ComptoirError
from app.ui.notices import error_text

log = logging.getLogger(__name__)

DB = "db"
NET = "net"
IO = "io"


def error_message(exc: BaseException) -> str:
    """What the pharmacist reads for ``exc``: its own French text, or a default one (details go to the log)."""
    if isinstance(exc, ComptoirError):
        return error_text(exc, str(exc))  # a refusal with a code: in the UI's language
    return QCoreApplication.translate(
        "TaskRunner", "Une erreur inattendue est survenue ; l'opération n'a pas abouti (détails dans le journal)."
    )


@dataclass
class Task:
    """A handle on submitted work: ``cancel()`` drops its result when it comes back."""

    task_id: int
    latest: str | None = None
    cancelled: bool = False
    owner: QObject | None = None

    def cancel(self) -> None:
        self.cancelled = True


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], finish: Callable[[bool, Any], None]) -> None:
        super().__init__()
        self._fn = fn
        self._finish = finish
        self.setAutoDelete(True)

    def run(self) -> None:  # runs on a worker thread: never touches a widget
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the GUI
            self._finish(False, exc)
        else:
            self._finish(True, result)


class TaskRunner(QObject):
    """Runs callables off the GUI thread; callbacks come back on the GUI thread.

    ``busy_changed(bool)`` lets a screen show a busy state; ``failed(str)`` carries the default French
    message of a failure that had no ``on_failure`` callback (the main window shows it).
    """

    busy_changed = Signal(bool)
    failed = Signal(str)
    _delivered = Signal(object)

    def __init__(self, parent: QObject | None = None, *, net_threads: int = 4) -> None:
        super().__init__(parent)
        self._pools = {DB: QThreadPool(self), NET: QThreadPool(self), IO: QThreadPool(self)}
        self._pools[DB].setMaxThreadCount(1)
        self._pools[NET].setMaxThreadCount(net_threads)
        self._pools[IO].setMaxThreadCount(2)
        self._lock = threading.Lock()
        self._next_id = 0
        self._pending = 0
        self._latest: dict[str, int] = {}
        self._delivered.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[str, BaseException], None] | None = None,
        kind: str = DB,
        latest: str | None = None,
        owner: QObject | None = None,
    ) -> Task:
        """Run ``fn()`` on the ``kind`` pool (``DB`` serialised, ``NET``/``IO`` parallel).

        ``owner``: the widget the callbacks touch; if it is gone when the result comes back (window
        closed meanwhile), the result is dropped instead of reaching a deleted widget.
        """
        with self._lock:
            self._next_id += 1
            task = Task(self._next_id, latest, owner=owner)
            if latest is not None:
                self._latest[latest] = task.task_id
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

        def finish(ok: bool, value: Any) -> None:
            # Worker thread: hand over to the GUI thread through a queued signal.
            self._delivered.emit((task, ok, value, on_success, on_failure))

        self._pools[kind].start(_Job(fn, finish))
        return task

    @Slot(object)
    def _deliver(self, payload: tuple) -> None:
        task, ok, value, on_success, on_failure = payload
        self._pending -= 1
        try:
            stale = task.cancelled or (
                task.latest is not None and self._latest.get(task.latest) != task.task_id
            ) or (task.owner is not None and not shiboken6.isValid(task.owner))
            if stale:
                if not ok and not isinstance(value, ComptoirError):  # a bug, even in dropped work, is logged
                    log.error("background task failed (result no longer wanted)", exc_info=value)
                return
            if ok:
                if on_success is not None:
                    on_success(value)
                return
            if isinstance(value, ComptoirError):  # shown in French; its detail and traceback for the log
                log.warning("background task refused: %s: %s", type(value).__name__, value.detail or value,
                            exc_info=value)
            else:
                log.error("background task failed", exc_info=value)
            message = error_message(value)
            if on_failure is not None:
                on_failure(message, value)
            else:
                self.failed.emit(message)
        finally:
            if self._pending == 0:
                self.busy_changed.emit(False)

    def wait_idle(self, timeout_ms: int = 30000) -> bool:
        """Block until every pool is done and the results delivered (tests, shutdown)."""
        for pool in self._pools.values():
            if not pool.waitForDone(timeout_ms):
                return False
        QCoreApplication.processEvents()
        return True
