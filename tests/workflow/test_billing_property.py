"""Property, through the counter's billing use case on real BDPM rows (2022-06, the workflow's subset in
a real catalogue database): whatever is handed over, with whatever coverage, refusals, complementary and
date, every part of the bill adds up, HC comes only with five reimbursable lines delivered at once, and
an ALD line is paid at 100 % (15 % medicines aside)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalogue import Catalogue, import_release
from app.domain.billing import Bill, BillingContext
from app.domain.delivery import DispenseStatus
from app.domain.dispensing import Dispensing
from app.domain.prescription import Coverage
from app.domain.substitution import GenericRefusal
from app.storage.db import open_database
from app.workflow.billing import bill_for
from tests.domain.builders import daily_line, prescription
from tests.workflow.conftest import SPECIALITIES


@pytest.fixture(scope="module")
def catalogue(bdpm_subset, tmp_path_factory):
    engine, factory = open_database(f"sqlite:///{tmp_path_factory.mktemp('billing') / 'catalogue.sqlite3'}")
    import_release(factory, bdpm_subset, release="2022-06")
    catalogue = Catalogue(factory)
    products = [p for cis in sorted(SPECIALITIES) for p in catalogue.presentations_of_cis(cis)]
    yield catalogue, products
    engine.dispose()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
def test_the_counters_bill_always_adds_up(catalogue, data):
    catalogue, products = catalogue
    count = data.draw(st.integers(min_value=1, max_value=7), label="lines")
    lines = [data.draw(st.builds(dict, coverage=st.sampled_from(list(Coverage)), refused=st.booleans(),
                                 product=st.sampled_from(products), boxes=st.integers(1, 6),
                                 proposed=st.integers(1, 6), delivered=st.booleans()))
             for _ in range(count)]
    rx = prescription(*(daily_line(f"l{n}", "X", coverage=line["coverage"]) for n, line in enumerate(lines)))
    d = Dispensing.begin("D1", rx, datetime(2026, 5, 4, 10))
    d.tiers_payant = data.draw(st.booleans(), label="tiers payant")
    for state, line in zip(d.lines, lines, strict=True):
        state.product, state.quantity, state.default_quantity = line["product"], line["boxes"], line["proposed"]
        state.generic_refusal = GenericRefusal(False, "Générique refusé") if line["refused"] else None
        state.status = DispenseStatus.COMPLETED if line["delivered"] else DispenseStatus.DECLINED
        if state.product.retail_price is None:
            state.unit_price = Decimal(data.draw(st.integers(0, 5000), label="price")) / 100
    on = data.draw(st.dates(min_value=date(2014, 1, 1), max_value=date(2028, 12, 31)), label="day")
    amc = data.draw(st.one_of(st.none(), st.integers(0, 100)), label="amc")
    bill = bill_for(d, catalogue, BillingContext(on=on, amc_rate=amc))

    for part in (*bill.lines, *bill.fees):
        assert min(part.total_cents, part.amo_cents, part.amc_cents, part.patient_cents) >= 0
        assert part.amo_cents + part.amc_cents + part.patient_cents == part.total_cents
    assert bill.amo_cents + bill.amc_cents + bill.patient_cents == bill.total_cents
    assert bill.patient_cents <= bill.to_pay_cents <= bill.total_cents
    assert Bill.from_json(bill.to_json()) == bill
    delivered = [(state, line) for state, line in zip(d.lines, lines, strict=True) if line["delivered"]]
    assert len(bill.lines) == len(delivered)
    reimbursed = [state for state, _ in delivered if state.product.rate]
    at_once = all(state.quantity >= state.default_quantity for state in reimbursed)
    assert (bill.fee("HC") is not None) == (len(reimbursed) >= 5 and at_once and on >= date(2015, 1, 1))
    for billed, (state, line) in zip(bill.lines, delivered, strict=True):
        if line["coverage"] is Coverage.ALD and state.product.rate:
            assert billed.rate == (15 if state.product.rate == 15 else 100)
        assert billed.tiers_payant is not line["refused"]
