"""The register as stored: its rows as entries, and the reads that writing, keying and verifying share
(the entries, the checkpoints, the closings, the switch to the key, a period).

Why apart: the keying (:mod:`app.storage.ordonnancier_keying`), the writing
(:mod:`app.storage.ordonnancier`) and the verification (:mod:`app.storage.ordonnancier_verify`)
all read the register; reading it here, depending on none of them, leaves no import cycle between
them. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import and_, column, or_, select, table
from sqlalchemy.orm import Session
from sqlalchemy.types import DateTime, Integer, String

from app.domain.errors import ComptoirError
from app.domain.ordonnancier import Closing, KeyingStart, OrdonnancierEntry, Witness
from app.storage.models.ordonnancier import ClosingRow, KeyingRow, OrdonnancierRow

ENTRY_FIELDS = tuple(f.name for f in fields(OrdonnancierEntry))

# Append-only, protected by triggers like the register (migration 0006); written only with the
# entries (app.storage.ordonnancier).
CHECKPOINT = table("ordonnancier_checkpoint", column("seq", Integer), column("number", Integer),
                   column("hash", String), column("recorded_at", DateTime))


def to_entry(row: OrdonnancierRow) -> OrdonnancierEntry:
    return OrdonnancierEntry(**{name: getattr(row, name) for name in ENTRY_FIELDS})


def to_row(entry: OrdonnancierEntry) -> OrdonnancierRow:
    return OrdonnancierRow(**{name: getattr(entry, name) for name in ENTRY_FIELDS})


def database_name(session: Session) -> str:
    """The database as the anchor file names it: its URL without password."""
    return session.get_bind().url.render_as_string(hide_password=True)


def local_day(recorded_at: datetime, zone: tzinfo) -> date:
    """The workstation's day of a naive-UTC ``recorded_at``."""
    return recorded_at.replace(tzinfo=UTC).astimezone(zone).date()


def read_keying(session: Session) -> KeyingStart | None:
    k = KeyingRow
    row = session.execute(select(k.legacy_last, k.legacy_head, k.created_at, k.key_id, k.workstation,
                                 k.sealed_at, k.mac).where(k.id == 1)).first()
    if row is None:
        return None
    return KeyingStart(row.legacy_last, row.legacy_head, row.created_at, row.key_id, row.workstation or "",
                       row.sealed_at, row.mac)


def _closing(row: ClosingRow) -> Closing:
    return Closing(row.register, row.day, row.number, row.head, row.closed_at, row.workstation, row.mac)


def iter_closings(session: Session) -> Iterator[Closing]:
    for row in session.scalars(select(ClosingRow).order_by(ClosingRow.seq)):
        yield _closing(row)


def closings_between(session: Session, start: date, end: date) -> list[Closing]:
    """The closings of the days ``start`` .. ``end``, by day then order of writing."""
    rows = session.scalars(select(ClosingRow).where(ClosingRow.day >= start, ClosingRow.day <= end)
                           .order_by(ClosingRow.day, ClosingRow.seq)).all()
    return [_closing(r) for r in rows]


def iter_entries(session: Session, batch: int = 1000) -> Iterator[OrdonnancierEntry]:
    """Every entry in number order, read in batches as plain rows (the register grows for years:
    nothing is kept in the session's identity map)."""
    columns = [getattr(OrdonnancierRow, name) for name in ENTRY_FIELDS]
    last = 0
    while True:
        rows = session.execute(select(*columns).where(OrdonnancierRow.number > last)
                               .order_by(OrdonnancierRow.number).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield OrdonnancierEntry(**row._asdict())
        last = rows[-1].number


def iter_checkpoints(session: Session, batch: int = 1000) -> Iterator[Witness]:
    """Every recorded head in number order (then write order), read in batches."""
    query = select(CHECKPOINT.c.seq, CHECKPOINT.c.number, CHECKPOINT.c.hash, CHECKPOINT.c.recorded_at)
    after: tuple[int, int] = (0, 0)
    while True:
        number, seq = after
        rows = session.execute(
            query.where(or_(CHECKPOINT.c.number > number, and_(CHECKPOINT.c.number == number,
                                                               CHECKPOINT.c.seq > seq)))
            .order_by(CHECKPOINT.c.number, CHECKPOINT.c.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield Witness(row.number, row.hash, "point de contrôle", row.recorded_at.date())
        after = (rows[-1].number, rows[-1].seq)


def entries_between(session: Session, start: date, end: date) -> list[OrdonnancierEntry]:
    """Entries whose delivery date is within ``start`` .. ``end`` (both included), in number order."""
    if end < start:
        raise ComptoirError("Période invalide : la date de fin précède la date de début")
    rows = session.scalars(select(OrdonnancierRow)
                           .where(OrdonnancierRow.delivered_on >= start, OrdonnancierRow.delivered_on <= end)
                           .order_by(OrdonnancierRow.number)).all()
    return [to_entry(r) for r in rows]
