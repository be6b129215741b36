"""``comptoir --db URL server init --name NAME --rpps RPPS``: set up a pharmacy's database.

Migrates the database to the latest schema and creates the first pharmacien titulaire (his PIN typed
twice without echo, or read from standard input), who then adds the team (``comptoir users add``).
Refused once the pharmacy has a titulaire. The app's first start calls the same use case
(:meth:`app.storage.users.Team.create_first_titulaire`).
"""

from __future__ import annotations

import argparse

from app.config import settings_from_args
from app.domain.team import Role, TeamError, check_display_name, check_rpps
from app.i18n import _t


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("server", help=_t("mise en service de la base de la pharmacie"))
    actions = parser.add_subparsers(dest="server_action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help=_t("migrer la base et créer le premier pharmacien titulaire (PIN "
                                              "saisi deux fois sans écho, ou lu sur l'entrée standard)"))
    init.add_argument("--name", required=True, metavar=_t("NOM"), help=_t("nom du pharmacien titulaire"))
    init.add_argument("--rpps", required=True, metavar="RPPS", help=_t("son numéro RPPS (11 chiffres)"))
    init.set_defaults(handler=run_init)


def run_init(args: argparse.Namespace) -> int:
    from app.cli.users import Secrets, team_of
    from app.storage.db import safe_url

    name, rpps = check_display_name(args.name), check_rpps(Role.TITULAIRE, args.rpps)
    settings = settings_from_args(args)
    secrets = Secrets()
    with team_of(settings, must_exist=False) as team:
        if team.has_titulaire():
            raise TeamError(_t("La pharmacie a déjà un pharmacien titulaire : rien n'a été changé (ajoutez des "
                               "utilisateurs avec comptoir users add --as ID)"))
        pin = secrets.ask_new(_t("PIN de {name} (4 à 12 chiffres) : ").format(name=name))
        secrets.finish()
        user = team.create_first_titulaire(name, rpps, pin)
    print(_t("Base de données prête : {url} (schéma à jour).").format(url=safe_url(settings.db_url)))
    print(_t("Pharmacien titulaire n° {id} créé : {name} (RPPS {rpps}).").format(
        id=user.id, name=user.display_name, rpps=user.rpps))
    print(_t("La clé de la pharmacie (elle scelle l'ordonnancier, le journal d'audit et les comptes) est sur ce "
             "poste : copiez-la sur chaque autre poste (ici : comptoir ordonnancier key export ; là-bas : "
             "comptoir ordonnancier key import)."))
    return 0
