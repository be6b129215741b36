"""The ordonnancier in the database: append deliveries and corrections, verify the chain, read a period.

Numbers are sequential without gaps even with several workstations on one PostgreSQL: the next
number and the previous hash are read under a lock held until the caller's transaction ends
(``LOCK TABLE`` on PostgreSQL, the database write lock on SQLite), so two counters never take the
same number and a rolled-back delivery leaves no hole.

Each write also appends the register's new head (number, hash) to ``ordonnancier_checkpoint``
(migration 0006): :func:`verify_chain` then detects entries deleted from the end, which the hash
chain alone cannot.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import UTC, date, datetime

from sqlalchemy import and_, column, or_, select, table, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.types import DateTime, Integer, String

from app.domain.delivery import Delivery
from app.domain.errors import ComptoirError, StorageError
from app.domain.ordonnancier import (
    GENESIS_HASH,
    Checkpoint,
    OrdonnancierEntry,
    VerifyResult,
    entries_for_delivery,
    seal,
    verify_entries,
)
from app.storage.models.ordonnancier import OrdonnancierRow

_FIELDS = tuple(f.name for f in fields(OrdonnancierEntry))

# Append-only, protected by triggers like the register (migration 0006); written only from here.
CHECKPOINT = table("ordonnancier_checkpoint", column("seq", Integer), column("number", Integer),
                   column("hash", String), column("recorded_at", DateTime))


class CorrectionRefused(ComptoirError):
    """A correction that cannot be registered (unknown entry, no reason ...)."""


def _now() -> datetime:
    """Naive UTC to the second: stored and hashed identically on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def to_entry(row: OrdonnancierRow) -> OrdonnancierEntry:
    return OrdonnancierEntry(**{name: getattr(row, name) for name in _FIELDS})


def _to_row(entry: OrdonnancierEntry) -> OrdonnancierRow:
    return OrdonnancierRow(**{name: getattr(entry, name) for name in _FIELDS})


def _lock_and_head(session: Session) -> tuple[int, str]:
    """Take the register's write lock for this transaction; return (next number, last hash)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # Self-conflicting mode: other writers wait until this transaction ends; readers do not.
        session.execute(text("LOCK TABLE ordonnancier_entry IN SHARE ROW EXCLUSIVE MODE"))
    elif dialect == "sqlite":
        # A write that changes nothing (and fires no trigger) takes SQLite's write lock now.
        session.execute(text("UPDATE ordonnancier_entry SET number = number WHERE 0"))
    last = session.execute(
        select(OrdonnancierRow.number, OrdonnancierRow.hash).order_by(OrdonnancierRow.number.desc()).limit(1)
    ).first()
    return (last.number + 1, last.hash) if last else (1, GENESIS_HASH)


def _write(session: Session, entries: list[OrdonnancierEntry]) -> None:
    """Add ``entries`` and, in the same transaction, the register's new head as a checkpoint."""
    try:
        session.add_all([_to_row(e) for e in entries])
        session.flush()
        if entries:
            last = entries[-1]
            session.execute(CHECKPOINT.insert().values(number=last.number, hash=last.hash,
                                                       recorded_at=last.recorded_at))
    except SQLAlchemyError as exc:
        raise StorageError("L'ordonnancier n'a pas pu être complété", detail=str(exc)) from exc


def append_delivery(session: Session, delivery: Delivery) -> Delivery:
    """Register every product handed over in ``delivery``, in the caller's transaction.

    Returns the delivery with each line's ``ordonnancier_numbers`` filled in (lines not delivered
    keep an empty tuple). Registering a delivery already registered is refused: the numbers would
    be issued twice for the same boxes.
    """
    first, prev_hash = _lock_and_head(session)  # first: a concurrent twin is then seen below
    already = session.execute(
        select(OrdonnancierRow.number).where(OrdonnancierRow.delivery_id == delivery.delivery_id,
                                             OrdonnancierRow.corrects.is_(None)).limit(1)
    ).first()
    if already:
        raise StorageError(f"Délivrance déjà inscrite à l'ordonnancier (n° {already.number})")
    entries = entries_for_delivery(delivery, first_number=first, prev_hash=prev_hash, recorded_at=_now())
    _write(session, entries)
    numbers: dict[str, list[int]] = {}
    for entry in entries:
        numbers.setdefault(entry.line_id, []).append(entry.number)
    lines = tuple(replace(line, ordonnancier_numbers=tuple(numbers.get(line.line_id, ())))
                  for line in delivery.lines)
    return replace(delivery, lines=lines)


def append_correction(session: Session, original_number: int, *, reason: str, pharmacist_name: str,
                      pharmacist_rpps: str = "", quantity: int | None = None, cip13: str | None = None,
                      product_name: str | None = None) -> int:
    """Register a correction of entry ``original_number``; return the new entry's number.

    The new entry repeats the original with the given changes (``quantity=0`` cancels it) and says
    why. The original stays as it was: the register is read with its corrections.
    """
    if not reason or not reason.strip():
        raise CorrectionRefused("Rectification refusée : indiquez le motif")
    if quantity is not None and quantity < 0:
        raise CorrectionRefused("Rectification refusée : la quantité ne peut pas être négative")
    original = session.get(OrdonnancierRow, original_number)
    if original is None:
        raise CorrectionRefused(f"Rectification refusée : l'écriture n° {original_number} n'existe pas")
    base = to_entry(original)
    number, prev_hash = _lock_and_head(session)
    entry = seal(replace(
        base, number=number, recorded_at=_now(), corrects=original_number, reason=reason.strip(),
        quantity=base.quantity if quantity is None else quantity, cip13=cip13 or base.cip13,
        product_name=product_name or base.product_name, pharmacist_name=pharmacist_name,
        pharmacist_rpps=pharmacist_rpps, prev_hash=prev_hash, hash="",
    ))
    _write(session, [entry])
    return number


def iter_entries(session: Session, batch: int = 1000) -> Iterator[OrdonnancierEntry]:
    """Every entry in number order, read in batches as plain rows (the register grows for years:
    nothing is kept in the session's identity map)."""
    columns = [getattr(OrdonnancierRow, name) for name in _FIELDS]
    last = 0
    while True:
        rows = session.execute(select(*columns).where(OrdonnancierRow.number > last)
                               .order_by(OrdonnancierRow.number).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield OrdonnancierEntry(**row._asdict())
        last = rows[-1].number


def iter_checkpoints(session: Session, batch: int = 1000) -> Iterator[Checkpoint]:
    """Every recorded head in number order (then write order), read in batches."""
    query = select(CHECKPOINT.c.seq, CHECKPOINT.c.number, CHECKPOINT.c.hash)
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
            yield Checkpoint(row.number, row.hash)
        after = (rows[-1].number, rows[-1].seq)


def verify_chain(session: Session) -> VerifyResult:
    """Check the whole register: numbering, links, hashes, and every checkpoint of its head
    (entries deleted from the end, or deleted and replaced); name the first broken or missing entry."""
    return verify_entries(iter_entries(session), iter_checkpoints(session))


def entries_between(session: Session, start: date, end: date) -> list[OrdonnancierEntry]:
    """Entries whose delivery date is within ``start`` .. ``end`` (both included), in number order."""
    if end < start:
        raise ComptoirError("Période invalide : la date de fin précède la date de début")
    rows = session.scalars(select(OrdonnancierRow)
                           .where(OrdonnancierRow.delivered_on >= start, OrdonnancierRow.delivered_on <= end)
                           .order_by(OrdonnancierRow.number)).all()
    return [to_entry(r) for r in rows]
