"""Validity of a line and the date of its next delivery (R.5132-21, R.5132-22, R.5132-33, R.5132-14)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.domain.conditions import ProductConditions
from app.domain.prescription import Duration, MedicationKind, MedicationRef, PrescriptionLine
from app.domain.renewal import (
    covered_until,
    line_validity,
    next_delivery_from,
    prescribed_days,
    renewable,
    treatment_end,
)
from tests.domain import bdpm

D = Decimal
RX = date(2026, 1, 15)
LISTE_I = ProductConditions(list_level="I")
LISTE_II = ProductConditions(list_level="II")


def line(days: int | None = 30, unit: str = "d", renewals: int = 0) -> PrescriptionLine:
    return PrescriptionLine("l1", MedicationRef(MedicationKind.TEXT, "X"), "",
                            duration=Duration(D(days), unit) if days is not None else None, renewals=renewals)


def test_renewals_run_to_the_end_of_the_treatment_not_three_months():
    """"1 mois, à renouveler 5 fois": six months of treatment, renewals after the first three months."""
    validity = line_validity(line(1, "mo", renewals=5), RX, LISTE_I)
    assert validity.first_delivery_until == date(2026, 4, 14)  # three months for the first delivery
    assert validity.renewals_until == date(2026, 7, 14)  # six calendar months of treatment
    assert validity.renewable and "R.5132-22" in validity.reason


def test_twelve_months_at_most():
    assert treatment_end(RX, line(3, "mo", renewals=5)) == date(2027, 1, 14)  # 18 months written, 12 kept
    assert treatment_end(RX, line(None)) == date(2027, 1, 14)
    assert prescribed_days(line(30, renewals=2)) == 90


def test_liste_one_without_renewal_stops_after_its_delivery():
    validity = line_validity(line(30), RX, LISTE_I)
    assert not validity.renewable and validity.renewals_until == validity.first_delivery_until
    ok, why = renewable(line(30), LISTE_I)
    assert not ok and "liste I" in why


def test_a_three_month_liste_one_treatment_goes_on_monthly_without_renewal():
    validity = line_validity(line(3, "mo"), RX, LISTE_I)
    assert validity.renewals_until == date(2026, 4, 14)  # three calendar months from the 15th of January


def test_liste_two_is_renewable_unless_forbidden():
    ok, why = renewable(line(30), LISTE_II)
    assert ok and "interdiction" in why


def test_stupefiant_never_renewed_and_valid_for_its_treatment():
    actiskenan = bdpm.conditions("64288864")
    validity = line_validity(line(14), RX, actiskenan)
    assert not validity.renewable and validity.renewals_until == date(2026, 1, 28)
    assert "R.5132-33" in validity.reason
    assert not renewable(line(14, renewals=2), actiskenan)[0]


def test_unlisted_medicine_runs_to_the_end_of_its_treatment():
    validity = line_validity(line(30, renewals=2), RX, ProductConditions())
    assert validity.first_delivery_until == validity.renewals_until == date(2026, 4, 14)


def test_coverage_and_next_delivery():
    assert covered_until(RX, D(28)) == date(2026, 2, 11)
    assert covered_until(RX, None) is None and covered_until(RX, D(0)) is None
    assert next_delivery_from(date(2026, 2, 11)) == date(2026, 2, 7)  # five days' tolerance
    assert next_delivery_from(date(2026, 2, 11), tolerance_days=0) == date(2026, 2, 12)


def test_a_treatment_written_in_months_ends_on_the_calendar_at_the_twelve_months_boundary():
    """"1 mois, à renouveler 11 fois" and "3 mois, à renouveler 3 fois": twelve months (R.5132-21), the
    last day the day before the same date a year later — not 360 days, five days short."""
    for written in (line(1, "mo", renewals=11), line(3, "mo", renewals=3), line(1, "a")):
        assert treatment_end(RX, written) == date(2027, 1, 14)
        assert line_validity(written, RX, LISTE_I).renewals_until == date(2027, 1, 14)
    assert treatment_end(date(2026, 1, 31), line(1, "mo")) == date(2026, 2, 27)  # 28 February is the same date
    assert treatment_end(RX, line(30, renewals=2)) == date(2026, 4, 14)  # days stay days: 90 days
