"""Boxes from posology × duration ÷ pack, on the HAS examples, on real BDPM packs and on the edge cases."""

from __future__ import annotations

import dataclasses
import os
from decimal import Decimal

import pytest

from app.domain.prescription import (
    Dosage,
    Duration,
    MedicationKind,
    MedicationRef,
    PrescriptionLine,
    Quantity,
    Timing,
)
from app.domain.quantities import (
    DeliveryLimit,
    PackInfo,
    PatientMeasures,
    ProposalBasis,
    administrations_per_day,
    boxes_for_units,
    choose_pack,
    compute_boxes,
    days_covered,
    month_count,
    pack_info,
    propose_quantity,
    same_unit,
    unit_content,
)
from tests.domain import bdpm
from tests.domain.has_fixtures import FIXTURES, lines

D = Decimal
TAHOR_20 = "69902323"
DUROGESIC_25 = "60914025"
LANTUS_CARTOUCHE = "61404477"
DIPROSONE_CREME = "61938997"
DOLIPRANE_300_SUPPO = "67210479"
METHOTREXATE_2_5 = "60695745"
METHADONE_10 = "60998856"
METHADONE_SIROP = "67255773"


def one(name: str) -> PrescriptionLine:
    (line,) = lines(name)
    return line


def with_duration(line: PrescriptionLine, days: int) -> PrescriptionLine:
    return dataclasses.replace(line, duration=Duration(D(days), "d"))


def line(*dosages: Dosage, duration: Duration | None = None, **kw) -> PrescriptionLine:
    base = dict(line_id="l1", medication=MedicationRef(MedicationKind.TEXT, "X"), posology_text="")
    return PrescriptionLine(**{**base, **kw}, dosages=dosages, duration=duration)


def take(value, unit: str = "comprimé", *, per_day: int | None = 1, sequence: int | None = None,
         days: int | None = None, **timing) -> Dosage:
    """"<value> <unit> <per_day> fois par jour [pendant <days> jours]"."""
    if per_day is not None and "period_unit" not in timing and "time_of_day" not in timing:
        timing = {"frequency": per_day, "period": D(1), "period_unit": "d", **timing}
    bounds = Duration(D(days), "d") if days is not None else None
    return Dosage(dose=Quantity(D(str(value)), unit), sequence=sequence, timing=Timing(bounds_duration=bounds, **timing))


def months(n: int) -> Duration:
    return Duration(D(n), "mo")


# --- the HAS examples -----------------------------------------------------------------------------


def test_dafalgan_codeine_dose_range_counts_the_maximum():
    est = compute_boxes(one("HAS-04b-Presc-DAFALGANCODEINE.json"), PackInfo(D(16), "comprimé"))
    assert est.boxes == 3  # 2 cp × 2 a day (capped at 4 a day) × 10 days = 40 → 40 / 16 = 2.5 → 3
    assert est.units_needed == 40
    assert "arrondi au supérieur : 3 boîtes" in est.explanation
    assert "10 jours" in est.explanation


def test_enoxaparine_without_duration_proposes_one_box_and_says_why():
    line_ = one("HAS-12-3-Presc-Enoxaparine.json")
    lovenox = bdpm.pack(bdpm.box("60782303", 2))
    est = compute_boxes(line_, lovenox)
    assert est.boxes is None and "durée" in est.reason and est.daily_units == 2
    proposal = propose_quantity(line_, lovenox)
    assert proposal.boxes == 1 and proposal.basis is ProposalBasis.SMALLEST_PACK
    assert "durée du traitement non précisée" in proposal.why and "1 jour de traitement" in proposal.why
    est = compute_boxes(with_duration(line_, 10), bdpm.pack(bdpm.box("60782303", 6)))
    assert est.boxes == 4 and est.units_needed == 20  # the EDQM "Seringue" is the pack's "seringue(s) préremplie(s)"


def test_amiodarone_weekdays_only_for_a_month():
    line_ = one("HAS-23-2-Presc-Amiodarone.json")
    assert administrations_per_day(line_.dosages[0].timing) == D(5) / 7
    est = compute_boxes(line_, PackInfo(D(30), "comprimé"))
    assert est.units_needed == 22  # 30 days × 5/7, rounded up
    assert est.boxes == 1


def test_vitamin_d_monthly():
    line_ = one("HAS-11-1-Presc-VitamineD.json")
    assert compute_boxes(line_, PackInfo(D(1), "ampoule")).boxes is None
    est = compute_boxes(dataclasses.replace(line_, duration=Duration(D(3), "mo")), PackInfo(D(1), "ampoule"))
    assert est.boxes == 3


