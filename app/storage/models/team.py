"""Tables of the pharmacy team (migration 0010): users, the audit trail and where it starts, the
events that tell the other workstations what changed (SQLite), and which workstation has which
ordonnance open.

Times are naive UTC. The audit trail and its keying row are append-only: database triggers refuse
UPDATE and DELETE (and TRUNCATE on PostgreSQL), as for the ordonnancier.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base


class TeamUserRow(Base):
    """A member of the team. ``pin_hash``: Argon2id (PHC string); ``badge_hash``: HMAC of the badge
    code with the pharmacy's key; ``mac``: the row sealed with that key (role, RPPS, hashes, state),
    so that nobody editing the database without the key can promote a user or swap a PIN."""

    __tablename__ = "team_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), index=True)
    rpps: Mapped[str | None] = mapped_column(String(11), nullable=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    badge_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # raised by each administrator's change: the optimistic lock of app/storage/users.py (migration 0015)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    key_id: Mapped[str] = mapped_column(String(16))
    mac: Mapped[str] = mapped_column(String(64))


class AuditEntryRow(Base):
    __tablename__ = "audit_entry"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    user_name: Mapped[str] = mapped_column(String(200))
    workstation: Mapped[str] = mapped_column(String(100))
    object_ref: Mapped[str] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(16))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditKeyingRow(Base):
    """Where the audit trail starts (one row, written with its first entry)."""

    __tablename__ = "audit_keying"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key_id: Mapped[str] = mapped_column(String(16))
    workstation: Mapped[str] = mapped_column(String(100))
    sealed_at: Mapped[datetime] = mapped_column(DateTime)
    mac: Mapped[str] = mapped_column(String(64))


class TeamEventRow(Base):
    """An event for the other workstations, read by polling on SQLite (PostgreSQL uses NOTIFY).

    ``id`` grows with every event (AUTOINCREMENT on SQLite: never reused, even after the oldest are
    pruned), so a reader asks for what follows the last id it saw."""

    __tablename__ = "team_event"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class WorkstationClaimRow(Base):
    """Who has an ordonnance open in this pharmacy: one row per number (the primary key decides the
    race), released on close, stale after a while without a heartbeat."""

    __tablename__ = "workstation_claim"

    ordonnance_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))  # the opening session (one per window)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    user_name: Mapped[str] = mapped_column(String(200))
    workstation: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class PreparationRow(Base):
    """An ordonnance sent to preparation (migration 0011): one row per dispensing, its state and who did
    each step. ``version`` grows with each change: a step decided on an older version is refused (two
    workstations acting on one preparation at once: the database decides). Members are JSON objects
    (:class:`app.domain.delivery.TeamMember`)."""

    __tablename__ = "preparation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(String(64), unique=True)
    ordonnance_number: Mapped[str] = mapped_column(String(40), index=True)
    patient: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), index=True)
    urgency: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    sent_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    workstation: Mapped[str] = mapped_column(String(100))
    prepared_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # migration 0016
    ready_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    points: Mapped[str] = mapped_column(Text)  # JSON list of French texts
    validated_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    validated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    comment: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
