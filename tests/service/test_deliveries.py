"""Recording deliveries: idempotent transactions, what remains, over-delivery, who sees them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle

from app.domain.delivery import Adjustment, AdjustmentKind, Substitution
from app.domain.errors import NotAllowed, RuleViolation
from app.eprescription import systems
from app.eprescription.dispense import transaction_bundle
from tests.service.conftest import PHARMACY_A, PHARMACY_B, delivery_for, demo_bundle, sandbox_on


@pytest.fixture(scope="module")
def sandbox(module_db_url):
    """This module's rules depend on the storage: its tests run on SQLite and PostgreSQL."""
    with sandbox_on(module_db_url) as running:
        yield running


def _submit(client, name: str, *, objection: bool = False, claimed_by=None):
    """Prescribe ``name``; ``claimed_by``: a pharmacy client that then claims it, as the counter does
    before recording (operation 6 is for the claiming pharmacy)."""
    bundle = demo_bundle(name)
    if objection:
        patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
        patient["extension"] = [{"url": systems.PATIENT_OBJECTION, "valueBoolean": True}]
    number = client.submit_prescription(bundle)[0]
    if claimed_by is not None:
        claimed_by.claim(number)
    return number


def test_same_transaction_twice_records_one_delivery(prescriber_client, pharmacy_client):
    number = _submit(prescriber_client, "demo-3-trois-lignes.json")
    prescription = pharmacy_client.fetch(number)
    pharmacy_client.claim(number)
    delivery = delivery_for(prescription, delivery_id="DLV-42")
    first = pharmacy_client.record_delivery(delivery)
    again = pharmacy_client.record_delivery(delivery)
    assert (first.created, first.existing) == (3, 0)
    assert (again.created, again.existing) == (0, 3)
    assert again.locations == first.locations
    records = pharmacy_client.deliveries(number)
    assert sorted(r.identifier for r in records) == sorted(f"DLV-42-{line.line_id}" for line in prescription.lines)
    Bundle.model_validate(transaction_bundle(delivery))


def test_remaining_quantity_and_renewals_are_shown_and_enforced(prescriber_client, pharmacy_client):
    # 1 box, 2 renewals
    number = _submit(prescriber_client, "demo-2-levothyroxine-mte.json", claimed_by=pharmacy_client)
    line = pharmacy_client.fetch(number).lines[0]
    assert (line.remaining_quantity, line.remaining_renewals) == (Decimal(3), 2)
    assert not line.substitution_allowed and line.non_substitution_reason.value == "MTE"
    prescription = pharmacy_client.fetch(number)
    with pytest.raises(RuleViolation) as err:
        pharmacy_client.record_delivery(delivery_for(prescription, boxes={line.line_id: 2}))
    assert "reste 1 boîte" in str(err.value)
    pharmacy_client.record_delivery(delivery_for(prescription, delivery_id="A"))
    line = pharmacy_client.fetch(number).lines[0]
    assert (line.remaining_quantity, line.remaining_renewals) == (Decimal(2), 2)
    with pytest.raises(RuleViolation):  # the first dispensation is complete
        pharmacy_client.record_delivery(delivery_for(prescription, delivery_id="B"))
    pharmacy_client.record_delivery(delivery_for(prescription, delivery_id="R1", renewal_index=1))
    pharmacy_client.record_delivery(delivery_for(prescription, delivery_id="R2", renewal_index=2))
    with pytest.raises(RuleViolation) as err:
        pharmacy_client.record_delivery(delivery_for(prescription, delivery_id="R3", renewal_index=3))
    assert "renouvellement" in str(err.value) and "(2 prévus)" in str(err.value)
    line = pharmacy_client.fetch(number).lines[0]
    assert (line.remaining_quantity, line.remaining_renewals) == (Decimal(0), 0)
    assert line.status.value == "completed"


def test_a_refused_transaction_records_nothing(prescriber_client, pharmacy_client):
    number = _submit(prescriber_client, "demo-3-trois-lignes.json", claimed_by=pharmacy_client)
    prescription = pharmacy_client.fetch(number)
    too_much = {prescription.lines[2].line_id: 3}  # 2 boxes prescribed on the last line
    with pytest.raises(RuleViolation) as err:
        pharmacy_client.record_delivery(delivery_for(prescription, boxes=too_much))
    assert "(reste 2 boîtes)" in str(err.value)
    assert pharmacy_client.deliveries(number) == []


