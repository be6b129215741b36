"""The register's key on this workstation: what seals it (:class:`Protection`), the key a write
needs, the first sealing of a register and the one a crash interrupted, and the anchor file's lines
that tell a swapped key from a key not imported yet.

Why apart from the writing (:mod:`app.storage.ordonnancier`): the audit trail
(:mod:`app.storage.audit`) and the verification (:mod:`app.storage.ordonnancier_verify`) need the
key too, without the register's writing; this module reads the register only through
:mod:`app.storage.ordonnancier_read`, so none of them import each other in a circle. How the key
protects the register, and against whom: :mod:`app.storage.ordonnancier`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.config import Settings, load_settings
from app.domain.errors import StorageError
from app.domain.ordonnancier import KeyingStart, key_id, new_key, same
from app.register_key_store import RegisterKeyStore, register_key_dir
from app.storage.keyed_chain import (
    RegisterKeyMissing,
    RegisterTampered,
    key_missing,
    lock_key_creation,
    trail_key,
)
from app.storage.models.ordonnancier import KeyingRow
from app.storage.ordonnancier_anchors import AnchorFile, AnchorFileError, AnchorLine, register_of
from app.storage.ordonnancier_read import database_name, read_keying

log = logging.getLogger(__name__)


def _local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Protection:
    """What seals the register on this workstation: its key store, its anchor file, its name, its clock.

    Built from the settings (:meth:`from_settings`); ``clock`` returns an aware local time (tests
    inject one: the day a closing belongs to is the workstation's local day).
    """

    keys: RegisterKeyStore
    anchors: AnchorFile
    workstation: str
    clock: Callable[[], datetime] = field(default=_local_now)

    @classmethod
    def from_settings(cls, settings: Settings | None = None, *,
                      clock: Callable[[], datetime] | None = None) -> Protection:
        settings = settings or load_settings()
        return cls(RegisterKeyStore(settings.ordonnancier.key_store, register_key_dir()),
                   AnchorFile(settings.anchor_file), settings.workstation_name, clock or _local_now)

    def now(self) -> datetime:
        """Naive UTC to the second: stored and sealed identically on SQLite and PostgreSQL."""
        return self.clock().astimezone(UTC).replace(tzinfo=None, microsecond=0)

    @property
    def zone(self) -> tzinfo:
        return self.clock().tzinfo or UTC


def missing_key(start: KeyingStart) -> RegisterKeyMissing:
    return key_missing(start.workstation, start.key_id)


def _anchored_here(session: Session, protection: Protection) -> list[AnchorLine]:
    """The lines of this workstation's anchor file about this database; none when it cannot be read
    (verify reports that itself)."""
    try:
        lines = protection.anchors.read().lines
    except AnchorFileError:
        return []
    database = database_name(session)
    return [line for line in lines if line.database == database]


def swapped_key(session: Session, protection: Protection, start: KeyingStart) -> str | None:
    """Why this workstation lacks the key the database names, when the reason is tampering: its anchor
    file shows it sealed or closed this very database with another key, which it holds. Whoever
    resealed the whole register with a key of their own is found out here rather than asking for an
    import. None: the key is simply not imported yet."""
    for line in _anchored_here(session, protection):
        held = register_of(line.record)
        if held and held != start.key_id and protection.keys.load(held):
            return (f"la base désigne la clé {start.key_id}, alors que ce poste a scellé ou clôturé ce registre "
                    f"avec la clé {held}, qu'il détient (fichier d'ancrage {protection.anchors.path}, ligne "
                    f"{line.line_no}) : le registre a été rescellé sans la clé de la pharmacie")
    return None


def register_key(session: Session, protection: Protection, start: KeyingStart) -> bytes:
    """The key of a sealed register, from this workstation's store; a French error when it lacks it."""
    key = protection.keys.load(start.key_id or "")
    if key is not None:
        return key
    swapped = swapped_key(session, protection, start)
    if swapped:
        raise RegisterTampered(f"Ordonnancier altéré : {swapped} ; aucune écriture avant vérification "
                               "(comptoir ordonnancier verify)")
    raise missing_key(start)


def interrupted_sealing(session: Session, protection: Protection,
                        start: KeyingStart) -> tuple[bytes, KeyingStart] | None:
    """A sealing of this very register that reached this workstation's anchor file but not the
    database: the process was killed (or the transaction rolled back) between the two. Sealing again
    with a new key would leave the anchor file naming another key than the database's — what
    :mod:`app.storage.ordonnancier_verify` reports as a reset register — so the interrupted sealing is
    finished as it was written: same key (this workstation holds it), same record, same seal. None
    when there is none, or its key is not here, or it does not seal the register as it stands."""
    for line in reversed(_anchored_here(session, protection)):
        record = line.record
        if not (isinstance(record, KeyingStart) and record.legacy_last == start.legacy_last
                and same(record.legacy_head, start.legacy_head)):
            continue
        key = protection.keys.load(record.key_id or "")
        if key is not None and same(record.compute_mac(key), record.mac):
            return key, record
    return None


def key_for_writing(session: Session, protection: Protection) -> tuple[bytes, KeyingStart]:
    """The register's key and start, for a write (the caller holds the register's lock).

    A register never sealed gets the pharmacy's key here (the audit trail's when it has one, else a new
    one: :mod:`app.storage.keyed_chain`): kept on this workstation first, then the switch is
    written to the anchor file and sealed in the database, in the caller's transaction. A kill or a
    rollback between the two leaves the anchor file ahead of the database: the next write finishes
    that sealing (:func:`interrupted_sealing`) instead of starting another.
    """
    start = read_keying(session)
    if start is None:
        raise RegisterTampered("Ordonnancier altéré : le point de départ de la clé (table ordonnancier_keying) "
                               "a disparu ; aucune écriture avant vérification (comptoir ordonnancier verify)")
    if start.sealed:
        key = register_key(session, protection, start)
        if not same(start.compute_mac(key), start.mac):
            raise RegisterTampered("Ordonnancier altéré : le point de départ de la clé a été modifié ; aucune "
                                   "écriture avant vérification (comptoir ordonnancier verify)")
        return key, start
    lock_key_creation(session)  # the audit trail may hold the pharmacy's key already: take that one
    trail = trail_key(session, protection.keys)
    resumed = interrupted_sealing(session, protection, start)
    if resumed is not None and (trail is None or same(key_id(trail), resumed[1].key_id)):
        key, sealed = resumed  # finish it as the anchor file already says it
        where = "the key store"
    else:
        key = trail or new_key()
        kid = key_id(key)
        where = protection.keys.save(kid, key)
        sealed = replace(start, key_id=kid, workstation=protection.workstation, sealed_at=protection.now())
        sealed = replace(sealed, mac=sealed.compute_mac(key))
        protection.anchors.append(database_name(session), [sealed])
    kid = sealed.key_id
    done = session.execute(update(KeyingRow).where(KeyingRow.id == 1, KeyingRow.mac.is_(None)).values(
        key_id=kid, workstation=sealed.workstation, sealed_at=sealed.sealed_at, mac=sealed.mac))
    if done.rowcount != 1:  # pragma: no cover - the register's lock serialises sealing
        raise StorageError("L'ordonnancier n'a pas pu être scellé : réessayez")
    log.info("ordonnancier sealed with key %s (kept in %s) from entry %d", kid, where, sealed.legacy_last + 1)
    return key, sealed