def test_actiskenan_dose_in_mg_converted_by_unit_strength():
    line_ = one("HAS-05b-Presc-ACTISKENAN.json")
    est = compute_boxes(line_, bdpm.pack(bdpm.box("64288864", 14)))
    assert est.units_needed == 7 and est.boxes == 1
    assert "10 mg ÷ 10 mg par gélule" in est.explanation
    missing = compute_boxes(line_, PackInfo(D(14), "gélule"))
    assert missing.boxes is None and "mg" in missing.reason


def test_codoliprane_as_needed_counts_the_maximum_per_day():
    line_ = one("HAS-14-1-Presc-CODOLIPRANE.json")
    assert compute_boxes(line_, PackInfo(D(16), "comprimé")).boxes is None
    est = compute_boxes(with_duration(line_, 5), PackInfo(D(16), "comprimé"))
    assert est.units_needed == 40  # 8 a day (maximum) × 5 days
    assert est.boxes == 3


def test_methotrexate_and_lederfoline_weekly_on_friday():
    mtx, folinic = sorted(lines("MultiLine-Presc-METHOTREXATE-LEDERFOLINE.json"), key=lambda x: x.line_id,
                          reverse=True)
    assert "METHOTREX" in mtx.medication.text
    assert compute_boxes(mtx, PackInfo(D(1), "flacon")).boxes == 8  # 2 a week × 4 weeks
    assert compute_boxes(folinic, PackInfo(D(12), "comprimé")).units_needed == 8


def test_methylprednisolone_sequential_doses_add_up():
    line_ = one("Presc-Methylpredinosolone-DosesEvolutives.json")
    est = compute_boxes(line_, PackInfo(D(30), "comprimé", Quantity(D(4), "mg")))
    # 6 mg (1.5 cp) × 2 d + 4 mg (1 cp) × 2 d + 2 mg (0.5 cp) × 2 d = 6 cp
    assert est.units_needed == 6 and est.boxes == 1 and est.days == 6


def test_infusion_rate_counts_bags_a_day():
    est = compute_boxes(one("Presc-PerfGl-NaCl-KCl-500ml.json"), PackInfo(D(1), "poche"))
    assert est.boxes == 10 and "débit de 1 Poche/12 h = 2 poches par jour × 5 jours" in est.explanation


def test_pca_morphine_needs_the_strength_of_the_bag():
    line_ = one("TradPN13FHIR-Presc-Morphine-PCA.json")
    est = compute_boxes(line_, PackInfo(D(1), "poche"))
    assert est.boxes is None and est.reason
    bag = PackInfo(D(1), "poche", Quantity(D(1), "mg"), Quantity(D(1), "ml"), Quantity(D(100), "ml"))
    est = compute_boxes(line_, bag)
    # 5 mg/h = 120 mg a day + bolus 10 mg at most every 2 h = 120 mg → 240 ml a day × 4 days = 9.6 bags
    assert est.units_needed == 10 and est.boxes == 10


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(FIXTURES) if n.endswith(".json")))
def test_every_has_line_gets_a_proposal(name):
    for line_ in lines(name):
        for pack in (PackInfo(D(30), "comprimé"), PackInfo(D(1), "flacon"), PackInfo(None, None)):
            proposal = propose_quantity(line_, pack)
            assert proposal.boxes >= 1 and proposal.why
            if proposal.basis is ProposalBasis.SMALLEST_PACK:
                assert "une boîte proposée" in proposal.why


# --- a pack of a month is a month ------------------------------------------------------------------


def test_tahor_one_a_day_for_one_month_is_one_box_of_28():
    tahor_28 = bdpm.pack(bdpm.box(TAHOR_20, 28))
    est = compute_boxes(line(take(1), duration=months(1)), tahor_28)
    assert est.boxes == 1 and est.units_needed == 28 and est.months == 1
    assert "quatre semaines" in est.explanation and "R.5132-22" in est.explanation
    # 30 days written in days: the same month
    assert compute_boxes(line(take(1), duration=Duration(D(30), "d")), tahor_28).boxes == 1
    # two a day for a month: two boxes of four weeks
    assert compute_boxes(line(take(2), duration=months(1)), tahor_28).boxes == 2


