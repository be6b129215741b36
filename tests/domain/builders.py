"""Small builders of domain objects for the domain and workflow tests."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from app.domain.catalogue import Condition, GenericRole, Presentation
from app.domain.identifiers import Cip13, OrdonnanceNumber
from app.domain.prescription import (
    Dosage,
    Duration,
    MedicationKind,
    MedicationRef,
    Patient,
    Prescriber,
    Prescription,
    PrescriptionLine,
    Quantity,
    Timing,
)


def cip(n: int) -> str:
    """A valid CIP13 from a small number."""
    return Cip13.from_cip7(f"{n:07d}")


def presentation(n: int, *, cis: str = "60000001", name: str = "PRODUIT", pack: int = 30,
                 price: str | None = "2.50", rate: int | None = 65, group: str | None = None,
                 role: GenericRole | None = None, flags: frozenset[Condition] = frozenset()) -> Presentation:
    return Presentation(cip13=cip(n), cip7=f"{n:07d}", cis=cis, name=name,
                        label=f"plaquette(s) de {pack} comprimé(s)", pack_quantity=Decimal(pack),
                        pack_unit="comprimé", price=Decimal(price) if price else None, rate=rate,
                        form="comprimé", flags=flags, generic_group_id=group, generic_role=role)


def daily_line(line_id: str, text: str, *, per_day: int = 1, days: int = 30, kind=MedicationKind.CIS,
               code: str | None = "60000001", **kw) -> PrescriptionLine:
    dosage = Dosage(dose=Quantity(Decimal(1), "comprimé"),
                    timing=Timing(frequency=per_day, period=Decimal(1), period_unit="d"))
    return PrescriptionLine(line_id=line_id, medication=MedicationRef(kind, text, code),
                            posology_text=f"{per_day} comprimé(s) par jour pendant {days} jours",
                            dosages=(dosage,), duration=Duration(Decimal(days), "d"), **kw)


NUMBER = OrdonnanceNumber.issue("0123456789ABCDEFGHJ")


def prescription(*lines: PrescriptionLine, authored: date = date(2026, 11, 20),
                 number: str = NUMBER) -> Prescription:
    return Prescription(number=OrdonnanceNumber(number),
                        authored_on=datetime(authored.year, authored.month, authored.day, 9, 30),
                        patient=Patient("MARTIN", "Claire", date(1980, 5, 4)),
                        prescriber=Prescriber("DURAND", "Paul", rpps="10000000009"), lines=tuple(lines))
