"""Gathering the facts the regulatory rules need (app.domain.rules) for each line of a dispensing,
and capping a computed quantity so that what is proposed is already within the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.domain.catalogue import Presentation
from app.domain.delivery import DispenseStatus
from app.domain.dispensing import Dispensing, LineState
from app.domain.prescription import PrescriptionLine
from app.domain.quantities import BoxEstimate, days_covered
from app.domain.rules import (
    LineCheck,
    at_most_one_month_at_once,
    check_line,
    narcotic_at_most_28_days,
    narcotic_fractioning,
    narcotic_presented_within_three_days,
    no_delivery_beyond_remaining,
)

_FRACTION = re.compile(r"fraction\w*\D{0,40}?(\d{1,2})\s*(?:j\b|jours?)", re.IGNORECASE)
_OVERLAP = re.compile(r"chevauchement", re.IGNORECASE)
_NOT_HANDED_OVER = (DispenseStatus.DECLINED, DispenseStatus.CANCELLED, DispenseStatus.STOPPED)
# The rules a smaller quantity can satisfy: used to cap the proposed quantity.
QUANTITY_RULES = (at_most_one_month_at_once, narcotic_at_most_28_days, narcotic_fractioning,
                  narcotic_presented_within_three_days, no_delivery_beyond_remaining)


@dataclass(frozen=True)
class History:
    """What this pharmacy already delivered on the same ordonnance: for renewals and fractions."""

    deliveries: int = 0  # recorded deliveries of this ordonnance here
    coverage_end: dict[str, date] | None = None  # line → last day covered by the previous delivery
    last_index: int = -1  # dispensation (renewal index) of the latest delivery, -1: none
    last_complete: bool = True  # that dispensation covered the whole treatment of every line


# Days of treatment a dispensation may fall short of and still count as complete (boxes round up,
# a month is 28 or 30 days).
_COMPLETE_TOLERANCE = Decimal(3)


def _days_delivered(state: LineState) -> Decimal | None:
    if state.status is not DispenseStatus.COMPLETED or state.product is None or state.estimate is None:
        return None
    return days_covered(state.quantity, state.product.pack_quantity, state.estimate.daily_units)


def history_of(earlier: list[tuple[Dispensing, datetime]]) -> History:
    """The History of an ordonnance from its deliveries recorded here (oldest first).

    A dispensation is complete when every line delivered in it covered its treatment duration; a
    liste I handed over a month at a time for a three-month treatment goes on in the same
    dispensation (not a renewal) until the three months are delivered.
    """
    ends: dict[str, date] = {}
    for d, recorded_at in earlier:
        for state in d.lines:
            if state.product is not None and state.product.is_narcotic:
                end = covered_until(recorded_at.date(), state)
                if end is not None:
                    ends[state.line_id] = max(end, ends.get(state.line_id, end))
    if not earlier:
        return History(coverage_end=ends)
    last = max(d.renewal_index for d, _ in earlier)
    delivered: dict[str, Decimal] = {}
    unknown: set[str] = set()
    lines = {}
    for d, _ in earlier:
        if d.renewal_index != last:
            continue
        for state in d.lines:
            lines[state.line_id] = d.prescribed(state.line_id)
            days = _days_delivered(state)
            if days is None:
                if state.status is not DispenseStatus.CANCELLED:
                    unknown.add(state.line_id)  # declined or not computable: nothing left to continue
            else:
                delivered[state.line_id] = delivered.get(state.line_id, Decimal(0)) + days
    complete = True
    for line_id, days in delivered.items():
        treatment = lines[line_id].treatment_days()
        if treatment is not None and days + _COMPLETE_TOLERANCE < treatment:
            complete = False
    return History(deliveries=len(earlier), coverage_end=ends, last_index=last, last_complete=complete)




def _texts(line: PrescriptionLine) -> str:
    return " ".join((line.posology_text, *line.notes, *(d.text or "" for d in line.dosages)))


def fraction_days(line: PrescriptionLine) -> int | None:
    """The fractioning the prescriber wrote ("délivrance fractionnée par 7 jours"), or None."""
    match = _FRACTION.search(_texts(line))
    return int(match.group(1)) if match else None


def renewal_index(line: PrescriptionLine, history: History) -> int:
    """Which dispensation this is: 0 the first, n the n-th renewal.

    From the service's remaining renewals when some were used, and from this pharmacy's own record
    of earlier deliveries of the same ordonnance.
    """
    from_service = 0
    if line.remaining_renewals is not None and line.remaining_renewals < line.renewals:
        from_service = line.renewals - line.remaining_renewals + 1
    local = 0
    if history.last_index >= 0:
        local = history.last_index + 1 if history.last_complete else history.last_index
    return max(from_service, local)


def line_check(d: Dispensing, state: LineState, today: date, history: History, *,
               product: Presentation | None = None, quantity: int | None = None,
               estimate: BoxEstimate | None = None) -> LineCheck:
    line = d.prescribed(state.line_id)
    product = product or state.product
    estimate = estimate if estimate is not None else state.estimate
    return LineCheck(
        line_id=line.line_id, prescribed_on=d.prescription.authored_date, today=today,
        listed=product.list_level if product else None, narcotic=bool(product and product.is_narcotic),
        boxes=state.quantity if quantity is None else quantity,
        units_per_box=product.pack_quantity if product else None,
        daily_units=estimate.daily_units if estimate else None,
        treatment_days=line.treatment_days() or (estimate.days if estimate else None),
        renewals_written=line.renewals, renewal_index=d.renewal_index, earlier_deliveries=history.deliveries,
        remaining_boxes=line.remaining_quantity, remaining_renewals=line.remaining_renewals,
        computed_boxes=estimate.boxes if estimate else None,
        fraction_days=fraction_days(line),
        previous_coverage_end=(history.coverage_end or {}).get(line.line_id),
        overlap_allowed=bool(_OVERLAP.search(_texts(line))),
    )


def capped_quantity(d: Dispensing, state: LineState, product: Presentation, estimate: BoxEstimate | None,
                    today: date, history: History) -> tuple[int | None, str]:
    """The computed boxes, lowered until the quantity rules pass (never below one box), and why
    they were lowered (the first rule's message, French; empty when not)."""
    if estimate is None or estimate.boxes is None:
        return None, ""
    boxes = estimate.boxes
    why = ""
    while boxes > 1:
        c = line_check(d, state, today, history, product=product, quantity=boxes, estimate=estimate)
        blocking = [f for rule in QUANTITY_RULES for f in rule(c) if f.blocking]
        if not blocking:
            break
        why = why or blocking[0].message
        boxes -= 1
    return boxes, why


def findings(d: Dispensing, today: date, history: History):
    """Every rule on every line with a product chosen and not set aside (shown while dispensing)."""
    result = []
    for state in d.lines:
        if state.status not in _NOT_HANDED_OVER and state.product is not None:
            result += check_line(line_check(d, state, today, history))
    return result


def covered_until(handed_over: date, state: LineState) -> date | None:
    """The last day the boxes of a delivered line last (for the next fraction of a stupéfiant)."""
    days = _days_delivered(state)
    if days is None:
        return None
    return handed_over + timedelta(days=int(days.to_integral_value()) - 1 if days >= 1 else 0)
