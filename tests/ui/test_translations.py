"""The UI's languages: the committed English catalogue is complete, compiled and up to date."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from app.ui.counter.adjustment_dialog import AdjustmentDialog
from app.ui.translations import compile_ts, install_translators, translations_dir, update_catalogue

TS = translations_dir() / "comptoir_en.ts"
QM = translations_dir() / "comptoir_en.qm"


def _messages(path):
    return {m.findtext("source"): m.find("translation") for m in ET.parse(path).iter("message")}


def test_committed_qm_is_the_compiled_ts(tmp_path):
    assert compile_ts(TS, tmp_path / "fresh.qm").read_bytes() == QM.read_bytes()


def test_every_ui_string_is_in_the_catalogue_and_translated(tmp_path, monkeypatch):
    copy = tmp_path / "translations"
    shutil.copytree(translations_dir(), copy)
    monkeypatch.setattr("app.ui.translations.translations_dir", lambda: copy)
    update_catalogue("en")  # what lupdate finds in the sources today
    fresh, committed = _messages(copy / "comptoir_en.ts"), _messages(TS)
    assert set(fresh) == set(committed), "run `python -m app.ui.translations` after changing UI strings"
    unfinished = [s for s, t in fresh.items() if t.get("type") == "unfinished"]
    assert unfinished == []
    empty = [s for s, t in fresh.items() if not (t.text or "").strip() and not list(t)]
    assert empty == [], "translations left empty"


def test_english_interface(qtbot):
    app = QApplication.instance()
    translators = install_translators(app, "en")
    try:
        dialog = AdjustmentDialog([], [])
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Dispensing adjustment"
        assert dialog.agreement_combo.itemText(0) == "Without the prescriber's agreement"
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    assert AdjustmentDialog([], []).windowTitle() == "Adaptation de la délivrance"
