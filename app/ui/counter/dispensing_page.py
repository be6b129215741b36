"""The dispensing page: the prescription's head, its lines, the selected line's product and quantity,
the last scan's verdict, the rules' findings, and the way to billing.

Why so passive: the page shows a Dispensing and turns the pharmacist's gestures into requests
(signals); the counter screen decides, asks for an adjustment when needed and calls the workflow.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.delivery import DispenseStatus
from app.domain.dispensing import Dispensing
from app.domain.errors import ComptoirError
from app.domain.rules import Finding
from app.domain.substitution import ChangeKind
from app.ui.catalogue_view import make_table
from app.ui.counter.line_bar import LineBar
from app.ui.counter.lines_model import LineRow, fit_columns, make_lines_model, rows_of
from app.ui.counter.prescription_panel import PrescriptionPanel
from app.ui.i18n import finding_text, problem_text
from app.ui.keys import bind_key, key_text, note_key

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"


class DispensingPage(QWidget):
    """Named handles: ``panel``, ``lines_view``, ``lines_model``, ``product_combo``, ``quantity_spin``,
    ``quantity_button``, ``posology_button``, ``decline_button``, ``confirm_button``, ``scan_label``, ``findings_list``,
    ``override_button``, ``tiers_payant_check``, ``amc_spin``, ``bill_button``, ``abandon_button``, ``error_label``."""

    product_requested = Signal(str, object)  # line_id, Presentation
    quantity_requested = Signal(str, int)
    decline_requested = Signal(str)
    posology_requested = Signal(str)  # line_id: another posology than the prescribed one
    search_requested = Signal(str, str)  # line_id, text: another product for the line
    price_requested = Signal(str, object)  # line_id, Decimal: a price the catalogue does not have
    unscan_requested = Signal(str, int)  # line_id, index of the box to take back
    hold_requested = Signal(str, bool)  # line_id, True: set aside (on-hold), False: back to dispensing
    confirm_requested = Signal(str)
    refuse_generic_requested = Signal(str)  # line_id: the patient refuses the generic
    exceptional_requested = Signal(str)  # line_id: dispensation supplémentaire exceptionnelle (L.5125-23-1)
    override_requested = Signal(object)  # Finding
    bill_requested = Signal(bool)  # tiers payant
    abandon_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dispensing: Dispensing | None = None
        self.findings: list[Finding] = []
        self._open_warnings: list[Finding] = []
        self.panel = PrescriptionPanel()
        self.lines_model = make_lines_model()
        self.lines_view = make_table(self.lines_model, "lines_view")
        # Long texts wrap inside a bounded column so that what is handed over stays in sight.
        self.lines_view.setWordWrap(True)
        self.lines_view.horizontalHeader().setMaximumSectionSize(210)
        fit_columns(self.lines_view)
        self.lines_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.line_bar = LineBar()  # the line's product and boxes, as on the preparer's screen
        self.product_combo = self.line_bar.product_combo
        self.quantity_spin = self.line_bar.quantity_spin
        self.quantity_button = self.line_bar.quantity_button
        self.confirm_button = QPushButton(self.tr("Valider sans scanner"))
        self.decline_button = QPushButton(self.tr("Ne pas délivrer…"))
        self.posology_button = QPushButton(self.tr("Modifier la posologie… (F7)"))
        self.posology_button.setObjectName("posology_button")
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("product_search")
        self.search_edit.setPlaceholderText(self.tr("Autre produit : nom ou CIP13, puis Entrée"))
        self.price_spin = QDoubleSpinBox()
        self.price_spin.setObjectName("price_spin")
        self.price_spin.setRange(0, 9999.99)
        self.price_spin.setDecimals(2)
        self.price_spin.setSuffix(" €")
        self.price_button = QPushButton(self.tr("Fixer le prix"))
        self.unscan_button = QPushButton(self.tr("Retirer la dernière boîte"))
        self.hold_button = QPushButton(self.tr("Mettre en attente"))
        self.refuse_generic_button = QPushButton(self.tr("Refus du générique"))
        self.refuse_generic_button.setObjectName("refuse_generic_button")
        self.refuse_generic_button.setToolTip(self.tr("Le patient refuse le générique : le princeps est délivré, "
                                                      "sans tiers payant pour cette ligne (art. L.162-16-7 CSS)"))
        self.exceptional_button = QPushButton(self.tr("Dispensation exceptionnelle (art. L.5125-23-1)"))
        self.exceptional_button.setObjectName("exceptional_button")
        self.exceptional_button.setToolTip(self.tr("Ordonnance expirée d'un traitement chronique : un mois de plus "
                                                   "(trois au plus), ou des mois de contraceptif oral ; "
                                                   "le prescripteur est informé"))
        self.scan_label = QLabel(self.tr("Scannez les boîtes : chaque boîte coche sa ligne."))
        self.scan_label.setObjectName("scan_label")
        self.scan_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("dispensing_error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.findings_list = QListWidget()
        self.findings_list.setObjectName("findings_list")
        self.findings_list.setMaximumHeight(90)
        self.override_button = QPushButton(self.tr("Passer outre l'avertissement…"))
        self.tiers_payant_check = QCheckBox(self.tr("Tiers payant"))
        self.tiers_payant_check.setChecked(True)
        self.amc_spin = QSpinBox()  # the complementary's share, % of what the AMO leaves (0: none)
        self.amc_spin.setObjectName("amc_spin")
        self.amc_spin.setRange(0, 100)
        self.amc_spin.setSuffix(" %")
        self.amc_spin.setSpecialValueText(self.tr("aucune"))
        self.amc_spin.setToolTip(self.tr("Part de la complémentaire santé (AMC), en pourcentage de ce que "
                                         "l'Assurance Maladie laisse au patient"))
        self.bill_button = QPushButton(self.tr("Facturer (F9)"))
        self.bill_button.setObjectName("bill_button")
        self.abandon_button = QPushButton(self.tr("Abandonner"))

        self._bind_keys()

        line_bar = QHBoxLayout()
        line_bar.addWidget(self.line_bar, 1)
        line_bar.addWidget(self.confirm_button)
        line_bar.addWidget(self.posology_button)
        line_bar.addWidget(self.decline_button)
        other_bar = QHBoxLayout()
        other_bar.addWidget(self.search_edit, 1)
        other_bar.addWidget(QLabel(self.tr("Prix")))
        other_bar.addWidget(self.price_spin)
        other_bar.addWidget(self.price_button)
        other_bar.addWidget(self.unscan_button)
        other_bar.addWidget(self.hold_button)
        other_bar.addWidget(self.refuse_generic_button)
        other_bar.addWidget(self.exceptional_button)
        end_bar = QHBoxLayout()
        end_bar.addWidget(self.abandon_button)
        end_bar.addStretch(1)
        end_bar.addWidget(self.override_button)
        end_bar.addWidget(self.tiers_payant_check)
        end_bar.addWidget(QLabel(self.tr("Complémentaire")))
        end_bar.addWidget(self.amc_spin)
        end_bar.addWidget(self.bill_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(self.lines_view, 1)
        layout.addLayout(line_bar)
        layout.addLayout(other_bar)
        layout.addWidget(self.scan_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.findings_list)
        layout.addLayout(end_bar)

        self.lines_view.selectionModel().currentRowChanged.connect(lambda *_: self._sync_line_bar())
        self.line_bar.product_requested.connect(self._line_request(self.product_requested))
        self.line_bar.quantity_requested.connect(self._line_request(self.quantity_requested))
        self.confirm_button.clicked.connect(lambda: self._emit_for_line(self.confirm_requested))
        self.refuse_generic_button.clicked.connect(lambda: self._emit_for_line(self.refuse_generic_requested))
        self.exceptional_button.clicked.connect(lambda: self._emit_for_line(self.exceptional_requested))
        self.decline_button.clicked.connect(lambda: self._emit_for_line(self.decline_requested))
        self.posology_button.clicked.connect(lambda: self._emit_for_line(self.posology_requested))
        self.override_button.clicked.connect(self._on_override)
        self.search_edit.returnPressed.connect(self._on_search)
        self.price_button.clicked.connect(self._on_price)
        self.unscan_button.clicked.connect(self._on_unscan)
        self.hold_button.clicked.connect(self._on_hold)
        self.bill_button.clicked.connect(lambda: self.bill_requested.emit(self.tiers_payant_check.isChecked()))
        self.abandon_button.clicked.connect(self.abandon_requested.emit)

    def _bind_keys(self) -> None:
        """Every action has a key, written on its button (F1 lists them; F7 and F9 are handled in
        :meth:`keyPressEvent` so that they work wherever the focus is on the counter screen)."""
        self.key_map_title = self.tr("Délivrance")
        note_key(self, "Up", self.tr("Ligne précédente / suivante (↑ ↓)"))
        note_key(self, "F7", self.tr("Modifier la posologie de la ligne"))
        note_key(self, "F9", self.tr("Facturer"))
        for button, key, action in (
            (self.quantity_button, "F6", self.tr("Changer la quantité de la ligne")),
            (self.confirm_button, "F8", self.tr("Valider la ligne sans scanner")),
            (self.decline_button, "Ctrl+N", self.tr("Ne pas délivrer la ligne")),
            (self.price_button, "Ctrl+P", self.tr("Fixer le prix")),
            (self.unscan_button, "Ctrl+Z", self.tr("Retirer la dernière boîte scannée")),
            (self.hold_button, "Ctrl+H", self.tr("Mettre en attente / reprendre la ligne")),
            (self.override_button, "Ctrl+O", self.tr("Passer outre l'avertissement")),
            (self.tiers_payant_check, "Ctrl+T", self.tr("Tiers payant oui / non")),
            (self.refuse_generic_button, "Ctrl+G", self.tr("Le patient refuse le générique : princeps délivré")),
            (self.exceptional_button, "Ctrl+J", self.tr("Dispensation exceptionnelle d'une ordonnance expirée")),
            (self.abandon_button, "Ctrl+Del", self.tr("Abandonner la délivrance")),
        ):
            bind_key(button, key, self, action)
        self._hold_key = f" ({key_text('Ctrl+H')})"
        for widget, key, action in ((self.search_edit, "Ctrl+F", self.tr("Chercher un autre produit")),
                                    (self.product_combo, "Ctrl+L", self.tr("Choisir le produit de la ligne"))):
            shortcut = QShortcut(QKeySequence(key), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(widget.setFocus)
            note_key(self, key, action)
        self.search_edit.setPlaceholderText(self.search_edit.placeholderText() + f" ({key_text('Ctrl+F')})")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F9 bills, F7 changes the selected line's posology, wherever the focus is on the page (keys the
        children leave unhandled come here)."""
        if event.key() == Qt.Key.Key_F9:
            self.bill_button.click()
            return
        if event.key() == Qt.Key.Key_F7:
            if self.posology_button.isEnabled():
                self.posology_button.click()
            return
        super().keyPressEvent(event)

    # --- showing -------------------------------------------------------------------------------
    def show_dispensing(self, dispensing: Dispensing, findings: list[Finding], today: date) -> None:
        keep = max(self.lines_view.currentIndex().row(), 0)
        self.dispensing = dispensing
        self.findings = findings
        self.panel.show_dispensing(dispensing, findings, today)
        self.lines_model.set_rows(rows_of(dispensing))
        self.lines_view.selectRow(min(keep, len(dispensing.lines) - 1))
        self.findings_list.clear()
        open_warnings = []
        for finding in findings:
            reason = self._override_reason(dispensing, finding)
            if finding.blocking:
                text = "✖ " + finding_text(finding)
            elif reason:
                text = "✔ " + finding_text(finding) + " — " + self.tr("outrepassé : %1").replace("%1", reason)
            else:
                text = "⚠ " + finding_text(finding)
                open_warnings.append(finding)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, finding)
            item.setToolTip(f"{finding.code} — {finding.article}")  # the stable code (README)
            self.findings_list.addItem(item)
        self.findings_list.setVisible(bool(findings))
        self.override_button.setVisible(bool(open_warnings))
        self._open_warnings = open_warnings
        self.bill_button.setToolTip("\n".join(problem_text(*item) for item in dispensing.problem_items()))
        self._sync_line_bar()

    def show_scan(self, message: str, ok: bool) -> None:
        self.scan_label.setText(message)
        self.scan_label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        if ok:  # an accepted box changes the lines: an earlier refusal (e.g. "ligne à préparer") is stale
            self.error_label.clear()

    def clear_scan(self) -> None:
        """Back to the prompt: the last scan's verdict no longer describes the lines (the quantity
        or the product changed since)."""
        self.scan_label.setText(self.tr("Scannez les boîtes : chaque boîte coche sa ligne."))
        self.scan_label.setStyleSheet("")

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)

    def current_row(self) -> LineRow | None:
        index = self.lines_view.currentIndex().row()
        return self.lines_model.row(index) if 0 <= index < self.lines_model.rowCount() else None

    def select_line(self, line_id: str) -> None:
        for i, row in enumerate(self.lines_model.rows):
            if row.state.line_id == line_id:
                self.lines_view.selectRow(i)
                return

    def _sync_line_bar(self) -> None:
        row = self.current_row()
        self.line_bar.show_line(row)
        enabled = row is not None
        for widget in (self.confirm_button, self.decline_button, self.posology_button, self.search_edit):
            widget.setEnabled(enabled)
        needs_price = row is not None and row.state.product is not None and row.state.product.price is None
        self.price_spin.setEnabled(needs_price)
        self.price_button.setEnabled(needs_price)
        self.unscan_button.setEnabled(row is not None and bool(row.state.boxes))
        parked = row is not None and row.state.status in (DispenseStatus.ON_HOLD, DispenseStatus.DECLINED)
        self.hold_button.setText((self.tr("Reprendre la ligne") if parked else self.tr("Mettre en attente"))
                                 + self._hold_key)
        self.hold_button.setEnabled(row is not None)
        # an expired line (done or set aside) may be dispensed exceptionally; the workflow says why not
        self.exceptional_button.setEnabled(row is not None and row.state.status is DispenseStatus.CANCELLED
                                           and self.dispensing is not None)
        self.exceptional_button.setVisible(self.dispensing is not None and any(
            s.status is DispenseStatus.CANCELLED for s in self.dispensing.lines))
        kinds = set(row.state.proposal_kinds.values()) if row is not None else set()
        self.refuse_generic_button.setEnabled(ChangeKind.GENERIC in kinds and ChangeKind.SAME in kinds
                                              and row.state.generic_refusal is None)

    # --- requests ------------------------------------------------------------------------------
    def _emit_for_line(self, signal) -> None:
        row = self.current_row()
        if row is not None:
            self.error_label.clear()
            signal.emit(row.state.line_id)

    def _line_request(self, signal):
        """The line bar's request, passed on with the last error cleared."""
        def forward(line_id: str, value: object) -> None:
            self.error_label.clear()
            signal.emit(line_id, value)
        return forward

    def _on_search(self) -> None:
        row = self.current_row()
        text = self.search_edit.text().strip()
        if row is not None and len(text) >= 2:
            self.error_label.clear()
            self.search_requested.emit(row.state.line_id, text)

    def _on_price(self) -> None:
        row = self.current_row()
        if row is not None:
            self.error_label.clear()
            self.price_requested.emit(row.state.line_id, Decimal(str(round(self.price_spin.value(), 2))))

    def _on_hold(self) -> None:
        row = self.current_row()
        if row is not None:
            self.error_label.clear()
            parked = row.state.status in (DispenseStatus.ON_HOLD, DispenseStatus.DECLINED)
            self.hold_requested.emit(row.state.line_id, not parked)

    def _on_unscan(self) -> None:
        row = self.current_row()
        if row is not None and row.state.boxes:
            self.unscan_requested.emit(row.state.line_id, len(row.state.boxes) - 1)

    @staticmethod
    def _override_reason(dispensing: Dispensing, finding: Finding) -> str:
        if finding.line_id is None:
            return ""
        try:
            return dispensing.line(finding.line_id).overrides.get(finding.rule, "")
        except ComptoirError:
            return ""

    def _on_override(self) -> None:
        """The warning selected in the list, else the first one still open."""
        item = self.findings_list.currentItem()
        chosen = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if chosen not in self._open_warnings:
            chosen = self._open_warnings[0] if self._open_warnings else None
        if chosen is not None:
            self.override_requested.emit(chosen)
