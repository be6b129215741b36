"""Starting problems, abandoning, the service down at recording time, stupéfiants, HAS examples."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.domain.delivery import Adjustment, DispenseStatus
from app.domain.errors import ClaimedElsewhere, InvalidIdentifier, PrescriptionGone, PrescriptionNotFound
from app.domain.substitution import ChangeKind
from app.eprescription import EPrescriptionClient
from app.sandbox.loader import complete_bundle
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS
from app.wiring import make_counter
from app.workflow.counter import Counter
from app.workflow.ops import ChooseProduct, Confirm, IssueBill, RulesNotMet, SearchProducts, SetQuantity
from app.workflow.starting import PrescriptionUnusable
from tests.domain.has_fixtures import bundle
from tests.workflow.conftest import ACTISKENAN_10, DOLIPRANE_1000, PHARMACIST_RPPS, med_request

S = DispenseStatus


def one_line(env, cis: str = DOLIPRANE_1000, **kw) -> str:
    box = env.catalogue.presentations_of_cis(cis)[0]
    return env.prescribe(med_request("x", box.cip13, box.name, **kw))


def other_counter(env, *, finess: str = "750000010", base_url: str | None = None, clock=None) -> Counter:
    client = EPrescriptionClient(base_url or env.base_url, env.admin.pharmacy_token(finess, PHARMACIST_RPPS),
                                 retries=0, timeout=2.0)
    return make_counter(env.settings, env.factory, env.catalogue, client, clock=clock or datetime.now)


def test_numbers_are_checked_before_any_request(env):
    with pytest.raises(InvalidIdentifier):
        env.counter.start("ABC")
    with pytest.raises(InvalidIdentifier, match="clé de contrôle"):
        env.counter.start("0123456789ABCDEFGHJK")
    with pytest.raises(PrescriptionNotFound):
        env.counter.start("ZZZZZZZZZZ")


def test_claimed_elsewhere_then_released_by_abandon(env):
    number = one_line(env)
    d = env.counter.start(number)
    elsewhere = other_counter(env, finess="130000011")
    with pytest.raises(ClaimedElsewhere) as refused:
        elsewhere.start(number)
    assert "autre pharmacie" in refused.value.message
    env.counter.abandon(d)
    (kept, stage) = env.counter.store.load(d.delivery_id)
    assert stage == "abandoned" and {s.status for s in kept.lines} == {S.CANCELLED}
    assert {s.status for s in d.lines} != {S.CANCELLED}  # the caller's object is left alone
    assert env.counter.pending() == []
    assert elsewhere.start(number).prescription.number == number


def test_cancelled_prescription_is_refused_up_front(env):
    number = one_line(env)
    env.prescriber.cancel(number)
    with pytest.raises((PrescriptionGone, PrescriptionUnusable)):
        env.counter.start(number)


def test_service_down_at_recording_keeps_the_delivery_and_sends_it_once_later(env):
    number = one_line(env)
    d = env.counter.start(number)
    (line_id,) = [s.line_id for s in d.lines]
    d = env.counter.apply(d, Confirm(line_id)).dispensing
    d = env.counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    down = other_counter(env, base_url="http://127.0.0.1:9/fhir")  # nothing listens on the discard port
    recorded = down.record(d)
    assert not recorded.transmitted and "transmise automatiquement" in recorded.message
    assert recorded.delivery.lines[0].ordonnancier_numbers  # recorded locally all the same
    assert env.client.deliveries(number) == []
    report = down.outbox.send_pending()
    assert (report.sent, report.pending) == (0, 1)  # still down; the next attempt waits
    later = other_counter(env, clock=lambda: datetime.now() + timedelta(hours=2))
    report = later.outbox.send_pending()
    assert (report.sent, report.pending, report.failed) == (1, 0, 0)
    assert len(env.client.deliveries(number)) == 1
    assert later.outbox.send_pending().sent == 0  # nothing sent twice
    assert env.counter.record(d).transmitted  # asking again just reports it sent


def test_line_not_found_in_the_catalogue_is_said_and_can_be_searched(env):
    number = env.prescribe(med_request("x", "3400930000001", "PRODUIT INCONNU 5 mg"))
    d = env.counter.start(number)
    (state,) = d.lines
    assert state.proposals == [] and any("introuvable" in n for n in d.notices)
    applied = env.counter.apply(d, SearchProducts(state.line_id, "doliprane 1000"))
    found, d = applied.result, applied.dispensing
    assert found and {p.cip13 for p in found} <= {p.cip13 for p in d.line(state.line_id).proposals}
    d = env.counter.apply(d, ChooseProduct(state.line_id, found[0])).dispensing  # identifying it is no adjustment
    assert d.line(state.line_id).product == found[0] and d.line(state.line_id).adjustments == []


def test_stupefiant_presented_late_only_the_remaining_days(env):
    number = one_line(env, ACTISKENAN_10, per_day=2, days=14, unit="gélule")  # 28 gélules, boxes of 14
    late = other_counter(env, clock=lambda: datetime.now() + timedelta(days=8))
    d = late.start(number)
    (state,) = d.lines
    # 6 days remain of 14: one box (7 days) is proposed, not two
    assert state.estimate.boxes == 2 and state.quantity == 1
    d = late.apply(d, Confirm(state.line_id)).dispensing
    (warning,) = late.findings(d)
    assert warning.rule == "narcotic_presented_within_three_days" and "6 jours restants" in warning.message
    d = late.apply(d, SetQuantity(state.line_id, 2, Adjustment("autre", "Autre (préciser)", comment="x"))).dispensing
    d = late.apply(d, Confirm(state.line_id)).dispensing
    with pytest.raises(RulesNotMet, match="seuls les 6 jours restants"):
        late.apply(d, IssueBill(tiers_payant=True))


@pytest.mark.parametrize("name, starts, boxes", [
    ("HAS-04b-Presc-DAFALGANCODEINE.json", "DAFALGAN CODEINE", 3),  # up to 2 × 2 a day × 10 days, boxes of 16
    ("HAS-05b-Presc-ACTISKENAN.json", "ACTISKENAN 10 mg", 1),  # 10 mg a day × 7 days, 10 mg gélules by 14
])
def test_has_examples_brand_lines_found_by_name(env, name, starts, boxes):
    """HAS examples naming a brand by its UCD code: found in the catalogue by name, boxes computed."""
    data = complete_bundle(bundle(name), prescriber_rpps=DEMO_PRESCRIBER_RPPS)
    number, _ = env.prescriber.submit_prescription(data)
    d = env.counter.start(str(number))
    (state,) = d.lines
    assert state.product is not None and state.product.name.startswith(starts)
    assert state.estimate.boxes == boxes and state.quantity == boxes
    d = env.counter.apply(d, Confirm(state.line_id)).dispensing
    assert [f for f in env.counter.findings(d) if f.blocking] == []


def test_has_example_generic_proposed_for_the_brand(env):
    data = complete_bundle(bundle("HAS-04b-Presc-DAFALGANCODEINE.json"), prescriber_rpps=DEMO_PRESCRIBER_RPPS)
    number, _ = env.prescriber.submit_prescription(data)
    (state,) = env.counter.start(str(number)).lines
    assert any(p.name.startswith("PARACETAMOL/CODEINE") for p in state.proposals)


def test_printing_into_a_folder_that_cannot_be_written_is_a_french_error(env, tmp_path):
    from app.printing.specimen import specimen_delivery
    from app.workflow.printing import PrintFailed

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    env.settings.printer.pdf_dir = str(blocker)
    with pytest.raises(PrintFailed, match="Impression impossible"):
        env.counter.print_delivery(specimen_delivery(lines=1), None)


def test_liste_one_not_renewed_without_the_prescriber_writing_it(env):
    from tests.workflow.conftest import CLAMOXYL_1G

    number = one_line(env, CLAMOXYL_1G, per_day=2, days=3)
    for attempt in range(2):
        d = env.counter.start(number)
        (state,) = d.lines
        d = env.counter.apply(d, Confirm(state.line_id)).dispensing
        if attempt == 0:
            assert d.renewal_index == 0 and env.counter.findings(d) == []
            d = env.counter.apply(d, IssueBill(tiers_payant=True)).dispensing
            assert env.counter.record(d).transmitted
        else:
            assert d.renewal_index == 1
            (blocking,) = env.counter.findings(d)
            assert blocking.rule == "liste_one_renewed_only_when_written" and blocking.blocking
            with pytest.raises(RulesNotMet, match="non prescrit"):
                env.counter.apply(d, IssueBill(tiers_payant=True))


def test_unreadable_saved_state_is_a_french_error(env):
    from sqlalchemy import update

    from app.domain.errors import StorageError
    from app.storage.db import transaction
    from app.storage.models.counter import DispensingRow

    d = env.counter.start(one_line(env))
    with transaction(env.factory) as session:
        session.execute(update(DispensingRow).values(state="{pas du json"))
    with pytest.raises(StorageError, match="illisible"):
        env.counter.resume(d.delivery_id)
    assert env.counter.pending() == []  # listed nowhere, but the others still are


class RecordingSubmitter:
    """A claim submitter with the real interface: keeps what it was sent."""

    def __init__(self) -> None:
        self.sent: list = []

    def submit(self, invoice_number, bill):
        from app.domain.billing import SubmissionResult

        self.sent.append((invoice_number, bill.total))
        return SubmissionResult(True, "Feuille de soins électronique transmise", "FSE-1")


def test_the_invoice_goes_to_the_claim_submitter_when_one_is_plugged_in(env):
    submitter = RecordingSubmitter()
    counter = make_counter(env.settings, env.factory, env.catalogue, env.client, submitter=submitter)
    d = counter.start(one_line(env))
    d = counter.apply(d, Confirm(d.lines[0].line_id)).dispensing
    d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    assert submitter.sent == [(d.invoice_number, d.bill.total)]
    assert "Feuille de soins électronique transmise" in d.notices
    assert counter.load_unfinished(d.delivery_id) == d  # the notice is stored with the bill


def test_common_name_line_proposes_the_substance_at_its_dosage_and_form(env):
    """A DC line ("paracétamol 1000 mg, comprimé"): every matching speciality, none a substitution."""
    medication = {"resourceType": "Medication", "id": "dc",
                  "code": {"coding": [{"system": "http://data.esante.gouv.fr/ansm/medicament/codeSMS",
                                       "code": "100000090270", "display": "paracétamol"}]},
                  "form": {"coding": [{"system": "http://standardterms.edqm.eu", "code": "10219000",
                                       "display": "comprimé"}]},
                  "ingredient": [{"itemCodeableConcept": {"coding": [{"display": "paracétamol"}],
                                                          "text": "paracétamol"},
                                  "strength": {"numerator": {"value": 1000, "unit": "mg"},
                                               "denominator": {"value": 1, "unit": "comprimé"}}}]}
    request = med_request("dc-line", "0", "x", per_day=3, days=5)
    del request["medicationCodeableConcept"]
    request["medicationReference"] = {"reference": "#dc"}
    request["contained"] = [medication]
    number = env.prescribe(request)
    d = env.counter.start(number)
    (state,) = d.lines
    names = {p.name for p in state.proposals}
    assert "DOLIPRANE 1000 mg, comprimé" in names and "PARACETAMOL KRKA 1000 mg, comprimé sécable" in names
    assert not any("500 mg" in n or "gélule" in n for n in names)
    assert set(state.proposal_kinds.values()) == {ChangeKind.SAME}
    assert state.quantity == 2  # 3 a day × 5 days = 15 tablets, boxes of 8


def test_a_long_liste_ii_treatment_goes_on_month_by_month_in_the_same_dispensation(env):
    from tests.workflow.conftest import LEVOTHYROX_75

    number = one_line(env, LEVOTHYROX_75, days=90, substitutable=False)  # boxes of 30
    d = env.counter.start(number)
    (state,) = d.lines
    assert state.estimate.boxes == 3 and state.quantity == 1  # one month at once
    assert "Proposé : 1 boîte — Liste II : au plus trente jours" in state.estimate.explanation
    d = env.counter.apply(d, Confirm(state.line_id)).dispensing
    d = env.counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    assert env.counter.record(d).transmitted
    later = other_counter(env, clock=lambda: datetime.now() + timedelta(days=100))
    d2 = later.start(number)
    assert d2.renewal_index == 0  # 30 of 90 days delivered: the same dispensation goes on
    d2 = later.apply(d2, Confirm(d2.lines[0].line_id)).dispensing
    assert later.findings(d2) == []  # past three months, but not a first delivery any more


def test_without_a_service_configured_the_counter_says_so(env):
    from app.domain.errors import ConfigurationError

    offline = make_counter(env.settings, env.factory, env.catalogue, None)
    with pytest.raises(ConfigurationError, match="non configuré"):
        offline.start(one_line(env))
    with pytest.raises(ConfigurationError):
        offline.outbox.send_pending()
    assert offline.reasons()  # what needs no service still works


def test_scanned_again_while_the_service_is_down_the_dispensing_goes_on_offline(env):
    from app.domain.errors import ServiceUnavailable

    number = one_line(env)
    d = env.counter.start(number)
    down = other_counter(env, base_url="http://127.0.0.1:9/fhir")  # nothing listens on the discard port
    again = down.start(number)
    assert again.delivery_id == d.delivery_id and again.lines == d.lines
    assert again.notices[-1] == "Service indisponible : la réservation de l'ordonnance sera refaite à l'envoi."
    with pytest.raises(ServiceUnavailable):  # nothing started here: nothing to go on with
        down.start(one_line(env))