def test_declined_substituted_and_adjusted_lines_round_trip(prescriber_client, pharmacy_client):
    number = _submit(prescriber_client, "demo-3-trois-lignes.json", claimed_by=pharmacy_client)
    prescription = pharmacy_client.fetch(number)
    first, second, _third = (line.line_id for line in prescription.lines)
    sub = Substitution("G", "FP", "TAHOR 20 mg")
    adj = Adjustment("QTE", "Quantité adaptée", "téléphone", date(2026, 1, 5), "accord du Dr Martin")
    delivery = delivery_for(prescription, declined=(first,), substitution=sub, adjustment=adj)
    pharmacy_client.record_delivery(delivery)
    records = {r.line_id: r for r in pharmacy_client.deliveries(number)}
    assert records[first].status == "declined" and records[first].decline_reason == "Refus du patient"
    assert records[first].quantity == 0
    r = records[second]
    assert (r.substituted, r.substitution_type, r.substitution_reason) == (True, "G", "FP")
    assert (r.adjustment_reason, r.agreement_date, r.agreement_means) == ("QTE", date(2026, 1, 5), "téléphone")
    assert r.finess == "750000010" and r.pharmacist_rpps == "10000000009"


def test_every_adjustment_of_a_line_reaches_the_service_and_the_prescriber(prescriber_client, pharmacy_client):
    """A line changed twice (another product with the prescriber's agreement, then another quantity)
    carries both adjustments, typed, with what changed; the prescriber who wrote it reads them."""
    number = _submit(prescriber_client, "demo-1-amoxicilline.json", claimed_by=pharmacy_client)
    prescription = pharmacy_client.fetch(number)
    product = Adjustment("rupture_stock", "Rupture de stock", "Téléphone", date(2026, 1, 5), "",
                         AdjustmentKind.PRODUCT, "AUTRE 500 mg au lieu de « AMOXICILLINE »", time(9, 40))
    quantity = Adjustment("deja_en_possession", "Déjà en possession du patient", kind=AdjustmentKind.QUANTITY,
                          detail="1 boîte(s) au lieu de 2", legal_basis_code=None)
    delivery = delivery_for(prescription)
    delivery = replace(delivery, lines=(replace(delivery.lines[0], adjustments=(product, quantity)),
                                        *delivery.lines[1:]))
    Bundle.model_validate(transaction_bundle(delivery))  # two complex extensions: valid FHIR R4
    pharmacy_client.record_delivery(delivery)
    for client in (pharmacy_client, prescriber_client):
        (record,) = [r for r in client.deliveries(number) if r.line_id == delivery.lines[0].line_id]
        assert [(a.kind, a.reason_code, a.detail) for a in record.adjustments] == [
            (AdjustmentKind.PRODUCT, "rupture_stock", "AUTRE 500 mg au lieu de « AMOXICILLINE »"),
            (AdjustmentKind.QUANTITY, "deja_en_possession", "1 boîte(s) au lieu de 2")]
        assert record.adjustments[0].agreement_time == "09:40:00"
        assert record.adjustments[1].agreement_means is None and record.adjustment_reason == "rupture_stock"


def test_an_exceptional_dispensing_goes_beyond_the_line_three_times_at_most(prescriber_client, pharmacy_client):
    """The dispensation supplémentaire exceptionnelle (art. L.5125-23-1 CSP) of a line delivered in
    full: the service takes it beyond what the line prescribed (not as a renewal more), with the
    prescriber informed, which he reads; a fourth on the same line is refused."""
    number = _submit(prescriber_client, "demo-1-amoxicilline.json", claimed_by=pharmacy_client)
    prescription = pharmacy_client.fetch(number)
    pharmacy_client.record_delivery(delivery_for(prescription, boxes={line.line_id: int(line.remaining_quantity or 1)
                                                                      for line in prescription.lines}))
    informed = Adjustment("continuite_traitement", "Continuité du traitement (art. L.5125-23-1 CSP)",
                          kind=AdjustmentKind.EXCEPTIONAL, informed_means="Messagerie sécurisée de santé",
                          informed_on=date(2026, 1, 5),
                          detail="Dispensation supplémentaire exceptionnelle (art. L.5125-23-1 CSP) : 1 boîte(s), 1 mois")
    for k in range(3):
        pharmacy_client.record_delivery(delivery_for(prescription, delivery_id=f"X{k}", renewal_index=1,
                                                     adjustment=informed))
    (record, *_) = [r for r in prescriber_client.deliveries(number) if r.adjustments]
    (adjustment,) = record.adjustments
    assert (adjustment.kind, adjustment.informed_means, adjustment.informed_on) == (
        AdjustmentKind.EXCEPTIONAL, "Messagerie sécurisée de santé", date(2026, 1, 5))
    assert adjustment.agreement_means is None
    with pytest.raises(RuleViolation, match="3 dispensations exceptionnelles"):
        pharmacy_client.record_delivery(delivery_for(prescription, delivery_id="X3", renewal_index=1,
                                                     adjustment=informed))


