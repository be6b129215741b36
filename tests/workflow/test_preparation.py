"""The preparation queue on real parts (sandbox service, catalogue, ordonnancier, audit trail), on SQLite
and PostgreSQL: counter → preparer → pharmacist validation → counter, who did what, every refusal."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from app.domain.audit import AuditAction
from app.domain.delivery import Adjustment
from app.domain.preparation import PreparationError, PrepState, Urgency
from app.domain.team import PermissionRefused, Role, TeamError
from app.eprescription.dispense import dispenses_of
from app.storage import audit
from app.storage.models.ordonnancier import OrdonnancierRow
from app.storage.users import Team
from app.wiring import make_desk
from app.workflow.ops import ChooseProduct, Confirm, Decline, IssueBill, Override, SetQuantity
from tests.team.conftest import ADJOINT_RPPS, TITULAIRE_RPPS, light_hasher
from tests.workflow.conftest import DOLIPRANE_1000, med_request
from tests.workflow.test_counter_flow import ids, two_lines

PREPARATEUR_RPPS = "10000000025"


@pytest.fixture
def people(env):
    """The team on the counter's database: titulaire, adjoint, préparateur (RPPS), étudiant, signed in."""
    team = Team(env.factory, env.counter.store.protection, hasher=light_hasher())
    boss_user = team.create_first_titulaire("Marie Curie", TITULAIRE_RPPS, "2580")
    boss = team.login(boss_user.id, "2580")
    adjoint = team.add_user(boss, "Louis Pasteur", Role.ADJOINT, ADJOINT_RPPS, "3691")
    prep = team.add_user(boss, "Jean Prép", Role.PREPARATEUR, PREPARATEUR_RPPS, "4826")
    student = team.add_user(boss, "Eva Étudiante", Role.ETUDIANT, None, "7315")
    return {"team": team, "titulaire": boss, "adjoint": team.login(adjoint.id, "3691"),
            "preparateur": team.login(prep.id, "4826"), "etudiant": team.login(student.id, "7315")}


def prepared(env, desk, who, d):
    """``who`` takes the preparation of ``d`` from the queue, settles both lines and marks it ready."""
    (entry,) = [e for e in desk.queue() if e.delivery_id == d.delivery_id]
    opened = desk.take(entry, who)
    amox, levo = ids(opened.dispensing)
    d = env.counter.apply(opened.dispensing, Confirm(amox), actor=who).dispensing
    d = env.counter.apply(d, Decline(levo, Adjustment("deja_en_possession", "Déjà en possession du patient")),
                          actor=who).dispensing
    return desk.mark_ready(opened.entry, d, who), d


def test_queue_round_trip_names_who_did_what(env, people):
    counter, desk = env.counter, make_desk(env.counter)
    adjoint, prep = people["adjoint"], people["preparateur"]
    d = counter.start(two_lines(env))
    sent = desk.send(d, adjoint, urgency=Urgency.URGENT, note="patient revient à 17 h")
    assert sent.state is PrepState.WAITING and sent.sent_by.name == "Louis Pasteur" and sent.urgency is Urgency.URGENT
    with pytest.raises(PreparationError, match="déjà en préparation"):
        desk.send(d, adjoint)

    assert d.delivery_id not in [p.delivery_id for p in counter.pending()]  # the preparer has it
    with pytest.raises(PreparationError, match="en préparation"):
        counter.load_unfinished(d.delivery_id)
    ready, d = prepared(env, desk, prep, d)
    assert ready.state is PrepState.TO_VALIDATE and ready.prepared_by.name == "Jean Prép"
    assert desk.ready_for_counter() == []
    d = counter.apply(d, IssueBill(tiers_payant=True), actor=prep).dispensing
    with pytest.raises(PreparationError, match="Validation pharmaceutique en attente"):
        counter.record_locally(d, prep)
    with pytest.raises(PermissionRefused, match="validation pharmaceutique.*L. 4241-1"):
        desk.validate(ready, d, prep, "ok")

    validated = desk.validate(ready, d, adjoint, "  Posologie   vérifiée ")
    assert validated.state is PrepState.VALIDATED and validated.comment == "Posologie vérifiée"
    assert [e.id for e in desk.ready_for_counter()] == [validated.id]
    assert counter.load_unfinished(d.delivery_id).invoice_number == d.invoice_number  # ready: the counter takes it

    item = counter.record_locally(d, prep)
    delivery = item.delivery
    assert delivery.prepared_by.name == "Jean Prép" and delivery.handed_over_by.name == "Jean Prép"
    assert delivery.validated_by.name == "Louis Pasteur" and delivery.validation_comment == "Posologie vérifiée"
    assert (delivery.pharmacist_name, delivery.pharmacist_rpps) == ("Louis Pasteur", ADJOINT_RPPS)
    assert desk.entry_for(d.delivery_id).state is PrepState.DONE and desk.queue() == []
    # the MedicationDispense: the pharmacist responsible first, then the préparateur (RPPS registered)
    performers = dispenses_of(delivery, delivery.lines[0])[0]["performer"]
    assert [(p["function"]["coding"][0]["code"], p["actor"]["identifier"]["value"]) for p in performers] == [
        ("finalchecker", ADJOINT_RPPS), ("packager", PREPARATEUR_RPPS)]
    sent_out = counter.finish_send(item, counter.send(item))
    assert sent_out.transmitted, sent_out.message
    with env.factory() as session:
        names = set(session.scalars(select(OrdonnancierRow.pharmacist_name)
                                    .where(OrdonnancierRow.delivery_id == d.delivery_id)))
        trail = [(e.action, e.user_name) for e in audit.entries(session) if e.object_ref == str(d.prescription.number)]
    assert names == {"Louis Pasteur"}
    assert trail == [
        (AuditAction.PREPARATION_SENT, "Louis Pasteur"), (AuditAction.PREPARATION_TAKEN, "Jean Prép"),
        (AuditAction.ADJUSTMENT, "Jean Prép"), (AuditAction.PREPARATION_READY, "Jean Prép"),
        (AuditAction.BILL, "Jean Prép"), (AuditAction.VALIDATION, "Louis Pasteur"),
        (AuditAction.RECORD, "Jean Prép")]


