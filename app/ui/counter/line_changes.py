"""Changes to one line of the dispensing, with the dialogs that ask why.

Why apart from the screen: every change to what was prescribed — another product outside the generic
group, another quantity, another posology, a line not delivered — needs a reason from the adjustment
dialog before the workflow applies it, and a rule warning needs the reason it is overridden. This is
that small sequence (ask, then act through the screen's database worker); the screen keeps the order
of the steps and the pages.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog

from app.domain.catalogue import Presentation
from app.domain.delivery import Adjustment
from app.domain.rules import Finding
from app.ui.counter.adjustment_dialog import AdjustmentDialog
from app.ui.counter.posology_dialog import PosologyDialog

if TYPE_CHECKING:
    from app.ui.counter.screen import CounterScreen

# The reasons table's code preselected when the posology changes (app/storage/migrations 0004).
POSOLOGY_REASON = "adaptation_posologie"


class LineChanges(QObject):
    """Asks for the reason of a change, then runs it through ``screen._act`` (off the GUI thread).

    The dialogs are announced on the screen's ``adjustment_dialog_opened``, ``override_dialog_opened``
    and ``posology_dialog_opened`` signals so that tests (and scripts) can fill them.
    """

    def __init__(self, screen: CounterScreen) -> None:
        super().__init__(screen)
        self.screen = screen
        self.reasons: list = []
        self.means: list = []

    def keep_reference(self, pair: tuple[list, list]) -> None:
        """The reasons table and the means of agreement, read once off the GUI thread."""
        self.reasons, self.means = pair

    def _redraw(self) -> None:
        page = self.screen.dispensing_page
        if self.screen.dispensing is not None:
            page.show_dispensing(self.screen.dispensing, page.findings, date.today())

    # --- dialogs ---------------------------------------------------------------------------------
    def ask_adjustment(self, why: str, *, default_reason: str | None = None) -> Adjustment | None:
        """Open the adjustment dialog (reasons from the table); None when cancelled."""
        dialog = AdjustmentDialog(self.reasons, self.means, why=why, today=date.today(),
                                  default_reason=default_reason, parent=self.screen)
        self.screen.adjustment_dialog_opened.emit(dialog)
        accepted = dialog.exec()
        dialog.deleteLater()
        return dialog.result_adjustment if accepted else None

    def ask_posology(self, line_id: str) -> str | None:
        """Open the posology dialog for a line; the new posology, or None when cancelled."""
        d = self.screen.dispensing
        line = d.prescribed(line_id)
        current = d.line(line_id).posology or line.posology_text
        dialog = PosologyDialog(line.medication.text, line.posology_text, current, parent=self.screen)
        self.screen.posology_dialog_opened.emit(dialog)
        accepted = dialog.exec()
        dialog.deleteLater()
        return dialog.result_posology if accepted else None

    # --- changes -----------------------------------------------------------------------------------
    def choose_product(self, line_id: str, product: Presentation) -> None:
        screen = self.screen
        why = screen.dispensing.requires_adjustment(line_id, product=product)
        adjustment = None
        if why:
            adjustment = self.ask_adjustment(why)
            if adjustment is None:
                self._redraw()
                return
        screen._act(lambda d: screen.port.choose_product(d, line_id, product, adjustment))

    def set_quantity(self, line_id: str, quantity: int) -> None:
        screen = self.screen
        state = screen.dispensing.line(line_id)
        why = screen.dispensing.requires_adjustment(line_id, quantity=quantity)
        adjustment = None
        if why and state.adjustment is None:
            adjustment = self.ask_adjustment(why)
            if adjustment is None:
                self._redraw()
                return
        screen._act(lambda d: screen.port.set_quantity(d, line_id, quantity, adjustment))

    def change_posology(self, line_id: str) -> None:
        """Another posology: its text, then the adjustment with « adaptation de posologie » preselected."""
        screen = self.screen
        if screen.dispensing is None:
            return
        posology = self.ask_posology(line_id)
        if posology is None:
            return
        name = screen.dispensing.prescribed(line_id).medication.text
        why = self.tr("Posologie de « %1 » modifiée : %2").replace("%1", name).replace("%2", posology)
        adjustment = self.ask_adjustment(why, default_reason=POSOLOGY_REASON)
        if adjustment is not None:
            screen._act(lambda d: screen.port.change_posology(d, line_id, posology, adjustment))

    def decline(self, line_id: str) -> None:
        screen = self.screen
        name = screen.dispensing.prescribed(line_id).medication.text
        adjustment = self.ask_adjustment(self.tr("« %1 » ne sera pas délivrée.").replace("%1", name))
        if adjustment is not None:
            screen._act(lambda d: screen.port.decline(d, line_id, adjustment))

    def override(self, finding: Finding) -> None:
        screen = self.screen
        dialog = QInputDialog(screen)
        dialog.setObjectName("override_dialog")
        dialog.setWindowTitle(self.tr("Passer outre"))
        dialog.setLabelText(self.tr("%1\nRaison (enregistrée) :").replace("%1", finding.message))
        screen.override_dialog_opened.emit(dialog)
        accepted = dialog.exec()
        reason = dialog.textValue().strip()
        dialog.deleteLater()
        if accepted and reason:
            screen._act(lambda d: screen.port.override(d, finding.line_id or "", finding.rule, reason))
