"""The bill the counter issues (app.workflow.billing) on real BDPM rows, through the sandbox: prices
including the fees, the ordonnance fees, the coverage read from the FHIR line, the complementary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.domain.billing import Bill, BillingContext, BillingError
from app.domain.delivery import Adjustment
from app.domain.substitution import GenericRefusal
from app.eprescription import systems
from app.workflow.billing import bill_for
from app.workflow.ops import Confirm, IssueBill, Override, SetQuantity
from tests.workflow.conftest import CLAMOXYL_1G, DAFALGAN_CODEINE, DOLIPRANE_1000, LEVOTHYROX_75, med_request

ALD = {"resourceType": "Observation", "id": "ald", "status": "final",
       "code": {"coding": [{"system": systems.CISIS, "code": systems.ALD_CODE}]}, "valueBoolean": True}


def _box(env, cis: str, pack: int | None = None):
    boxes = [p for p in env.catalogue.presentations_of_cis(cis) if pack is None or p.pack_quantity == pack]
    return boxes[0]


def _ald(mr: dict) -> dict:
    return {**mr, "contained": [ALD], "reasonReference": [{"reference": "#ald"}]}


def _ready(env, number: str):
    """Every line confirmed, every warning passed with a reason: ready to bill."""
    d = env.counter.start(number)
    for state in d.lines:
        d = env.counter.apply(d, Confirm(state.line_id)).dispensing
    for finding in env.counter.findings(d):
        d = env.counter.apply(d, Override(finding.line_id, finding.rule, "vu avec le patient")).dispensing
    return d


def test_the_bill_of_a_delivery_carries_its_fees_its_ald_line_and_the_complementary(env):
    doliprane = _box(env, DOLIPRANE_1000, 8)
    clamoxyl = _box(env, CLAMOXYL_1G)
    levothyrox = _box(env, LEVOTHYROX_75, 30)
    number = env.prescribe(
        med_request("doli", doliprane.cip13, "DOLIPRANE 1000 mg cp", per_day=1, days=8),
        med_request("amox", clamoxyl.cip13, "CLAMOXYL 1 g cp dispersible", per_day=2, days=6),
        _ald(med_request("levo", levothyrox.cip13, "LEVOTHYROX 75 µg cp", days=30, substitutable=False,
                         reason="MTE")))
    d = _ready(env, number)
    bill = env.counter.apply(d, IssueBill(tiers_payant=True, amc_rate=50)).result
    # by line: the counter may hand over a generic of what was prescribed (generic first)
    by_id = {line.line_id: line for line in bill.lines}
    doli, amox, levo = (by_id[state.line_id] for state in d.lines)
    assert doli.cip13 == doliprane.cip13 and levo.cip13 == levothyrox.cip13  # no generic / non substituable
    assert doli.unit_price_cents == 209  # 2022-06: 1,07 € + 1,02 € fee (HD)
    assert doli.fee_code == "HD" and doli.rate == 65
    assert levo.rate == 100 and levo.patient_cents == 0  # ALD
    assert amox.amc_cents > 0  # the complementary's half of what remains
    today = env.counter.clock().date()
    born = d.prescription.patient.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    codes = [fee.code for fee in bill.fees]
    assert codes[0] == "HDR" and "HDE" in codes  # an antibiotic and a thyroid medicine: "spécifiques"
    assert ("HDA" in codes) == (age >= 70) and "HC" not in codes  # three lines only
    assert all(fee.rate == 100 for fee in bill.fees)  # an ALD line: the fees at 100 %
    assert bill.total_cents == bill.amo_cents + bill.amc_cents + bill.patient_cents
    # the same bill everywhere: the stored dispensing, and the delivery recorded then
    assert Bill.from_json(bill.to_json()) == bill
    recorded = env.counter.record(env.counter.load_unfinished(d.delivery_id))
    assert recorded.delivery.bill == bill


def test_five_reimbursable_lines_at_once_earn_hc_and_a_partial_delivery_does_not(env):
    products = [_box(env, DOLIPRANE_1000, 8), _box(env, CLAMOXYL_1G), _box(env, LEVOTHYROX_75, 30),
                _box(env, DAFALGAN_CODEINE)]
    requests = [med_request(f"l{n}", p.cip13, p.name, per_day=1, days=28) for n, p in enumerate(products)]
    requests.append(med_request("l9", _box(env, LEVOTHYROX_75, 90).cip13, "LEVOTHYROX 75 µg ×90", days=90))
    d = _ready(env, env.prescribe(*requests))
    assert "HC" in [fee.code for fee in bill_for(d, env.catalogue, BillingContext(on=date(2026, 5, 4))).fees]
    # one line handed over short of what was proposed: the rest comes later, no HC
    line = next(s for s in d.lines if s.quantity >= 2)
    reason = env.counter.reasons()[0]
    short = env.counter.apply(d, SetQuantity(line.line_id, line.quantity - 1,
                                             Adjustment(reason.code, reason.label, comment="rupture"))).dispensing
    short = env.counter.apply(short, Confirm(line.line_id)).dispensing
    assert "HC" not in [fee.code for fee in bill_for(short, env.catalogue, BillingContext(on=date(2026, 5, 4))).fees]


def test_a_refused_generic_takes_the_line_out_of_tiers_payant(env):
    doliprane = _box(env, DOLIPRANE_1000, 8)
    d = _ready(env, env.prescribe(med_request("doli", doliprane.cip13, "DOLIPRANE 1000 mg cp", days=8)))
    d.lines[0].generic_refusal = GenericRefusal(False, "Générique refusé par le patient")
    bill = bill_for(d, env.catalogue, BillingContext(on=date(2026, 5, 4)))
    assert not bill.lines[0].tiers_payant
    line = bill.lines[0]
    assert bill.to_pay_cents == line.total_cents + sum(fee.patient_cents for fee in bill.fees)  # the line whole
    generics = [p for p in env.catalogue.substitutes(doliprane.cip13) if p.retail_price is not None]
    if generics:  # reimbursed on the base of the dearest generic (L.162-16 CSS)
        dearest = max(p.retail_price for p in generics if p.generic_role is not None)
        assert line.amo_cents <= round(dearest * 100 * line.rate / 100) + 1


def test_an_impossible_complementary_share_is_refused_in_french(env):
    doliprane = _box(env, DOLIPRANE_1000, 8)
    d = _ready(env, env.prescribe(med_request("doli", doliprane.cip13, "DOLIPRANE 1000 mg cp", days=8)))
    with pytest.raises(BillingError, match="complémentaire"):
        env.counter.apply(d, IssueBill(tiers_payant=True, amc_rate=140))
    assert Decimal(0) < bill_for(d, env.catalogue, BillingContext(on=date(2026, 5, 4), amc_rate=0)).total
