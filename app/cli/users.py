"""``comptoir users add|list|disable|set-pin|set-badge``: the pharmacy's team.

Every change is made by a signed-in user (``--as ID``, his PIN asked) whose role allows it (managing
users is the titulaire's; anyone may change his own PIN or badge), and is traced in the audit trail.
PINs and badge codes are never arguments (any user of the machine would read them in ``ps``): typed
without echo, a new PIN twice, or read from standard input, one per line in the order asked (a new
PIN's confirmation line is optional there).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC

from sqlalchemy.exc import SQLAlchemyError

from app.config import Settings, settings_from_args
from app.domain.errors import ComptoirError, StorageError
from app.domain.team import ROLE_LABELS, Actor, Permission, Role, TeamError, User
from app.i18n import _t, error_text


class Secrets:
    """PINs and badge codes as the user gives them (see the module's doc)."""

    def __init__(self, stream=None) -> None:
        self._stream = stream
        self._lines: list[str] | None = None

    @property
    def stream(self):
        return self._stream if self._stream is not None else sys.stdin

    def _interactive(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def _next(self, what: str) -> str:
        if self._lines is None:
            text = self.stream.read() if self.stream is not None else ""
            self._lines = [line.strip() for line in text.splitlines()]
        while self._lines and not self._lines[0]:
            self._lines.pop(0)
        if not self._lines:
            raise ComptoirError(_t("{what} attendu sur l'entrée standard (une ligne), rien n'a été lu").format(what=what))
        return self._lines.pop(0)

    def ask(self, prompt: str, what: str | None = None) -> str:
        """One secret (a current PIN, a badge code)."""
        if self._interactive():
            return getpass.getpass(prompt).strip()
        return self._next(what or _t("PIN"))

    def ask_new(self, prompt: str, what: str | None = None) -> str:
        """A new secret: typed twice at a terminal; from standard input one line, its confirmation
        optional (the same line again)."""
        if self._interactive():
            first = getpass.getpass(prompt).strip()
            if getpass.getpass(_t("Confirmez : ")).strip() != first:
                raise TeamError(_t("Les deux saisies diffèrent : rien n'a été enregistré"))
            return first
        first = self._next(what or _t("Nouveau PIN"))
        if self._lines and self._lines[0] == first:
            self._lines.pop(0)
        return first

    def finish(self) -> None:
        """Refuse lines left over on standard input (a confirmation that differs, a typo)."""
        if self._lines and any(self._lines):
            raise TeamError(_t("Entrée standard : ligne(s) en trop (les deux saisies du PIN diffèrent ?) ; rien "
                               "n'a été enregistré"))


@contextmanager
def team_of(settings: Settings, *, must_exist: bool = True) -> Iterator:
    """The :class:`~app.storage.users.Team` of this workstation on the configured database."""
    from app.storage.db import open_database
    from app.storage.ordonnancier_keying import Protection
    from app.storage.users import Team

    engine, factory = open_database(settings.db_url, must_exist=must_exist)
    try:
        yield Team(factory, Protection.from_settings(settings))
    except SQLAlchemyError as exc:
        raise StorageError(_t("Base de données inaccessible ou refusée"), detail=str(exc)) from exc
    finally:
        engine.dispose()


@contextmanager
def signed_in(team, user_id: int, secrets: Secrets) -> Iterator[Actor]:
    """``user_id`` signed in with his PIN for one command, signed out after it."""
    actor = team.login(user_id, secrets.ask(_t("PIN de l'utilisateur n° {id} : ").format(id=user_id)))
    try:
        yield actor
    finally:
        team.logout(actor)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("users", help=_t("utilisateurs de la pharmacie (ajouter, lister, désactiver, PIN, badge)"))
    actions = parser.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=_t("lister les utilisateurs"))
    listing.add_argument("--all", action="store_true", help=_t("y compris les comptes désactivés"))
    listing.add_argument("--json", action="store_true", help=_t("sortie JSON"))
    listing.set_defaults(handler=run_list)

    roles = ", ".join(r.value for r in Role)
    add = actions.add_parser("add", help=_t("ajouter un utilisateur (son PIN est saisi sans écho)"))
    add.add_argument("--name", required=True, metavar=_t("NOM"), help=_t("nom affiché"))
    add.add_argument("--role", required=True, type=_role, metavar="ROLE", help=roles)
    add.add_argument("--rpps", metavar="RPPS", help=_t("obligatoire pour un pharmacien, facultatif pour un préparateur"))
    add.add_argument("--badge", action="store_true", help=_t("lire aussi le code de son badge (saisi sans écho)"))
    _as(add)
    add.set_defaults(handler=run_add)

    disable = actions.add_parser("disable", help=_t("désactiver un compte (jamais supprimé : le journal le nomme)"))
    disable.add_argument("user", type=int, metavar="ID")
    _as(disable)
    disable.set_defaults(handler=run_disable)

    pin = actions.add_parser("set-pin", help=_t("changer un PIN (le sien, ou celui d'un autre pour le titulaire)"))
    pin.add_argument("user", type=int, metavar="ID")
    _as(pin)
    pin.set_defaults(handler=run_set_pin)

    badge = actions.add_parser("set-badge", help=_t("attribuer un badge (code lu sans écho) ou le retirer"))
    badge.add_argument("user", type=int, metavar="ID")
    badge.add_argument("--remove", action="store_true", help=_t("retirer le badge"))
    _as(badge)
    badge.set_defaults(handler=run_set_badge)


def _as(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", type=int, required=True, metavar="ID",
                        help=_t("votre identifiant (votre PIN est demandé)"))


def _role(text: str) -> Role:
    try:
        return Role.parse(text)
    except TeamError as exc:
        raise argparse.ArgumentTypeError(error_text(exc)) from exc


def role_text(role: Role) -> str:
    """A role in the terminal's language (the core's ``ROLE_LABELS`` stay the records' French)."""
    return {Role.TITULAIRE: _t("pharmacien titulaire"), Role.ADJOINT: _t("pharmacien adjoint"),
            Role.PREPARATEUR: _t("préparateur"), Role.ETUDIANT: _t("étudiant en pharmacie")}.get(role, ROLE_LABELS[role])


def describe(user: User, zone=None) -> str:
    if user.active:
        state = _t("actif")
    elif user.disabled_at is not None:
        state = _t("désactivé le {day}").format(
            day=user.disabled_at.replace(tzinfo=UTC).astimezone(zone).strftime("%d/%m/%Y"))
    else:
        state = _t("désactivé")
    parts = [f"{user.id:>4}  {user.display_name}", role_text(user.role)]
    if user.rpps:
        parts.append(f"RPPS {user.rpps}")
    if user.has_badge:
        parts.append(_t("badge"))
    if user.locked_until is not None:
        parts.append(_t("verrouillé jusqu'à {time}").format(
            time=user.locked_until.replace(tzinfo=UTC).astimezone(zone).strftime("%H:%M")))
    parts.append(state)
    return " — ".join(parts)


def run_list(args: argparse.Namespace) -> int:
    with team_of(settings_from_args(args)) as team:
        users = team.users(include_disabled=args.all)
    if args.json:
        json.dump([{"id": u.id, "name": u.display_name, "role": u.role.value, "rpps": u.rpps, "badge": u.has_badge,
                    "active": u.active, "created_at": u.created_at.replace(tzinfo=UTC).isoformat(),
                    "disabled_at": u.disabled_at.replace(tzinfo=UTC).isoformat() if u.disabled_at else None}
                   for u in users], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not users:
        print(_t("Aucun utilisateur : comptoir server init crée le premier pharmacien titulaire."))
    for user in users:
        print(describe(user))
    return 0


@contextmanager
def _acting(args: argparse.Namespace) -> Iterator[tuple]:
    """(team, the signed-in ``--as`` user, the secrets still to read) for one command."""
    secrets = Secrets()
    with team_of(settings_from_args(args)) as team, signed_in(team, args.as_user, secrets) as actor:
        yield team, actor, secrets


def _own_or_managed(team, actor: Actor, user_id: int) -> User:
    """``user_id``, once known that the actor may change him: himself, or anyone when managing users."""
    if actor.user_id != user_id:
        actor.require(Permission.MANAGE_USERS)
    return team.user(user_id)


def _badge_prompt() -> tuple[str, str]:
    return _t("Code du badge (passez-le devant le lecteur) : "), _t("Code du badge")


def run_add(args: argparse.Namespace) -> int:
    with _acting(args) as (team, actor, secrets):
        actor.require(Permission.MANAGE_USERS)
        pin = secrets.ask_new(_t("PIN de {name} (4 à 12 chiffres) : ").format(name=args.name))
        badge = secrets.ask(*_badge_prompt()) if args.badge else None
        secrets.finish()
        user = team.add_user(actor, args.name, args.role, args.rpps, pin)
        if badge:
            team.set_badge(actor, user.id, badge)
    print((_t("Utilisateur n° {id} ajouté : {name}, {role} (avec badge).") if badge
           else _t("Utilisateur n° {id} ajouté : {name}, {role}.")).format(
        id=user.id, name=user.display_name, role=role_text(user.role)))
    return 0


def run_disable(args: argparse.Namespace) -> int:
    with _acting(args) as (team, actor, secrets):
        secrets.finish()
        user = team.disable_user(actor, args.user)
    print(_t("Compte n° {id} ({name}) désactivé.").format(id=user.id, name=user.display_name))
    return 0


def run_set_pin(args: argparse.Namespace) -> int:
    with _acting(args) as (team, actor, secrets):
        target = _own_or_managed(team, actor, args.user)
        pin = secrets.ask_new(_t("Nouveau PIN de {name} (4 à 12 chiffres) : ").format(name=target.display_name))
        secrets.finish()
        team.set_pin(actor, args.user, pin)
    print(_t("PIN de {name} changé.").format(name=target.display_name))
    return 0


def run_set_badge(args: argparse.Namespace) -> int:
    with _acting(args) as (team, actor, secrets):
        target = _own_or_managed(team, actor, args.user)
        code = None if args.remove else secrets.ask(*_badge_prompt())
        secrets.finish()
        team.set_badge(actor, args.user, code)
    print((_t("Badge de {name} retiré.") if args.remove else _t("Badge de {name} enregistré.")).format(
        name=target.display_name))
    return 0
