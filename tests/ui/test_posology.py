"""Another posology for a line: the posology dialog, then the adjustment dialog on the posology's reasons,
none chosen in advance; the line shows the adapted posology and the printout says it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer

from app.domain.delivery import AdjustmentKind
from app.printing.content import line_text
from app.ui.counter.posology_dialog import PosologyDialog
from app.workflow.ops import Confirm, IssueBill
from tests.ui.stack import counter_stack

PRESCRIBED = "1 comprimé matin et soir"
TAHOR_POSOLOGY = "1 comprimé le soir, voie orale"  # line 2 of the demo ordonnance


def test_dialog_refuses_an_empty_or_unchanged_posology(qtbot):
    dialog = PosologyDialog("IBUPROFENE", PRESCRIBED, PRESCRIBED)
    qtbot.addWidget(dialog)
    assert dialog.prescribed_label.text() == PRESCRIBED
    assert dialog.posology_edit.text() == PRESCRIBED
    dialog.ok_button.click()
    assert "n'a pas changé" in dialog.error_label.text() and dialog.result_posology is None
    dialog.posology_edit.setText("   ")
    dialog.ok_button.click()
    assert "Indiquez la nouvelle posologie" in dialog.error_label.text()
    dialog.posology_edit.setText("  1 comprimé   le soir ")
    dialog.ok_button.click()
    assert dialog.result_posology == "1 comprimé le soir"
    assert dialog.result() == PosologyDialog.DialogCode.Accepted


@pytest.fixture
def screen(qtbot, tmp_path, catalogue_url):
    """The counter screen on the real stack, the 3-line demo ordonnance open."""
    with counter_stack(qtbot, tmp_path, catalogue_url) as stack:
        with qtbot.waitSignal(stack.screen.shown, timeout=10000):
            stack.screen.open_number(stack.stage.number)
        qtbot.waitUntil(lambda: not stack.runner.busy, timeout=10000)
        yield stack.screen


def _answer_posology(screen, text: str | None, seen: list) -> None:
    def fill(dialog):
        seen.append((dialog.prescribed_label.text(), dialog.posology_edit.text()))

        def later():
            if text is None:
                dialog.cancel_button.click()
                return
            dialog.posology_edit.setText(text)
            dialog.ok_button.click()
        QTimer.singleShot(0, later)
    screen.posology_dialog_opened.connect(fill)


def test_f7_changes_the_posology_through_both_dialogs(qtbot, screen):
    page = screen.dispensing_page
    seen_posology: list = []
    preselected: list = []
    _answer_posology(screen, "1 comprimé un soir sur deux", seen_posology)

    def fill_adjustment(dialog):
        preselected.append((dialog.reason_combo.currentData(), dialog.why_label.text()))

        def later():
            dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("adaptation_posologie"))
            dialog.agreement_combo.setCurrentIndex(1)
            dialog.comment_edit.setPlainText("douleurs nocturnes seulement")
            dialog.ok_button.click()
        QTimer.singleShot(0, later)

    screen.adjustment_dialog_opened.connect(fill_adjustment)
    page.lines_view.selectRow(1)
    assert page.posology_button.isEnabled()
    qtbot.keyClick(page.lines_view, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: screen.dispensing.lines[1].posology is not None)
    qtbot.waitUntil(lambda: not screen.runner.busy)

    assert seen_posology == [(TAHOR_POSOLOGY, TAHOR_POSOLOGY)]  # prescribed, and the current one to edit
    reason, why = preselected[0]
    assert reason is None  # no reason chosen in advance
    assert "1 comprimé un soir sur deux" in why and "TAHOR 20 mg" in why
    state = screen.dispensing.lines[1]
    assert state.posology == "1 comprimé un soir sur deux"
    (adjustment,) = state.adjustments
    assert adjustment.reason_code == "adaptation_posologie" and adjustment.kind is AdjustmentKind.POSOLOGY
    assert adjustment.agreement_means == "Téléphone"
    assert page.lines_model.data(page.lines_model.index(1, 1)) == "Adaptée : 1 comprimé un soir sur deux"
    assert page.lines_model.data(page.lines_model.index(0, 1)).startswith("1 comprimé au plus 3 fois par jour")

    # what is recorded and printed: the adapted posology, the prescribed one, and the reason
    counter, d = screen.counter, screen.dispensing
    for state in d.lines:
        d = counter.apply(d, Confirm(state.line_id)).dispensing
    d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    line = counter.record(d).delivery.lines[1]
    assert line.posology == "1 comprimé un soir sur deux" and line.prescribed_posology == TAHOR_POSOLOGY
    mentions = line_text(line).mentions
    assert f"Posologie adaptée : 1 comprimé un soir sur deux (prescrite : {TAHOR_POSOLOGY})" in mentions
    assert "Adaptation : Adaptation de posologie — douleurs nocturnes seulement" in mentions


def test_cancelling_either_dialog_changes_nothing(qtbot, screen):
    page = screen.dispensing_page
    page.lines_view.selectRow(1)
    seen: list = []
    _answer_posology(screen, None, seen)
    opened: list = []
    screen.adjustment_dialog_opened.connect(opened.append)
    page.posology_button.click()
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert opened == [] and screen.dispensing.lines[1].posology is None

    screen.posology_dialog_opened.disconnect()
    _answer_posology(screen, "2 comprimés le soir", seen)
    screen.adjustment_dialog_opened.connect(lambda d: QTimer.singleShot(0, d.cancel_button.click))
    page.posology_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1)
    qtbot.waitUntil(lambda: not screen.runner.busy)
    state = screen.dispensing.lines[1]
    assert state.posology is None and state.adjustments == []
    assert page.lines_model.data(page.lines_model.index(1, 1)) == TAHOR_POSOLOGY


def test_english_posology_dialog_and_button(qtbot):
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from app.ui.counter.dispensing_page import DispensingPage
    from app.ui.translations import install_translators

    app = QApplication.instance()
    translators = install_translators(app, "en")
    try:
        dialog = PosologyDialog("IBUPROFENE", PRESCRIBED, PRESCRIBED)
        page = DispensingPage()
        qtbot.addWidget(dialog)
        qtbot.addWidget(page)
        assert dialog.windowTitle() == "Change the dosage"
        assert page.posology_button.text() == "Change the dosage… (F7)"
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
