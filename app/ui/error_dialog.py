"""No error lost in the window: ``sys.excepthook`` and ``threading.excepthook`` show an error dialog.

Why: a frozen windowed app has no stderr, so an exception escaping a slot (PySide hands it to
``sys.excepthook``) or a worker thread (``threading.excepthook``) would vanish. Each one is written
to the log at once, with its traceback (from the thread it happened in, in case the GUI is what
broke), then shown on the GUI thread — a worker's exception crosses over through a queued signal —
in one dialog: a French summary, the report (version, platform, traceback; masked like the log, no
patient data) and "Copier le rapport". While the dialog is open, further errors do not open more
dialogs: it counts them (the same error repeated, or others, whose reports are appended).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.logs import ExcInfo, error_report, log_file

log = logging.getLogger(__name__)

MAX_REPORTS = 5  # reports kept in one dialog; later errors are only counted (all are in the log)


def _signature(exc_info: ExcInfo) -> tuple[str, str]:
    """What makes two errors "the same": their type and the line that raised them."""
    exc_type, _exc, tb = exc_info
    frames = traceback.extract_tb(tb) if tb is not None else []
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return exc_type.__qualname__, where


class ErrorDialog(QDialog):
    """One unexpected error: what happened in French, the report, "Copier le rapport" and "Fermer"."""

    def __init__(self, report: str, error_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erreur inattendue"))
        self.setMinimumWidth(560)
        self.reports = [report]
        self.repeats = 0
        self.others = 0
        path = log_file()
        where = self.tr("Le rapport détaillé est dans le journal : %1.").replace("%1", str(path)) if path \
            else self.tr("Le journal n'a pas pu être écrit : copiez le rapport ci-dessous.")
        self.summary_label = QLabel(
            self.tr("Une erreur inattendue est survenue (%1). C'est un défaut du logiciel, pas une erreur de "
                    "votre part : l'opération en cours n'a peut-être pas abouti, vérifiez-la avant de "
                    "continuer.").replace("%1", error_name) + "\n" + where + "\n"
            + self.tr("Pour le signaler, copiez le rapport et transmettez-le au support : il ne contient "
                      "aucune donnée de patient."))
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel()
        self.count_label.setVisible(False)
        self.report_view = QPlainTextEdit(report)
        self.report_view.setReadOnly(True)
        self.report_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.copy_button = QPushButton(self.tr("Copier le rapport"))
        self.copy_button.clicked.connect(self.copy_report)
        self.close_button = QPushButton(self.tr("Fermer"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.count_label)
        layout.addWidget(self.report_view, 1)
        layout.addLayout(buttons)

    @property
    def report(self) -> str:
        """Every report this dialog holds, the first one first."""
        return "\n".join(self.reports)

    def add(self, report: str, *, same: bool) -> None:
        """Another error while this dialog is open: counted, its report kept (up to MAX_REPORTS)."""
        if same:
            self.repeats += 1
        else:
            self.others += 1
            if len(self.reports) < MAX_REPORTS:
                self.reports.append(report)
                self.report_view.setPlainText(self.report)
        parts = []
        if self.repeats:
            parts.append(self.tr("Cette erreur s'est reproduite %n fois.", "", self.repeats))
        if self.others:
            parts.append(self.tr("Autres erreurs depuis : %n (voir le rapport et le journal).", "", self.others))
        self.count_label.setText(" ".join(parts))
        self.count_label.setVisible(True)

    @Slot()
    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText(self.tr("Rapport copié"))


class ErrorReporter(QObject):
    """Installs the hooks and owns the (single) error dialog; lives on the GUI thread."""

    _raised = Signal(object, str)  # (exc_info, where), queued to the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: ErrorDialog | None = None
        self._signature: tuple[str, str] | None = None
        self._previous_hooks: tuple[Callable[..., Any], Callable[..., Any]] | None = None
        self._raised.connect(self.show_error, Qt.ConnectionType.QueuedConnection)

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
    def show_error(self, exc_info: ExcInfo, where: str) -> None:
        report = error_report(exc_info, where=where)
        signature = _signature(exc_info)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add(report, same=signature == self._signature)
            return
        self.dialog = ErrorDialog(report, exc_info[0].__name__, QApplication.activeWindow())
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
