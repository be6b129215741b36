"""The ordonnancier in the database: append deliveries and corrections, seal them with the pharmacy's
key, close each day, verify the register against everything that witnessed it. The key on this
workstation is :mod:`app.storage.ordonnancier_keying`'s, the reads (a period, the entries, the
closings) :mod:`app.storage.ordonnancier_read`'s, the checks :mod:`app.storage.ordonnancier_verify`'s.

Numbers are sequential without gaps even with several workstations on one PostgreSQL: the next
number and the previous seal are read under a lock held until the caller's transaction ends
(``LOCK TABLE`` on PostgreSQL, the database write lock on SQLite), so two counters never take the
same number and a rolled-back delivery leaves no hole.

What protects the register (CSP R. 5132-9: no change after validation, data duplicated on two
distinct media), and against whom:

- **The key.** Every entry is sealed by HMAC-SHA256 with a per-pharmacy key that is not in the
  database (:class:`app.register_key_store.RegisterKeyStore`: OS keyring, or a 0600 file where no keyring works).
  Whoever edits the database without the key — a copied or stolen file, the administrator of a
  shared PostgreSQL server, a script using this project's own ``seal()`` — cannot reseal an edited
  entry, a rewritten chain or a rewritten tail: :func:`verify_chain` names the first entry whose seal
  fails. The first keyed write creates the key; every other workstation of the pharmacy imports it
  (``comptoir ordonnancier key export|import``); a workstation without it can neither write nor
  verify, and says from which workstation to import it.
- **Registers of earlier versions** keep their SHA-256 chain up to the switch recorded by migration
  0007; the switch is sealed with the key, so that part cannot be rewritten afterwards either.
- **Truncation.** A chain cannot show that its end was cut off. Witnesses can, and :func:`verify_chain`
  compares the register with each: the checkpoint written with every entry (0006), the sealed
  switch to the key (the register had at least one keyed entry), the daily closings (sealed heads,
  in the database and appended to each workstation's anchor file outside it, see
  :mod:`app.storage.ordonnancier_anchors`), any earlier CSV export given to ``verify --export``, the
  delivery archive and the outbox (every delivery recorded has its entries, and every entry its
  delivery in the archive). Deleting the last entries, with their checkpoints or not, and emptying
  the register are detected as long as one of these still shows more than the register.
- **The closing** of a day happens at the first write of a later day, at ``comptoir ordonnancier
  close`` and at the app's start (:func:`close_previous_days`). The national service is not an anchor:
  its contract (docs/eprescription-api.md) has no operation to deposit a register's head, and we do
  not invent one on a national service. It keeps each delivery sent to it (operation 7), which an
  inspector can compare, ordonnance by ordonnance, with the register.

What it cannot do: someone holding the key *and* the database *and* every witness (each
workstation's anchor file, the exports, the archive and outbox) can rewrite history consistently.
On a single workstation without a keyring, the key file sits in the same user account as the
SQLite database: an intruder in that account holds both, and only the exports kept elsewhere (and
the service's copy of each delivery) remain as witnesses. Entries written since the day's last
closing are witnessed only by the database itself (checkpoints, archive, outbox) until the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.delivery import Delivery
from app.domain.errors import ComptoirError, StorageError
from app.domain.ordonnancier import (
    GENESIS_HASH,
    Closing,
    KeyingStart,
    OrdonnancierEntry,
    VerifyResult,
    days_to_close,
    entries_for_delivery,
    registers_something,
    same,
    seal,
)
from app.storage.keyed_chain import lock_chain
from app.storage.models.ordonnancier import ClosingRow, OrdonnancierRow
from app.storage.ordonnancier_anchors import AnchorFileError
from app.storage.ordonnancier_keying import Protection, key_for_writing
from app.storage.ordonnancier_read import (
    CHECKPOINT,
    database_name,
    iter_closings,
    local_day,
    read_keying,
    to_entry,
    to_row,
)
from app.storage.ordonnancier_verify import verify_register

log = logging.getLogger(__name__)


class CorrectionRefused(ComptoirError):
    """A correction that cannot be registered (unknown entry, no reason ...)."""


def _day_end(day: date, zone: tzinfo) -> datetime:
    """The first naive-UTC instant after local ``day``."""
    return datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC).replace(tzinfo=None)


def _lock_and_head(session: Session) -> tuple[int, str]:
    """Take the register's write lock for this transaction; return (next number, last seal)."""
    lock_chain(session, "ordonnancier_entry", "number")
    last = session.execute(
        select(OrdonnancierRow.number, OrdonnancierRow.hash).order_by(OrdonnancierRow.number.desc()).limit(1)
    ).first()
    return (last.number + 1, last.hash) if last else (1, GENESIS_HASH)


