"""Billing, recording and printing: the bill, then "Enregistrer et imprimer", then the next ordonnance.

Why one page: after the bill nothing about the delivery can change; what is left is recording it
(service + ordonnancier, or kept for sending when the service is unreachable) and printing the
annotated ordonnance. The page shows each step's state and its French message where it happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.billing import Bill, BilledFee, BilledLine
from app.ui import formatting
from app.ui.catalogue_view import make_table
from app.ui.counter.prescription_panel import PrescriptionPanel
from app.ui.i18n import _t, fee_label
from app.ui.models import Column, ListTableModel
from app.ui.notices import notice_text
from app.workflow.counter import Recorded

ERROR_STYLE = "color: #b00020;"
WARN_STYLE = "color: #8a5300; font-weight: bold;"
OK_STYLE = "color: #1b5e20; font-weight: bold;"
FEE_BACKGROUND = "#eef3f8"
LABEL_COLUMN = 0


@dataclass(frozen=True)
class BillRow:
    """One row of the bill as the screen shows it: a product's line (its CIP13 as code) or a fee of the
    convention (its code: HDR, HDA, HDE, HC)."""

    label: str
    code: str
    boxes: int | None
    unit_price: Decimal | None
    rate: int
    total: Decimal
    amo: Decimal
    amc: Decimal
    patient: Decimal
    fee: bool = False

    @classmethod
    def of_line(cls, line: BilledLine) -> BillRow:
        label = line.label + (_t(" (dont honoraire %1)").replace("%1", line.fee_code) if line.fee_code else "")
        return cls(label, line.cip13, line.boxes, line.unit_price, line.rate, line.total, line.amo_share,
                   line.amc_share, line.patient_share)

    @classmethod
    def of_fee(cls, fee: BilledFee) -> BillRow:
        return cls(fee_label(fee.code, fee.label), fee.code, None, None, fee.rate, fee.total, fee.amo_share, fee.amc_share,
                   fee.patient_share, fee=True)


def bill_rows(bill: Bill) -> list[BillRow]:
    """The bill's lines, then its fees."""
    return [BillRow.of_line(line) for line in bill.lines] + [BillRow.of_fee(fee) for fee in bill.fees]


