"""What the counter knows around each line of a dispensing (dates, earlier deliveries of the
ordonnance here, the patient, the prescriber) as a :class:`~app.domain.line_plan.LineContext`, and
the regulatory findings of every line (:func:`app.domain.line_plan.check_delivery`, the rules of
:mod:`app.domain.rules` with their stable codes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.domain.catalogue import Presentation, Speciality
from app.domain.delivery import AdjustmentKind, DispenseStatus
from app.domain.dispensing import Dispensing, LineState
from app.domain.exceptional import months_handed_over
from app.domain.line_plan import LineContext, check_delivery, substances_of
from app.domain.prescription import LineStatus, Prescription, PrescriptionLine
from app.domain.quantities import days_covered
from app.domain.renewal import covered_until as coverage_until
from app.domain.rules import EarlierDelivery, Finding
from app.workflow.ports import CataloguePort

_NOT_HANDED_OVER = (DispenseStatus.DECLINED, DispenseStatus.CANCELLED, DispenseStatus.STOPPED)


@dataclass(frozen=True)
class History:
    """What this pharmacy already delivered on the same ordonnance: for renewals and fractions."""

    deliveries: int = 0  # recorded deliveries of this ordonnance here
    coverage_end: dict[str, date] | None = None  # line → last day covered by the previous delivery
    last_index: int = -1  # dispensation (renewal index) of the latest delivery, -1: none
    last_complete: bool = True  # that dispensation covered the whole treatment of every line
    earlier: tuple[EarlierDelivery, ...] = ()  # every line delivered, with the day its boxes run out
    # (this ordonnance's, and the same patient's on other ordonnances here: the overlap ban)
    line_deliveries: dict[str, int] | None = None  # line → deliveries of that line recorded here
    exceptional: dict[str, tuple[int, int]] | None = None  # line → (exceptional dispensings, their months)


# Days of treatment a dispensation may fall short of and still count as complete (boxes round up,
# a month is 28 or 30 days).
_COMPLETE_TOLERANCE = Decimal(3)


def _days_delivered(state: LineState) -> Decimal | None:
    if state.status is not DispenseStatus.COMPLETED or state.product is None or state.estimate is None:
        return None
    return days_covered(state.quantity, state.product.pack_quantity, state.estimate.daily_units)


def _earlier_deliveries(recorded: Sequence[tuple[Dispensing, datetime]],
                        substances: Callable[[Presentation], tuple[str, ...]]) -> list[EarlierDelivery]:
    """Every line handed over in ``recorded``, with the last day its boxes last and its substances."""
    found: list[EarlierDelivery] = []
    for d, recorded_at in recorded:
        for state in d.lines:
            end = covered_until(recorded_at.date(), state)
            if end is not None and state.product is not None:
                found.append(EarlierDelivery(str(d.prescription.number), state.line_id, recorded_at.date(), end,
                                             substances=substances(state.product), label=state.product.name))
    return found


def history_of(earlier: list[tuple[Dispensing, datetime]], *,
               patient: Sequence[tuple[Dispensing, datetime]] = (),
               substances: Callable[[Presentation], tuple[str, ...]] = lambda _p: ()) -> History:
    """The History of an ordonnance from its deliveries recorded here (oldest first), and the same
    patient's deliveries on other ordonnances here (``patient``, for the overlap ban).

    A dispensation is complete when every line delivered in it covered its treatment duration; a
    liste I handed over a month at a time for a three-month treatment goes on in the same
    dispensation (not a renewal) until the three months are delivered. Every line delivered gives
    the last day its boxes last and its active substances (``substances`` of the product: the
    early-renewal warning, the next fraction of a stupéfiant, the overlap ban across ordonnances).
    """
    ends: dict[str, date] = {}
    per_line: dict[str, int] = {}
    own = _earlier_deliveries(earlier, substances)
    for e in own:
        assert e.covered_until is not None
        ends[e.line_id] = max(e.covered_until, ends.get(e.line_id, e.covered_until))
    exceptional: dict[str, tuple[int, int]] = {}
    for d, _ in earlier:
        for state in d.lines:
            if state.status is DispenseStatus.COMPLETED and state.quantity:
                per_line[state.line_id] = per_line.get(state.line_id, 0) + 1
                if state.adjustment_of(AdjustmentKind.EXCEPTIONAL) is not None and state.product is not None:
                    periods, months = exceptional.get(state.line_id, (0, 0))
                    exceptional[state.line_id] = (periods + 1, months + months_handed_over(
                        state.quantity, state.product.pack_quantity, state.estimate.daily_units if state.estimate else None))
    delivered_lines = tuple(own + _earlier_deliveries(patient, substances))
    if not earlier:
        return History(coverage_end=ends, earlier=delivered_lines, line_deliveries=per_line, exceptional=exceptional)
    last = max(d.renewal_index for d, _ in earlier)
    delivered: dict[str, Decimal] = {}
    lines = {}
    for d, _ in earlier:
        if d.renewal_index != last:
            continue
        for state in d.lines:
            lines[state.line_id] = d.prescribed(state.line_id)
            days = _days_delivered(state)
            if days is not None:
                delivered[state.line_id] = delivered.get(state.line_id, Decimal(0)) + days
    complete = True
    for line_id, days in delivered.items():
        treatment = lines[line_id].treatment_days()
        if treatment is not None and days + _COMPLETE_TOLERANCE < treatment:
            complete = False
    return History(deliveries=len(earlier), coverage_end=ends, last_index=last, last_complete=complete,
                   earlier=delivered_lines, line_deliveries=per_line, exceptional=exceptional)


def renewal_index(line, history: History) -> int:
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


def already_delivered(line: PrescriptionLine, index: int, prescription: Prescription) -> bool:
    """Nothing left on the line: the service says so, or every dispensation the prescriber wrote
    (the first and its renewals) was made and this one is a renewal of the ordonnance's other lines.

    A renewal nobody wrote (every line without renewals, or its own written ones used up while no
    other line has any left) is not "done": it goes to the rules, which block it for liste I and
    let the pharmacist decide for liste II (art. R.5132-22).
    """
    if line.status is LineStatus.COMPLETED or (
            line.remaining_quantity is not None and line.remaining_quantity <= Decimal(0)):
        return True
    if index <= line.renewals:
        return False
    return line.renewals > 0 or any(other.renewals >= index for other in prescription.lines)


def expired_on(d: Dispensing, line: PrescriptionLine, today: date, history: History) -> date | None:
    """The day the line expired (:mod:`app.domain.exceptional`): the day after the validity the
    service gives, or, every written dispensation delivered, the day after the last boxes run out
    (today when that is not known); None while it may be dispensed."""
    if line.validity_end is not None and line.validity_end < today:
        return line.validity_end + timedelta(days=1)
    if already_delivered(line, d.renewal_index, d.prescription):
        end = (history.coverage_end or {}).get(line.line_id)
        return today if end is None else end + timedelta(days=1)
    return None


def line_context(d: Dispensing, line_id: str, today: date, history: History) -> LineContext:
    """Everything around one line the domain's plan and rules need."""
    rx = d.prescription
    line = d.prescribed(line_id)
    state = d.line(line_id)
    periods, months = (history.exceptional or {}).get(line_id, (0, 0))
    return LineContext(
        prescribed_on=rx.authored_date, today=today, ordonnance=str(rx.number), renewal_index=d.renewal_index,
        earlier_deliveries=history.deliveries, earlier=history.earlier,
        line_deliveries=None if history.line_deliveries is None else history.line_deliveries.get(line_id, 0),
        previous_coverage_end=(history.coverage_end or {}).get(line_id),
        patient_birth_date=rx.patient.birth_date, prescriber_specialty=rx.prescriber.specialty,
        expired_on=expired_on(d, line, today, history),
        exceptional=state.adjustment_of(AdjustmentKind.EXCEPTIONAL) is not None,
        exceptional_periods=periods, exceptional_months=months)


