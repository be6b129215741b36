"""The prescriber's paper ordonnance, as French doctor software prints it (demo and training).

Prescriber block with RPPS top left, date top right, the patient, the numbered lines with their
posology in words, duration, quantity, renewals and "non substituable (MTE)" where set, and the QR
code holding the ordonnance numérique number, with the number in clear under it so that it can be
typed when the code does not scan. An ordonnance with a line in relation with an ALD is printed
"bizone" (cerfa n° 12708): the ALD lines in the upper zone, the others under the line that separates
them (art. L.324-1 CSS, R.161-45); a work-accident line says so.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from app.domain.prescription import Coverage, Prescription, PrescriptionLine
from app.printing.content import prescribed_facts
from app.private_files import private_dir, tighten

FONT, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
ALD_ZONE = ("Prescriptions relatives au traitement de l'affection de longue durée reconnue (liste ou hors liste) "
            "(AFFECTION EXONÉRANTE)")
OTHER_ZONE = "Prescriptions SANS RAPPORT avec l'affection de longue durée (MALADIES INTERCURRENTES)"
QR_SIZE = 34 * mm
MARGIN = 14 * mm


def _qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _patient_line(p: Prescription) -> str:
    civility = {"female": "Mme", "male": "M."}.get(p.patient.gender or "", "")
    text = f"{civility} {p.patient.display_name}".strip()
    if p.patient.birth_date:
        born = "née" if p.patient.gender == "female" else "né(e)" if p.patient.gender != "male" else "né"
        text += f", {born} le {p.patient.birth_date:%d/%m/%Y}"
    return text


def line_texts(line: PrescriptionLine) -> tuple[str, list[str]]:
    """The medication (bold) and the lines under it, as printed."""
    under = [line.posology_text, *prescribed_facts(line)]
    if line.coverage is Coverage.WORK_ACCIDENT:
        under.append("en rapport avec un accident du travail / une maladie professionnelle")
    under.extend(line.notes)
    return line.medication.text, [u for u in under if u]


class _Writer:
    """Top-down text on pages, starting a new page when the space is used."""

    def __init__(self, canvas: Canvas, width: float, height: float, bottom: float) -> None:
        self.c, self.width, self.height, self.bottom = canvas, width, height, bottom
        self.y = height - MARGIN

    def text(self, text: str, *, font: str = FONT, size: float = 10, indent: float = 0,
             right_limit: float | None = None, lead: float = 1.25) -> None:
        limit = (right_limit or self.width - MARGIN) - MARGIN - indent
        for piece in simpleSplit(text, font, size, limit) or [""]:
            if self.y - size < self.bottom:
                self.c.showPage()
                self.y = self.height - MARGIN
            self.c.setFont(font, size)
            self.c.drawString(MARGIN + indent, self.y - size, piece)
            self.y -= size * lead

    def gap(self, space: float) -> None:
        self.y -= space


def write_prescription_form(prescription: Prescription, path: str | Path, *, paper: str = "A4") -> Path:
    """Write the paper ordonnance of ``prescription`` as a PDF at ``path``."""
    path = Path(path)
    private_dir(path.parent)
    size = A5 if paper.upper() == "A5" else A4
    width, height = size
    c = Canvas(str(path), pagesize=size)
    c.setTitle(f"Ordonnance {prescription.number}")
    c.setAuthor(prescription.prescriber.display_name)
    qr_top = MARGIN + QR_SIZE + 8 * mm
    w = _Writer(c, width, height, bottom=qr_top + 4 * mm)
    doc = prescription.prescriber
    w.text(doc.display_name, font=BOLD, size=12, right_limit=width * 0.62)
    for extra in (doc.specialty, doc.address, f"Tél. {doc.phone}" if doc.phone else None):
        if extra:
            w.text(extra, size=9, right_limit=width * 0.62)
    if doc.rpps:
        w.text(f"N° RPPS : {doc.rpps}", size=9)
    c.setFont(FONT, 10)
    c.drawRightString(width - MARGIN, height - MARGIN - 10, f"Le {prescription.authored_on:%d/%m/%Y}")
    w.gap(6 * mm)
    w.text(_patient_line(prescription), font=BOLD, size=11)
    if prescription.patient.nir:
        w.text(f"NIR : {prescription.patient.nir.masked()}", size=8)
    w.gap(6 * mm)
    c.setFont(BOLD, 14)
    c.drawCentredString(width / 2, w.y - 14, "ORDONNANCE")
    w.gap(12 * mm)
    ald = [line for line in prescription.lines if line.coverage is Coverage.ALD]
    others = [line for line in prescription.lines if line.coverage is not Coverage.ALD]
    if not ald:
        _lines(w, others, 1)
    else:  # bizone
        w.text(ALD_ZONE, font=ITALIC, size=8.5)
        w.gap(2 * mm)
        _lines(w, ald, 1)
        c.setLineWidth(0.8)
        c.line(MARGIN, w.y, width - MARGIN, w.y)
        w.gap(3 * mm)
        w.text(OTHER_ZONE, font=ITALIC, size=8.5)
        w.gap(2 * mm)
        _lines(w, others, len(ald) + 1)
    for note in prescription.notes:
        w.text(note, font=ITALIC, size=9)
    _footer(c, prescription, width)
    c.showPage()
    c.save()
    tighten(path)  # it names the patient: 0600 like every PDF the app writes
    return path


def _lines(w: _Writer, lines: list[PrescriptionLine], first: int) -> None:
    for n, line in enumerate(lines, start=first):
        medication, under = line_texts(line)
        w.text(f"{n}. {medication}", font=BOLD, size=10.5)
        for text in under:
            italic = text.startswith("non substituable")
            w.text(text, font=BOLD if italic else FONT, size=9.5, indent=6 * mm)
        w.gap(3 * mm)


def _footer(c: Canvas, prescription: Prescription, width: float) -> None:
    """On the last page: the QR code, the number in clear, the signature space."""
    x = width - MARGIN - QR_SIZE
    _qr(c, str(prescription.number), x, MARGIN + 8 * mm, QR_SIZE)
    c.setFont("Courier-Bold", 10)
    c.drawCentredString(x + QR_SIZE / 2, MARGIN + 3 * mm, prescription.number.grouped())
    c.setFont(FONT, 8)
    c.drawString(MARGIN, MARGIN + 3 * mm, "Ordonnance numérique — présentez ce QR code en pharmacie")
    c.drawString(MARGIN, MARGIN + QR_SIZE, "Signature :")
