"""The adjustment dialog on the shipped reasons table: the action's own reasons with none chosen in
advance, the prescriber's agreement with date and time, a legal basis for another medicine (refused
without either), the comment, validation; the bearer dialog."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, Qt, QTime

from app.domain.adjustments import legal_bases_in_force, reasons_in_force
from app.domain.delivery import AdjustmentKind
from app.domain.records import Means
from app.ui.counter.adjustment_dialog import AdjustmentDialog
from app.ui.counter.bearer_dialog import BearerDialog

NOW = datetime(2026, 11, 26, 10, 30)
REASONS = reasons_in_force(NOW.date())
BASES = legal_bases_in_force(NOW.date())
MEANS = [Means("telephone", "téléphone", "telephone"), Means("mss", "messagerie sécurisée", "secure messaging")]
K = AdjustmentKind


def _dialog(qtbot, kind=K.QUANTITY, **kwargs):
    dialog = AdjustmentDialog(REASONS, MEANS, kind=kind, why="Quantité modifiée (2 au lieu de 1).", now=NOW,
                              legal_bases=BASES, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def _codes(dialog) -> list:
    return [dialog.reason_combo.itemData(i) for i in range(dialog.reason_combo.count())]


def test_each_action_opens_on_its_own_reasons_with_none_chosen(qtbot):
    quantity, posology = _dialog(qtbot), _dialog(qtbot, K.POSOLOGY)
    for dialog in (quantity, posology, _dialog(qtbot, K.NOT_DELIVERED), _dialog(qtbot, K.PRODUCT)):
        assert dialog.reason_combo.currentIndex() == 0 and dialog.reason_combo.currentData() is None
        assert dialog.selected_reason() is None
        assert "substitution_generique" not in _codes(dialog)
    assert "conditionnement_inadapte" in _codes(quantity) and "forme_inadaptee" not in _codes(quantity)
    assert "adaptation_posologie" in _codes(posology) and "deja_en_possession" not in _codes(posology)
    assert quantity.agreement_combo.itemText(0) == "Sans accord du prescripteur"
    assert not quantity.agreement_date.isEnabled() and not quantity.agreement_time.isEnabled()
    assert quantity.legal_basis_combo.isHidden()  # only for another medicine
    assert "2 au lieu de 1" in quantity.why_label.text()


def test_no_reason_chosen_is_refused(qtbot):
    dialog = _dialog(qtbot)
    dialog.ok_button.click()
    assert dialog.result_adjustment is None and "motif" in dialog.error_label.text()


def test_ok_returns_the_typed_adjustment_with_agreement_date_and_time(qtbot):
    dialog = _dialog(qtbot)
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("conditionnement_inadapte"))
    dialog.agreement_combo.setCurrentIndex(1)
    assert dialog.agreement_date.isEnabled() and dialog.agreement_time.isEnabled()
    dialog.agreement_date.setDate(QDate(2026, 11, 25))
    dialog.agreement_time.setTime(QTime(17, 45))
    qtbot.keyClicks(dialog.comment_edit, "Dr joint")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    adj = dialog.result_adjustment
    assert (adj.kind, adj.reason_code) == (K.QUANTITY, "conditionnement_inadapte")
    assert adj.agreement_means == "téléphone" and adj.agreement_date == date(2026, 11, 25)
    assert adj.agreement_time == time(17, 45) and adj.comment == "Dr joint" and adj.agreed


def test_without_agreement_there_is_no_date_nor_time(qtbot):
    dialog = _dialog(qtbot)
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("deja_en_possession"))
    dialog.ok_button.click()
    assert dialog.result() == AdjustmentDialog.DialogCode.Accepted
    adj = dialog.result_adjustment
    assert adj.agreement_means is None and adj.agreement_date is None and adj.agreement_time is None


def test_another_medicine_is_refused_without_agreement_or_legal_basis(qtbot):
    dialog = _dialog(qtbot, K.PRODUCT, product_name="EFFERALGAN 1 g")
    assert not dialog.legal_basis_combo.isHidden()
    assert dialog.findChild(object, "agreement_notice") is not None
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("rupture_stock"))
    dialog.ok_button.click()
    assert dialog.result_adjustment is None
    assert "Refusé" in dialog.error_label.text() and "EFFERALGAN 1 g" in dialog.error_label.text()
    assert "L.5125-23" in dialog.error_label.text()
    dialog.legal_basis_combo.setCurrentIndex(dialog.legal_basis_combo.findData("rupture_mitm"))
    dialog.ok_button.click()
    adj = dialog.result_adjustment
    assert adj.kind is K.PRODUCT and adj.legal_basis_code == "rupture_mitm" and "ANSM" in adj.legal_basis
    assert not adj.agreed


def test_another_medicine_with_the_prescribers_agreement(qtbot):
    dialog = _dialog(qtbot, K.PRODUCT, product_name="EFFERALGAN 1 g")
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("rupture_stock"))
    dialog.agreement_combo.setCurrentIndex(1)
    dialog.agreement_time.setTime(QTime(10, 10))
    dialog.ok_button.click()
    adj = dialog.result_adjustment
    assert adj.agreed and adj.agreement_time == time(10, 10) and adj.legal_basis_code is None


def test_other_needs_a_comment(qtbot):
    dialog = _dialog(qtbot)
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("autre"))
    dialog.ok_button.click()
    assert dialog.result_adjustment is None
    assert "précisez" in dialog.error_label.text()
    dialog.comment_edit.setPlainText("patient hospitalisé")
    dialog.ok_button.click()
    assert dialog.result_adjustment.comment == "patient hospitalisé"


def test_the_agreement_cannot_be_in_the_future(qtbot):
    dialog = _dialog(qtbot)
    dialog.agreement_combo.setCurrentIndex(2)
    dialog.agreement_date.setDate(QDate(2026, 12, 31))  # clamped by the maximum date
    assert dialog.agreement_date.date() == QDate(2026, 11, 26)
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("refus_patient"))
    dialog.agreement_time.setTime(QTime(11, 0))  # today, but later than now
    dialog.ok_button.click()
    assert dialog.result_adjustment is None and "futur" in dialog.error_label.text()


def test_an_english_ui_shows_the_english_labels_and_records_the_french_ones(qtbot):
    """The ordonnancier, the service and the printouts are French whatever the UI's language."""
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    try:
        dialog = _dialog(qtbot, K.POSOLOGY)
        index = dialog.reason_combo.findData("adaptation_posologie")
        assert dialog.reason_combo.itemText(index) == "Dosage adjustment"
        assert dialog.agreement_combo.itemText(1) == "telephone"
        dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("autre"))
        dialog.ok_button.click()
        assert "« Other (specify) »" in dialog.error_label.text()
        dialog.reason_combo.setCurrentIndex(index)
        dialog.agreement_combo.setCurrentIndex(2)
        dialog.agreement_time.setTime(QTime(9, 0))
        dialog.ok_button.click()
        adj = dialog.result_adjustment
        assert (adj.reason_label, adj.agreement_means) == ("Adaptation de posologie", "messagerie sécurisée")
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))


