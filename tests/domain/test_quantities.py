"""Boxes from posology × duration ÷ pack, on the HAS examples and on the edge cases."""

from __future__ import annotations

import dataclasses
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
from app.domain.quantities import PackInfo, administrations_per_day, compute_boxes, days_covered, same_unit
from tests.domain.has_fixtures import lines

D = Decimal


def one(name: str) -> PrescriptionLine:
    (line,) = lines(name)
    return line


def with_duration(line: PrescriptionLine, days: int) -> PrescriptionLine:
    return dataclasses.replace(line, duration=Duration(D(days), "d"))


def test_dafalgan_codeine_dose_range_counts_the_maximum():
    est = compute_boxes(one("HAS-04b-Presc-DAFALGANCODEINE.json"), PackInfo(D(16), "comprimé"))
    assert est.boxes == 3  # 2 cp × 2 a day (capped at 4 a day) × 10 days = 40 → 40 / 16 = 2.5 → 3
    assert est.units_needed == 40
    assert "arrondi au supérieur : 3 boîtes" in est.explanation
    assert "10 jours" in est.explanation


def test_enoxaparine_without_duration_cannot_be_computed():
    line = one("HAS-12-3-Presc-Enoxaparine.json")
    est = compute_boxes(line, PackInfo(D(10), "seringue(s) préremplie(s)"))
    assert est.boxes is None and "durée" in est.reason
    est = compute_boxes(with_duration(line, 10), PackInfo(D(10), "seringue(s) préremplie(s)"))
    assert est.boxes == 2 and est.units_needed == 20


def test_amiodarone_weekdays_only_for_a_month():
    line = one("HAS-23-2-Presc-Amiodarone.json")
    assert administrations_per_day(line.dosages[0].timing) == D(5) / 7
    est = compute_boxes(line, PackInfo(D(30), "comprimé"))
    assert est.units_needed == 22  # 30 days × 5/7, rounded up
    assert est.boxes == 1


def test_vitamin_d_monthly():
    line = one("HAS-11-1-Presc-VitamineD.json")
    assert compute_boxes(line, PackInfo(D(1), "ampoule")).boxes is None
    est = compute_boxes(dataclasses.replace(line, duration=Duration(D(3), "mo")), PackInfo(D(1), "ampoule"))
    assert est.boxes == 3


def test_actiskenan_dose_in_mg_converted_by_unit_strength():
    line = one("HAS-05b-Presc-ACTISKENAN.json")
    est = compute_boxes(line, PackInfo(D(14), "gélule", Quantity(D(10), "mg")))
    assert est.units_needed == 7 and est.boxes == 1
    missing = compute_boxes(line, PackInfo(D(14), "gélule"))
    assert missing.boxes is None and "mg" in missing.reason


def test_codoliprane_as_needed_counts_the_maximum_per_day():
    line = one("HAS-14-1-Presc-CODOLIPRANE.json")
    assert compute_boxes(line, PackInfo(D(16), "comprimé")).boxes is None
    est = compute_boxes(with_duration(line, 5), PackInfo(D(16), "comprimé"))
    assert est.units_needed == 40  # 8 a day (maximum) × 5 days
    assert est.boxes == 3


def test_methotrexate_and_lederfoline_weekly_on_friday():
    mtx, folinic = sorted(lines("MultiLine-Presc-METHOTREXATE-LEDERFOLINE.json"), key=lambda x: x.line_id,
                          reverse=True)
    assert "METHOTREX" in mtx.medication.text
    assert compute_boxes(mtx, PackInfo(D(1), "flacon")).boxes == 8  # 2 a week × 4 weeks
    assert compute_boxes(folinic, PackInfo(D(12), "comprimé")).units_needed == 8


def test_methylprednisolone_sequential_doses_add_up():
    line = one("Presc-Methylpredinosolone-DosesEvolutives.json")
    est = compute_boxes(line, PackInfo(D(30), "comprimé", Quantity(D(4), "mg")))
    # 6 mg (1.5 cp) × 2 d + 4 mg (1 cp) × 2 d + 2 mg (0.5 cp) × 2 d = 6 cp
    assert est.units_needed == 6 and est.boxes == 1 and est.days == 6


@pytest.mark.parametrize("name", ["Presc-PerfGl-NaCl-KCl-500ml.json", "TradPN13FHIR-Presc-Morphine-PCA.json"])
def test_continuous_infusions_are_typed_by_the_pharmacist(name):
    est = compute_boxes(one(name), PackInfo(D(1), "poche"))
    assert est.boxes is None and est.reason


def _line(**kw) -> PrescriptionLine:
    base = dict(line_id="l1", medication=MedicationRef(MedicationKind.TEXT, "X"), posology_text="")
    return PrescriptionLine(**{**base, **kw})


def test_explicit_quantity_in_boxes_or_units():
    assert compute_boxes(_line(quantity=Quantity(D(2), "boîtes")), PackInfo(D(30), "comprimé")).boxes == 2
    est = compute_boxes(_line(quantity=Quantity(D(60), "comprimés")), PackInfo(D(28), "comprimé"))
    assert est.boxes == 3 and "Quantité prescrite" in est.explanation


def test_pack_content_unknown_gives_a_reason():
    line = _line(dosages=(Dosage(dose=Quantity(D(1), "comprimé"), timing=Timing(frequency=1, period=D(1),
                                                                                  period_unit="d")),),
                 duration=Duration(D(30), "d"))
    est = compute_boxes(line, PackInfo(None, None))
    assert est.boxes is None and "boîte" in est.reason and est.units_needed == 30


def test_no_dosage_at_all():
    assert "quantité à saisir" in compute_boxes(_line(), PackInfo(D(30), "comprimé")).reason


def test_times_of_day_and_last_sequence_continues():
    daily = Dosage(dose=Quantity(D(1), "comprimé"), timing=Timing(time_of_day=("08:00", "20:00"),
                                                                  bounds_duration=Duration(D(2), "d")))
    after = Dosage(dose=Quantity(D(1), "comprimé"), timing=Timing(frequency=1, period=D(1), period_unit="d"),
                   sequence=2)
    line = _line(dosages=(daily, after), duration=Duration(D(10), "d"))
    est = compute_boxes(line, PackInfo(D(10), "comprimé"))
    # The second dosage has no bound: the line's 10 days leave it 8 days → 4 + 8 = 12.
    assert est.units_needed == 12 and est.boxes == 2


def test_unit_words_and_days_covered():
    assert same_unit("Comprimé", "comprimé(s) pelliculé(s)")
    assert same_unit("Seringue", "seringues préremplies")
    assert not same_unit("mg", "comprimé")
    assert days_covered(2, D(30), D(2)) == 30
    assert days_covered(2, None, D(2)) is None


def test_once_a_day_at_two_times_counts_two_takes():
    timing = Timing(frequency=1, period=D(1), period_unit="d", time_of_day=("08:00", "20:00"))
    assert administrations_per_day(timing) == 2
    assert administrations_per_day(Timing(frequency=3, period=D(1), period_unit="d")) == 3
    assert administrations_per_day(Timing(frequency=1, period_unit="wk", day_of_week=("fri",))) == D(1) / 7
    assert administrations_per_day(Timing()) is None


def test_zero_dose_is_not_a_quantity():
    line = _line(dosages=(Dosage(dose=Quantity(D(0), "comprimé"), timing=Timing(frequency=1, period=D(1),
                                                                                  period_unit="d")),),
                 duration=Duration(D(30), "d"))
    assert compute_boxes(line, PackInfo(D(30), "comprimé")).boxes is None
