"""Printing through a real CUPS queue (cups-pdf): what comes out, and the failures that keep the job.

The page size, the text and where the mentions land are read back from the PDF that cups-pdf writes;
the failure paths use the same queue disabled (cupsdisable), a queue that does not exist and a queue
whose printer cannot be reached.
"""

from __future__ import annotations

import subprocess
import uuid
from io import BytesIO

import pypdf
import pytest

from app.config import PrinterSettings
from app.printing import render_delivery_notes, render_patient_copy
from app.printing.cups import PrinterProblem
from app.printing.reprints import failed_prints
from app.printing.specimen import specimen_delivery
from app.printing.spool import MENTIONS, PATIENT_COPY, print_with_cups
from tests.printing.pdfcheck import page_count, pdf_text, text_positions

# One test at a time on the CUPS queue, across pytest-xdist workers (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cups_to_itself")

A4 = (595.3, 841.9)
A5 = (419.5, 595.3)
MM = 72 / 25.4


def _size(data: bytes) -> tuple[float, float]:
    box = pypdf.PdfReader(BytesIO(data)).pages[0].mediabox
    return float(box.width), float(box.height)


def _runs(data: bytes) -> list[tuple[float, float, str]]:
    return [(x, y, " ".join(t.split())) for x, y, t in text_positions(data)[0] if t.strip()]


def test_the_mentions_come_out_of_cups_on_their_paper_where_they_were_laid_out(cups_output, tmp_path):
    printer = PrinterSettings(name=cups_output.queue, paper="A5", area_x_mm=20, area_y_mm=15, area_w_mm=110,
                              offset_x_mm=2)
    source = tmp_path / "mentions.pdf"
    delivery = specimen_delivery(3)
    render_delivery_notes(delivery, printer, source)
    with cups_output.capture() as capture:
        assert print_with_cups(source, tmp_path / "pdf", printer, MENTIONS, cups=cups_output.cups) == 1
        printed = capture.pdf()
    assert _size(printed) == pytest.approx(A5, abs=2)
    text = pdf_text(printed)
    assert delivery.pharmacy.name in text and delivery.number.grouped() in text
    assert "Pharmacien : Hélène Lefèvre" in text
    # every line of the mentions lands within 1 mm of where the layout put it (cups-pdf centres the
    # page on its own rounding of A5, less than half a millimetre)
    expected, got = _runs(source.read_bytes()), _runs(printed)
    assert [t for *_, t in got] == [t for *_, t in expected]
    for (x0, y0, line), (x1, y1, _) in zip(expected, got, strict=True):
        assert abs(x1 - x0) < MM and abs(y1 - y0) < MM, line
    first_x, first_y, _ = got[0]
    assert first_x == pytest.approx((20 + 2) * MM, abs=MM)  # area left + offset, from the sheet's edge
    assert A5[1] - first_y == pytest.approx(15 * MM, abs=4 * MM)  # first baseline just under the area's top
    assert failed_prints(tmp_path / "pdf") == []


def test_the_patient_copy_comes_out_of_cups_on_a4_with_every_page(cups_output, tmp_path):
    printer = PrinterSettings(copy_name=cups_output.queue, paper="A5")
    source = tmp_path / "copie.pdf"
    delivery = specimen_delivery(12)
    render_patient_copy(delivery, None, source)
    with cups_output.capture() as capture:
        pages = print_with_cups(source, tmp_path / "pdf", printer, PATIENT_COPY, cups=cups_output.cups)
        printed = capture.pdf()
    assert pages == page_count(source.read_bytes()) == page_count(printed)
    assert _size(printed) == pytest.approx(A4, abs=2)
    text = pdf_text(printed)
    assert "Copie de l'ordonnance — délivrance" in text and delivery.patient.display_name in text
    assert f"Copie patient — ordonnance n° {delivery.number.grouped()} — page {pages}" in text


def _pending(queue: str) -> str:
    return subprocess.run(["lpstat", "-o", queue], capture_output=True, text=True, check=False).stdout


def test_a_disabled_queue_is_said_in_french_and_the_document_waits_for_a_reprint(cups_output, tmp_path):
    queue = cups_output.queue
    printer = PrinterSettings(name=queue)
    source = tmp_path / "mentions.pdf"
    render_delivery_notes(specimen_delivery(1), printer, source)
    waiting = _pending(queue)
    subprocess.run(["cupsdisable", "-r", "Bac vide (test Comptoir)", queue], check=True)
    try:
        with pytest.raises(PrinterProblem) as raised:
            print_with_cups(source, tmp_path / "pdf", printer, MENTIONS, cups=cups_output.cups)
    finally:
        subprocess.run(["cupsenable", queue], check=True)
    message = raised.value.message
    assert f"Imprimante « {queue} »" in message and "arrêtée" in message and "Bac vide" in message
    [failed] = failed_prints(tmp_path / "pdf")
    assert (failed.pdf, failed.reason, failed.kind, failed.printer) == (
        tmp_path / "pdf" / "mentions.pdf", message, MENTIONS, queue)
    assert _pending(queue) == waiting  # nothing was queued behind the pharmacist's back

    with cups_output.capture() as capture:  # the queue is back: the reprint prints and clears the list
        print_with_cups(failed.pdf, tmp_path / "pdf", printer, failed.kind, cups=cups_output.cups)
        assert "Pharmacien :" in pdf_text(capture.pdf())
    assert failed_prints(tmp_path / "pdf") == []


def test_a_missing_queue_is_said_in_french_and_listed(cups_output, tmp_path):
    printer = PrinterSettings(copy_name="Comptoir-Bureau-du-fond")
    source = tmp_path / "copie.pdf"
    render_patient_copy(specimen_delivery(1), None, source)
    with pytest.raises(PrinterProblem, match="Imprimante « Comptoir-Bureau-du-fond » introuvable"):
        print_with_cups(source, tmp_path / "pdf", printer, PATIENT_COPY, cups=cups_output.cups)
    [failed] = failed_prints(tmp_path / "pdf")
    assert (failed.kind, failed.printer) == (PATIENT_COPY, "Comptoir-Bureau-du-fond")


@pytest.fixture
def unreachable_queue(cups_output):
    """A raw queue whose printer is a closed TCP port: the job cannot be delivered."""
    name = f"Comptoir-Eteinte-{uuid.uuid4().hex[:6]}"
    made = subprocess.run(["lpadmin", "-p", name, "-E", "-v", "socket://127.0.0.1:9"],
                          capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot add a CUPS queue here: {made.stderr.strip()}")
    yield name
    subprocess.run(["cancel", "-a", name], capture_output=True, check=False)
    subprocess.run(["lpadmin", "-x", name], capture_output=True, check=False)


def test_a_printer_that_does_not_answer_fails_after_the_timeout_and_its_job_is_withdrawn(
        unreachable_queue, cups_output, tmp_path):
    printer = PrinterSettings(name=unreachable_queue, job_timeout_s=3)
    source = tmp_path / "mentions.pdf"
    render_delivery_notes(specimen_delivery(1), printer, source)
    with pytest.raises(PrinterProblem, match=f"Imprimante « {unreachable_queue} »") as raised:
        print_with_cups(source, tmp_path / "pdf", printer, MENTIONS, cups=cups_output.cups)
    assert "injoignable" in raised.value.message or "attend toujours" in raised.value.message
    assert _pending(unreachable_queue) == ""  # cancelled: it will not come out later by surprise
    assert [f.printer for f in failed_prints(tmp_path / "pdf")] == [unreachable_queue]
