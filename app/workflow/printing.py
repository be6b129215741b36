"""Printing a delivery: the mentions on the doctor's ordonnance and the patient's copy, as PDF files
in ``settings.pdf_dir`` named ``<number>-<date>-mentions.pdf`` and ``<number>-<date>-copie-patient.pdf``
(:func:`app.printing.names.delivery_pdf_names`; the UI sends them to a printer when asked)."""

from __future__ import annotations

from pathlib import Path

from app.config import PrinterSettings
from app.domain.delivery import Delivery
from app.domain.errors import ComptoirError
from app.domain.prescription import Prescription
from app.private_files import private_dir


class PrintFailed(ComptoirError):
    """The PDF could not be written (folder not writable, disk full)."""


class PdfPrinter:
    """Renders with :mod:`app.printing`; one file per document, named after the delivery."""

    def __init__(self, printer: PrinterSettings) -> None:
        self.printer = printer

    def print_delivery(self, delivery: Delivery, prescription: Prescription | None, pdf_dir: Path) -> list[Path]:
        from app.printing import delivery_pdf_names, render_delivery_notes, render_patient_copy

        try:
            private_dir(pdf_dir)
            notes_name, copy_name = delivery_pdf_names(delivery, {p.name for p in pdf_dir.iterdir()})
            notes, copy = pdf_dir / notes_name, pdf_dir / copy_name
            render_delivery_notes(delivery, self.printer, notes)
            render_patient_copy(delivery, prescription, copy)
        except OSError as exc:
            raise PrintFailed(f"Impression impossible dans {pdf_dir} : {exc.strerror or exc}", detail=repr(exc)) from exc
        return [notes, copy]