# --- closings --------------------------------------------------------------------------------------


def _last_closed(session: Session) -> int:
    return session.scalar(select(func.max(ClosingRow.number))) or 0


def _close_through(session: Session, protection: Protection, key: bytes, start: KeyingStart, through: date,
                   *, strict: bool) -> list[Closing]:
    """Close every day up to ``through`` (local) with keyed entries not yet covered by a closing.

    The closings are appended to the anchor file first, then to the database: a closing that the
    database then loses (rollback) was still true of entries already committed. ``strict`` False
    (the writing path): an anchor file that cannot be written skips the closing, logged, and it is
    tried again at the next write; True (``close``): the error is raised.
    """
    since = max(_last_closed(session), start.legacy_last)
    zone = protection.zone
    end = _day_end(through, zone)
    rows = session.execute(select(OrdonnancierRow.number, OrdonnancierRow.recorded_at, OrdonnancierRow.hash)
                           .where(OrdonnancierRow.number > since, OrdonnancierRow.recorded_at < end)
                           .order_by(OrdonnancierRow.number)).all()
    if not rows:
        return []
    seals = {r.number: r.hash for r in rows}
    now = protection.now()
    closings = [Closing(start.key_id or "", day, number, seals[number], now, protection.workstation).sealed(key)
                for day, number in days_to_close(((r.number, local_day(r.recorded_at, zone)) for r in rows),
                                                 through=through)]
    try:
        protection.anchors.append(database_name(session), closings)
    except AnchorFileError as exc:
        if strict:
            raise
        log.warning("daily closing skipped: %s (%s)", exc, exc.detail)
        return []
    session.add_all([ClosingRow(register=c.register, day=c.day, number=c.number, head=c.head,
                                closed_at=c.closed_at, workstation=c.workstation, mac=c.mac) for c in closings])
    session.flush()
    return closings


def _close_previous(session: Session, protection: Protection, key: bytes, start: KeyingStart) -> None:
    """At a write: close the days before today that are not closed yet. Two lookups by key when there
    are none: entries are numbered in the order they are written, so the first entry after the last
    closing is the oldest one not closed."""
    yesterday = protection.clock().date() - timedelta(days=1)
    oldest = session.scalar(select(OrdonnancierRow.recorded_at).where(
        OrdonnancierRow.number == max(_last_closed(session), start.legacy_last) + 1))
    if oldest is not None and oldest < _day_end(yesterday, protection.zone):
        _close_through(session, protection, key, start, yesterday, strict=False)
        _copy_others_closings(session, protection, key)


def _copy_others_closings(session: Session, protection: Protection, key: bytes) -> int:
    """Append to this workstation's anchor file the closings other workstations made that it lacks,
    once checked (their seal, and the register's entry still bearing the head): every workstation
    then witnesses the whole register. This workstation's own closings missing from its file are
    never copied back: that absence is what shows the file was deleted or rolled back."""
    try:
        have = {line.record.mac for line in protection.anchors.read().lines}
    except AnchorFileError as exc:
        log.warning("closings of other workstations not copied: %s", exc.detail)
        return 0
    copies = []
    for closing in iter_closings(session):
        if closing.mac in have or closing.workstation == protection.workstation:
            continue
        head = session.scalar(select(OrdonnancierRow.hash).where(OrdonnancierRow.number == closing.number))
        if same(closing.compute_mac(key), closing.mac) and same(head, closing.head):
            copies.append(closing)
    try:
        protection.anchors.append(database_name(session), copies)
    except AnchorFileError as exc:
        log.warning("closings of other workstations not copied: %s", exc.detail)
        return 0
    return len(copies)


def close_days(session: Session, through: date | None = None, *,
               protection: Protection | None = None) -> list[Closing]:
    """Close the register up to ``through`` (default: today, so far), in the caller's transaction:
    ``comptoir ordonnancier close``. Returns the closings made (none when nothing is new)."""
    protection = protection or Protection.from_settings()
    today = protection.clock().date()
    through = through or today
    if through > today:
        raise ComptoirError(f"Clôture refusée : le {through.strftime('%d/%m/%Y')} n'est pas encore passé")
    _lock_and_head(session)
    start = read_keying(session)
    if start is not None and not start.sealed and session.scalar(
            select(func.max(OrdonnancierRow.number))) in (None, start.legacy_last):
        return []  # nothing keyed yet: the first keyed write seals the register
    key, start = key_for_writing(session, protection)
    closings = _close_through(session, protection, key, start, through, strict=True)
    _copy_others_closings(session, protection, key)
    return closings


