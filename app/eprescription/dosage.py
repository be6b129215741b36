"""FHIR R4 ``Dosage`` → domain :class:`~app.domain.prescription.Dosage` (posology as structured data).

Every element is read through :class:`~app.eprescription.fhir_json.Node`: one of the wrong JSON
type is a :class:`MalformedResponse` naming it (a dose silently dropped would change the posology
the pharmacist reads); one of the right type that is not understood (an unknown unit) is left out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain.prescription import Dosage, Duration, Quantity, Timing, time_unit
from app.eprescription.fhir_json import Node, parse_datetime

__all__ = ["concept_text", "dosage", "duration", "fhir_datetime", "parse_datetime", "quantity", "timing"]


def quantity(data: Any) -> Quantity | None:
    """A Quantity (or SimpleQuantity, Duration ...) with a value; None when it has none."""
    node = Node.of(data, "Quantity")
    value = node.get("value").number()
    if value is None:
        return None
    code = node.get("code").string()
    unit = node.get("unit").string() or code or ""
    return Quantity(value, unit, node.get("system").string(), code)


def duration(data: Any) -> Duration | None:
    node = Node.of(data, "Duration")
    value = node.get("value").number()
    unit = time_unit(node.get("code").string(), node.get("unit").string())
    return Duration(value, unit) if value is not None and unit else None


def concept_text(data: Any) -> str | None:
    """The words of a CodeableConcept: its text, else its first coding's display or code."""
    node = Node.of(data, "CodeableConcept")
    text = node.get("text").text()
    if text:
        return text
    for coding in node.get("coding").objects():
        for key in ("display", "code"):
            words = coding.get(key).text()
            if words:
                return words
    return None


def timing(data: Any) -> Timing:
    repeat = Node.of(data, "Timing").get("repeat")
    if repeat.absent:
        return Timing()
    return Timing(
        frequency=repeat.get("frequency").integer(),
        frequency_max=repeat.get("frequencyMax").integer(),
        period=repeat.get("period").number(),
        period_max=repeat.get("periodMax").number(),
        period_unit=time_unit(repeat.get("periodUnit").string()),
        day_of_week=repeat.get("dayOfWeek").strings(),
        when=repeat.get("when").strings(),
        time_of_day=repeat.get("timeOfDay").strings(),
        bounds_duration=duration(repeat.get("boundsDuration")),
        count=repeat.get("count").integer(),
    )


def _ratio(node: Node) -> tuple[Quantity, Quantity] | None:
    num, den = quantity(node.get("numerator")), quantity(node.get("denominator"))
    return (num, den) if num is not None and den is not None else None


def _rate(entry: Node) -> Quantity | None:
    if entry.has("rateQuantity"):
        return quantity(entry.get("rateQuantity"))
    ratio = _ratio(entry.get("rateRatio"))
    if ratio is None:
        return None
    num, den = ratio
    per = den.unit if den.value == 1 else f"{den.value.normalize():f} {den.unit}"
    return Quantity(num.value, f"{num.unit}/{per}".strip(), None, None)


def dosage(data: Any) -> Dosage:
    node = Node.of(data, "Dosage")
    dose = dose_low = dose_high = rate = None
    for entry in node.get("doseAndRate").objects():
        dose = dose or quantity(entry.get("doseQuantity"))
        dose_range = entry.get("doseRange")
        dose_low = dose_low or quantity(dose_range.get("low"))
        dose_high = dose_high or quantity(dose_range.get("high"))
        rate = rate or _rate(entry)
    as_needed_concept = node.get("asNeededCodeableConcept")
    as_needed_concept.mapping()
    return Dosage(
        text=node.get("text").string(),
        sequence=node.get("sequence").integer(),
        dose=dose,
        dose_low=dose_low,
        dose_high=dose_high,
        timing=timing(node.get("timing")),
        as_needed=node.get("asNeededBoolean").boolean() is True or not as_needed_concept.absent,
        as_needed_text=concept_text(as_needed_concept),
        route=concept_text(node.get("route")),
        site=concept_text(node.get("site")),
        additional_instructions=tuple(t for t in (concept_text(c) for c in node.get("additionalInstruction").items())
                                      if t),
        max_dose_per_period=_ratio(node.get("maxDosePerPeriod")),
        max_dose_per_administration=quantity(node.get("maxDosePerAdministration")),
        rate=rate,
    )


def fhir_datetime(value: datetime) -> str:
    """``value`` as a FHIR dateTime, always with its offset: FHIR requires a time zone as soon as a
    time is given (fhir.resources refuses one without). A naive value is taken as the workstation's
    local time (what ``datetime.now()`` gives) and gets the local offset."""
    return (value if value.tzinfo is not None else value.astimezone()).isoformat()