def test_tahor_three_months_is_one_box_of_90_or_three_of_28():
    tahor_90 = bdpm.pack(bdpm.box(TAHOR_20, 90))
    three = line(take(1), duration=months(3))
    assert compute_boxes(three, tahor_90).boxes == 1
    assert compute_boxes(three, bdpm.pack(bdpm.box(TAHOR_20, 28))).boxes == 3
    choice = choose_pack(three, [(p.cip13, bdpm.pack(p)) for p in bdpm.boxes_of(TAHOR_20)])
    assert choice[0] == bdpm.box(TAHOR_20, 90).cip13 and "L.5125-23" in choice[1]
    # a month renewed twice is three months too
    renewed = line(take(1), duration=months(1), renewals=2)
    assert choose_pack(renewed, [(p.cip13, bdpm.pack(p)) for p in bdpm.boxes_of(TAHOR_20)])[0] == \
        bdpm.box(TAHOR_20, 90).cip13
    one_month = choose_pack(line(take(1), duration=months(1)), [(p.cip13, bdpm.pack(p)) for p in bdpm.boxes_of(TAHOR_20)])
    assert one_month[0] == bdpm.box(TAHOR_20, 28).cip13


def test_month_count():
    assert [month_count(D(d)) for d in (27, 28, 31, 32, 56, 84, 90, 93, 94)] == [None, 1, 1, None, 2, 3, 3, 3, None]


def test_the_month_never_adds_days():
    """A weekly medicine for 28 days with single-unit packs stays 8 doses (not 30 days' worth)."""
    weekly = take(2, "flacon", per_day=None, period_unit="wk", frequency=1, day_of_week=("fri",))
    assert compute_boxes(line(weekly, duration=Duration(D(28), "d")), PackInfo(D(1), "flacon")).boxes == 8


# --- every dosage counts ----------------------------------------------------------------------------


def test_doses_at_set_hours_add_up_over_their_duration():
    """"2 comprimés à 7 h, 1 comprimé à 18 h, 5 jours": two simultaneous dosages."""
    morning = take(2, per_day=None, time_of_day=("07:00:00",), days=5)
    evening = take(1, per_day=None, time_of_day=("18:00:00",), days=5)
    est = compute_boxes(line(morning, evening), PackInfo(D(10), "comprimé"))
    assert est.units_needed == 15 and est.days == 5 and est.boxes == 2


def test_weekly_schedule_of_two_days():
    monday = take(1, per_day=None, period_unit="wk", frequency=1, day_of_week=("mon",))
    thursday = take(2, per_day=None, period_unit="wk", frequency=1, day_of_week=("thu",))
    est = compute_boxes(line(monday, thursday, duration=Duration(D(4), "wk")), PackInfo(D(30), "comprimé"))
    assert est.units_needed == 12  # 3 a week × 4 weeks


def test_tapering_phases_follow_each_other():
    phases = (take(3, sequence=1, days=3), take(2, sequence=2, days=3), take(1, sequence=3, days=4))
    est = compute_boxes(line(*phases), PackInfo(D(20), "comprimé"))
    assert est.units_needed == 9 + 6 + 4 and est.days == 10 and est.boxes == 1


def test_fractional_dose_over_99_days():
    est = compute_boxes(line(take("0.5", days=99)), PackInfo(D(30), "comprimé"))
    assert est.units_needed == 50 and est.boxes == 2  # 49.5 rounded up to whole tablets


def test_single_dose_needs_no_duration():
    single = Dosage(dose=Quantity(D(1), "sachet"), timing=Timing(count=1))
    est = compute_boxes(line(single), PackInfo(D(1), "sachet-dose"))
    assert est.boxes == 1 and est.units_needed == 1


def test_last_phase_without_bound_runs_to_the_end_of_the_line():
    daily = Dosage(dose=Quantity(D(1), "comprimé"), timing=Timing(time_of_day=("08:00", "20:00"),
                                                                  bounds_duration=Duration(D(2), "d")))
    after = take(1, sequence=2)
    est = compute_boxes(line(daily, after, duration=Duration(D(10), "d")), PackInfo(D(10), "comprimé"))
    # The second dosage has no bound: the line's 10 days leave it 8 days → 4 + 8 = 12.
    assert est.units_needed == 12 and est.boxes == 2


# --- units and measures ------------------------------------------------------------------------------


