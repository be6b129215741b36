"""The dialog of the dispensation supplémentaire exceptionnelle (art. L.5125-23-1 CSP): how and when
the prescriber is informed.

Why a dialog of its own: the exceptional dispensing of an expired ordonnance needs no agreement of
the prescriber — he is INFORMED, "par tous moyens sécurisés" (R.5123-2-1: secure health messaging
first) — so the adjustment dialog's agreement fields would say the wrong thing. Its reason is the
one the reasons table gives the exceptional kind (the treatment's continuity), shown, not chosen.
The dialog only returns an :class:`~app.domain.delivery.Adjustment`; the workflow checks the line's
eligibility and sets the boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.domain.adjustments import reasons_for
from app.domain.delivery import Adjustment, AdjustmentKind
from app.domain.records import Means, Reason
from app.ui.counter.dialog_parts import error_label, ok_cancel
from app.ui.i18n import shown_label


class ExceptionalDialog(QDialog):
    """Named handles for tests: ``informed_combo``, ``informed_date``, ``reason_label``, ``why_label``,
    ``ok_button``, ``cancel_button``, ``error_label``."""

    def __init__(self, reasons: Sequence[Reason], means: Sequence[Means], medication: str, *,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exceptional_dialog")
        self.setWindowTitle(self.tr("Dispensation exceptionnelle (art. L.5125-23-1)"))
        self._reason = next(iter(reasons_for(AdjustmentKind.EXCEPTIONAL, list(reasons))), None)
        self._means = list(means)
        self.result_adjustment: Adjustment | None = None
        day = today or date.today()
        self.why_label = QLabel(self.tr("« %1 » : ordonnance expirée. Dispensation supplémentaire exceptionnelle "
                                        "pour éviter une interruption du traitement, dans la posologie prescrite ; "
                                        "le prescripteur en est informé par un moyen sécurisé.").replace("%1", medication))
        self.why_label.setWordWrap(True)
        self.reason_label = QLabel(shown_label(self._reason) if self._reason else self.tr("(aucun motif en vigueur)"))
        self.reason_label.setObjectName("reason_label")
        self.informed_combo = QComboBox()
        self.informed_combo.setObjectName("informed_combo")
        self.informed_combo.addItem(self.tr("— Choisissez le moyen —"), None)
        for item in self._means:
            self.informed_combo.addItem(shown_label(item), item.code)
        qday = QDate(day.year, day.month, day.day)
        self.informed_date = QDateEdit(qday)
        self.informed_date.setObjectName("informed_date")
        self.informed_date.setCalendarPopup(True)
        self.informed_date.setDisplayFormat("dd/MM/yyyy")
        self.informed_date.setMinimumDate(qday)  # informed now or as soon as possible, never before
        self.error_label = error_label("exceptional_error")
        buttons, self.ok_button, self.cancel_button = ok_cancel(self, self.tr("Délivrer"), self.tr("Annuler"))
        form = QFormLayout()
        form.addRow(self.tr("Motif"), self.reason_label)
        form.addRow(self.tr("Prescripteur informé par"), self.informed_combo)
        form.addRow(self.tr("Date de l'information"), self.informed_date)
        layout = QVBoxLayout(self)
        layout.addWidget(self.why_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def adjustment(self) -> Adjustment:
        """The adjustment as filled in; ValueError with a French message when incomplete."""
        if self._reason is None:
            raise ValueError(self.tr("Aucun motif de dispensation exceptionnelle en vigueur."))
        code = self.informed_combo.currentData()
        means = next((m.label for m in self._means if m.code == code), None)
        if means is None:
            raise ValueError(self.tr("Indiquez par quel moyen le prescripteur est informé."))
        return Adjustment(reason_code=self._reason.code, reason_label=self._reason.label,
                          kind=AdjustmentKind.EXCEPTIONAL, informed_means=means,
                          informed_on=self.informed_date.date().toPython())

    def accept(self) -> None:
        try:
            self.result_adjustment = self.adjustment()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        super().accept()
