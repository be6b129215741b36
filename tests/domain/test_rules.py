"""Each regulatory rule, on both sides of its limit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from app.domain import rules as r
from app.domain.rules import LineCheck, Severity

D = Decimal
RX = date(2026, 1, 15)


def check(**kw) -> LineCheck:
    base = dict(line_id="l1", prescribed_on=RX, today=RX, boxes=1, units_per_box=D(30), daily_units=D(1),
                treatment_days=D(30))
    return LineCheck(**{**base, **kw})


def test_add_months_clamps_to_the_end_of_month():
    assert r.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert r.add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)


def test_first_delivery_within_three_months():
    assert r.first_delivery_within_three_months(check(listed="I", today=date(2026, 4, 14))) == []
    (f,) = r.first_delivery_within_three_months(check(listed="II", today=date(2026, 4, 15)))
    assert f.severity is Severity.BLOCKING and f.article == "R.5132-22" and "trois mois" in f.message
    # not listed, or a renewal: the rule does not apply
    assert r.first_delivery_within_three_months(check(today=date(2026, 6, 1))) == []
    assert r.first_delivery_within_three_months(check(listed="I", today=date(2026, 6, 1), renewal_index=1)) == []
    assert r.first_delivery_within_three_months(check(listed="I", today=date(2026, 6, 1), earlier_deliveries=1)) == []


def test_treatment_at_most_twelve_months():
    (f,) = r.treatment_at_most_twelve_months(check(listed="I", today=date(2027, 1, 15)))
    assert f.blocking and f.article == "R.5132-21"
    (w,) = r.treatment_at_most_twelve_months(check(listed="I", treatment_days=D(90), renewals_written=4))
    assert w.severity is Severity.WARNING
    assert r.treatment_at_most_twelve_months(check(listed="I", treatment_days=D(90), renewals_written=3)) == []


def test_at_most_one_month_at_once():
    assert r.at_most_one_month_at_once(check(listed="I", boxes=1)) == []
    (f,) = r.at_most_one_month_at_once(check(listed="I", boxes=2))
    assert f.blocking and "trente jours" in f.message and "1 boîte" in f.message
    # boxes of 28: four weeks; 2 a day → 14 days a box → 2 boxes allowed, 3 refused
    assert r.at_most_one_month_at_once(check(listed="II", units_per_box=D(28), daily_units=D(2), boxes=2)) == []
    (f,) = r.at_most_one_month_at_once(check(listed="II", units_per_box=D(28), daily_units=D(2), boxes=3))
    assert "quatre semaines" in f.message
    # a large pack (90 days a box) is one box, not two
    assert r.at_most_one_month_at_once(check(listed="I", units_per_box=D(90), treatment_days=D(90))) == []
    (f,) = r.at_most_one_month_at_once(check(listed="I", units_per_box=D(90), boxes=2))
    assert "grand conditionnement" in f.message
    assert r.at_most_one_month_at_once(check(boxes=5)) == []  # not listed


def test_liste_one_renewed_only_when_written():
    (f,) = r.liste_one_renewed_only_when_written(check(listed="I", renewal_index=1, renewals_written=0))
    assert f.blocking and "non prescrit" in f.message
    assert r.liste_one_renewed_only_when_written(check(listed="I", renewal_index=1, renewals_written=2)) == []
    assert r.liste_one_renewed_only_when_written(check(listed="I", renewal_index=0)) == []


def test_narcotic_at_most_28_days():
    assert r.narcotic_at_most_28_days(check(narcotic=True, treatment_days=D(28))) == []
    (f,) = r.narcotic_at_most_28_days(check(narcotic=True, treatment_days=D(30), units_per_box=D(14)))
    assert f.blocking and f.article == "R.5132-30"
    found = r.narcotic_at_most_28_days(check(narcotic=True, treatment_days=D(28), units_per_box=D(14), boxes=3))
    assert any("42 jours" in f.message for f in found)
    assert r.narcotic_at_most_28_days(check(narcotic=True, renewal_index=1))[0].blocking
    assert r.narcotic_at_most_28_days(check(treatment_days=D(60))) == []


def test_narcotic_presented_within_three_days():
    nk = dict(narcotic=True, treatment_days=D(14), units_per_box=D(7), daily_units=D(1))
    assert r.narcotic_presented_within_three_days(check(**nk, boxes=2, today=RX + timedelta(days=3))) == []
    # presented on day 7: 7 days remain, 2 boxes of 7 days is one box too many
    (f,) = r.narcotic_presented_within_three_days(check(**nk, boxes=2, today=RX + timedelta(days=7)))
    assert f.blocking and "7 jours restants" in f.message and f.article == "R.5132-33"
    (w,) = r.narcotic_presented_within_three_days(check(**nk, boxes=1, today=RX + timedelta(days=7)))
    assert w.severity is Severity.WARNING
    (late,) = r.narcotic_presented_within_three_days(check(**nk, today=RX + timedelta(days=20)))
    assert late.blocking and "rien ne peut" in late.message


def test_narcotic_fractioning():
    nk = dict(narcotic=True, units_per_box=D(7), daily_units=D(1), fraction_days=7)
    assert r.narcotic_fractioning(check(**nk, boxes=1)) == []
    (f,) = r.narcotic_fractioning(check(**nk, boxes=2))
    assert f.blocking and "fractionnée par 7 jours" in f.message
    assert r.narcotic_fractioning(check(narcotic=True, boxes=4)) == []


def test_narcotic_no_overlap():
    prev = dict(narcotic=True, previous_coverage_end=RX + timedelta(days=5))
    (f,) = r.narcotic_no_overlap(check(**prev))
    assert f.blocking and "chevauchement" in f.message
    assert r.narcotic_no_overlap(check(**prev, overlap_allowed=True)) == []
    assert r.narcotic_no_overlap(check(**prev, today=RX + timedelta(days=6))) == []


def test_no_delivery_beyond_remaining():
    (f,) = r.no_delivery_beyond_remaining(check(boxes=3, remaining_boxes=D(2)))
    assert f.blocking and "2 boîte(s)" in f.message
    assert r.no_delivery_beyond_remaining(check(boxes=2, remaining_boxes=D(2))) == []
    assert r.no_delivery_beyond_remaining(check(renewal_index=1))[0].blocking
    assert r.no_delivery_beyond_remaining(check(renewal_index=1, renewals_written=1)) == []
    assert r.no_delivery_beyond_remaining(check(renewal_index=1, listed="I")) == []  # its own rule says it


def test_quantity_above_need_is_a_warning_that_can_be_overridden():
    (w,) = r.quantity_above_need(check(boxes=3, computed_boxes=2))
    assert w.severity is Severity.WARNING
    assert r.unresolved([w], {}) == [w]
    assert r.unresolved([w], {r.override_key("l1", w.rule): "  "}) == [w]
    assert r.unresolved([w], {r.override_key("l1", w.rule): "départ en vacances"}) == []


def test_check_line_puts_blocking_first_and_every_rule_has_an_article():
    found = r.check_line(check(listed="I", boxes=3, computed_boxes=1, remaining_boxes=D(1)))
    assert found[0].blocking and not found[-1].blocking
    for rule in r.RULES:
        assert "CSP" in rule.__doc__ and "Art." in rule.__doc__
