"""The preparation queue stays consistent with the counter, on SQLite and PostgreSQL: the recording
that ends a preparation closes it in the same transaction (a failure injected in between leaves
neither half), and the queue never lists as ready what is recorded already."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain.errors import StorageError
from app.domain.preparation import PrepState
from app.domain.records import Stage
from app.storage import counter_store, preparations
from app.storage.models.ordonnancier import OrdonnancierRow
from app.wiring import make_desk
from app.workflow.ops import IssueBill
from tests.workflow.test_counter_flow import two_lines
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
