"""Printing a PDF through QPrinter (PdfFormat output, offscreen): pages, sizes, positions, failures."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDialog

from app.config import PrinterSettings, load_settings
from app.printing import render_delivery_notes, render_patient_copy
from app.printing.page import print_area
from app.printing.specimen import specimen_delivery
from app.ui.printing import (
    PrintError,
    PrintService,
    PrintTarget,
    choose_target,
    failed_prints,
    print_pdf,
)
from tests.printing.pdfcheck import ink_match, ink_outside, page_count, page_images

# One test at a time on the CUPS queue, across pytest-xdist workers (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cups_to_itself")

SAME_PAGE = 0.95  # ink_match of a page and its print: 0.97+; 1 mm off about 0.82, another page below 0.5


def _mentions(tmp_path: Path, printer: PrinterSettings) -> Path:
    path = tmp_path / "mentions.pdf"
    render_delivery_notes(specimen_delivery(5), printer, path)
    return path


def _prints_like(printed: Path, source: Path) -> list[float]:
    """Per page, how closely the printed page shows the source page's marks (see ink_match)."""
    printed_pages, source_pages = page_images(printed.read_bytes()), page_images(source.read_bytes())
    assert len(printed_pages) == len(source_pages)
    return [ink_match(p, s) for p, s in zip(printed_pages, source_pages, strict=True)]


