"""The ordonnancier of a period as a PDF, for an inspection (``comptoir ordonnancier export --pdf``), and
the stupéfiants register beside it (``comptoir ordonnancier stupefiants --pdf``).

A4 landscape, one row per entry in number order; a correction says which entry it corrects and why;
each row ends with the start of its seal so a printed page can be checked against the database.
After the entries, the daily closings of the period: each day's last number and its full seal (the
register's head, sealed with the pharmacy's key). A printed or filed export is thus a witness kept
outside the database: entries removed from the register later still show on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.domain.delivery import PharmacyIdentity
from app.domain.ordonnancier import NARCOTIC, Closing, OrdonnancierEntry
from app.printing.content import stamp_lines
from app.printing.text import FONT, FONT_BOLD, FONT_ITALIC, Output, fr_date, markup, printable, write_pdf

PAGE = landscape(A4)
MARGIN = 12 * mm
CELL = ParagraphStyle("reg", fontName=FONT, fontSize=7.5, leading=9)
HEAD = ParagraphStyle("reg-head", parent=CELL, fontName=FONT_BOLD, textColor=colors.white)
TITLE = ParagraphStyle("reg-title", parent=CELL, fontName=FONT_BOLD, fontSize=13, leading=16)
# (heading, width in mm; 0: what remains)
COLUMNS = (("N°", 11), ("Date", 17), ("Ordonnance", 28), ("Patient", 34), ("Prescripteur", 36),
           ("Produit délivré", 56), ("Liste", 13), ("Qté", 9), ("Pharmacien", 26), ("Rectification", 0),
           ("Empreinte", 17))
# The stupéfiants register: the same entries, with the bearer (art. R.5132-35 CSP) instead of the list.
NARCOTIC_COLUMNS = (("N°", 11), ("Date", 17), ("Ordonnance", 28), ("Patient", 32), ("Prescripteur", 32),
                    ("Stupéfiant délivré", 46), ("Qté", 9), ("Porteur", 32), ("Pharmacien", 26),
                    ("Rectification", 0), ("Empreinte", 17))


def _cells(entry: OrdonnancierEntry) -> dict[str, str]:
    patient = entry.patient_name + (f" (né(e) le {fr_date(entry.patient_birth_date)})"
                                    if entry.patient_birth_date else "")
    patient += f", {entry.patient_address}" if entry.patient_address else ""
    prescriber = entry.prescriber_name + (f" — RPPS {entry.prescriber_rpps}" if entry.prescriber_rpps else "")
    prescriber += f", {entry.prescriber_address}" if entry.prescriber_address else ""
    prescriber += f" — ordonnance du {fr_date(entry.prescription_date)}"
    product = f"{entry.product_name} — CIP13 {entry.cip13}" + (f" — {entry.mention}" if entry.mention else "")
    return {"N°": str(entry.number), "Date": fr_date(entry.delivered_on), "Ordonnance": entry.ordonnance_number,
            "Patient": patient, "Prescripteur": prescriber, "Produit délivré": product, "Stupéfiant délivré": product,
            "Liste": entry.list_class, "Qté": str(entry.quantity), "Pharmacien": entry.pharmacist_name,
            "Porteur": entry.bearer or "—",
            "Rectification": f"rectifie le n° {entry.corrects} : {entry.reason}" if entry.is_correction else "",
            "Empreinte": entry.hash[:12]}


def _row(entry: OrdonnancierEntry, columns: Sequence[tuple[str, int]] = COLUMNS) -> list[Paragraph]:
    cells = _cells(entry)
    return [Paragraph(markup(cells[name]), CELL) for name, _ in columns]


SEAL = ParagraphStyle("reg-seal", parent=CELL, fontName="Courier", fontSize=7, leading=9)
CLOSING_COLUMNS = (("Journée", 22), ("Dernière écriture", 28), ("Sceau de la tête du registre", 0),
                   ("Clôturée le", 32), ("Poste", 40))


def _local(moment: datetime) -> str:
    """A naive-UTC time as read at this workstation."""
    return moment.replace(tzinfo=UTC).astimezone().strftime("%d/%m/%Y %H:%M")


def _closings_table(closings: Sequence[Closing], width: float) -> list[Flowable]:
    fixed = sum(w for _, w in CLOSING_COLUMNS) * mm
    widths = [(w * mm if w else width - fixed) for _, w in CLOSING_COLUMNS]
    data = [[Paragraph(markup(name), HEAD) for name, _ in CLOSING_COLUMNS]]
    data += [[Paragraph(markup(fr_date(c.day)), CELL), Paragraph(f"n° {c.number}", CELL),
              Paragraph(markup(c.head), SEAL), Paragraph(markup(_local(c.closed_at)), CELL),
              Paragraph(markup(c.workstation), CELL)] for c in closings]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2f4f4f")),
                               ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    title = "Clôtures journalières : tête du registre à la fin de chaque jour, scellée par la clé de la pharmacie"
    return [Spacer(0, 5 * mm), Paragraph(markup(title), CELL), Spacer(0, 2 * mm), table]


def narcotic_entries(entries: Sequence[OrdonnancierEntry]) -> list[OrdonnancierEntry]:
    """The entries of classed stupéfiants (and their corrections), for the stupéfiants register."""
    return [e for e in entries if e.list_class == NARCOTIC]


def render_stupefiants(entries: Sequence[OrdonnancierEntry], out: Output, *,
                       pharmacy: PharmacyIdentity | None = None, start: date | None = None,
                       end: date | None = None) -> None:
    """The stupéfiants delivered over the period (the ordonnancier's stupéfiant entries, whatever else
    ``entries`` holds), with who took them away when not the patient (art. R.5132-35 CSP)."""
    render_ordonnancier(narcotic_entries(entries), out, pharmacy=pharmacy, start=start, end=end,
                        title="Registre des stupéfiants délivrés", columns=NARCOTIC_COLUMNS)


def render_ordonnancier(entries: Sequence[OrdonnancierEntry], out: Output, *,
                        pharmacy: PharmacyIdentity | None = None, start: date | None = None,
                        end: date | None = None, closings: Sequence[Closing] = (), title: str = "Ordonnancier",
                        columns: Sequence[tuple[str, int]] = COLUMNS) -> None:
    """The register's ``entries`` as a table, with the pharmacy stamp and the period in the title,
    then the period's daily ``closings``."""
    width = PAGE[0] - 2 * MARGIN
    fixed = sum(w for _, w in columns) * mm
    widths = [(w * mm if w else width - fixed) for _, w in columns]
    period = ""
    if start and end:
        period = f" du {fr_date(start)} au {fr_date(end)}"

    def build(buffer: BinaryIO) -> None:
        doc = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                                topMargin=MARGIN, bottomMargin=MARGIN, title=f"{title}{period}",
                                author="Comptoir", creator="Comptoir")
        story: list[Flowable] = [Paragraph(markup(f"{title}{period}"), TITLE)]
        if pharmacy is not None:
            story.append(Paragraph(markup(" — ".join(stamp_lines(pharmacy))), CELL))
        story.append(Spacer(0, 3 * mm))
        if not entries:
            story.append(Paragraph("Aucune écriture sur la période.", CELL))
        else:
            data = [[Paragraph(markup(name), HEAD) for name, _ in columns]] + [_row(e, columns) for e in entries]
            table = Table(data, colWidths=widths, repeatRows=1)
            style = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2f4f4f")),
                     ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
            style += [("BACKGROUND", (0, i), (-1, i), colors.HexColor("#fff4d6"))
                      for i, e in enumerate(entries, start=1) if e.is_correction]
            table.setStyle(TableStyle(style))
            story.append(table)
        if closings:
            story.extend(_closings_table(closings, width))

        def footer(canvas, document) -> None:
            canvas.saveState()
            canvas.setFont(FONT_ITALIC, 7)
            canvas.drawString(MARGIN, 6 * mm, printable(
                f"{title}{period} — {len(entries)} écriture(s) — page {document.page}"))
            canvas.restoreState()

        doc.build(story, onFirstPage=footer, onLaterPages=footer)

    write_pdf(build, out)
