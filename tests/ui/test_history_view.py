"""The history screen on a real database holding registered and archived deliveries: searching by
patient (accents and case ignored), number and date; what was delivered; reprints printed through a
QPrinter PDF file; a failed print listed, then reprinted; the F4 tab of the main window."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt

from app.config import Settings
from app.domain.identifiers import OrdonnanceNumber
from app.domain.prescription import Patient
from app.printing.specimen import SPECIMEN_NUMBER, specimen_delivery
from app.storage.db import open_database, transaction
from app.storage.delivery_archive import archive_delivery
from app.storage.ordonnancier import append_delivery
from app.ui.history_view import HistoryView
from app.ui.printing import PrintTarget
from app.ui.tasks import TaskRunner
from app.wiring import make_history
from tests.printing.pdfcheck import page_count, pdf_text

OTHER_NUMBER = OrdonnanceNumber.issue("ABCDEFGHJKMNPQRSTVW")


def _delivery(delivery_id: str, when: datetime, lines: int = 5, **changes):
    return dataclasses.replace(specimen_delivery(lines), delivery_id=delivery_id, handed_over_at=when, **changes)


@pytest.fixture
def archive(sqlite_url):
    """Three deliveries registered in the ordonnancier then archived, as the counter does."""
    engine, factory = open_database(sqlite_url)
    with transaction(factory) as session:
        for delivery in (
            _delivery("D1", datetime(2026, 11, 20, 10, 1)),
            _delivery("D2", datetime(2026, 11, 26, 9, 30)),
            _delivery("D3", datetime(2026, 11, 26, 11, 15), lines=2, number=OTHER_NUMBER,
                      patient=Patient("Martin", "Claire", date(1990, 1, 2))),
        ):
            archive_delivery(session, append_delivery(session, delivery))
    yield factory
    engine.dispose()


@pytest.fixture
def view(qtbot, archive, tmp_path):
    settings = Settings()
    settings.printer.pdf_dir = str(tmp_path / "pdf")
    runner = TaskRunner()
    widget = HistoryView(make_history(settings, archive), runner, settings)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()  # coming to the tab lists the latest deliveries
    qtbot.waitUntil(lambda: widget.results_model.rowCount() == 3 and not runner.busy, timeout=10000)
    yield widget
    if widget.print_service is not None:
        widget.print_service.wait()
    runner.wait_idle()


def _cells(view, row: int) -> list[str]:
    model = view.results_model
    return [model.data(model.index(row, c), Qt.ItemDataRole.DisplayRole) for c in range(model.columnCount())]


def _search(qtbot, view, *, number: str = "", patient: str = "", on: date | None = None) -> None:
    view.number_edit.setText(number)
    view.patient_edit.setText(patient)
    view.date_check.setChecked(on is not None)
    if on is not None:
        view.date_edit.setDate(QDate(on.year, on.month, on.day))
    view.status_label.setText("")
    view.search_button.click()
    qtbot.waitUntil(lambda: not view.runner.busy and view.status_label.text() not in ("", "Recherche…"),
                    timeout=10000)


def _with_box(delivery, *, serial: str, lot: str):
    from app.domain.delivery import ScannedBox

    line = delivery.lines[0]
    item = dataclasses.replace(line.items[0], boxes=(ScannedBox(line.items[0].cip13, lot=lot, serial=serial),))
    line = dataclasses.replace(line, items=type(line.items)((item, *line.items[1:])))
    return dataclasses.replace(delivery, lines=type(delivery.lines)((line, *delivery.lines[1:])))


def test_search_by_a_box_serial_or_lot_for_a_recall(qtbot, view, archive):
    """Issue 14: who received the box of this serial number, or of this lot (a recall)."""
    with transaction(archive) as session:
        for delivery in (_with_box(_delivery("B1", datetime(2026, 11, 27, 9, 0)), serial="SNRAPPEL1", lot="LOT42"),
                         _with_box(_delivery("B2", datetime(2026, 11, 27, 10, 0)), serial="SNAUTRE", lot="LOT42B")):
            archive_delivery(session, append_delivery(session, delivery))
    view.box_edit.setText("snrappel1")
    _search(qtbot, view)
    assert [r.delivery_id for r in view.results_model.rows] == ["B1"]
    view.box_edit.setText("LOT42")  # the whole lot number, not a part of another one
    _search(qtbot, view)
    assert [r.delivery_id for r in view.results_model.rows] == ["B1"]
    view.box_edit.setText("LOT4")
    _search(qtbot, view)
    assert view.results_model.rowCount() == 0


def test_search_by_patient_number_or_date(qtbot, view):
    assert [r.delivery_id for r in view.results_model.rows] == ["D3", "D2", "D1"]  # most recent first
    _search(qtbot, view, patient="  dupre LOEWENTHAL ")
    assert [r.delivery_id for r in view.results_model.rows] == ["D2", "D1"]
    assert view.status_label.text() == "2 délivrance(s)"
    assert _cells(view, 0) == ["26/11/2026 09:30", SPECIMEN_NUMBER.grouped(), "DUPRÉ-LŒWENTHAL Zoé", "—",
                               "Dr Françoise MARTIN", "4/5", "5, 6, 7, 8"]
    _search(qtbot, view, number=OTHER_NUMBER.grouped().lower())
    assert [r.delivery_id for r in view.results_model.rows] == ["D3"]
    assert _cells(view, 0)[2:] == ["MARTIN Claire", "—", "Dr Françoise MARTIN", "2/2", "9, 10"]
    _search(qtbot, view, on=date(2026, 11, 20))
    assert [r.delivery_id for r in view.results_model.rows] == ["D1"]
    _search(qtbot, view, patient="zoé", on=date(2026, 11, 25))
    assert view.results_model.rowCount() == 0 and view.status_label.text() == "Aucune délivrance trouvée."
    _search(qtbot, view, number="12-34")
    assert view.status_label.text().startswith("Numéro d'ordonnance invalide")
    assert view.results_model.rowCount() == 0 and not view.mentions_button.isEnabled()


def test_selecting_a_delivery_shows_it_and_reprints_both_documents(qtbot, view, tmp_path):
    _search(qtbot, view, on=date(2026, 11, 20))
    qtbot.waitUntil(lambda: view.record is not None and not view.runner.busy, timeout=10000)
    assert view.record.delivery.delivery_id == "D1" and view.mentions_button.isEnabled()
    assert "9 impasse des Œillets, 13001 Marseille" in view.detail_label.text()
    assert [line.line_id for line in view.lines_model.rows] == ["L1", "L2", "L3", "L4", "L5"]
    model = view.lines_model
    declined = [model.data(model.index(2, c), Qt.ItemDataRole.DisplayRole) for c in range(4)]
    assert declined[1:3] == ["—", "—"] and "Non délivré" in declined[3]
    assert "Ordonnancier n° 1" in model.data(model.index(0, 3), Qt.ItemDataRole.DisplayRole)

    for button, kind, expected in ((view.mentions_button, "mentions", "Pharmacien : Hélène Lefèvre"),
                                   (view.copy_button, "copie-patient", SPECIMEN_NUMBER.grouped())):
        printed = tmp_path / f"printed-{kind}.pdf"
        view.print_target = PrintTarget(output_file=printed)
        view.print_label.setText("")
        button.click()
        qtbot.waitUntil(lambda: view.print_label.text().startswith("Réimprimé"), timeout=20000)
        pdf = view.last_pdf
        # named as at the first print, <number>-<date>-<kind>.pdf, never over an existing file
        assert pdf.parent == tmp_path / "pdf" and re.fullmatch(rf"{SPECIMEN_NUMBER}-2026-11-20(-\d+)?-{kind}\.pdf",
                                                               pdf.name)
        text = pdf_text(pdf.read_bytes())
        assert expected in text and "Ordonnancier n° 1" in text and "Substitution" in text
        assert page_count(printed.read_bytes()) == page_count(pdf.read_bytes()) >= 1


def test_a_failed_print_is_listed_then_reprinted(qtbot, view, tmp_path):
    view.results_view.selectRow(1)
    qtbot.waitUntil(lambda: view.record is not None and view.record.delivery.delivery_id == "D2", timeout=10000)
    view.print_target = PrintTarget(printer_name="Imprimante du fond")
    view.mentions_button.click()
    qtbot.waitUntil(lambda: "introuvable" in view.print_label.text(), timeout=20000)
    qtbot.waitUntil(lambda: view.failed_model.rowCount() == 1, timeout=10000)
    failed_pdf, reason = view.failed_model.rows[0][:2]
    assert failed_pdf == view.last_pdf and "Imprimante du fond" in reason
    assert view.reprint_failed_button.isEnabled()

    out = tmp_path / "printed-again.pdf"
    view.print_target = PrintTarget(output_file=out)
    view.reprint_failed_button.click()
    qtbot.waitUntil(lambda: view.print_label.text().startswith("Réimprimé"), timeout=20000)
    qtbot.waitUntil(lambda: view.failed_model.rowCount() == 0, timeout=10000)
    assert page_count(out.read_bytes()) >= 1 and not view.reprint_failed_button.isEnabled()


def test_an_unwritable_pdf_folder_is_said_in_french(qtbot, view, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    view.settings.printer.pdf_dir = str(blocker)
    view.results_view.selectRow(0)
    qtbot.waitUntil(lambda: view.record is not None, timeout=10000)
    view.copy_button.click()
    qtbot.waitUntil(lambda: view.print_label.text().startswith("Réimpression impossible"), timeout=10000)


def test_the_main_window_has_the_history_tab_on_f4(qtbot, catalogue_url):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    from app.ui.main import application, open_window

    application("fr")
    settings = Settings()
    settings.database.url = catalogue_url
    runner = TaskRunner()
    window, _ = open_window(settings, runner)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.history is not None, timeout=20000)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Historique (F4)" in titles
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts go to the active window
    QTest.keySequence(window, QKeySequence("F4"))
    assert window.tabs.currentWidget() is window.history
    qtbot.waitUntil(lambda: not runner.busy and window.history.status_label.text() != "Recherche…", timeout=10000)
    assert window.history.status_label.text() == "Aucune délivrance trouvée."
    runner.wait_idle()
    window.close()