def test_patch_every_three_days_against_transdermal_devices():
    patch = take(1, "patch", per_day=None, frequency=1, period=D(3), period_unit="d")
    est = compute_boxes(line(patch, duration=Duration(D(28), "d")), bdpm.pack(bdpm.box(DUROGESIC_25, 5)))
    assert est.units_needed == 10 and est.boxes == 2  # 28 / 3 = 9.3 → 10 patches, boxes of 5


def test_unit_synonyms_are_data():
    assert same_unit("Comprimé", "comprimé(s) pelliculé(s)")
    assert same_unit("Seringue", "seringues préremplies")
    assert same_unit("patch", "dispositif(s) transdermique(s)")
    assert same_unit("sachet", "sachet-dose")
    assert same_unit("gélule", "capsule")
    assert same_unit("bouffée", "dose")
    assert not same_unit("mg", "comprimé")
    assert not same_unit("stylo", "cartouche")


def test_dose_per_kg_uses_the_weight_or_says_it_is_missing():
    per_kg = take(15, "mg/kg", per_day=4, days=3)
    suppo = bdpm.pack(bdpm.box(DOLIPRANE_300_SUPPO, 10))
    est = compute_boxes(line(per_kg), suppo, patient=PatientMeasures(weight_kg=D(20)))
    assert est.units_needed == 12 and est.boxes == 2  # 15 mg/kg × 20 kg = 300 mg = 1 suppository, 4 a day, 3 days
    assert "15 mg/kg × 20 kg = 300 mg" in est.explanation
    missing = propose_quantity(line(per_kg), suppo)
    assert missing.boxes == 1 and "poids du patient" in missing.why


def test_dose_per_square_metre_uses_the_body_surface():
    per_m2 = take(15, "mg/m2", per_day=None, period_unit="wk", frequency=1, day_of_week=("mon",))
    tablets = bdpm.pack(bdpm.box(METHOTREXATE_2_5, 20))
    patient = PatientMeasures(weight_kg=D(70), height_cm=D(170))
    assert patient.body_surface() == D("1.82")
    est = compute_boxes(line(per_m2, duration=Duration(D(4), "wk")), tablets, patient=patient)
    # 15 × 1.82 = 27.3 mg = 10.92 tablets a week × 4 weeks = 43.68 → 44 tablets, boxes of 20 → 3
    assert est.units_needed == 44 and est.boxes == 3
    assert compute_boxes(line(per_m2, duration=Duration(D(4), "wk")), tablets,
                         patient=PatientMeasures(weight_kg=D(70))).reason.startswith("dose de 15 mg/m2")


def test_cream_application_proposes_one_tube():
    application = take(1, "application", per_day=2, days=10)
    tube = bdpm.pack(bdpm.box(DIPROSONE_CREME, 1))
    assert tube.unit_content == Quantity(D(30), "g")
    proposal = propose_quantity(line(application), tube)
    assert proposal.boxes == 1 and proposal.basis is ProposalBasis.SMALLEST_PACK
    assert "application" in proposal.why and "tube" in proposal.why
    # a dose in grams of a w/w cream is grams of cream, not of betamethasone
    est = compute_boxes(line(take(1, "g", per_day=2, days=10)), tube)
    assert est.units_needed == 1 and est.boxes == 1  # 20 g of cream: one tube of 30 g


def test_insulin_fixed_dose_and_sliding_scale():
    cartridges = bdpm.pack(bdpm.box(LANTUS_CARTOUCHE, 5))
    fixed = take(20, "UI", per_day=None, when=("HS",), days=30)
    est = compute_boxes(line(fixed), cartridges)
    assert est.units_needed == 2 and est.boxes == 1  # 20 UI = 0.2 ml a day × 30 = 6 ml = 2 cartridges of 3 ml
    sliding = Dosage(dose_low=Quantity(D(2), "UI"), dose_high=Quantity(D(10), "UI"), as_needed=True,
                     as_needed_text="selon glycémie", timing=Timing(when=("ACM", "ACD", "ACV")))
    proposal = propose_quantity(line(sliding, duration=months(1)), cartridges)
    # the highest dose at each meal: 30 UI a day × 30 days = 9 ml, three cartridges of one box
    assert proposal.boxes == 1 and proposal.need.units_needed == 3
    assert "jusqu'à 10 UI (dose maximale) × 3 par jour" in proposal.why
    unknown_rhythm = dataclasses.replace(sliding, timing=Timing())
    fallback = propose_quantity(line(unknown_rhythm, duration=months(1)), cartridges)
    assert fallback.boxes == 1 and fallback.basis is ProposalBasis.SMALLEST_PACK
    assert "« si besoin » sans maximum par jour" in fallback.why
    with_max = dataclasses.replace(sliding, max_dose_per_period=(Quantity(D(30), "UI"), Quantity(D(1), "jour", code="d")))
    assert compute_boxes(line(with_max, duration=months(1)), cartridges).units_needed == 3  # 30 UI × 30 d = 9 ml


