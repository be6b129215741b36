"""The counter's one call per line, on real BDPM products: boxes proposed now, findings, offer order."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from app.domain.line_plan import (
    LineContext,
    check_delivery,
    duration_in_months,
    plan_line,
    plan_offer,
    prescriber_mentions,
)
from app.domain.prescription import (
    Dosage,
    Duration,
    MedicationKind,
    MedicationRef,
    NonSubstitutionReason,
    PrescriptionLine,
    Quantity,
    Timing,
)
from app.domain.rules import EarlierDelivery, Severity
from app.domain.substitution import OfferKind, Prescribed
from tests.domain import bdpm

D = Decimal
RX = date(2026, 11, 2)
CTX = LineContext(prescribed_on=RX, today=RX, ordonnance="ORD-2")
TAHOR_20 = "69902323"
RIVOTRIL_2 = "68429141"
METHADONE_10 = "60998856"
ACTISKENAN_10 = "64288864"
LEVOTHYROX_100 = "68416845"
REFACTO_250 = "60106606"


def line(text: str, dose, unit: str, per_day: int, duration: Duration, *, code: str | None = None,
         **kw) -> PrescriptionLine:
    dosage = Dosage(dose=Quantity(D(str(dose)), unit), timing=Timing(frequency=per_day, period=D(1), period_unit="d"))
    return PrescriptionLine("l1", MedicationRef(MedicationKind.CIS, text, code), text, dosages=(dosage,),
                            duration=duration, **kw)


def plan(cis: str, units: int, rx: PrescriptionLine, ctx: LineContext = CTX):
    return plan_line(rx, bdpm.box(cis, units), bdpm.speciality(cis), ctx)


def codes(found) -> dict[str, Severity]:
    return {f.code: f.severity for f in found}


def test_tahor_three_months_a_month_at_a_time_or_one_large_pack():
    three_months = line("TAHOR 20 mg", 1, "comprimé", 1, Duration(D(3), "mo"), code=TAHOR_20)
    monthly = plan(TAHOR_20, 28, three_months)
    assert monthly.proposal.need.boxes == 3 and monthly.proposal.boxes == 1
    assert monthly.proposal.limited_by == ("MONTH_PER_DELIVERY",) and "R.5132-22" in monthly.proposal.why
    assert not monthly.blocked and monthly.findings == ()
    large = plan(TAHOR_20, 90, three_months)
    assert large.proposal.boxes == 1 and large.proposal.limited_by == () and large.proposal.complete
    assert not large.bearer_identity


def test_tahor_one_month_is_one_box_and_two_boxes_are_refused():
    one_month = line("TAHOR 20 mg", 1, "comprimé", 1, Duration(D(1), "mo"), code=TAHOR_20)
    assert plan(TAHOR_20, 28, one_month).proposal.boxes == 1
    found = codes(check_delivery(one_month, bdpm.box(TAHOR_20, 28), bdpm.speciality(TAHOR_20), CTX, 2))
    assert found == {"MONTH_PER_DELIVERY": Severity.BLOCKING, "QUANTITY_ABOVE_NEED": Severity.WARNING}


def test_rivotril_twelve_weeks_is_not_a_stupefiant():
    rx = line("RIVOTRIL 2 mg", 1, "comprimé", 3, Duration(D(4), "wk"), code=RIVOTRIL_2, renewals=2)
    p = plan(RIVOTRIL_2, 28, rx)
    assert p.proposal.boxes == 3  # 3 a day for four weeks, boxes of 28
    assert codes(p.findings) == {"RESTRICTED_PRESCRIBER": Severity.WARNING}
    assert p.bearer_identity and p.conditions.assimilated
    neurologist = plan(RIVOTRIL_2, 28, rx, dataclasses.replace(CTX, prescriber_specialty="neurologie"))
    assert neurologist.findings == ()
    earlier = EarlierDelivery("ORD-1", "l9", RX - timedelta(days=20), RX + timedelta(days=8),
                              bdpm.substances(RIVOTRIL_2), "RIVOTRIL 2 mg")
    overlapping = plan(RIVOTRIL_2, 28, rx, dataclasses.replace(CTX, earlier=(earlier,)))
    assert overlapping.blocked and codes(overlapping.findings)["OVERLAP"] is Severity.BLOCKING
    allowed = dataclasses.replace(rx, notes=("Chevauchement autorisé avec l'ordonnance du 13/10",))
    assert not plan(RIVOTRIL_2, 28, allowed, dataclasses.replace(CTX, earlier=(earlier,))).blocked


def test_methadone_capsules_one_fraction_of_seven_days():
    rx = line("METHADONE AP-HP 10 mg", 60, "mg", 1, Duration(D(14), "d"), code=METHADONE_10)
    p = plan(METHADONE_10, 7, rx)
    assert p.proposal.need.boxes == 12 and p.proposal.boxes == 6  # 6 capsules a day, boxes of 7: 7 days
    assert "FRACTIONED_DELIVERY" in p.proposal.limited_by
    found = codes(p.findings)
    assert found["FRACTIONED_DELIVERY"] is Severity.INFO and found["RESTRICTED_PRESCRIBER"] is Severity.WARNING
    assert found["SPECIAL_MONITORING"] is Severity.INFO and not p.blocked and p.bearer_identity


def test_actiskenan_presented_late_only_the_days_left():
    rx = line("ACTISKENAN 10 mg", 1, "gélule", 2, Duration(D(14), "d"), code=ACTISKENAN_10)
    late = dataclasses.replace(CTX, today=RX + timedelta(days=8))
    p = plan(ACTISKENAN_10, 14, rx, late)
    assert p.proposal.need.boxes == 2 and p.proposal.boxes == 1
    assert "NARCOTIC_PRESENTATION_WINDOW" in p.proposal.limited_by
    assert codes(p.findings)["NARCOTIC_PRESENTATION_WINDOW"] is Severity.WARNING
    renewal = plan(ACTISKENAN_10, 14, rx, dataclasses.replace(CTX, renewal_index=1))
    assert codes(renewal.findings)["RENEWAL_NOT_ALLOWED"] is Severity.BLOCKING


def test_hospital_only_product_is_blocked():
    rx = line("REFACTO AF 250 UI", 1, "seringue", 1, Duration(D(30), "d"))
    p = plan_line(rx, bdpm.boxes_of(REFACTO_250)[0], bdpm.speciality(REFACTO_250), CTX)
    assert p.blocked and codes(p.findings)["HOSPITAL_ONLY"] is Severity.BLOCKING


def test_offer_for_tahor_starts_with_the_cheapest_generic_and_plans_it():
    rx = line("TAHOR 20 mg", 1, "comprimé", 1, Duration(D(3), "mo"), code=TAHOR_20)
    group = [p for p in bdpm.group_of(TAHOR_20) if p.active]
    specialities = {cis: bdpm.speciality(cis) for cis in {p.cis for p in group}}
    prescribed = Prescribed(frozenset({TAHOR_20}), frozenset({"914"}))
    offer = plan_offer(rx, prescribed, group, specialities, CTX, preferred_labs=("BIOGARAN",))
    assert offer.verdict.allowed
    first = offer.alternatives[0]
    assert first.kind is OfferKind.GENERIC and first.product.pack_quantity == 90  # 3 months: the large pack
    assert offer.plan.product == first.product and offer.plan.proposal.boxes == 1
    assert offer.alternatives[-1].kind is OfferKind.PRINCEPS


def test_offer_for_levothyrox_mte_keeps_the_princeps():
    rx = line("LEVOTHYROX 100", 1, "comprimé", 1, Duration(D(30), "d"), code=LEVOTHYROX_100,
              substitution_allowed=False, non_substitution_reason=NonSubstitutionReason.MTE)
    group = bdpm.group_of(LEVOTHYROX_100)
    specialities = {cis: bdpm.speciality(cis) for cis in {p.cis for p in group}}
    offer = plan_offer(rx, Prescribed(frozenset({LEVOTHYROX_100}), frozenset({group[0].generic_group_id})),
                       group, specialities, CTX)
    assert not offer.verdict.allowed and offer.plan.product.name.startswith("LEVOTHYROX")
    assert all(f.code != "NON_SUBSTITUTABLE_UNJUSTIFIED" for f in offer.plan.findings)


def test_prescriber_mentions():
    base = line("X", 1, "comprimé", 1, Duration(D(14), "d"))
    assert prescriber_mentions(dataclasses.replace(base, notes=("Délivrance fractionnée par 7 jours",))).fraction_days == 7
    assert prescriber_mentions(dataclasses.replace(base, notes=("délivrance en une seule fois",))).single_delivery
    assert prescriber_mentions(dataclasses.replace(base, notes=("chevauchement autorisé",))).overlap_allowed
    assert not prescriber_mentions(dataclasses.replace(base, notes=("pas de chevauchement",))).overlap_allowed
    assert not prescriber_mentions(dataclasses.replace(base, notes=("Chevauchement interdit",))).overlap_allowed
    assert duration_in_months(line("X", 1, "comprimé", 1, Duration(D(1), "mo")))
    assert not duration_in_months(base)


def test_a_dose_in_mg_reads_the_strength_of_the_base_not_of_the_salt():
    """TAHOR 20 mg: CIS_COMPO gives the salt (SA, atorvastatine calcique trihydratée, no dosage in
    69902323, 21,69 mg in 65161752) and the base (FT, atorvastatine 20 mg); "20 mg a day" is one tablet."""
    from app.domain.line_plan import pack_of, strength_composition

    for cis in (TAHOR_20, "65161752"):
        spec = bdpm.speciality(cis)
        assert strength_composition(spec).dosage == "20 mg"
        assert pack_of(bdpm.box(cis, 28), spec).unit_strength == Quantity(D(20), "mg")
        rx = line("TAHOR 20 mg", 20, "mg", 1, Duration(D(28), "d"), code=cis)
        proposal = plan(cis, 28, rx).proposal
        assert proposal.need.units_needed == 28 and proposal.boxes == 1


FOSAMAX_70 = "62158815"  # alendronate 70 mg, one tablet a week, liste I, boxes of 4 and 12


def test_weekly_tablet_counted_in_weeks():
    """One tablet a week for three months: twelve weeks, three boxes of 4 (not 90 / 7 = 13 tablets,
    four boxes); a month at a time is one box of four weeks, and the box of 12 is the three-month pack."""
    weekly = Dosage(dose=Quantity(D(1), "comprimé"), timing=Timing(frequency=1, period=D(1), period_unit="wk"))
    rx = PrescriptionLine("l1", MedicationRef(MedicationKind.CIS, "FOSAMAX 70 mg", FOSAMAX_70), "FOSAMAX 70 mg",
                          dosages=(weekly,), duration=Duration(D(3), "mo"))
    four = plan(FOSAMAX_70, 4, rx)
    assert four.proposal.need.units_needed == 12 and four.proposal.need.boxes == 3
    assert four.proposal.boxes == 1 and four.proposal.limited_by == ("MONTH_PER_DELIVERY",)
    found = codes(check_delivery(rx, bdpm.box(FOSAMAX_70, 4), bdpm.speciality(FOSAMAX_70), CTX, 2))
    assert found == {"MONTH_PER_DELIVERY": Severity.BLOCKING}
    twelve = plan(FOSAMAX_70, 12, rx)
    assert twelve.proposal.boxes == 1 and twelve.proposal.complete and not twelve.blocked


def test_prescribed_quantity_and_qsp():
    """"1 comprimé par jour, QSP 3 mois" is three months (three boxes of 28, a month handed over at a
    time); "2 boîtes" (also as the UCUM annotation "{boîte}") replaces the computation, and the month
    rule still lowers what is handed over at once."""
    daily = Dosage(dose=Quantity(D(1), "comprimé"), timing=Timing(frequency=1, period=D(1), period_unit="d"))
    qsp = PrescriptionLine("l1", MedicationRef(MedicationKind.CIS, "TAHOR 20 mg", TAHOR_20),
                           "1 comprimé par jour QSP 3 mois", dosages=(daily,))
    proposal = plan(TAHOR_20, 28, qsp).proposal
    assert proposal.need.boxes == 3 and proposal.need.months == 3 and proposal.boxes == 1
    assert plan(TAHOR_20, 90, qsp).proposal.complete
    for unit in ("boîtes", "{boîte}"):
        two = dataclasses.replace(qsp, posology_text="1 comprimé par jour", quantity=Quantity(D(2), unit),
                                  duration=Duration(D(1), "mo"))
        capped = plan(TAHOR_20, 28, two).proposal
        assert capped.need.boxes == 2 and capped.boxes == 1 and capped.limited_by == ("MONTH_PER_DELIVERY",)
    one = dataclasses.replace(qsp, quantity=Quantity(D(1), "boîte"))
    assert plan(TAHOR_20, 28, one).proposal.need.boxes == 1  # the prescriber's box, not QSP's three
