"""Who has an ordonnance open in the pharmacy: decided by the database, the second opener told who,
released on close, taken over when stale; 100 races of two processes on PostgreSQL."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.domain.team import Actor, Role
from app.storage.db import open_database
from app.storage.notify import PollingListener
from app.storage.workstation_claims import WorkstationClaims, database_now
from tests.team import procs

NUMBER = "ABCD2345EFGH6789JKM1"
MARIE = Actor(1, "Marie Curie", Role.TITULAIRE, "10000000009", "COMPTOIR-1")
JEAN = Actor(2, "Jean Prép", Role.PREPARATEUR, None, "PREPARATION")


class DbClock:
    """The database's clock as the claims read it, moved by hand (naive UTC)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 8, 0)

    def __call__(self, _session) -> datetime:
        return self.now


@pytest.fixture
def two(db):
    clock = DbClock()
    a = WorkstationClaims(db[1], workstation="COMPTOIR-1", clock=clock)
    b = WorkstationClaims(db[1], workstation="PREPARATION", clock=clock)
    return a, b, clock


def test_the_second_opener_is_told_who_has_it(two):
    a, b, clock = two
    first = a.open(" abcd-2345 efgh-6789 jkm1 ", MARIE)
    assert first.granted and first.claim.number == NUMBER and first.claim.holder == a.holder
    second = b.open(NUMBER, JEAN)
    assert not second.granted
    assert (second.claim.holder, second.claim.user_name, second.claim.workstation) == (a.holder, "Marie Curie",
                                                                                      "COMPTOIR-1")
    assert (second.claim.number, second.claim.opened_at) == (NUMBER, datetime(2026, 11, 24, 8, 0))
    assert b.holder_of(NUMBER).holder == a.holder


def test_reopening_ones_own_keeps_it_and_close_releases(two):
    a, b, clock = two
    a.open(NUMBER, MARIE)
    clock.now += timedelta(minutes=1)
    again = a.open(NUMBER, MARIE)
    assert again.granted and not again.took_over and again.claim.opened_at == datetime(2026, 11, 24, 8, 0)
    assert not b.close(NUMBER)  # not b's to close
    assert a.close(NUMBER) and a.holder_of(NUMBER) is None
    assert b.open(NUMBER, JEAN).granted


def test_a_claim_without_heartbeat_goes_stale_and_is_taken_over(two):
    a, b, clock = two
    a.open(NUMBER, MARIE)
    clock.now += timedelta(minutes=4)
    assert a.heartbeat() == [NUMBER]
    clock.now += timedelta(minutes=4, seconds=59)  # 4 min 59 s since the heartbeat: still held
    assert not b.open(NUMBER, JEAN).granted
    clock.now += timedelta(seconds=2)
    taken = b.open(NUMBER, JEAN)
    assert taken.granted and taken.took_over and taken.claim.holder == b.holder
    assert a.heartbeat() == []  # a learns it lost it
    assert not a.open(NUMBER, MARIE).granted


def test_close_all_and_listing(two):
    a, b, _ = two
    a.open(NUMBER, MARIE)
    a.open("ZZZZ2345EFGH6789JKM1", MARIE)
    b.open("YYYY2345EFGH6789JKM1", JEAN)
    assert sorted(c.number for c in a.all()) == ["ABCD2345EFGH6789JKM1", "YYYY2345EFGH6789JKM1",
                                                 "ZZZZ2345EFGH6789JKM1"]
    assert a.close_all() == 2
    assert [c.holder for c in a.all()] == [b.holder]


def test_the_others_are_told(sqlite_url):
    engine, factory = open_database(sqlite_url)
    listener = PollingListener(engine, ["claims"], lambda e: None)
    listener.poll_once()
    a = WorkstationClaims(factory, workstation="COMPTOIR-1", clock=DbClock())
    a.open(NUMBER, MARIE)
    a.close(NUMBER)
    assert [e.payload for e in listener.poll_once()] == [
        {"number": NUMBER, "change": "opened", "workstation": "COMPTOIR-1"},
        {"number": NUMBER, "change": "released", "workstation": "COMPTOIR-1"}]
    engine.dispose()


def test_the_database_clock_is_utc(db):
    with db[1]() as session:
        now = database_now(session)
    assert now.tzinfo is None and abs(now - datetime.utcnow()) < timedelta(minutes=1)


def test_a_refused_number_is_refused(two):
    a, _, _ = two
    with pytest.raises(Exception, match="Numéro d'ordonnance"):
        a.open("??", MARIE)


def test_100_races_of_two_processes_have_exactly_one_winner_each(pg_url):
    engine, factory = open_database(pg_url)
    numbers = [f"RACE{n:04d}EFGH6789JKM" for n in range(100)]
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    racers = [ctx.Process(target=procs.claim_racer, args=(pg_url, holder, numbers, barrier, results))
              for holder in ("COMPTOIR-1", "COMPTOIR-2")]
    for racer in racers:
        racer.start()
    outcome = dict(results.get(timeout=300) for _ in racers)
    for racer in racers:
        racer.join(60)
    assert [r.exitcode for r in racers] == [0, 0]
    winners = [("COMPTOIR-1" if one else "COMPTOIR-2") for one, two in zip(outcome["COMPTOIR-1"],
                                                                          outcome["COMPTOIR-2"], strict=True)
               if one != two]
    assert len(winners) == 100  # never both, never neither
    with engine.connect() as conn:
        held = dict(conn.execute(sa.text("SELECT ordonnance_number, holder FROM workstation_claim")).all())
    assert held == dict(zip(numbers, winners, strict=True))
    print(f"race winners: COMPTOIR-1 {winners.count('COMPTOIR-1')}, COMPTOIR-2 {winners.count('COMPTOIR-2')}")
    engine.dispose()
