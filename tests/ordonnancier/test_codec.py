"""A delivery and its prescription survive the archive's JSON text unchanged."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.domain.delivery import ScannedBox
from app.domain.delivery_codec import (
    ArchiveUnreadable,
    delivery_from_json,
    delivery_to_json,
    prescription_from_json,
    prescription_to_json,
)
from app.domain.identifiers import Nir, OrdonnanceNumber
from app.domain.prescription import (
    Dosage,
    Duration,
    MedicationKind,
    MedicationRef,
    NonSubstitutionReason,
    Prescription,
    PrescriptionLine,
    Quantity,
    Timing,
)
from app.printing.specimen import specimen_delivery


def test_delivery_round_trip_with_every_kind_of_field():
    base = specimen_delivery(5)
    item = dataclasses.replace(base.lines[0].items[0], boxes=(
        ScannedBox("3400930000014", "LOT42", date(2028, 1, 31), "SN-ÀÉ"),))
    first = dataclasses.replace(base.lines[0], items=(item,), ordonnancier_numbers=(7, 8))
    delivery = dataclasses.replace(
        base, lines=(first, *base.lines[1:]), handed_over_at=datetime(2026, 11, 26, 9, 5, tzinfo=UTC),
        patient=dataclasses.replace(base.patient, nir=Nir.parse("184037512345690")),
        invoice_number="F-1", total=Decimal("12.34"), amo_share=Decimal("8.02"), patient_share=Decimal("4.32"))
    text = delivery_to_json(delivery)
    back = delivery_from_json(text)
    assert back == delivery
    assert isinstance(back.number, OrdonnanceNumber) and back.lines[0].remaining_quantity == Decimal(0)
    assert "Lœwenthal" in text  # readable text, not escaped


def test_prescription_round_trip():
    line = PrescriptionLine(
        "L1", MedicationRef(MedicationKind.CIS, "LEVOTHYROX 75 µg", code="60000000"), "1 le matin",
        dosages=(Dosage(dose=Quantity(Decimal(1), "comprimé"), timing=Timing(frequency=1, period=Decimal(1),
                                                                              period_unit="d")),),
        duration=Duration(Decimal(3), "mo"), renewals=2, substitution_allowed=False,
        non_substitution_reason=NonSubstitutionReason.MTE)
    base = specimen_delivery(1)
    prescription = Prescription(base.number, datetime(2026, 11, 20, 8, 0), base.patient, base.prescriber,
                                (line,), notes=("à jeun",))
    assert prescription_from_json(prescription_to_json(prescription)) == prescription


@pytest.mark.parametrize("text", ["{", '{"format": 1, "kind": "prescription", "data": {}}',
                                  '{"format": 99, "kind": "delivery", "data": {}}',
                                  '{"format": 1, "kind": "delivery", "data": {"number": "X"}}'])
def test_unreadable_text_is_a_french_error(text):
    with pytest.raises(ArchiveUnreadable, match="Délivrance archivée illisible"):
        delivery_from_json(text)
