"""The dispensing table's words for a line: a stupéfiant's badge, a line delivered before."""

from __future__ import annotations

from app.domain.catalogue import Condition
from app.domain.dispense_line import LineState
from app.ui.counter.lines_model import LineRow, product_text, status_colour, status_text
from tests.ui.fakes import DOLIPRANE


def _row(state: LineState) -> LineRow:
    return LineRow(line=None, state=state)  # the columns under test read the state only


def test_a_stupefiant_carries_its_badge():
    import dataclasses

    narcotic = dataclasses.replace(DOLIPRANE, name="ACTISKENAN 10 mg", flags=frozenset({Condition.STUPEFIANT}))
    assert product_text(_row(LineState("l1", product=narcotic))) == "ACTISKENAN 10 mg [Stupéfiant]"
    assert product_text(_row(LineState("l1", product=DOLIPRANE))) == DOLIPRANE.name


def test_a_line_delivered_before_is_done_not_cancelled():
    from app.domain.delivery import DispenseStatus

    state = LineState("l1", status=DispenseStatus.CANCELLED, delivered_before=True)
    assert status_text(_row(state)) == "✔ déjà délivrée"  # the mark reads without colour
    assert status_colour(_row(state)) == status_colour(_row(LineState("l2", status=DispenseStatus.COMPLETED)))
