"""Printed documents (reportlab): the annotated ordonnance, the patient's copy, registers.

The public entry points, each writing a PDF to a path (atomically) or a binary stream:
``render_delivery_notes`` (mentions on the doctor's ordonnance), ``render_patient_copy`` (A4 copy),
``render_calibration_page`` (printer offset) and ``render_ordonnancier`` (register for inspections).
"""

from app.printing.calibration import render_calibration_page
from app.printing.mentions import render_delivery_notes
from app.printing.patient_copy import render_patient_copy
from app.printing.register import render_ordonnancier

__all__ = ["render_calibration_page", "render_delivery_notes", "render_ordonnancier", "render_patient_copy"]
