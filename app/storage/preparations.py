"""The preparation queue in the database (table ``preparation``, migration 0011).

Each change is one transaction that also appends its trace to the audit trail and tells the other
workstations (channel ``queue``, payload: ids only), so that a step, its trace and its event commit
or vanish together. A change names the version it was decided on: the row is updated only if it
still has that version (compare and set), so of two workstations acting on one preparation at once
the database lets exactly one through; the other gets a French refusal and reloads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.audit import AuditAction
from app.domain.codec import decode, to_jsonable
from app.domain.delivery import TeamMember
from app.domain.preparation import OPEN_STATES, PreparationEntry, PreparationError, PrepState, Urgency
from app.domain.team import Actor
from app.storage import audit
from app.storage.db import transaction
from app.storage.models.team import PreparationRow
from app.storage.notify import publish
from app.storage.ordonnancier_keying import Protection


def _dump_member(m: TeamMember | None) -> str | None:
    return None if m is None else json.dumps(to_jsonable(m), ensure_ascii=False, sort_keys=True)


def _load_member(text: str | None) -> TeamMember | None:
    return None if not text else decode(TeamMember, json.loads(text))


def to_entry(row: PreparationRow) -> PreparationEntry:
    return PreparationEntry(
        id=row.id, delivery_id=row.delivery_id, number=row.ordonnance_number, patient=row.patient,
        state=PrepState(row.state), urgency=Urgency(row.urgency), note=row.note, sent_by=_load_member(row.sent_by),
        sent_at=row.sent_at, workstation=row.workstation, prepared_by=_load_member(row.prepared_by),
        ready_at=row.ready_at, points=tuple(json.loads(row.points or "[]")),
        validated_by=_load_member(row.validated_by), validated_at=row.validated_at, comment=row.comment,
        fingerprint=row.fingerprint, version=row.version)


def _values(entry: PreparationEntry) -> dict[str, object]:
    return {"state": entry.state.value, "urgency": entry.urgency.value, "note": entry.note,
            "prepared_by": _dump_member(entry.prepared_by), "ready_at": entry.ready_at,
            "points": json.dumps(list(entry.points), ensure_ascii=False), "validated_by": _dump_member(entry.validated_by),
            "validated_at": entry.validated_at, "comment": entry.comment, "fingerprint": entry.fingerprint}


class PreparationStore:
    """The queue's rows over ``factory``; ``protection``: this workstation (its name, key, clock)."""

    def __init__(self, factory: sessionmaker[Session], protection: Protection) -> None:
        self.factory = factory
        self.protection = protection

    def now(self) -> datetime:
        """Naive UTC, as stored."""
        return self.protection.clock().astimezone(UTC).replace(tzinfo=None, microsecond=0)

    def _trace(self, session: Session, entry: PreparationEntry, action: AuditAction | None, actor: Actor | None,
               details: Mapping[str, object] | None) -> None:
        if action is not None:
            audit.record(session, action, actor, protection=self.protection, object_ref=entry.number,
                         details={"preparation": entry.id, "delivery": entry.delivery_id, "state": entry.state.value,
                                  **(details or {})})
        publish(session, "queue", {"preparation": entry.id, "state": entry.state.value,
                                   "workstation": actor.workstation if actor else self.protection.workstation})

    # --- writing -----------------------------------------------------------------------------------

    def add(self, *, delivery_id: str, number: str, patient: str, urgency: Urgency, note: str,
            sent_by: TeamMember | None, actor: Actor | None, workstation: str) -> PreparationEntry:
        """A new entry (state ``waiting``); refused when the dispensing is in the queue already."""
        with transaction(self.factory) as session:
            existing = session.scalars(select(PreparationRow).where(PreparationRow.delivery_id == delivery_id)
                                       .with_for_update()).first()
            if existing is not None:
                if PrepState(existing.state) in OPEN_STATES:
                    raise PreparationError(f"Ordonnance déjà en préparation ({PrepState(existing.state).label})")
                session.delete(existing)  # done or cancelled: sent again (a renewal fraction, a new try)
                session.flush()
            row = PreparationRow(delivery_id=delivery_id, ordonnance_number=number, patient=patient[:200],
                                 state=PrepState.WAITING.value, urgency=urgency.value, note=note,
                                 sent_by=_dump_member(sent_by), sent_at=self.now(), workstation=workstation,
                                 prepared_by=None, ready_at=None, points="[]", validated_by=None, validated_at=None,
                                 comment="", fingerprint="", version=1)
            session.add(row)
            try:
                session.flush()
            except IntegrityError as exc:  # the same dispensing sent from two counters at once
                raise PreparationError("Ordonnance déjà envoyée en préparation par un autre poste") from exc
            entry = to_entry(row)
            self._trace(session, entry, AuditAction.PREPARATION_SENT, actor, {"urgency": urgency.value})
            return entry

    def change(self, entry: PreparationEntry, *, action: AuditAction | None, actor: Actor | None,
               details: Mapping[str, object] | None = None) -> PreparationEntry:
        """Write ``entry`` (decided on its ``version``) if nobody changed the row since; return it with
        its new version. Refused (French) when someone did. ``action``: its trace in the audit trail
        (None: traced elsewhere, as the recording that ends a preparation)."""
        with transaction(self.factory) as session:
            done = session.execute(update(PreparationRow)
                                   .where(PreparationRow.id == entry.id, PreparationRow.version == entry.version)
                                   .values(**_values(entry), version=PreparationRow.version + 1))
            if done.rowcount != 1:
                current = session.get(PreparationRow, entry.id)
                state = PrepState(current.state).label if current else "supprimée"
                raise PreparationError(f"Préparation modifiée entre-temps sur un autre poste (maintenant : {state}) : "
                                       "la liste est rechargée.")
            row = session.get(PreparationRow, entry.id, populate_existing=True)
            changed = to_entry(row)
            self._trace(session, changed, action, actor, details)
            return changed

    # --- reading -----------------------------------------------------------------------------------

    def get(self, entry_id: int) -> PreparationEntry:
        with self.factory() as session:
            row = session.get(PreparationRow, entry_id)
            if row is None:
                raise PreparationError(f"Préparation n° {entry_id} introuvable")
            return to_entry(row)

    def for_delivery(self, delivery_id: str) -> PreparationEntry | None:
        with self.factory() as session:
            row = session.scalars(select(PreparationRow).where(PreparationRow.delivery_id == delivery_id)).first()
            return to_entry(row) if row else None

    def open_entries(self) -> list[PreparationEntry]:
        """The queue: urgent first, then the oldest sent first."""
        urgent_first = case((PreparationRow.urgency == Urgency.URGENT.value, 0), else_=1)
        with self.factory() as session:
            rows = session.scalars(select(PreparationRow)
                                   .where(PreparationRow.state.in_([s.value for s in OPEN_STATES]))
                                   .order_by(urgent_first, PreparationRow.sent_at, PreparationRow.id))
            return [to_entry(r) for r in rows]
