"""The mentions laid over the doctor's paper ordonnance (app/printing/prescription_form.py, as the demo
prints it): in the front's free zone nothing they print touches anything the doctor's page holds; by
default they go to the back, a sheet of the ordonnance's own size.

Boxes come from pypdfium2: every page object (text runs, the QR code's paths) of the front, every
text run of the mentions, in points from the bottom-left corner. The free zone is measured on the
front itself: the tallest horizontal band no object of the page crosses.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.units import mm

from app.config import PrinterSettings
from app.domain.errors import ConfigurationError
from app.printing import render_delivery_notes
from app.printing.page import print_area
from app.printing.prescription_form import write_prescription_form
from tests.printing.deliveries import DEMOS, delivered, demo_prescription
from tests.printing.pdfcheck import pdf_text

Box = tuple[float, float, float, float]  # left, bottom, right, top
PAD_MM = 3.0  # kept clear around the measured zone


def object_boxes(data: bytes) -> tuple[tuple[float, float], list[list[Box]]]:
    """The page size and, per page, the box of every page object."""
    document = pdfium.PdfDocument(data)
    try:
        size = document[0].get_size()
        pages = [[tuple(obj.get_bounds()) for obj in page.get_objects()] for page in document]
    finally:
        document.close()
    return size, pages


def text_boxes(data: bytes) -> list[list[Box]]:
    """Per page, the box of every text run (what the mentions print)."""
    document = pdfium.PdfDocument(data)
    try:
        out = []
        for page in document:
            text = page.get_textpage()
            out.append([text.get_rect(i) for i in range(text.count_rects())])
        return out
    finally:
        document.close()


def overlapping(a: list[Box], b: list[Box]) -> list[tuple[Box, Box]]:
    return [(x, y) for x in a for y in b if x[0] < y[2] and y[0] < x[2] and x[1] < y[3] and y[1] < x[3]]


def free_band(boxes: list[Box], page_height: float) -> tuple[float, float]:
    """(bottom, top) in points of the tallest horizontal band that no box crosses."""
    spans = sorted((b[1], b[3]) for b in boxes)
    best, covered_to = (0.0, 0.0), 0.0
    for bottom, top in spans:
        if bottom - covered_to > best[1] - best[0]:
            best = (covered_to, bottom)
        covered_to = max(covered_to, top)
    if page_height - covered_to > best[1] - best[0]:
        best = (covered_to, page_height)
    return best


def front_of(name: str, tmp_path: Path) -> bytes:
    path = write_prescription_form(demo_prescription(name), tmp_path / "ordonnance.pdf", paper="A4")
    return path.read_bytes()


def free_zone_printer(front: bytes) -> PrinterSettings:
    (width, height), (boxes,) = object_boxes(front)
    bottom, top = free_band(boxes, height)
    left = min(b[0] for b in boxes)
    right = max(b[2] for b in boxes)
    return PrinterSettings(paper="A4", mentions_place="area", area_x_mm=left / mm,
                           area_y_mm=(height - top) / mm + PAD_MM, area_w_mm=(right - left) / mm,
                           area_h_mm=(top - bottom) / mm - 2 * PAD_MM)


@pytest.mark.parametrize("name", DEMOS)
def test_in_the_fronts_free_zone_the_mentions_touch_nothing_the_doctor_printed(name, tmp_path):
    front = front_of(name, tmp_path)
    _, (doctor,) = object_boxes(front)
    printer = free_zone_printer(front)
    assert printer.area_h_mm > 40, "the demo ordonnance leaves a free zone"
    delivery = delivered(demo_prescription(name))
    notes = tmp_path / "mentions.pdf"
    render_delivery_notes(delivery, printer, notes)
    data = notes.read_bytes()
    assert delivery.lines[0].items[0].speciality in pdf_text(data)
    area = print_area(printer)
    for page in text_boxes(data):
        assert page, "a page of mentions without text"
        assert overlapping(page, doctor) == []
        for left, bottom, right, top in page:  # and within the zone
            assert area.x - 1 <= left and right <= area.right + 1 and area.y - 1 <= bottom and top <= area.top + 1


def test_the_overlap_check_sees_the_old_default_covering_the_doctors_header(tmp_path):
    front = front_of(DEMOS[2], tmp_path)
    _, (doctor,) = object_boxes(front)
    notes = tmp_path / "mentions.pdf"
    render_delivery_notes(delivered(demo_prescription(DEMOS[2])), PrinterSettings(paper="A4", mentions_place="area"),
                          notes)  # 10 mm from the top-left corner, where the issue saw them
    assert overlapping(text_boxes(notes.read_bytes())[0], doctor)


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_by_default_the_mentions_go_to_the_back_a_sheet_of_the_ordonnances_size(paper, tmp_path):
    prescription = demo_prescription(DEMOS[2])
    front = write_prescription_form(prescription, tmp_path / "ordonnance.pdf", paper=paper).read_bytes()
    notes = tmp_path / "mentions.pdf"
    render_delivery_notes(delivered(prescription), PrinterSettings(paper=paper), notes)
    data = notes.read_bytes()
    (front_w, front_h), _ = object_boxes(front)
    (back_w, back_h), pages = object_boxes(data)
    assert (round(back_w, 1), round(back_h, 1)) == (round(front_w, 1), round(front_h, 1))
    assert "verso de l'ordonnance" in pdf_text(data)
    margin = PrinterSettings().back_margin_mm * mm
    for page in text_boxes(data):
        for left, bottom, right, top in page:
            assert margin - 1 <= left and right <= back_w - margin + 1
            assert margin - 1 <= bottom and top <= back_h - margin + 1
    assert pages and all(pages)


@pytest.mark.parametrize("printer, words", [
    (PrinterSettings(mentions_place="dos"), "Emplacement des mentions inconnu"),
    (PrinterSettings(back_margin_mm=-1), "Marge du verso"),
    (PrinterSettings(back_margin_mm=70), "trop petite"),
    (PrinterSettings(offset_x_mm=-12), "hors de la feuille A5"),
])
def test_a_wrong_place_is_refused_in_french(printer, words):
    with pytest.raises(ConfigurationError, match=words):
        print_area(printer)


def test_auto_uses_an_area_the_pharmacy_configured_and_never_the_factory_one():
    assert print_area(PrinterSettings()).side == "back"
    assert print_area(PrinterSettings(paper="A4", area_y_mm=180)).side == "area"
    assert print_area(PrinterSettings(paper="A4", area_y_mm=180, mentions_place="back")).side == "back"
    assert print_area(PrinterSettings(mentions_place="area")).side == "area"
