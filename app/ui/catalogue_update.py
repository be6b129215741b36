"""Offering the catalogue update from the main window once the catalogue is older than 30 days.

A discreet bar above the tabs says how old the catalogue is, with « Mettre à jour » and « Plus tard ».
The update is the one of ``comptoir catalogue update`` (:mod:`app.catalogue.update`): the download runs
on the network pool, the check and the apply on the database worker (the database's one writer), with
a progress bar; the pharmacist confirms on the update report (added, withdrawn, price changes). Nothing
here waits on the GUI thread, and a failure leaves the catalogue as it was, with the French reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from app.catalogue import update
from app.catalogue.download import Fetched
from app.catalogue.report import ImportReport
from app.config import Settings
from app.ui.tasks import DB, NET, TaskRunner

RECHECK_MS = 12 * 3600 * 1000


class CatalogueUpdateBar(QToolBar):
    """Named handles: ``message_label``, ``update_button``, ``later_button``, ``progress_bar``.

    ``confirm(report_text) -> bool`` asks the pharmacist (a message box; tests give their own);
    ``finished(bool)`` says whether an update was applied.
    """

    finished = Signal(bool)
    _progress = Signal(int, int, str)

    def __init__(self, session_factory, settings: Settings, runner: TaskRunner, parent: QWidget | None = None,
                 *, source: str | None = None,
                 confirm: Callable[[str], bool] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogue_update_bar")
        self.setMovable(False)
        self.setFloatable(False)
        self.factory = session_factory
        self.settings = settings
        self.runner = runner
        self.source = source or settings.catalogue.base_url
        self.confirm = confirm or self._ask
        self.message_label = QLabel()
        self.message_label.setObjectName("catalogue_update_message")
        # one line over the bar's width (a word-wrapped label in a tool bar gets its narrowest width)
        self.message_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.update_button = QPushButton(self.tr("Mettre à jour le catalogue"))
        self.later_button = QPushButton(self.tr("Plus tard"))
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setVisible(False)
        for widget in (self.message_label, self.progress_bar, self.update_button, self.later_button):
            self.addWidget(widget)
        self.update_button.clicked.connect(self.start_update)
        self.later_button.clicked.connect(self.hide)
        self._progress.connect(self._show_progress)
        self.setVisible(False)
        # the counter stays open for days: look again twice a day (« Plus tard » means until then)
        self.recheck_timer = QTimer(self)
        self.recheck_timer.setInterval(RECHECK_MS)
        self.recheck_timer.timeout.connect(self._recheck)

    # --- is an update due? ----------------------------------------------------------------------------
    def check_age(self, today: date | None = None) -> None:
        """Read the catalogue's age (database worker); show the bar when it is older than the limit."""
        today = today or date.today()
        self.runner.run(lambda: update.catalogue_age(self.factory), kind=DB, owner=self,
                        on_success=lambda age: self._offer(age, today),
                        on_failure=lambda _message, _exc: None)  # no catalogue facts: nothing to offer

    def _recheck(self) -> None:
        if not self.progress_bar.isVisible():  # never in the middle of an update
            self.check_age()

    def _offer(self, age: update.CatalogueAge, today: date) -> None:
        if not age.is_stale(today, self.settings.catalogue.max_age_days):
            self.setVisible(False)
            return
        days = age.days(today)
        if days is None:
            text = self.tr("Le catalogue des médicaments (BDPM %1) est d'une date inconnue : mettez-le à jour.")
        else:
            text = self.tr("Le catalogue des médicaments (BDPM %1) a %2 jours : les prix et les présentations "
                           "ont pu changer.").replace("%2", str(days))
        self.message_label.setText(text.replace("%1", age.release or "?"))
        self.update_button.setText(self.tr("Mettre à jour le catalogue"))
        self.update_button.setVisible(True)
        self.later_button.setText(self.tr("Plus tard"))
        self.setVisible(True)

    # --- the update -----------------------------------------------------------------------------------
    def start_update(self) -> None:
        self._busy(True, self.tr("Téléchargement du catalogue…"))
        source, settings = self.source, self.settings.catalogue
        self.runner.run(lambda: update.fetch(source, settings, progress=self._emit), kind=NET, owner=self,
                        on_success=self._check, on_failure=self._failed)

    def _emit(self, done: int, total: int, message: str) -> None:  # worker thread: queued to the GUI
        self._progress.emit(int(done), int(total), str(message))

    def _show_progress(self, done: int, total: int, message: str) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_bar.setFormat(message)

    def _check(self, fetched: Fetched) -> None:
        self._busy(True, self.tr("Vérification de la nouvelle version…"))
        self.runner.run(lambda: update.check(self.factory, fetched, progress=self._emit), kind=DB, owner=self,
                        on_success=lambda report: self._decide(fetched, report), on_failure=self._failed)

    def _decide(self, fetched: Fetched, report: ImportReport) -> None:
        if not report.unchanged and not self.confirm("\n".join(update.report_lines(report))):
            self._busy(False, self.tr("Mise à jour reportée : le catalogue n'a pas été modifié."))
            return
        self._busy(True, self.tr("Mise à jour du catalogue…"))
        self.runner.run(lambda: update.apply(self.factory, fetched, progress=self._emit), kind=DB, owner=self,
                        on_success=self._applied, on_failure=self._failed)

    def _applied(self, report: ImportReport) -> None:
        if report.unchanged:
            text = self.tr("Le catalogue était déjà à jour (BDPM %1).")
        else:
            text = self.tr("Catalogue mis à jour : BDPM %1.")
        self._busy(False, text.replace("%1", report.release))
        self.update_button.setVisible(False)
        self.later_button.setText(self.tr("Fermer"))
        self.finished.emit(not report.unchanged)

    def _failed(self, message: str, _exc: BaseException) -> None:
        self._busy(False, message)
        self.update_button.setText(self.tr("Réessayer"))
        self.finished.emit(False)

    def _busy(self, busy: bool, message: str) -> None:
        self.message_label.setText(message)
        self.progress_bar.setVisible(busy)
        if busy:
            self.progress_bar.setRange(0, 0)
        self.update_button.setEnabled(not busy)
        self.later_button.setEnabled(not busy)

    def _ask(self, report_text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Mise à jour du catalogue"),
                          self.tr("Appliquer cette mise à jour du catalogue ?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDetailedText(report_text)
        counts = [line for line in report_text.splitlines() if line.startswith("Présentations ajoutées :")]
        box.setInformativeText(counts[0] if counts else report_text.splitlines()[0])
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes


def offer_catalogue_update(window: QMainWindow, services, runner: TaskRunner) -> CatalogueUpdateBar:
    """The main window's hook: a hidden bar above the tabs, shown when the catalogue is too old."""
    bar = CatalogueUpdateBar(services.session_factory, services.settings, runner, window)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    bar.check_age()
    bar.recheck_timer.start()
    return bar
