"""Nothing leaves the printing area: pages rendered to images (pypdfium2) and text positions (pypdf)."""

from __future__ import annotations

import dataclasses
from io import BytesIO

import pytest
from reportlab.lib.units import mm

from app.config import PrinterSettings
from app.domain.delivery import DeliveredItem
from app.domain.errors import ConfigurationError
from app.printing import render_calibration_page, render_delivery_notes
from app.printing.mentions import SIZES, fitting_story
from app.printing.page import print_area
from app.printing.specimen import specimen_delivery
from tests.printing.pdfcheck import (
    ink_inside,
    ink_outside,
    page_count,
    page_images,
    pdf_text,
    stroke_coverage,
    text_positions,
)

LONG_NAME = ("SUPERCALIFRAGILISTICEXPIALIDOCIOUSMENTHYLCHLORHYDRATEDIHYDRATÉ 500 mg, comprimé pelliculé "
             "sécable, plaquette(s) thermoformée(s) polyamide aluminium PVC de 28 comprimé(s) ")


def _long_delivery(lines: int):
    base = specimen_delivery(lines)
    out = []
    for line in base.lines:
        if line.items:
            item = line.items[0]
            line = dataclasses.replace(line, items=(DeliveredItem(item.cip13, LONG_NAME + line.line_id,
                                                                  item.quantity),))
        out.append(line)
    return dataclasses.replace(base, lines=tuple(out))


def _notes(delivery, printer) -> bytes:
    buffer = BytesIO()
    render_delivery_notes(delivery, printer, buffer)
    return buffer.getvalue()


PRINTERS = [
    PrinterSettings(),  # A5, the default: the back of the ordonnance
    PrinterSettings(paper="A4", area_x_mm=105, area_y_mm=200, area_w_mm=95, area_h_mm=85,
                    offset_x_mm=-2.5, offset_y_mm=3),  # lower right quarter of an A4 ordonnance
    PrinterSettings(paper="A5", area_x_mm=90, area_y_mm=20, area_w_mm=50, area_h_mm=60),  # narrow margin
]


@pytest.mark.parametrize("printer", PRINTERS, ids=["a5-default", "a4-corner-offset", "a5-narrow"])
@pytest.mark.parametrize("lines", [5, 25])
def test_no_ink_leaves_the_printing_area(printer, lines):
    data = _notes(_long_delivery(lines), printer)
    area = print_area(printer)
    rect = (area.x, area.y, area.width, area.height)
    images = page_images(data)
    for number, image in enumerate(images, start=1):
        assert ink_outside(image, rect, area.page_height) == 0, f"page {number}"
        assert ink_inside(image, rect, area.page_height) > 0, f"page {number} is blank"
    for runs in text_positions(data):
        for x, y, text in runs:
            assert area.x - 0.5 <= x <= area.right and area.y - 0.5 <= y <= area.top, text
    text = pdf_text(data)
    for index in range(1, lines + 1):  # nothing lost when continued on another sheet
        assert f"{index}. " in text
    assert "Pharmacien : Hélène Lefèvre" in text


def test_mentions_shrink_to_stay_on_one_sheet_before_continuing():
    printer = PrinterSettings(mentions_place="area")
    area = print_area(printer)
    size_short, _ = fitting_story(specimen_delivery(2), area)
    size_long, _ = fitting_story(specimen_delivery(5), area)
    assert size_short == SIZES[0] and size_long < size_short
    assert page_count(_notes(specimen_delivery(5), printer)) == 1
    assert page_count(_notes(_long_delivery(25), printer)) >= 2


def test_offset_moves_the_text_by_the_offset():
    plain = text_positions(_notes(specimen_delivery(2), PrinterSettings()))[0][0]
    moved = text_positions(_notes(specimen_delivery(2), PrinterSettings(offset_x_mm=4, offset_y_mm=-2)))[0][0]
    assert moved[0] - plain[0] == pytest.approx(4 * mm, abs=0.01)
    assert moved[1] - plain[1] == pytest.approx(2 * mm, abs=0.01)  # 2 mm higher on the sheet


@pytest.mark.parametrize("printer, message", [
    (PrinterSettings(paper="Letter"), "Format de papier inconnu"),
    (PrinterSettings(area_x_mm=100), "hors de la feuille A5"),
    (PrinterSettings(offset_y_mm=-15), "hors de la feuille"),
    (PrinterSettings(area_w_mm=10), "trop petite"),
])
def test_area_off_the_sheet_is_refused_in_french(printer, message):
    with pytest.raises(ConfigurationError, match=message):
        _notes(specimen_delivery(1), printer)


def test_calibration_page_draws_the_cross_where_the_area_lands(tmp_path):
    printer = PrinterSettings(paper="A5", offset_x_mm=3, offset_y_mm=-2)
    out = tmp_path / "etalonnage.pdf"
    render_calibration_page(printer, out)
    data = out.read_bytes()
    assert page_count(data) == 1
    text = pdf_text(data)
    assert "Page d'étalonnage — papier A5" in text
    assert "la croix doit tomber à 10 mm du bord gauche et 10 mm du bord haut" in text
    assert "x = +3 mm, y = -2 mm" in text
    image = page_images(data)[0]
    area = print_area(printer)
    # the two strokes of the cross, just outside the area's corner: a continuous line through a 1 pt
    # band, and nothing 2.5 pt on either side of it
    horizontal, vertical = (area.x - 5 * mm, area.top - 0.5, 4 * mm, 1), (area.x - 0.5, area.top + 1 * mm, 1, 4 * mm)
    assert stroke_coverage(image, horizontal, area.page_height) == 1.0
    assert stroke_coverage(image, vertical, area.page_height) == 1.0
    for side in (-2.5, 2.5):
        x, y, w, h = horizontal
        assert ink_inside(image, (x, y + side, w, h), area.page_height) == 0
        x, y, w, h = vertical
        assert ink_inside(image, (x + side, y, w, h), area.page_height) == 0
    assert not list(tmp_path.glob(".tmp-*"))  # written atomically


def test_patient_copy_stays_within_the_sheet_margins():
    from reportlab.lib.pagesizes import A4

    from app.printing import render_patient_copy

    buffer = BytesIO()
    render_patient_copy(_long_delivery(30), None, buffer)
    images = page_images(buffer.getvalue())
    assert len(images) > 1
    safe = (7 * mm, 7 * mm, A4[0] - 14 * mm, A4[1] - 14 * mm)  # what any printer can reach
    for image in images:
        assert ink_outside(image, safe, A4[1]) == 0
