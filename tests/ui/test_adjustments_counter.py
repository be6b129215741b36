"""Adjustments and the bearer on the real counter (sandbox service, real workflow, bundled catalogue):
each action's dialog opens on its own reasons with none chosen, another medicine is refused in the
dialog until the prescriber's agreement is given, a second adjustment of a line stays beside the
first in what is recorded, sent and printed; a stupéfiant asks who takes it before the bill."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, QTimer

from app.domain.delivery import AdjustmentKind
from app.eprescription import EPrescriptionClient
from app.printing.content import line_text
from app.sandbox.loader import complete_bundle
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS
from app.workflow.ops import Confirm, IssueBill, Override, SetPrice
from tests.ui.stack import DOLIPRANE_100, counter_stack, pdf_text
from tests.workflow.conftest import med_request

K = AdjustmentKind
ACTISKENAN_10 = "3400934990007"  # morphine 10 mg, gélules by 14: a stupéfiant


def _idle(qtbot, screen) -> None:
    qtbot.waitUntil(lambda: not screen.runner.busy and not screen.ops.busy, timeout=10000)


def test_each_change_asks_its_own_reason_and_every_one_is_recorded_sent_and_printed(qtbot, tmp_path, catalogue_url):
    with counter_stack(qtbot, tmp_path, catalogue_url) as stack:
        screen, page = stack.screen, stack.screen.dispensing_page
        with qtbot.waitSignal(screen.shown, timeout=10000):
            screen.open_number(stack.stage.number)
        _idle(qtbot, screen)
        doliprane, glucophage = stack.line_id(0), stack.line_id(2)
        seen: list = []  # (kind, reason shown first, reasons offered, error after a first OK)
        answers: dict = {}

        def fill(dialog):
            seen.append([dialog.kind, dialog.reason_combo.currentData(),
                         [dialog.reason_combo.itemData(i) for i in range(dialog.reason_combo.count())], None])

            def later():
                dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(answers["reason"]))
                if answers.get("try_without_agreement"):
                    dialog.ok_button.click()  # refused: the dialog stays open and says why
                    seen[-1][3] = dialog.error_label.text()
                dialog.agreement_combo.setCurrentIndex(answers.get("agreement", 0))
                dialog.ok_button.click()
            QTimer.singleShot(0, later)
        screen.adjustment_dialog_opened.connect(fill)
        screen.posology_dialog_opened.connect(lambda dialog: QTimer.singleShot(0, lambda: (
            dialog.posology_edit.setText("1 comprimé le soir si douleur"), dialog.ok_button.click())))

        # 1. one box less of DOLIPRANE: the quantity's reasons, none chosen
        answers.update(reason="deja_en_possession")
        page.select_line(doliprane)
        proposed = screen.dispensing.line(doliprane).quantity
        page.quantity_spin.setValue(proposed - 1)
        page.quantity_button.click()
        _idle(qtbot, screen)
        kind, first, offered, _ = seen[0]
        assert kind is K.QUANTITY and first is None
        assert "conditionnement_inadapte" in offered and "substitution_generique" not in offered
        assert "forme_inadaptee" not in offered  # a product's reason

        # 2. the same line's posology: a second adjustment, kept beside the first
        answers.update(reason="adaptation_posologie", agreement=1)
        page.select_line(doliprane)
        page.posology_button.click()
        _idle(qtbot, screen)
        assert seen[1][0] is K.POSOLOGY and seen[1][1] is None
        assert [a.kind for a in screen.dispensing.line(doliprane).adjustments] == [K.QUANTITY, K.POSOLOGY]

        # 3. another medicine for GLUCOPHAGE: refused without the prescriber's agreement, then agreed
        answers.update(reason="rupture_stock", agreement=1, try_without_agreement=True)
        page.select_line(glucophage)
        qtbot.keyClicks(page.search_edit, "doliprane 1000")
        qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
        _idle(qtbot, screen)
        page.product_combo.hidePopup()
        index = next(i for i in range(page.product_combo.count()) if page.product_combo.itemData(i).cip13 == DOLIPRANE_100)
        page.product_combo.setCurrentIndex(index)
        page.product_combo.activated.emit(index)
        _idle(qtbot, screen)
        assert seen[2][0] is K.PRODUCT and seen[2][1] is None
        assert "Refusé" in seen[2][3] and "L.5125-23" in seen[2][3]
        (product,) = screen.dispensing.line(glucophage).adjustments
        assert product.kind is K.PRODUCT and product.agreement_means == "Téléphone"
        assert product.agreement_time is not None and "DOLIPRANE" in product.detail

        # 4. recorded: the stored delivery, the service and the printout carry every adjustment
        counter, d = screen.counter, screen.dispensing
        if d.line(glucophage).quantity == 0:
            page.quantity_spin.setValue(1)
            page.quantity_button.click()
            _idle(qtbot, screen)
            d = screen.dispensing
        for state in d.lines:
            d = counter.apply(d, Confirm(state.line_id)).dispensing
        d = counter.apply(d, SetPrice(glucophage, Decimal("7.50"))).dispensing
        for finding in counter.findings(d):  # the rules are not this test's subject
            d = counter.apply(d, Override(finding.line_id or "", finding.rule, "vu avec le prescripteur")).dispensing
        d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
        recorded = counter.record(d)
        lines = {line.line_id: line for line in recorded.delivery.lines}
        assert [(a.kind, a.reason_code) for a in lines[doliprane].adjustments] == [
            (K.QUANTITY, "deja_en_possession"), (K.POSOLOGY, "adaptation_posologie")]
        stored = {r.line_id: r for r in stack.stage.pharmacy_client.deliveries(stack.stage.number)}
        assert [a.reason_code for a in stored[doliprane].adjustments] == ["deja_en_possession", "adaptation_posologie"]
        assert [a.kind for a in stored[glucophage].adjustments] == [K.PRODUCT]
        mentions = line_text(lines[doliprane]).mentions
        assert "Adaptation : Déjà en possession du patient" in mentions
        assert f"Quantité délivrée : {proposed - 1} boîte(s) au lieu de {proposed}" in mentions
        assert "Adaptation : Adaptation de posologie" in mentions
        assert any(m.startswith("Produit délivré : DOLIPRANE") for m in line_text(lines[glucophage]).mentions)


def test_a_stupefiant_asks_who_takes_it_before_the_bill(qtbot, tmp_path, catalogue_url):
    with counter_stack(qtbot, tmp_path, catalogue_url) as stack:
        screen, page = stack.screen, stack.screen.dispensing_page
        stage = stack.stage
        with EPrescriptionClient(stage.base_url, stage.admin.prescriber_token()) as prescriber:
            bundle = complete_bundle({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": med_request(
                "l1", ACTISKENAN_10, "ACTISKENAN 10 mg, gélule", per_day=2, days=7, unit="gélule")}]},
                prescriber_rpps=DEMO_PRESCRIBER_RPPS)
            number = str(prescriber.submit_prescription(bundle)[0])
        with qtbot.waitSignal(screen.shown, timeout=10000):
            screen.open_number(number)
        _idle(qtbot, screen)
        asked: list = []

        def fill(dialog):
            asked.append(dialog)

            def later():
                dialog.patient_check.setChecked(False)
                dialog.name_edit.setText("Paul MARTIN")
                dialog.address_edit.setText("3 rue des Lilas, 75011 Paris")
                dialog.number_edit.setText("12AB34567")
                dialog.ok_button.click()
            QTimer.singleShot(0, later)
        screen.bearer_dialog_opened.connect(fill)
        page.select_line(stack.line_id(0))
        page.confirm_button.click()
        _idle(qtbot, screen)
        page.bill_button.click()
        qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.billing, timeout=10000)
        assert len(asked) == 1
        assert screen.dispensing.bearer.name == "Paul MARTIN" and screen.dispensing.bill is not None
        with qtbot.waitSignal(screen.finished, timeout=30000):
            screen.billing.record_button.click()
        assert screen.recorded.delivery.bearer.document_number == "12AB34567"
        text = pdf_text(screen.last_pdf)
        assert "Porteur de l'ordonnance (autre que le patient) : Paul MARTIN" in text
