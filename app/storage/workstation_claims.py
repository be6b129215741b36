"""Which workstation of the pharmacy has which ordonnance open: the second to open it is told who has
it (and can only look), decided by the database, never by the screens.

Distinct from the service's claim (which pharmacy dispenses an ordonnance, 30 minutes, held by the
national service): this one is local to the pharmacy, one row per ordonnance number in
``workstation_claim``. The row's primary key decides a race: of two workstations inserting the same
number at once, the database lets exactly one insert it (PostgreSQL makes the second wait for the
first's commit, then skips its insert; SQLite has one writer at a time); the other reads the winner
under a row lock.

A claim belongs to a **holder**: the opening session (one per window, a random id), so that two
windows of one computer are told apart and a window that reopens its own ordonnance keeps it. It is
released on close; the window sends a heartbeat every minute or so, and a claim without one for
``stale_after`` (a crashed workstation, a pulled cable) may be taken over by the next opener. Times
are the **database's** clock, not the workstations' (theirs may drift apart).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from app.domain.identifiers import OrdonnanceNumber
from app.domain.team import Actor
from app.storage.db import transaction
from app.storage.models.team import WorkstationClaimRow
from app.storage.notify import publish

STALE_AFTER = timedelta(minutes=5)
_COLUMNS = ("ordonnance_number", "holder", "user_id", "user_name", "workstation", "opened_at", "heartbeat_at")


def new_holder() -> str:
    """A holder id for one window's session."""
    return secrets.token_hex(16)


def database_now(session: Session) -> datetime:
    """The database server's time, naive UTC (one clock for every workstation)."""
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(text("SELECT now() AT TIME ZONE 'UTC'")).scalar_one()
    value = session.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
    return datetime.fromisoformat(value)


@dataclass(frozen=True)
class Claim:
    """Who holds an ordonnance open, as stored; each side renders it in its own language (the window:
    ``app.ui.team.claims_watch.claim_text``)."""

    number: str
    holder: str
    user_id: int | None
    user_name: str
    workstation: str
    opened_at: datetime  # naive UTC
    heartbeat_at: datetime

    def stale_at(self, now: datetime, stale_after: timedelta = STALE_AFTER) -> bool:
        return self.heartbeat_at < now - stale_after


@dataclass(frozen=True)
class OpenResult:
    """``granted``: this session holds the ordonnance; else ``claim`` says who does."""

    granted: bool
    claim: Claim
    took_over: bool = False  # granted by taking over a stale claim


def _number(number: str) -> str:
    """The number as stored: the ordonnance number normalised (spaces, dashes, case)."""
    return str(OrdonnanceNumber.parse(str(number)))


def _claim(row) -> Claim:
    return Claim(row.ordonnance_number, row.holder, row.user_id, row.user_name, row.workstation, row.opened_at,
                 row.heartbeat_at)


def _insert(session: Session):
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(
        WorkstationClaimRow)


def _read(session: Session, number: str, *, lock: bool) -> Claim | None:
    stmt = select(*(getattr(WorkstationClaimRow, c) for c in _COLUMNS)).where(
        WorkstationClaimRow.ordonnance_number == number)
    row = session.execute(stmt.with_for_update() if lock else stmt).first()
    return _claim(row) if row else None