def close_previous_days(factory, protection: Protection | None = None) -> list[Closing]:
    """At the app's start, on the database worker: close the days before today left open.

    Never stops the start: a workstation without the key, an unwritable anchor file or a database
    refusing the write is logged (the writes will say it in French) and nothing is closed.
    """
    from app.storage.db import transaction

    protection = protection or Protection.from_settings()
    try:
        with transaction(factory) as session:
            return close_days(session, protection.clock().date() - timedelta(days=1), protection=protection)
    except ComptoirError as exc:
        log.warning("daily closing at start skipped: %s (%s)", exc, exc.detail)
    except SQLAlchemyError:
        log.warning("daily closing at start skipped: database error", exc_info=True)
    return []


# --- writing ---------------------------------------------------------------------------------------


def _write(session: Session, entries: list[OrdonnancierEntry]) -> None:
    """Add ``entries`` and, in the same transaction, the register's new head as a checkpoint."""
    try:
        session.add_all([to_row(e) for e in entries])
        session.flush()
        if entries:
            last = entries[-1]
            session.execute(CHECKPOINT.insert().values(number=last.number, hash=last.hash,
                                                       recorded_at=last.recorded_at))
    except SQLAlchemyError as exc:
        raise StorageError("L'ordonnancier n'a pas pu être complété", detail=str(exc)) from exc


def append_delivery(session: Session, delivery: Delivery, *, protection: Protection | None = None) -> Delivery:
    """Register every product handed over in ``delivery``, in the caller's transaction.

    Returns the delivery with each line's ``ordonnancier_numbers`` filled in (lines not delivered
    keep an empty tuple). Registering a delivery already registered is refused: the numbers would
    be issued twice for the same boxes. The entries are sealed with the pharmacy's key (created at
    the register's first keyed write); the days before today left open are closed first.
    ``protection`` defaults to the one the settings describe.
    """
    first, prev_hash = _lock_and_head(session)  # first: a concurrent twin is then seen below
    already = session.execute(
        select(OrdonnancierRow.number).where(OrdonnancierRow.delivery_id == delivery.delivery_id,
                                             OrdonnancierRow.corrects.is_(None)).limit(1)
    ).first()
    if already:
        raise StorageError(f"Délivrance déjà inscrite à l'ordonnancier (n° {already.number})")
    if not registers_something(delivery):
        return delivery
    protection = protection or Protection.from_settings()
    key, start = key_for_writing(session, protection)
    _close_previous(session, protection, key, start)
    entries = entries_for_delivery(delivery, first_number=first, prev_hash=prev_hash,
                                   recorded_at=protection.now(), key=key)
    _write(session, entries)
    return with_numbers(delivery, entries)


def with_numbers(delivery: Delivery, entries: list[OrdonnancierEntry]) -> Delivery:
    """``delivery`` with each line's ``ordonnancier_numbers`` taken from ``entries``."""
    numbers: dict[str, list[int]] = {}
    for entry in entries:
        numbers.setdefault(entry.line_id, []).append(entry.number)
    lines = tuple(replace(line, ordonnancier_numbers=tuple(numbers.get(line.line_id, ())))
                  for line in delivery.lines)
    return replace(delivery, lines=lines)


def append_correction(session: Session, original_number: int, *, reason: str, pharmacist_name: str,
                      pharmacist_rpps: str = "", quantity: int | None = None, cip13: str | None = None,
                      product_name: str | None = None, protection: Protection | None = None) -> int:
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
    protection = protection or Protection.from_settings()
    key, start = key_for_writing(session, protection)
    _close_previous(session, protection, key, start)
    entry = seal(replace(
        base, number=number, recorded_at=protection.now(), corrects=original_number, reason=reason.strip(),
        quantity=base.quantity if quantity is None else quantity, cip13=cip13 or base.cip13,
        product_name=product_name or base.product_name, pharmacist_name=pharmacist_name,
        pharmacist_rpps=pharmacist_rpps, prev_hash=prev_hash, hash="",
    ), key)
    _write(session, [entry])
    return number


def verify_chain(session: Session, *, protection: Protection | None = None,
                 exports: Sequence[Path] = ()) -> VerifyResult:
    """Check the whole register: numbering, links, seals, and every witness of it (checkpoints, the
    switch to the key, closings, this workstation's anchor file, ``exports``, the delivery archive
    and the outbox); name the first broken or missing entry. See :mod:`app.storage.ordonnancier_verify`."""
    return verify_register(session, protection or Protection.from_settings(), exports)