def test_the_delivery_and_its_people_survive_the_archive(env, people):
    from app.domain.delivery_codec import delivery_from_json, delivery_to_json

    counter, desk = env.counter, make_desk(env.counter)
    d = counter.start(two_lines(env))
    desk.send(d, people["titulaire"])
    ready, d = prepared(env, desk, people["titulaire"], d)
    assert ready.state is PrepState.VALIDATED and ready.validated_by.name == "Marie Curie"  # his own analysis
    d = counter.apply(d, IssueBill(tiers_payant=False), actor=people["titulaire"]).dispensing
    delivery = counter.record_locally(d, people["titulaire"]).delivery
    assert delivery_from_json(delivery_to_json(delivery)) == delivery
    assert delivery.validated_by.rpps == TITULAIRE_RPPS and delivery.prepared_by == delivery.handed_over_by
    assert [p["function"]["coding"][0]["code"] for p in dispenses_of(delivery, delivery.lines[0])[0]["performer"]] == [
        "finalchecker"]


def test_a_student_prepares_but_never_hands_over(env, people):
    counter, desk = env.counter, make_desk(env.counter)
    d = counter.start(two_lines(env))
    desk.send(d, people["adjoint"])
    ready, d = prepared(env, desk, people["etudiant"], d)
    with pytest.raises(PermissionRefused, match="validation pharmaceutique"):
        desk.validate(ready, d, people["etudiant"])
    desk.validate(ready, d, people["titulaire"])
    d = counter.apply(d, IssueBill(tiers_payant=False), actor=people["titulaire"]).dispensing
    with pytest.raises(PermissionRefused, match="(?i)remettre les médicaments.*étudiant"):
        counter.record_locally(d, people["etudiant"])
    assert counter.record_locally(d, people["adjoint"]).delivery.prepared_by.role == "etudiant"


def test_a_preparateur_alone_at_the_counter_does_not_record(env, people):
    counter = env.counter
    prep = people["preparateur"]
    d = counter.start(two_lines(env))
    amox, levo = ids(d)
    d = counter.apply(d, Confirm(amox), actor=prep).dispensing
    d = counter.apply(d, Confirm(levo), actor=prep).dispensing
    d = counter.apply(d, IssueBill(tiers_payant=False), actor=prep).dispensing
    with pytest.raises(PermissionRefused, match="sans validation pharmaceutique.*L. 4241-1"):
        counter.record_locally(d, prep)
    # a pharmacist records on his own responsibility: he is the validator and the one responsible
    delivery = counter.record_locally(d, people["adjoint"]).delivery
    assert delivery.validated_by.name == "Louis Pasteur" and delivery.pharmacist_rpps == ADJOINT_RPPS


