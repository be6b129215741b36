"""The pharmacy's users in the database, and :class:`Team`, the use cases around them (sign in by PIN
or badge, add, disable, change a PIN or a badge, set up the first titulaire).

``Team`` is Qt-free and each call is one transaction: the UI calls it from its database worker, never
from the GUI thread (an Argon2 check takes a fraction of a second on purpose).

How credentials are kept (never a PIN or a badge code in the database, the log or the audit trail):

- the **PIN** is peppered with the pharmacy's key (HMAC-SHA256, the key is not in the database) and
  then hashed with **Argon2id** (argon2-cffi, its default RFC 9106 parameters; a hash made with older
  parameters is redone at the next good PIN). A copy of the database alone does not allow guessing
  PINs offline: each guess needs the key.
- the **badge** code (a barcode read by the scanner) is kept as its HMAC with the pharmacy's key,
  so that a scan finds its user in one lookup and the database alone does not give it away.
- each row is **sealed** with the key (identity, role, RPPS, hashes, active): editing the database
  without the key cannot promote a préparateur, swap a PIN or revive a disabled account; such a row
  refuses to sign in.
- **wrong PINs** are counted in the row (every workstation shares the count) and lock the account
  (:class:`~app.domain.team.LockoutPolicy`); each attempt is in the audit trail and the log. The lock
  is timed by the **database's clock** (:func:`database_now`: the PostgreSQL server's, or for SQLite
  the clock of the machine holding the file), never by the workstation's: a workstation whose clock
  is wrong, or set forward on purpose, neither ends a lock early nor makes one last for ever. What it
  cannot do: whoever edits ``locked_until``/``failed_attempts`` in the database (not sealed: they
  change at every wrong PIN) lifts a lock; the attempts stay in the audit trail.
- each row has a **version**, raised by every change an administrator makes (disable, PIN, badge).
  A screen that shows a user passes the version it showed (``expected_version``); if another
  workstation changed the user in between, the change is refused with a French message instead of
  silently overwriting the other's (an optimistic lock; the table lock serialises the writes
  themselves). The version is not sealed: editing it in the database only makes a change refused.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.audit import AuditAction, AuditEntry
from app.domain.errors import N_
from app.domain.ordonnancier import digest, same
from app.domain.team import (
    Actor,
    LockoutPolicy,
    LoginRefused,
    Permission,
    Role,
    TeamError,
    User,
    actor_of,
    check_display_name,
    check_pin,
    check_rpps,
)
from app.storage import audit
from app.storage.db import transaction
from app.storage.keyed_chain import lock_chain
from app.storage.models.team import TeamUserRow
from app.storage.notify import publish
from app.storage.ordonnancier_keying import Protection

log = logging.getLogger(__name__)

BADGE_MIN = 6


def _pepper(key: bytes, pin: str) -> str:
    return hmac.new(key, b"comptoir/pin/" + pin.encode("utf-8"), hashlib.sha256).hexdigest()


def badge_hash(key: bytes, code: str) -> str:
    return hmac.new(key, b"comptoir/badge/" + code.strip().encode("utf-8"), hashlib.sha256).hexdigest()


def _row_mac(row: TeamUserRow, key: bytes) -> str:
    return digest({"kind": "user", "id": row.id, "display_name": row.display_name, "role": row.role,
                   "rpps": row.rpps, "pin_hash": row.pin_hash, "badge_hash": row.badge_hash,
                   "active": bool(row.active), "created_at": row.created_at.isoformat(),
                   "disabled_at": row.disabled_at.isoformat() if row.disabled_at else None}, key)


def to_user(row: TeamUserRow) -> User:
    return User(id=row.id, display_name=row.display_name, role=Role(row.role), rpps=row.rpps, active=row.active,
                created_at=row.created_at, disabled_at=row.disabled_at, has_badge=row.badge_hash is not None,
                failed_attempts=row.failed_attempts, locked_until=row.locked_until, version=row.version)


def database_now(session: Session) -> datetime:
    """The database's clock, UTC, naive, to the second (the time lockouts are counted in)."""
    if session.get_bind().dialect.name == "sqlite":
        return datetime.fromisoformat(session.scalar(text("SELECT strftime('%Y-%m-%d %H:%M:%S', 'now')")))
    return session.scalar(text("SELECT date_trunc('second', now() AT TIME ZONE 'UTC')"))


