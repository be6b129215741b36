"""How long a prescription line can be dispensed, and when its next delivery is due.

- **First delivery** of a liste I / liste II medicine: on an ordonnance less than three months old
  (art. R.5132-22 CSP, 1st paragraph). A classed stupéfiant is executed in full only within three days
  of its date, then for the days that remain (art. R.5132-33). Other medicines have no legal limit:
  the line runs to the end of its treatment.
- **Renewals** run until the end of the prescribed treatment — its duration × (1 + renewals written)
  — and never beyond twelve months from the date (art. R.5132-21): "dans tous les cas, le ou les
  renouvellements ne peuvent être exécutés que dans la limite du délai de traitement mentionné à
  l'article R. 5132-21" (R.5132-22). So a "3 mois, à renouveler 3 fois" line stays dispensable for
  twelve months, not three.
- A **liste I** line is renewed only when the prescriber wrote the number of renewals or a treatment
  longer than one delivery; a **liste II** line may be renewed unless the prescriber forbade it
  (R.5132-22, 3rd and 4th paragraphs); a **stupéfiant** is never renewed (its prescription is limited to
  28 days or less, art. R.5132-30, whence no renewal — meddispar).
- The **next delivery** is due when the previous one runs out: "le renouvellement de la délivrance …
  ne peut avoir lieu qu'après un délai déterminé résultant de la posologie et des quantités
  précédemment délivrées" (art. R.5132-14). The law sets no tolerance; Comptoir warns when a delivery
  comes more than :data:`EARLY_TOLERANCE_DAYS` days before the previous boxes run out — a patient
  collects his monthly box a few days ahead, not a week or more.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from app.domain.conditions import ProductConditions
from app.domain.prescription import PrescriptionLine

EARLY_TOLERANCE_DAYS = 5
FIRST_DELIVERY_MONTHS = 3  # R.5132-22
MAX_TREATMENT_MONTHS = 12  # R.5132-21
NARCOTIC_PRESENTATION_DAYS = 3  # R.5132-33


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when it does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_days(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def fr_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def prescribed_days(line: PrescriptionLine) -> Decimal | None:
    """The whole treatment prescribed, renewals included (duration × (1 + renewals)), in days."""
    days = line.treatment_days()
    return None if days is None else days * (1 + max(line.renewals, 0))


def _written_months(line: PrescriptionLine) -> int | None:
    """The line's duration in whole calendar months when the prescriber wrote it in months or years
    ("1 mois", "3 mois", "1 an"), else None."""
    duration = line.duration
    if duration is None or duration.unit not in ("mo", "a"):
        return None
    months = duration.value * (12 if duration.unit == "a" else 1)
    return int(months) if months == months.to_integral_value() and months > 0 else None


def treatment_end(prescribed_on: date, line: PrescriptionLine) -> date:
    """The last day the line may be dispensed: the end of the prescribed treatment, twelve months at
    most (R.5132-21); twelve months when the line states no duration.

    A treatment written in months ends on the calendar: "1 mois, à renouveler 11 fois" from 15 January
    runs to 14 January of the next year — the twelve months of R.5132-21 — not 12 × 30 = 360 days, which
    would close the last renewal five days early. The day before the same date is the last day.
    """
    limit = add_months(prescribed_on, MAX_TREATMENT_MONTHS) - timedelta(days=1)
    months = _written_months(line)
    if months is not None:
        written = add_months(prescribed_on, months * (1 + max(line.renewals, 0))) - timedelta(days=1)
        return min(limit, written)
    days = prescribed_days(line)
    if days is None:
        return limit
    return min(limit, prescribed_on + timedelta(days=max(whole_days(days) - 1, 0)))


@dataclass(frozen=True)
class LineValidity:
    """Until when a line may be dispensed: its first delivery, then its renewals, and why (French)."""

    first_delivery_until: date
    renewals_until: date
    renewable: bool
    reason: str


def renewable(line: PrescriptionLine, conditions: ProductConditions) -> tuple[bool, str]:
    """Whether the line may be dispensed again after its first dispensation, and why (R.5132-22)."""
    if conditions.narcotic:
        return False, "stupéfiant : l'ordonnance ne se renouvelle pas (art. R.5132-30)"
    if conditions.list_level == "I" and line.renewals <= 0:
        return False, "liste I sans renouvellement écrit par le prescripteur (art. R.5132-22)"
    if conditions.list_level == "II" and line.renewals <= 0:
        return True, "liste II : renouvelable sauf interdiction expresse du prescripteur (art. R.5132-22)"
    if line.renewals <= 0:
        return False, "aucun renouvellement prescrit"
    return True, f"{line.renewals} renouvellement{'s' if line.renewals > 1 else ''} prescrit{'s' if line.renewals > 1 else ''}"


def line_validity(line: PrescriptionLine, prescribed_on: date, conditions: ProductConditions) -> LineValidity:
    """The validity of one line, as the service and the counter apply it."""
    end = treatment_end(prescribed_on, line)
    can_renew, why = renewable(line, conditions)
    if conditions.narcotic:
        days = line.treatment_days() or Decimal(conditions.duration_limit_days() or 28)
        last = prescribed_on + timedelta(days=max(whole_days(days) - 1, 0))
        return LineValidity(last, last, False, "stupéfiant : exécution totale dans les trois jours, ensuite pour "
                            "la durée de traitement restant à courir (art. R.5132-33)")
    if conditions.listed:
        first = min(add_months(prescribed_on, FIRST_DELIVERY_MONTHS) - timedelta(days=1), end)
        return LineValidity(first, end if can_renew or _spans_deliveries(line) else first, can_renew,
                            f"liste {conditions.list_level} : première délivrance dans les trois mois "
                            f"(art. R.5132-22), puis jusqu'à la fin du traitement ({why})")
    return LineValidity(end, end, can_renew, "jusqu'à la fin du traitement prescrit, douze mois au plus "
                        "(art. R.5132-21)")


def _spans_deliveries(line: PrescriptionLine) -> bool:
    """A treatment longer than one month is delivered a month at a time: it goes on after the
    first delivery even without renewals ("durée du traitement", R.5132-22)."""
    days = line.treatment_days()
    return days is not None and days > 31


def covered_until(delivered_on: date, days: Decimal | None) -> date | None:
    """The last day the boxes of a delivery last (``days`` of treatment from the delivery day)."""
    if days is None or days <= 0:
        return None
    whole = int(days.to_integral_value(rounding=ROUND_FLOOR))
    return delivered_on + timedelta(days=max(whole - 1, 0))


def next_delivery_from(coverage_end: date, tolerance_days: int = EARLY_TOLERANCE_DAYS) -> date:
    """The first day the next delivery is not early: the day after the coverage ends, minus the
    tolerance."""
    return coverage_end + timedelta(days=1 - tolerance_days)
