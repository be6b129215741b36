"""Who may run the register commands (``comptoir ordonnancier export|verify|close|correct|key export``
and ``comptoir audit [verify]``), and how every command of the registers, ``comptoir reprint`` too, is
traced in the audit trail.

Once the pharmacy has users, each register command signs a user in first (``--as ID``, his PIN asked
without echo or read from standard input, as for ``comptoir users``), requires the permission his role
gives (:class:`~app.domain.team.Permission`: reading and exporting the registers, CSP R. 5132-9 and
R. 5132-10, is the pharmacists'; closing and correcting the register too; exporting the pharmacy's
key, which seals the register, the trail and the PINs, is the titulaire's), runs the command in one
transaction and appends its trace to the audit trail in that same transaction (sign-in, the command
with its period or entry, sign-out). A refused sign-in or permission runs nothing and leaves its own
trace (login.failed).

One audit path (:func:`traced`): the trace is a :class:`~app.domain.audit.Trace` like the counter's
and the preparation queue's, appended last in the command's transaction (the trail's lock held only
for that), so the command and its trace commit or vanish together. Exports, reprinted copies and
the key are written out after that commit: none leaves untraced (a listing of the trail is printed as
it is read, its trace committed at its end). With
nobody to name — the pharmacy has no user yet, or ``reprint``, which signs no one in — the
workstation is named, and a workstation without the pharmacy's key still runs the command (an
inspection must not wait for a key): the missing trace is said on standard error and in the log.

What it covers and what it cannot: it keeps the command line from reading, exporting or writing the
register anonymously on a workstation whose database has users. Before the first user exists
(``comptoir server init`` not run yet: a fresh or demo installation) the commands run as before, with
no one to name. ``key import`` stays open: a workstation without the key cannot check a PIN (the
key peppers them), and the key it is given is checked against the register's sealed start. It does
not protect the database itself: whoever reaches it with its own client
reads it (the register is sealed, not encrypted) — its access rights are the server's business.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.config import Settings
from app.domain.audit import AuditAction, Trace
from app.domain.errors import StorageError
from app.domain.team import Actor, Permission, PermissionRefused
from app.i18n import _t, error_text

if TYPE_CHECKING:
    from app.storage.ordonnancier_keying import Protection

log = logging.getLogger(__name__)


def add_as_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", type=int, metavar="ID",
                        help=_t("votre identifiant (votre PIN est demandé) ; obligatoire dès que la pharmacie a "
                                "des utilisateurs"))


@contextmanager
def command_session(settings: Settings) -> Iterator[Session]:
    """One transaction on the configured database (which must exist), committed when the block ends."""
    from app.storage.db import open_database, transaction

    engine, factory = open_database(settings.db_url, must_exist=True)
    try:
        with transaction(factory) as session:
            yield session
    except SQLAlchemyError as exc:
        raise StorageError(_t("Base de données inaccessible ou refusée"), detail=str(exc)) from exc
    finally:
        engine.dispose()


@dataclass
class Command:
    """A command running in its transaction (``session``) for ``actor`` (None: nobody to name).
    ``object_ref`` and ``details`` are its trace's: the command may complete them with what it found
    (the delivery reprinted)."""

    session: Session
    actor: Actor | None
    object_ref: str = ""
    details: dict = field(default_factory=dict)


def _append(session: Session, protection: Protection, trace: Trace) -> None:
    from app.storage import audit
    from app.storage.keyed_chain import RegisterKeyMissing

    def record() -> None:
        audit.record(session, trace.action, trace.actor, protection=protection, object_ref=trace.object_ref,
                     details=trace.details)

    if trace.actor is not None:
        record()  # signed in: the key checked his PIN, a failure here is the command's
        return
    try:
        with session.begin_nested():
            record()
    except RegisterKeyMissing as exc:
        log.warning("%s not traced in the audit trail: %s", trace.action, exc)
        print(_t("Attention : non tracé dans le journal d'audit ({error})").format(error=error_text(exc)), file=sys.stderr)


@contextmanager
def traced(settings: Settings, actor: Actor | None, action: AuditAction, *, protection: Protection,
           object_ref: str = "", details: dict | None = None) -> Iterator[Command]:
    """The command's transaction; when its block ends without error, ``action`` by ``actor`` is appended
    to the audit trail in it, last, then both are committed."""
    with command_session(settings) as session:
        command = Command(session, actor, object_ref, dict(details or {}))
        yield command
        _append(session, protection, Trace(action, actor, command.object_ref, command.details))


@contextmanager
def register_access(args: argparse.Namespace, settings: Settings, permission: Permission, action: AuditAction,
                    *, object_ref: str = "", details: dict | None = None) -> Iterator[Command]:
    """The signed-in ``--as`` user (nobody while the pharmacy has no user), allowed ``permission``, and
    the command's transaction (:func:`traced`), ``action`` appended to the trail in it; signed out
    after it."""
    from app.cli.users import Secrets, signed_in, team_of

    with team_of(settings) as team:
        if not team.users(include_disabled=True):
            with traced(settings, None, action, protection=team.protection, object_ref=object_ref,
                        details=details) as command:
                yield command
            return
        if getattr(args, "as_user", None) is None:
            raise PermissionRefused(_t("Connexion requise : la pharmacie a des utilisateurs, indiquez le vôtre "
                                       "avec --as ID (votre PIN est demandé ; comptoir users list)"))
        secrets = Secrets()
        with signed_in(team, args.as_user, secrets) as actor:
            secrets.finish()
            actor.require(permission)
            with traced(settings, actor, action, protection=team.protection, object_ref=object_ref,
                        details=details) as command:
                yield command
