"""The audit trail in the database: record an action, read a period, verify the chain.

Recording happens inside the caller's transaction (the action and its trace commit or roll back
together) and takes the trail's write lock until that transaction ends (:func:`lock_chain`), so two
workstations writing at once on PostgreSQL get consecutive numbers and one chain. Take it last in a
transaction that also writes the ordonnancier (the register's lock first, then the trail's), so that
two such transactions never wait on each other in a circle.

Who can do what to it:

- anyone editing the database **without the pharmacy's key** cannot change an entry, reseal the
  chain after an edit, or empty it (its sealed start, ``audit_keying``, says it had entries):
  :func:`verify` names the first broken entry. UPDATE, DELETE, TRUNCATE and INSERT OR REPLACE are
  refused by triggers (ENABLE ALWAYS on PostgreSQL); a trigger removed, disabled or redefined is
  named too (:mod:`app.storage.append_only`, which says what triggers cannot stop).
- deleting the **last** entries behind the triggers is not detected by the chain alone (as for any
  chain); the ordonnancier's closings do not cover the trail. Keep exports (``comptoir audit
  --json``) if that matters.
- whoever holds the key and the database can rewrite the trail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.domain.audit import (
    AuditAction,
    AuditCheck,
    AuditEntry,
    AuditFinding,
    TrailKeying,
    check_details,
    verify_trail,
)
from app.domain.errors import ComptoirError
from app.domain.ordonnancier import GENESIS_HASH, key_id, new_key, same
from app.domain.team import Actor, User
from app.storage.append_only import AUDIT_TABLES, trigger_problems
from app.storage.keyed_chain import (
    RegisterTampered,
    key_missing,
    lock_chain,
    lock_key_creation,
    read_trail_keying,
)
from app.storage.models.team import AuditEntryRow, AuditKeyingRow
from app.storage.ordonnancier_keying import Protection, register_key
from app.storage.ordonnancier_read import read_keying

log = logging.getLogger(__name__)

_COLUMNS = ("seq", "at", "action", "user_id", "user_name", "workstation", "object_ref", "details", "key_id",
            "prev_hash", "hash")


def pharmacy_key(session: Session, protection: Protection, *, create: bool = True) -> tuple[str, bytes] | None:
    """The pharmacy's key (id, key) for a write by this workstation, from the audit trail's start.

    When the trail has no start yet (``create``), it is written now, in the caller's transaction,
    under the key-creation lock: with the ordonnancier's key when its register is sealed, else with a
    new key kept on this workstation. Every caller records an entry in the same transaction, so the
    start witnesses a trail with at least one entry. Raises
    :class:`~app.storage.keyed_chain.RegisterKeyMissing` when this workstation lacks the key and
    :class:`~app.storage.keyed_chain.RegisterTampered` when a start was edited.
    """
    trail = read_trail_keying(session)
    if trail is None:
        if not create:
            return None
        lock_key_creation(session)
        trail = read_trail_keying(session)
    if trail is None:
        register = read_keying(session)
        if register is not None and register.sealed:
            key = register_key(session, protection, register)
            if not same(register.compute_mac(key), register.mac):
                raise RegisterTampered("Ordonnancier altéré : le point de départ de la clé a été modifié ; aucune "
                                       "écriture avant vérification (comptoir ordonnancier verify)")
            kid = register.key_id or ""
        else:
            key = new_key()
            kid = key_id(key)
            log.info("pharmacy key %s created by the audit trail (kept in %s)", kid, protection.keys.save(kid, key))
        start = TrailKeying(kid, protection.workstation, protection.now()).sealed(key)
        session.add(AuditKeyingRow(id=1, key_id=start.key_id, workstation=start.workstation,
                                   sealed_at=start.sealed_at, mac=start.mac))
        session.flush()
        return kid, key
    key = protection.keys.load(trail.key_id)
    if key is None:
        raise key_missing(trail.workstation, trail.key_id)
    if not same(trail.compute_mac(key), trail.mac):
        raise RegisterTampered("Journal d'audit altéré : son point de départ (table audit_keying) a été modifié ; "
                               "aucune écriture avant vérification (comptoir audit verify)")
    return trail.key_id, key


def _who(user: Actor | User | None) -> tuple[int | None, str]:
    if user is None:
        return None, ""
    if isinstance(user, Actor):
        return user.user_id, user.display_name
    return user.id, user.display_name


def record(session: Session, action: AuditAction, user: Actor | User | None, *, protection: Protection,
           workstation: str | None = None, object_ref: str = "", details: Mapping[str, object] | None = None,
           ) -> AuditEntry:
    """Append ``action`` by ``user`` (None: nobody signed in) to the trail, in the caller's transaction.

    ``workstation`` defaults to the actor's, else this workstation's (``protection``); ``object_ref``
    names what was acted on by an id (ordonnance number, delivery id, user id); ``details`` is JSON
    without patient data (:func:`app.domain.audit.check_details` refuses it otherwise: a bug).
    """
    payload = check_details(details)
    action = AuditAction(action)
    if len(object_ref) > 64:
        raise ValueError("audit object_ref longer than 64 characters")
    lock_chain(session, "audit_entry", "seq")
    kid, key = pharmacy_key(session, protection)
    last = session.execute(select(AuditEntryRow.seq, AuditEntryRow.hash)
                           .order_by(AuditEntryRow.seq.desc()).limit(1)).first()
    now = protection.clock().astimezone(UTC).replace(tzinfo=None)
    user_id, user_name = _who(user)
    if workstation is None:
        workstation = user.workstation if isinstance(user, Actor) else protection.workstation
    entry = AuditEntry(seq=last.seq + 1 if last else 1, at=now, action=str(action), user_id=user_id,
                       user_name=user_name, workstation=workstation, object_ref=object_ref, details=payload,
                       key_id=kid, prev_hash=last.hash if last else GENESIS_HASH).sealed(key)
    session.add(AuditEntryRow(**{name: getattr(entry, name) for name in _COLUMNS}))
    session.flush()
    return entry


# --- reading ---------------------------------------------------------------------------------------


def _utc_bound(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class AuditQuery:
    """A selection of the trail: local days ``start`` .. ``end`` (included), one user, one action."""

    start: date | None = None
    end: date | None = None
    user_id: int | None = None
    action: str | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ComptoirError("Période invalide : la date de fin précède la date de début")


def entries(session: Session, query: AuditQuery = AuditQuery(), *, zone: tzinfo | None = None,
            batch: int = 1000) -> Iterator[AuditEntry]:
    """The entries ``query`` selects, in order, read in batches (the trail grows for years)."""
    zone = zone or datetime.now().astimezone().tzinfo or UTC
    columns = [getattr(AuditEntryRow, name) for name in _COLUMNS]
    base = select(*columns)
    if query.start:
        base = base.where(AuditEntryRow.at >= _utc_bound(query.start, zone))
    if query.end:
        base = base.where(AuditEntryRow.at < _utc_bound(query.end + timedelta(days=1), zone))
    if query.user_id is not None:
        base = base.where(AuditEntryRow.user_id == query.user_id)
    if query.action:
        base = base.where(AuditEntryRow.action == query.action)
    last = 0
    while True:
        rows = session.execute(base.where(AuditEntryRow.seq > last).order_by(AuditEntryRow.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield AuditEntry(**row._asdict())
        last = rows[-1].seq


# --- verifying -------------------------------------------------------------------------------------


def _structure(session: Session) -> list[AuditFinding]:
    inspector = inspect(session.connection())
    missing = [t for t in ("audit_entry", "audit_keying") if not inspector.has_table(t)]
    if missing:
        return [AuditFinding(None, f"la table {', '.join(missing)} a été supprimée de la base", root=True)]
    gone = trigger_problems(session, {t for t in AUDIT_TABLES if inspector.has_table(t)})
    if gone:
        return [AuditFinding(None, "la protection de la base contre la modification du journal a été retirée "
                                   f"(déclencheur(s) {', '.join(gone)})")]
    return []


def verify(session: Session, protection: Protection) -> AuditCheck:
    """Check the trail: its tables and triggers, its sealed start, then every entry (numbering, links,
    seals). Raises :class:`~app.storage.keyed_chain.RegisterKeyMissing` when this workstation lacks
    the key (nothing can be checked without it)."""
    structure = _structure(session)
    if structure and structure[0].root:
        return AuditCheck(0, tuple(structure))
    start = read_trail_keying(session)
    key, findings = None, list(structure)
    if start is not None:
        key = protection.keys.load(start.key_id)
        if key is None:
            raise key_missing(start.workstation, start.key_id)
        if not same(start.compute_mac(key), start.mac):
            findings.append(AuditFinding(None, "son point de départ (table audit_keying) a été modifié", root=True))
        register = read_keying(session)
        if register is not None and register.sealed and register.key_id != start.key_id:
            findings.append(AuditFinding(None, f"le journal est scellé avec la clé {start.key_id} et l'ordonnancier "
                                               f"avec la clé {register.key_id}"))
    result = verify_trail(entries(session, zone=protection.zone), key, start.key_id if start else "")
    if result.checked == 0 and not result.findings and start is not None:
        findings.append(AuditFinding(1, "le journal a été vidé : son point de départ montre qu'il avait au moins "
                                        "une entrée", start.sealed_at))
    return AuditCheck(result.checked, tuple(sorted((*findings, *result.findings), key=AuditFinding.sort_key)))
