"""CI's print service works end to end: a PDF sent to the cups-pdf queue of .ci/cups.sh comes out as a
PDF with the same text, on the paper asked for (the printing tests rely on it; in CI its absence fails)."""

from __future__ import annotations

import uuid
from io import BytesIO

import pypdf
import pytest
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas

# One test at a time on the CUPS queue, across pytest-xdist workers (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cups_to_itself")


def test_a_job_comes_out_as_a_pdf_with_its_text(cups_queue, tmp_path):
    marker = f"Comptoir CUPS {uuid.uuid4().hex[:8]}"
    source = tmp_path / "page.pdf"
    canvas = Canvas(str(source), pagesize=A5)
    canvas.drawString(72, 500, marker)
    canvas.save()
    job = cups_queue.submit(source, f"test-{marker[-8:]}", "media=A5")
    printed = cups_queue.output(job)
    try:
        reader = pypdf.PdfReader(BytesIO(printed.read_bytes()))
        assert marker in reader.pages[0].extract_text()
        box = reader.pages[0].mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A5, abs=2)  # the PPD rounds A5 to 421 x 595 pt
    finally:
        printed.unlink(missing_ok=True)
