"""The preparation queue stays consistent with the counter, on SQLite and PostgreSQL: the recording
that ends a preparation closes it in the same transaction (a failure injected in between leaves
neither half), and the queue never lists as ready what is recorded already."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.domain.audit import AuditAction
from app.domain.delivery import Adjustment
from app.domain.errors import StorageError
from app.domain.preparation import InPreparation, PreparationError, PrepState
from app.domain.records import Stage
from app.storage import audit, counter_store, preparations
from app.storage.models.ordonnancier import OrdonnancierRow
from app.wiring import make_desk
from app.workflow.ops import Confirm, Decline, IssueBill
from tests.workflow.test_counter_flow import ids, two_lines
from tests.workflow.test_preparation import people, prepared  # noqa: F401  (people: a fixture)


def _validated_and_billed(env, people):  # noqa: F811
    counter, desk = env.counter, make_desk(env.counter)
    d = counter.start(two_lines(env))
    desk.send(d, people["adjoint"])
    ready, d = prepared(env, desk, people["preparateur"], d)
    validated = desk.validate(ready, d, people["adjoint"], "vu")
    d = counter.apply(d, IssueBill(tiers_payant=False), actor=people["preparateur"]).dispensing
    return desk, validated, d


def _register_lines(env, delivery_id: str) -> int:
    with env.factory() as session:
        return session.scalar(select(func.count()).select_from(OrdonnancierRow)
                              .where(OrdonnancierRow.delivery_id == delivery_id))


def test_a_failure_while_closing_the_preparation_records_nothing(env, people, monkeypatch):  # noqa: F811
    counter = env.counter
    desk, validated, d = _validated_and_billed(env, people)

    def closes_then_fails(session, delivery_id, workstation):
        assert preparations.close_for_delivery(session, delivery_id, workstation) == validated.id
        raise StorageError("panne injectée après la clôture de la préparation")

    monkeypatch.setattr(counter_store, "close_for_delivery", closes_then_fails)
    with pytest.raises(StorageError, match="panne injectée"):
        counter.record_locally(d, people["preparateur"])
    # neither half: not recorded, still ready at the counter
    assert counter.store.stage(d.delivery_id) is Stage.BILLED and counter.store.outbox(d.delivery_id) is None
    assert _register_lines(env, d.delivery_id) == 0
    assert desk.entry_for(d.delivery_id).state is PrepState.VALIDATED
    assert [e.id for e in desk.ready_for_counter()] == [validated.id]

    monkeypatch.undo()  # the counter tries again: both halves
    item = counter.record_locally(d, people["preparateur"])
    assert counter.store.stage(d.delivery_id) is Stage.RECORDED and _register_lines(env, d.delivery_id) > 0
    assert item.delivery.validated_by.name == "Louis Pasteur"
    assert desk.entry_for(d.delivery_id).state is PrepState.DONE
    assert desk.queue() == [] and desk.ready_for_counter() == []


def test_a_preparation_left_open_behind_a_recording_is_not_listed(env, people, monkeypatch):  # noqa: F811
    """As an earlier version could leave it: recorded, its entry still 'ready' (the second transaction
    that closed it failed). The queue does not list it, nor the counter as ready; recording again
    records nothing twice."""
    counter = env.counter
    desk, validated, d = _validated_and_billed(env, people)
    monkeypatch.setattr(counter_store, "close_for_delivery", lambda session, delivery_id, workstation: None)
    first = counter.record_locally(d, people["preparateur"])
    assert desk.entry_for(d.delivery_id).state is PrepState.VALIDATED  # left open in the table
    assert desk.queue() == [] and desk.ready_for_counter() == []  # but not listed as ready
    monkeypatch.undo()
    again = counter.record_locally(d, people["preparateur"])
    assert again.delivery == first.delivery  # recorded once
    assert desk.queue() == [] and desk.ready_for_counter() == []


def _unfinished_of(env, number: str) -> list[str]:
    return [d.delivery_id for d, _stage in env.counter.store.unfinished() if str(d.prescription.number) == number]


def test_an_ordonnance_in_preparation_scanned_at_the_counter_is_shown_where_it_stands(env, people):  # noqa: F811
    counter, desk = env.counter, make_desk(env.counter)
    number = two_lines(env)
    d = counter.start(number)
    entry = desk.send(d, people["adjoint"])
    with pytest.raises(InPreparation) as waiting:
        counter.start(number)
    assert waiting.value.entry.id == entry.id and waiting.value.entry.state is PrepState.WAITING
    opened = desk.take(entry, people["preparateur"])
    amox, _levo = ids(opened.dispensing)
    worked = counter.apply(opened.dispensing, Confirm(amox), actor=people["preparateur"]).dispensing
    with pytest.raises(InPreparation, match="en préparation par Jean Prép") as preparing:
        counter.start(number)
    shown = preparing.value.entry
    assert shown.state is PrepState.PREPARING and shown.prepared_by.name == "Jean Prép"
    assert shown.taken_at is not None and shown.taken_at >= shown.sent_at
    with pytest.raises(InPreparation):  # the service out of reach: the same answer
        counter.unfinished_offline(number)
    with pytest.raises(InPreparation):  # nor from the list of dispensings left unfinished
        counter.load_unfinished(d.delivery_id)
    ready, worked = prepared_rest(env, desk, opened.entry, worked, people["preparateur"])
    with pytest.raises(InPreparation) as to_validate:
        counter.start(number)
    assert to_validate.value.entry.state is PrepState.TO_VALIDATE
    desk.validate(ready, worked, people["adjoint"], "vu")
    again = counter.start(number)  # validated: the prepared dispensing, to hand over
    assert again.delivery_id == d.delivery_id and again.line(amox).status.value == "completed"
    assert _unfinished_of(env, number) == [d.delivery_id]  # never a second dispensing of it


def prepared_rest(env, desk, entry, d, who):
    """The last line not delivered (the patient has it), then ready."""
    _amox, levo = ids(d)
    d = env.counter.apply(d, Decline(levo, Adjustment("deja_en_possession", "Déjà en possession du patient")),
                          actor=who).dispensing
    return desk.mark_ready(desk.store.get(entry.id), d, who), d


def test_the_counter_takes_an_ordonnance_back_from_the_queue(env, people):  # noqa: F811
    counter, desk = env.counter, make_desk(env.counter)
    number = two_lines(env)
    d = counter.start(number)
    opened = desk.take(desk.send(d, people["adjoint"]), people["preparateur"])
    amox, _levo = ids(opened.dispensing)
    counter.apply(opened.dispensing, Confirm(amox), actor=people["preparateur"])
    with pytest.raises(InPreparation) as scanned:
        counter.start(number)
    shown = scanned.value.entry
    assert desk.still_preparing(opened.entry).prepared_by.name == "Jean Prép"
    back = desk.take_back(shown, people["adjoint"])
    assert back.state is PrepState.CANCELLED and desk.queue() == []
    with pytest.raises(PreparationError, match="annulée entre-temps"):  # the preparer's screen asks first
        desk.still_preparing(opened.entry)
    resumed = counter.load_unfinished(d.delivery_id)  # the preparer's work goes on at the counter
    assert resumed.line(amox).status.value == "completed" and counter.start(number).delivery_id == d.delivery_id
    with pytest.raises(PreparationError, match="modifiée entre-temps"):  # the preparer stops there
        desk.take(opened.entry, people["preparateur"])
    with pytest.raises(PreparationError, match="action impossible"):
        desk.take_back(back, people["adjoint"])
    with env.factory() as session:
        steps = [(e.action, e.user_name, json.loads(e.details).get("taken_back"))
                 for e in audit.entries(session)
                 if e.object_ref == number]
    assert (AuditAction.PREPARATION_CANCELLED, "Louis Pasteur", True) in steps


def test_a_validated_preparation_is_not_taken_back(env, people):  # noqa: F811
    desk, validated, _d = _validated_and_billed(env, people)
    with pytest.raises(PreparationError, match="action impossible"):
        desk.take_back(validated, people["adjoint"])
