"""Test helpers: a workstation's protection (own key folder, anchor file, name, clock), an intruder
editing the database behind every trigger, recording as the counter does (register + archive + outbox)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from app.domain.delivery_codec import delivery_to_json
from app.register_key_store import RegisterKeyStore
from app.storage.delivery_archive import archive_delivery
from app.storage.models.counter import OutboxRow
from app.storage.ordonnancier import append_delivery
from app.storage.ordonnancier_anchors import AnchorFile
from app.storage.ordonnancier_keying import Protection
from tests.ordonnancier.test_storage import _delivery

PARIS_WINTER = timezone(timedelta(hours=1))


class Clock:
    """A workstation's clock (aware, local): ``at(day, hour)`` sets it."""

    def __init__(self, when: datetime | None = None) -> None:
        self.when = when or datetime(2026, 11, 24, 9, 0, tzinfo=PARIS_WINTER)

    def __call__(self) -> datetime:
        return self.when

    def at(self, day: int, hour: int = 9, minute: int = 0) -> Clock:
        self.when = datetime(2026, 11, day, hour, minute, tzinfo=PARIS_WINTER)
        return self


def workstation(root: Path, name: str, clock: Clock | None = None) -> Protection:
    """Workstation ``name``: its config folder (keys) and anchor file under ``root/name``."""
    return Protection(RegisterKeyStore("file", root / name / "config" / "ordonnancier"),
                      AnchorFile(root / name / "ancrage.jsonl"), name, clock or Clock())


def as_cli(monkeypatch, protection: Protection) -> None:
    """Make the command line run as ``protection``'s workstation (settings from the environment)."""
    monkeypatch.setenv("COMPTOIR_CONFIG_DIR", str(protection.keys.directory.parent))
    monkeypatch.setenv("COMPTOIR_ORDONNANCIER_ANCHOR_FILE", str(protection.anchors.path))
    monkeypatch.setenv("COMPTOIR_ORDONNANCIER_WORKSTATION", protection.workstation)
    monkeypatch.setenv("COMPTOIR_ORDONNANCIER_KEY_STORE", "file")


def record_delivery(session, n: int, protection: Protection, *, lines: int = 5, outbox: bool = True):
    """Record delivery ``n`` as the counter does: entries, archived copy and outbox row, one transaction."""
    delivery = _delivery(n, lines=lines, day=protection.clock().day)
    delivery = dataclasses.replace(delivery, handed_over_at=protection.clock().replace(tzinfo=None))
    registered = append_delivery(session, delivery, protection=protection)
    archive_delivery(session, registered)
    if outbox:
        now = protection.clock().replace(tzinfo=None)
        session.add(OutboxRow(delivery_id=registered.delivery_id, ordonnance_number=str(registered.number),
                              payload=delivery_to_json(registered), status="sent", attempts=1, last_error="",
                              created_at=now, next_attempt_at=now))
    return registered


def tamper(engine, *statements: str) -> None:
    """Edit the database as an intruder with full access would: every refusal trigger out of the way."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            for name in conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                             "AND name LIKE 'ordonnancier%'")).scalars().all():
                conn.execute(sa.text(f'DROP TRIGGER "{name}"'))
        for statement in pg_triggers_aside(conn, statements):
            conn.execute(sa.text(statement))


def pg_triggers_aside(conn, statements):
    """On PostgreSQL, ``statements`` wrapped the way the database's owner gets around the refusal triggers
    (ENABLE ALWAYS: session_replication_role = replica no longer does): each disabled, then put back
    ALWAYS, in the same transaction. On SQLite, ``statements`` as they are."""
    if conn.dialect.name == "sqlite":
        return list(statements)
    found = conn.execute(sa.text(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace")).all()
    return [*(f"ALTER TABLE {table} DISABLE TRIGGER {name}" for table, name in found), *statements,
            *(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}" for table, name in found)]
