"""The counter screen over the real Dispensing (in-memory port): the whole flow by keyboard and scans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer

from app.config import Settings
from app.domain.delivery import DispenseStatus, ScannedBox
from app.domain.identifiers import OrdonnanceNumber
from app.ui.counter.screen import CounterScreen
from app.ui.printing import PrintTarget
from app.ui.tasks import TaskRunner
from tests.ui.fakes import DOLIPRANE, IBUPROFENE, NO_PRICE, NUMBER, PARACETAMOL, Bridge, MemoryCounter


@pytest.fixture
def counter(qtbot, tmp_path):
    port = MemoryCounter(pdf_dir=tmp_path)
    runner = TaskRunner()
    bridge = Bridge()
    settings = Settings()
    settings.printer.pdf_dir = str(tmp_path / "pdf")
    screen = CounterScreen(port, runner, settings, scanner=bridge)
    screen.print_target = PrintTarget(output_file=tmp_path / "printed.pdf")
    qtbot.addWidget(screen)
    screen.show()
    screen.start()
    qtbot.waitUntil(lambda: not runner.busy)
    yield screen, port, runner, bridge
    runner.wait_idle()


def _idle(qtbot, runner):
    qtbot.waitUntil(lambda: not runner.busy)


def test_typed_number_opens_the_prescription(qtbot, counter):
    screen, _port, runner, _ = counter
    qtbot.keyClicks(screen.waiting.number_edit, NUMBER.grouped())
    with qtbot.waitSignal(screen.shown):
        qtbot.keyClick(screen.waiting.number_edit, Qt.Key.Key_Return)
    page = screen.dispensing_page
    assert screen.pages.currentWidget() is page
    assert "Dr Paul DURAND" in page.panel.prescriber_label.text()
    assert "MARTIN Claire" in page.panel.patient_label.text()
    model = page.lines_model
    assert model.rowCount() == 2
    assert model.data(model.index(0, 8)) == "2"
    assert "÷ 8 par boîte" in model.data(model.index(0, 8), Qt.ItemDataRole.ToolTipRole)
    _idle(qtbot, runner)


def test_bad_or_unknown_number_shows_a_french_message_next_to_the_field(qtbot, counter):
    screen, _port, runner, _ = counter
    screen.waiting.number_edit.setText("12")
    qtbot.keyClick(screen.waiting.number_edit, Qt.Key.Key_Return)
    assert "Numéro d'ordonnance invalide" in screen.waiting.error_label.text()
    screen.open_number(OrdonnanceNumber.issue("0123456789ABCDEFGHK"))
    qtbot.waitUntil(lambda: "introuvable" in screen.waiting.error_label.text())
    assert screen.pages.currentWidget() is screen.waiting


def test_scans_tick_lines_refuse_boxes_and_generic_is_a_substitution(qtbot, counter):
    screen, port, runner, bridge = counter
    with qtbot.waitSignal(screen.shown):
        bridge.ordonnance_scanned.emit(str(NUMBER))
    page = screen.dispensing_page
    bridge.product_scanned.emit(ScannedBox(PARACETAMOL.cip13, "L1", date(2028, 1, 1), "S1"))
    _idle(qtbot, runner)
    state = screen.dispensing.line("L1")
    assert state.product.cip13 == PARACETAMOL.cip13 and state.substitution.type == "G"
    assert "Boîte acceptée" in page.scan_label.text()
    assert page.lines_model.data(page.lines_model.index(0, 7)).startswith("Générique")
    bridge.product_scanned.emit(ScannedBox(PARACETAMOL.cip13, "L1", date(2020, 1, 1), "S2"))
    _idle(qtbot, runner)
    assert "périmée" in page.scan_label.text()
    bridge.product_scanned.emit(ScannedBox("3400930000014", "L9", None, "S3"))
    _idle(qtbot, runner)
    assert "ne correspond à aucune ligne" in page.scan_label.text()
    bridge.product_scanned.emit(ScannedBox(PARACETAMOL.cip13, "L1", date(2028, 1, 1), "S4"))
    bridge.product_scanned.emit(ScannedBox(PARACETAMOL.cip13, "L1", date(2028, 1, 1), "S5"))
    _idle(qtbot, runner)
    assert "Une boîte de trop" in page.scan_label.text()
    assert state.status is DispenseStatus.COMPLETED


def _fill_dialog(screen, *, reason_index: int = 0, agreement: int = 1):
    def fill(dialog):
        def later():
            dialog.reason_combo.setCurrentIndex(reason_index)
            dialog.agreement_combo.setCurrentIndex(agreement)
            dialog.comment_edit.setPlainText("accord du Dr")
            dialog.ok_button.click()
        QTimer.singleShot(0, later)
    screen.adjustment_dialog_opened.connect(fill)


def test_product_outside_the_group_goes_through_the_adjustment_dialog(qtbot, counter):
    screen, port, runner, bridge = counter
    with qtbot.waitSignal(screen.shown):
        screen.open_number(str(NUMBER))
    page = screen.dispensing_page
    page.lines_view.selectRow(0)
    _fill_dialog(screen)
    index = page.product_combo.findText(IBUPROFENE.name, Qt.MatchFlag.MatchStartsWith)
    page.product_combo.setCurrentIndex(index)
    page.product_combo.activated.emit(index)
    _idle(qtbot, runner)
    state = screen.dispensing.line("L1")
    assert state.product.cip13 == IBUPROFENE.cip13
    assert state.adjustment.reason_code == "rupture" and state.adjustment.agreement_means == "téléphone"
    assert page.lines_model.data(page.lines_model.index(0, 7)).startswith("Adapté")


def test_cancelled_dialog_changes_nothing(qtbot, counter):
    screen, _port, runner, _ = counter
    with qtbot.waitSignal(screen.shown):
        screen.open_number(str(NUMBER))
    screen.adjustment_dialog_opened.connect(lambda d: QTimer.singleShot(0, d.cancel_button.click))
    page = screen.dispensing_page
    page.lines_view.selectRow(1)
    page.quantity_spin.setValue(3)
    page.quantity_button.click()
    _idle(qtbot, runner)
    assert screen.dispensing.line("L2").quantity == 1


def test_decline_bill_record_print_and_back(qtbot, counter, tmp_path):
    screen, port, runner, bridge = counter
    port.online = False
    with qtbot.waitSignal(screen.shown):
        screen.open_number(str(NUMBER))
    page = screen.dispensing_page
    page.bill_button.click()
    assert "ligne à préparer" in page.error_label.text()  # problems up front, nothing billed
    bridge.product_scanned.emit(ScannedBox(DOLIPRANE.cip13, "L1", None, "A"))
    bridge.product_scanned.emit(ScannedBox(DOLIPRANE.cip13, "L1", None, "B"))
    _idle(qtbot, runner)
    page.lines_view.selectRow(1)
    _fill_dialog(screen, reason_index=0, agreement=0)
    page.decline_button.click()
    _idle(qtbot, runner)
    assert screen.dispensing.line("L2").status is DispenseStatus.DECLINED
    qtbot.keyClick(page.lines_view, Qt.Key.Key_F9)
    _idle(qtbot, runner)
    assert page.error_label.text() == ""
    billing = screen.billing
    assert screen.pages.currentWidget() is billing
    assert billing.bill_model.rowCount() == 1
    assert "Total 4,36 €" in billing.totals_label.text()
    with qtbot.waitSignal(screen.finished):
        qtbot.keyClick(billing, Qt.Key.Key_F10)
    assert "Transmission différée" in billing.record_label.text()
    assert "imprimée (1 page(s))" in billing.print_label.text()
    assert (tmp_path / "printed.pdf").stat().st_size > 0
    assert port.recorded[0].delivery.lines[1].status is DispenseStatus.DECLINED
    qtbot.keyClick(billing, Qt.Key.Key_F12)
    assert screen.pages.currentWidget() is screen.waiting


def test_unfinished_dispensing_is_offered_for_resumption(qtbot, tmp_path):
    port = MemoryCounter(pdf_dir=tmp_path)
    port.start(str(NUMBER))
    runner = TaskRunner()
    screen = CounterScreen(port, runner, Settings())
    qtbot.addWidget(screen)
    screen.start()
    _idle(qtbot, runner)
    assert screen.waiting.pending_list.count() == 1 and screen.waiting.pending_box.isVisibleTo(screen)
    with qtbot.waitSignal(screen.shown):
        screen.waiting.resume_button.click()
    assert screen.dispensing.delivery_id == "D1"


def test_other_product_searched_priced_and_a_box_taken_back(qtbot, counter):
    screen, port, runner, bridge = counter
    with qtbot.waitSignal(screen.shown):
        screen.open_number(str(NUMBER))
    page = screen.dispensing_page
    page.lines_view.selectRow(1)
    qtbot.keyClicks(page.search_edit, "sans prix")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    _idle(qtbot, runner)
    assert "1 produit(s) ajouté(s)" in page.scan_label.text()
    page.product_combo.hidePopup()
    index = page.product_combo.findText("CREME SANS PRIX", Qt.MatchFlag.MatchStartsWith)
    assert index >= 0
    _fill_dialog(screen)
    page.product_combo.setCurrentIndex(index)
    page.product_combo.activated.emit(index)
    _idle(qtbot, runner)
    state = screen.dispensing.line("L2")
    assert state.product.cip13 == NO_PRICE.cip13 and state.adjustment is not None
    assert page.price_button.isEnabled()
    page.price_spin.setValue(7.5)
    page.price_button.click()
    _idle(qtbot, runner)
    assert state.price == Decimal("7.5")
    if state.quantity == 0:  # no computed quantity for a product found by search: typed
        page.quantity_spin.setValue(2)
        page.quantity_button.click()
        _idle(qtbot, runner)
    assert state.quantity >= 1
    bridge.product_scanned.emit(ScannedBox(NO_PRICE.cip13, "L", None, "P1"))
    _idle(qtbot, runner)
    assert len(state.boxes) == 1 and page.unscan_button.isEnabled(), page.scan_label.text()
    page.unscan_button.click()
    _idle(qtbot, runner)
    assert state.boxes == []
    page.search_edit.setText("introuvable")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    _idle(qtbot, runner)
    assert "Aucun produit trouvé" in page.error_label.text()


def test_a_catalogue_choice_goes_to_the_selected_line(qtbot, counter):
    screen, _port, runner, _ = counter
    assert not screen.offer_product(PARACETAMOL)  # nothing open yet
    with qtbot.waitSignal(screen.shown):
        screen.open_number(str(NUMBER))
    screen.dispensing_page.lines_view.selectRow(0)
    assert screen.offer_product(PARACETAMOL)
    _idle(qtbot, runner)
    assert screen.dispensing.line("L1").substitution.type == "G"


def test_a_warning_blocks_billing_until_overridden_with_a_reason(qtbot, counter):
    from app.domain.rules import Finding, Severity

    screen, port, runner, bridge = counter
    port.warnings = [Finding("quantity_above_need", Severity.WARNING, "Quantité supérieure au besoin",
                             "Art. R. 5132-22 CSP", "L2")]
    with qtbot.waitSignal(screen.shown):
        screen.open_number(str(NUMBER))
    _idle(qtbot, runner)
    page = screen.dispensing_page
    assert page.findings_list.count() == 1 and page.findings_list.item(0).text().startswith("⚠")
    for state in screen.dispensing.lines:
        page.select_line(state.line_id)
        page.confirm_button.click()
        _idle(qtbot, runner)
    page.bill_button.click()
    _idle(qtbot, runner)
    assert "Quantité supérieure au besoin" in page.error_label.text()
    assert screen.pages.currentWidget() is page

    def answer(dialog):
        def later():
            dialog.setTextValue("traitement de fond, patient part en vacances")
            dialog.accept()
        QTimer.singleShot(0, later)

    screen.override_dialog_opened.connect(answer)
    page.override_button.click()
    _idle(qtbot, runner)
    assert screen.dispensing.line("L2").overrides == {"quantity_above_need": "traitement de fond, patient part en vacances"}
    assert page.findings_list.item(0).text().startswith("✔") and not page.override_button.isVisibleTo(page)
    page.bill_button.click()
    _idle(qtbot, runner)
    assert screen.pages.currentWidget() is screen.billing


def test_the_resumption_list_is_refreshed_when_back_to_waiting(qtbot, counter):
    screen, port, runner, bridge = counter
    with qtbot.waitSignal(screen.shown):
        screen.open_number(str(NUMBER))
    screen.back_to_waiting()  # e.g. F12 after a print, or a new scan
    _idle(qtbot, runner)
    assert screen.waiting.pending_list.count() == 1
    port.store.clear()
    screen.back_to_waiting()
    _idle(qtbot, runner)
    assert screen.waiting.pending_list.count() == 0


def test_a_line_set_aside_then_taken_up_again(qtbot, counter):
    screen, _port, runner, _ = counter
    with qtbot.waitSignal(screen.shown):
        screen.open_number(str(NUMBER))
    page = screen.dispensing_page
    page.select_line("L2")
    assert page.hold_button.text() == "Mettre en attente"
    page.hold_button.click()
    _idle(qtbot, runner)
    assert screen.dispensing.line("L2").status is DispenseStatus.ON_HOLD
    assert page.lines_model.data(page.lines_model.index(1, 10)) == "en attente"
    assert page.hold_button.text() == "Reprendre la ligne"
    page.hold_button.click()
    _idle(qtbot, runner)
    assert screen.dispensing.line("L2").status is DispenseStatus.PREPARATION
