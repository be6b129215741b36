"""Domain posology → FHIR R4 ``Dosage`` (the inverse of :mod:`app.eprescription.dosage`).

What the domain keeps as words only is written back as words: ``route``, ``site``, the
``asNeeded`` reason and the additional instructions become CodeableConcepts with only ``text``
(their codings, e.g. the EDQM route code, are not in the domain). A ``rateRatio`` was read into
one Quantity whose unit says "per ..." and is written as ``rateQuantity``. ``Timing.code``,
``Timing.event`` and ``repeat.boundsPeriod`` have no place in the domain :class:`Timing` (a
``boundsPeriod`` survives only as the line's duration, written as ``expectedSupplyDuration``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.prescription import Dosage, Duration, Quantity, Timing
from app.eprescription import systems


def json_number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: an int when whole, else the float whose shortest text is the
    same decimal (FHIR decimals this side of 15 significant digits, which posology never exceeds)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def quantity_json(q: Quantity) -> dict[str, Any]:
    out: dict[str, Any] = {"value": json_number(q.value)}
    if q.unit:
        out["unit"] = q.unit
    if q.system:
        out["system"] = q.system
    if q.code:
        out["code"] = q.code
    return out


def duration_json(d: Duration) -> dict[str, Any]:
    """A UCUM Duration; ``unit`` in French words ("jours"), ``code`` the UCUM code ("d")."""
    words = str(d).split(" ", 1)
    return {"value": json_number(d.value), "unit": words[1] if len(words) > 1 else d.unit,
            "system": systems.UCUM, "code": d.unit}


def text_concept(text: str) -> dict[str, str]:
    return {"text": text}


def timing_json(t: Timing) -> dict[str, Any] | None:
    repeat: dict[str, Any] = {}
    if t.bounds_duration is not None:
        repeat["boundsDuration"] = duration_json(t.bounds_duration)
    if t.count is not None:
        repeat["count"] = t.count
    if t.frequency is not None:
        repeat["frequency"] = t.frequency
    if t.frequency_max is not None:
        repeat["frequencyMax"] = t.frequency_max
    if t.period is not None:
        repeat["period"] = json_number(t.period)
    if t.period_max is not None:
        repeat["periodMax"] = json_number(t.period_max)
    if t.period_unit:
        repeat["periodUnit"] = t.period_unit
    if t.day_of_week:
        repeat["dayOfWeek"] = list(t.day_of_week)
    if t.time_of_day:
        repeat["timeOfDay"] = list(t.time_of_day)
    if t.when:
        repeat["when"] = list(t.when)
    return {"repeat": repeat} if repeat else None


def _dose_and_rate(d: Dosage) -> list[dict[str, Any]]:
    """``dose[x]`` is a choice: a dose and a range go in two entries; the rate joins the first."""
    entries: list[dict[str, Any]] = []
    if d.dose is not None:
        entries.append({"doseQuantity": quantity_json(d.dose)})
    if d.dose_low is not None or d.dose_high is not None:
        rng = {}
        if d.dose_low is not None:
            rng["low"] = quantity_json(d.dose_low)
        if d.dose_high is not None:
            rng["high"] = quantity_json(d.dose_high)
        entries.append({"doseRange": rng})
    if d.rate is not None:
        if entries:
            entries[0]["rateQuantity"] = quantity_json(d.rate)
        else:
            entries.append({"rateQuantity": quantity_json(d.rate)})
    return entries


def dosage_json(d: Dosage) -> dict[str, Any]:
    """One FHIR Dosage, elements in the order of the R4 definition."""
    out: dict[str, Any] = {}
    if d.sequence is not None:
        out["sequence"] = d.sequence
    if d.text:
        out["text"] = d.text
    if d.additional_instructions:
        out["additionalInstruction"] = [text_concept(i) for i in d.additional_instructions]
    timing = timing_json(d.timing)
    if timing is not None:
        out["timing"] = timing
    if d.as_needed_text:
        out["asNeededCodeableConcept"] = text_concept(d.as_needed_text)
    elif d.as_needed:
        out["asNeededBoolean"] = True
    if d.site:
        out["site"] = text_concept(d.site)
    if d.route:
        out["route"] = text_concept(d.route)
    entries = _dose_and_rate(d)
    if entries:
        out["doseAndRate"] = entries
    if d.max_dose_per_period is not None:
        num, den = d.max_dose_per_period
        out["maxDosePerPeriod"] = {"numerator": quantity_json(num), "denominator": quantity_json(den)}
    if d.max_dose_per_administration is not None:
        out["maxDosePerAdministration"] = quantity_json(d.max_dose_per_administration)
    return out
