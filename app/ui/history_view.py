"""The history screen (F4): find a past delivery by ordonnance number, patient name or date, see what
was handed over, and reprint its mentions or the patient's A4 copy; reprint the prints that failed.

Why this shape: like the catalogue search, the widget only turns the pharmacist's criteria into
:class:`~app.workflow.history.DeliveryHistory` calls on the database worker (latest wins) and shows the
answer. Regenerating a PDF runs on the I/O pool, printing on the :class:`PrintService` queue: the GUI
thread never waits on the database, reportlab or the printer.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.config import Settings
from app.domain.delivery import LineDelivery
from app.domain.records import SendStatus
from app.printing.content import line_text
from app.ui import formatting
from app.ui.catalogue_view import make_table
from app.ui.delivery_text import line_mentions
from app.ui.keys import bind_key, note_key
from app.ui.models import Column, ListTableModel
from app.ui.outbox_view import OutboxPanel, waiting_ids
from app.ui.printing import FailedPrint, PrintService, failed_prints
from app.ui.tasks import DB, IO, TaskRunner
from app.workflow.history import MENTIONS, PATIENT_COPY, DeliveryHistory, HistoryRecord, HistoryRow
from app.workflow.outbox import Outbox


def _numbers(row: HistoryRow) -> str:
    return ", ".join(str(n) for n in row.ordonnancier_numbers) or "—"


def _delivered(line: LineDelivery) -> str:
    return "\n".join(f"{item.name} (CIP13 {item.cip13})" for item in line.items if item.quantity > 0) or "—"


def _quantity(line: LineDelivery) -> str:
    return str(sum(item.quantity for item in line.items if item.quantity > 0)) if line.delivered else "—"


class HistoryView(QWidget):
    """Search fields, past deliveries, the selected one's lines, the reprint buttons, failed prints.

    Named handles for tests: ``number_edit``, ``patient_edit``, ``box_edit`` (a box's serial or lot
    number: recalls), ``date_check``, ``date_edit``,
    ``search_button``, ``status_label``, ``results_view``/``results_model``, ``detail_label``,
    ``lines_view``/``lines_model``, ``mentions_button``, ``copy_button``, ``print_label``,
    ``failed_view``/``failed_model``, ``reprint_failed_button``, ``outbox_panel`` (the deliveries not
    transmitted, with « Renvoyer »; None without a counter). ``print_target``: None prints to the
    printer of the settings (its dialog the first time); a PrintTarget forces one (tests, screenshots).
    """

    def __init__(self, history: DeliveryHistory, runner: TaskRunner, settings: Settings,
                 print_service: PrintService | None = None, parent: QWidget | None = None, *,
                 outbox: Outbox | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.runner = runner
        self.settings = settings
        self.print_service: PrintService | None = None
        if print_service is not None:
            self._listen(print_service)
        self.print_target: Any = None
        self.record: HistoryRecord | None = None
        self.last_pdf: Path | None = None

        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("history_number")
        self.number_edit.setPlaceholderText(self.tr("N° d'ordonnance"))
        self.patient_edit = QLineEdit()
        self.patient_edit.setObjectName("history_patient")
        self.patient_edit.setPlaceholderText(self.tr("Nom du patient"))
        self.box_edit = QLineEdit()
        self.box_edit.setObjectName("history_box")
        self.box_edit.setPlaceholderText(self.tr("N° de série ou lot d'une boîte"))
        self.box_edit.setToolTip(self.tr("Rappel de lot : les délivrances où une boîte de ce numéro de série "
                                         "ou de ce lot a été remise"))
        self.date_check = QCheckBox(self.tr("Le"))
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setEnabled(False)
        self.date_check.toggled.connect(self.date_edit.setEnabled)
        self.search_button = QPushButton(self.tr("Rechercher"))
        self.status_label = QLabel()
        self.status_label.setObjectName("history_status")
        self.status_label.setWordWrap(True)

        self.waiting: dict[str, SendStatus] | None = None  # not transmitted yet (None: no outbox here)
        self.results_model: ListTableModel[HistoryRow] = ListTableModel([
            Column(self.tr("Date"), lambda r: r.handed_over_at.strftime("%d/%m/%Y %H:%M")),
            Column(self.tr("N° d'ordonnance"), lambda r: r.number.grouped()),
            Column(self.tr("Patient"), lambda r: r.patient),
            Column(self.tr("État"), self._state_text),
            Column(self.tr("Prescripteur"), lambda r: r.prescriber),
            Column(self.tr("Lignes délivrées"), lambda r: f"{r.lines_delivered}/{r.lines_total}", align_right=True),
            Column(self.tr("N° d'ordonnancier"), _numbers),
        ])
        self.results_view = make_table(self.results_model, "history_results")
        self.detail_label = QLabel(self.tr("Sélectionnez une délivrance pour voir ce qui a été remis."))
        self.detail_label.setObjectName("history_detail")
        self.detail_label.setWordWrap(True)
        self.lines_model: ListTableModel[LineDelivery] = ListTableModel([
            Column(self.tr("Ligne prescrite"), lambda line: line.prescribed),
            Column(self.tr("Délivré"), _delivered),
            Column(self.tr("Qté"), _quantity, align_right=True),
            Column(self.tr("Mentions"), lambda line: "\n".join(line_mentions(line, line_text(line).mentions))),
        ])
        self.lines_view = make_table(self.lines_model, "history_lines")
        self.mentions_button = QPushButton(self.tr("Réimprimer les mentions"))
        self.copy_button = QPushButton(self.tr("Copie patient (A4)"))
        self.print_label = QLabel()
        self.print_label.setObjectName("history_print")
        self.print_label.setWordWrap(True)
        self.failed_model: ListTableModel[FailedPrint] = ListTableModel([
            Column(self.tr("Document"), lambda f: f[0].name, tooltip=lambda f: str(f[0])),
            Column(self.tr("Motif de l'échec"), lambda f: f[1]),
        ])
        self.failed_view = make_table(self.failed_model, "history_failed")
        self.reprint_failed_button = QPushButton(self.tr("Réimprimer le document"))
        self.outbox_panel: OutboxPanel | None = None
        if outbox is not None:
            self.outbox_panel = OutboxPanel(outbox, runner)  # shown while something waits
            self.outbox_panel.changed.connect(self._on_outbox)
        self._bind_keys()
        self._layout()
        self._set_record(None)

        for edit in (self.number_edit, self.patient_edit, self.box_edit):
            edit.returnPressed.connect(self.search_now)
        self.search_button.clicked.connect(self.search_now)
        self.results_view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.mentions_button.clicked.connect(lambda: self.reprint(MENTIONS))
        self.copy_button.clicked.connect(lambda: self.reprint(PATIENT_COPY))
        self.reprint_failed_button.clicked.connect(self.reprint_failed)
        self.failed_model.modelReset.connect(self._update_failed_button)
        self.failed_view.selectionModel().currentRowChanged.connect(lambda *_: self._update_failed_button())

    def _bind_keys(self) -> None:
        self.key_map_title = self.tr("Historique")
        note_key(self, "Return", self.tr("Rechercher (dans un champ de recherche)"))
        bind_key(self.mentions_button, "Ctrl+M", self, self.tr("Réimprimer les mentions"))
        bind_key(self.copy_button, "Ctrl+P", self, self.tr("Imprimer la copie patient"))
        bind_key(self.reprint_failed_button, "Ctrl+I", self, self.tr("Réimprimer le document en échec"))

    def _layout(self) -> None:
        criteria = QHBoxLayout()
        for widget in (self.number_edit, self.patient_edit, self.box_edit, self.date_check, self.date_edit,
                       self.search_button):
            criteria.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mentions_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_label)
        detail_layout.addWidget(self.lines_view)
        detail_layout.addLayout(buttons)
        detail_layout.addWidget(self.print_label)
        failed = QGroupBox(self.tr("Impressions en échec"))
        failed_layout = QVBoxLayout(failed)
        failed_layout.addWidget(self.failed_view)
        failed_layout.addWidget(self.reprint_failed_button, alignment=Qt.AlignmentFlag.AlignLeft)
        splitter = QSplitter(Qt.Orientation.Vertical)
        for widget, stretch in ((self.results_view, 2), (detail, 5), (failed, 1)):
            splitter.addWidget(widget)
            splitter.setStretchFactor(splitter.indexOf(widget), stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(criteria)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter)
        if self.outbox_panel is not None:
            layout.addWidget(self.outbox_panel)

    def showEvent(self, event: QShowEvent) -> None:
        """Coming to the tab: the latest deliveries and the failed prints, as they are now."""
        super().showEvent(event)
        self.search_now()
        self.refresh_failed()
        if self.outbox_panel is not None:
            self.outbox_panel.refresh()

    # --- searching ------------------------------------------------------------------------------
    def criteria(self) -> tuple[str, str, date | None]:
        on = self.date_edit.date().toPython() if self.date_check.isChecked() else None
        return self.number_edit.text(), self.patient_edit.text(), on

    def search_now(self) -> None:
        number, patient, on = self.criteria()
        box = self.box_edit.text()
        self.status_label.setText(self.tr("Recherche…"))
        self.runner.run(lambda: self.history.search(number, patient, on, box), on_success=self._show_results,
                        on_failure=lambda message, _exc: self._show_search_error(message),
                        kind=DB, owner=self, latest="history-search")

    def _show_search_error(self, message: str) -> None:
        self.status_label.setText(message)
        self.results_model.set_rows([])
        self._set_record(None)

    def _show_results(self, rows: list[HistoryRow]) -> None:
        self.results_model.set_rows(rows)
        if not rows:
            self.status_label.setText(self.tr("Aucune délivrance trouvée."))
            self._set_record(None)
            return
        self.status_label.setText(self.tr("%n délivrance(s)", "", len(rows)))
        self.results_view.selectRow(0)

    def _state_text(self, row: HistoryRow) -> str:
        """Transmitted to the service or not (a mark that reads without colour)."""
        if self.waiting is None:
            return "—"
        status = self.waiting.get(row.delivery_id)
        if status is SendStatus.FAILED:
            return self.tr("✖ non transmise (mise de côté)")
        if status is SendStatus.PENDING:
            return self.tr("◷ non transmise")
        return self.tr("✔ transmise")

    def _on_outbox(self, items: list) -> None:
        self.waiting = waiting_ids(items)
        self.results_model.refresh()

    # --- the selected delivery --------------------------------------------------------------------
    def _on_current_changed(self, current, _previous) -> None:
        if not current.isValid():
            return
        row = self.results_model.row(current.row())
        self._set_record(None)
        self.runner.run(lambda: self.history.load(row.delivery_id), on_success=self._set_record,
                        on_failure=lambda message, _exc: self.detail_label.setText(message),
                        kind=DB, owner=self, latest="history-load")

    def _set_record(self, record: HistoryRecord | None) -> None:
        self.record = record
        self.mentions_button.setEnabled(record is not None)
        self.copy_button.setEnabled(record is not None)
        if record is None:
            self.lines_model.set_rows([])
            return
        d = record.delivery
        patient = d.patient.display_name + (f", {d.patient.address}" if d.patient.address else "")
        self.detail_label.setText(
            self.tr("Ordonnance n° %1 du %2 — délivrée le %3 par %4\nPatient : %5 — prescripteur : %6")
            .replace("%1", d.number.grouped()).replace("%2", formatting.day(d.prescription_date))
            .replace("%3", d.handed_over_at.strftime("%d/%m/%Y %H:%M")).replace("%4", d.pharmacist_name)
            .replace("%5", patient).replace("%6", d.prescriber.display_name))
        self.lines_model.set_rows(d.lines)
        self.lines_view.resizeRowsToContents()  # every mention readable, as it will be printed

    # --- reprinting ---------------------------------------------------------------------------------
    def reprint(self, kind: str) -> None:
        """Regenerate the selected delivery's PDF of ``kind`` (I/O pool), then print it."""
        record = self.record
        if record is None:
            self.print_label.setText(self.tr("Choisissez d'abord une délivrance."))
            return
        self.print_label.setText(self.tr("Préparation du document…"))
        actor = self.history.actor

        def rendered(pdf: Path) -> None:
            self.runner.run(lambda: self.history.trace_reprint(record, kind, actor), kind=DB, owner=self)
            self._print(pdf, kind)

        self.runner.run(lambda: self.history.render(record, kind), on_success=rendered,
                        on_failure=lambda message, _exc: self.print_label.setText(message), kind=IO, owner=self)

    def _print(self, pdf: Path, kind: str) -> None:
        self.last_pdf = pdf
        self.print_label.setText(self.tr("Impression de %1…").replace("%1", pdf.name))
        if not self._service().print_file(pdf, self.print_target, kind=kind, parent=self):
            self.print_label.setText(self.tr("Impression annulée : le PDF est conservé (%1).")
                                     .replace("%1", str(pdf)))

    def reprint_failed(self) -> None:
        """Send the selected failed print to the printer again (its PDF was kept)."""
        index = self.failed_view.currentIndex()
        if not index.isValid():
            return
        failed = self.failed_model.row(index.row())
        self._print(failed.pdf, failed.kind or MENTIONS)

    def _service(self) -> PrintService:
        if self.print_service is None:
            self._listen(PrintService(self.settings, self))
        return self.print_service

    def _listen(self, service: PrintService) -> None:
        self.print_service = service
        service.printed.connect(self._on_printed)
        service.failed.connect(self._on_print_failed)

    def _on_printed(self, pdf: Path, pages: int) -> None:
        self.print_label.setText(self.tr("Réimprimé (%1 page(s)) : %2").replace("%1", str(pages))
                                 .replace("%2", str(pdf)))
        self.refresh_failed()

    def _on_print_failed(self, _pdf: Path, message: str) -> None:
        self.print_label.setText(message)
        self.refresh_failed()

    # --- failed prints --------------------------------------------------------------------------
    def refresh_failed(self) -> None:
        pdf_dir = self.settings.pdf_dir
        self.runner.run(lambda: failed_prints(pdf_dir), on_success=self.failed_model.set_rows,
                        kind=IO, owner=self, latest="history-failed")

    def _update_failed_button(self) -> None:
        self.reprint_failed_button.setEnabled(self.failed_view.currentIndex().isValid())
        if self.failed_model.rowCount() and not self.failed_view.currentIndex().isValid():
            self.failed_view.selectRow(0)