def test_printed_mentions_keep_their_sheet_and_their_area(qapp, tmp_path):
    printer = PrinterSettings(paper="A5", offset_x_mm=2, offset_y_mm=-1)
    out = tmp_path / "printed.pdf"
    source = _mentions(tmp_path, printer)
    pages = print_pdf(source, PrintTarget(output_file=out), tmp_path / "pdf")
    assert pages == 1
    data = out.read_bytes()
    import pypdf

    box = pypdf.PdfReader(BytesIO(data)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((419.5, 595.3), abs=1.5)  # A5
    area = print_area(printer)
    image = page_images(data)[0]
    rect = (area.x, area.y, area.width, area.height)
    assert ink_outside(image, rect, area.page_height, margin_px=4) == 0
    assert min(_prints_like(out, source)) >= SAME_PAGE  # the mentions themselves, where they were
    assert (tmp_path / "pdf" / "mentions.pdf").read_bytes() == source.read_bytes()  # kept for a reprint


def test_every_page_of_a_long_copy_is_printed(qapp, tmp_path):
    source = tmp_path / "pdf" / "copie.pdf"
    render_patient_copy(specimen_delivery(40), None, source)
    out = tmp_path / "printed.pdf"
    assert print_pdf(source, PrintTarget(output_file=out), tmp_path / "pdf") == page_count(source.read_bytes()) > 1
    assert min(_prints_like(out, source)) >= SAME_PAGE  # each page, in order


def test_service_prints_off_the_gui_thread_and_a_failure_loses_nothing(qtbot, tmp_path, monkeypatch):
    settings = load_settings()
    settings.printer.pdf_dir = str(tmp_path / "pdf")
    service = PrintService(settings)
    source = _mentions(tmp_path, PrinterSettings())
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where a folder should be")
    with qtbot.waitSignal(service.failed, timeout=20000) as failure:
        assert service.print_file(source, PrintTarget(output_file=blocked / "out.pdf"))
    kept, message = failure.args
    assert kept == tmp_path / "pdf" / "mentions.pdf" and kept.read_bytes() == source.read_bytes()
    assert "conservé" in message
    assert [(f.pdf, f.reason, f.kind) for f in service.failed_prints()] == [(kept, message, "mentions")]

    out = tmp_path / "reprint.pdf"
    with qtbot.waitSignal(service.printed, timeout=20000) as success:
        service.print_file(kept, PrintTarget(output_file=out))
    assert success.args == [kept, 1] and min(_prints_like(out, source)) >= SAME_PAGE
    assert failed_prints(tmp_path / "pdf") == []


def test_unknown_printer_and_unreadable_pdf_are_french_errors(qapp, tmp_path):
    source = _mentions(tmp_path, PrinterSettings())
    with pytest.raises(PrintError, match="Imprimante « Bureau-42 » introuvable"):
        print_pdf(source, PrintTarget("Bureau-42"), tmp_path / "pdf")
    assert failed_prints(tmp_path / "pdf")[0][0].name == "mentions.pdf"
    broken = tmp_path / "pdf" / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(PrintError, match="PDF illisible"):
        print_pdf(broken, PrintTarget(output_file=tmp_path / "x.pdf"), tmp_path / "pdf")


def test_printer_is_chosen_once_then_silent(qapp, tmp_path):
    settings = load_settings()
    settings.printer.name = "Comptoir-1"
    assert choose_target(settings) == PrintTarget("Comptoir-1")  # remembered: no dialog

    seen: list[QPrintDialog] = []

    def cancel(dialog: QPrintDialog) -> int:
        seen.append(dialog)
        return QDialog.DialogCode.Rejected

    assert choose_target(settings, dialog=True, run_dialog=cancel) is None and len(seen) == 1

    def print_to_file(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFileName(str(tmp_path / "to-file.pdf"))
        return QDialog.DialogCode.Accepted

    fresh = load_settings()
    target = choose_target(fresh, run_dialog=print_to_file)  # no printer yet: the dialog shows
    assert target == PrintTarget(output_file=tmp_path / "to-file.pdf")


def test_the_chosen_printer_is_remembered_in_the_settings_file(qapp):
    from app.ui.printing import remember_printer

    settings = load_settings()
    remember_printer(settings, "Comptoir-2")
    assert load_settings().printer.name == "Comptoir-2"
    assert choose_target(load_settings()) == PrintTarget("Comptoir-2")


def test_each_document_kind_remembers_its_own_printer(qapp):
    from app.printing.spool import MENTIONS, PATIENT_COPY
    from app.ui.printing import remember_printer

    remember_printer(load_settings(), "Laser A4", PATIENT_COPY)
    settings = load_settings()
    assert (settings.printer.name, settings.printer.copy_name) == ("", "Laser A4")
    assert choose_target(settings, kind=PATIENT_COPY) == PrintTarget("Laser A4")  # no dialog
    shown: list[QPrintDialog] = []

    def cancel(dialog: QPrintDialog) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Rejected

    assert choose_target(settings, kind=MENTIONS, run_dialog=cancel) is None  # none chosen yet: asked
    assert len(shown) == 1


def test_the_service_prints_each_kind_through_cups_and_reprints_what_failed(qtbot, cups_output, tmp_path):
    from app.printing.spool import PATIENT_COPY
    from tests.printing.pdfcheck import pdf_text

    settings = load_settings()
    settings.printer.pdf_dir = str(tmp_path / "pdf")
    settings.printer.system = "cups"
    settings.printer.name = cups_output.queue
    settings.printer.copy_name = "Comptoir-Laser-absente"
    service = PrintService(settings)
    copy = tmp_path / "copie.pdf"
    render_patient_copy(specimen_delivery(2), None, copy)
    with qtbot.waitSignal(service.failed, timeout=30000) as failure:
        assert service.print_file(copy, kind=PATIENT_COPY)  # the copy's printer, not the mentions'
    assert "Imprimante « Comptoir-Laser-absente » introuvable" in failure.args[1]
    [failed] = service.failed_prints()
    assert (failed.kind, failed.printer) == (PATIENT_COPY, "Comptoir-Laser-absente")

    settings.printer.copy_name = cups_output.queue
    with cups_output.capture() as capture, qtbot.waitSignal(service.printed, timeout=30000) as success:
        assert service.reprint(failed)
    assert success.args == [failed.pdf, 1]
    printed = capture.pdf()
    assert "Copie de l'ordonnance" in pdf_text(printed) and service.failed_prints() == []
    import pypdf

    box = pypdf.PdfReader(BytesIO(printed)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((595.3, 841.9), abs=2)  # A4
