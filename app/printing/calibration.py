"""The offset calibration page: where the printing area lands on this printer, how to correct it, and
how to feed the ordonnance so that the mentions land on its back.

Printers shift what they print by a few millimetres, differently for each tray. The page draws the
area (offset applied) with a cross at its top-left corner, and fills it with specimen mentions; the
pharmacist measures with a ruler from the sheet's edges where the cross landed and corrects the
offset by (expected − measured). By default the mentions print on the back of the ordonnance (its
free side): the page then explains how to find, once per printer, which way to put the ordonnance in
the tray so that the printing lands on its back, head first.
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepInFrame

from app.config import PrinterSettings
from app.printing.mentions import area_document, fitting_story
from app.printing.page import BACK, PrintArea, print_area
from app.printing.specimen import specimen_delivery
from app.printing.text import FONT, FONT_BOLD, Output, printable, write_pdf

CROSS = 6 * mm
# How to feed the ordonnance, for each place of the mentions (what the pharmacist reads on the page).
FEEDING_BACK = [
    (FONT_BOLD, "Les mentions s'impriment au dos de l'ordonnance (sa face libre, le recto du médecin reste intact)."),
    (FONT, "Sens du papier, une fois pour cette imprimante : tracez une flèche vers le haut sur le recto d'une feuille,"),
    (FONT, "mettez-la dans le bac comme une ordonnance et imprimez cette page. Elle doit sortir au verso, la croix"),
    (FONT, "du côté de la pointe de la flèche. Sinon retournez la feuille ou tournez-la d'un demi-tour, recommencez,"),
    (FONT, "et notez le bon sens sur le bac : ordonnance face imprimée vers … , haut de l'ordonnance vers … ."),
]
FEEDING_FRONT = [
    (FONT_BOLD, "Les mentions s'impriment au recto, dans la zone libre réglée (réglages de l'imprimante)."),
    (FONT, "Vérifiez sur une ordonnance de votre prescripteur habituel que la zone ne couvre rien de ce qu'il écrit."),
]


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


LEADING = 9  # points between two lines of instructions


def _instructions(printer: PrinterSettings, area: PrintArea) -> list[tuple[str, str]]:
    expected_x = round(area.left_mm - printer.offset_x_mm, 1)
    expected_y = round(area.top_mm - printer.offset_y_mm, 1)
    lines = [
        (FONT_BOLD, f"Page d'étalonnage — papier {area.paper}, imprimante « {printer.name or 'par défaut'} »"),
        (FONT, f"Zone : {area.width / mm:.0f} × {area.height / mm:.0f} mm ; la croix doit tomber à "
               f"{expected_x:g} mm du bord gauche et {expected_y:g} mm du bord haut."),
        (FONT, f"Décalage actuel : x = {printer.offset_x_mm:+g} mm, y = {printer.offset_y_mm:+g} mm. "
               "Mesurez la croix à la règle depuis les bords de la feuille,"),
        (FONT, "puis nouveau décalage = décalage actuel + (position attendue − position mesurée)."),
    ]
    return lines + (FEEDING_BACK if area.side == BACK else FEEDING_FRONT)


def _instructions_place(area: PrintArea, count: int) -> tuple[float, float]:
    """Where the instructions start (baseline of the first line) and how much of the area's bottom they
    take: below the area when there is room, else inside its lower part (the back's area is the whole
    sheet), the specimen mentions then keeping to the rest."""
    height = count * LEADING
    below = area.y - 6 * mm
    if below - height > 8 * mm:
        return below, 0.0
    return area.y + height + 2 * mm, height + 6 * mm


def _decorate(printer: PrinterSettings, area: PrintArea):
    lines = _instructions(printer, area)
    y0, _ = _instructions_place(area, len(lines))

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
        y = y0
        for font, text in lines:
            canvas.setFont(font, 7)
            canvas.drawString(12 * mm, y, printable(text))
            y -= LEADING
        canvas.restoreState()

    return on_page


def render_calibration_page(printer: PrinterSettings, out: Output) -> None:
    """One sheet: rulers, the printing area and its corner cross, specimen mentions inside."""
    area = print_area(printer)

    def build(buffer: BinaryIO) -> None:
        doc = area_document(buffer, area, "Étalonnage de l'impression")
        for template in doc.pageTemplates:
            template.onPage = _decorate(printer, area)
        _, reserved = _instructions_place(area, len(_instructions(printer, area)))
        _, story = fitting_story(specimen_delivery(lines=2), area)
        # A specimen only: what does not fit is cut rather than continued on a second sheet.
        doc.build([KeepInFrame(area.width, area.height - reserved, story, mode="truncate")])

    write_pdf(build, out)
