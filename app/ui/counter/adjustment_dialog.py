"""The adjustment dialog: why what is handed over differs from what was prescribed.

Why a dialog of its own: any change outside the generic group — other product, other quantity, other
posology, a line not delivered — must be recorded with its reason (from the reasons table, never from
code), whether and how the prescriber agreed and when, and a free comment. The dialog only collects
these and returns an :class:`~app.domain.delivery.Adjustment`; the workflow applies it. The tables'
labels are shown in the UI's language, and recorded in French (the ordonnancier, the service and the
printouts are French).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.delivery import Adjustment
from app.domain.records import Means, Reason
from app.ui.i18n import shown_label


class AdjustmentDialog(QDialog):
    """Named handles for tests: ``reason_combo``, ``agreement_combo``, ``agreement_date``,
    ``comment_edit``, ``ok_button``, ``cancel_button``, ``error_label``, ``why_label``."""

    def __init__(self, reasons: Sequence[Reason], means: Sequence[Means], *, why: str = "",
                 today: date | None = None, default_reason: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Adaptation de la délivrance"))
        self.setObjectName("adjustment_dialog")
        self._reasons = list(reasons)
        self._means = list(means)
        self._today = today or date.today()
        self.result_adjustment: Adjustment | None = None

        self.why_label = QLabel(why)
        self.why_label.setWordWrap(True)
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("reason_combo")
        for reason in self._reasons:
            self.reason_combo.addItem(shown_label(reason), reason.code)
        if default_reason is not None:
            index = self.reason_combo.findData(default_reason)
            if index >= 0:
                self.reason_combo.setCurrentIndex(index)
        self.agreement_combo = QComboBox()
        self.agreement_combo.setObjectName("agreement_combo")
        self.agreement_combo.addItem(self.tr("Sans accord du prescripteur"), None)
        for item in self._means:
            self.agreement_combo.addItem(shown_label(item), item.code)
        self.agreement_date = QDateEdit(QDate(self._today.year, self._today.month, self._today.day))
        self.agreement_date.setObjectName("agreement_date")
        self.agreement_date.setCalendarPopup(True)
        self.agreement_date.setDisplayFormat("dd/MM/yyyy")
        self.agreement_date.setMaximumDate(QDate(self._today.year, self._today.month, self._today.day))
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setObjectName("comment_edit")
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setPlaceholderText(self.tr("Commentaire (obligatoire pour « autre »)"))
        self.comment_edit.setMaximumHeight(80)
        self.error_label = QLabel()
        self.error_label.setObjectName("adjustment_error")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Valider"))
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Annuler"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Motif"), self.reason_combo)
        form.addRow(self.tr("Accord du prescripteur"), self.agreement_combo)
        form.addRow(self.tr("Date de l'accord"), self.agreement_date)
        form.addRow(self.tr("Commentaire"), self.comment_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.why_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.agreement_combo.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.agreement_date.setEnabled(self.agreement_combo.currentData() is not None)

    def selected_reason(self) -> Reason | None:
        index = self.reason_combo.currentIndex()
        return self._reasons[index] if 0 <= index < len(self._reasons) else None

    def adjustment(self) -> Adjustment:
        """The adjustment as filled in; raises ValueError with a French message when incomplete."""
        reason = self.selected_reason()
        if reason is None:
            raise ValueError(self.tr("Choisissez un motif."))
        comment = self.comment_edit.toPlainText().strip()
        if reason.requires_comment and not comment:
            raise ValueError(self.tr("Motif « %1 » : précisez-le dans le commentaire.").replace("%1", shown_label(reason)))
        means_code = self.agreement_combo.currentData()
        means_label = next((m.label for m in self._means if m.code == means_code), None)
        agreed_on = self.agreement_date.date().toPython() if means_code is not None else None
        if agreed_on is not None and agreed_on > self._today:
            raise ValueError(self.tr("La date de l'accord ne peut pas être dans le futur."))
        return Adjustment(reason_code=reason.code, reason_label=reason.label, agreement_means=means_label,
                          agreement_date=agreed_on, comment=comment)

    def accept(self) -> None:
        try:
            self.result_adjustment = self.adjustment()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        super().accept()
