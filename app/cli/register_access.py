"""Who may run the register commands (``comptoir ordonnancier export|verify|close|correct|key export``
and ``comptoir audit [verify]``), and their trace in the audit trail.

Once the pharmacy has users, each of these commands signs a user in first (``--as ID``, his PIN asked
without echo or read from standard input, as for ``comptoir users``), requires the permission his role
gives (:class:`~app.domain.team.Permission`: reading and exporting the registers, CSP R. 5132-9 and
R. 5132-10, is the pharmacists'; closing and correcting the register too; exporting the pharmacy's
key, which seals the register, the trail and the PINs, is the titulaire's), records the command in
the audit trail under his name (sign-in, the command with its period or entry, sign-out) and then runs
it. A refused sign-in or permission runs nothing and leaves its own trace (login.failed).

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
from collections.abc import Iterator
from contextlib import contextmanager

from app.config import Settings
from app.domain.audit import AuditAction
from app.domain.team import Actor, Permission, PermissionRefused
from app.i18n import _t


def add_as_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", type=int, metavar="ID",
                        help=_t("votre identifiant (votre PIN est demandé) ; obligatoire dès que la pharmacie a "
                                "des utilisateurs"))


@contextmanager
def register_access(args: argparse.Namespace, settings: Settings, permission: Permission, action: AuditAction,
                    *, object_ref: str = "", details: dict | None = None) -> Iterator[Actor | None]:
    """The signed-in ``--as`` user (None while the pharmacy has no user), allowed ``permission``, with
    ``action`` recorded in the audit trail before the command runs; signed out after it."""
    from app.cli.users import Secrets, signed_in, team_of

    with team_of(settings) as team:
        if not team.users(include_disabled=True):
            yield None
            return
        if getattr(args, "as_user", None) is None:
            raise PermissionRefused(_t("Connexion requise : la pharmacie a des utilisateurs, indiquez le vôtre "
                                       "avec --as ID (votre PIN est demandé ; comptoir users list)"))
        secrets = Secrets()
        with signed_in(team, args.as_user, secrets) as actor:
            secrets.finish()
            actor.require(permission)
            team.record(action, actor, object_ref=object_ref, details=details)
            yield actor
