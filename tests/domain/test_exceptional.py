"""The dispensation supplémentaire exceptionnelle (art. L.5125-23-1 CSP) on real BDPM products:
eligibility, the boxes of one month / of the contraceptive months left, the cumulative limits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.domain import exceptional as x
from app.domain.rules import LineCheck, Severity, check_line, delivery_limits
from tests.domain import bdpm

D = Decimal
RX = date(2026, 1, 15)
EXPIRED = date(2026, 4, 15)  # "1 mois, à renouveler 2 fois": three months, then over
TAHOR_20 = "69902323"
ZOLPIDEM = bdpm.find_cis("ZOLPIDEM")
ACTISKENAN_10 = "64288864"
LEELOO = bdpm.find_cis("LEELOO")
OPTIMIZETTE = bdpm.find_cis("OPTIMIZETTE")
EVRA = bdpm.find_cis("EVRA")


def line(cis: str, units: int | None = None, **kw) -> LineCheck:
    """An expired line of a real speciality: its conditions, substances, form and routes."""
    box = bdpm.box(cis, units) if units else bdpm.boxes_of(cis)[0]
    spec = bdpm.speciality(cis)
    base = dict(line_id="l1", prescribed_on=RX, today=date(2026, 4, 20), boxes=1, units_per_box=box.pack_quantity,
                daily_units=D(1), treatment_days=D(30), renewals_written=2, renewal_index=3,
                conditions=bdpm.conditions(cis), substances=bdpm.substances(cis), product_label=box.name,
                ordonnance="ORD-1", expired_on=EXPIRED, pharmaceutical_form=spec.form, routes=spec.routes)
    return LineCheck(**{**base, **kw})


def codes(c: LineCheck) -> list[tuple[str, str, Severity]]:
    return [(f.code, f.variant, f.severity) for f in check_line(c)]


def test_a_chronic_treatment_expired_may_be_continued_one_month():
    c = line(TAHOR_20, 28)
    assert x.exceptional_kind(c) is x.ExceptionalKind.CHRONIC
    assert x.refusal(c) is None and x.allowance(c) == (1, 1)
    (f,) = check_line(c)
    assert (f.code, f.variant, f.blocking, f.article) == ("ORDONNANCE_EXPIRED", "eligible", True, "L.5125-23-1")
    assert dict(f.values)["boxes"] == "1" and "exceptionnelle possible" in f.message
    # the quantity proposed is held to the month
    assert any(lim.code == "EXCEPTIONAL_DISPENSING" and lim.boxes == 1 for lim in delivery_limits(c))


def test_chosen_it_is_information_within_the_month_and_blocks_beyond():
    assert codes(line(TAHOR_20, 28, exceptional=True)) == [("EXCEPTIONAL_DISPENSING", "chronic", Severity.INFO)]
    (f,) = [f for f in check_line(line(TAHOR_20, 28, exceptional=True, boxes=2)) if f.rule == "exceptional_dispensing"]
    assert (f.code, f.variant, f.blocking) == ("EXCEPTIONAL_DISPENSING", "boxes", True)
    # two a day: two boxes of 28 for the month
    assert x.allowance(line(TAHOR_20, 28, daily_units=D(2))) == (2, 1)


def test_three_periods_at_most():
    assert x.refusal(line(TAHOR_20, 28, exceptional=True, exceptional_periods=2)) is None
    (f,) = check_line(line(TAHOR_20, 28, exceptional=True, exceptional_periods=3))
    assert (f.code, f.variant, f.blocking) == ("EXCEPTIONAL_DISPENSING_REFUSED", "limit", True)
    assert "limite de trois mois" in f.message


def test_excluded_categories_come_from_the_dated_data():
    (f,) = [f for f in check_line(line(ZOLPIDEM, 14)) if f.code.startswith("EXCEPTIONAL")]
    assert (f.variant, f.blocking) == ("excluded", True) and "assimilé" in f.message
    (g,) = [f for f in check_line(line(ACTISKENAN_10)) if f.code.startswith("EXCEPTIONAL")]
    assert g.variant == "excluded" and "stupéfiant" in g.message
    assert {cat for cat, _, _ in x.terms(date(2026, 4, 20)).excluded} == {"stupefiant", "assimile"}
    assert x.terms(date(2007, 1, 1)).excluded == ()  # not before the arrêté


def test_not_a_chronic_treatment_nor_a_late_first_one():
    (f,) = check_line(line(TAHOR_20, 28, renewals_written=0, renewal_index=1))
    assert (f.code, f.variant) == ("EXCEPTIONAL_DISPENSING_REFUSED", "not_chronic")
    (g,) = check_line(line(TAHOR_20, 28, today=date(2026, 5, 15)))
    assert g.variant == "late" and "14/05/2026" in g.message
    # the second one comes a month after the first, beyond that month: allowed
    assert x.refusal(line(TAHOR_20, 28, today=date(2026, 5, 20), exceptional_periods=1)) is None


def test_a_three_month_box_is_more_than_a_period():
    assert x.refusal(line(TAHOR_20, 90))[0] == "pack_too_large"


def test_liste_one_past_twelve_months_eligible_or_blocked_by_r5132_21():
    eligible = line(TAHOR_20, 28, expired_on=None, renewals_written=11, today=date(2027, 1, 20))
    assert [(f.code, f.variant) for f in check_line(eligible)] == [("ORDONNANCE_EXPIRED", "eligible")]
    short = line(TAHOR_20, 28, expired_on=None, renewals_written=0, renewal_index=0, today=date(2027, 1, 20))
    found = [f.code for f in check_line(short)]
    assert "PRESCRIPTION_OVER_12_MONTHS" in found and not [c for c in found if "EXCEPTIONAL" in c or "EXPIRED" in c]


def test_oral_contraceptive_six_months_three_at_once():
    pill = line(LEELOO, 63, renewals_written=0, renewal_index=1, treatment_days=D(84))
    assert x.exceptional_kind(pill) is x.ExceptionalKind.CONTRACEPTIVE
    assert x.allowance(pill) == (1, 3)  # one box of three blisters
    assert x.allowance(line(LEELOO, 21)) == (3, 3)
    assert x.allowance(line(LEELOO, 21, exceptional_months=4)) == (2, 2)
    assert x.refusal(line(LEELOO, 63, exceptional_months=4)) == (
        "pack_too_large", "une boîte couvre 63 jours, plus que la période permise : choisissez un conditionnement "
        "plus petit", {"days": "63"})
    (f,) = check_line(line(OPTIMIZETTE, 28, exceptional=True, boxes=3, renewals_written=0))
    assert (f.variant, f.severity) == ("contraceptive", Severity.INFO)
    (g,) = check_line(line(OPTIMIZETTE, 28, exceptional=True, exceptional_months=6))
    assert (g.code, g.variant) == ("EXCEPTIONAL_DISPENSING_REFUSED", "contraceptive_limit")


def test_contraceptive_ordonnance_a_year_old_is_refused():
    (f,) = check_line(line(OPTIMIZETTE, 28, today=date(2027, 1, 15), expired_on=date(2027, 1, 1)))
    assert (f.code, f.variant) == ("EXCEPTIONAL_DISPENSING_REFUSED", "too_old")
    assert "15/01/2026" in f.message


def test_a_patch_is_no_oral_contraceptive():
    patch = line(EVRA, 3, daily_units=D(1) / 7, treatment_days=D(28))
    assert not x.is_oral(patch.pharmaceutical_form, patch.routes)
    assert x.exceptional_kind(patch) is x.ExceptionalKind.CHRONIC


def test_months_handed_over_and_mentions():
    assert x.months_handed_over(2, D(21), D(1)) == 2 and x.months_handed_over(1, D(63), D(1)) == 3
    assert x.mention(x.ExceptionalKind.CHRONIC, 1, 1).startswith("Dispensation supplémentaire exceptionnelle")
    assert "durée 3 mois" in x.mention(x.ExceptionalKind.CONTRACEPTIVE, 1, 3)

