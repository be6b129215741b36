"""The paper and printing area of the doctor's ordonnance, from the printer settings.

Why a module: the mentions layout and the calibration page must agree to the point on where the
area is. Settings give the area from the top-left corner of the sheet, in millimetres, plus the
printer's offset correction; reportlab counts from the bottom-left, in points.

Two places (``printer.mentions_place``): ``back`` prints on the back of the ordonnance, its free side,
a sheet of the ordonnance's paper within ``back_margin_mm`` of each edge, so that the mentions never
cover what the doctor wrote; ``area`` prints in the free rectangle the settings describe on its front
(``area_x_mm`` … measured on the pharmacy's ordonnances). ``auto``, the default, is the back unless
the settings give a front area of their own: an area the pharmacy configured keeps being used, and
the factory rectangle (10 mm from the top-left corner, over the doctor's header on most ordonnances)
never is.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm

from app.config import PrinterSettings
from app.domain.errors import ConfigurationError

PAPERS = {"A4": A4, "A5": A5}
MIN_AREA_MM = 20.0
BACK = "back"
FRONT_AREA = "area"
AUTO = "auto"
PLACES = (BACK, FRONT_AREA, AUTO)
AREA_FIELDS = ("area_x_mm", "area_y_mm", "area_w_mm", "area_h_mm")


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
    side: str = FRONT_AREA  # BACK: the back of the ordonnance

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def left_mm(self) -> float:
        return self.x / mm

    @property
    def top_mm(self) -> float:
        """Distance from the sheet's top edge, in millimetres."""
        return (self.page_height - self.top) / mm


def paper_size(name: str) -> tuple[float, float]:
    try:
        return PAPERS[name.strip().upper()]
    except KeyError:
        raise ConfigurationError(f"Format de papier inconnu : « {name} » (A4 ou A5 attendu)") from None


def area_configured(printer: PrinterSettings) -> bool:
    """True when the settings give a front area other than the factory rectangle."""
    factory = PrinterSettings()
    return any(getattr(printer, name) != getattr(factory, name) for name in AREA_FIELDS)


def mentions_place(printer: PrinterSettings) -> str:
    """BACK or FRONT_AREA: where the mentions of these settings print."""
    place = (printer.mentions_place or AUTO).strip().lower()
    if place not in PLACES:
        raise ConfigurationError(f"Emplacement des mentions inconnu : « {printer.mentions_place} » (back : au dos "
                                 "de l'ordonnance, area : zone libre du recto, auto : la zone si elle est réglée)")
    if place == AUTO:
        return FRONT_AREA if area_configured(printer) else BACK
    return place


def _area(printer: PrinterSettings, x_mm: float, y_mm: float, w_mm: float, h_mm: float, side: str) -> PrintArea:
    page_w, page_h = paper_size(printer.paper)
    if w_mm < MIN_AREA_MM or h_mm < MIN_AREA_MM:
        raise ConfigurationError(
            f"Zone d'impression trop petite : {w_mm:g} × {h_mm:g} mm (au moins {MIN_AREA_MM:g} × {MIN_AREA_MM:g} mm)")
    left = (x_mm + printer.offset_x_mm) * mm
    top = (y_mm + printer.offset_y_mm) * mm
    width, height = w_mm * mm, h_mm * mm
    if left < 0 or top < 0 or left + width > page_w + 0.01 or top + height > page_h + 0.01:
        raise ConfigurationError(
            f"Zone d'impression hors de la feuille {printer.paper.upper()} : vérifiez la position, "
            "la taille et le décalage dans les réglages de l'imprimante")
    return PrintArea(paper=printer.paper.strip().upper(), page_width=page_w, page_height=page_h,
                     x=left, y=page_h - top - height, width=width, height=height, side=side)


def front_area(printer: PrinterSettings) -> PrintArea:
    """The free rectangle of the settings on the ordonnance's front, offset applied."""
    return _area(printer, printer.area_x_mm, printer.area_y_mm, printer.area_w_mm, printer.area_h_mm, FRONT_AREA)


def back_area(printer: PrinterSettings) -> PrintArea:
    """The back of the ordonnance: its whole sheet within the back margin, offset applied."""
    page_w, page_h = paper_size(printer.paper)
    margin = printer.back_margin_mm
    if margin < 0:
        raise ConfigurationError(f"Marge du verso négative : {margin:g} mm")
    return _area(printer, margin, margin, page_w / mm - 2 * margin, page_h / mm - 2 * margin, BACK)


def print_area(printer: PrinterSettings) -> PrintArea:
    """Where the mentions print: the back of the ordonnance (default) or the configured front area;
    refused in French if it leaves the sheet."""
    return back_area(printer) if mentions_place(printer) == BACK else front_area(printer)
