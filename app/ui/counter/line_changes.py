"""Changes to one line of the dispensing, with the dialogs that ask why.

Why apart from the screen: every change to what was prescribed — another product outside the generic
group, another quantity, another posology, a line not delivered — needs a reason from the adjustment
dialog before the workflow applies it, and a rule warning needs the reason it is overridden. Each
method here asks what is needed and RETURNS the operation (:mod:`app.workflow.ops`) to apply, or None
when the pharmacist cancelled; the screen applies it. Nothing here knows the screen.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from app.domain.bearer import BearerRequired
from app.domain.catalogue import Presentation
from app.domain.delivery import Adjustment, AdjustmentKind
from app.domain.dispensing import Dispensing
from app.domain.records import LegalBasis, Means, Reason
from app.domain.rules import Finding
from app.ui.counter.adjustment_dialog import AdjustmentDialog
from app.ui.counter.bearer_dialog import BearerDialog
from app.ui.counter.exceptional_dialog import ExceptionalDialog
from app.ui.counter.posology_dialog import PosologyDialog
from app.ui.delivery_text import remember_means
from app.ui.i18n import finding_text
from app.workflow.ops import (
    ChangePosology,
    ChooseProduct,
    Decline,
    DispenseExceptionally,
    Override,
    SetBearer,
    SetQuantity,
)


class LineChanges(QObject):
    """Asks for the reason of a change and returns the operation.

    The dialogs are announced on ``adjustment_dialog_opened``, ``override_dialog_opened``,
    ``posology_dialog_opened`` and ``bearer_dialog_opened`` (the screen repeats them) so that tests
    and scripts can fill them.
    """

    adjustment_dialog_opened = Signal(object)
    exceptional_dialog_opened = Signal(object)
    override_dialog_opened = Signal(object)
    posology_dialog_opened = Signal(object)
    bearer_dialog_opened = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.reasons: list[Reason] = []
        self.means: list[Means] = []
        self.legal_bases: list[LegalBasis] = []

    def keep_reference(self, tables: tuple[list[Reason], list[Means], list[LegalBasis]]) -> None:
        """The reasons table, the means of agreement and the legal bases, read once off the GUI thread."""
        self.reasons, self.means, self.legal_bases = tables
        remember_means(self.means)  # the recorded adjustments' means of agreement, shown in the UI's language

    # --- dialogs ---------------------------------------------------------------------------------
    def ask_adjustment(self, kind: AdjustmentKind, why: str, *, product_name: str | None = None) -> Adjustment | None:
        """Open the adjustment dialog on the reasons of ``kind``, none chosen; None when cancelled.
        ``product_name``: another medicine, which needs the agreement or a legal basis."""
        dialog = AdjustmentDialog(self.reasons, self.means, kind=kind, why=why, now=datetime.now(),
                                  legal_bases=self.legal_bases, product_name=product_name, parent=self._parent)
        self.adjustment_dialog_opened.emit(dialog)
        accepted = dialog.exec()
        dialog.deleteLater()
        return dialog.result_adjustment if accepted else None

    def ask_posology(self, d: Dispensing, line_id: str) -> str | None:
        """Open the posology dialog for a line; the new posology, or None when cancelled."""
        line = d.prescribed(line_id)
        current = d.line(line_id).posology or line.posology_text
        dialog = PosologyDialog(line.medication.text, line.posology_text, current, parent=self._parent)
        self.posology_dialog_opened.emit(dialog)
        accepted = dialog.exec()
        dialog.deleteLater()
        return dialog.result_posology if accepted else None

    # --- changes -----------------------------------------------------------------------------------
    def choose_product(self, d: Dispensing, line_id: str, product: Presentation) -> ChooseProduct | None:
        adjustment = None
        why = d.requires_adjustment(line_id, product=product)
        if why:  # said in the UI's language; the core decides that it is a change
            why = self.tr("%1 n'est pas le médicament prescrit ni un générique substituable.").replace("%1", product.name)
            other = product.name if d.another_medicine(line_id, product) else None
            adjustment = self.ask_adjustment(AdjustmentKind.PRODUCT, why, product_name=other)
            if adjustment is None:
                return None
        return ChooseProduct(line_id, product, adjustment)

    def set_quantity(self, d: Dispensing, line_id: str, quantity: int) -> SetQuantity | None:
        adjustment = None
        why = d.requires_adjustment(line_id, quantity=quantity)
        if why and d.line(line_id).adjustment_of(AdjustmentKind.QUANTITY) is None:
            why = (self.tr("Quantité modifiée (%1 au lieu de %2).").replace("%1", str(quantity))
                   .replace("%2", str(d.line(line_id).default_quantity)))
            adjustment = self.ask_adjustment(AdjustmentKind.QUANTITY, why)
            if adjustment is None:
                return None
        return SetQuantity(line_id, quantity, adjustment)

    def change_posology(self, d: Dispensing, line_id: str) -> ChangePosology | None:
        """Another posology: its text, then the adjustment on the posology's reasons."""
        posology = self.ask_posology(d, line_id)
        if posology is None:
            return None
        name = d.prescribed(line_id).medication.text
        why = self.tr("Posologie de « %1 » modifiée : %2").replace("%1", name).replace("%2", posology)
        adjustment = self.ask_adjustment(AdjustmentKind.POSOLOGY, why)
        return ChangePosology(line_id, posology, adjustment) if adjustment is not None else None

    def decline(self, d: Dispensing, line_id: str) -> Decline | None:
        name = d.prescribed(line_id).medication.text
        adjustment = self.ask_adjustment(AdjustmentKind.NOT_DELIVERED,
                                         self.tr("« %1 » ne sera pas délivrée.").replace("%1", name))
        return Decline(line_id, adjustment) if adjustment is not None else None

    def exceptional(self, d: Dispensing, line_id: str) -> DispenseExceptionally | None:
        """The dispensation supplémentaire exceptionnelle of an expired line (art. L.5125-23-1 CSP): how
        and when the prescriber is informed; the workflow checks the line and sets the boxes."""
        dialog = ExceptionalDialog(self.reasons, self.means, d.prescribed(line_id).medication.text,
                                   today=date.today(), parent=self._parent)
        self.exceptional_dialog_opened.emit(dialog)
        accepted = dialog.exec()
        dialog.deleteLater()
        if not accepted or dialog.result_adjustment is None:
            return None
        return DispenseExceptionally(line_id, dialog.result_adjustment)

    def override(self, d: Dispensing, finding: Finding) -> Override | None:
        dialog = QInputDialog(self._parent)
        dialog.setObjectName("override_dialog")
        dialog.setWindowTitle(self.tr("Passer outre"))
        dialog.setLabelText(self.tr("%1\nRaison (enregistrée) :").replace("%1", finding_text(finding)))
        self.override_dialog_opened.emit(dialog)
        accepted = dialog.exec()
        reason = dialog.textValue().strip()
        dialog.deleteLater()
        if accepted and reason:
            return Override(finding.line_id or "", finding.rule, reason)
        return None

    def bearer(self, required: BearerRequired) -> SetBearer | None:
        """Who takes a product that asks it (stupéfiant or assimilé): the patient, or a bearer whose
        identity is recorded; None when cancelled."""
        dialog = BearerDialog(required.products, parent=self._parent)
        self.bearer_dialog_opened.emit(dialog)
        accepted = dialog.exec()
        dialog.deleteLater()
        return SetBearer(dialog.result_bearer) if accepted else None
