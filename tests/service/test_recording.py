"""Operation 6 hardened: who may record, what a reused identifier gets, the ranges stored, the
FHIR dateTime of the handover. Regression tests of the probe of issue 13 (point 14); they depend on
the storage (locks, column types) and run on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import json

import httpx
import pytest

from app.domain.errors import ClaimedElsewhere, NotAllowed, RuleViolation
from app.eprescription.dispense import transaction_bundle
from tests.service.conftest import PHARMACY_A, PHARMACY_B, delivery_for, demo_bundle, sandbox_on

NOT_CLAIMED = ("Délivrance refusée : l'ordonnance n'est pas réservée par votre pharmacie (ouvrez-la de "
               "nouveau au comptoir pour la réserver, puis renvoyez la délivrance)")


@pytest.fixture(scope="module")
def sandbox(module_db_url):
    with sandbox_on(module_db_url) as running:
        yield running


def _raw(sandbox, who: tuple[str, str] = PHARMACY_A) -> httpx.Client:
    token = sandbox.admin.pharmacy_token(*who)
    return httpx.Client(base_url=sandbox.base_url + "/", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def _outcome(answer: httpx.Response, status: int) -> str:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"][0]["diagnostics"]


# --- who records -------------------------------------------------------------------------------

def test_nobody_claimed_it_nothing_is_recorded(sandbox, clock, number, pharmacy_client):
    delivery = delivery_for(pharmacy_client.fetch(number))
    with pytest.raises(NotAllowed) as err:
        pharmacy_client.record_delivery(delivery)
    assert str(err.value) == NOT_CLAIMED
    assert pharmacy_client.deliveries(number) == []
    pharmacy_client.claim(number)
    assert pharmacy_client.record_delivery(delivery).created == 1


def test_another_pharmacy_cannot_record_on_a_claim_it_does_not_hold(sandbox, clock, number, pharmacy_client):
    other = sandbox.pharmacy(PHARMACY_B)
    prescription = pharmacy_client.fetch(number)
    pharmacy_client.claim(number)
    with pytest.raises(ClaimedElsewhere):  # contract: 409 while another pharmacy's claim runs
        other.record_delivery(delivery_for(prescription, delivery_id="B1", pharmacy=PHARMACY_B))
    pharmacy_client.release(number)
    with pytest.raises(NotAllowed) as err:  # released: nobody's claim, B must claim first
        other.record_delivery(delivery_for(prescription, delivery_id="B1", pharmacy=PHARMACY_B))
    assert str(err.value) == NOT_CLAIMED
    assert other.deliveries(number) == []


def test_a_claim_lapsed_while_the_outbox_was_offline_still_records(sandbox, clock, number, pharmacy_client):
    """The counter claimed, handed the boxes over, and its outbox could send only an hour later: the
    claim lapsed but no other pharmacy claimed since, so the delivery is accepted (see
    SandboxStore.check_recorder)."""
    delivery = delivery_for(pharmacy_client.fetch(number), delivery_id="LATE")
    pharmacy_client.claim(number)
    clock.advance(minutes=61)
    assert pharmacy_client.record_delivery(delivery).created == 1
    assert [r.identifier for r in pharmacy_client.deliveries(number)] == [
        f"LATE-{line.line_id}" for line in pharmacy_client.fetch(number).lines]


def test_a_lapsed_claim_taken_over_by_another_pharmacy_no_longer_records(sandbox, clock, number, pharmacy_client):
    other = sandbox.pharmacy(PHARMACY_B)
    delivery = delivery_for(pharmacy_client.fetch(number), delivery_id="TOO-LATE")
    pharmacy_client.claim(number)
    clock.advance(minutes=31)
    other.claim(number)  # A's claim lapsed: B may take the prescription
    with pytest.raises(ClaimedElsewhere):
        pharmacy_client.record_delivery(delivery)
    clock.advance(minutes=31)  # B's claim lapsed too: B is still the last claimant, A is not
    with pytest.raises(NotAllowed) as err:
        pharmacy_client.record_delivery(delivery)
    assert str(err.value) == NOT_CLAIMED
    pharmacy_client.claim(number)  # what the pharmacist does: open it again, then send
    assert pharmacy_client.record_delivery(delivery).created == 1


def test_a_repeat_after_release_is_still_idempotent(sandbox, clock, number, pharmacy_client):
    """The answer to the first send was lost, the claim was released meanwhile: the repeat answers
    the same locations and creates nothing, without needing a claim."""
    delivery = delivery_for(pharmacy_client.fetch(number), delivery_id="LOST")
    pharmacy_client.claim(number)
    first = pharmacy_client.record_delivery(delivery)
    pharmacy_client.release(number)
    again = pharmacy_client.record_delivery(delivery)
    assert (again.created, again.existing, again.locations) == (0, 1, first.locations)


# --- a reused identifier -------------------------------------------------------------------------

def test_another_pharmacy_reusing_an_identifier_is_refused_and_says_so(sandbox, clock, prescriber_client,
                                                                       pharmacy_client):
    mine = prescriber_client.submit_prescription(demo_bundle("demo-1-amoxicilline.json"))[0]
    theirs = prescriber_client.submit_prescription(demo_bundle("demo-1-amoxicilline.json"))[0]
    other = sandbox.pharmacy(PHARMACY_B)
    pharmacy_client.claim(mine)
    pharmacy_client.record_delivery(delivery_for(pharmacy_client.fetch(mine), delivery_id="SAME"))
    other.claim(theirs)
    # B's software happens to choose the same dispense identifier, for B's own prescription and line:
    # its line id differs, so the identifier is reused with the same ifNoneExist value
    their_delivery = delivery_for(other.fetch(theirs), delivery_id="SAME", pharmacy=PHARMACY_B)
    bundle = transaction_bundle(their_delivery)
    mine_bundle = transaction_bundle(delivery_for(pharmacy_client.fetch(mine), delivery_id="SAME"))
    bundle["entry"][0]["request"]["ifNoneExist"] = mine_bundle["entry"][0]["request"]["ifNoneExist"]
    bundle["entry"][0]["resource"]["identifier"] = mine_bundle["entry"][0]["resource"]["identifier"]
    with _raw(sandbox, PHARMACY_B) as http:
        text = _outcome(http.post("", json=bundle), 422)
    value = mine_bundle["entry"][0]["resource"]["identifier"][0]["value"]
    assert text == (f"entrée 1 : identifiant de délivrance « {value} » déjà utilisé pour une autre délivrance ; "
                    "rien n'a été enregistré")
    assert other.deliveries(theirs) == []
    (kept,) = pharmacy_client.deliveries(mine)
    assert kept.finess == PHARMACY_A[0]


def test_the_same_pharmacy_reusing_an_identifier_for_other_boxes_is_refused(sandbox, clock, prescriber_client,
                                                                            pharmacy_client):
    number = prescriber_client.submit_prescription(demo_bundle("demo-3-trois-lignes.json"))[0]
    pharmacy_client.claim(number)
    prescription = pharmacy_client.fetch(number)
    pharmacy_client.record_delivery(delivery_for(prescription, delivery_id="D9"))
    last = prescription.lines[2].line_id  # 2 boxes prescribed: 1 sent, then 2 under the same identifier
    with pytest.raises(RuleViolation) as err:
        pharmacy_client.record_delivery(delivery_for(prescription, delivery_id="D9", boxes={last: 2}))
    assert "déjà utilisé pour une autre délivrance" in str(err.value)
    assert sorted(r.quantity for r in pharmacy_client.deliveries(number)) == [1, 1, 1]


# --- ranges and types the columns hold ---------------------------------------------------------------

def _one_dispense(sandbox, pharmacy_client, prescriber_client, delivery_id: str) -> tuple[str, dict]:
    number = prescriber_client.submit_prescription(demo_bundle("demo-1-amoxicilline.json"))[0]
    pharmacy_client.claim(number)
    return number, transaction_bundle(delivery_for(pharmacy_client.fetch(number), delivery_id=delivery_id))


@pytest.mark.parametrize(("path", "value", "status", "said"), [
    (("quantity", "value"), 1e40, 422, "Quantité hors limites pour entrée 1 (quantité) (100000 au plus)"),
    (("quantity", "value"), 1e308, 422, "Quantité hors limites pour entrée 1 (quantité) (100000 au plus)"),
    (("quantity", "value"), 10 ** 30, 422, "Quantité hors limites pour entrée 1 (quantité) (100000 au plus)"),
    (("quantity", "value"), 0.0001, 422, "Quantité trop précise pour entrée 1 (quantité) (3 décimales au plus)"),
    (("quantity", "value"), -1, 422, "Quantité négative ou invalide pour entrée 1 (quantité)"),
    (("quantity", "value"), "beaucoup", 400, "Requête mal formée : nombre attendu pour entrée 1 (quantité)"),
    (("quantity", "value"), True, 400, "Requête mal formée : nombre attendu pour entrée 1 (quantité)"),
    (("extension", 0, "valueInteger"), 10 ** 12, 422,
     "entrée 1 (renouvellement) : nombre de renouvellements invalide (entier de 0 à 99)"),
    (("authorizingPrescription", 0, "reference"), "MedicationRequest/x\u0000y", 422,
     "Référence non résolue : entrée 1 : ligne « x\u0000y » inconnue"),
])
def test_out_of_range_values_are_refused_in_french_before_any_sql(sandbox, clock, prescriber_client,
                                                                   pharmacy_client, path, value, status, said):
    number, bundle = _one_dispense(sandbox, pharmacy_client, prescriber_client, f"R-{len(said)}-{status}")
    node = bundle["entry"][0]["resource"]
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    with _raw(sandbox) as http:
        assert _outcome(http.post("", json=bundle), status) == said
    assert pharmacy_client.deliveries(number) == []


@pytest.mark.parametrize("value", ["a\u0000b", " padded", "x" * 256, ""])
def test_an_identifier_the_database_cannot_hold_is_malformed(sandbox, clock, prescriber_client, pharmacy_client,
                                                              value):
    number, bundle = _one_dispense(sandbox, pharmacy_client, prescriber_client, "IDENT")
    entry = bundle["entry"][0]
    system = entry["resource"]["identifier"][0]["system"]
    entry["resource"]["identifier"][0]["value"] = value
    entry["request"]["ifNoneExist"] = f"identifier={system}|{value}"
    with _raw(sandbox) as http:
        assert _outcome(http.post("", json=bundle), 400) == "Requête mal formée : entrée 1 : identifiant de délivrance invalide"
    assert pharmacy_client.deliveries(number) == []


@pytest.mark.parametrize("when", ["9999-99-99T99:99:99+99:99", "2026-02-30T10:00:00+01:00", "2026-03-14T24:00:00Z",
                                  "2026-03-14T09:26:53+15:00", "2026-03-14T09:26:53", "2026-03-14T09:26+01:00",
                                  "0000-01-01", "0001-01-01T00:00:00+14:00", "2026-3-14", " 2026-03-14", 20260314])
def test_a_handover_time_that_is_not_a_fhir_datetime_is_refused(sandbox, clock, prescriber_client, pharmacy_client,
                                                                 when):
    number, bundle = _one_dispense(sandbox, pharmacy_client, prescriber_client, "WHEN")
    bundle["entry"][0]["resource"]["whenHandedOver"] = when
    with _raw(sandbox) as http:
        text = _outcome(http.post("", json=bundle), 400)
    assert text.startswith("Requête mal formée : entrée 1 : date de remise (whenHandedOver) invalide")
    assert "fuseau horaire" in text
    assert pharmacy_client.deliveries(number) == []


@pytest.mark.parametrize("when", ["2026", "2026-03", "2026-03-14", "2026-03-14T09:26:53Z",
                                  "2026-03-14T09:26:53.123456789-03:30", "2016-12-31T23:59:60Z",
                                  "2024-02-29T12:00:00+14:00"])
def test_every_form_of_fhir_datetime_is_accepted(sandbox, clock, prescriber_client, pharmacy_client, when):
    number, bundle = _one_dispense(sandbox, pharmacy_client, prescriber_client, f"OK-{when}")
    bundle["entry"][0]["resource"]["whenHandedOver"] = when
    with _raw(sandbox) as http:
        answer = http.post("", json=bundle)
    assert answer.status_code == 200, answer.text
    (record,) = pharmacy_client.deliveries(number)
    assert record.identifier.startswith(f"OK-{when}")


def _bundle_with(quantity=None, renewals=None, authored=None) -> dict:
    bundle = demo_bundle("demo-1-amoxicilline.json")
    mr = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
    if quantity is not None:
        mr["dispenseRequest"]["quantity"]["value"] = quantity
    if renewals is not None:
        mr["dispenseRequest"]["numberOfRepeatsAllowed"] = renewals
    if authored is not None:
        mr["authoredOn"] = authored
    return bundle


@pytest.mark.parametrize(("bundle", "status", "said"), [
    (_bundle_with(quantity=1e40), 422, "Quantité hors limites pour ligne 1 (quantité) (100000 au plus)"),
    (_bundle_with(quantity=1e308), 422, "Quantité hors limites pour ligne 1 (quantité) (100000 au plus)"),
    (_bundle_with(renewals=10 ** 12), 422, "ligne 1 : nombre de renouvellements invalide (entier de 0 à 99)"),
    (_bundle_with(authored="0001-01-01T00:00:00+14:00"), 400,
     "Requête mal formée : date invalide pour ligne 1 (authoredOn) : « 0001-01-01T00:00:00+14:00 »"),
    (_bundle_with(authored="9999-99-99T99:99:99+99:99"), 400,
     "Requête mal formée : date invalide pour ligne 1 (authoredOn) : « 9999-99-99T99:99:99+99:99 »"),
])
def test_a_prescription_out_of_range_is_refused_in_french(sandbox, bundle, status, said):
    token = sandbox.admin.prescriber_token()
    answer = httpx.post(sandbox.base_url + "/Bundle", content=json.dumps(copy.deepcopy(bundle)),
                        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/fhir+json"})
    assert _outcome(answer, status) == said


def test_a_line_whose_extension_is_not_a_list_is_malformed_not_a_500_later(sandbox, pharmacy_client):
    """Found once test_robustness stopped suppressing errors: stored as posted, such a line made
    every read of the prescription (op 3) fail with a 500."""
    bundle = _bundle_with()
    next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationRequest")[
        "extension"] = 0
    token = sandbox.admin.prescriber_token()
    answer = httpx.post(sandbox.base_url + "/Bundle", json=bundle, headers={"Authorization": f"Bearer {token}"})
    assert _outcome(answer, 400) == "Requête mal formée : MedicationRequest.extension doit être une liste"


def test_a_transaction_of_too_many_dispenses_is_refused_before_any_sql(sandbox, clock, prescriber_client,
                                                                         pharmacy_client):
    number, bundle = _one_dispense(sandbox, pharmacy_client, prescriber_client, "MANY")
    entry = bundle["entry"][0]
    bundle["entry"] = []
    for k in range(501):
        copied = copy.deepcopy(entry)
        copied["resource"]["identifier"][0]["value"] = f"MANY-{k}"
        copied["request"]["ifNoneExist"] = f"identifier={copied['resource']['identifier'][0]['system']}|MANY-{k}"
        bundle["entry"].append(copied)
    with _raw(sandbox) as http:
        assert _outcome(http.post("", json=bundle), 422) == \
            "Transaction trop longue : 500 délivrances au plus par envoi"
    assert pharmacy_client.deliveries(number) == []


def test_fifty_identical_sends_at_once_over_http_all_succeed(sandbox, clock, prescriber_client, pharmacy_client):
    """The probe's case end to end: 50 identical recordings at once through the server; each gets the
    transaction-response (one 201, the others 200 with the same location), none a 503."""
    from concurrent.futures import ThreadPoolExecutor

    number, bundle = _one_dispense(sandbox, pharmacy_client, prescriber_client, "FIFTY")
    body = json.dumps(bundle)
    token = sandbox.admin.pharmacy_token(*PHARMACY_A)

    def send(_: int) -> httpx.Response:
        return httpx.post(sandbox.base_url, content=body, timeout=60,
                          headers={"Authorization": f"Bearer {token}", "Content-Type": "application/fhir+json"})

    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(send, range(50)))
    assert [a.status_code for a in answers] == [200] * 50, {a.status_code: a.text for a in answers}
    statuses = sorted(a.json()["entry"][0]["response"]["status"] for a in answers)
    assert statuses == ["200 OK"] * 49 + ["201 Created"]
    assert len({a.json()["entry"][0]["response"]["location"] for a in answers}) == 1
    assert [r.identifier for r in pharmacy_client.deliveries(number)] == [
        bundle["entry"][0]["resource"]["identifier"][0]["value"]]
