"""A specimen delivery: printed on the calibration page so the pharmacist sees where real text lands,
and used by the printing benchmark. It exercises every mention: a substitution, an adjustment with
the prescriber's agreement, a declined line, a renewal, several boxes and a long product name.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from app.domain.delivery import (
    Adjustment,
    AdjustmentKind,
    DeliveredItem,
    Delivery,
    DispenseStatus,
    LineDelivery,
    PharmacyIdentity,
    Substitution,
)
from app.domain.identifiers import Cip13, OrdonnanceNumber
from app.domain.prescription import Patient, Prescriber

SPECIMEN_NUMBER = OrdonnanceNumber.issue("SPEC1MENAB2C3D4E5F6")


def specimen_delivery(lines: int = 5, pharmacy: PharmacyIdentity | None = None) -> Delivery:
    """A delivery of ``lines`` lines (1 to 5 distinct cases, repeated beyond) on a specimen ordonnance."""
    cases = (
        LineDelivery(
            line_id="L1", prescribed="PARACETAMOL 1 g, comprimé", posology="1 comprimé 3 fois par jour",
            status=DispenseStatus.COMPLETED,
            items=(DeliveredItem(Cip13.from_cip7("3000001"), "PARACÉTAMOL BIOGARAN 1 g, comprimé, boîte de 8",
                                 2, Decimal("1.16"), 65),),
            substitution=Substitution("G", "FP", "DOLIPRANE 1000 mg, comprimé"),
            remaining_quantity=Decimal(0), remaining_renewals=2, renewal_index=1),
        LineDelivery(
            line_id="L2", prescribed="AMOXICILLINE 1 g, comprimé dispersible", posology="2 par jour, 6 jours",
            status=DispenseStatus.COMPLETED,
            items=(DeliveredItem(Cip13.from_cip7("3000002"), "AMOXICILLINE ARROW 1 g, comprimé dispersible, "
                                 "plaquette(s) thermoformée(s) PVC-aluminium de 14 comprimé(s)", 1),),
            adjustments=(Adjustment("CONDIT", "conditionnement adapté à la durée du traitement",
                                    "téléphone", date(2026, 11, 25), "boîte de 14 au lieu de 2 × 6",
                                    AdjustmentKind.QUANTITY, "1 boîte(s) au lieu de 2", time(9, 30)),),
            remaining_quantity=Decimal(0), remaining_renewals=0),
        LineDelivery(
            line_id="L3", prescribed="TRAMADOL 50 mg, gélule", posology="1 gélule si douleur, max 4 par jour",
            status=DispenseStatus.DECLINED, decline_reason="refus du patient « déjà en stock à domicile »",
            remaining_quantity=Decimal(1), remaining_renewals=0),
        LineDelivery(
            line_id="L4", prescribed="LEVOTHYROX 75 µg, comprimé sécable", posology="1 le matin à jeun",
            status=DispenseStatus.COMPLETED,
            items=(DeliveredItem(Cip13.from_cip7("3000004"), "LEVOTHYROX 75 µg, comprimé sécable, boîte de 30",
                                 3, Decimal("3.02"), 65),),
            renewal_index=2, remaining_quantity=Decimal(0), remaining_renewals=1),
        LineDelivery(
            line_id="L5", prescribed="ŒSTRODOSE 0,06 %, gel", posology="2 pressions par jour",
            status=DispenseStatus.COMPLETED,
            items=(DeliveredItem(Cip13.from_cip7("3000005"), "ŒSTRODOSE 0,06 %, gel, flacon pompe de 80 g", 1),),
            overrides=("interaction signalée — avis du prescripteur déjà connu",),
            remaining_quantity=Decimal(2), remaining_renewals=0),
    )
    chosen = tuple(
        LineDelivery(**{**cases[i % len(cases)].__dict__, "line_id": f"L{i + 1}"}) for i in range(lines)
    )
    return Delivery(
        delivery_id="SPECIMEN-0001",
        number=SPECIMEN_NUMBER,
        handed_over_at=datetime(2026, 11, 26, 10, 42),
        pharmacy=pharmacy or PharmacyIdentity("Pharmacie du Comptoir", "1 place de la Mairie, 75001 Paris",
                                              "750000010", "01 23 45 67 89"),
        pharmacist_name="Hélène Lefèvre",
        pharmacist_rpps="10000000009",
        patient=Patient("Dupré-Lœwenthal", "Zoé", date(1984, 3, 9),
                        address="9 impasse des Œillets, 13001 Marseille"),
        prescriber=Prescriber("Martin", "Françoise", "10003456789", "médecine générale",
                              "3 rue des Écoles, 75005 Paris"),
        prescription_date=date(2026, 11, 20),
        lines=chosen,
    )
