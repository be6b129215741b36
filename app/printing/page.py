"""The paper and printing area of the doctor's ordonnance, from the printer settings.

Why a module: the mentions layout and the calibration page must agree to the point on where the
area is. Settings give the area from the top-left corner of the sheet, in millimetres, plus the
printer's offset correction; reportlab counts from the bottom-left, in points.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm

from app.config import PrinterSettings
from app.domain.errors import ConfigurationError

PAPERS = {"A4": A4, "A5": A5}
MIN_AREA_MM = 20.0


@dataclass(frozen=True)
class PrintArea:
    """The sheet and the rectangle where mentions may print, in points, origin bottom-left."""

    paper: str
    page_width: float
    page_height: float
    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


def paper_size(name: str) -> tuple[float, float]:
    try:
        return PAPERS[name.strip().upper()]
    except KeyError:
        raise ConfigurationError(f"Format de papier inconnu : « {name} » (A4 ou A5 attendu)") from None


def print_area(printer: PrinterSettings) -> PrintArea:
    """The printing area with the offset correction applied; refused if it leaves the sheet."""
    page_w, page_h = paper_size(printer.paper)
    if printer.area_w_mm < MIN_AREA_MM or printer.area_h_mm < MIN_AREA_MM:
        raise ConfigurationError(
            f"Zone d'impression trop petite : {printer.area_w_mm:g} × {printer.area_h_mm:g} mm "
            f"(au moins {MIN_AREA_MM:g} × {MIN_AREA_MM:g} mm)")
    left = (printer.area_x_mm + printer.offset_x_mm) * mm
    top = (printer.area_y_mm + printer.offset_y_mm) * mm
    width, height = printer.area_w_mm * mm, printer.area_h_mm * mm
    if left < 0 or top < 0 or left + width > page_w + 0.01 or top + height > page_h + 0.01:
        raise ConfigurationError(
            f"Zone d'impression hors de la feuille {printer.paper.upper()} : vérifiez la position, "
            "la taille et le décalage dans les réglages de l'imprimante")
    return PrintArea(paper=printer.paper.strip().upper(), page_width=page_w, page_height=page_h,
                     x=left, y=page_h - top - height, width=width, height=height)
