"""Adjustments: typed, kept as a list per line, reasons per action from the dated table, a product
outside the generic group refused without the prescriber's agreement or a legal basis; the bearer of
a stupéfiant's ordonnance kept with the delivery."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time

import pytest

from app.domain import codec
from app.domain.adjustments import (
    AdjustmentRefused,
    check_product_change,
    legal_bases_in_force,
    reasons_for,
    reasons_in_force,
)
from app.domain.bearer import Bearer, BearerRequired, InvalidBearer
from app.domain.billing import BillItem, compute_bill
from app.domain.delivery import Adjustment, AdjustmentKind, Delivery, LineDelivery, PharmacyIdentity
from app.domain.delivery_codec import delivery_from_json, delivery_to_json
from app.domain.dispensing import AdjustmentRequired, Dispensing, Proposal
from app.domain.line_plan import conditions_of
from app.domain.rules import bearer_identity_required
from app.domain.substitution import ChangeKind
from tests.domain import bdpm
from tests.domain.builders import daily_line, prescription, presentation

K = AdjustmentKind
TODAY = date(2026, 11, 26)
PRINCEPS = presentation(1, cis="60000001", name="PRINCEPS", group="G1", price="3.00")
GENERIC = presentation(3, cis="60000002", name="GENERIQUE", group="G1", price="2.00")
OTHER = presentation(4, cis="60000003", name="AUTRE", group="G2")
PRINCEPS_90 = presentation(6, cis="60000001", name="PRINCEPS", group="G1", pack=90)
AGREED = Adjustment("rupture_stock", "Rupture de stock", "Téléphone", TODAY, "Dr Durand",
                    agreement_time=time(9, 40))
PHARMACY = PharmacyIdentity("Pharmacie", "1 rue", "750000010")


def make(*, exact_box: bool = False) -> Dispensing:
    rx = prescription(daily_line("l1", "PRINCEPS", days=60))
    d = Dispensing.begin("D1", rx, datetime(2026, 11, 26, 10, 0))
    # PRINCEPS_90 is another box of the prescribed speciality (an adjustment on a line naming one box)
    d.set_proposals("l1", [Proposal(PRINCEPS, ChangeKind.SAME, None, 2), Proposal(GENERIC, ChangeKind.GENERIC, None, 2),
                           Proposal(OTHER, ChangeKind.ADJUSTMENT, None, 2),
                           Proposal(PRINCEPS_90, ChangeKind.ADJUSTMENT if exact_box else ChangeKind.SAME, None, 1)])
    return d


def delivered(d: Dispensing) -> Delivery:
    d.confirm("l1") if d.line("l1").status.value != "completed" else None
    d.bill = compute_bill([BillItem.of(s.line_id, s.product, s.quantity) for s in d.lines
                           if s.status.value == "completed"], tiers_payant=True)
    d.invoice_number = "F1"
    return d.to_delivery(pharmacy=PHARMACY, pharmacist_name="X", pharmacist_rpps="10000000009",
                         handed_over_at=datetime(2026, 11, 26, 10, 5))


# --- the reasons table ---------------------------------------------------------------------------

def test_each_action_has_its_own_reasons_and_generic_substitution_is_none_of_them():
    reasons = reasons_in_force(TODAY)
    by_kind = {kind: [r.code for r in reasons_for(kind, reasons)] for kind in K}
    assert all(by_kind.values())
    assert "substitution_generique" not in {r.code for r in reasons}  # a substitution is no adjustment
    assert "conditionnement_inadapte" in by_kind[K.QUANTITY] and "conditionnement_inadapte" not in by_kind[K.PRODUCT]
    assert "adaptation_posologie" in by_kind[K.POSOLOGY] and "adaptation_posologie" not in by_kind[K.NOT_DELIVERED]
    assert by_kind[K.QUANTITY] != by_kind[K.NOT_DELIVERED]
    autre = next(r for r in reasons if r.code == "autre")
    assert autre.requires_comment and all(autre.applies_to(kind) for kind in K if kind is not K.EXCEPTIONAL)
    # the exceptional dispensing of an expired ordonnance has one reason: the treatment's continuity
    assert by_kind[K.EXCEPTIONAL] == ["continuite_traitement"]
    assert all(r.label and r.label_en for r in reasons)


def test_legal_bases_are_dated():
    assert {b.code for b in legal_bases_in_force(TODAY)} == {"urgence", "rupture_mitm", "biosimilaire"}
    assert {b.code for b in legal_bases_in_force(date(2018, 1, 1))} == {"urgence"}


# --- another medicine: agreement or legal basis ------------------------------------------------------

def test_a_product_outside_the_group_without_agreement_is_refused_with_the_reason():
    d = make()
    alone = Adjustment("rupture_stock", "Rupture de stock")
    with pytest.raises(AdjustmentRefused, match="accord exprès et préalable du prescripteur.*L.5125-23"):
        d.choose_product("l1", OTHER, adjustment=alone)
    assert d.line("l1").product == PRINCEPS and d.line("l1").adjustments == []  # nothing changed
    no_time = replace(AGREED, agreement_time=None)
    with pytest.raises(AdjustmentRefused):
        d.choose_product("l1", OTHER, adjustment=no_time)
    state = d.choose_product("l1", OTHER, adjustment=AGREED)
    assert state.product == OTHER
    (adj,) = state.adjustments
    assert adj.kind is K.PRODUCT and adj.agreement_time == time(9, 40)
    assert "AUTRE" in adj.detail and "PRINCEPS" in adj.detail


def test_a_listed_legal_basis_stands_for_the_agreement():
    d = make()
    urgent = Adjustment("rupture_stock", "Rupture de stock", legal_basis_code="urgence",
                        legal_basis="Urgence, dans l'intérêt du patient (art. L.5125-23 I CSP)")
    assert d.choose_product("l1", OTHER, adjustment=urgent).adjustments[0].legal_basis_code == "urgence"


def test_another_box_of_the_prescribed_speciality_is_no_other_medicine():
    d = make(exact_box=True)
    assert d.requires_adjustment("l1", product=PRINCEPS_90)
    assert not d.another_medicine("l1", PRINCEPS_90) and d.another_medicine("l1", OTHER)
    state = d.choose_product("l1", PRINCEPS_90, adjustment=Adjustment("conditionnement_inadapte", "Conditionnement"))
    assert state.product == PRINCEPS_90 and state.adjustments[0].kind is K.PRODUCT


def test_check_product_change_names_the_product():
    with pytest.raises(AdjustmentRefused, match="AUTRE 5 mg"):
        check_product_change(Adjustment("x", "x", "Téléphone", TODAY), "AUTRE 5 mg")


# --- the list ---------------------------------------------------------------------------------------

def test_every_adjustment_of_a_line_is_kept_recorded_and_round_trips():
    d = make()
    d.choose_product("l1", OTHER, adjustment=AGREED)
    d.set_quantity("l1", 3, adjustment=Adjustment("conditionnement_inadapte", "Conditionnement inadapté"))
    d.change_posology("l1", "1 comprimé le soir", Adjustment("adaptation_posologie", "Adaptation de posologie",
                                                            "Téléphone", TODAY, agreement_time=time(9, 41)))
    delivery = delivered(d)
    line = delivery.lines[0]
    assert [a.kind for a in line.adjustments] == [K.PRODUCT, K.QUANTITY, K.POSOLOGY]
    assert line.adjustments[1].detail == "3 boîte(s) au lieu de 2"
    assert line.adjustments[2].detail.startswith("« 1 comprimé le soir » au lieu de")
    assert delivery_from_json(delivery_to_json(delivery)) == delivery
    again = codec.decode(Dispensing, json.loads(json.dumps(codec.to_jsonable(d))))
    assert again.line("l1").adjustments == d.line("l1").adjustments


def test_a_second_quantity_replaces_the_first_and_the_proposed_quantity_drops_it():
    d = make()
    d.set_quantity("l1", 3, adjustment=Adjustment("deja_en_possession", "Déjà en possession du patient"))
    d.set_quantity("l1", 4)  # the same reason covers it; what it says follows
    assert [a.detail for a in d.line("l1").adjustments] == ["4 boîte(s) au lieu de 2"]
    d.set_quantity("l1", 1, adjustment=Adjustment("refus_patient", "Refus du patient"))
    assert [a.reason_code for a in d.line("l1").adjustments] == ["refus_patient"]
    d.set_quantity("l1", 2)  # back to what was proposed: no adjustment left
    assert d.line("l1").adjustments == []
    with pytest.raises(AdjustmentRequired):
        d.set_quantity("l1", 5)


def test_back_to_the_prescribed_product_drops_the_product_adjustment():
    d = make()
    d.choose_product("l1", OTHER, adjustment=AGREED)
    d.choose_product("l1", GENERIC)
    assert d.line("l1").adjustments == []


def test_a_declined_line_records_only_why_it_is_not_delivered():
    d = make()
    d.choose_product("l1", OTHER, adjustment=AGREED)
    d.decline("l1", Adjustment("refus_patient", "Refus du patient"))
    d.bill = compute_bill([], tiers_payant=True)
    d.invoice_number = "F1"
    line = d.to_delivery(pharmacy=PHARMACY, pharmacist_name="X", pharmacist_rpps="10000000009",
                         handed_over_at=datetime(2026, 11, 26, 10, 5)).lines[0]
    assert [(a.kind, a.reason_code) for a in line.adjustments] == [(K.NOT_DELIVERED, "refus_patient")]
    d.bill = None
    assert [a.kind for a in d.resume_line("l1").adjustments] == [K.PRODUCT]


def test_a_record_written_before_the_list_reads_its_single_adjustment():
    old = LineDelivery("l1", "PRINCEPS", "1 par jour", status=delivered(make()).lines[0].status,
                       adjustment=Adjustment("RUPT", "Rupture de stock"))
    assert old.adjustments == (Adjustment("RUPT", "Rupture de stock"),) and old.adjustment is None
    data = codec.to_jsonable(old)
    data.pop("adjustments")
    data["adjustment"] = {"reason_code": "RUPT", "reason_label": "Rupture de stock"}
    assert codec.decode(LineDelivery, data).all_adjustments == (Adjustment("RUPT", "Rupture de stock"),)


# --- the bearer (R.5132-35 CSP) --------------------------------------------------------------------------

def _narcotic_dispensing() -> Dispensing:
    actiskenan = bdpm.by_cip13("3400934990007")  # ACTISKENAN 10 mg: morphine, a stupéfiant
    rx = prescription(daily_line("l1", "ACTISKENAN 10 mg", code=actiskenan.cis))
    d = Dispensing.begin("D2", rx, datetime(2026, 11, 26, 10, 0))
    d.set_proposals("l1", [Proposal(actiskenan, ChangeKind.SAME, None, 1)])
    d.confirm("l1")
    return d


def _asks(product) -> bool:
    return bearer_identity_required(conditions_of(product, bdpm.speciality(product.cis)))


def test_a_stupefiant_asks_the_bearer_and_keeps_it_with_the_delivery():
    d = _narcotic_dispensing()
    with pytest.raises(BearerRequired, match="ACTISKENAN"):
        d.check_bearer(_asks)
    bearer = Bearer.of(" Paul  MARTIN ", "3 rue des Lilas, 75011 Paris", "Carte nationale d'identité", "ab 12 34 56")
    assert bearer.document_number == "AB123456" and bearer.name == "Paul MARTIN"
    d.set_bearer(bearer)
    d.check_bearer(_asks)
    delivery = delivered(d)
    assert delivery.bearer == bearer
    assert delivery_from_json(delivery_to_json(delivery)).bearer == bearer


def test_the_patient_in_person_needs_no_bearer_and_other_products_ask_nothing():
    d = _narcotic_dispensing()
    d.set_bearer(None)
    d.check_bearer(_asks)
    assert delivered(d).bearer is None
    tahor = bdpm.box(bdpm.find_cis("TAHOR 20 mg"), 28)  # liste I, no stupéfiant rule
    plain = Dispensing.begin("D3", prescription(daily_line("l1", "TAHOR 20 mg", code=tahor.cis)),
                             datetime(2026, 11, 26, 10, 0))
    plain.set_proposals("l1", [Proposal(tahor, ChangeKind.SAME, None, 1)])
    plain.confirm("l1")
    plain.check_bearer(_asks)


def test_a_bearer_missing_a_part_is_refused_in_french():
    with pytest.raises(InvalidBearer, match="adresse, numéro de la pièce"):
        Bearer.of("Paul MARTIN", " ", "Passeport", "")
    with pytest.raises(InvalidBearer, match="invalide"):
        Bearer.of("Paul MARTIN", "Paris", "Passeport", "12")


def test_the_exceptional_dispensing_needs_the_prescriber_informed_and_replaces_a_quantity_change():
    """Art. L.5125-23-1 CSP: a line done is reopened for the boxes allowed, with the adjustment saying
    how and when the prescriber is informed (without it, refused); it travels with the delivery."""
    from app.domain.dispensing import DispensingError

    d = make()
    d.set_quantity("l1", 3, adjustment=AGREED)
    d.mark_done("l1")
    d.reopen("l1")
    bare = Adjustment("continuite_traitement", "Continuité du traitement (art. L.5125-23-1 CSP)")
    with pytest.raises(DispensingError, match="prescripteur est informé"):
        d.dispense_exceptionally("l1", 1, bare, "Dispensation supplémentaire exceptionnelle : 1 boîte(s), 1 mois")
    informed = replace(bare, informed_means="Messagerie sécurisée de santé", informed_on=TODAY)
    state = d.dispense_exceptionally("l1", 1, informed, "Dispensation supplémentaire exceptionnelle : 1 boîte(s), 1 mois")
    assert state.quantity == state.default_quantity == 1 and not state.delivered_before
    assert [a.kind for a in state.adjustments] == [K.EXCEPTIONAL]  # the quantity change no longer holds
    line = delivered(d).lines[0]
    assert line.adjustments[0].informed_means == "Messagerie sécurisée de santé"
    assert delivery_from_json(delivery_to_json(delivered(d))).lines[0].adjustments[0].informed_on == TODAY
