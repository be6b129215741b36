"""FHIR R4 ``Dosage`` → domain :class:`~app.domain.prescription.Dosage` (posology as structured data).

Tolerant by design: a field of the wrong shape is ignored (the rendered text still tells the
pharmacist), while the fetch as a whole fails only when the Bundle itself is unusable.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.prescription import Dosage, Duration, Quantity, Timing, time_unit


def decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def quantity(data: Any) -> Quantity | None:
    if not isinstance(data, dict):
        return None
    value = decimal(data.get("value"))
    if value is None:
        return None
    unit = data.get("unit") or data.get("code") or ""
    return Quantity(value, str(unit), data.get("system"), data.get("code"))


def duration(data: Any) -> Duration | None:
    if not isinstance(data, dict):
        return None
    value = decimal(data.get("value"))
    unit = time_unit(data.get("code"), data.get("unit"))
    return Duration(value, unit) if value is not None and unit else None


def concept_text(data: Any) -> str | None:
    """The words of a CodeableConcept: its text, else its first coding's display or code."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("text"), str) and data["text"].strip():
        return data["text"].strip()
    for coding in data.get("coding") or []:
        if isinstance(coding, dict):
            for key in ("display", "code"):
                if isinstance(coding.get(key), str) and coding[key].strip():
                    return coding[key].strip()
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(v for v in values if isinstance(v, str)) if isinstance(values, list) else ()


def timing(data: Any) -> Timing:
    repeat = data.get("repeat") if isinstance(data, dict) else None
    if not isinstance(repeat, dict):
        return Timing()
    return Timing(
        frequency=_int(repeat.get("frequency")),
        frequency_max=_int(repeat.get("frequencyMax")),
        period=decimal(repeat.get("period")),
        period_max=decimal(repeat.get("periodMax")),
        period_unit=time_unit(repeat.get("periodUnit")),
        day_of_week=_strings(repeat.get("dayOfWeek")),
        when=_strings(repeat.get("when")),
        time_of_day=_strings(repeat.get("timeOfDay")),
        bounds_duration=duration(repeat.get("boundsDuration")),
        count=_int(repeat.get("count")),
    )


def _rate(entry: dict[str, Any]) -> Quantity | None:
    if "rateQuantity" in entry:
        return quantity(entry["rateQuantity"])
    ratio = entry.get("rateRatio")
    if isinstance(ratio, dict):
        num, den = quantity(ratio.get("numerator")), quantity(ratio.get("denominator"))
        if num is not None and den is not None:
            per = den.unit if den.value == 1 else f"{den.value.normalize():f} {den.unit}"
            return Quantity(num.value, f"{num.unit}/{per}".strip(), None, None)
    return None


def dosage(data: dict[str, Any]) -> Dosage:
    dose = dose_low = dose_high = rate = None
    for entry in data.get("doseAndRate") or []:
        if not isinstance(entry, dict):
            continue
        dose = dose or quantity(entry.get("doseQuantity"))
        rng = entry.get("doseRange")
        if isinstance(rng, dict):
            dose_low = dose_low or quantity(rng.get("low"))
            dose_high = dose_high or quantity(rng.get("high"))
        rate = rate or _rate(entry)
    max_period = None
    ratio = data.get("maxDosePerPeriod")
    if isinstance(ratio, dict):
        num, den = quantity(ratio.get("numerator")), quantity(ratio.get("denominator"))
        if num is not None and den is not None:
            max_period = (num, den)
    as_needed = data.get("asNeededBoolean") is True or isinstance(data.get("asNeededCodeableConcept"), dict)
    return Dosage(
        text=data.get("text") if isinstance(data.get("text"), str) else None,
        sequence=_int(data.get("sequence")),
        dose=dose,
        dose_low=dose_low,
        dose_high=dose_high,
        timing=timing(data.get("timing")),
        as_needed=as_needed,
        as_needed_text=concept_text(data.get("asNeededCodeableConcept")),
        route=concept_text(data.get("route")),
        site=concept_text(data.get("site")),
        additional_instructions=tuple(t for t in (concept_text(c) for c in data.get("additionalInstruction") or [])
                                      if t),
        max_dose_per_period=max_period,
        max_dose_per_administration=quantity(data.get("maxDosePerAdministration")),
        rate=rate,
    )


def fhir_datetime(value: datetime) -> str:
    """``value`` as a FHIR dateTime, always with its offset: FHIR requires a time zone as soon as a
    time is given (fhir.resources refuses one without). A naive value is taken as the workstation's
    local time (what ``datetime.now()`` gives) and gets the local offset."""
    return (value if value.tzinfo is not None else value.astimezone()).isoformat()


def parse_datetime(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        if "T" in text:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            value = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
