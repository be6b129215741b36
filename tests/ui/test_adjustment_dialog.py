"""The adjustment dialog: reasons from the table, the prescriber's agreement, the comment, validation."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

from app.domain.records import Means, Reason
from app.ui.counter.adjustment_dialog import AdjustmentDialog

REASONS = [
    Reason("rupture", "Rupture de stock", "Out of stock"),
    Reason("posologie", "Adaptation de posologie", "Dosage adjustment"),
    Reason("autre", "Autre", "Other", requires_comment=True),
]
MEANS = [Means("telephone", "téléphone", "telephone"), Means("mss", "messagerie sécurisée", "secure messaging")]
TODAY = date(2026, 11, 26)


def _dialog(qtbot, **kwargs):
    dialog = AdjustmentDialog(REASONS, MEANS, why="Quantité modifiée (2 au lieu de 1).", today=TODAY, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def test_lists_the_reasons_and_means_given(qtbot):
    dialog = _dialog(qtbot)
    assert [dialog.reason_combo.itemText(i) for i in range(dialog.reason_combo.count())] == [
        "Rupture de stock", "Adaptation de posologie", "Autre"]
    assert dialog.agreement_combo.itemText(0) == "Sans accord du prescripteur"
    assert dialog.agreement_combo.count() == 3
    assert not dialog.agreement_date.isEnabled()
    assert "2 au lieu de 1" in dialog.why_label.text()


def test_ok_returns_the_adjustment_with_agreement(qtbot):
    dialog = _dialog(qtbot)
    dialog.reason_combo.setCurrentIndex(1)
    dialog.agreement_combo.setCurrentIndex(1)
    assert dialog.agreement_date.isEnabled()
    dialog.agreement_date.setDate(QDate(2026, 11, 25))
    qtbot.keyClicks(dialog.comment_edit, "Dr joint 10 h")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    adj = dialog.result_adjustment
    assert (adj.reason_code, adj.reason_label) == ("posologie", "Adaptation de posologie")
    assert adj.agreement_means == "téléphone" and adj.agreement_date == date(2026, 11, 25)
    assert adj.comment == "Dr joint 10 h" and adj.agreed


def test_without_agreement_there_is_no_date(qtbot):
    dialog = _dialog(qtbot, default_reason="rupture")
    assert dialog.reason_combo.currentData() == "rupture"
    dialog.ok_button.click()
    assert dialog.result() == AdjustmentDialog.DialogCode.Accepted
    assert dialog.result_adjustment.agreement_means is None
    assert dialog.result_adjustment.agreement_date is None


def test_other_needs_a_comment(qtbot):
    dialog = _dialog(qtbot)
    dialog.reason_combo.setCurrentIndex(2)
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


def test_an_english_ui_shows_the_english_labels_and_records_the_french_ones(qtbot):
    """The ordonnancier, the service and the printouts are French whatever the UI's language."""
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    try:
        dialog = _dialog(qtbot)
        assert [dialog.reason_combo.itemText(i) for i in range(3)] == ["Out of stock", "Dosage adjustment", "Other"]
        assert dialog.agreement_combo.itemText(1) == "telephone"
        dialog.reason_combo.setCurrentIndex(2)
        dialog.ok_button.click()
        assert "« Other »" in dialog.error_label.text()
        dialog.reason_combo.setCurrentIndex(1)
        dialog.agreement_combo.setCurrentIndex(2)
        dialog.ok_button.click()
        adj = dialog.result_adjustment
        assert (adj.reason_label, adj.agreement_means) == ("Adaptation de posologie", "messagerie sécurisée")
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
