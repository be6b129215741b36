"""The offset calibration page: where the printing area lands on this printer, and how to correct it.

Printers shift what they print by a few millimetres, differently for each tray. The page draws the
area (offset applied) with a cross at its top-left corner, and fills it with specimen mentions; the
pharmacist measures with a ruler from the sheet's edges where the cross landed and corrects the
offset by (expected − measured).
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepInFrame

from app.config import PrinterSettings
from app.printing.mentions import area_document, fitting_story
from app.printing.page import PrintArea, print_area
from app.printing.specimen import specimen_delivery
from app.printing.text import FONT, FONT_BOLD, Output, printable, write_pdf

CROSS = 6 * mm


def _rulers(canvas: Canvas, area: PrintArea) -> None:
    """Millimetre ticks along the top and left edges (labels every centimetre)."""
    canvas.setLineWidth(0.3)
    canvas.setFont(FONT, 5)
    for i in range(0, int(area.page_width / mm) + 1, 5):
        x = i * mm
        tick = 4 * mm if i % 10 == 0 else 2 * mm
        canvas.line(x, area.page_height, x, area.page_height - tick)
        if i % 10 == 0 and i > 0:
            canvas.drawCentredString(x, area.page_height - 6.5 * mm, str(i))
    for i in range(0, int(area.page_height / mm) + 1, 5):
        y = area.page_height - i * mm
        tick = 4 * mm if i % 10 == 0 else 2 * mm
        canvas.line(0, y, tick, y)
        if i % 10 == 0 and i > 0:
            canvas.drawString(5 * mm, y - 1.7, str(i))


def _decorate(printer: PrinterSettings, area: PrintArea):
    def on_page(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        _rulers(canvas, area)
        canvas.setDash(2, 2)
        canvas.setLineWidth(0.4)
        canvas.rect(area.x, area.y, area.width, area.height)
        canvas.setDash()
        canvas.setLineWidth(0.6)
        canvas.line(area.x - CROSS, area.top, area.x + CROSS, area.top)
        canvas.line(area.x, area.top - CROSS, area.x, area.top + CROSS)
        expected_x, expected_y = printer.area_x_mm, printer.area_y_mm
        lines = [
            (FONT_BOLD, f"Page d'étalonnage — papier {area.paper}, imprimante « {printer.name or 'par défaut'} »"),
            (FONT, f"Zone : {printer.area_w_mm:g} × {printer.area_h_mm:g} mm ; la croix doit tomber à "
                   f"{expected_x:g} mm du bord gauche et {expected_y:g} mm du bord haut."),
            (FONT, f"Décalage actuel : x = {printer.offset_x_mm:+g} mm, y = {printer.offset_y_mm:+g} mm. "
                   "Mesurez la croix à la règle depuis les bords de la feuille,"),
            (FONT, "puis nouveau décalage = décalage actuel + (position attendue − position mesurée)."),
        ]
        below = area.y - 6 * mm
        y = below if below > 30 * mm else area.page_height - 14 * mm
        x = 12 * mm
        for font, text in lines:
            canvas.setFont(font, 7)
            canvas.drawString(x, y, printable(text))
            y -= 9
        canvas.restoreState()

    return on_page


def render_calibration_page(printer: PrinterSettings, out: Output) -> None:
    """One sheet: rulers, the printing area and its corner cross, specimen mentions inside."""
    area = print_area(printer)

    def build(buffer: BinaryIO) -> None:
        doc = area_document(buffer, area, "Étalonnage de l'impression")
        for template in doc.pageTemplates:
            template.onPage = _decorate(printer, area)
        _, story = fitting_story(specimen_delivery(lines=2), area)
        # A specimen only: what does not fit is cut rather than continued on a second sheet.
        doc.build([KeepInFrame(area.width, area.height, story, mode="truncate")])

    write_pdf(build, out)
