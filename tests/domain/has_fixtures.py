"""The HAS example prescriptions of /work/shared as domain lines, built by hand from their JSON.

A test helper only: it reads the parts of FHIR the quantity computation needs (dosageInstruction,
dispenseRequest) so that the domain tests do not depend on the service client's mapping; when
``app.eprescription`` provides the mapping, :func:`lines` uses it instead.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from app.domain.prescription import (
    Dosage,
    Duration,
    MedicationKind,
    MedicationRef,
    PrescriptionLine,
    Quantity,
    Timing,
    time_unit,
)

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "has-eprescription"


def _q(data: dict | None) -> Quantity | None:
    if not data or "value" not in data:
        return None
    return Quantity(Decimal(str(data["value"])), data.get("unit", ""), data.get("system"), data.get("code"))


def _bounds(repeat: dict) -> Duration | None:
    if "boundsDuration" in repeat:
        b = repeat["boundsDuration"]
        return Duration(Decimal(str(b["value"])), time_unit(b.get("code"), b.get("unit")) or "d")
    if "boundsPeriod" in repeat and "end" in repeat["boundsPeriod"]:
        start = datetime.fromisoformat(repeat["boundsPeriod"]["start"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(repeat["boundsPeriod"]["end"].replace("Z", "+00:00"))
        seconds = Decimal(int((end - start).total_seconds()))
        return Duration((seconds / 86400).quantize(Decimal(1)), "d")
    return None


def _dosage(d: dict) -> Dosage:
    repeat = d.get("timing", {}).get("repeat", {})
    timing = Timing(
        frequency=repeat.get("frequency"), frequency_max=repeat.get("frequencyMax"),
        period=Decimal(str(repeat["period"])) if "period" in repeat else None,
        period_unit=repeat.get("periodUnit"), day_of_week=tuple(repeat.get("dayOfWeek", ())),
        when=tuple(repeat.get("when", ())), time_of_day=tuple(repeat.get("timeOfDay", ())),
        bounds_duration=_bounds(repeat),
    )
    dose = low = high = rate = None
    for dr in d.get("doseAndRate", ()):
        dose = _q(dr.get("doseQuantity")) or dose
        if "doseRange" in dr:
            low, high = _q(dr["doseRange"].get("low")), _q(dr["doseRange"].get("high"))
        if "rateRatio" in dr:
            rate = _q(dr["rateRatio"]["numerator"])
    per_period = None
    if "maxDosePerPeriod" in d:
        per_period = (_q(d["maxDosePerPeriod"]["numerator"]), _q(d["maxDosePerPeriod"]["denominator"]))
    return Dosage(
        text=d.get("text"), sequence=d.get("sequence"), dose=dose, dose_low=low, dose_high=high,
        timing=timing, as_needed=bool(d.get("asNeededBoolean") or d.get("asNeededCodeableConcept")),
        max_dose_per_period=per_period, max_dose_per_administration=_q(d.get("maxDosePerAdministration")),
        rate=rate,
    )


def _medication(request: dict, resources: dict[str, dict]) -> MedicationRef:
    if "medicationCodeableConcept" in request:
        coding = request["medicationCodeableConcept"]["coding"][0]
        kind = MedicationKind.UCD if coding["system"].endswith("/UCD") else (
            MedicationKind.SUBSTANCE if coding["system"].endswith("codeSMS") else MedicationKind.TEXT)
        return MedicationRef(kind, coding.get("display", ""), coding.get("code"))
    med = resources[request["medicationReference"]["reference"].lstrip("#")]
    code = med.get("code", {})
    coding = (code.get("coding") or [{}])[0]
    kind = MedicationKind.COMPOUND if len(med.get("ingredient", ())) > 1 else MedicationKind.SUBSTANCE
    return MedicationRef(kind, code.get("text") or coding.get("display", ""), coding.get("code"))


def lines(name: str) -> list[PrescriptionLine]:
    """The MedicationRequests of one fixture file as domain lines."""
    bundle = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    resources = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    result = []
    for r in resources.values():
        if r["resourceType"] != "MedicationRequest":
            continue
        dispense = r.get("dispenseRequest", {})
        duration = None
        if "expectedSupplyDuration" in dispense:
            e = dispense["expectedSupplyDuration"]
            duration = Duration(Decimal(str(e["value"])), time_unit(e.get("code"), e.get("unit")) or "d")
        result.append(PrescriptionLine(
            line_id=r["id"], medication=_medication(r, resources),
            posology_text=" ".join(n["text"] for n in r.get("note", ())),
            dosages=tuple(_dosage(d) for d in r.get("dosageInstruction", ())), duration=duration,
            quantity=_q(dispense.get("quantity")),
            renewals=dispense.get("numberOfRepeatsAllowed", 0),
        ))
    return result