# --- the bearer ---------------------------------------------------------------------------------------

def test_the_bearer_dialog_takes_the_patient_or_a_complete_identity(qtbot):
    dialog = BearerDialog(["ACTISKENAN 10 mg"])
    qtbot.addWidget(dialog)
    assert dialog.patient_check.isChecked() and not dialog.name_edit.isEnabled()
    dialog.ok_button.click()
    assert dialog.result() == BearerDialog.DialogCode.Accepted and dialog.result_bearer is None

    dialog = BearerDialog(["ACTISKENAN 10 mg"])
    qtbot.addWidget(dialog)
    dialog.patient_check.setChecked(False)
    qtbot.keyClicks(dialog.name_edit, "Paul MARTIN")
    dialog.ok_button.click()
    assert dialog.result_bearer is None and "adresse" in dialog.error_label.text()
    qtbot.keyClicks(dialog.address_edit, "3 rue des Lilas, 75011 Paris")
    dialog.document_combo.setCurrentIndex(dialog.document_combo.findData("Passeport"))
    qtbot.keyClicks(dialog.number_edit, "12")
    dialog.ok_button.click()
    assert dialog.result_bearer is None and "invalide" in dialog.error_label.text()
    qtbot.keyClicks(dialog.number_edit, "ab345678")
    dialog.ok_button.click()
    bearer = dialog.result_bearer
    assert (bearer.name, bearer.document_type, bearer.document_number) == ("Paul MARTIN", "Passeport", "12AB345678")
