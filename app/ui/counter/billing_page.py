"""Billing, recording and printing: the bill, then "Enregistrer et imprimer", then the next ordonnance.

Why one page: after the bill nothing about the delivery can change; what is left is recording it
(service + ordonnancier, or kept for sending when the service is unreachable) and printing the
annotated ordonnance. The page shows each step's state and its French message where it happened.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.billing import Bill, BilledLine
from app.ui import formatting
from app.ui.catalogue_view import make_table
from app.ui.counter.prescription_panel import PrescriptionPanel
from app.ui.models import Column, ListTableModel
from app.workflow.counter import Recorded

ERROR_STYLE = "color: #b00020;"
WARN_STYLE = "color: #8a5300; font-weight: bold;"
OK_STYLE = "color: #1b5e20; font-weight: bold;"


class BillingPage(QWidget):
    """Named handles: ``panel``, ``bill_view``, ``bill_model``, ``totals_label``, ``invoice_label``,
    ``print_check``, ``record_button``, ``record_label``, ``print_label``, ``next_button``."""

    record_requested = Signal(bool)  # also send to the printer
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = PrescriptionPanel()
        self.bill_model: ListTableModel[BilledLine] = ListTableModel([
            Column(self.tr("Produit"), lambda b: b.label),
            Column(self.tr("CIP13"), lambda b: b.cip13),
            Column(self.tr("Boîtes"), lambda b: str(b.boxes), align_right=True),
            Column(self.tr("Prix unitaire"), lambda b: formatting.money(b.unit_price), align_right=True),
            Column(self.tr("Taux"), lambda b: formatting.rate(b.rate), align_right=True),
            Column(self.tr("Total"), lambda b: formatting.money(b.total), align_right=True),
            Column(self.tr("Part AMO"), lambda b: formatting.money(b.amo_share), align_right=True),
            Column(self.tr("Part patient"), lambda b: formatting.money(b.patient_share), align_right=True),
        ])
        self.bill_view = make_table(self.bill_model, "bill_view")
        self.invoice_label = QLabel()
        self.totals_label = QLabel()
        self.totals_label.setObjectName("totals_label")
        self.totals_label.setStyleSheet("font-size: 14pt;")
        self.print_check = QCheckBox(self.tr("Imprimer sur l'ordonnance papier"))
        self.print_check.setChecked(True)
        self.record_button = QPushButton(self.tr("Enregistrer et imprimer (F10)"))
        self.record_button.setObjectName("record_button")
        self.record_label = QLabel()
        self.record_label.setObjectName("record_label")
        self.record_label.setWordWrap(True)
        self.print_label = QLabel()
        self.print_label.setObjectName("print_label")
        self.print_label.setWordWrap(True)
        self.next_button = QPushButton(self.tr("Ordonnance suivante (F12)"))
        self.next_button.setObjectName("next_button")

        actions = QHBoxLayout()
        actions.addWidget(self.print_check)
        actions.addStretch(1)
        actions.addWidget(self.record_button)
        actions.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(self.bill_view, 1)
        layout.addWidget(self.invoice_label)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.record_label)
        layout.addWidget(self.print_label)
        layout.addLayout(actions)
        self.record_button.clicked.connect(lambda: self.record_requested.emit(self.print_check.isChecked()))
        self.next_button.clicked.connect(self.next_requested.emit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F10 records and prints; F12 (or Enter once recorded) goes to the next ordonnance."""
        key = event.key()
        if key == Qt.Key.Key_F10 and self.record_button.isEnabled():
            self.record_button.click()
        elif key == Qt.Key.Key_F12 and self.next_button.isEnabled():
            self.next_button.click()
        else:
            super().keyPressEvent(event)

    def show_bill(self, bill: Bill, invoice_number: str | None) -> None:
        self.bill_model.set_rows(bill.lines)
        self.invoice_label.setText(self.tr("Facture n° %1").replace("%1", invoice_number or "—"))
        due = formatting.money(bill.due_now)
        mode = self.tr("tiers payant") if bill.tiers_payant else self.tr("sans tiers payant")
        self.totals_label.setText(
            self.tr("Total %1 — part AMO %2 — part patient %3 — à payer : %4 (%5)")
            .replace("%1", formatting.money(bill.total)).replace("%2", formatting.money(bill.amo_share))
            .replace("%3", formatting.money(bill.patient_share)).replace("%4", due).replace("%5", mode))
        self.record_label.clear()
        self.print_label.clear()
        self.record_button.setEnabled(True)
        self.next_button.setEnabled(False)
        self.record_button.setFocus()

    def set_recording(self) -> None:
        self.record_button.setEnabled(False)
        self.record_label.setStyleSheet("")
        self.record_label.setText(self.tr("Enregistrement de la délivrance…"))

    def show_recorded(self, recorded: Recorded) -> None:
        if recorded.transmitted:
            self.record_label.setStyleSheet(OK_STYLE)
            self.record_label.setText(self.tr("Délivrance enregistrée et transmise au service."))
        else:
            self.record_label.setStyleSheet(WARN_STYLE)
            text = self.tr("Transmission différée : la délivrance est enregistrée et sera transmise dès que "
                           "le service répondra.")
            self.record_label.setText(text)
            # the service's own answer (often "Service indisponible …" again): on hover, not a second line
            self.record_label.setToolTip(recorded.message)
        self.next_button.setEnabled(True)
        self.next_button.setFocus()

    def show_record_error(self, message: str) -> None:
        self.record_label.setStyleSheet(ERROR_STYLE)
        self.record_label.setText(message)
        self.record_button.setEnabled(True)

    def set_printing(self) -> None:
        self.print_label.setStyleSheet("")
        self.print_label.setText(self.tr("Impression…"))

    def show_printed(self, pdf: Path) -> None:
        self.print_label.setStyleSheet("")
        self.print_label.setText(self.tr("Ordonnance annotée : %1").replace("%1", str(pdf)))

    def show_print_error(self, message: str) -> None:
        self.print_label.setStyleSheet(ERROR_STYLE)
        self.print_label.setText(message)
