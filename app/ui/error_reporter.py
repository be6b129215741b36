"""No error lost in the window: ``sys.excepthook`` and ``threading.excepthook`` show an error dialog.

Why: a frozen windowed app has no stderr, so an exception escaping a slot (PySide hands it to
``sys.excepthook``) or a worker thread (``threading.excepthook``) would vanish. Each one is written
to the log at once, with its traceback (from the thread it happened in, in case the GUI is what
broke), then shown on the GUI thread — a worker's exception crosses over through a queued signal —
in one dialog (:class:`app.ui.error_dialog.ErrorDialog`). While the dialog is open, further errors do
not open more dialogs: it counts them (the same error repeated, or others, whose reports are appended).

Why apart from the dialog: the reporter is installed before the window's first paint, the dialog is
built only when an error happens (its widgets' types, and Qt's ``Qt`` namespace with its ~90 enums,
cost the first window's time; issue 14).
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.logs import ExcInfo, error_report

if TYPE_CHECKING:
    from app.ui.error_dialog import ErrorDialog

log = logging.getLogger(__name__)


def _signature(exc_info: ExcInfo) -> tuple[str, str]:
    """What makes two errors "the same": their type and the line that raised them."""
    exc_type, _exc, tb = exc_info
    frames = traceback.extract_tb(tb) if tb is not None else []
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return exc_type.__qualname__, where


class ErrorReporter(QObject):
    """Installs the hooks and owns the (single) error dialog; lives on the GUI thread."""

    _raised = Signal(object, str)  # (exc_info, where), queued to the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: ErrorDialog | None = None
        self._signature: tuple[str, str] | None = None
        self._previous_hooks: tuple[Callable[..., Any], Callable[..., Any]] | None = None
        self._raised.connect(self._show_later)  # queued when emitted by another thread

    def install(self) -> None:
        if self._previous_hooks is None:
            self._previous_hooks = (sys.excepthook, threading.excepthook)
            sys.excepthook = self.excepthook
            threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """``sys.excepthook``: an exception escaped a slot or an event handler of the GUI thread."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.report((exc_type, exc, tb), threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: an exception ended a worker thread."""
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        self.report((args.exc_type, args.exc_value, args.exc_traceback), name)

    def report(self, exc_info: ExcInfo, thread: str) -> None:
        """Log now (any thread), then show on the GUI thread."""
        where = f"thread {thread}"
        log.error("unexpected error (%s)\n%s", where, error_report(exc_info, where=where))
        self._raised.emit(exc_info, where)

    @Slot(object, str)
    def _show_later(self, exc_info: ExcInfo, where: str) -> None:
        """On the GUI thread, from the event loop: never inside the handler (a paint, a slot) that raised."""
        QTimer.singleShot(0, self, functools.partial(self.show_error, exc_info, where))

    def show_error(self, exc_info: ExcInfo, where: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from app.ui import error_dialog

        report = error_report(exc_info, where=where)
        signature = _signature(exc_info)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add(report, same=signature == self._signature)
            return
        self.dialog = error_dialog.ErrorDialog(report, exc_info[0].__name__, QApplication.activeWindow())
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(self._forget)
        self._signature = signature
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    @Slot()
    def _forget(self) -> None:
        self.dialog = None
        self._signature = None
