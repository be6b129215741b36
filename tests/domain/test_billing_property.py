"""Property: whatever the lines, coverage, complementary and date, every part of a bill adds up to its
total — each line, each fee, the whole — none is negative, what the patient pays now lies between his
share and the total, and the shared JSON form reads back to the same bill."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.billing import Bill, BillingContext, BillItem, compute_bill
from app.domain.prescription import Coverage

RATES = [None, 0, 15, 30, 65, 100]
FEES = [None, Decimal("0.82"), Decimal("1.02"), Decimal("2.21"), Decimal("2.76"), Decimal("1.33")]

prices = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) / 100)
items = st.builds(
    BillItem,
    line_id=st.sampled_from([f"l{n}" for n in range(1, 9)]),
    cip13=st.just("3400930000001"),
    label=st.text(min_size=1, max_size=20),
    boxes=st.integers(min_value=0, max_value=12),
    unit_price=prices,
    rate=st.sampled_from(RATES),
    fee=st.sampled_from(FEES),
    coverage=st.sampled_from(list(Coverage)),
    tiers_payant=st.booleans(),
    reimbursement_base=st.one_of(st.none(), prices),
    specific=st.one_of(st.none(), st.just("antibiotiques")),
    partial=st.booleans(),
    pack_quantity=st.one_of(st.none(), st.sampled_from([Decimal(n) for n in (8, 28, 30, 84, 90, 100)])),
)
contexts = st.builds(
    BillingContext,
    on=st.dates(min_value=date(2014, 1, 1), max_value=date(2028, 12, 31)),
    birth_date=st.one_of(st.none(), st.dates(min_value=date(1910, 1, 1), max_value=date(2028, 12, 31))),
    amc_rate=st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
    coverage=st.sampled_from(list(Coverage)),
    partial=st.booleans(),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(items, max_size=9), st.booleans(), st.one_of(st.none(), contexts))
def test_the_parts_always_add_up(bill_items, tiers_payant, context):
    bill = compute_bill(bill_items, tiers_payant=tiers_payant, context=context)
    parts = [(line.total_cents, line.amo_cents, line.amc_cents, line.patient_cents) for line in bill.lines]
    parts += [(fee.cents, fee.amo_cents, fee.amc_cents, fee.patient_cents) for fee in bill.fees]
    for total, amo, amc, patient in parts:
        assert min(total, amo, amc, patient) >= 0
        assert amo + amc + patient == total
    assert bill.total_cents == sum(p[0] for p in parts)
    assert bill.amo_cents + bill.amc_cents + bill.patient_cents == bill.total_cents
    assert bill.patient_cents <= bill.to_pay_cents <= bill.total_cents
    assert bill.total + 0 == bill.amo_share + bill.amc_share + bill.patient_share
    for line, item in zip(bill.lines, [i for i in bill_items if i.boxes > 0], strict=True):
        assert line.total_cents == int(item.unit_price * 100) * item.boxes
        if not item.rate:
            assert line.amo_cents == line.amc_cents == 0
    reimbursed = any(i.boxes > 0 and i.rate for i in bill_items)
    has_hdr = bill.fee("HDR") is not None
    assert has_hdr == (context is not None and reimbursed and context.on >= date(2019, 1, 1))
    assert Bill.from_json(json.loads(json.dumps(bill.to_json()))) == bill