def open_claim(session: Session, number: str, *, holder: str, actor: Actor | None, workstation: str,
               now: datetime, stale_after: timedelta = STALE_AFTER) -> OpenResult:
    """Open ``number`` for ``holder`` in the caller's transaction (see the module's doc)."""
    who = {"user_id": actor.user_id if actor else None, "user_name": actor.display_name if actor else "",
           "workstation": workstation}
    for _ in range(5):  # the holder may close between our insert and our read: try again
        done = session.execute(_insert(session).values(ordonnance_number=number, holder=holder, opened_at=now,
                                                       heartbeat_at=now, **who)
                               .on_conflict_do_nothing(index_elements=["ordonnance_number"]))
        if done.rowcount == 1:
            publish(session, "claims", {"number": number, "change": "opened", "workstation": workstation})
            return OpenResult(True, Claim(number, holder, who["user_id"], who["user_name"], workstation, now, now))
        current = _read(session, number, lock=True)
        if current is None:
            continue
        if current.holder != holder and not current.stale_at(now, stale_after):
            return OpenResult(False, current)
        took_over = current.holder != holder
        session.execute(update(WorkstationClaimRow).where(
            WorkstationClaimRow.ordonnance_number == number, WorkstationClaimRow.holder == current.holder)
            .values(holder=holder, heartbeat_at=now, **who,
                    **({"opened_at": now} if took_over else {})))
        if took_over:
            publish(session, "claims", {"number": number, "change": "taken_over", "workstation": workstation})
        return OpenResult(True, Claim(number, holder, who["user_id"], who["user_name"], workstation,
                                      now if took_over else current.opened_at, now), took_over)
    raise RuntimeError(f"claim of {number} kept changing under us")  # pragma: no cover


class WorkstationClaims:
    """The claims of one window's session: ``open``, ``heartbeat``, ``close``, one transaction each.

    ``clock``: the time as the database tells it (default); tests pass their own.
    """

    def __init__(self, factory: sessionmaker[Session], *, workstation: str, holder: str | None = None,
                 stale_after: timedelta = STALE_AFTER, clock: Callable[[Session], datetime] = database_now) -> None:
        self.factory = factory
        self.workstation = workstation
        self.holder = holder or new_holder()
        self.stale_after = stale_after
        self.clock = clock

    def open(self, number: str, actor: Actor | None) -> OpenResult:
        number = _number(number)
        with transaction(self.factory) as session:
            return open_claim(session, number, holder=self.holder, actor=actor, workstation=self.workstation,
                              now=self.clock(session), stale_after=self.stale_after)

    def heartbeat(self) -> list[str]:
        """Refresh every claim of this session; return the numbers it still holds (one taken over after
        going stale is no longer among them)."""
        with transaction(self.factory) as session:
            now = self.clock(session)
            session.execute(update(WorkstationClaimRow).where(WorkstationClaimRow.holder == self.holder)
                            .values(heartbeat_at=now))
            return list(session.scalars(select(WorkstationClaimRow.ordonnance_number)
                                        .where(WorkstationClaimRow.holder == self.holder)
                                        .order_by(WorkstationClaimRow.ordonnance_number)))

    def close(self, number: str) -> bool:
        """Release ``number`` if this session holds it; False when it did not (any more)."""
        with transaction(self.factory) as session:
            gone = session.execute(delete(WorkstationClaimRow).where(
                WorkstationClaimRow.ordonnance_number == _number(number), WorkstationClaimRow.holder == self.holder))
            if gone.rowcount:
                publish(session, "claims", {"number": _number(number), "change": "released",
                                            "workstation": self.workstation})
            return bool(gone.rowcount)

    def close_all(self) -> int:
        """Release every claim of this session (the window closes)."""
        with transaction(self.factory) as session:
            numbers = list(session.scalars(select(WorkstationClaimRow.ordonnance_number)
                                           .where(WorkstationClaimRow.holder == self.holder)))
            session.execute(delete(WorkstationClaimRow).where(WorkstationClaimRow.holder == self.holder))
            for number in numbers:
                publish(session, "claims", {"number": number, "change": "released", "workstation": self.workstation})
            return len(numbers)

    def holder_of(self, number: str) -> Claim | None:
        """Who has ``number`` open (a stale claim included: ``Claim.stale_at`` tells)."""
        with self.factory() as session:
            return _read(session, _number(number), lock=False)

    def all(self) -> list[Claim]:
        with self.factory() as session:
            rows = session.execute(select(*(getattr(WorkstationClaimRow, c) for c in _COLUMNS))
                                   .order_by(WorkstationClaimRow.opened_at)).all()
            return [_claim(r) for r in rows]