class BillingPage(QWidget):
    """Named handles: ``panel``, ``bill_view``, ``bill_model`` (the lines, then the fees),
    ``totals_label``, ``franchise_label``, ``invoice_label``, ``print_check``, ``back_button``,
    ``record_button``, ``record_label``, ``print_label``, ``next_button``."""

    record_requested = Signal(bool)  # also send to the printer
    next_requested = Signal()
    back_requested = Signal()  # back to the dispensing page (the bill stays as issued)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = PrescriptionPanel()
        fee_colour = lambda r: FEE_BACKGROUND if r.fee else None  # noqa: E731
        self.bill_model: ListTableModel[BillRow] = ListTableModel([
            Column(self.tr("Produit ou honoraire"), lambda r: r.label, background=fee_colour),
            Column(self.tr("Code"), lambda r: r.code, background=fee_colour),
            Column(self.tr("Boîtes"), lambda r: "" if r.boxes is None else str(r.boxes), align_right=True),
            Column(self.tr("Prix unitaire"), lambda r: "" if r.unit_price is None else formatting.money(r.unit_price),
                   align_right=True),
            Column(self.tr("Taux"), lambda r: formatting.rate(r.rate), align_right=True),
            Column(self.tr("Total"), lambda r: formatting.money(r.total), align_right=True),
            Column(self.tr("Part AMO"), lambda r: formatting.money(r.amo), align_right=True),
            Column(self.tr("Part AMC"), lambda r: formatting.money(r.amc), align_right=True),
            Column(self.tr("Part patient"), lambda r: formatting.money(r.patient), align_right=True),
        ])
        self.bill_view = make_table(self.bill_model, "bill_view")
        header = self.bill_view.horizontalHeader()  # the label takes the room; the amounts what they need
        header.setStretchLastSection(False)
        header.setSectionResizeMode(LABEL_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.franchise_label = QLabel()
        self.franchise_label.setObjectName("franchise_label")
        self.franchise_label.setWordWrap(True)
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
        self.back_button = QPushButton(self.tr("Retour (Échap)"))
        self.back_button.setObjectName("back_button")
        self.back_button.setToolTip(self.tr("Revenir à la délivrance : la facture reste celle établie."))

        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addWidget(self.print_check)
        actions.addStretch(1)
        actions.addWidget(self.record_button)
        actions.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(self.bill_view, 1)
        layout.addWidget(self.invoice_label)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.franchise_label)
        layout.addWidget(self.record_label)
        layout.addWidget(self.print_label)
        layout.addLayout(actions)
        self.record_button.clicked.connect(lambda: self.record_requested.emit(self.print_check.isChecked()))
        self.next_button.clicked.connect(self.next_requested.emit)
        self.back_button.clicked.connect(self.back_requested.emit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F10 records and prints; F12 (or Enter once recorded) goes to the next ordonnance; Échap goes
        back to the dispensing while nothing is recorded."""
        key = event.key()
        if key == Qt.Key.Key_Escape and self.back_button.isEnabled():
            self.back_button.click()
        elif key == Qt.Key.Key_F10 and self.record_button.isEnabled():
            self.record_button.click()
        elif key == Qt.Key.Key_F12 and self.next_button.isEnabled():
            self.next_button.click()
        else:
            super().keyPressEvent(event)

    def show_bill(self, bill: Bill, invoice_number: str | None) -> None:
        self.bill_model.set_rows(bill_rows(bill))
        self.invoice_label.setText(self.tr("Facture n° %1").replace("%1", invoice_number or "—"))
        due = formatting.money(bill.due_now)
        mode = self.tr("tiers payant") if bill.tiers_payant else self.tr("sans tiers payant")
        self.totals_label.setText(
            self.tr("Total %1 — part AMO %2 — part AMC %6 — part patient %3 — à payer : %4 (%5)")
            .replace("%1", formatting.money(bill.total)).replace("%2", formatting.money(bill.amo_share))
            .replace("%3", formatting.money(bill.patient_share)).replace("%4", due).replace("%5", mode)
            .replace("%6", formatting.money(bill.amc_share)))
        self.franchise_label.setText(self._franchise_text(bill))
        self.record_label.clear()
        self.print_label.clear()
        self.record_button.setEnabled(True)
        self.back_button.setEnabled(True)
        self.next_button.setEnabled(False)
        self.record_button.setFocus()

    def _franchise_text(self, bill: Bill) -> str:
        notice = bill.franchise
        if notice is None:
            return ""
        if notice.exempt:
            return self.tr("Franchise médicale : non due (%1).").replace("%1", notice.exempt)
        return (self.tr("Franchise médicale : %1 (%2 boîte(s)), retenue plus tard par l'Assurance Maladie, "
                        "pas payée ici.")
                .replace("%1", formatting.money(Decimal(notice.cents) / 100)).replace("%2", str(notice.boxes)))

    def set_recording(self) -> None:
        self.record_button.setEnabled(False)
        self.back_button.setEnabled(False)
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
            self.record_label.setToolTip(notice_text(recorded.message))
        if recorded.warnings:  # the register lacks an address: say it now, the paper can still be completed
            self.record_label.setStyleSheet(WARN_STYLE)
            self.record_label.setText("\n".join((self.record_label.text(), *map(notice_text, recorded.warnings))))
        self.next_button.setEnabled(True)
        self.next_button.setFocus()

    def show_record_error(self, message: str) -> None:
        self.record_label.setStyleSheet(ERROR_STYLE)
        self.record_label.setText(message)
        self.record_button.setEnabled(True)
        self.back_button.setEnabled(True)

    def set_printing(self) -> None:
        self.print_label.setStyleSheet("")
        self.print_label.setText(self.tr("Impression…"))

    def show_printed(self, pdf: Path) -> None:
        self.print_label.setStyleSheet("")
        self.print_label.setText(self.tr("Ordonnance annotée : %1").replace("%1", str(pdf)))

    def show_print_error(self, message: str) -> None:
        self.print_label.setStyleSheet(ERROR_STYLE)
        self.print_label.setText(message)
