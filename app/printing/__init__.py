"""Printed documents (reportlab): the annotated ordonnance, the patient's copy, registers.

The public entry points, each writing a PDF to a path (atomically) or a binary stream:
``render_delivery_notes`` (mentions on the doctor's ordonnance: its back by default, or a free area of
its front), ``render_patient_copy`` (A4 copy), ``render_calibration_page`` (printer offset, how to feed
the ordonnance), ``render_ordonnancier`` (register for inspections) and ``render_stupefiants`` (its
stupéfiant deliveries, with the bearer); ``delivery_pdf_names`` names a
delivery's files ``<number>-<date>-mentions.pdf`` and ``<number>-<date>-copie-patient.pdf``.
"""

from app.printing.calibration import render_calibration_page
from app.printing.mentions import render_delivery_notes
from app.printing.names import delivery_pdf_names
from app.printing.patient_copy import render_patient_copy
from app.printing.register import render_ordonnancier, render_stupefiants

__all__ = ["delivery_pdf_names", "render_calibration_page", "render_delivery_notes", "render_ordonnancier",
           "render_stupefiants",
           "render_patient_copy"]
