"""The sandbox's storage and rules: tokens, prescriptions, claims, cancellation.

Every write runs in one database transaction (all or nothing). On PostgreSQL the prescription row
is locked (``SELECT ... FOR UPDATE``) so that two pharmacies claiming at once are serialised; SQLite
serialises writers itself, and a process-wide lock keeps its deferred transactions from failing with
"database is locked" when two requests of this server write at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.errors import InvalidIdentifier
from app.domain.identifiers import CROCKFORD_ALPHABET, SANDBOX_NUMBER_LENGTH, OrdonnanceNumber, Rpps
from app.eprescription import systems
from app.sandbox import intake
from app.sandbox.errors import SandboxError, malformed, operation_outcome
from app.sandbox.models import Actor, StoredDispense, StoredLine, StoredPrescription, metadata
from app.sandbox.values import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS
from app.storage.db import make_engine, normalise_url, safe_url, session_factory

log = logging.getLogger(__name__)

CLAIM_DURATION = timedelta(minutes=30)
CONTENT_CACHE_SIZE = 2048
WRITE_ATTEMPTS = 3
# PostgreSQL's serialization_failure and deadlock_detected: the transaction may simply run again.
RETRYABLE_SQLSTATES = {"40001", "40P01"}
ACTOR_CACHE_SECONDS = 5.0
Clock = Callable[[], datetime]
Ticks = Callable[[], float]
T = TypeVar("T")


class WriteConflict(SandboxError):
    """A write lost a race with a concurrent one (see :meth:`SandboxStore.write`); never answered as
    such: :meth:`SandboxStore.write_retrying` runs the transaction again."""

    def __init__(self, what: str) -> None:
        super().__init__(503, "Service momentanément indisponible, réessayez")
        self.detail = what


def _sqlstate(exc: SQLAlchemyError) -> str | None:
    return getattr(getattr(exc, "orig", None), "sqlstate", None)


@dataclass(frozen=True)
class LineContent:
    """What never changes on a line once submitted."""

    id: str
    resource_json: str
    quantity: Decimal | None
    renewals: int
    first_until: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class PrescriptionContent:
    lines: tuple[LineContent, ...]
    included_json: str  # JSON array of the Patient, Practitioner and Medications


@dataclass(frozen=True)
class _CachedActor:
    actor: ActorInfo
    expires_at: datetime
    read_at: float  # ticks


@dataclass(frozen=True)
class ActorInfo:
    kind: str  # pharmacy | prescriber
    rpps: str
    finess: str | None = None
    role: str | None = None

    @property
    def is_pharmacy(self) -> bool:
        return self.kind == "pharmacy"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def aware(value: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes: every stored time is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def local_time(value: datetime) -> str:
    """``HH:MM (UTC+hh:mm)`` in the server's local time zone: the hour on the pharmacy's clock, with
    its offset so that it is never ambiguous (stored times are UTC)."""
    local = value.astimezone()
    offset = local.strftime("%z") or "+0000"
    return f"{local:%H:%M} (UTC{offset[:3]}:{offset[3:5]})"


def parse_number(text: str | None) -> str:
    if not text:
        raise malformed("paramètre group-identifier absent")
    value = text.split("|", 1)[1] if "|" in text else text
    try:
        return OrdonnanceNumber.parse(value)
    except InvalidIdentifier as exc:
        raise malformed(str(exc)) from exc


class SandboxStore:
    """The sandbox's database, created on first use with its own metadata."""

    def __init__(self, url: str, *, clock: Clock | None = None, ticks: Ticks = time.monotonic,
                 number_system: str = systems.NUMBER_SYSTEM) -> None:
        """``clock``: the date and time of the service's rules (claims, validity, token expiry);
        ``ticks``: the monotonic seconds of its caches."""
        url = normalise_url(url)
        try:
            self.sqlite = make_url(url).get_backend_name() == "sqlite"
            # No pre-ping on the server side: it would add a round trip to every read; a dead pooled
            # connection fails one request (503, retried by the client) and is then replaced.
            self.engine = make_engine(url) if self.sqlite else create_engine(url, pool_size=10, max_overflow=20)
        except (SQLAlchemyError, ImportError) as exc:  # make_engine raises its own StorageError
            raise SandboxError(503, f"Base de données du service inaccessible : {safe_url(url)} "
                                    "(adresse invalide ou pilote absent)") from exc
        try:
            metadata.create_all(self.engine)
            _add_missing_columns(self.engine)
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise SandboxError(503, f"Base de données du service inaccessible : {safe_url(url)} "
                                    "(connexion impossible ou refusée)") from exc
        self.sessions = session_factory(self.engine)
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.number_system = number_system
        self._write_lock = threading.Lock() if self.sqlite else contextlib.nullcontext()
        self.ticks: Ticks = ticks
        self._actors: dict[str, _CachedActor] = {}
        self._contents: OrderedDict[str, PrescriptionContent] = OrderedDict()
        self._contents_lock = threading.Lock()
        # An outage the operator declares (:meth:`SandboxAdmin.set_unavailable`): every request is
        # answered 503 with Retry-After, as the national service answers during a maintenance.
        self.unavailable_for: int | None = None

    def close(self) -> None:
        self.engine.dispose()

    # --- sessions -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One atomic write; a database failure becomes a 503 without SQL in the message, except a
        conflict with a concurrent transaction (a unique key taken meanwhile, a deadlock or a
        serialisation failure on PostgreSQL), which is :class:`WriteConflict`: running the same
        transaction again resolves it (:meth:`write_retrying`)."""
        with self._write_lock:
            try:
                with self.sessions() as session, session.begin():
                    yield session
            except (IntegrityError, OperationalError) as exc:
                if isinstance(exc, OperationalError) and _sqlstate(exc) not in RETRYABLE_SQLSTATES:
                    log.error("sandbox write failed: %s", exc.__class__.__name__)
                    raise SandboxError(503, "Service momentanément indisponible, réessayez") from exc
                raise WriteConflict(exc.__class__.__name__) from exc
            except SQLAlchemyError as exc:
                log.error("sandbox write failed: %s", exc.__class__.__name__)
                raise SandboxError(503, "Service momentanément indisponible, réessayez") from exc

    def write_retrying(self, work: Callable[[Session], T]) -> T:
        """``work`` in one atomic write, run again (from the start, in a new transaction) when it
        conflicted with a concurrent one; every run sees what the winner committed."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.write() as session:
                    return work(session)
            except WriteConflict as exc:
                log.info("sandbox write conflicted (%s), attempt %d of %d", exc.detail, attempt, WRITE_ATTEMPTS)
        log.error("sandbox write still conflicting after %d attempts", WRITE_ATTEMPTS)
        raise SandboxError(503, "Service momentanément indisponible, réessayez")

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with self.sessions() as session:
                yield session
        except SQLAlchemyError as exc:
            log.error("sandbox read failed: %s", exc.__class__.__name__)
            raise SandboxError(503, "Service momentanément indisponible, réessayez") from exc

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain connection for the read path (no ORM)."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            log.error("sandbox read failed: %s", exc.__class__.__name__)
            raise SandboxError(503, "Service momentanément indisponible, réessayez") from exc

    def content(self, conn: Connection, number: str) -> PrescriptionContent:
        """The immutable part of a prescription, from a small in-process cache."""
        with self._contents_lock:
            found = self._contents.get(number)
            if found is not None:
                self._contents.move_to_end(number)
                return found
        rows = conn.execute(select(StoredLine.id, StoredLine.resource_json, StoredLine.quantity,
                                   StoredLine.renewals, StoredLine.first_until, StoredLine.valid_until)
                            .where(StoredLine.number == number).order_by(StoredLine.position)).all()
        included = conn.execute(select(StoredPrescription.included_json)
                                .where(StoredPrescription.number == number)).scalar_one()
        found = PrescriptionContent(tuple(LineContent(*row) for row in rows),
                                    json.dumps(json.loads(included)["include"]))
        with self._contents_lock:
            self._contents[number] = found
            while len(self._contents) > CONTENT_CACHE_SIZE:
                self._contents.popitem(last=False)
        return found

    def lock_prescription(self, session: Session, number: str) -> StoredPrescription:
        query = select(StoredPrescription).where(StoredPrescription.number == number)
        if not self.sqlite:
            query = query.with_for_update()
        found = session.scalars(query).first()
        if found is None:
            raise SandboxError(404, "Ordonnance introuvable : vérifiez le numéro")
        return found

    def ensure_live(self, presc: Any, delivered: bool = True) -> None:
        """410 for a cancelled or expired prescription, with the reason: past the end of its last
        line's treatment, or (``delivered`` False: nothing handed over yet) past the three months of
        a first delivery."""
        if presc.status == "cancelled":
            when = aware(presc.cancelled_at)
            day = f" le {when:%d/%m/%Y}" if when else ""
            raise SandboxError(410, f"Ordonnance annulée par le prescripteur{day}")
        today = self.clock().date()
        first = getattr(presc, "first_until", None)
        if not delivered and first is not None and today > first:
            raise SandboxError(410, f"Ordonnance expirée : la première délivrance devait avoir lieu au plus tard le "
                                    f"{first:%d/%m/%Y}")
        if today > presc.validity_end:
            raise SandboxError(
                410, f"Ordonnance expirée : sa validité a pris fin le {presc.validity_end:%d/%m/%Y}")

    def delivered_any(self, session: Session | Connection, number: str) -> bool:
        """Whether anything was handed over on the prescription (a completed dispense)."""
        return session.execute(select(StoredDispense.id).where(
            StoredDispense.number == number, StoredDispense.status == "completed").limit(1)).first() is not None

    def check_recorder(self, presc: StoredPrescription, actor: ActorInfo, now: datetime) -> None:
        """Contract op 6 is for the claiming pharmacy: a new dispense is recorded only by the pharmacy
        whose claim the prescription holds.

        That claim may have lapsed: the 30 minutes of the contract bound how long a claim keeps
        OTHER pharmacies out (op 4: "409 until released or 30 minutes pass"), not the claimant's
        right to record what it handed over meanwhile. A counter whose outbox was offline for an
        hour sends its delivery late, and as long as no other pharmacy has claimed the prescription
        since, nobody else can have dispensed it: the delivery is accepted. Once another pharmacy
        has claimed it, that pharmacy is the claiming one: 409 while its claim runs (the contract's
        "claimed elsewhere", which the sender may retry later), 403 once it lapsed or for a
        prescription nobody claimed or that was released (an actor outside its rights: it must
        claim first, as the counter does when it opens an ordonnance)."""
        if presc.claim_finess == actor.finess:
            return
        expires = aware(presc.claim_expires_at)
        if presc.claim_finess is not None and expires is not None and expires > now:
            raise SandboxError(409, "Ordonnance en cours de délivrance dans une autre pharmacie")
        raise SandboxError(403, "Délivrance refusée : l'ordonnance n'est pas réservée par votre pharmacie "
                                "(ouvrez-la de nouveau au comptoir pour la réserver, puis renvoyez la délivrance)")

    # --- actors -------------------------------------------------------------------------------

    def mint_token(self, kind: str, rpps: str, *, finess: str | None = None, role: str | None = None,
                   days: int = DEFAULT_TOKEN_DAYS) -> str:
        """A new bearer token for an actor, valid ``days`` days; only its SHA-256 is stored."""
        if kind not in ("pharmacy", "prescriber"):
            raise ValueError(kind)
        if kind == "pharmacy" and (not finess or role not in ("pharmacist", "preparer")):
            raise ValueError("a pharmacy token needs a FINESS and a role")
        if not 1 <= days <= MAX_TOKEN_DAYS:
            raise ValueError(f"days out of range: {days}")
        token = "sbx_" + secrets.token_urlsafe(32)  # never starts with "-" (a command-line flag)
        now = self.clock()
        with self.write() as session:
            session.add(Actor(token_hash=hash_token(token), kind=kind, rpps=rpps,
                              finess=finess if kind == "pharmacy" else None,
                              role=role if kind == "pharmacy" else None, created_at=now,
                              expires_at=now + timedelta(days=days)))
        return token

    def revoke_token(self, token: str) -> bool:
        """Delete a token; whether it existed. A server running over this database stops accepting
        it within :data:`ACTOR_CACHE_SECONDS` (see :meth:`cached_actor`)."""
        digest = hash_token(token)
        with self.write() as session:
            found = session.scalars(select(Actor).where(Actor.token_hash == digest)).first()
            if found is not None:
                session.delete(found)
        self._actors.pop(digest, None)
        return found is not None

    def cached_actor(self, token: str | None) -> ActorInfo | None:
        """The actor of a token seen less than :data:`ACTOR_CACHE_SECONDS` ago and not expired,
        without touching the database; None: ask :meth:`authenticate`.

        Why a time-to-live rather than invalidation: a token is deleted in the database, by
        ``comptoir sandbox revoke`` or an operator, from another process that cannot tell this one.
        Re-reading each token at most every few seconds bounds how long a deleted token still works,
        for one indexed read per token per period (the benchmark's 1,000 reads a second on one token
        cost one extra query per 5,000 requests). The expiry date is kept with the entry and compared
        on every request, so an expired token is refused at once."""
        if not token:
            return None
        found = self._actors.get(hash_token(token))
        if found is None or self.ticks() - found.read_at >= ACTOR_CACHE_SECONDS or found.expires_at <= self.clock():
            return None
        return found.actor

    def authenticate(self, token: str | None) -> ActorInfo:
        """The actor of ``token`` as the database says now; 401 with the French reason otherwise."""
        if not token:
            raise SandboxError(401, "Authentification requise : jeton d'accès absent")
        digest = hash_token(token)
        read_at = self.ticks()
        with self.read() as session:
            row = session.scalars(select(Actor).where(Actor.token_hash == digest)).first()
            if row is None:
                self._actors.pop(digest, None)
                raise SandboxError(401, "Authentification refusée : jeton d'accès inconnu ou révoqué")
            actor = ActorInfo(row.kind, row.rpps, row.finess, row.role)
            # A token minted before tokens had an expiry date lasts the default from its creation.
            expires = aware(row.expires_at) or aware(row.created_at) + timedelta(days=DEFAULT_TOKEN_DAYS)
        if expires <= self.clock():
            self._actors.pop(digest, None)
            raise SandboxError(401, f"Authentification refusée : jeton d'accès expiré le {expires:%d/%m/%Y} "
                                    "(demandez-en un nouveau)")
        self._actors[digest] = _CachedActor(actor, expires, read_at)
        return actor

    # --- prescriptions ------------------------------------------------------------------------

    def _new_number(self, session: Session) -> str:
        while True:
            body = "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(SANDBOX_NUMBER_LENGTH - 1))
            number = OrdonnanceNumber.issue(body)
            if session.get(StoredPrescription, number) is None:
                return number

    def submit(self, bundle: Any, actor: ActorInfo) -> dict[str, Any]:
        """Contract op 2: store the prescription atomically and answer the stored Bundle."""
        if actor.kind != "prescriber":
            raise SandboxError(403, "Seul un prescripteur peut créer une ordonnance")
        now = self.clock()
        with self.write() as session:
            number = self._new_number(session)
            prepared = intake.prepare(bundle, number=number, number_system=self.number_system,
                                      prescriber_rpps=actor.rpps, now=now)
            session.add(StoredPrescription(
                number=number, prescriber_rpps=actor.rpps, authored_on=prepared.authored_on,
                validity_end=prepared.validity_end, status="active", patient_objection=prepared.objection,
                first_until=max((line.first_until for line in prepared.lines if line.first_until), default=None),
                included_json=json.dumps({"include": prepared.included, "other": prepared.others}),
                created_at=now))
            session.flush()
            for pos, line in enumerate(prepared.lines, start=1):
                session.add(StoredLine(id=line.resource["id"], number=number, position=pos,
                                       resource_json=json.dumps(line.resource), quantity=line.quantity,
                                       renewals=line.renewals, first_until=line.first_until,
                                       valid_until=line.valid_until))
        resources = [line.resource for line in prepared.lines] + prepared.included
        return {
            "resourceType": "Bundle",
            "id": number,
            "identifier": {"system": self.number_system, "value": number},
            "type": "collection",
            "timestamp": now.isoformat(),
            "entry": [{"fullUrl": f"urn:comptoir:{r['resourceType']}/{r['id']}", "resource": r}
                      for r in resources],
        }

    def claim(self, number: str, actor: ActorInfo) -> dict[str, Any]:
        """Contract op 4: this pharmacy dispenses it; another's live claim → 409."""
        _require_pharmacy(actor)
        now = self.clock()
        with self.write() as session:
            presc = self.lock_prescription(session, number)
            self.ensure_live(presc, self.delivered_any(session, number))
            expires = aware(presc.claim_expires_at)
            if presc.claim_finess not in (None, actor.finess) and expires and expires > now:
                raise SandboxError(409, "Ordonnance en cours de délivrance dans une autre pharmacie")
            presc.claim_finess = actor.finess
            presc.claim_expires_at = now + CLAIM_DURATION
            until = presc.claim_expires_at
        return operation_outcome(200, f"Ordonnance réservée par votre pharmacie jusqu'à {local_time(until)}")

    def release(self, number: str, actor: ActorInfo) -> dict[str, Any]:
        """Contract op 5: only the claiming pharmacy releases; releasing a free one is harmless."""
        _require_pharmacy(actor)
        now = self.clock()
        with self.write() as session:
            presc = self.lock_prescription(session, number)
            expires = aware(presc.claim_expires_at)
            if presc.claim_finess not in (None, actor.finess) and expires and expires > now:
                raise SandboxError(403, "Cette ordonnance est réservée par une autre pharmacie")
            presc.claim_finess = None
            presc.claim_expires_at = None
        return operation_outcome(200, "Ordonnance libérée")

    def cancel(self, number: str, actor: ActorInfo) -> dict[str, Any]:
        """Contract op 8: the prescriber who wrote it cancels; later claims and deliveries → 410."""
        if actor.kind != "prescriber":
            raise SandboxError(403, "Seul le prescripteur peut annuler une ordonnance")
        with self.write() as session:
            presc = self.lock_prescription(session, number)
            if presc.prescriber_rpps != actor.rpps:
                raise SandboxError(403, "Seul le prescripteur qui l'a rédigée peut annuler cette ordonnance")
            if presc.status != "cancelled":
                presc.status = "cancelled"
                presc.cancelled_at = self.clock()
                presc.claim_finess = None
                presc.claim_expires_at = None
        return operation_outcome(200, "Ordonnance annulée")


def _add_missing_columns(engine: Engine) -> None:
    """Bring a sandbox database made by an earlier version up to the current tables: ``create_all``
    creates missing tables but never adds a column. Only nullable columns were ever added (the
    sandbox has no migrations: it is a disposable training service)."""
    found = inspect(engine)
    for table in metadata.sorted_tables:
        have = {c["name"] for c in found.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have and column.nullable:
                kind = column.type.compile(dialect=engine.dialect)
                with engine.begin() as conn:
                    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}'))
                log.info("sandbox: column %s.%s added", table.name, column.name)


def _require_pharmacy(actor: ActorInfo) -> None:
    if not actor.is_pharmacy:
        raise SandboxError(403, "Opération réservée aux pharmacies")


def prescriber_rpps(text: str) -> str:
    """An RPPS given on the command line (the key is checked)."""
    return Rpps.parse(text)
