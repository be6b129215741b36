"""The dispensing state machine: proposals, scans, adjustments, the delivery record."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from app.domain.billing import compute_bill
from app.domain.codec import decode, to_jsonable
from app.domain.delivery import (
    Adjustment,
    AdjustmentKind,
    Delivery,
    DispenseStatus,
    PharmacyIdentity,
    ScannedBox,
)
from app.domain.dispensing import AdjustmentRequired, Dispensing, DispensingError, Proposal, ScanRefused
from app.domain.substitution import ChangeKind
from tests.domain.builders import daily_line, prescription, presentation

S = DispenseStatus
TODAY = date(2026, 11, 26)
PRINCEPS = presentation(1, cis="60000001", name="PRINCEPS", group="G1", price="3.00")
GENERIC = presentation(3, cis="60000002", name="GENERIQUE", group="G1", price="2.00")
OTHER = presentation(4, cis="60000003", name="AUTRE", group="G2")
BIG = presentation(6, cis="60000006", name="GENERIQUE", group="G1", pack=90)
SECOND = presentation(5, cis="60000005", name="SECOND", price="1.00", rate=30)
ADJ = Adjustment("rupture", "Rupture de stock", "téléphone", TODAY, "", agreement_time=time(9, 30))
K = AdjustmentKind


def make() -> Dispensing:
    rx = prescription(daily_line("l1", "PRINCEPS", days=60), daily_line("l2", "SECOND", code="60000005"))
    d = Dispensing.begin("D1", rx, datetime(2026, 11, 26, 10, 0))
    d.set_proposals("l1", [Proposal(PRINCEPS, ChangeKind.SAME, None, 2), Proposal(GENERIC, ChangeKind.GENERIC, None, 2),
                           Proposal(OTHER, ChangeKind.ADJUSTMENT, None, 2), Proposal(BIG, ChangeKind.GENERIC, None, 1)])
    d.set_proposals("l2", [Proposal(SECOND, ChangeKind.SAME, None, 1)])
    return d


def box(p, serial="S1", expiry=date(2028, 1, 31)) -> ScannedBox:
    return ScannedBox(p.cip13, "LOT1", expiry, serial)


def test_proposals_choose_the_first_product_and_the_default_quantity():
    d = make()
    assert d.line("l1").product == PRINCEPS and d.line("l1").quantity == 2
    assert d.line("l1").status is S.PREPARATION


def test_scanning_ticks_lines_until_completed_then_refuses_one_too_many():
    d = make()
    assert d.scan(box(PRINCEPS, "A"), TODAY).status is S.IN_PROGRESS
    assert d.scan(box(PRINCEPS, "B"), TODAY).status is S.COMPLETED
    with pytest.raises(ScanRefused, match="Une boîte de trop"):
        d.scan(box(PRINCEPS, "C"), TODAY)
    with pytest.raises(ScanRefused, match="déjà scannée"):
        d.scan(ScannedBox(PRINCEPS.cip13, "L", None, "A"), TODAY)


def test_scan_refuses_expired_and_unknown_boxes():
    d = make()
    with pytest.raises(ScanRefused, match="périmée"):
        d.scan(box(PRINCEPS, expiry=date(2026, 10, 31)), TODAY)
    with pytest.raises(ScanRefused, match="aucune ligne"):
        d.scan(box(presentation(9)), TODAY)
    with pytest.raises(ScanRefused, match="pas celui prescrit"):
        d.scan(box(OTHER), TODAY)
    assert all(not s.boxes for s in d.lines)


def test_scanning_a_generic_substitutes_within_the_group():
    d = make()
    state = d.scan(box(GENERIC), TODAY)
    assert state.product == GENERIC and state.change is ChangeKind.GENERIC
    assert state.substitution.type == "G" and state.adjustments == []
    assert state.boxes[0].lot == "LOT1" and state.boxes[0].serial == "S1"


def test_quantity_follows_the_box_chosen_unless_set_by_the_pharmacist():
    d = make()
    assert d.choose_product("l1", BIG).quantity == 1
    assert d.choose_product("l1", GENERIC).quantity == 2
    d.set_quantity("l1", 3, adjustment=ADJ)
    assert d.choose_product("l1", BIG).quantity == 3


def test_changes_outside_the_prescription_need_an_adjustment():
    d = make()
    assert d.requires_adjustment("l1", product=OTHER)
    with pytest.raises(AdjustmentRequired):
        d.choose_product("l1", OTHER)
    with pytest.raises(AdjustmentRequired, match="Quantité modifiée"):
        d.set_quantity("l1", 3)
    state = d.choose_product("l1", OTHER, adjustment=ADJ)
    assert state.change is ChangeKind.ADJUSTMENT and state.substitution is None
    assert [(a.kind, a.reason_code) for a in state.adjustments] == [(K.PRODUCT, "rupture")]
    with pytest.raises(AdjustmentRequired, match="Quantité modifiée"):
        d.set_quantity("l1", 1)  # the product's adjustment says nothing of the quantity
    d.set_quantity("l1", 1, adjustment=Adjustment("deja_en_possession", "Déjà en possession du patient"))
    assert d.line("l1").quantity == 1
    assert [a.kind for a in d.line("l1").adjustments] == [K.PRODUCT, K.QUANTITY]  # the second kept beside the first
    with pytest.raises(DispensingError):
        d.set_quantity("l1", 0)


def test_decline_and_resume():
    d = make()
    refus = Adjustment("refus_patient", "Refus du patient", comment="déjà un stock")
    state = d.decline("l2", refus)
    assert state.status is S.DECLINED and state.decline_reason == "Refus du patient — déjà un stock"
    with pytest.raises(ScanRefused, match="aucune ligne"):
        d.scan(box(SECOND), TODAY)
    state = d.resume_line("l2")
    assert state.status is S.PREPARATION and state.adjustments == []


def test_transitions_are_checked():
    d = make()
    d.hold("l1")
    assert d.line("l1").status is S.ON_HOLD
    d.cancel()
    assert {s.status for s in d.lines} == {S.CANCELLED}
    with pytest.raises(DispensingError):
        d.line("l1").move(S.COMPLETED)
    with pytest.raises(DispensingError, match="plus de modification"):
        d.confirm("l1")


def test_problems_then_delivery():
    d = make()
    assert len(d.problems()) == 2
    with pytest.raises(DispensingError, match="Facturez"):
        d.to_delivery(pharmacy=PharmacyIdentity("P", "A", "750000010"), pharmacist_name="X",
                      pharmacist_rpps="10000000009", handed_over_at=datetime(2026, 11, 26, 10, 5))
    d.scan(box(GENERIC, "A"), TODAY)
    d.scan(box(GENERIC, "B"), TODAY)
    d.decline("l2", ADJ)
    d.override("l1", "quantity_above_need", "stock pour les vacances")
    assert d.problems() == []
    d.bill = compute_bill(d.bill_items(), tiers_payant=True)
    d.invoice_number = "F000001"
    delivery = d.to_delivery(pharmacy=PharmacyIdentity("P", "A", "750000010"), pharmacist_name="X",
                             pharmacist_rpps="10000000009", handed_over_at=datetime(2026, 11, 26, 10, 5))
    l1, l2 = delivery.lines
    assert l1.status is S.COMPLETED and l1.items[0].quantity == 2 and len(l1.items[0].boxes) == 2
    assert l1.substitution.type == "G" and l1.overrides == ("quantity_above_need : stock pour les vacances",)
    assert l2.status is S.DECLINED and not l2.items and l2.adjustments == (replace(ADJ, kind=K.NOT_DELIVERED),)
    assert delivery.total == Decimal("4.00") and delivery.invoice_number == "F000001"
    with pytest.raises(DispensingError, match="facture"):
        d.set_quantity("l1", 1)
    # the record travels as JSON (outbox) and comes back equal
    assert decode(Delivery, json.loads(json.dumps(to_jsonable(delivery)))) == delivery


def test_dispensing_round_trips_through_json():
    d = make()
    d.scan(box(GENERIC), TODAY)
    d.override("l1", "rule", "why")
    again = decode(Dispensing, json.loads(json.dumps(to_jsonable(d))))
    assert again == d
    assert again.line("l1").proposal_kinds[GENERIC.cip13] is ChangeKind.GENERIC


def test_another_posology_is_an_adjustment_carried_to_the_delivery():
    d = make()
    with pytest.raises(DispensingError):
        d.change_posology("l1", "  ", ADJ)
    d.change_posology("l1", "1 comprimé le soir", ADJ)
    d.confirm("l1")
    d.decline("l2", ADJ)
    d.bill = compute_bill(d.bill_items(), tiers_payant=False)
    d.invoice_number = "F1"
    delivery = d.to_delivery(pharmacy=PharmacyIdentity("P", "A", "750000010"), pharmacist_name="X",
                             pharmacist_rpps="10000000009", handed_over_at=datetime(2026, 11, 26, 11, 0))
    assert delivery.lines[0].posology == "1 comprimé le soir"
    assert [(a.kind, a.reason_code) for a in delivery.lines[0].adjustments] == [(K.POSOLOGY, "rupture")]
    assert delivery.lines[0].prescribed_posology == d.prescribed("l1").posology_text  # printed next to it
    assert delivery.lines[1].prescribed_posology is None  # posology unchanged: nothing to print
