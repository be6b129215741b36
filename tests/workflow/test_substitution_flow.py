"""Substitution at the counter on real products: the generic first, the patient's refusal recorded
on the line with what it means for the tiers payant."""

from __future__ import annotations

import pytest

from app.domain.dispensing import DispensingError
from app.domain.substitution import ChangeKind
from app.eprescription.dispense import GENERIC_REFUSED
from app.workflow.ops import ChooseProduct, Confirm, IssueBill, RefuseGeneric
from tests.workflow.conftest import CLAMOXYL_1G, DOLIPRANE_1000, med_request


def _amoxicillin(env) -> str:
    box = next(p for p in env.catalogue.presentations_of_cis(CLAMOXYL_1G) if p.pack_quantity == 6)
    return env.prescribe(med_request("a", box.cip13, box.name, per_day=2, days=3))


def test_the_patient_refuses_the_generic(env):
    d = env.counter.start(_amoxicillin(env))
    (state,) = d.lines
    generic = state.product
    assert state.change is ChangeKind.GENERIC and state.generic_refusal is None
    d = env.counter.apply(d, RefuseGeneric(state.line_id)).dispensing
    (state,) = d.lines
    assert state.product.cis == CLAMOXYL_1G and state.change is ChangeKind.SAME and state.substitution is None
    refusal = state.generic_refusal
    assert refusal is not None and not refusal.tiers_payant and "tiers payant" in refusal.message
    assert env.counter.load_unfinished(d.delivery_id).line(state.line_id).generic_refusal == refusal  # stored
    d = env.counter.apply(d, ChooseProduct(state.line_id, generic)).dispensing  # the patient accepts after all
    assert d.lines[0].generic_refusal is None and d.lines[0].change is ChangeKind.GENERIC
    d = env.counter.apply(d, RefuseGeneric(state.line_id)).dispensing
    d = env.counter.apply(d, Confirm(state.line_id)).dispensing
    d = env.counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    assert d.bill is not None and d.lines[0].generic_refusal is not None
    recorded = env.counter.record(d)  # kept in the record, the archive and what the service received
    assert recorded.transmitted and recorded.delivery.lines[0].generic_refusal == d.lines[0].generic_refusal
    assert env.counter.store.outbox(d.delivery_id).delivery.lines[0].generic_refusal == d.lines[0].generic_refusal
    (sent,) = env.client.deliveries(str(d.prescription.number))
    assert not sent.substituted and sent.substitution_reason == GENERIC_REFUSED


def test_no_generic_nothing_to_refuse(env):
    box = env.catalogue.presentations_of_cis(DOLIPRANE_1000)[0]
    d = env.counter.start(env.prescribe(med_request("a", box.cip13, box.name, per_day=3, days=5,
                                                    substitutable=False, reason="CIF")))
    (state,) = d.lines
    with pytest.raises(DispensingError, match="rien à refuser"):
        env.counter.apply(d, RefuseGeneric(state.line_id))
