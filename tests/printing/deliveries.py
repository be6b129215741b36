"""Deliveries of the demo ordonnances on real BDPM products, billed, as the counter will record them:
each product with its speciality and pack (DeliveredItem.of), the bill with its fees (Delivery.bill)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from decimal import Decimal
from importlib.resources import files

from app.domain.billing import BillingContext, BillItem, compute_bill
from app.domain.delivery import DeliveredItem, Delivery, DispenseStatus, LineDelivery, PharmacyIdentity
from app.domain.identifiers import OrdonnanceNumber
from app.domain.prescription import Prescription
from app.eprescription import systems
from app.eprescription.fhir_read import prescription_from_bundle
from app.sandbox.loader import complete_bundle
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS
from tests.domain.bdpm import boxes_of, by_cip13, substances

DEMOS = ("demo-1-amoxicilline.json", "demo-2-levothyroxine-mte.json", "demo-3-trois-lignes.json",
         "demo-4-kardegic-cis.json")
PHARMACY = PharmacyIdentity("Pharmacie du Marché", "4 place du Marché, 69002 Lyon", "690000013", "04 78 00 00 00")
HANDED_OVER = datetime(2022, 6, 15, 10, 42)


def demo_prescription(name: str) -> Prescription:
    """A demo ordonnance as the counter reads it (numbered as the sandbox would number it)."""
    bundle = complete_bundle(json.loads(files("app.resources").joinpath("demo", name).read_text(encoding="utf-8")),
                             prescriber_rpps=DEMO_PRESCRIBER_RPPS)
    number = OrdonnanceNumber.issue(f"DEM0{DEMOS.index(name) + 1}ABCDEFGHJKMNPQ")
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "MedicationRequest":
            entry["resource"]["groupIdentifier"] = {"system": systems.NUMBER_SYSTEM, "value": number}
    return prescription_from_bundle(bundle, number)


def product_of(line) -> object:
    code = line.medication.code
    return by_cip13(code) if len(code or "") == 13 else boxes_of(code)[0]


def delivered(prescription: Prescription, *, numbers: dict[str, tuple[int, ...]] | None = None,
              remaining: dict[str, Decimal] | None = None) -> Delivery:
    """Every line handed over (one box of its product), billed on the delivery day with its fees."""
    lines, items = [], []
    for line in prescription.lines:
        product = product_of(line)
        item = DeliveredItem.of(product, 1)
        lines.append(LineDelivery(line.line_id, line.medication.text, line.posology_text, DispenseStatus.COMPLETED,
                                  (item,), remaining_quantity=(remaining or {}).get(line.line_id, Decimal(0)),
                                  ordonnancier_numbers=(numbers or {}).get(line.line_id, ())))
        items.append(BillItem.of(line.line_id, product, 1, substances=substances(product.cis),
                                 coverage=prescription.line_coverage(line.line_id)))
    bill = compute_bill(items, tiers_payant=True,
                        context=BillingContext(on=HANDED_OVER.date(), birth_date=prescription.patient.birth_date))
    return Delivery(
        delivery_id="D-" + str(prescription.number), number=prescription.number, handed_over_at=HANDED_OVER,
        pharmacy=PHARMACY, pharmacist_name="Hélène Lefèvre", pharmacist_rpps="10000000009",
        patient=prescription.patient, prescriber=prescription.prescriber,
        prescription_date=prescription.authored_date, lines=tuple(lines), invoice_number="F00000042",
        total=bill.total, amo_share=bill.amo_share, patient_share=bill.patient_share, bill=bill)


def with_line(delivery: Delivery, line_id: str, **changes) -> Delivery:
    return dataclasses.replace(delivery, lines=tuple(
        dataclasses.replace(line, **changes) if line.line_id == line_id else line for line in delivery.lines))