def product_substances(catalogue: CataloguePort) -> Callable[[Presentation], tuple[str, ...]]:
    """The active substances of a product, from its speciality in the catalogue (read once per CIS)."""
    speciality = specialities(catalogue)
    return lambda product: substances_of(speciality(product.cis))


def specialities(catalogue: CataloguePort) -> Callable[[str], Speciality | None]:
    """The catalogue's specialities by CIS, each read once (a line's proposals share few of them)."""
    cache: dict[str, Speciality | None] = {}

    def get(cis: str) -> Speciality | None:
        if cis not in cache:
            cache[cis] = catalogue.speciality(cis)
        return cache[cis]
    return get


def line_findings(d: Dispensing, state: LineState, today: date, history: History,
                  speciality: Callable[[str], Speciality | None], *, product: Presentation | None = None,
                  quantity: int | None = None) -> list[Finding]:
    """The rules on one line for the product and boxes chosen (or those given)."""
    product = product or state.product
    if product is None:
        return []
    return check_delivery(d.prescribed(state.line_id), product, speciality(product.cis),
                          line_context(d, state.line_id, today, history),
                          state.quantity if quantity is None else quantity)


def findings(d: Dispensing, today: date, history: History, catalogue: CataloguePort) -> list[Finding]:
    """Every rule on every line with a product chosen and not set aside (shown while dispensing)."""
    speciality = specialities(catalogue)
    result: list[Finding] = []
    for state in d.lines:
        if state.status not in _NOT_HANDED_OVER and state.product is not None:
            result += line_findings(d, state, today, history, speciality)
    return result


def covered_until(handed_over: date, state: LineState) -> date | None:
    """The last day the boxes of a delivered line last (for the next fraction of a stupéfiant)."""
    return coverage_until(handed_over, _days_delivered(state))
