"""The adjustment dialog: why what is handed over differs from what was prescribed.

Why a dialog of its own: any change outside the generic group — other product, other quantity, other
posology, a line not delivered — must be recorded with its reason (from the reasons table of that
action, never from code, and none chosen in advance: the pharmacist picks it), whether and how the
prescriber agreed and when (date and time), and a free comment. Another medicine than the one
prescribed needs that agreement or a listed legal basis (art. L.5125-23 CSP): the dialog says so and
refuses without either. The dialog only collects these and returns an
:class:`~app.domain.delivery.Adjustment`; the workflow applies it. The tables' labels are shown in the
UI's language, and recorded in French (the ordonnancier, the service and the printouts are French).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.adjustments import AdjustmentRefused, check_product_change, reasons_for
from app.domain.delivery import Adjustment, AdjustmentKind
from app.domain.records import LegalBasis, Means, Reason
from app.ui.counter.dialog_parts import error_label, ok_cancel
from app.ui.i18n import shown_label


class AdjustmentDialog(QDialog):
    """Named handles for tests: ``reason_combo``, ``agreement_combo``, ``agreement_date``,
    ``agreement_time``, ``legal_basis_combo`` (shown for another medicine only), ``comment_edit``,
    ``ok_button``, ``cancel_button``, ``error_label``, ``why_label``.

    ``reasons`` is the whole table: the dialog offers those of ``kind``. ``product_name`` set: the
    change hands over another medicine, which needs the agreement or a legal basis."""

    def __init__(self, reasons: Sequence[Reason], means: Sequence[Means], *,
                 kind: AdjustmentKind = AdjustmentKind.PRODUCT, why: str = "", now: datetime | None = None,
                 legal_bases: Sequence[LegalBasis] = (), product_name: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Adaptation de la délivrance"))
        self.setObjectName("adjustment_dialog")
        self.kind = kind
        self._reasons = reasons_for(kind, list(reasons))
        self._means = list(means)
        self._bases = list(legal_bases)
        self._product_name = product_name
        self._now = (now or datetime.now()).replace(second=0, microsecond=0)
        self.result_adjustment: Adjustment | None = None

        self.why_label = QLabel(why)
        self.why_label.setWordWrap(True)
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("reason_combo")
        self.reason_combo.addItem(self.tr("— Choisissez le motif —"), None)
        for reason in self._reasons:
            self.reason_combo.addItem(shown_label(reason), reason.code)
        self.agreement_combo = QComboBox()
        self.agreement_combo.setObjectName("agreement_combo")
        self.agreement_combo.addItem(self.tr("Sans accord du prescripteur"), None)
        for item in self._means:
            self.agreement_combo.addItem(shown_label(item), item.code)
        today = QDate(self._now.year, self._now.month, self._now.day)
        self.agreement_date = QDateEdit(today)
        self.agreement_date.setObjectName("agreement_date")
        self.agreement_date.setCalendarPopup(True)
        self.agreement_date.setDisplayFormat("dd/MM/yyyy")
        self.agreement_date.setMaximumDate(today)
        self.agreement_time = QTimeEdit(QTime(self._now.hour, self._now.minute))
        self.agreement_time.setObjectName("agreement_time")
        self.agreement_time.setDisplayFormat("HH:mm")
        self.legal_basis_combo = QComboBox()
        self.legal_basis_combo.setObjectName("legal_basis_combo")
        self.legal_basis_combo.addItem(self.tr("Aucun (accord du prescripteur)"), None)
        for basis in self._bases:
            self.legal_basis_combo.addItem(shown_label(basis), basis.code)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setObjectName("comment_edit")
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setPlaceholderText(self.tr("Commentaire (obligatoire pour « autre »)"))
        self.comment_edit.setMaximumHeight(80)
        self.error_label = error_label("adjustment_error")

        buttons, self.ok_button, self.cancel_button = ok_cancel(self, self.tr("Valider"), self.tr("Annuler"))

        form = QFormLayout()
        form.addRow(self.tr("Motif"), self.reason_combo)
        form.addRow(self.tr("Accord du prescripteur"), self.agreement_combo)
        form.addRow(self.tr("Date de l'accord"), self.agreement_date)
        form.addRow(self.tr("Heure de l'accord"), self.agreement_time)
        if product_name is not None:
            form.addRow(self.tr("Fondement légal sans accord"), self.legal_basis_combo)
        else:
            self.legal_basis_combo.hide()
        form.addRow(self.tr("Commentaire"), self.comment_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.why_label)
        if product_name is not None:
            notice = QLabel(self.tr("Autre médicament que celui prescrit : accord exprès et préalable du "
                                    "prescripteur (moyen, date et heure) ou fondement légal obligatoire "
                                    "(art. L.5125-23 CSP)."))
            notice.setObjectName("agreement_notice")
            notice.setWordWrap(True)
            layout.addWidget(notice)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.agreement_combo.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        agreed = self.agreement_combo.currentData() is not None
        self.agreement_date.setEnabled(agreed)
        self.agreement_time.setEnabled(agreed)

    def selected_reason(self) -> Reason | None:
        code = self.reason_combo.currentData()
        return next((r for r in self._reasons if r.code == code), None)

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
        agreed_at = self.agreement_time.time().toPython() if means_code is not None else None
        if agreed_on is not None and agreed_at is not None and datetime.combine(agreed_on, agreed_at) > self._now:
            raise ValueError(self.tr("L'accord ne peut pas être daté dans le futur."))
        basis_code = self.legal_basis_combo.currentData() if self._product_name is not None else None
        basis = next((b for b in self._bases if b.code == basis_code), None)
        adjustment = Adjustment(reason_code=reason.code, reason_label=reason.label, agreement_means=means_label,
                                agreement_date=agreed_on, comment=comment, kind=self.kind,
                                agreement_time=agreed_at, legal_basis_code=basis.code if basis else None,
                                legal_basis=basis.label if basis else None)
        if self._product_name is not None:
            try:
                check_product_change(adjustment, self._product_name)
            except AdjustmentRefused as exc:
                raise ValueError(self.tr("Refusé : « %1 » n'est pas le médicament prescrit ni un générique "
                                         "substituable. Indiquez l'accord exprès et préalable du prescripteur "
                                         "(moyen, date et heure) ou un fondement légal (art. L.5125-23 CSP).")
                                 .replace("%1", self._product_name)) from exc
        return adjustment

    def accept(self) -> None:
        try:
            self.result_adjustment = self.adjustment()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        super().accept()
