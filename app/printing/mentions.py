"""The "mentions de délivrance" printed on the doctor's ordonnance: by default on its back (the free
side, a sheet of the ordonnance's paper), else in the free area of its front the settings describe
(:mod:`app.printing.page`).

Why shrink first: the pharmacist hands back one sheet; the mentions should fit in that area. The text
is set at the largest size (9 pt down to 6 pt) at which everything fits; only if even 6 pt does not
fit does it continue in the same area of a next sheet. Nothing is ever drawn outside the area.

What is printed (:mod:`app.printing.content`): the pharmacy's stamp, the date and number, each line
with its product (name, dosage, form, pack size), quantity, "délivrance partielle" or the fraction
number, substitution, every adjustment with its reason, the ordonnancier number where the register
takes the product, then the bill's summary with its fees, and the pharmacist.
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from app.config import PrinterSettings
from app.domain.delivery import Delivery
from app.printing.content import bearer_text, bill_texts, header_text, line_text, signature_text, stamp_lines
from app.printing.page import BACK, PrintArea, print_area
from app.printing.text import FONT, FONT_BOLD, Output, markup, write_pdf

SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)


def _styles(size: float) -> dict[str, ParagraphStyle]:
    leading = size * 1.18
    base = ParagraphStyle("mention", fontName=FONT, fontSize=size, leading=leading)
    return {
        "base": base,
        "stamp": ParagraphStyle("stamp", parent=base, fontName=FONT_BOLD),
        "heading": ParagraphStyle("heading", parent=base, fontName=FONT_BOLD, spaceBefore=size * 0.35),
        "mention": ParagraphStyle("detail", parent=base, leftIndent=size * 1.2),
    }


def mention_flowables(delivery: Delivery, size: float, *, side: str = "") -> list[Flowable]:
    """The mentions as paragraphs at ``size`` points (``side`` BACK: titled as the ordonnance's back)."""
    st = _styles(size)
    stamp = stamp_lines(delivery.pharmacy)
    story: list[Flowable] = []
    if side == BACK:
        story.append(Paragraph(markup(f"Mentions de délivrance — verso de l'ordonnance n° {delivery.number.grouped()}"),
                               st["heading"]))
    story += [
        Paragraph(markup(stamp[0]), st["stamp"]),
        Paragraph(markup(" — ".join(stamp[1:])), st["base"]),
        Spacer(0, size * 0.3),
        Paragraph(markup(header_text(delivery)), st["base"]),
    ]
    bearer = bearer_text(delivery)
    if bearer:
        story.append(Paragraph(markup(bearer), st["base"]))
    for index, line in enumerate(delivery.lines, start=1):
        text = line_text(line)
        story.append(Paragraph(f"{index}. " + markup(text.heading), st["heading"]))
        story.extend(Paragraph(markup(m), st["mention"]) for m in text.mentions)
    billing = bill_texts(delivery)
    if billing:
        story.append(Paragraph("Facturation", st["heading"]))
        story.extend(Paragraph(markup(m), st["mention"]) for m in billing)
    story.append(Spacer(0, size * 0.3))
    story.append(Paragraph(markup(signature_text(delivery)), st["base"]))
    return story


def _height(story: list[Flowable], width: float, height: float) -> float:
    total = 0.0
    for i, flowable in enumerate(story):
        _, h = flowable.wrap(width, height)
        total += h + flowable.getSpaceAfter() + (flowable.getSpaceBefore() if i else 0)
    return total


def fitting_story(delivery: Delivery, area: PrintArea) -> tuple[float, list[Flowable]]:
    """The largest size whose mentions fit in ``area``, with its paragraphs (else the smallest)."""
    story: list[Flowable] = []
    for size in SIZES:
        story = mention_flowables(delivery, size, side=area.side)
        if _height(story, area.width, area.height) <= area.height - 1:
            return size, story
    return SIZES[-1], story


def area_document(out: BinaryIO, area: PrintArea, title: str) -> BaseDocTemplate:
    """A document whose every page offers exactly ``area`` (no padding) to the text."""
    frame = Frame(area.x, area.y, area.width, area.height, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="area")
    doc = BaseDocTemplate(out, pagesize=(area.page_width, area.page_height), title=title,
                          author="Comptoir", creator="Comptoir", pageCompression=1)
    doc.addPageTemplates([PageTemplate(id="area", frames=[frame])])
    return doc


def render_delivery_notes(delivery: Delivery, printer: PrinterSettings, out: Output) -> None:
    """Print the mentions de délivrance of ``delivery`` in the printing area of ``printer``."""
    area = print_area(printer)

    def build(buffer: BinaryIO) -> None:
        _, story = fitting_story(delivery, area)
        doc = area_document(buffer, area, f"Délivrance — ordonnance {delivery.number}")
        doc.build(story)

    write_pdf(build, out)