def test_syrup_in_mg_and_ml():
    drum = bdpm.pack(bdpm.box(METHADONE_SIROP, 1))
    assert drum.unit_content == Quantity(D(5), "l")
    est = compute_boxes(line(take(60, "mg", days=14)), drum)
    assert est.boxes == 1 and "60 mg à 1,33 mg pour 1 ml" in est.explanation


def test_pack_info_from_catalogue_words():
    assert unit_content("5 cartouche(s) en verre de 3 ml") == Quantity(D(3), "ml")
    assert unit_content("plaquette(s) PVC de 30 comprimé(s)") is None
    info = pack_info(D(5), "cartouche", "5 cartouche(s) en verre de 3 ml", dosage="100 UI",
                     reference="1 ml de la solution injectable")
    assert info.unit_strength == Quantity(D(100), "UI") and info.strength_per == Quantity(D(1), "ml")
    assert pack_info(D(30), "comprimé", dosage="20 mg", reference="un comprimé").strength_per is None


def test_explicit_quantity_in_boxes_or_units():
    assert compute_boxes(line(quantity=Quantity(D(2), "boîtes")), PackInfo(D(30), "comprimé")).boxes == 2
    est = compute_boxes(line(quantity=Quantity(D(60), "comprimés")), PackInfo(D(28), "comprimé"))
    assert est.boxes == 3 and "Quantité prescrite" in est.explanation
    assert propose_quantity(line(quantity=Quantity(D(2), "boîtes")), PackInfo(D(30), "comprimé")).basis \
        is ProposalBasis.PRESCRIBED


def test_pack_content_unknown_gives_a_reason():
    est = compute_boxes(line(take(1), duration=Duration(D(30), "d")), PackInfo(None, None))
    assert est.boxes is None and "boîte" in est.reason and est.units_needed == 30


def test_no_dosage_at_all():
    est = compute_boxes(line(), PackInfo(D(30), "comprimé"))
    assert est.boxes is None and "posologie non structurée" in est.reason
    assert propose_quantity(line(), PackInfo(D(30), "comprimé")).boxes == 1


def test_zero_dose_is_not_a_quantity():
    assert compute_boxes(line(take(0), duration=Duration(D(30), "d")), PackInfo(D(30), "comprimé")).boxes is None
    assert propose_quantity(line(take(0), duration=Duration(D(30), "d")), PackInfo(D(30), "comprimé")).boxes == 1


def test_days_covered_and_boxes_for_other_pack_sizes():
    assert days_covered(2, D(30), D(2)) == 30
    assert days_covered(2, None, D(2)) is None
    assert boxes_for_units(D(28), PackInfo(D(30), "comprimé"))[0] == 1
    assert boxes_for_units(D(84), PackInfo(D(30), "comprimé"))[0] == 3
    assert boxes_for_units(D(5), PackInfo(None, "comprimé"))[0] is None


def test_once_a_day_at_two_times_counts_two_takes():
    timing = Timing(frequency=1, period=D(1), period_unit="d", time_of_day=("08:00", "20:00"))
    assert administrations_per_day(timing) == 2
    assert administrations_per_day(Timing(frequency=3, period=D(1), period_unit="d")) == 3
    assert administrations_per_day(Timing(frequency=1, period_unit="wk", day_of_week=("fri",))) == D(1) / 7
    assert administrations_per_day(Timing()) is None


# --- what is handed over now -------------------------------------------------------------------------


def test_limits_lower_the_proposal_and_say_why():
    three_months = line(take(1), duration=months(3))
    tahor_28 = bdpm.pack(bdpm.box(TAHOR_20, 28))
    month = DeliveryLimit("MONTH_PER_DELIVERY", "liste I : un mois par délivrance", "R.5132-22", months=1)
    proposal = propose_quantity(three_months, tahor_28, limits=[month])
    assert proposal.need.boxes == 3 and proposal.boxes == 1 and proposal.limited_by == ("MONTH_PER_DELIVERY",)
    assert "Proposé : 1 boîte — liste I : un mois par délivrance" in proposal.why
    assert proposal.days_covered == 28 and not proposal.complete