def test_only_a_pharmacist_records(sandbox, prescriber_client, pharmacy_client):
    number = _submit(prescriber_client, "demo-1-amoxicilline.json")
    prescription = pharmacy_client.fetch(number)
    preparer = sandbox.pharmacy(role="preparer")
    preparer.fetch(number)
    with pytest.raises(NotAllowed) as err:
        preparer.record_delivery(delivery_for(prescription))
    assert "pharmacien" in str(err.value)


@pytest.mark.parametrize("objection", [False, True])
def test_prescriber_sees_deliveries_unless_the_patient_objected(sandbox, prescriber_client, pharmacy_client,
                                                                 objection):
    number = _submit(prescriber_client, "demo-1-amoxicilline.json", objection=objection, claimed_by=pharmacy_client)
    pharmacy_client.record_delivery(delivery_for(pharmacy_client.fetch(number)))
    assert len(sandbox.pharmacy(PHARMACY_B).deliveries(number)) == 1  # any pharmacy
    with pytest.raises(NotAllowed):
        sandbox.prescriber("10001234566").deliveries(number)  # not the one who wrote it
    if objection:
        with pytest.raises(NotAllowed) as err:
            prescriber_client.deliveries(number)
        assert "opposé" in str(err.value)
    else:
        assert [r.cip13 for r in prescriber_client.deliveries(number)] == ["3400934171727"]


def test_objection_recorded_at_the_counter(sandbox, prescriber_client, pharmacy_client):
    number = _submit(prescriber_client, "demo-1-amoxicilline.json", claimed_by=pharmacy_client)
    bundle = transaction_bundle(delivery_for(pharmacy_client.fetch(number)))
    bundle["entry"][0]["resource"]["extension"].append({"url": systems.PATIENT_OBJECTION, "valueBoolean": True})
    token = sandbox.admin.pharmacy_token("750000010", "10000000009")
    answer = httpx.post(sandbox.base_url, json=bundle, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json()["type"] == "transaction-response"
    with pytest.raises(NotAllowed):
        prescriber_client.deliveries(number)


def test_a_naive_handover_time_is_sent_as_local_time_and_op7_is_valid_fhir(sandbox, prescriber_client,
                                                                           pharmacy_client):
    """The counter's clock may give a naive local time: what is sent and served back stays FHIR R4."""
    number = _submit(prescriber_client, "demo-1-amoxicilline.json", claimed_by=pharmacy_client)
    naive = datetime(2026, 3, 14, 9, 26, 53)
    delivery = replace(delivery_for(pharmacy_client.fetch(number)), handed_over_at=naive)
    pharmacy_client.record_delivery(delivery)
    token = sandbox.admin.pharmacy_token(*PHARMACY_B)
    answer = httpx.get(f"{sandbox.base_url}/MedicationDispense", params={"group-identifier": str(number)},
                       headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    bundle = Bundle.model_validate(answer.json())
    handed = bundle.entry[0].resource.whenHandedOver
    assert handed == naive.astimezone()  # the same instant, with the local offset
    (record,) = pharmacy_client.deliveries(number)
    assert record.handed_over_at == naive.astimezone()


def test_the_sandbox_refuses_a_handover_time_without_time_zone(sandbox, prescriber_client, pharmacy_client):
    number = _submit(prescriber_client, "demo-1-amoxicilline.json", claimed_by=pharmacy_client)
    bundle = transaction_bundle(delivery_for(pharmacy_client.fetch(number)))
    bundle["entry"][0]["resource"]["whenHandedOver"] = "2026-03-14T09:26:53"
    token = sandbox.admin.pharmacy_token(*PHARMACY_A)
    answer = httpx.post(sandbox.base_url, json=bundle, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400 and "fuseau horaire" in answer.text
    assert pharmacy_client.deliveries(number) == []
