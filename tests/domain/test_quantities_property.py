"""Property: whatever posology the FHIR reader can produce, the quantity computation never raises and
the counter always proposes at least one box (and a computed count is a whole number of boxes ≥ 1)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.prescription import (
    Dosage,
    Duration,
    MedicationKind,
    MedicationRef,
    PrescriptionLine,
    Quantity,
    Timing,
)
from app.domain.quantities import DeliveryLimit, PackInfo, PatientMeasures, compute_boxes, propose_quantity

UNITS = ["", "comprimé", "Comprimé", "gélule", "patch", "mg", "g", "µg", "ml", "UI", "mg/kg", "mg/m2", "goutte",
         "application", "sachet", "seringue", "bouffée", "Poche/12 h", "mg/h", "%", "flacon", "dose", "xyz"]
TIME_UNITS = ["s", "min", "h", "d", "wk", "mo", "a"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

amounts = st.decimals(min_value=Decimal("-1"), max_value=Decimal("10000"), allow_nan=False, allow_infinity=False,
                      places=3)
quantities = st.builds(Quantity, amounts, st.sampled_from(UNITS), st.none(),
                       st.one_of(st.none(), st.sampled_from(["d", "h", "15054000", "mg"])))
durations = st.builds(Duration, st.decimals(min_value=Decimal(0), max_value=Decimal(400), places=1),
                      st.sampled_from(TIME_UNITS))
timings = st.builds(
    Timing,
    frequency=st.one_of(st.none(), st.integers(min_value=0, max_value=24)),
    frequency_max=st.one_of(st.none(), st.integers(min_value=0, max_value=24)),
    period=st.one_of(st.none(), st.decimals(min_value=Decimal(0), max_value=Decimal(48), places=1)),
    period_unit=st.one_of(st.none(), st.sampled_from(TIME_UNITS)),
    day_of_week=st.lists(st.sampled_from(DAYS), max_size=7).map(tuple),
    when=st.lists(st.sampled_from(["MORN", "EVE", "HS", "ACM", "PCV"]), max_size=4).map(tuple),
    time_of_day=st.lists(st.sampled_from(["07:00:00", "12:00:00", "18:00:00"]), max_size=3).map(tuple),
    bounds_duration=st.one_of(st.none(), durations),
    count=st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
)
dosages = st.builds(
    Dosage,
    sequence=st.one_of(st.none(), st.integers(min_value=0, max_value=4)),
    dose=st.one_of(st.none(), quantities),
    dose_low=st.one_of(st.none(), quantities),
    dose_high=st.one_of(st.none(), quantities),
    timing=timings,
    as_needed=st.booleans(),
    max_dose_per_period=st.one_of(st.none(), st.tuples(quantities, quantities)),
    max_dose_per_administration=st.one_of(st.none(), quantities),
    rate=st.one_of(st.none(), quantities),
)
lines = st.builds(
    PrescriptionLine,
    line_id=st.just("l1"),
    medication=st.just(MedicationRef(MedicationKind.TEXT, "X")),
    posology_text=st.just(""),
    dosages=st.lists(dosages, max_size=4).map(tuple),
    duration=st.one_of(st.none(), durations),
    quantity=st.one_of(st.none(), quantities, st.builds(Quantity, amounts, st.just("boîte"))),
    renewals=st.integers(min_value=0, max_value=12),
)
packs = st.builds(
    PackInfo,
    st.one_of(st.none(), st.decimals(min_value=Decimal(0), max_value=Decimal(500), places=0)),
    st.one_of(st.none(), st.sampled_from(["comprimé", "gélule", "dispositif", "seringue", "tube", "flacon",
                                          "cartouche", "poche", "sachet-dose"])),
    st.one_of(st.none(), quantities),
    st.one_of(st.none(), quantities),
    st.one_of(st.none(), quantities),
)
patients = st.builds(PatientMeasures, st.one_of(st.none(), amounts), st.one_of(st.none(), amounts))
limits = st.lists(st.builds(DeliveryLimit, st.just("X"), st.just("limite"), st.just("R"),
                            days=st.one_of(st.none(), st.decimals(min_value=Decimal(0), max_value=Decimal(90), places=0)),
                            months=st.one_of(st.none(), st.integers(min_value=0, max_value=3)),
                            boxes=st.one_of(st.none(), amounts)), max_size=3)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines, packs, patients, limits)
def test_never_raises_never_zero_boxes(line, pack, patient, caps):
    estimate = compute_boxes(line, pack, patient=patient)
    assert estimate.boxes is None or estimate.boxes >= 1
    assert (estimate.boxes is None) == bool(estimate.reason) or estimate.boxes is not None
    proposal = propose_quantity(line, pack, limits=caps, patient=patient)
    assert isinstance(proposal.boxes, int) and proposal.boxes >= 1
    assert proposal.why
    if estimate.boxes is not None:
        assert proposal.boxes <= estimate.boxes