def test_fraction_of_methadone_capsules():
    sixty_mg = line(take(60, "mg", days=14))
    capsules = bdpm.pack(bdpm.box(METHADONE_10, 7))
    fraction = DeliveryLimit("FRACTIONED_DELIVERY", "délivrance fractionnée par 7 jours", "R.5132-30", days=D(7))
    proposal = propose_quantity(sixty_mg, capsules, limits=[fraction])
    assert proposal.need.boxes == 12 and proposal.boxes == 6 and proposal.days_covered == 7


def test_boxes_limit_never_below_one():
    limit = DeliveryLimit("BEYOND_REMAINING", "il ne reste qu'une boîte", "R.5132-14", boxes=D("0.5"))
    assert propose_quantity(line(take(2), duration=months(1)), PackInfo(D(30), "comprimé"), limits=[limit]).boxes == 1


def test_a_quantity_in_boxes_is_restated_in_units_of_the_box_named():
    """"1 boîte" of TAHOR 20 ×28: a generic in boxes of 30 is one box for 28 tablets, a box of 90 one
    box too (the need, not one of its own boxes)."""
    from app.domain.quantities import compute_boxes, pack_info, quantity_in_units

    tahor = "69902323"
    rx = PrescriptionLine("l1", MedicationRef(MedicationKind.TEXT, "TAHOR 20 mg"), "1 comprimé par jour",
                          quantity=Quantity(D(1), "boîte"))
    box28 = bdpm.box(tahor, 28)
    counted = quantity_in_units(rx, pack_info(box28.pack_quantity, box28.pack_unit))
    assert counted.quantity.value == 28
    for units, boxes in ((30, 1), (90, 1), (14, 2)):
        estimate = compute_boxes(counted, pack_info(D(units), box28.pack_unit))
        assert (estimate.boxes, estimate.units_needed) == (boxes, 28)
    assert quantity_in_units(counted, pack_info(D(30), "comprimé")) is counted  # in units already


TOPLEXIL_SIROP = "62982231"  # oxomémazine 0,033 g / 100 ml, flacon de 150 ml avec gobelet doseur
HELICIDINE = "61404858"  # 10 ml / 100 ml de sirop, flacons de 125 et 250 ml


def _syrup_line(cis: str, dose: str, unit: str, per_day: int, days: int) -> PrescriptionLine:
    dosage = Dosage(dose=Quantity(D(dose), unit), timing=Timing(frequency=per_day, period=D(1), period_unit="d"))
    return PrescriptionLine("l1", MedicationRef(MedicationKind.CIS, "sirop", cis), "sirop", dosages=(dosage,),
                            duration=Duration(D(days), "d"))


def test_spoons_are_millilitres_of_the_bottle():
    """"2 cuillères à café 4 fois par jour pendant 5 jours" of a 150 ml syrup: 10 ml × 4 × 5 = 200 ml,
    two bottles; "1 cuillère à soupe 3 fois par jour pendant 5 jours" of HELICIDINE: 225 ml, two
    bottles of 125 ml or one of 250 ml (5 ml, 15 ml: the ANSM's household measures)."""
    toplexil = bdpm.pack(bdpm.boxes_of(TOPLEXIL_SIROP)[0])
    est = compute_boxes(_syrup_line(TOPLEXIL_SIROP, "2", "cuillères à café", 4, 5), toplexil)
    assert est.boxes == 2 and "= 10 ml" in est.explanation
    by_volume = {bdpm.pack(p).unit_content.value: bdpm.pack(p) for p in bdpm.boxes_of(HELICIDINE)}
    rx = _syrup_line(HELICIDINE, "1", "c. à s.", 3, 5)
    assert compute_boxes(rx, by_volume[D(125)]).boxes == 2 and compute_boxes(rx, by_volume[D(250)]).boxes == 1


def test_a_measuring_device_counts_only_with_its_volume():
    toplexil = bdpm.pack(bdpm.boxes_of(TOPLEXIL_SIROP)[0])
    unknown = compute_boxes(_syrup_line(TOPLEXIL_SIROP, "1", "gobelet doseur", 3, 5), toplexil)
    assert unknown.boxes is None and "notice" in unknown.reason
    known = compute_boxes(_syrup_line(TOPLEXIL_SIROP, "1", "cuillère-mesure de 5 ml", 3, 5), toplexil)
    assert known.boxes == 1 and known.units_needed == 1  # 75 ml of 150 ml
