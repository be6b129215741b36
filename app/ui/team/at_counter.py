"""An ordonnance of the preparation queue scanned at the counter: where it stands, and what the counter
may do with it.

Why a page of its own: the workflow never opens a second dispensing of an ordonnance being prepared
(``Counter.prepare`` raises :class:`~app.domain.preparation.InPreparation`, the counter's lookup says
``in_preparation``); the counter reads who prepares it and since when, then may take it back from the
queue (asked first: the preparer's work stops there and goes on here) or, prepared and waiting for its
validation, open it in the queue's tab where a pharmacist validates it. Once validated the counter
opens it directly to hand it over (the workflow gives it). Every step runs on the database worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.domain.identifiers import OrdonnanceNumber
from app.domain.preparation import TAKE_BACK_STATES, PreparationEntry, PrepState
from app.ui.counter.dialog_parts import yes_no
from app.ui.formatting import clock_time
from app.ui.keys import bind_key
from app.ui.tasks import DB, TaskRunner

ERROR_STYLE = "color: #b00020;"


class InPreparationPage(QWidget):
    """Named handles: ``title_label``, ``state_label``, ``note_label``, ``take_back_button``,
    ``open_queue_button``, ``back_button``, ``error_label``; ``entry`` (the queue's entry shown)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry: PreparationEntry | None = None
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-size: 14pt;")
        self.state_label = QLabel()
        self.state_label.setObjectName("in_preparation_state")
        self.state_label.setWordWrap(True)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.take_back_button = QPushButton(self.tr("Reprendre la main au comptoir…"))
        self.open_queue_button = QPushButton(self.tr("Ouvrir dans la file pour la validation"))
        self.back_button = QPushButton(self.tr("Retour"))
        bind_key(self.back_button, "Escape", self, self.tr("Revenir à l'attente"))
        buttons = QHBoxLayout()
        for button in (self.take_back_button, self.open_queue_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        for widget in (self.title_label, self.state_label, self.note_label):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

    def show_entry(self, entry: PreparationEntry) -> None:
        self.entry = entry
        self.error_label.clear()
        self.title_label.setText(self.tr("Ordonnance n° %1 — %2 : dans la file de préparation")
                                 .replace("%1", OrdonnanceNumber.parse(entry.number).grouped())
                                 .replace("%2", entry.patient))
        self.state_label.setText(self.state_text(entry))
        self.note_label.setText(self.tr("Note du comptoir : %1").replace("%1", entry.note) if entry.note else "")
        self.note_label.setVisible(bool(entry.note))
        self.take_back_button.setEnabled(entry.state in TAKE_BACK_STATES)
        self.open_queue_button.setVisible(entry.state is PrepState.TO_VALIDATE)

    def state_text(self, entry: PreparationEntry) -> str:
        """Who has it and since when, in the UI's language."""
        sent_by = entry.sent_by.name if entry.sent_by else entry.workstation
        preparer = entry.prepared_by.name if entry.prepared_by else ""
        if entry.state is PrepState.WAITING:
            text = self.tr("Envoyée en préparation par %1 à %2 ; personne ne la prépare encore.")
            return text.replace("%1", sent_by).replace("%2", clock_time(entry.sent_at))
        if entry.state is PrepState.PREPARING:
            text = self.tr("En cours de préparation par %1 depuis %2 (envoyée par %3 à %4).")
            return (text.replace("%1", preparer).replace("%2", clock_time(entry.taken_at or entry.sent_at))
                    .replace("%3", sent_by).replace("%4", clock_time(entry.sent_at)))
        text = self.tr("Préparée par %1, prête depuis %2 : en attente de la validation pharmaceutique.")
        return text.replace("%1", preparer).replace("%2", clock_time(entry.ready_at))


class QueueAtCounter(QObject):
    """Ties the page to the counter screen (its ``lookup.in_preparation``), the desk and the queue's tab.
    Named handles: ``page``; ``take_back_dialog_opened`` carries the confirmation (a QMessageBox)."""

    take_back_dialog_opened = Signal(object)

    def __init__(self, counter_screen: Any, desk: Any, preparation_screen: Any, runner: TaskRunner,
                 who: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.screen = counter_screen
        self.desk = desk
        self.queue = preparation_screen
        self.runner = runner
        self.who = who  # a callable: the Actor signed in (or None)
        self.page = InPreparationPage()
        counter_screen.pages.addWidget(self.page)
        counter_screen.lookup.in_preparation.connect(self.show)
        self.page.back_button.clicked.connect(counter_screen.back_to_waiting)
        self.page.take_back_button.clicked.connect(self.take_back)
        self.page.open_queue_button.clicked.connect(self.open_in_queue)

    def show(self, entry: PreparationEntry) -> None:
        self.screen.waiting.set_busy("")
        self.page.show_entry(entry)
        self.screen.pages.setCurrentWidget(self.page)
        self.page.take_back_button.setFocus()

    def take_back(self) -> None:
        """Asked first (No by default); then the entry cancelled on the version shown, and the dispensing
        resumed here as any dispensing left unfinished (claimed again, then shown)."""
        entry = self.page.entry
        if entry is None or not self._confirmed(entry):
            return
        actor = self.who()

        def taken(_back: PreparationEntry) -> None:
            self.queue.refresh()
            self.screen.waiting.resume_requested.emit(entry.delivery_id)

        self.runner.run(lambda: self.desk.take_back(entry, actor), on_success=taken,
                        on_failure=lambda m, _e: self.page.error_label.setText(m), kind=DB, owner=self)

    def _confirmed(self, entry: PreparationEntry) -> bool:
        who = entry.prepared_by.name if entry.prepared_by else ""
        text = (self.tr("%1 prépare cette ordonnance. Reprendre la main au comptoir ? Sa préparation s'arrête ; "
                        "ce qui est préparé est gardé dans la délivrance.").replace("%1", who) if who else
                self.tr("Reprendre la main au comptoir ? L'ordonnance sort de la file de préparation."))
        box = yes_no(self.page, "take_back_dialog", self.tr("Reprendre la main"), text, self.tr("Reprendre la main"),
                     self.tr("Laisser en préparation"))
        self.take_back_dialog_opened.emit(box)
        return box.exec() == QMessageBox.StandardButton.Yes

    def open_in_queue(self) -> None:
        """The queue's tab, this entry selected: there a pharmacist validates it (Validation pharmaceutique)."""
        entry = self.page.entry
        if entry is None:
            return
        self.queue.select(entry.id)
        tabs = getattr(self.screen.window(), "tabs", None)
        if tabs is not None:
            tabs.setCurrentWidget(self.queue)
        self.screen.back_to_waiting()
