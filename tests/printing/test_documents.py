"""Every mention French practice requires is printed, on both layouts, and reads back from the PDF."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from io import BytesIO

import numpy as np
import pytest
import zxingcpp

from app.config import PrinterSettings
from app.domain.delivery import Adjustment, DeliveredItem, LineDelivery, PharmacyIdentity
from app.domain.identifiers import Cip13
from app.domain.prescription import (
    Duration,
    MedicationKind,
    MedicationRef,
    NonSubstitutionReason,
    Prescription,
    PrescriptionLine,
    Quantity,
)
from app.printing import render_delivery_notes, render_patient_copy
from app.printing.specimen import specimen_delivery
from app.printing.text import printable
from tests.printing.pdfcheck import page_images, pdf_text

PHARMACY = PharmacyIdentity("Pharmacie de l’Œil d’Or", "12 rue d’Alésia, 75014 Paris", "750000010", "01 45 67 89 10")


def annotated_delivery():
    """The specimen (substitution, adjustment, declined line, renewal) with ordonnancier numbers and
    the characters French text needs: « » ’ œ €."""
    base = specimen_delivery(5, pharmacy=PHARMACY)
    numbers = {"L1": (101,), "L2": (102,), "L4": (103,), "L5": (104, 105)}
    lines = []
    for line in base.lines:
        line = dataclasses.replace(line, ordonnancier_numbers=numbers.get(line.line_id, ()))
        if line.line_id == "L2":
            line = dataclasses.replace(line, adjustment=Adjustment(
                "CONDIT", "conditionnement adapté", "téléphone", date(2026, 11, 25),
                "« sœur du patient » prévenue ; reste dû 3,50 €"))
        if line.line_id == "L5":
            line = dataclasses.replace(line, items=line.items + (
                DeliveredItem(Cip13.from_cip7("3000006"), "ŒSTROGEL 0,06 %, gel, tube de 80 g", 1),))
        lines.append(line)
    return dataclasses.replace(base, lines=tuple(lines))


def _render(fn, *args) -> bytes:
    buffer = BytesIO()
    fn(*args, buffer)
    return buffer.getvalue()


REQUIRED = (
    # pharmacy stamp
    "Pharmacie de l’Œil d’Or", "12 rue d’Alésia, 75014 Paris", "FINESS : 750000010", "Tél. : 01 45 67 89 10",
    # date, pharmacist
    "26/11/2026", "Pharmacien : Hélène Lefèvre",
    # delivered products with CIP13 and quantity
    "PARACÉTAMOL BIOGARAN 1 g, comprimé, boîte de 8", "CIP13 3400930000014 — Qté : 2 boîtes",
    "CIP13 3400930000045 — Qté : 3 boîtes",
    # substitution
    "Substitution : PARACÉTAMOL BIOGARAN 1 g, comprimé, boîte de 8 délivré pour DOLIPRANE 1000 mg, comprimé",
    # adjustment with reason and agreement
    "Adaptation : conditionnement adapté — « sœur du patient » prévenue ; reste dû 3,50 €",
    "Accord du prescripteur : téléphone le 25/11/2026",
    # declined line
    "TRAMADOL 50 mg, gélule", "Non délivré — motif : refus du patient « déjà en stock à domicile »",
    # remaining and renewals
    "Renouvellement n° 2", "Reste à délivrer : 2 boîtes", "Renouvellement(s) restant(s) : 1",
    # ordonnancier numbers
    "Ordonnancier n° 101", "Ordonnancier n°s 104, 105",
    # several boxes of different products on one line
    "ŒSTROGEL 0,06 %, gel, tube de 80 g — CIP13 3400930000069 — Qté : 1 boîte",
)


@pytest.mark.parametrize("paper", ["A5", "A4"])
def test_mentions_carry_every_required_mention(paper):
    printer = PrinterSettings(paper=paper)
    text = pdf_text(_render(render_delivery_notes, annotated_delivery(), printer))
    for mention in REQUIRED:
        assert mention in text, mention
    assert "SPEC 1MEN AB2C 3D4E 5F6A" in text


def _prescription(delivery) -> Prescription:
    lines = tuple(
        PrescriptionLine(line_id=ln.line_id, medication=MedicationRef(MedicationKind.TEXT, ln.prescribed),
                         posology_text=ln.posology, quantity=Quantity(Decimal(2), "boîte"), renewals=2,
                         duration=Duration(Decimal(30), "d"), substitution_allowed=ln.line_id != "L4",
                         non_substitution_reason=NonSubstitutionReason.MTE if ln.line_id == "L4" else None)
        for ln in delivery.lines)
    return Prescription(number=delivery.number, authored_on=delivery.handed_over_at,
                        patient=delivery.patient, prescriber=delivery.prescriber, lines=lines)


def test_patient_copy_sets_prescription_beside_delivery_with_every_mention():
    delivery = annotated_delivery()
    data = _render(render_patient_copy, delivery, _prescription(delivery))
    text = pdf_text(data)
    for mention in REQUIRED:
        assert mention in text, mention
    for expected in ("Patient : DUPRÉ-LŒWENTHAL Zoé, né(e) le 09/03/1984", "Dr Françoise MARTIN",
                     "Ordonnance du 20/11/2026", "À renouveler 2 fois", "Durée : 30 jours", "Quantité : 2 boîtes",
                     "Non substituable (MTE : médicament à marge thérapeutique étroite)",
                     "PARACETAMOL 1 g, comprimé", "1 comprimé 3 fois par jour", "Prescription", "Délivrance"):
        assert expected in text, expected


def test_patient_copy_without_prescription_uses_the_delivery_record():
    delivery = annotated_delivery()
    text = pdf_text(_render(render_patient_copy, delivery, None))
    assert "1. PARACETAMOL 1 g, comprimé" in text
    assert "Substitution : PARACÉTAMOL BIOGARAN" in text


def test_patient_copy_qr_code_reads_back_the_ordonnance_number():
    delivery = annotated_delivery()
    image = page_images(_render(render_patient_copy, delivery, None), scale=3)[0]
    found = zxingcpp.read_barcodes(np.ascontiguousarray(image))
    assert [r.text for r in found if r.format == zxingcpp.BarcodeFormat.QRCode] == [str(delivery.number)]


def test_long_copy_continues_on_a_next_page_with_the_header_repeated():
    delivery = specimen_delivery(40)
    data = _render(render_patient_copy, delivery, None)
    text = pdf_text(data)
    assert text.count("Prescription Délivrance") >= 2  # header row repeated
    assert "40. ŒSTRODOSE" in text and "page 2" in text


def test_printable_keeps_french_and_replaces_what_the_fonts_lack():
    assert printable("« Œuvre » l’été — 3,50 € … ×2") == "« Œuvre » l’été — 3,50 € … ×2"
    assert printable("posologie\u202f: ≥ 2 µg, 5 μg → x") == "posologie\u00a0: >= 2 µg, 5 µg -> x"
    assert printable("Łódź ą α") == "Lódz a ?"


def test_undelivered_completed_line_and_missing_agreement_are_said():
    base = specimen_delivery(1)
    line = LineDelivery("L1", "VENTOLINE 100 µg", "si besoin", base.lines[0].status,
                        adjustment=Adjustment("RUPT", "rupture de stock"))
    text = pdf_text(_render(render_delivery_notes, dataclasses.replace(base, lines=(line,)), PrinterSettings()))
    assert "Non délivré — motif : rien à remettre" in text
    assert "Sans accord du prescripteur" in text
