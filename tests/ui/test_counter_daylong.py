"""Issue 14, the counter screens as a pharmacist uses them all day: confirmations, stale messages,
keys, sounds, the outbox, the resume list (real stack: sandbox service, SQLite, real workflow)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from tests.ui.stack import DOLIPRANE_8, counter_stack
from tests.ui.test_counter_screen import _fill_dialog


@pytest.fixture
def stack(qtbot, tmp_path, catalogue_url):
    with counter_stack(qtbot, tmp_path, catalogue_url) as stack:
        yield stack


def _idle(qtbot, stack) -> None:
    QCoreApplication.processEvents()
    qtbot.waitUntil(lambda: not stack.runner.busy and not stack.screen.ops.busy, timeout=10000)


def _open(qtbot, stack) -> None:
    with qtbot.waitSignal(stack.screen.shown, timeout=10000):
        stack.screen.open_number(stack.stage.number)
    _idle(qtbot, stack)


def _answer_abandon(screen, button: QMessageBox.StandardButton, seen: list) -> None:
    def answer(box):
        seen.append(box.text())
        QTimer.singleShot(0, lambda: box.button(button).click())
    screen.abandon_dialog_opened.connect(answer)


def test_abandon_asks_first_when_boxes_were_scanned_and_a_quantity_change_clears_the_verdict(qtbot, stack):
    """Point 4: "Abandonner" with a box scanned asks (No keeps everything); the "Boîte acceptée"
    verdict goes once the quantity changes."""
    screen = stack.screen
    _open(qtbot, stack)
    page = screen.dispensing_page
    stack.scan_box(DOLIPRANE_8, "A1")
    _idle(qtbot, stack)
    assert "Boîte acceptée" in page.scan_label.text()
    assert "(1 / 2)" in page.scan_label.text()
    page.select_line(stack.line_id(0))
    page.quantity_spin.setValue(3)

    _fill_dialog(screen, reason="autre", comment="traitement long")
    page.quantity_button.click()
    _idle(qtbot, stack)
    assert screen.dispensing.lines[0].quantity == 3
    assert "Boîte acceptée" not in page.scan_label.text()  # "(1 / 2)" is no longer true
    seen: list[str] = []
    _answer_abandon(screen, QMessageBox.StandardButton.No, seen)
    page.abandon_button.click()
    _idle(qtbot, stack)
    assert seen and "1 boîte(s) scannée(s)" in seen[0] and "1 adaptation(s)" in seen[0]
    assert screen.pages.currentWidget() is page and len(screen.dispensing.lines[0].boxes) == 1
    screen.abandon_dialog_opened.disconnect()
    _answer_abandon(screen, QMessageBox.StandardButton.Yes, seen)
    page.abandon_button.click()
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.waiting, timeout=10000)
    _idle(qtbot, stack)
    assert len(seen) == 2 and screen.waiting.pending_list.count() == 0


def test_abandon_without_work_asks_nothing(qtbot, stack):
    screen = stack.screen
    _open(qtbot, stack)
    opened = []
    screen.abandon_dialog_opened.connect(opened.append)
    screen.dispensing_page.abandon_button.click()
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.waiting, timeout=10000)
    _idle(qtbot, stack)
    assert opened == []


def test_wording_refused_box_and_prescribed_quantity(qtbot, stack):
    """Point 8: a refusal says "Boîte" once; "2 boîtes", not "2 boîte"; the number as printed."""
    from decimal import Decimal

    from app.domain.prescription import Quantity
    from app.ui.counter.lines_model import prescribed_quantity

    screen = stack.screen
    _open(qtbot, stack)
    page = screen.dispensing_page
    stack.scan_box(DOLIPRANE_8, "P1", expiry="200101")
    _idle(qtbot, stack)
    text = page.scan_label.text()
    assert text.startswith("⛔ Refusée — Boîte périmée (expiration 01/2020)") and text.count("oîte") == 1
    assert page.panel.number_label.text() == screen.dispensing.prescription.number.grouped()
    line = screen.dispensing.prescription.lines[0]
    for value, unit, shown in (("2", "boîte", "2 boîtes"), ("1", "boîte", "1 boîte"), ("2", "sachet", "2 sachets"),
                               ("1.5", "mL", "1,5 mL")):
        assert prescribed_quantity(replace(line, quantity=Quantity(Decimal(value), unit))) == shown


def test_laid_out_for_1280_by_800(qtbot, stack):
    """Point 5: the window opens at 1280 × 800 at least; no camera configured, no camera panel; the
    lines table shows every column without a horizontal scrollbar and gives the room to what is read;
    the states and list badges read without colour."""
    from app.domain.catalogue import Condition
    from app.ui.counter.lines_model import READ_COLUMNS, list_badges, status_text
    from app.ui.counter.waiting_page import WaitingPage
    from app.ui.main_window import MainWindow

    size = MainWindow.opening_size()
    assert size.width() >= 1280 and size.height() >= 800
    screen = stack.screen
    assert not stack.stage.settings.scanner.camera
    assert not screen.waiting.camera_label.isVisibleTo(screen) and screen.waiting.hint_label.isVisibleTo(screen)
    with_camera = WaitingPage(camera=True)
    qtbot.addWidget(with_camera)
    assert with_camera.camera_label.isVisibleTo(with_camera)
    screen.resize(1260, 700)  # the tab's area in a 1280 × 800 window
    _open(qtbot, stack)
    stack.scan_box(DOLIPRANE_8, "L1")
    _idle(qtbot, stack)
    view = screen.dispensing_page.lines_view
    QCoreApplication.processEvents()
    header = view.horizontalHeader()
    assert not view.horizontalScrollBar().isVisible()
    assert sum(header.sectionSize(c) for c in range(header.count())) <= view.viewport().width()
    widths = sorted(range(header.count()), key=header.sectionSize, reverse=True)
    assert set(widths[:3]) == set(READ_COLUMNS)
    model = screen.dispensing_page.lines_model
    states = [status_text(row) for row in model.rows]
    assert states[0].startswith("◐ ") and states[1].startswith("○ ")  # a mark, not only a colour
    assert list_badges(frozenset({Condition.LISTE_I})) == "[Liste I]"
    assert list_badges(frozenset({Condition.STUPEFIANT, Condition.LISTE_II})) == "[Stupéfiant] [Liste II]"
    tahor = model.data(model.index(1, 7))
    assert tahor.endswith("[Liste I]")  # atorvastatine: liste I


_KEY_ON_BUTTON = re.compile(r"\((F\d+|Ctrl\+.+|Entrée|Return)\)$")


def test_every_action_has_its_key_on_its_button_and_f1_lists_them(qtbot, stack):
    """Keyboard only: each button of the waiting and dispensing pages (and « Renvoyer ») shows its
    key; the key map (F1) lists them, read from the screens; the keys work; the focus comes back to
    the lines after an action."""
    from PySide6.QtWidgets import QCheckBox, QPushButton

    from app.ui.key_map_dialog import KeyMapDialog
    from app.ui.keys import key_maps

    screen = stack.screen
    _open(qtbot, stack)
    page = screen.dispensing_page
    buttons = [b for w in (screen.waiting, page, screen.outbox_panel)
               for kind in (QPushButton, QCheckBox) for b in w.findChildren(kind)]
    assert len(buttons) > 12
    missing = [b.text() for b in buttons if not _KEY_ON_BUTTON.search(b.text())]
    assert missing == []
    entries = key_maps(screen)
    keys = {(where, key) for where, key, _action in entries}
    assert {("Délivrance", "F9"), ("Délivrance", "F6"), ("Délivrance", "Ctrl+Z"), ("Attente", "F5"),
            ("Facturation", "F10")} <= keys
    assert any(key == "Ctrl+R" for _where, key, _action in entries)
    dialog = KeyMapDialog(entries)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(entries)

    screen.window().activateWindow()
    qtbot.waitUntil(screen.window().isActiveWindow, timeout=5000)
    page.select_line(stack.line_id(1))
    page.confirm_button.setFocus()
    qtbot.keyClick(page.confirm_button, Qt.Key.Key_F8)  # F8: the line confirmed without a scan
    _idle(qtbot, stack)
    assert screen.dispensing.line(stack.line_id(1)).status.name == "COMPLETED"
    assert page.lines_view.hasFocus()  # back to the lines, not left on a button
    assert page.hold_button.text().endswith("(Ctrl+H)")
    qtbot.keyClick(page.lines_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.hasFocus()


def test_a_sound_for_a_box_accepted_another_for_a_box_refused(qtbot, stack):
    """Short, distinct, can be turned off; nothing fails without an audio device (offscreen)."""
    import io
    import wave

    from app.ui.sounds import ACCEPTED, REFUSED, TONES, tone_wav

    screen = stack.screen
    _open(qtbot, stack)
    played: list[str] = []
    screen.sounds.played.connect(played.append)
    stack.scan_box(DOLIPRANE_8, "S1")
    _idle(qtbot, stack)
    stack.scan_box(DOLIPRANE_8, "S2", expiry="200101")
    _idle(qtbot, stack)
    assert played == [ACCEPTED, REFUSED]
    screen.sounds.enabled = False  # settings.ui.sounds = false
    stack.scan_box(DOLIPRANE_8, "S3")
    _idle(qtbot, stack)
    assert played == [ACCEPTED, REFUSED] and len(screen.dispensing.lines[0].boxes) == 2
    with wave.open(io.BytesIO(tone_wav(TONES[REFUSED]))) as wav:
        refused_ms = wav.getnframes() * 1000 // wav.getframerate()
    with wave.open(io.BytesIO(tone_wav(TONES[ACCEPTED]))) as wav:
        accepted_ms = wav.getnframes() * 1000 // wav.getframerate()
    assert accepted_ms < 150 < refused_ms < 600  # short, and told apart by length as well as pitch


def test_the_new_strings_read_in_english(qtbot):
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from app.domain.records import OutboxItem, SendStatus
    from app.printing.specimen import specimen_delivery
    from app.ui.counter.waiting_page import WaitingPage
    from app.ui.key_map_dialog import KeyMapDialog
    from app.ui.outbox_view import state_text
    from app.ui.translations import install_translators

    app = QApplication.instance()
    translators = install_translators(app, "en")
    try:
        page = WaitingPage()
        qtbot.addWidget(page)
        assert page.retry_button.text() == "Retry (F5)" and page.fetch_button.text() == "Search (Enter)"
        assert page.resume_button.text().startswith("Resume")
        assert KeyMapDialog([]).windowTitle() == "Keyboard shortcuts (F1)"
        item = OutboxItem(specimen_delivery(1), SendStatus.PENDING, 2)
        assert state_text(item) == "⏳ not sent (2 attempts)"
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))


def test_the_prescription_shows_as_soon_as_read_and_a_box_scanned_meanwhile_is_kept(qtbot, stack):
    """Faster at the counter: the prescription appears once fetched, while its lines are prepared on
    the database worker; a box scanned in that moment is applied once they are ready."""
    import threading

    screen = stack.screen
    counter = stack.services.counter
    gate = threading.Event()
    prepare = counter.prepare

    def gated_prepare(*args, **kwargs):
        assert gate.wait(20), "the test never let the preparation go on"
        return prepare(*args, **kwargs)

    counter.prepare = gated_prepare
    try:
        with qtbot.waitSignal(screen.prescription_shown, timeout=10000):
            screen.open_number(stack.stage.number)
        preview = screen.preview
        assert screen.pages.currentWidget() is preview and screen.dispensing is None
        assert preview.lines_model.rowCount() == 3
        assert preview.lines_model.data(preview.lines_model.index(0, 0)).startswith("DOLIPRANE 1000 mg")
        assert "BERNARD Louis" in preview.panel.patient_label.text()
        assert "Préparation des lignes" in preview.status_label.text()
        stack.scan_box(DOLIPRANE_8, "E1")  # read while the lines are prepared
        QCoreApplication.processEvents()
        with qtbot.waitSignal(screen.shown, timeout=10000):
            gate.set()
        _idle(qtbot, stack)
    finally:
        gate.set()
        counter.prepare = prepare
    page = screen.dispensing_page
    assert screen.pages.currentWidget() is page
    assert [b.serial for b in screen.dispensing.lines[0].boxes] == ["E1"]
    assert "Boîte acceptée" in page.scan_label.text()
