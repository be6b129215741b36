"""Aware times from the workflow's clock are stored as local wall-clock time on both databases
(PostgreSQL would otherwise convert them to its server's zone, SQLite would not)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.storage.base import WallClockDateTime
from app.storage.db import make_engine


@pytest.fixture
def paris(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_aware_times_keep_their_local_wall_clock(db_url, paris):
    engine = make_engine(db_url)
    meta = sa.MetaData()
    table = sa.Table("wall_clock_probe", meta, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("at", WallClockDateTime))
    meta.create_all(engine)
    # 03:20 in Paris in winter, given in UTC: stored as the counter's 03:20, not the server's 02:20.
    moment = datetime(2026, 11, 26, 2, 20, tzinfo=UTC)
    try:
        with engine.begin() as conn:
            conn.execute(table.insert().values(id=1, at=moment))
            stored = conn.execute(sa.select(table.c.at)).scalar_one()
            assert stored == datetime(2026, 11, 26, 3, 20)
            due = conn.execute(sa.select(table.c.id).where(table.c.at <= moment + timedelta(minutes=1))).all()
            not_due = conn.execute(sa.select(table.c.id).where(table.c.at <= moment - timedelta(minutes=1))).all()
            assert due == [(1,)] and not_due == []
    finally:
        meta.drop_all(engine)
        engine.dispose()
