"""What the pharmacy's keyed chains share (the ordonnancier, the audit trail): the write lock on a
chain, and the one per-pharmacy key that seals them all.

**The lock.** Each chain's next number and previous seal are read under a lock held until the
writer's transaction ends: ``LOCK TABLE … IN SHARE ROW EXCLUSIVE MODE`` on PostgreSQL (self-
conflicting: other writers of that chain wait, readers do not), the database write lock on SQLite.

**The key.** One key per pharmacy, kept outside the database on each workstation
(:class:`app.register_key_store.RegisterKeyStore`). Whichever chain writes first creates it: the ordonnancier
at its first keyed entry (its sealed switch, ``ordonnancier_keying``), or the audit trail at its
first entry (``audit_keying``, written at ``server init``). The other chain then takes the same key;
creating it happens under the audit trail's write lock, so two first writers on two workstations
cannot create two keys. ``comptoir ordonnancier key export|import`` carries it to every workstation.
"""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.domain.audit import TrailKeying
from app.domain.errors import ComptoirError, StorageError
from app.domain.ordonnancier import same
from app.storage.models.team import AuditKeyingRow


class RegisterKeyMissing(ComptoirError):
    """This workstation does not hold the key that seals the register."""


class RegisterTampered(StorageError):
    """The register's own records are gone or inconsistent: nothing is written until it is verified."""


def lock_chain(session: Session, table: str, column: str) -> None:
    """Take the write lock of the chain stored in ``table`` until the transaction ends (``column``:
    any column of it, for SQLite's no-op write)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
    elif dialect == "sqlite":
        # A write that changes nothing (and fires no trigger) takes SQLite's write lock now.
        session.execute(text(f"UPDATE {table} SET {column} = {column} WHERE 0"))


def lock_key_creation(session: Session) -> None:
    """Serialise the creation of the pharmacy's key between the chains (see the module's doc): the
    audit trail's own write lock, so that every transaction takes its locks in one order (the
    register's or the users' first, the trail's last) and none waits on another in a circle."""
    lock_chain(session, "audit_entry", "seq")


def key_missing(workstation: str, key_id: str | None) -> RegisterKeyMissing:
    return RegisterKeyMissing(
        f"Clé du registre absente : importez-la depuis le poste « {workstation} » (sur ce poste-là : "
        "comptoir ordonnancier key export ; ici : comptoir ordonnancier key import)",
        detail=f"key id {key_id}")


def read_trail_keying(session: Session) -> TrailKeying | None:
    row = session.execute(select(AuditKeyingRow.key_id, AuditKeyingRow.workstation, AuditKeyingRow.sealed_at,
                                 AuditKeyingRow.mac).where(AuditKeyingRow.id == 1)).first()
    return TrailKeying(row.key_id, row.workstation, row.sealed_at, row.mac) if row else None


def trail_key(session: Session, keys) -> bytes | None:
    """The key the audit trail was sealed with, from this workstation's store ``keys``; None when the
    trail has no entry yet. Raises :class:`RegisterKeyMissing` when this workstation lacks it and
    :class:`RegisterTampered` when the trail's start was edited."""
    start = read_trail_keying(session)
    if start is None:
        return None
    key = keys.load(start.key_id)
    if key is None:
        raise key_missing(start.workstation, start.key_id)
    if not same(start.compute_mac(key), start.mac):
        raise RegisterTampered("Journal d'audit altéré : son point de départ (table audit_keying) a été modifié ; "
                               "aucune écriture avant vérification (comptoir audit verify)")
    return key