def test_what_a_preparateur_overrides_waits_for_the_pharmacist(env, people):
    counter, desk = env.counter, make_desk(env.counter)
    prep = people["preparateur"]
    box8 = env.catalogue.presentations_of_cis(DOLIPRANE_1000)[0]
    d = counter.start(env.prescribe(med_request("p", box8.cip13, "DOLIPRANE 1000 mg", per_day=1, days=8)))
    entry = desk.send(d, people["adjoint"])
    opened = desk.take(entry, prep)
    (line_id,) = [s.line_id for s in d.lines]
    agreed = Adjustment("autre", "Autre (préciser)", agreement_means="téléphone", comment="voyage")
    d = counter.apply(opened.dispensing, SetQuantity(line_id, 2, agreed), actor=prep).dispensing
    d = counter.apply(d, Confirm(line_id), actor=prep).dispensing
    d = counter.apply(d, Override(line_id, "quantity_above_need", "départ à l'étranger"), actor=prep).dispensing
    ready = desk.mark_ready(opened.entry, d, prep)
    assert ready.state is PrepState.TO_VALIDATE
    assert any("accord du prescripteur" in p for p in ready.points)
    assert any("quantity_above_need passée outre" in p for p in ready.points), ready.points
    with pytest.raises(PermissionRefused):
        desk.validate(ready, d, prep)
    # sent back with a comment, changed, ready again, validated: the validation covers that state only
    back = desk.send_back(ready, people["adjoint"], "Une seule boîte suffit")
    assert back.state is PrepState.PREPARING and back.comment == "Une seule boîte suffit"
    with pytest.raises(PreparationError, match="ce qui est à reprendre"):
        desk.send_back(desk.mark_ready(back, d, prep), people["adjoint"], "  ")
    again = desk.entry_for(d.delivery_id)
    validated = desk.validate(again, d, people["adjoint"], "accord vérifié")
    changed = counter.apply(d, SetQuantity(line_id, 1, agreed), actor=prep).dispensing
    changed = counter.apply(changed, Confirm(line_id), actor=prep).dispensing
    changed = counter.apply(changed, IssueBill(tiers_payant=False), actor=prep).dispensing
    with pytest.raises(PreparationError, match="changé depuis la validation"):
        counter.record_locally(changed, prep)
    assert validated.state is PrepState.VALIDATED


def test_two_pharmacists_validating_at_once_one_wins(env, people):
    counter, desk = env.counter, make_desk(env.counter)
    d = counter.start(two_lines(env))
    desk.send(d, people["adjoint"])
    ready, d = prepared(env, desk, people["preparateur"], d)
    desk.validate(ready, d, people["adjoint"])
    with pytest.raises(PreparationError, match="modifiée entre-temps"):
        desk.validate(ready, d, people["titulaire"])  # decided on the version before the adjoint's
    stale = dataclasses.replace(desk.entry_for(d.delivery_id), version=1)
    with pytest.raises(PreparationError, match="modifiée entre-temps"):
        desk.cancel(stale, people["titulaire"])


def test_where_the_pharmacy_has_a_team_nobody_acts_unsigned(env, people):
    counter = env.counter
    d = counter.start(two_lines(env))
    amox, _levo = ids(d)
    counter.require_sign_in = True
    with pytest.raises(TeamError, match="Personne n'est connecté"):
        counter.apply(d, Confirm(amox))
    counter.actor = people["adjoint"]
    assert counter.apply(d, Confirm(amox)).dispensing.line(amox).status.value == "completed"


def test_a_stupefiant_waits_for_a_pharmacist(env, people):
    from tests.workflow.conftest import ACTISKENAN_10

    counter, desk = env.counter, make_desk(env.counter)
    prep = people["preparateur"]
    actiskenan = env.catalogue.presentations_of_cis(ACTISKENAN_10)[0]
    d = counter.start(env.prescribe(med_request("m", actiskenan.cip13, "ACTISKENAN 10 mg gélule", per_day=2, days=7)))
    opened = desk.take(desk.send(d, people["adjoint"]), prep)
    (line_id,) = [s.line_id for s in d.lines]
    d = counter.apply(opened.dispensing, ChooseProduct(line_id, actiskenan), actor=prep).dispensing
    if not d.line(line_id).quantity:
        d = counter.apply(d, SetQuantity(line_id, 1), actor=prep).dispensing
    d = counter.apply(d, Confirm(line_id), actor=prep).dispensing
    ready = desk.mark_ready(opened.entry, d, prep)
    assert ready.state is PrepState.TO_VALIDATE and any("stupéfiant à délivrer" in p for p in ready.points)
    for who in ("preparateur", "etudiant"):
        with pytest.raises(PermissionRefused, match="L. 4241-1"):
            desk.validate(ready, d, people[who])
    assert desk.validate(ready, d, people["adjoint"], "ordonnance sécurisée vue").validated_by.rpps == ADJOINT_RPPS
