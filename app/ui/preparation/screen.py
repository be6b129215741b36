"""The preparer's screen: the preparation queue, the lines of the one being prepared, mark ready, and the
pharmacist's validation step.

Why so thin: every step is a use case of :class:`app.workflow.preparation.PreparationDesk` or an
operation of the counter (``Counter.apply``: one way to act on a dispensing), run on the database
worker; the screen shows what comes back (a new entry, a new dispensing, swapped in here) or the
French refusal. The queue reloads when another workstation changes it (``refresh``, called on the
``queue`` event) and after each step here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.dispensing import Dispensing
from app.domain.errors import ComptoirError
from app.domain.identifiers import OrdonnanceNumber
from app.domain.preparation import PreparationEntry, PrepState, Urgency
from app.domain.team import Actor
from app.ui.counter.line_bar import LineBar
from app.ui.counter.line_changes import LineChanges
from app.ui.counter.lines_model import rows_of
from app.ui.counter.scan_input import box_from_scan
from app.ui.formatting import clock_time
from app.ui.i18n import status_label
from app.ui.preparation.validation_dialog import ValidationDialog
from app.ui.tasks import DB, TaskRunner
from app.workflow.ops import Confirm, ScanBox
from app.workflow.preparation import Opened

ERROR_STYLE = "color: #b00020;"


def _grouped(number: str) -> str:
    try:
        return OrdonnanceNumber.parse(number).grouped()
    except ComptoirError:
        return number


class PreparationScreen(QWidget):
    """Named handles: ``queue_table``, ``take_button``, ``ready_button``, ``validate_button``, ``resume_button``,
    ``lines_table``, ``line_bar`` (the counter's product and boxes of the selected line), ``confirm_button``, ``note_label``, ``error_label``; ``entries`` (the queue shown),
    ``opened`` (the preparation being prepared, with its dispensing). ``validation_opened`` carries
    the :class:`ValidationDialog` before it is shown (tests answer it)."""

    validation_opened = Signal(object)
    changed = Signal()
    resume_requested = Signal(str)  # delivery_id of a validated preparation, for the counter

    def __init__(self, desk: Any, counter: Any, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.counter = counter
        self.runner = runner
        self.actor: Actor | None = None
        self.entries: list[PreparationEntry] = []
        self.opened: Opened | None = None
        self.queue_table = QTableWidget(0, 7)
        self.queue_table.setObjectName("queue_table")
        self.queue_table.setHorizontalHeaderLabels([
            self.tr("Urgence"), self.tr("Ordonnance"), self.tr("Patient"), self.tr("Envoyée par"),
            self.tr("Depuis"), self.tr("État"), self.tr("Préparateur")])
        self.queue_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.queue_table.horizontalHeader().setStretchLastSection(True)
        self.take_button = QPushButton(self.tr("Prendre en préparation"))
        self.validate_button = QPushButton(self.tr("Validation pharmaceutique…"))
        self.refresh_button = QPushButton(self.tr("Actualiser"))
        self.resume_button = QPushButton(self.tr("Reprendre au comptoir"))
        self.lines_table = QTableWidget(0, 4)
        self.lines_table.setObjectName("lines_table")
        self.lines_table.setHorizontalHeaderLabels([self.tr("Prescrit"), self.tr("Produit"), self.tr("Boîtes"),
                                                    self.tr("État")])
        self.lines_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confirm_button = QPushButton(self.tr("Ligne préparée sans scan"))
        self.line_bar = LineBar()  # the counter's product and boxes of the selected line
        self.decline_button = QPushButton(self.tr("Ne pas délivrer…"))
        self.changes = LineChanges(self)  # the counter's dialogs: a change of quantity or a line not
        # delivered asks its reason (and the prescriber's agreement) before the operation is applied
        self.ready_button = QPushButton(self.tr("Marquer prête"))
        self.title_label = QLabel(self.tr("Aucune préparation ouverte"))
        self.title_label.setStyleSheet("font-size: 14pt;")
        self.note_label = QLabel()
        self.note_label.setObjectName("note_label")
        self.note_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("preparation_error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)

        queue_box = QWidget()
        queue_layout = QVBoxLayout(queue_box)
        queue_title = QLabel(self.tr("File de préparation"))
        queue_title.setStyleSheet("font-size: 14pt;")
        queue_layout.addWidget(queue_title)
        queue_layout.addWidget(self.queue_table)
        queue_buttons = QHBoxLayout()
        for button in (self.take_button, self.validate_button, self.resume_button, self.refresh_button):
            queue_buttons.addWidget(button)
        queue_buttons.addStretch(1)
        queue_layout.addLayout(queue_buttons)
        work_box = QWidget()
        work_layout = QVBoxLayout(work_box)
        work_layout.addWidget(self.title_label)
        work_layout.addWidget(self.note_label)
        work_layout.addWidget(self.lines_table)
        work_layout.addWidget(self.line_bar)
        work_buttons = QHBoxLayout()
        work_buttons.addWidget(self.confirm_button)
        work_buttons.addWidget(self.decline_button)
        work_buttons.addStretch(1)
        work_buttons.addWidget(self.ready_button)
        work_layout.addLayout(work_buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(queue_box)
        splitter.addWidget(work_box)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(self.error_label)

        self.take_button.clicked.connect(self.take_selected)
        self.validate_button.clicked.connect(self.validate_selected)
        self.refresh_button.clicked.connect(self.refresh)
        self.resume_button.clicked.connect(self._resume_selected)
        self.confirm_button.clicked.connect(self.confirm_selected_line)
        self.line_bar.product_requested.connect(self._asked(self.changes.choose_product))
        self.line_bar.quantity_requested.connect(self._asked(self.changes.set_quantity))
        self.lines_table.itemSelectionChanged.connect(self._show_line_bar)
        self.decline_button.clicked.connect(self.decline_selected_line)
        self.runner.run(lambda: (counter.reasons(), counter.agreement_means(), counter.legal_bases()),
                        on_success=self.changes.keep_reference,
                        kind=DB, owner=self)
        self.ready_button.clicked.connect(self.mark_ready)
        self.queue_table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # --- the queue ---------------------------------------------------------------------------------

    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor
        self._update_buttons()

    def refresh(self) -> None:
        self.runner.run(self.desk.queue, on_success=self.show_queue,
                        on_failure=lambda m, _e: self.error_label.setText(m), kind=DB,
                        latest="preparation-queue", owner=self)

    def show_queue(self, entries: list[PreparationEntry]) -> None:
        selected = self.selected_entry()
        self.entries = list(entries)
        self.queue_table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            values = [self.tr("URGENT") if e.urgency is Urgency.URGENT else "", _grouped(e.number), e.patient,
                      e.sent_by.name if e.sent_by else e.workstation, clock_time(e.sent_at),
                      self._state_label(e.state), e.prepared_by.name if e.prepared_by else ""]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if e.urgency is Urgency.URGENT:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.queue_table.setItem(row, column, item)
            if selected is not None and e.id == selected.id:
                self.queue_table.selectRow(row)
        if self.opened is not None:
            current = next((e for e in self.entries if e.id == self.opened.entry.id), None)
            if current is None or current.state not in (PrepState.WAITING, PrepState.PREPARING):
                self._close_work()
            else:
                self.opened = Opened(current, self.opened.dispensing)
                self._show_note(current)
        self._update_buttons()
        self.changed.emit()

    def _state_label(self, state: PrepState) -> str:
        return {PrepState.WAITING: self.tr("en attente"), PrepState.PREPARING: self.tr("en préparation"),
                PrepState.TO_VALIDATE: self.tr("à valider"), PrepState.VALIDATED: self.tr("prête"),
                PrepState.DONE: self.tr("délivrée"), PrepState.CANCELLED: self.tr("annulée")}[state]

    def selected_entry(self) -> PreparationEntry | None:
        rows = self.queue_table.selectionModel().selectedRows() if self.queue_table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.entries):
            return None
        return self.entries[rows[0].row()]

    def select(self, entry_id: int) -> None:
        for row, e in enumerate(self.entries):
            if e.id == entry_id:
                self.queue_table.selectRow(row)

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        signed_in = self.actor is not None
        self.take_button.setEnabled(signed_in and entry is not None
                                    and entry.state in (PrepState.WAITING, PrepState.PREPARING))
        self.validate_button.setEnabled(signed_in and entry is not None and entry.state is PrepState.TO_VALIDATE
                                        and self.actor.is_pharmacist)
        self.resume_button.setEnabled(entry is not None and entry.state is PrepState.VALIDATED)
        working = signed_in and self.opened is not None
        for button in (self.confirm_button, self.decline_button, self.ready_button):
            button.setEnabled(working)
        self.line_bar.setEnabled(working)

    def _resume_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None and entry.state is PrepState.VALIDATED:
            self.resume_requested.emit(entry.delivery_id)

    # --- preparing ---------------------------------------------------------------------------------

    def _need_actor(self) -> Actor | None:
        if self.actor is None:
            self.error_label.setText(self.tr("Connectez-vous d'abord (Ctrl+U)."))
        return self.actor

    def take_selected(self) -> None:
        entry, actor = self.selected_entry(), self._need_actor()
        if entry is None or actor is None:
            return
        self.runner.run(lambda: self.desk.take(entry, actor), on_success=self._opened, on_failure=self._failed,
                        kind=DB, owner=self)

    def _opened(self, opened: Opened) -> None:
        self.opened = opened
        self.error_label.setText("")
        number = opened.dispensing.prescription.number
        self.title_label.setText(self.tr("Préparation de l'ordonnance %1 — %2").replace(
            "%1", number.grouped()).replace("%2", opened.dispensing.prescription.patient.display_name))
        self._show_note(opened.entry)
        self.show_lines(opened.dispensing)
        self.refresh()

    def _show_note(self, entry: PreparationEntry) -> None:
        parts = []
        if entry.note:
            parts.append(self.tr("Note du comptoir : %1").replace("%1", entry.note))
        if entry.comment and entry.state is PrepState.PREPARING:
            parts.append(self.tr("Renvoyée par le pharmacien : %1").replace("%1", entry.comment))
        self.note_label.setText("\n".join(parts))

    def show_lines(self, d: Dispensing) -> None:
        keep = self.lines_table.currentRow()
        self.lines_table.setRowCount(len(d.lines))
        for row, state in enumerate(d.lines):
            product = f"{state.product.name} — {state.product.label}" if state.product else ""
            values = [d.prescribed(state.line_id).medication.text, product,
                      f"{len(state.boxes)} / {state.quantity}", status_label(state.status)]
            for column, value in enumerate(values):
                self.lines_table.setItem(row, column, QTableWidgetItem(value))
        if 0 <= keep < len(d.lines):
            self.lines_table.selectRow(keep)
        self._show_line_bar()
        self._update_buttons()

    def _show_line_bar(self) -> None:
        """The selected line's product and boxes, as the counter shows them (none selected: empty)."""
        rows = self.lines_table.selectionModel().selectedRows()
        lines = rows_of(self.opened.dispensing) if self.opened is not None else []
        self.line_bar.show_line(lines[rows[0].row()] if rows and rows[0].row() < len(lines) else None)

    def act(self, op) -> None:
        """An operation of the counter on the dispensing being prepared, by whoever is signed in, while
        it is still in preparation (not taken back by the counter meanwhile)."""
        if self.opened is None or self._need_actor() is None:
            return
        base, actor, entry = self.opened.dispensing, self.actor, self.opened.entry

        def work():
            self.desk.still_preparing(entry)
            return self.counter.apply(base, op, actor)

        def done(applied) -> None:
            if self.opened is not None and self.opened.dispensing is base:
                self.opened = Opened(self.opened.entry, applied.dispensing)
                self.show_lines(applied.dispensing)
                self.error_label.setText("")

        self.runner.run(work, on_success=done, on_failure=self._failed, kind=DB, owner=self)

    def selected_line(self) -> str | None:
        rows = self.lines_table.selectionModel().selectedRows()
        if self.opened is None or not rows:
            self.error_label.setText(self.tr("Choisissez la ligne préparée."))
            return None
        return self.opened.dispensing.lines[rows[0].row()].line_id

    def confirm_selected_line(self) -> None:
        line_id = self.selected_line()
        if line_id is not None:
            self.act(Confirm(line_id))

    def _asked(self, ask):
        """A request of the line bar: the counter's dialog asks why when it must (another product than
        the prescribed one or a generic of it, another number of boxes), then the operation is applied;
        cancelled, the line shows what it has."""
        def handler(line_id: str, value: Any) -> None:
            if self.opened is None:
                return
            op = ask(self.opened.dispensing, line_id, value)
            if op is None:
                self._show_line_bar()
            else:
                self.act(op)
        return handler

    def decline_selected_line(self) -> None:
        line_id = self.selected_line()
        if line_id is not None:
            op = self.changes.decline(self.opened.dispensing, line_id)
            if op is not None:
                self.act(op)

    def on_product_scanned(self, scan: Any) -> None:
        """A box scanned (the scanner bridge's ``product_scanned``): it ticks its line."""
        if self.opened is None:
            self.error_label.setText(self.tr("Prenez une ordonnance en préparation avant de scanner ses boîtes."))
            return
        try:
            box = box_from_scan(scan)
        except ComptoirError as exc:
            self.error_label.setText(str(exc))
            return
        self.act(ScanBox(box))

    def mark_ready(self) -> None:
        if self.opened is None or self._need_actor() is None:
            return
        entry, d, actor = self.opened.entry, self.opened.dispensing, self.actor
        self.runner.run(lambda: self.desk.mark_ready(entry, d, actor), on_success=self._ready,
                        on_failure=self._failed, kind=DB, owner=self)

    def _ready(self, entry: PreparationEntry) -> None:
        self._close_work()
        self.error_label.setText("")
        self.refresh()

    def _close_work(self) -> None:
        self.opened = None
        self.title_label.setText(self.tr("Aucune préparation ouverte"))
        self.note_label.setText("")
        self.lines_table.setRowCount(0)
        self.line_bar.show_line(None)
        self._update_buttons()

    # --- the pharmaceutical validation -------------------------------------------------------------

    def validate_selected(self) -> None:
        entry, actor = self.selected_entry(), self._need_actor()
        if entry is None or actor is None:
            return
        self.runner.run(lambda: self.desk.open(entry.id), on_success=lambda o: self._ask_validation(o, actor),
                        on_failure=self._failed, kind=DB, owner=self)

    def _ask_validation(self, opened: Opened, actor: Actor) -> None:
        dialog = ValidationDialog(opened.entry, opened.dispensing, self)
        self.validation_opened.emit(dialog)
        if dialog.exec() != ValidationDialog.DialogCode.Accepted or dialog.outcome is None:
            return
        comment = dialog.comment()
        if dialog.outcome == "validate":
            work = lambda: self.desk.validate(opened.entry, opened.dispensing, actor, comment)  # noqa: E731
        else:
            work = lambda: self.desk.send_back(opened.entry, actor, comment)  # noqa: E731
        self.runner.run(work, on_success=lambda _e: self.refresh(), on_failure=self._failed, kind=DB, owner=self)

    def _failed(self, message: str, _exc: BaseException) -> None:
        self.error_label.setText(message)
        self.refresh()
