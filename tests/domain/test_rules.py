"""Each regulatory rule, on both sides of its limit, on real BDPM products where the rule is about one."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain import rules as r
from app.domain.conditions import parse_conditions
from app.domain.rules import CODES, EarlierDelivery, LineCheck, Severity
from tests.domain import bdpm

D = Decimal
RX = date(2026, 1, 15)
TAHOR_20 = "69902323"
RIVOTRIL_2 = "68429141"
METHADONE_10 = "60998856"
METHADONE_SIROP = "67255773"
ACTISKENAN_10 = "64288864"
LEVOTHYROX_100 = "68416845"
REFACTO_250 = "60106606"
CLAMOXYL_1G = "64539416"  # liste I, boxes of 6 and 14


def check(**kw) -> LineCheck:
    base = dict(line_id="l1", prescribed_on=RX, today=RX, boxes=1, units_per_box=D(30), daily_units=D(1),
                treatment_days=D(30))
    return LineCheck(**{**base, **kw})


def product(cis: str, units: int | None = None, **kw) -> LineCheck:
    """A line of a real speciality: its conditions, substances and (smallest, or ``units``) box."""
    box = bdpm.box(cis, units) if units else bdpm.boxes_of(cis)[0]
    base = dict(line_id="l1", prescribed_on=RX, today=RX, boxes=1, units_per_box=box.pack_quantity,
                daily_units=D(1), treatment_days=D(28), conditions=bdpm.conditions(cis),
                substances=bdpm.substances(cis), product_label=box.name, ordonnance="ORD-1")
    return LineCheck(**{**base, **kw})


def codes(found) -> list[str]:
    return [f.code for f in found]


def test_add_months_clamps_to_the_end_of_month():
    assert r.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert r.add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)


def test_first_delivery_within_three_months():
    assert r.first_delivery_within_three_months(check(listed="I", today=date(2026, 4, 14))) == []
    (f,) = r.first_delivery_within_three_months(check(listed="II", today=date(2026, 4, 15)))
    assert f.severity is Severity.BLOCKING and f.article == "R.5132-22" and "trois mois" in f.message
    assert f.code == "VALIDITY_FIRST_DELIVERY"
    # not listed, or a renewal: the rule does not apply
    assert r.first_delivery_within_three_months(check(today=date(2026, 6, 1))) == []
    assert r.first_delivery_within_three_months(check(listed="I", today=date(2026, 6, 1), renewal_index=1)) == []
    assert r.first_delivery_within_three_months(check(listed="I", today=date(2026, 6, 1), earlier_deliveries=1)) == []


def test_rivotril_keeps_the_three_months_of_liste_one():
    """An assimilé of liste I has no three-day window: its liste I validity applies."""
    assert r.first_delivery_within_three_months(product(RIVOTRIL_2, today=RX + timedelta(days=60))) == []
    (f,) = r.first_delivery_within_three_months(product(RIVOTRIL_2, today=RX + timedelta(days=95)))
    assert f.blocking
    assert r.narcotic_presented_within_three_days(product(RIVOTRIL_2, today=RX + timedelta(days=10))) == []


def test_treatment_at_most_twelve_months():
    (f,) = r.treatment_at_most_twelve_months(check(listed="I", today=date(2027, 1, 15)))
    assert f.blocking and f.article == "R.5132-21" and f.code == "PRESCRIPTION_OVER_12_MONTHS"
    (w,) = r.treatment_at_most_twelve_months(check(listed="I", treatment_days=D(90), renewals_written=4))
    assert w.severity is Severity.WARNING
    assert r.treatment_at_most_twelve_months(check(listed="I", treatment_days=D(90), renewals_written=3)) == []


def test_tahor_a_month_per_delivery_or_one_large_pack():
    assert r.at_most_one_month_at_once(product(TAHOR_20, 28, boxes=1)) == []
    (f,) = r.at_most_one_month_at_once(product(TAHOR_20, 28, boxes=2))
    assert f.blocking and "quatre semaines" in f.message and f.code == "MONTH_PER_DELIVERY"
    assert r.at_most_one_month_at_once(product(TAHOR_20, 90, boxes=1, treatment_days=D(90))) == []
    (f,) = r.at_most_one_month_at_once(product(TAHOR_20, 90, boxes=2, treatment_days=D(180)))
    assert "grand conditionnement" in f.message


def test_at_most_one_month_at_once():
    assert r.at_most_one_month_at_once(check(listed="I", boxes=1)) == []
    (f,) = r.at_most_one_month_at_once(check(listed="I", boxes=2))
    assert f.blocking and "trente jours" in f.message and "1 boîte" in f.message
    # boxes of 28: four weeks; 2 a day → 14 days a box → 2 boxes allowed, 3 refused
    assert r.at_most_one_month_at_once(check(listed="II", units_per_box=D(28), daily_units=D(2), boxes=2)) == []
    (f,) = r.at_most_one_month_at_once(check(listed="II", units_per_box=D(28), daily_units=D(2), boxes=3))
    assert "quatre semaines" in f.message
    assert r.at_most_one_month_at_once(check(boxes=5)) == []  # not listed


def test_renewals_of_liste_one_and_liste_two():
    (f,) = r.liste_one_renewed_only_when_written(check(listed="I", renewal_index=1, renewals_written=0))
    assert f.blocking and "non prescrit" in f.message and f.code == "RENEWAL_NOT_PRESCRIBED"
    assert r.liste_one_renewed_only_when_written(check(listed="I", renewal_index=1, renewals_written=2)) == []
    assert r.liste_one_renewed_only_when_written(check(listed="I", renewal_index=0)) == []
    (w,) = r.liste_one_renewed_only_when_written(product(LEVOTHYROX_100, renewal_index=1))
    assert w.severity is Severity.WARNING and "liste II" in w.message  # unless the prescriber forbade it


def test_actiskenan_prescription_limited_to_four_weeks():
    assert r.max_prescription_duration(product(ACTISKENAN_10, treatment_days=D(28))) == []
    (f,) = r.max_prescription_duration(product(ACTISKENAN_10, treatment_days=D(35)))
    assert f.blocking and f.article == "R.5132-30" and f.code == "MAX_PRESCRIPTION_DURATION"
    assert "4 semaines" in f.message and "ACTISKENAN" in f.message
    # "pendant 1 mois" is the four weeks the pack counts
    assert r.max_prescription_duration(product(ACTISKENAN_10, treatment_days=D(30), duration_in_months=True)) == []
    found = r.max_prescription_duration(product(ACTISKENAN_10, treatment_days=D(28), boxes=3))
    assert any("42 jours" in f.message for f in found)  # 3 boxes of 14 at one a day


def test_rivotril_is_limited_to_twelve_weeks_not_28_days():
    assert r.max_prescription_duration(product(RIVOTRIL_2, treatment_days=D(28), renewals_written=2)) == []
    (f,) = r.max_prescription_duration(product(RIVOTRIL_2, treatment_days=D(28), renewals_written=3))
    assert f.blocking and "12 semaines" in f.message and f.article == "R.5132-21"
    assert r.narcotic_not_renewed(product(RIVOTRIL_2, renewal_index=1)) == []


def test_methadone_syrup_limited_to_fourteen_days():
    assert r.max_prescription_duration(product(METHADONE_SIROP, treatment_days=D(14))) == []
    assert r.max_prescription_duration(product(METHADONE_SIROP, treatment_days=D(21)))[0].blocking


def test_a_stupefiant_is_never_renewed():
    (f,) = r.narcotic_not_renewed(product(ACTISKENAN_10, renewal_index=1))
    assert f.blocking and f.code == "RENEWAL_NOT_ALLOWED"
    assert r.narcotic_not_renewed(product(ACTISKENAN_10)) == []


def test_narcotic_presented_within_three_days():
    nk = dict(narcotic=True, treatment_days=D(14), units_per_box=D(7), daily_units=D(1))
    assert r.narcotic_presented_within_three_days(check(**nk, boxes=2, today=RX + timedelta(days=3))) == []
    # presented on day 7: 7 days remain, 2 boxes of 7 days is one box too many
    (f,) = r.narcotic_presented_within_three_days(check(**nk, boxes=2, today=RX + timedelta(days=7)))
    assert f.blocking and "7 jours restants" in f.message and f.article == "R.5132-33"
    assert f.code == "NARCOTIC_PRESENTATION_WINDOW"
    (w,) = r.narcotic_presented_within_three_days(check(**nk, boxes=1, today=RX + timedelta(days=7)))
    assert w.severity is Severity.WARNING
    (late,) = r.narcotic_presented_within_three_days(check(**nk, today=RX + timedelta(days=20)))
    assert late.blocking and "rien ne peut" in late.message


def test_methadone_fractioned_by_seven_days():
    six_a_day = dict(daily_units=D(6), treatment_days=D(14))  # 60 mg a day of 10 mg capsules, boxes of 7
    (info,) = r.fractioned_delivery(product(METHADONE_10, 7, boxes=6, **six_a_day))
    assert info.severity is Severity.INFO and "fractionnée par 7 jours" in info.message
    (f,) = r.fractioned_delivery(product(METHADONE_10, 7, boxes=12, **six_a_day))
    assert f.blocking and f.code == "FRACTIONED_DELIVERY"
    # the prescriber's "délivrance en une seule fois" excludes it; his own fraction wins
    assert r.fractioned_delivery(product(METHADONE_10, 7, boxes=12, single_delivery=True, **six_a_day)) == []
    assert r.fractioned_delivery(check(narcotic=True, boxes=4)) == []
    (own,) = r.fractioned_delivery(check(narcotic=True, fraction_days=14, boxes=1))
    assert "14 jours" in own.message


def test_overlap_on_the_same_line_or_another_ordonnance():
    prev = dict(narcotic=True, previous_coverage_end=RX + timedelta(days=5))
    (f,) = r.no_overlap(check(**prev))
    assert f.blocking and "Chevauchement" in f.message and f.code == "OVERLAP"
    assert r.no_overlap(check(**prev, overlap_allowed=True)) == []
    assert r.no_overlap(check(**prev, today=RX + timedelta(days=6))) == []
    earlier = EarlierDelivery("ORD-0", "x", RX - timedelta(days=20), RX + timedelta(days=7), ("CLONAZÉPAM",),
                              "RIVOTRIL 2 mg")
    (f,) = r.no_overlap(product(RIVOTRIL_2, earlier=(earlier,)))
    assert "ORD-0" in f.message and f.blocking
    assert r.no_overlap(product(RIVOTRIL_2, earlier=(earlier,), overlap_allowed=True)) == []
    assert r.no_overlap(product(RIVOTRIL_2, earlier=(earlier,), today=RX + timedelta(days=8))) == []
    # not the same substance, or a product without the ban: nothing
    assert r.no_overlap(product(METHADONE_10, earlier=(earlier,))) == []
    assert r.no_overlap(product(TAHOR_20, earlier=(earlier,))) == []


def test_hospital_only_products_are_not_sold_at_the_counter():
    (f,) = r.hospital_only(product(REFACTO_250))
    assert f.blocking and f.code == "HOSPITAL_ONLY" and "REFACTO" in f.message
    cis = next(cis for cis, texts in bdpm.release().conditions.items()
               if "réservé à l'usage HOSPITALIER" in texts and cis in bdpm.release().by_cis)
    assert r.hospital_only(product(cis))[0].blocking
    assert r.hospital_only(product(TAHOR_20)) == []


def test_reserved_use_products():
    cis = next(cis for cis, texts in bdpm.release().conditions.items()
               if "réservé à l'usage professionnel DENTAIRE" in texts and cis in bdpm.release().by_cis)
    (f,) = r.reserved_use(product(cis))
    assert f.blocking and f.code == "RESERVED_USE" and "DENTAIRE" in f.message


def test_restricted_prescriber_says_what_to_check():
    (w,) = r.restricted_prescriber(product(RIVOTRIL_2))
    assert w.severity is Severity.WARNING and w.code == "RESTRICTED_PRESCRIBER"
    assert "NEUROLOGIE, PEDIATRIE" in w.message and "de moins de 12 mois" in w.message
    assert r.restricted_prescriber(product(RIVOTRIL_2, prescriber_specialty="Neurologie")) == []
    (w,) = r.restricted_prescriber(product(REFACTO_250))
    assert "prescription initiale hospitalière semestrielle" in w.message
    (w,) = r.restricted_prescriber(product(METHADONE_10))
    assert "CSAPA" in w.message
    assert r.restricted_prescriber(product(TAHOR_20)) == []


def test_exception_drug_checks_and_monitoring():
    (w,) = r.exception_drug(check(conditions=parse_conditions(["médicament d'exception"])))
    assert w.code == "EXCEPTION_DRUG" and w.article == "R.163-2 CSS" and "12708" in w.message
    cis = next(cis for cis, texts in bdpm.release().conditions.items()
               if "délivrance après vérification du recueil de l'accord de soins" in texts)
    (c,) = r.dispensing_checks(product(cis))
    assert c.severity is Severity.WARNING and "accord de soins" in c.message
    (i,) = r.special_monitoring(product(METHADONE_10))
    assert i.severity is Severity.INFO and i.code == "SPECIAL_MONITORING"


def test_non_substitutable_unjustified():
    levo = dict(non_substitutable=True, non_substitution_reason="MTE")
    assert r.non_substitutable_unjustified(product(LEVOTHYROX_100, **levo)) == []  # lévothyroxine is on the list
    (w,) = r.non_substitutable_unjustified(product(TAHOR_20, **levo))
    assert w.severity is Severity.WARNING and "MTE" in w.message and w.code == "NON_SUBSTITUTABLE_UNJUSTIFIED"
    (w,) = r.non_substitutable_unjustified(product(TAHOR_20, non_substitutable=True))
    assert "sans justification" in w.message and w.article == "L.5125-23"
    efg = dict(non_substitutable=True, non_substitution_reason="EFG")
    assert r.non_substitutable_unjustified(product(TAHOR_20, patient_birth_date=date(2022, 3, 1), **efg)) == []
    (w,) = r.non_substitutable_unjustified(product(TAHOR_20, patient_birth_date=date(2016, 3, 1), **efg))
    assert "9 ans" in w.message
    assert r.non_substitutable_unjustified(product(TAHOR_20, non_substitutable=True,
                                                   non_substitution_reason="CIF")) == []


def test_early_renewal_with_a_few_days_of_tolerance():
    earlier = EarlierDelivery("ORD-1", "l1", RX - timedelta(days=28), RX + timedelta(days=7))
    (w,) = r.early_renewal(product(TAHOR_20, earlier=(earlier,)))
    assert w.severity is Severity.WARNING and w.code == "EARLY_RENEWAL" and "22/01/2026" in w.message
    assert r.early_renewal(product(TAHOR_20, earlier=(earlier,), today=RX + timedelta(days=3))) == []
    assert r.early_renewal(product(TAHOR_20, earlier=(earlier,), today=RX + timedelta(days=2)))
    other_line = EarlierDelivery("ORD-1", "l2", RX - timedelta(days=28), RX + timedelta(days=7))
    assert r.early_renewal(product(TAHOR_20, earlier=(other_line,))) == []


def test_a_short_treatment_renewed_the_day_it_was_handed_over_is_early():
    """Three days of CLAMOXYL delivered today: the five days of tolerance would hide it; a quarter
    of the period covered is the most tolerated."""
    three_days = EarlierDelivery("ORD-1", "l1", RX, RX + timedelta(days=2))
    (w,) = r.early_renewal(product(CLAMOXYL_1G, earlier=(three_days,), ordonnance="ORD-1"))
    assert w.code == "EARLY_RENEWAL" and "17/01/2026" in w.message
    assert r.early_renewal(product(CLAMOXYL_1G, earlier=(three_days,), ordonnance="ORD-1",
                                   today=RX + timedelta(days=3))) == []


def test_no_delivery_beyond_remaining():
    (f,) = r.no_delivery_beyond_remaining(check(boxes=3, remaining_boxes=D(2)))
    assert f.blocking and "2 boîte(s)" in f.message and f.code == "BEYOND_REMAINING"
    assert r.no_delivery_beyond_remaining(check(boxes=2, remaining_boxes=D(2))) == []
    assert r.no_delivery_beyond_remaining(check(renewal_index=1))[0].blocking
    assert r.no_delivery_beyond_remaining(check(renewal_index=1, renewals_written=1)) == []
    assert r.no_delivery_beyond_remaining(check(renewal_index=1, listed="I")) == []  # its own rule says it


def test_quantity_above_need_is_a_warning_that_can_be_overridden():
    (w,) = r.quantity_above_need(check(boxes=3, computed_boxes=2))
    assert w.severity is Severity.WARNING and w.code == "QUANTITY_ABOVE_NEED"
    assert r.unresolved([w], {}) == [w]
    assert r.unresolved([w], {r.override_key("l1", w.rule): "  "}) == [w]
    assert r.unresolved([w], {r.override_key("l1", w.rule): "départ en vacances"}) == []
    info = r.Finding("fractioned_delivery", Severity.INFO, "x", "R.5132-30", "l1")
    assert r.unresolved([info], {}) == []


def test_check_line_puts_blocking_first_and_every_rule_has_an_article():
    found = r.check_line(check(listed="I", boxes=3, computed_boxes=1, remaining_boxes=D(1)))
    assert found[0].blocking and not found[-1].blocking
    for rule in r.RULES:
        assert "Art." in rule.__doc__ and ("CSP" in rule.__doc__ or "CSS" in rule.__doc__)
    assert {f.code for f in found} <= set(CODES)


def test_codes_and_levels_are_stable():
    assert r.Finding("narcotic_at_most_28_days", Severity.BLOCKING, "x", "R").code == "MAX_PRESCRIPTION_DURATION"
    assert r.Finding("x", Severity.INFO, "x", "R", code="OVERLAP").code == "OVERLAP"
    assert [s.level for s in Severity] == ["block", "warn", "info"]


def test_earlier_names_still_answer():
    assert r.narcotic_at_most_28_days is r.max_prescription_duration
    assert r.narcotic_fractioning is r.fractioned_delivery
    assert r.narcotic_no_overlap is r.no_overlap


def test_conditions_derived_from_flags_when_not_given():
    c = check(narcotic=True)
    assert c.product.narcotic and c.product.duration_limit_days() == 28
    assert product(RIVOTRIL_2).narcotic is False and product(RIVOTRIL_2).listed == "I"


@pytest.mark.parametrize("cis, expected", [(ACTISKENAN_10, True), (RIVOTRIL_2, True), (TAHOR_20, False)])
def test_bearer_identity_for_stupefiants_and_assimiles(cis, expected):
    assert r.bearer_identity_required(bdpm.conditions(cis)) is expected


# --- the limits given to the quantity proposal -----------------------------------------------------


def test_delivery_limits_of_real_products():
    tahor = r.delivery_limits(product(TAHOR_20, 28, treatment_days=D(90)))
    assert [x.code for x in tahor] == ["MONTH_PER_DELIVERY"]
    assert r.delivery_limits(product(TAHOR_20, 90, treatment_days=D(90))) == []  # one large pack
    methadone = {x.code: x for x in r.delivery_limits(product(METHADONE_10, 7, daily_units=D(6), treatment_days=D(14)))}
    assert methadone["FRACTIONED_DELIVERY"].days == 7 and methadone["MAX_PRESCRIPTION_DURATION"].days == 28
    assert "MONTH_PER_DELIVERY" not in methadone
    rivotril = {x.code for x in r.delivery_limits(product(RIVOTRIL_2, treatment_days=D(84)))}
    assert rivotril == {"MONTH_PER_DELIVERY", "MAX_PRESCRIPTION_DURATION"}
    late = {x.code: x for x in r.delivery_limits(product(ACTISKENAN_10, treatment_days=D(14),
                                                        today=RX + timedelta(days=8)))}
    assert late["NARCOTIC_PRESENTATION_WINDOW"].days == 6
    remaining = r.delivery_limits(check(remaining_boxes=D(2)))
    assert [(x.code, x.boxes) for x in remaining] == [("BEYOND_REMAINING", D(2))]


def test_coverage_end():
    assert r.coverage_end(RX, 1, D(28), D(1)) == RX + timedelta(days=27)
    assert r.coverage_end(RX, 1, None, D(1)) is None


def test_the_readme_lists_every_finding_code():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert [code for code in r.CODES if f"| {code} |" not in readme] == []


def test_first_delivery_window_is_per_line_not_per_ordonnance():
    """R.5132-22: "la première délivrance de ces médicaments" — another line of the ordonnance delivered
    two months ago does not open the three months for a line never delivered."""
    late = date(2026, 4, 15)
    other_line = EarlierDelivery("ORD-1", "l2", RX + timedelta(days=60), None, ("X",))
    (f,) = r.first_delivery_within_three_months(
        product(TAHOR_20, 28, today=late, earlier_deliveries=1, earlier=(other_line,)))
    assert f.blocking and "14/04/2026 au plus tard" in f.message
    this_line = EarlierDelivery("ORD-1", "l1", RX + timedelta(days=60), None, ("X",))
    assert r.first_delivery_within_three_months(product(TAHOR_20, 28, today=late, earlier=(this_line,))) == []
    assert r.first_delivery_within_three_months(product(TAHOR_20, 28, today=late, line_deliveries=1)) == []
    (g,) = r.first_delivery_within_three_months(product(TAHOR_20, 28, today=late, earlier_deliveries=2,
                                                        line_deliveries=0))
    assert g.code == "VALIDITY_FIRST_DELIVERY"


def test_late_fraction_of_a_stupefiant_only_what_is_left_of_that_fraction():
    """METHADONE fractioned by 7 days, 28 days prescribed: the previous fraction ran out on day 7
    (RX + 6); presented on RX + 12 (six days after), only the days left of the fraction (RX + 7 to
    RX + 13) may be handed over: 2 days, one box."""
    late = product(METHADONE_10, 7, treatment_days=D(28), previous_coverage_end=RX + timedelta(days=6),
                   today=RX + timedelta(days=12), daily_units=D(1), boxes=1)
    remaining, end = r.narcotic_remaining(late)
    assert (remaining, end) == (D(2), RX + timedelta(days=14))
    (w,) = r.narcotic_presented_within_three_days(late)
    assert "2 jours restants" in w.message and f"{(RX + timedelta(days=13)):%d/%m/%Y} inclus" in w.message
    (limit,) = [x for x in r.delivery_limits(late) if x.code == "NARCOTIC_PRESENTATION_WINDOW"]
    assert limit.days == 2
    # presented in time after the fraction: nothing to say
    assert r.narcotic_remaining(product(METHADONE_10, 7, treatment_days=D(28), daily_units=D(1),
                                        previous_coverage_end=RX + timedelta(days=6),
                                        today=RX + timedelta(days=9))) is None


def test_overlap_message_says_until_when_and_what_allows_it():
    (f,) = r.no_overlap(check(narcotic=True, previous_coverage_end=RX + timedelta(days=5)))
    assert "jusqu'au 20/01/2026 inclus" in f.message and "à partir du 21/01/2026" in f.message
    assert "mention expresse autorisant le chevauchement" in f.message


LEELOO = "66819566"  # lévonorgestrel + éthinylestradiol, liste I, boxes of 1 and 3 blisters of 21
CERAZETTE = "61452187"  # désogestrel, liste I, boxes of 1 and 3 blisters of 28


def test_contraceptives_three_months_at_once():
    """R.5132-22: contraceptives may be handed over for three months at once — three blisters, in three
    boxes of one or one box of three; not four, and a non-contraceptive of liste I keeps its month."""
    from app.domain.substances import is_contraceptive

    assert is_contraceptive(bdpm.substances(LEELOO)) and is_contraceptive(bdpm.substances(CERAZETTE))
    assert not is_contraceptive(bdpm.substances(TAHOR_20))
    assert not is_contraceptive(["ESTRADIOL HÉMIHYDRATÉ"]) and not is_contraceptive(["DIÉNOGEST"])
    assert is_contraceptive(["VALÉRATE D'ESTRADIOL", "DIÉNOGEST"])
    year = dict(treatment_days=D(336), daily_units=D(1))
    assert r.at_most_one_month_at_once(product(LEELOO, 21, boxes=3, **year)) == []
    (f,) = r.at_most_one_month_at_once(product(LEELOO, 21, boxes=4, **year))
    assert f.blocking and "trois mois (contraceptif)" in f.message
    assert r.at_most_one_month_at_once(product(LEELOO, 63, boxes=1, **year)) == []
    assert r.at_most_one_month_at_once(product(LEELOO, 63, boxes=2, **year))
    assert r.at_most_one_month_at_once(product(CERAZETTE, 28, boxes=3, **year)) == []
    (limit,) = [x for x in r.delivery_limits(product(CERAZETTE, 28, boxes=12, **year))
                if x.code == "MONTH_PER_DELIVERY"]
    assert limit.boxes == 3
    assert r.at_most_one_month_at_once(product(TAHOR_20, 28, boxes=3, **year))


def test_three_month_pack_only_for_a_treatment_of_three_months():
    """TAHOR 20 mg ×90: one box for three months (or a month renewed twice); for one month, a warning
    the pharmacist passes only with a reason."""
    assert r.at_most_one_month_at_once(product(TAHOR_20, 90, treatment_days=D(90))) == []
    assert r.at_most_one_month_at_once(product(TAHOR_20, 90, treatment_days=D(30), renewals_written=2)) == []
    (f,) = r.at_most_one_month_at_once(product(TAHOR_20, 90, treatment_days=D(30)))
    assert f.severity is Severity.WARNING and "au moins trois mois" in f.message and "90 jours" in f.message
    assert r.at_most_one_month_at_once(product(TAHOR_20, 90, treatment_days=None)) == []  # unknown: allowed
