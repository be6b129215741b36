"""``comptoir config set-token|show|path``: the settings as they apply, and the service token.

Why a command: the token lives in the OS keyring (never in the settings file), and without a way to
put it there the counter cannot authenticate outside the demo. It is read from standard input (or
typed without echo), never from the command line, where any user would see it in ``ps``.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import os
import sys
import tomllib
from pathlib import Path

from app.config import (
    _SECTIONS,
    KEYRING_SERVICE,
    Settings,
    config_dir,
    data_dir,
    log_dir,
    settings_from_args,
    usable_keyring,
)
from app.domain.errors import ConfigurationError
from app.i18n import _t


def no_keyring() -> str:
    return _t("Aucun trousseau système (keyring) n'est disponible sur cette machine : le jeton n'a pas "
              "été enregistré. Autre solution : définissez la variable d'environnement "
              "COMPTOIR_SERVICE_TOKEN pour la session qui lance Comptoir (jamais dans le fichier de réglages).")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("config", help=_t("réglages et jeton du service"))
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    token = actions.add_parser("set-token", help=_t("enregistrer le jeton du service dans le trousseau "
                                                    "(lu sur l'entrée standard ou saisi sans écho)"))
    token.set_defaults(handler=run_set_token)
    actions.add_parser("show", help=_t("réglages en vigueur et leur origine")).set_defaults(handler=run_show)
    actions.add_parser("path", help=_t("chemin du fichier de réglages")).set_defaults(handler=run_path)


def settings_file(args: argparse.Namespace) -> Path:
    """The file ``load_settings`` reads for these arguments (same precedence)."""
    if getattr(args, "config", None):
        return Path(args.config)
    return Path(os.environ.get("COMPTOIR_CONFIG") or config_dir() / "settings.toml")


def _read_token() -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(_t("Jeton du service (saisie masquée) : "))
    return sys.stdin.read() if sys.stdin is not None else ""


def run_set_token(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if usable_keyring() is None:
        raise ConfigurationError(no_keyring())
    token = _read_token().strip()
    if not token:
        raise ConfigurationError(_t("Jeton vide : rien n'a été enregistré"))
    if any(c.isspace() for c in token):
        raise ConfigurationError(_t("Jeton invalide : il ne doit contenir ni espace ni retour à la ligne"))
    settings.store_service_token(token)
    print(_t("Jeton enregistré dans le trousseau du système (entrée {entry}).").format(
        entry=f"{KEYRING_SERVICE}/{settings.service.token_ref}"))
    if os.environ.get("COMPTOIR_SERVICE_TOKEN"):
        print(_t("Attention : COMPTOIR_SERVICE_TOKEN est défini et reste prioritaire sur le trousseau."),
              file=sys.stderr)
    return 0


def _sources(args: argparse.Namespace, file: Path) -> dict[str, str]:
    """Where each setting that is not a default comes from; same precedence as ``load_settings``."""
    found: dict[str, str] = {}
    if file.exists():
        data = tomllib.loads(file.read_text(encoding="utf-8"))  # already validated by load_settings
        for section, values in data.items():
            for key in values:
                found[f"{section}.{key}"] = _t("fichier {file}").format(file=file)
    if os.environ.get("COMPTOIR_DB_URL"):
        found["database.url"] = "COMPTOIR_DB_URL"
    for section in _SECTIONS:
        for f in dataclasses.fields(getattr(Settings(), section)):
            name = f"COMPTOIR_{section.upper()}_{f.name.upper()}"
            if name in os.environ:
                found[f"{section}.{f.name}"] = name
    if getattr(args, "db", None):
        found["database.url"] = _t("ligne de commande (--db)")
    if getattr(args, "lang", None):
        found["ui.language"] = _t("ligne de commande (--lang)")
    return found


def _token_state(settings: Settings) -> str:
    if os.environ.get("COMPTOIR_SERVICE_TOKEN"):
        return _t("présent (COMPTOIR_SERVICE_TOKEN)")
    if usable_keyring() is None:
        return _t("absent (aucun trousseau système : utilisez COMPTOIR_SERVICE_TOKEN)")
    ref = f"{KEYRING_SERVICE}/{settings.service.token_ref}"
    return (_t("présent (trousseau, entrée {ref})") if settings.service_token()
            else _t("absent (trousseau, entrée {ref})")).format(ref=ref)


def run_show(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    file = settings_file(args)
    sources = _sources(args, file)
    print("# " + (_t("fichier de réglages : {file}") if file.exists()
                  else _t("fichier de réglages : {file} (absent)")).format(file=file))
    print("# " + _t("données : {folder}").format(folder=data_dir()))
    print("# " + _t("journal : {folder}").format(folder=log_dir()))
    for section in _SECTIONS:
        values = getattr(settings, section)
        for f in dataclasses.fields(values):
            dotted = f"{section}.{f.name}"
            shown = _shown(dotted, getattr(values, f.name), settings)
            origin = sources.get(dotted) or _t("défaut")
            print(f"{dotted} = {shown}    [{origin}]")
    print(f"service.token = {_token_state(settings)}")
    return 0


def _shown(dotted: str, value: object, settings: Settings) -> str:
    if dotted == "database.url":
        from app.storage.db import safe_url

        return safe_url(settings.db_url) + ("" if value else " " + _t("(par défaut)"))
    return repr(value) if isinstance(value, str) else str(value)


def run_path(args: argparse.Namespace) -> int:
    print(settings_file(args))
    return 0
