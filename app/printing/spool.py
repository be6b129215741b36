"""Sending a printed document to the system's print service, and keeping it when that fails.

Two kinds of document go to (possibly) two printers, each remembered in the ``[printer]`` settings:
the mentions on the doctor's ordonnance (``name``, on the ordonnance's paper, A5 or A4) and the
patient's A4 copy (``copy_name``). On Linux and macOS the document goes to CUPS (:mod:`app.printing.cups`),
which says when a printer is missing, stopped, out of paper or unreachable; on Windows (no CUPS), the
UI paints it on a QPrinter, which hands it to the Windows spooler (``app/ui/printing.py``). Whatever
the path, :func:`print_kept` keeps the PDF in the PDF folder first and puts it on the « à réimprimer »
list when printing fails (:mod:`app.printing.reprints`): nothing is lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium

from app.config import PrinterSettings
from app.domain.errors import ComptoirError
from app.printing.cups import Cups, PrinterProblem
from app.printing.reprints import clear_failed, keep_pdf, mark_failed

log = logging.getLogger(__name__)

MENTIONS = "mentions"  # the mentions de délivrance, on the back or margin of the doctor's ordonnance
PATIENT_COPY = "copie"  # the patient's A4 copy
KINDS = (MENTIONS, PATIENT_COPY)
PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe: one document open at a time in the process


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")


def printer_for(printer: PrinterSettings, kind: str) -> str:
    """The printer remembered for ``kind`` ("" when none was chosen yet)."""
    _check_kind(kind)
    return printer.copy_name if kind == PATIENT_COPY else printer.name


def set_printer_for(printer: PrinterSettings, kind: str, name: str) -> bool:
    """Remember ``name`` for ``kind``; True when that changed the settings."""
    if printer_for(printer, kind) == name:
        return False
    if kind == PATIENT_COPY:
        printer.copy_name = name
    else:
        printer.name = name
    return True


def media_for(printer: PrinterSettings, kind: str) -> str:
    """The paper of ``kind``: the ordonnance's (A5 or A4) for the mentions, A4 for the copy."""
    _check_kind(kind)
    return "A4" if kind == PATIENT_COPY else printer.paper.strip().upper()


def uses_cups(printer: PrinterSettings) -> bool:
    """Print through CUPS: when asked (``system = "cups"``), or by default wherever its commands exist."""
    system = printer.system.strip().lower()
    if system == "cups":
        return True
    if system == "qt":
        return False
    return Cups.installed()


@contextmanager
def open_pdf(pdf: Path | bytes) -> Iterator[pdfium.PdfDocument]:
    """``pdf`` opened with PDFium, holding the process-wide PDFium lock; a French error when it cannot
    be read (it would not print) or has no page."""
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
        except (pdfium.PdfiumError, OSError) as exc:
            raise PrinterProblem("PDF illisible : impression impossible", detail=repr(exc)) from exc
        try:
            if len(document) == 0:
                raise PrinterProblem("PDF vide : rien à imprimer")
            yield document
        finally:
            document.close()


def page_count(pdf: Path | bytes) -> int:
    with open_pdf(pdf) as document:
        return len(document)


def print_kept(pdf: Path, pdf_dir: Path, send: Callable[[Path], int], *, kind: str = MENTIONS,
               printer: str = "") -> int:
    """Keep ``pdf`` in ``pdf_dir``, then ``send`` it (returns its pages). On failure the kept PDF goes
    on the « à réimprimer » list with the French reason, and the error is raised again; a success
    takes it off the list."""
    try:
        kept = keep_pdf(pdf, pdf_dir)
    except OSError as exc:
        raise PrinterProblem(f"Impossible de conserver le PDF dans {pdf_dir} : {exc.strerror or exc}",
                             detail=repr(exc)) from exc
    try:
        pages = send(kept)
    except ComptoirError as exc:
        mark_failed(kept, exc.message, kind=kind, printer=getattr(exc, "printer", "") or printer)
        raise
    except Exception as exc:
        log.exception("printing %s failed", kept.name)
        mark_failed(kept, f"Impression impossible ({type(exc).__name__}) : le PDF est conservé",
                    kind=kind, printer=printer)
        raise
    clear_failed(kept)
    return pages


def cups_sender(printer: PrinterSettings, kind: str, *, name: str | None = None, copies: int = 1,
                cups: Cups | None = None) -> Callable[[Path], int]:
    """A ``send`` for :func:`print_kept` printing through CUPS on ``name`` (default: the printer
    remembered for ``kind``, else the system's default), on the paper of ``kind``."""
    client = cups or Cups()
    queue = printer_for(printer, kind) if name is None else name

    def send(kept: Path) -> int:
        pages = page_count(kept)
        job = client.print_file(kept, queue, title=kept.name, copies=copies, media=media_for(printer, kind),
                                timeout_s=printer.job_timeout_s)
        log.info("printed %s (%d page(s)) as CUPS job %s", kept.name, pages, job)
        return pages

    return send


def print_with_cups(pdf: Path, pdf_dir: Path, printer: PrinterSettings, kind: str = MENTIONS, *,
                    name: str | None = None, copies: int = 1, cups: Cups | None = None) -> int:
    """Print ``pdf`` through CUPS, kept in ``pdf_dir`` and listed for reprint if it fails; its pages."""
    queue = printer_for(printer, kind) if name is None else name
    return print_kept(pdf, pdf_dir, cups_sender(printer, kind, name=queue, copies=copies, cups=cups),
                      kind=kind, printer=queue)
