"""The head of the prescription: prescriber, patient (NIR masked), date and validity, problems up front.

Why separate: the same header sits over the dispensing and the billing pages, and what it shows is a
pure function of the Dispensing (the problems list is computed here, in words a pharmacist reads).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app.domain.delivery import DispenseStatus
from app.domain.dispensing import Dispensing
from app.domain.prescription import LineStatus, Prescription, PrescriptionStatus
from app.domain.rules import Finding
from app.ui import formatting
from app.ui.i18n import _t, finding_text
from app.ui.notices import notice_text


def patient_text(rx: Prescription) -> str:
    p = rx.patient
    parts = [p.display_name]
    if p.birth_date:
        parts.append(_t("né(e) le %1").replace("%1", formatting.day(p.birth_date)))
    if p.nir:
        parts.append(_t("NIR %1").replace("%1", p.nir.masked()))
    return " — ".join(parts)


def prescriber_text(rx: Prescription) -> str:
    d = rx.prescriber
    text = d.display_name
    if d.specialty:
        text += f" ({d.specialty})"
    if d.rpps:
        text += " — " + _t("RPPS %1").replace("%1", d.rpps)
    return text


def validity_text(rx: Prescription) -> str:
    ends = [line.validity_end for line in rx.lines if line.validity_end]
    text = _t("Prescrite le %1").replace("%1", formatting.day(rx.authored_on))
    if ends:
        text += " — " + _t("valable jusqu'au %1").replace("%1", formatting.day(max(ends)))
    return text


def problems(dispensing: Dispensing, findings: list[Finding], today: date) -> list[str]:
    """What the pharmacist must see before anything else (French)."""
    rx = dispensing.prescription
    found: list[str] = []
    if rx.status is PrescriptionStatus.CANCELLED:
        found.append(_t("Ordonnance annulée par le prescripteur."))
    elif rx.status is PrescriptionStatus.EXPIRED:
        found.append(_t("Ordonnance expirée."))
    elif rx.status is PrescriptionStatus.COMPLETED:
        found.append(_t("Ordonnance déjà entièrement délivrée."))
    for line, state in zip(rx.lines, dispensing.lines, strict=False):
        name = line.medication.text
        if line.status in (LineStatus.CANCELLED, LineStatus.STOPPED, LineStatus.ENTERED_IN_ERROR):
            found.append(_t("« %1 » : ligne annulée.").replace("%1", name))
        elif line.status is LineStatus.COMPLETED or line.remaining_quantity == 0:
            found.append(_t("« %1 » : déjà entièrement délivrée.").replace("%1", name))
        elif line.validity_end and line.validity_end < today:
            found.append(_t("« %1 » : validité dépassée (%2).").replace("%1", name)
                         .replace("%2", formatting.day(line.validity_end)))
        if not state.proposals and not state.delivered_before and state.status is not DispenseStatus.CANCELLED:
            found.append(_t("« %1 » : introuvable dans le catalogue, choisissez le produit.").replace("%1", name))
    found.extend(notice_text(n) for n in getattr(dispensing, "notices", []))
    found.extend(finding_text(f) for f in findings if f.blocking)
    return found


class PrescriptionPanel(QWidget):
    """Named handles: ``number_label``, ``prescriber_label``, ``patient_label``, ``date_label``,
    ``problems_label``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number_label = QLabel()
        self.prescriber_label = QLabel()
        self.patient_label = QLabel()
        self.date_label = QLabel()
        self.problems_label = QLabel()
        self.problems_label.setObjectName("problems_label")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #b00020; font-weight: bold;")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Ordonnance"), self.number_label)
        form.addRow(self.tr("Prescripteur"), self.prescriber_label)
        form.addRow(self.tr("Patient"), self.patient_label)
        form.addRow(self.tr("Date"), self.date_label)
        form.addRow(self.problems_label)

    def show_dispensing(self, dispensing: Dispensing, findings: list[Finding], today: date) -> None:
        rx = dispensing.prescription
        self.number_label.setText(rx.number.grouped())
        self.prescriber_label.setText(prescriber_text(rx))
        self.patient_label.setText(patient_text(rx))
        self.date_label.setText(validity_text(rx))
        found = problems(dispensing, findings, today)
        self.problems_label.setText("\n".join(f"⚠ {p}" for p in found))
        self.problems_label.setVisible(bool(found))
