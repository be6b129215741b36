"""The A4 copy for the patient or the file: each prescription line beside what was delivered, with the
QR code of the ordonnance number (scanning it reopens the ordonnance at any counter).
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.domain.billing import Bill
from app.domain.delivery import Delivery, LineDelivery
from app.domain.prescription import Prescription, PrescriptionLine
from app.printing.content import (
    all_ordonnancier_numbers,
    bill_texts,
    line_text,
    ordonnancier_text,
    prescribed_facts,
    signature_text,
    stamp_lines,
)
from app.printing.text import (
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    Output,
    fr_date,
    fr_datetime,
    markup,
    money,
    printable,
    write_pdf,
)

MARGIN = 15 * mm
QR_SIZE = 30 * mm
BASE = ParagraphStyle("copy", fontName=FONT, fontSize=9, leading=11)
BOLD = ParagraphStyle("copy-bold", parent=BASE, fontName=FONT_BOLD)
SMALL = ParagraphStyle("copy-small", parent=BASE, fontSize=8, leading=9.6)
TITLE = ParagraphStyle("copy-title", parent=BASE, fontName=FONT_BOLD, fontSize=14, leading=17, spaceAfter=4)
CELL_HEAD = ParagraphStyle("copy-head", parent=BASE, fontName=FONT_BOLD, textColor=colors.white)


def qr_drawing(value: str, size: float = QR_SIZE) -> Drawing:
    """A QR code of ``value`` (error correction M), ``size`` points wide."""
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _header(delivery: Delivery, width: float) -> Table:
    stamp = stamp_lines(delivery.pharmacy)
    left = [Paragraph(markup(stamp[0]), BOLD)] + [Paragraph(markup(s), BASE) for s in stamp[1:]]
    right = [qr_drawing(str(delivery.number)), Paragraph(markup(delivery.number.grouped()), SMALL)]
    table = Table([[left, right]], colWidths=[width - QR_SIZE - 6 * mm, QR_SIZE + 6 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "CENTER")]))
    return table


def _identity(delivery: Delivery, prescription: Prescription | None) -> list[Flowable]:
    patient, prescriber = delivery.patient, delivery.prescriber
    born = f", né(e) le {fr_date(patient.birth_date)}" if patient.birth_date else ""
    who = f"{prescriber.display_name}" + (f", {prescriber.specialty}" if prescriber.specialty else "")
    if prescriber.rpps:
        who += f" (RPPS {prescriber.rpps})"
    rows = [
        f"<b>Patient :</b> {markup(patient.display_name + born)}",
        f"<b>Prescripteur :</b> {markup(who)}",
        f"<b>Ordonnance du</b> {fr_date(delivery.prescription_date)} — <b>n°</b> {markup(delivery.number.grouped())}",
        f"<b>Délivrée le</b> {markup(fr_datetime(delivery.handed_over_at))}",
    ]
    numbers = all_ordonnancier_numbers(delivery)
    if numbers:
        rows.append(markup(ordonnancier_text(numbers)))
    if prescription is not None:
        rows.extend(f"<i>{markup(note)}</i>" for note in prescription.notes)
    return [Paragraph(r, BASE) for r in rows]


def _prescribed_cell(index: int, line: LineDelivery, prescribed: PrescriptionLine | None) -> list[Flowable]:
    if prescribed is None:
        return [Paragraph(f"{index}. " + markup(line.prescribed), BOLD), Paragraph(markup(line.posology), BASE)]
    cell: list[Flowable] = [Paragraph(f"{index}. " + markup(prescribed.medication.text), BOLD),
                            Paragraph(markup(prescribed.posology_text or line.posology), BASE)]
    facts = prescribed_facts(prescribed, explain_reason=True)
    cell.extend(Paragraph(markup(f), SMALL) for f in facts)
    return cell


def _delivered_cell(line: LineDelivery) -> list[Flowable]:
    text = line_text(line)
    cell: list[Flowable] = [Paragraph(markup(text.heading), BOLD if text.delivered else BASE)]
    cell.extend(Paragraph(markup(m), SMALL) for m in text.mentions)
    return cell


def _lines_table(delivery: Delivery, prescription: Prescription | None, width: float) -> Table:
    rows: list[list[object]] = [[Paragraph("Prescription", CELL_HEAD), Paragraph("Délivrance", CELL_HEAD)]]
    for index, line in enumerate(delivery.lines, start=1):
        prescribed = None
        if prescription is not None:
            try:
                prescribed = prescription.line(line.line_id)
            except KeyError:
                prescribed = None
        rows.append([_prescribed_cell(index, line, prescribed), _delivered_cell(line)])
    table = Table(rows, colWidths=[width / 2, width / 2], repeatRows=1, splitInRow=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2f4f4f")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for r, line in enumerate(delivery.lines, start=1):
        if not line.delivered:
            style.append(("BACKGROUND", (1, r), (1, r), colors.HexColor("#f3e6e6")))
    table.setStyle(TableStyle(style))
    return table


def _bill_table(bill: Bill, width: float) -> Table:
    """Each line and fee of the bill with who pays it; the totals last."""
    head = ["Produit / honoraire", "Qté", "Prix unit.", "Taux", "Total", "AMO", "AMC", "Patient"]
    rows: list[list[object]] = [[Paragraph(h, CELL_HEAD) for h in head]]
    for line in bill.lines:
        label = line.label + (f" (dont honoraire {line.fee_code} {money(line.fee_cents)})" if line.fee_code else "")
        rows.append([Paragraph(markup(label), SMALL), str(line.boxes), money(line.unit_price_cents), f"{line.rate} %",
                     money(line.total_cents), money(line.amo_cents), money(line.amc_cents), money(line.patient_cents)])
    for fee in bill.fees:
        rows.append([Paragraph(markup(f"{fee.code} — {fee.label}"), SMALL), "", "", f"{fee.rate} %",
                     money(fee.cents), money(fee.amo_cents), money(fee.amc_cents), money(fee.patient_cents)])
    rows.append([Paragraph("<b>Total</b>", SMALL), "", "", "", money(bill.total_cents), money(bill.amo_cents),
                 money(bill.amc_cents), money(bill.patient_cents)])
    amounts = 17 * mm
    table = Table([[printable(c) if isinstance(c, str) else c for c in row] for row in rows],
                  colWidths=[width - 11 * mm - 12 * mm - 5 * amounts, 11 * mm, amounts, 12 * mm] + [amounts] * 4,
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2f4f4f")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("FONTNAME", (0, 1), (-1, -1), FONT),
        ("FONTSIZE", (0, 1), (-1, -1), 8),
        ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
    ]))
    return table


def _billing(delivery: Delivery, width: float) -> list[Flowable]:
    texts = bill_texts(delivery)
    if not texts:
        return []
    story: list[Flowable] = [Spacer(0, 5 * mm), Paragraph("Facturation", BOLD), Spacer(0, 1.5 * mm)]
    if delivery.bill is not None:
        story += [_bill_table(delivery.bill, width), Spacer(0, 1.5 * mm)]
    story += [Paragraph(markup(t), SMALL) for t in texts]
    return story


def _footer(delivery: Delivery):
    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT_ITALIC, 7)
        canvas.drawString(MARGIN, 8 * mm, printable(
            f"Copie patient — ordonnance n° {delivery.number.grouped()} — page {doc.page}"))
        canvas.restoreState()

    return on_page


def render_patient_copy(delivery: Delivery, prescription: Prescription | None, out: Output) -> None:
    """The A4 copy of ``delivery``; ``prescription`` (when known) details the prescribed column."""

    def build(buffer: BinaryIO) -> None:
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                topMargin=MARGIN, bottomMargin=MARGIN, title=f"Copie — ordonnance {delivery.number}",
                                author="Comptoir", creator="Comptoir")
        width = A4[0] - 2 * MARGIN
        story: list[Flowable] = [_header(delivery, width), Spacer(0, 3 * mm),
                                 Paragraph("Copie de l'ordonnance — délivrance", TITLE)]
        story += _identity(delivery, prescription)
        story += [Spacer(0, 4 * mm), _lines_table(delivery, prescription, width)]
        story += _billing(delivery, width)
        story += [Spacer(0, 5 * mm), Paragraph(markup(signature_text(delivery)), BOLD)]
        footer = _footer(delivery)
        doc.build(story, onFirstPage=footer, onLaterPages=footer)

    write_pdf(build, out)
