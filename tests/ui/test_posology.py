"""Another posology for a line: the posology dialog, then the adjustment dialog with « adaptation de
posologie » preselected; the line shows the adapted posology and the printout says it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer

from app.config import Settings
from app.printing.content import line_text
from app.ui.counter.posology_dialog import PosologyDialog
from app.ui.counter.screen import CounterScreen
from app.ui.tasks import TaskRunner
from tests.ui.fakes import NUMBER, MemoryCounter

PRESCRIBED = "1 comprimé matin et soir"


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
def screen(qtbot, tmp_path):
    port = MemoryCounter(pdf_dir=tmp_path)
    runner = TaskRunner()
    settings = Settings()
    settings.printer.pdf_dir = str(tmp_path / "pdf")
    screen = CounterScreen(port, runner, settings)
    qtbot.addWidget(screen)
    screen.show()
    screen.start()
    qtbot.waitUntil(lambda: not runner.busy)
    with qtbot.waitSignal(screen.shown):
        screen.open_number(str(NUMBER))
    qtbot.waitUntil(lambda: not runner.busy)
    yield screen
    runner.wait_idle()


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
    _answer_posology(screen, "1 comprimé le soir", seen_posology)

    def fill_adjustment(dialog):
        preselected.append((dialog.reason_combo.currentData(), dialog.why_label.text()))

        def later():
            dialog.agreement_combo.setCurrentIndex(1)
            dialog.comment_edit.setPlainText("douleurs nocturnes seulement")
            dialog.ok_button.click()
        QTimer.singleShot(0, later)

    screen.adjustment_dialog_opened.connect(fill_adjustment)
    page.lines_view.selectRow(1)
    assert page.posology_button.isEnabled()
    qtbot.keyClick(page.lines_view, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: screen.dispensing.line("L2").posology is not None)
    qtbot.waitUntil(lambda: not screen.runner.busy)

    assert seen_posology == [(PRESCRIBED, PRESCRIBED)]  # prescribed, and the current one to edit
    reason, why = preselected[0]
    assert reason == "adaptation_posologie"
    assert "1 comprimé le soir" in why and "IBUPROFENE" in why
    state = screen.dispensing.line("L2")
    assert state.posology == "1 comprimé le soir"
    assert state.adjustment.reason_code == "adaptation_posologie"
    assert state.adjustment.agreement_means == "téléphone"
    assert page.lines_model.data(page.lines_model.index(1, 1)) == "Adaptée : 1 comprimé le soir"
    assert page.lines_model.data(page.lines_model.index(0, 1)) == "1 comprimé 3 fois par jour"

    # what is recorded and printed: the adapted posology, the prescribed one, and the reason
    port, d = screen.port, screen.dispensing
    for line_id in ("L1", "L2"):
        port.confirm(d, line_id)
    port.bill(d, True)
    line = next(li for li in port.record(d).delivery.lines if li.line_id == "L2")
    assert line.posology == "1 comprimé le soir" and line.prescribed_posology == PRESCRIBED
    mentions = line_text(line).mentions
    assert f"Posologie adaptée : 1 comprimé le soir (prescrite : {PRESCRIBED})" in mentions
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
    assert opened == [] and screen.dispensing.line("L2").posology is None

    screen.posology_dialog_opened.disconnect()
    _answer_posology(screen, "2 comprimés le soir", seen)
    screen.adjustment_dialog_opened.connect(lambda d: QTimer.singleShot(0, d.cancel_button.click))
    page.posology_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1)
    qtbot.waitUntil(lambda: not screen.runner.busy)
    state = screen.dispensing.line("L2")
    assert state.posology is None and state.adjustment is None
    assert page.lines_model.data(page.lines_model.index(1, 1)) == PRESCRIBED


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
