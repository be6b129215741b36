"""The preparer chooses a line's product (the prescribed one or another of its generic group) and its
number of boxes with the counter's own line bar and adjustment dialog; what he changed goes to the
pharmacist's validation and to the audit trail under his name."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from app.domain.audit import AuditAction
from app.domain.delivery import AdjustmentKind
from app.domain.preparation import PrepState
from app.domain.substitution import ChangeKind
from app.storage import audit
from tests.ui.test_team_windows import (  # noqa: F401  (pharmacy: a fixture)
    _close,
    _counter_and_preparer,
    _sent_and_taken,
    pharmacy,
)


def _line_row(queue, line_id: str) -> int:
    return next(i for i, s in enumerate(queue.opened.dispensing.lines) if s.line_id == line_id)


def test_the_preparer_chooses_the_product_and_the_boxes_as_the_counter_does(qtbot, pharmacy):  # noqa: F811
    stage, (_counter_services, prep_services), runner, _people = pharmacy
    windows = _counter_and_preparer(qtbot, pharmacy)
    try:
        _delivery_id, queue = _sent_and_taken(qtbot, pharmacy, windows)
        qtbot.waitUntil(lambda: queue.changes.reasons != [], timeout=10000)
        bar = queue.line_bar
        assert not bar.product_combo.isEnabled()  # no line selected yet

        # the brand instead of the generic proposed (same group): no reason asked
        generic = next(s for s in queue.opened.dispensing.lines
                       if s.product is not None and s.proposal_kinds.get(s.product.cip13) is ChangeKind.GENERIC)
        queue.lines_table.selectRow(_line_row(queue, generic.line_id))
        assert bar.product_combo.isEnabled() and bar.row.state.line_id == generic.line_id
        brand = next(i for i in range(bar.product_combo.count())
                     if generic.proposal_kinds.get(bar.product_combo.itemData(i).cip13) is ChangeKind.SAME)
        brand_cip = bar.product_combo.itemData(brand).cip13
        dialogs = []
        queue.changes.adjustment_dialog_opened.connect(dialogs.append)
        bar.product_combo.setCurrentIndex(brand)
        bar.product_combo.activated.emit(brand)
        qtbot.waitUntil(lambda: getattr(queue.opened.dispensing.line(generic.line_id).product, "cip13", None)
                        == brand_cip, timeout=10000)  # the line reloaded from the queue may not have its product yet
        assert dialogs == [] and queue.error_label.text() == ""
        qtbot.waitUntil(lambda: getattr(bar.product_combo.currentData(), "cip13", None) == brand_cip,
                        timeout=10000)  # the bar shows the line as it is now, once the queue's reload is shown

        # one box less than proposed: the counter's adjustment dialog asks why
        queue.changes.adjustment_dialog_opened.disconnect(dialogs.append)
        several = next(s for s in queue.opened.dispensing.lines if s.quantity >= 2)

        def already_has_some(dialog):
            dialogs.append(dialog.kind)
            QTimer.singleShot(0, lambda: (dialog.reason_combo.setCurrentIndex(
                dialog.reason_combo.findData("deja_en_possession")), dialog.ok_button.click()))
        queue.changes.adjustment_dialog_opened.connect(already_has_some)
        queue.lines_table.selectRow(_line_row(queue, several.line_id))
        bar.quantity_spin.setValue(several.quantity - 1)
        bar.quantity_button.click()
        qtbot.waitUntil(lambda: queue.opened.dispensing.line(several.line_id).quantity == several.quantity - 1,
                        timeout=10000)
        assert dialogs == [AdjustmentKind.QUANTITY]
        kept = queue.opened.dispensing.line(several.line_id).adjustment_of(AdjustmentKind.QUANTITY)
        assert kept.reason_code == "deja_en_possession"

        # every line prepared, ready: the pharmacist validates what the preparer chose
        for row in range(queue.lines_table.rowCount()):
            queue.lines_table.selectRow(row)
            queue.confirm_button.click()
            qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
        queue.ready_button.click()
        qtbot.waitUntil(lambda: queue.entries and queue.entries[0].state is PrepState.TO_VALIDATE, timeout=10000)
        assert queue.error_label.text() == ""
        with prep_services.session_factory() as session:
            steps = [(e.action, e.user_name) for e in audit.entries(session) if e.object_ref == stage.number]
        assert (AuditAction.ADJUSTMENT, "Jean Prép") in steps
    finally:
        _close(runner, *windows)