def _check_version(row: TeamUserRow, expected_version: int | None) -> None:
    """Refuse a change made from a stale view of the user (another workstation changed him since)."""
    if expected_version is not None and row.version != expected_version:
        raise TeamError(f"{row.display_name} a été modifié(e) sur un autre poste depuis l'ouverture de sa fiche : "
                        "rechargez-la et refaites la modification")
    row.version += 1


def _lock_users(session: Session) -> None:
    """Serialise the writers of the users table until the transaction ends (two first titulaires, two
    workstations counting wrong PINs of one user): the chains' own lock, on this table."""
    lock_chain(session, "team_user", "id")


@dataclass
class Team:
    """The use cases of the team, one transaction each (see the module's doc).

    ``protection``: this workstation (its key store, its name, its clock, shared with the
    ordonnancier); ``hasher``: Argon2id parameters (tests pass lighter ones).
    """

    factory: sessionmaker[Session]
    protection: Protection
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    policy: LockoutPolicy = field(default_factory=LockoutPolicy)
    server_clock: Callable[[Session], datetime] = database_now  # lockouts' time (tests pass a fake)

    # --- helpers -----------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self.protection.clock().astimezone(UTC).replace(tzinfo=None, microsecond=0)

    @property
    def workstation(self) -> str:
        return self.protection.workstation

    def _key(self, session: Session) -> tuple[str, bytes]:
        found = audit.pharmacy_key(session, self.protection)
        assert found is not None  # create=True
        return found

    def _seal(self, session: Session, row: TeamUserRow, key_id: str, key: bytes) -> None:
        session.flush()  # the id is part of the seal
        row.key_id, row.mac = key_id, _row_mac(row, key)
        session.flush()

    def _record(self, session: Session, action: AuditAction, who: Actor | User | None, *, object_ref: str = "",
                details: dict | None = None) -> None:
        audit.record(session, action, who, protection=self.protection, workstation=self.workstation,
                     object_ref=object_ref, details=details)

    def _row(self, session: Session, user_id: int, *, for_update: bool = False) -> TeamUserRow:
        stmt = select(TeamUserRow).where(TeamUserRow.id == user_id)
        row = session.scalars(stmt.with_for_update() if for_update else stmt).first()
        if row is None:
            raise TeamError(N_("Utilisateur n° {id} inconnu (comptoir users list)"), values={"id": user_id})
        return row

    def _intact(self, row: TeamUserRow, key_id: str, key: bytes) -> bool:
        return row.key_id == key_id and same(_row_mac(row, key), row.mac)

    def _hash_pin(self, key: bytes, pin: str) -> str:
        return self.hasher.hash(_pepper(key, check_pin(pin)))

    def _pin_matches(self, row: TeamUserRow, key: bytes, pin: str) -> bool:
        try:
            return self.hasher.verify(row.pin_hash, _pepper(key, pin or ""))
        except (VerificationError, InvalidHashError):
            return False

    # --- reading -----------------------------------------------------------------------------------

    def users(self, *, include_disabled: bool = False) -> list[User]:
        with self.factory() as session:
            stmt = select(TeamUserRow).order_by(TeamUserRow.id)
            if not include_disabled:
                stmt = stmt.where(TeamUserRow.active.is_(True))
            return [to_user(r) for r in session.scalars(stmt)]

    def user(self, user_id: int) -> User:
        with self.factory() as session:
            return to_user(self._row(session, user_id))

    def has_titulaire(self) -> bool:
        with self.factory() as session:
            return _active_titulaires(session) > 0

    # --- setting up the pharmacy -------------------------------------------------------------------

    def create_first_titulaire(self, display_name: str, rpps: str, pin: str) -> User:
        """``server init`` and the app's first start: the first pharmacien titulaire, with no one signed
        in. Refused once an active titulaire exists (from then on, he adds users)."""
        name, number = check_display_name(display_name), check_rpps(Role.TITULAIRE, rpps)
        check_pin(pin)
        with transaction(self.factory) as session:
            _lock_users(session)
            if _active_titulaires(session):
                raise TeamError("La pharmacie a déjà un pharmacien titulaire : connectez-vous avec son PIN pour "
                                "ajouter des utilisateurs (comptoir users add --as ID)")
            kid, key = self._key(session)
            row = self._insert(session, name, Role.TITULAIRE, number, pin, kid, key)
            user = to_user(row)
            self._record(session, AuditAction.SERVER_INIT, user, object_ref=str(user.id),
                         details={"role": user.role.value})
            self._record(session, AuditAction.USER_CREATED, user, object_ref=str(user.id),
                         details={"role": user.role.value, "by": "first start"})
            publish(session, "users", {"user_id": user.id, "change": "created"})
        log.info("first titulaire created: user %d", user.id)
        return user

    def _insert(self, session: Session, name: str, role: Role, rpps: str | None, pin: str, kid: str,
                key: bytes) -> TeamUserRow:
        if rpps and session.scalar(select(TeamUserRow.id).where(TeamUserRow.rpps == rpps,
                                                                TeamUserRow.active.is_(True))):
            raise TeamError(f"RPPS {rpps} déjà attribué à un utilisateur actif")
        row = TeamUserRow(display_name=name, role=role.value, rpps=rpps, pin_hash=self._hash_pin(key, pin),
                          active=True, created_at=self._now(), failed_attempts=0, version=1, key_id=kid, mac="")
        session.add(row)
        self._seal(session, row, kid, key)
        return row

    # --- signing in --------------------------------------------------------------------------------

    def login(self, user_id: int, pin: str) -> Actor:
        """Sign ``user_id`` in with ``pin`` on this workstation; the :class:`Actor` to stamp on actions.

        Refused (:class:`LoginRefused`, French): unknown or disabled user, altered account, locked
        account, wrong PIN (which counts towards the lock; the count and the trace are committed
        before the refusal is raised)."""
        refusal: LoginRefused | None = None
        with transaction(self.factory) as session:
            _lock_users(session)
            row = session.scalars(select(TeamUserRow).where(TeamUserRow.id == user_id).with_for_update()).first()
            kid, key = self._key(session)
            now = self.server_clock(session)
            refusal = self._login_refusal(session, row, user_id, kid, key, now, pin)
            if refusal is None:
                if row.failed_attempts or row.locked_until:
                    row.failed_attempts, row.locked_until = 0, None
                if self.hasher.check_needs_rehash(row.pin_hash):
                    row.pin_hash = self.hasher.hash(_pepper(key, pin))
                    self._seal(session, row, kid, key)
                actor = actor_of(to_user(row), self.workstation)
                self._record(session, AuditAction.LOGIN, actor, object_ref=str(row.id), details={"means": "pin"})
        if refusal is not None:
            raise refusal
        log.info("user %d signed in on %s", user_id, self.workstation)
        return actor

    def _login_refusal(self, session: Session, row: TeamUserRow | None, user_id: int, kid: str, key: bytes,
                       now: datetime, pin: str) -> LoginRefused | None:
        """Why signing in is refused (committed traces included), None when the PIN is right."""
        def refuse(reason: str, message: str, who: TeamUserRow | None = None, **values: object) -> LoginRefused:
            self._record(session, AuditAction.LOGIN_FAILED, to_user(who) if who else None,
                         object_ref=str(user_id), details={"means": "pin", "reason": reason})
            log.warning("sign-in refused for user %s on %s: %s", user_id, self.workstation, reason)
            return LoginRefused(message, values=values)

        if row is None:
            return refuse("unknown user", N_("Utilisateur inconnu"))
        if not self._intact(row, kid, key):
            return refuse("altered account", "Compte altéré dans la base : connexion refusée (prévenez le "
                                             "titulaire ; comptoir audit verify)", row)
        if not row.active:
            return refuse("disabled", N_("Compte de {name} désactivé"), row, name=row.display_name)
        if row.locked_until is not None and row.locked_until > now:
            until = row.locked_until.replace(tzinfo=UTC).astimezone(self.protection.zone)
            return refuse("locked", N_("Compte verrouillé après trop de PIN erronés : réessayez après {time}"), row,
                          time=until.strftime("%H:%M"))
        if self._pin_matches(row, key, pin):
            return None
        row.failed_attempts += 1
        lock = self.policy.lock_for(row.failed_attempts)
        if lock is not None:
            row.locked_until = now + lock
            until = row.locked_until.replace(tzinfo=UTC).astimezone(self.protection.zone)
            message, values = N_("PIN incorrect : compte verrouillé jusqu'à {time}"), {"time": until.strftime("%H:%M")}
        else:
            left = self.policy.left_before_lock(row.failed_attempts)
            message, values = N_("PIN incorrect ({left} essai(s) avant verrouillage)"), {"left": left}
        session.flush()
        refusal = refuse("wrong pin", message, row, **values)
        if lock is not None:
            self._record(session, AuditAction.ACCOUNT_LOCKED, to_user(row), object_ref=str(row.id),
                         details={"failures": row.failed_attempts, "minutes": int(lock.total_seconds() // 60)})
        return refusal

    def login_badge(self, code: str) -> Actor:
        """Sign in by badge (the code the scanner read). A locked PIN does not block the badge: the lock
        is against guessing PINs, and a badge is not guessed at a counter."""
        refusal: LoginRefused | None = None
        with transaction(self.factory) as session:
            kid, key = self._key(session)
            row = session.scalars(select(TeamUserRow).where(
                TeamUserRow.badge_hash == badge_hash(key, code or ""))).first() if (code or "").strip() else None
            reason = None
            if row is None:
                reason, refusal = "unknown badge", LoginRefused(N_("Badge inconnu"))
            elif not self._intact(row, kid, key):
                reason, refusal = "altered account", LoginRefused("Compte altéré dans la base : connexion refusée")
            elif not row.active:
                reason, refusal = "disabled", LoginRefused(N_("Compte de {name} désactivé"), values={"name": row.display_name})
            if refusal is not None:
                self._record(session, AuditAction.LOGIN_FAILED, to_user(row) if row else None,
                             object_ref=str(row.id) if row else "", details={"means": "badge", "reason": reason})
                log.warning("badge sign-in refused on %s: %s", self.workstation, reason)
            else:
                actor = actor_of(to_user(row), self.workstation)
                self._record(session, AuditAction.LOGIN, actor, object_ref=str(row.id), details={"means": "badge"})
        if refusal is not None:
            raise refusal
        return actor

    def logout(self, actor: Actor) -> None:
        with transaction(self.factory) as session:
            self._record(session, AuditAction.LOGOUT, actor, object_ref=str(actor.user_id))

    def lock_session(self, actor: Actor, idle_minutes: int | None = None) -> None:
        """The counter locked itself after ``idle_minutes`` without activity: a trace in the trail."""
        with transaction(self.factory) as session:
            self._record(session, AuditAction.SESSION_LOCKED, actor, object_ref=str(actor.user_id),
                         details={"idle_minutes": idle_minutes} if idle_minutes else None)

    def record(self, action: AuditAction, actor: Actor | None, *, object_ref: str = "",
               details: dict | None = None) -> AuditEntry:
        """Trace an action done outside any other transaction (a print, an export) in the audit trail.
        Inside a transaction of its own (recording a delivery …), call :func:`app.storage.audit.record`."""
        with transaction(self.factory) as session:
            return audit.record(session, action, actor, protection=self.protection, object_ref=object_ref,
                                details=details)

    # --- managing users ----------------------------------------------------------------------------

    def add_user(self, actor: Actor, display_name: str, role: Role, rpps: str | None, pin: str) -> User:
        actor.require(Permission.MANAGE_USERS)
        name, number = check_display_name(display_name), check_rpps(role, rpps)
        check_pin(pin)
        with self._managing(actor) as (session, kid, key):
            user = to_user(self._insert(session, name, role, number, pin, kid, key))
            self._record(session, AuditAction.USER_CREATED, actor, object_ref=str(user.id),
                         details={"role": role.value, "rpps": number or ""})
            publish(session, "users", {"user_id": user.id, "change": "created"})
        return user

    @contextmanager
    def _managing(self, actor: Actor) -> Iterator[tuple[Session, str, bytes]]:
        """The transaction of a change to the users: their lock taken, then ``actor`` checked still
        allowed (:meth:`_still_allowed`); yields it with the pharmacy's key (id, key)."""
        with transaction(self.factory) as session:
            _lock_users(session)
            kid, key = self._still_allowed(session, actor)
            yield session, kid, key

    def _still_allowed(self, session: Session, actor: Actor) -> tuple[str, bytes]:
        """The pharmacy's key, once the actor's account is found still active, with the same role and
        intact (disabled, demoted or altered since signing in: refused)."""
        kid, key = self._key(session)
        row = session.get(TeamUserRow, actor.user_id)
        if row is None or not row.active or row.role != actor.role.value or not self._intact(row, kid, key):
            raise LoginRefused("Votre compte a été désactivé ou modifié depuis votre connexion : reconnectez-vous")
        return kid, key

    def disable_user(self, actor: Actor, user_id: int, *, expected_version: int | None = None) -> User:
        actor.require(Permission.MANAGE_USERS)
        with self._managing(actor) as (session, kid, key):
            row = self._row(session, user_id, for_update=True)
            if not row.active:
                raise TeamError(f"{row.display_name} est déjà désactivé(e)")
            if row.role == Role.TITULAIRE and _active_titulaires(session) <= 1:
                raise TeamError("Le dernier pharmacien titulaire actif ne peut pas être désactivé : ajoutez "
                                "d'abord son successeur")
            _check_version(row, expected_version)
            row.active, row.disabled_at = False, self._now()
            self._seal(session, row, kid, key)
            user = to_user(row)
            self._record(session, AuditAction.USER_DISABLED, actor, object_ref=str(user_id),
                         details={"role": row.role})
            publish(session, "users", {"user_id": user_id, "change": "disabled"})
        return user

    def set_pin(self, actor: Actor, user_id: int, pin: str, *, expected_version: int | None = None) -> None:
        """A new PIN for ``user_id``: by himself, or by whoever manages users (a forgotten PIN). Clears
        the lock."""
        if actor.user_id != user_id:
            actor.require(Permission.MANAGE_USERS)
        check_pin(pin)
        with self._managing(actor) as (session, kid, key):
            row = self._row(session, user_id, for_update=True)
            if not row.active:
                raise TeamError(f"Compte de {row.display_name} désactivé")
            _check_version(row, expected_version)
            row.pin_hash, row.failed_attempts, row.locked_until = self._hash_pin(key, pin), 0, None
            self._seal(session, row, kid, key)
            self._record(session, AuditAction.PIN_CHANGED, actor, object_ref=str(user_id),
                         details={"own": actor.user_id == user_id})

    def set_badge(self, actor: Actor, user_id: int, code: str | None, *,
                  expected_version: int | None = None) -> None:
        """Give ``user_id`` the badge ``code`` (None: take it away). Yours, or anyone's if you manage users."""
        if actor.user_id != user_id:
            actor.require(Permission.MANAGE_USERS)
        code = (code or "").strip() or None
        if code is not None and len(code) < BADGE_MIN:
            raise TeamError(f"Badge refusé : {BADGE_MIN} caractères au moins")
        with self._managing(actor) as (session, kid, key):
            row = self._row(session, user_id, for_update=True)
            hashed = badge_hash(key, code) if code else None
            if hashed and session.scalar(select(TeamUserRow.id).where(TeamUserRow.badge_hash == hashed,
                                                                      TeamUserRow.id != user_id)):
                raise TeamError("Ce badge est déjà attribué à un autre utilisateur")
            _check_version(row, expected_version)
            row.badge_hash = hashed
            try:
                self._seal(session, row, kid, key)
            except IntegrityError as exc:  # pragma: no cover - the users lock serialises this
                raise TeamError("Ce badge est déjà attribué à un autre utilisateur") from exc
            self._record(session, AuditAction.BADGE_CHANGED, actor, object_ref=str(user_id),
                         details={"badge": code is not None})


def _active_titulaires(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(TeamUserRow).where(
        TeamUserRow.role == Role.TITULAIRE.value, TeamUserRow.active.is_(True))) or 0
