"""Two workstations (two processes) recording the same dispensing at the same moment, on PostgreSQL:
the database decides, exactly one delivery each time (one ordonnancier entry per product, one archive,
one outbox row), and both workstations are answered with that delivery."""

from __future__ import annotations

import dataclasses
import multiprocessing

import pytest
from sqlalchemy import func, select

from app.domain.delivery import Adjustment
from app.storage.models.counter import OutboxRow
from app.storage.models.ordonnancier import ArchivedDeliveryRow, OrdonnancierRow
from app.workflow.ops import Confirm, Decline, IssueBill
from tests.workflow import procs
from tests.workflow.test_counter_flow import ids, two_lines


def billed_copies(env, count: int) -> list[str]:
    """``count`` billed dispensings of one ordonnance (one started, then copied under new ids)."""
    d = env.counter.start(two_lines(env))
    amox, levo = ids(d)
    d = env.counter.apply(d, Confirm(amox)).dispensing
    d = env.counter.apply(d, Decline(levo, Adjustment("deja_en_possession", "Déjà en possession du patient"))).dispensing
    d = env.counter.apply(d, IssueBill(tiers_payant=False)).dispensing
    out = []
    for n in range(count):
        copy = dataclasses.replace(d, delivery_id=f"race-{n:03d}-{d.delivery_id[:8]}", invoice_number=None)
        env.counter.store.bill(copy, env.counter.clock())
        out.append(copy.delivery_id)
    return out


def race(env, count: int) -> None:
    delivery_ids = billed_copies(env, count)
    url = str(env.factory.kw["bind"].url.render_as_string(hide_password=False))
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    racers = [ctx.Process(target=procs.record_racer, args=(url, delivery_ids, barrier, results)) for _ in range(2)]
    for racer in racers:
        racer.start()
    first, second = (results.get(timeout=600) for _ in racers)
    for racer in racers:
        racer.join(60)
    assert [r.exitcode for r in racers] == [0, 0]
    assert first == second  # both answered with the one delivery recorded
    with env.factory() as session:
        for delivery_id in delivery_ids:
            entries = session.scalar(select(func.count()).select_from(OrdonnancierRow)
                                     .where(OrdonnancierRow.delivery_id == delivery_id))
            archived = session.scalar(select(func.count()).select_from(ArchivedDeliveryRow)
                                      .where(ArchivedDeliveryRow.delivery_id == delivery_id))
            outbox = session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.delivery_id == delivery_id))
            assert (entries, archived, outbox) == (1, 1, 1), delivery_id


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_ten_races_to_record_make_one_delivery_each(env):
    race(env, 10)


@pytest.mark.long
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_a_hundred_races_to_record_make_one_delivery_each(env):
    race(env, 100)
