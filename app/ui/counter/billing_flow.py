"""From the prepared lines to the bill, then recording and printing: the billing half of the counter.

Why apart from the screen: once the lines are ready the steps are the bill's own — the lines checked
for what still blocks the bill, the bill issued, who takes a stupéfiant asked when a product needs it,
the bill shown, then the delivery recorded and printed (:class:`RecordAndPrint`). The screen keeps
the order of the pages and the dispensing on screen; this controller never holds nor changes a
dispensing: it issues the bill through the screen's one way to act (``act``: the operation applied
on the database worker, the new dispensing swapped in on the GUI thread) and reads the current one
through ``current``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.domain.bearer import BearerRequired
from app.domain.dispensing import Dispensing
from app.ui.counter.billing_page import BillingPage
from app.ui.counter.dispensing_page import DispensingPage
from app.ui.counter.line_changes import LineChanges
from app.ui.counter.recording import RecordAndPrint
from app.ui.i18n import problem_text
from app.workflow.ops import IssueBill

# CounterScreen.act(op, *, on_done=None, on_failed=None): the operation queued on the dispensing on screen
Act = Callable[..., None]


class BillingFlow(QObject):
    """Asked by the lines page (``bill_requested``) and the billing page (``record_requested``);
    ``recording`` records and prints the delivery of the dispensing on screen."""

    def __init__(self, recording: RecordAndPrint, page: BillingPage, lines: DispensingPage, changes: LineChanges,
                 act: Act, current: Callable[[], Dispensing | None], show_page: Callable[[QWidget], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.recording = recording
        self.page = page
        self.lines = lines
        self.changes = changes
        self._act = act
        self._current = current
        self._show_page = show_page
        lines.bill_requested.connect(self.bill)
        page.record_requested.connect(self.record)

    def bill(self, tiers_payant: bool) -> None:
        """Issue the bill (tiers payant or not, the AMC rate of the lines page), then show it; what still
        blocks it is listed under the lines instead."""
        dispensing = self._current()
        problems = dispensing.problem_items() if dispensing else []
        if problems:
            self.lines.show_error("\n".join(problem_text(*item) for item in problems))
            return
        amc = self.lines.amc_spin.value() or None
        self._act(IssueBill(tiers_payant, amc), on_done=lambda _bill: self.show(self._current()),
                  on_failed=lambda message, exc: self._refused(tiers_payant, message, exc))

    def _refused(self, tiers_payant: bool, message: str, exc: BaseException) -> None:
        """A product asks who takes it: the bearer dialog, then the bill again; else the message."""
        if isinstance(exc, BearerRequired) and self._current() is not None:
            op = self.changes.bearer(exc)
            if op is not None:
                self._act(op, on_done=lambda _none: self.bill(tiers_payant))
            return
        self.lines.show_error(message)

    def show(self, dispensing: Dispensing) -> None:
        """The bill of a billed dispensing on the billing page (also when one is resumed after billing)."""
        self.page.panel.show_dispensing(dispensing, [], date.today())
        self.page.show_bill(dispensing.bill, dispensing.invoice_number)
        self._show_page(self.page)

    def record(self, to_printer: bool) -> None:
        dispensing = self._current()
        if dispensing is not None:
            self.recording.record(dispensing, to_printer)
