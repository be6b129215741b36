"""The counter screen on the real stack (sandbox service, real workflow and catalogue, real scanner
bridge): the whole flow by keyboard and scans, on the 3-line demo ordonnance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer

from app.domain.delivery import DispenseStatus
from app.domain.identifiers import OrdonnanceNumber
from app.ui import formatting
from tests.ui.stack import (
    ATORVASTATINE_30,
    DOLIPRANE_8,
    DOLIPRANE_100,
    GLUCOPHAGE_30,
    NOT_PRESCRIBED,
    TAHOR_28,
    counter_stack,
    pdf_text,
    picture_likeness,
)


@pytest.fixture
def stack(qtbot, tmp_path, catalogue_url):
    with counter_stack(qtbot, tmp_path, catalogue_url) as stack:
        yield stack


def _idle(qtbot, stack) -> None:
    QCoreApplication.processEvents()  # what the bridge queued reaches the screen
    qtbot.waitUntil(lambda: not stack.runner.busy and not stack.screen.ops.busy, timeout=10000)


def _open(qtbot, stack) -> None:
    with qtbot.waitSignal(stack.screen.shown, timeout=10000):
        stack.screen.open_number(stack.stage.number)
    _idle(qtbot, stack)


def _fill_dialog(screen, *, reason: str = "rupture_stock", agreement: int = 1, comment: str = "accord du Dr"):
    def fill(dialog):
        def later():
            dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(reason))
            dialog.agreement_combo.setCurrentIndex(agreement)
            dialog.comment_edit.setPlainText(comment)
            dialog.ok_button.click()
        QTimer.singleShot(0, later)
    screen.adjustment_dialog_opened.connect(fill)


def test_typed_number_opens_the_prescription(qtbot, stack):
    screen = stack.screen
    qtbot.keyClicks(screen.waiting.number_edit, OrdonnanceNumber(stack.stage.number).grouped())
    with qtbot.waitSignal(screen.shown, timeout=10000):
        qtbot.keyClick(screen.waiting.number_edit, Qt.Key.Key_Return)
    page = screen.dispensing_page
    assert screen.pages.currentWidget() is page
    assert "Dr Claire MARTIN" in page.panel.prescriber_label.text()
    assert "BERNARD Louis" in page.panel.patient_label.text()
    model = page.lines_model
    assert model.rowCount() == 3
    assert [model.data(model.index(row, 8)) for row in range(3)] == ["2", "1", "2"]
    assert model.data(model.index(0, 0)).startswith("DOLIPRANE 1000 mg")
    _idle(qtbot, stack)


def test_bad_or_unknown_number_shows_a_french_message_next_to_the_field(qtbot, stack):
    screen = stack.screen
    screen.waiting.number_edit.setText("12")
    qtbot.keyClick(screen.waiting.number_edit, Qt.Key.Key_Return)
    assert "Numéro d'ordonnance invalide" in screen.waiting.error_label.text()
    screen.open_number(OrdonnanceNumber.issue("0123456789ABCDEFGHK"))
    qtbot.waitUntil(lambda: "introuvable" in screen.waiting.error_label.text(), timeout=10000)
    assert screen.pages.currentWidget() is screen.waiting and screen.dispensing is None


def test_scans_tick_lines_refuse_boxes_and_generic_is_a_substitution(qtbot, stack):
    screen = stack.screen
    _open(qtbot, stack)
    page = screen.dispensing_page
    tahor = stack.line_id(1)
    shown = screen.dispensing
    stack.scan_box(ATORVASTATINE_30, "S1")
    _idle(qtbot, stack)
    state = screen.dispensing.line(tahor)
    assert state.product.cip13 == ATORVASTATINE_30 and state.substitution.type == "G"
    assert state.status is DispenseStatus.COMPLETED
    assert shown.line(tahor).boxes == [] and screen.dispensing is not shown  # replaced, never changed
    assert "Boîte acceptée pour « TAHOR 20 mg" in page.scan_label.text() and "(1 / 1)" in page.scan_label.text()
    assert page.lines_model.data(page.lines_model.index(1, 7)).startswith("Générique")
    stack.scan_box(DOLIPRANE_8, "S2", expiry="200101")
    _idle(qtbot, stack)
    assert page.scan_label.text().startswith("✖ Refusée — Boîte périmée (expiration 01/2020)")  # issue 14 point 8
    stack.scan_box(NOT_PRESCRIBED, "S3")
    _idle(qtbot, stack)
    assert "ne correspond à aucune ligne" in page.scan_label.text()
    stack.scan_box(ATORVASTATINE_30, "S4")
    _idle(qtbot, stack)
    assert "Une boîte de trop" in page.scan_label.text()
    assert [b.serial for b in screen.dispensing.line(tahor).boxes] == ["S1"]


def test_boxes_scanned_in_a_row_are_all_kept(qtbot, stack):
    """Scans that come faster than the database answers wait their turn: none lost, none undone."""
    screen = stack.screen
    _open(qtbot, stack)
    for serial in ("R1", "R2"):
        stack.scan_box(DOLIPRANE_8, serial)
    for serial in ("G1", "G2"):
        stack.scan_box(GLUCOPHAGE_30, serial)
    _idle(qtbot, stack)
    d = screen.dispensing
    assert [b.serial for b in d.lines[0].boxes] == ["R1", "R2"]
    assert [b.serial for b in d.lines[2].boxes] == ["G1", "G2"]
    assert stack.services.counter.load_unfinished(d.delivery_id) == d  # what is shown is what is stored


def test_product_outside_the_group_goes_through_the_adjustment_dialog(qtbot, stack):
    screen = stack.screen
    _open(qtbot, stack)
    page = screen.dispensing_page
    page.lines_view.selectRow(0)
    _fill_dialog(screen)
    index = next(i for i in range(page.product_combo.count()) if page.product_combo.itemData(i).cip13 == DOLIPRANE_100)
    page.product_combo.setCurrentIndex(index)
    page.product_combo.activated.emit(index)
    _idle(qtbot, stack)
    state = screen.dispensing.lines[0]
    assert state.product.cip13 == DOLIPRANE_100
    (adjustment,) = state.adjustments
    assert adjustment.reason_code == "rupture_stock" and adjustment.reason_label == "Rupture de stock"
    assert adjustment.agreement_means == "Téléphone" and adjustment.comment == "accord du Dr"
    assert page.lines_model.data(page.lines_model.index(0, 7)).startswith("Adapté")


def test_cancelled_dialog_changes_nothing(qtbot, stack):
    screen = stack.screen
    _open(qtbot, stack)
    before = screen.dispensing
    screen.adjustment_dialog_opened.connect(lambda d: QTimer.singleShot(0, d.cancel_button.click))
    page = screen.dispensing_page
    page.lines_view.selectRow(1)
    page.quantity_spin.setValue(3)
    page.quantity_button.click()
    _idle(qtbot, stack)
    assert screen.dispensing is before and before.lines[1].quantity == 1
    assert page.quantity_spin.value() == 1  # the page shows the quantity kept


def test_decline_bill_record_print_and_back(qtbot, stack):
    screen = stack.screen
    _open(qtbot, stack)
    page = screen.dispensing_page
    page.bill_button.click()
    assert "ligne à préparer" in page.error_label.text()  # problems up front, nothing billed
    for serial in ("A", "B"):
        stack.scan_box(DOLIPRANE_8, serial)
    stack.scan_box(TAHOR_28, "T")
    _idle(qtbot, stack)
    page.select_line(stack.line_id(2))
    _fill_dialog(screen, agreement=0, comment="Grossiste en rupture")
    page.decline_button.click()
    _idle(qtbot, stack)
    assert screen.dispensing.lines[2].status is DispenseStatus.DECLINED
    assert page.amc_spin.value() == stack.screen.settings.pharmacy.amc_percent == 0  # the setting's default
    page.amc_spin.setValue(40)  # the patient's complementary pays 40 % of what remains
    qtbot.keyClick(page.lines_view, Qt.Key.Key_F9)
    _idle(qtbot, stack)
    assert page.error_label.text() == ""
    billing = screen.billing
    assert screen.pages.currentWidget() is billing
    bill = screen.dispensing.bill
    assert len(bill.lines) == 2  # the declined line is not billed
    assert bill.amc_cents > 0 and f"part AMC {formatting.money(bill.amc_share)}" in billing.totals_label.text()
    # each box at the catalogue's price including its dispensing fee, then the ordonnance's fees
    price = {cip: stack.services.catalogue.by_cip13(cip).retail_price for cip in (DOLIPRANE_8, TAHOR_28)}
    assert {line.cip13: line.unit_price for line in bill.lines} == price
    fees = sum((fee.total for fee in bill.fees), Decimal(0))
    assert bill.fee("HDR") is not None and fees > 0
    total = 2 * price[DOLIPRANE_8] + price[TAHOR_28] + fees
    assert f"Total {total:.2f} €".replace(".", ",") in billing.totals_label.text()
    rows = billing.bill_model.rows
    assert len(rows) == 2 + len(bill.fees) and [r.code for r in rows[2:]] == [fee.code for fee in bill.fees]
    header = billing.bill_view.horizontalHeader()  # the label has the room, not "Part patient"
    assert header.sectionSize(0) > header.sectionSize(billing.bill_model.columnCount() - 1)
    # Retour (Échap) goes back to the lines, F9 to the same bill
    qtbot.keyClick(billing, Qt.Key.Key_Escape)
    assert screen.pages.currentWidget() is page and "F9" in page.scan_label.text()
    qtbot.keyClick(page.lines_view, Qt.Key.Key_F9)
    _idle(qtbot, stack)
    assert screen.pages.currentWidget() is billing and screen.dispensing.bill == bill
    assert screen.dispensing.invoice_number in billing.invoice_label.text()
    with qtbot.waitSignal(screen.finished, timeout=30000):
        qtbot.keyClick(billing, Qt.Key.Key_F10)
    assert "enregistrée et transmise" in billing.record_label.text()
    assert "imprimée (1 page(s))" in billing.print_label.text()
    recorded = screen.recorded
    assert recorded.transmitted and recorded.delivery.lines[2].status is DispenseStatus.DECLINED
    # the mentions of this delivery: what was handed over, the declined line and its reason...
    text = pdf_text(screen.last_pdf)
    assert f"CIP13 {DOLIPRANE_8}" in text and f"CIP13 {TAHOR_28}" in text
    assert "Non délivré — motif : Rupture de stock — Grossiste en rupture" in text
    # the ordonnancier takes TAHOR (liste I), not DOLIPRANE (no list): R.5132-10 CSP
    numbers = {line.line_id: line.ordonnancier_numbers for line in recorded.delivery.lines}
    assert numbers[stack.line_id(0)] == () and len(numbers[stack.line_id(1)]) == 1
    assert text.count("Ordonnancier n°") == 1 and f"Ordonnancier n° {numbers[stack.line_id(1)][0]}" in text
    assert recorded.delivery.bill == bill and "HDR" in text  # the bill with its fees, on the paper too
    # ... are what the printer received (a picture of each page)
    assert picture_likeness(stack.printed, screen.last_pdf) > 0.9
    qtbot.keyClick(billing, Qt.Key.Key_F12)
    assert screen.pages.currentWidget() is screen.waiting and screen.dispensing is None


def test_unfinished_dispensing_is_offered_for_resumption(qtbot, stack):
    screen = stack.screen
    started = stack.services.counter.start(stack.stage.number)  # e.g. by the app closed since
    screen.back_to_waiting()
    qtbot.waitUntil(lambda: screen.waiting.pending_list.count() == 1, timeout=10000)
    assert screen.waiting.pending_box.isVisibleTo(screen)
    # issue 14 point 8: the number as printed, the patient, when, and where it stands
    text = screen.waiting.pending_list.item(0).text()
    assert text.startswith(f"{OrdonnanceNumber(stack.stage.number).grouped()} — BERNARD Louis — commencée le")
    with qtbot.waitSignal(screen.shown, timeout=10000):
        screen.waiting.resume_button.click()
    assert screen.dispensing.delivery_id == started.delivery_id


def test_other_product_searched_priced_and_a_box_taken_back(qtbot, stack):
    screen = stack.screen
    _open(qtbot, stack)
    page = screen.dispensing_page
    glucophage = stack.line_id(2)
    page.select_line(glucophage)
    qtbot.keyClicks(page.search_edit, "doliprane 1000")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    _idle(qtbot, stack)
    assert "produit(s) ajouté(s)" in page.scan_label.text()
    page.product_combo.hidePopup()
    index = next(i for i in range(page.product_combo.count()) if page.product_combo.itemData(i).cip13 == DOLIPRANE_100)
    _fill_dialog(screen, reason="erreur_prescription")
    page.product_combo.setCurrentIndex(index)
    page.product_combo.activated.emit(index)
    _idle(qtbot, stack)
    state = screen.dispensing.line(glucophage)
    assert state.product.cip13 == DOLIPRANE_100 and state.adjustments[0].reason_code == "erreur_prescription"
    assert state.price is None and page.price_button.isEnabled()  # not in the catalogue's prices
    page.price_spin.setValue(7.5)
    page.price_button.click()
    _idle(qtbot, stack)
    assert screen.dispensing.line(glucophage).price == Decimal("7.5")
    if screen.dispensing.line(glucophage).quantity == 0:  # no computed quantity for a product found by search
        page.quantity_spin.setValue(1)
        page.quantity_button.click()
        _idle(qtbot, stack)
    stack.scan_box(DOLIPRANE_100, "P1")
    _idle(qtbot, stack)
    state = screen.dispensing.line(glucophage)
    assert [b.serial for b in state.boxes] == ["P1"] and page.unscan_button.isEnabled(), page.scan_label.text()
    page.unscan_button.click()
    _idle(qtbot, stack)
    assert screen.dispensing.line(glucophage).boxes == []
    page.search_edit.setText("introuvablezz")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    _idle(qtbot, stack)
    assert "Aucun produit trouvé pour « introuvablezz »" in page.error_label.text()


def test_a_catalogue_choice_goes_to_the_selected_line(qtbot, stack):
    screen = stack.screen
    asked = []  # no reason is asked for a generic of the prescribed speciality
    screen.adjustment_dialog_opened.connect(lambda dialog: (asked.append(dialog), QTimer.singleShot(0, dialog.reject)))
    generic = stack.services.catalogue.by_cip13(ATORVASTATINE_30)
    assert not screen.offer_product(generic)  # nothing open yet
    _open(qtbot, stack)
    screen.dispensing_page.select_line(stack.line_id(1))
    assert screen.offer_product(generic)
    _idle(qtbot, stack)
    state = screen.dispensing.lines[1]
    assert asked == []
    assert state.product.cip13 == ATORVASTATINE_30 and state.substitution.type == "G"


def test_a_warning_blocks_billing_until_overridden_with_a_reason(qtbot, stack):
    screen = stack.screen
    _open(qtbot, stack)
    page = screen.dispensing_page
    # GLUCOPHAGE, no list, 2 boxes renewable twice: more than the need is only a warning (TAHOR,
    # liste I, is blocked beyond one month, R.5132-22; DOLIPRANE beyond its 8 days prescribed)
    line = stack.line_id(2)
    page.select_line(line)
    need = screen.dispensing.line(line).quantity
    _fill_dialog(screen, reason="autre", comment="traitement de fond")
    page.quantity_spin.setValue(need + 1)
    page.quantity_button.click()
    _idle(qtbot, stack)
    for state in screen.dispensing.lines:
        page.select_line(state.line_id)
        page.confirm_button.click()
        _idle(qtbot, stack)
    assert page.findings_list.count() == 1, [page.findings_list.item(i).text() for i in range(page.findings_list.count())]
    warning = f"{need + 1} boîtes pour un besoin calculé de {need}"
    assert page.findings_list.item(0).text() == f"⚠ {warning} : justifiez la quantité."
    page.bill_button.click()
    _idle(qtbot, stack)
    assert warning in page.error_label.text()
    assert screen.pages.currentWidget() is page

    def answer(dialog):
        def later():
            dialog.setTextValue("patient part en vacances")
            dialog.accept()
        QTimer.singleShot(0, later)

    screen.override_dialog_opened.connect(answer)
    page.override_button.click()
    _idle(qtbot, stack)
    assert screen.dispensing.line(line).overrides == {"quantity_above_need": "patient part en vacances"}
    assert page.findings_list.item(0).text().startswith("✔") and not page.override_button.isVisibleTo(page)
    page.bill_button.click()
    _idle(qtbot, stack)
    assert screen.pages.currentWidget() is screen.billing


def test_the_resumption_list_is_refreshed_when_back_to_waiting(qtbot, stack):
    screen = stack.screen
    _open(qtbot, stack)
    screen.back_to_waiting()  # e.g. F12 after a print, or a new scan
    qtbot.waitUntil(lambda: screen.waiting.pending_list.count() == 1, timeout=10000)
    screen.waiting.pending_list.setCurrentRow(0)
    screen.waiting.discard_button.click()  # abandoned here, its claim given back
    qtbot.waitUntil(lambda: screen.waiting.pending_list.count() == 0, timeout=10000)
    _idle(qtbot, stack)
    assert stack.services.counter.pending() == []


def test_a_line_set_aside_then_taken_up_again(qtbot, stack):
    screen = stack.screen
    _open(qtbot, stack)
    page = screen.dispensing_page
    page.select_line(stack.line_id(1))
    assert page.hold_button.text() == "Mettre en attente (Ctrl+H)"
    page.hold_button.click()
    _idle(qtbot, stack)
    assert screen.dispensing.lines[1].status is DispenseStatus.ON_HOLD
    assert page.lines_model.data(page.lines_model.index(1, 10)) == "‖ en attente"
    assert page.hold_button.text() == "Reprendre la ligne (Ctrl+H)"
    page.hold_button.click()
    _idle(qtbot, stack)
    assert screen.dispensing.lines[1].status is DispenseStatus.PREPARATION


def test_the_patients_refusal_of_the_generic_is_recorded_on_the_line(qtbot, stack):
    screen = stack.screen
    _open(qtbot, stack)
    page = screen.dispensing_page
    tahor = stack.line_id(1)
    page.select_line(tahor)
    assert screen.dispensing.line(tahor).substitution is not None  # a generic proposed first
    assert page.refuse_generic_button.isEnabled()
    page.refuse_generic_button.click()
    _idle(qtbot, stack)
    state = screen.dispensing.line(tahor)
    assert state.product.cip13 == TAHOR_28 and state.substitution is None
    assert state.generic_refusal is not None and not state.generic_refusal.tiers_payant
    assert not page.refuse_generic_button.isEnabled()
