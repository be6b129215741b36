"""The `comptoir` command line.

Each area registers its own sub-commands in a module of this package (`catalogue.py`, `sandbox.py`,
...) exposing ``register(subparsers)``; the modules are listed in ``COMMAND_MODULES`` and imported
lazily so that ``comptoir decode`` does not pay for Qt or the ASGI server.

Errors meant for the user are raised as :class:`app.domain.errors.ComptoirError` and printed as one
line on stderr with a non-zero exit code; their technical ``detail`` and traceback go to the log
(at WARNING), once, here, for every command. Any other exception is a bug: one French line says so
and where its report was written (the log, else a private file of its own), exit code 70
(``EX_SOFTWARE``); never a traceback on the terminal.

What the person at the terminal reads (help, messages, refusals of the command line itself) is
French source text through :func:`app.i18n._t`, English with ``--lang en`` or the setting
``ui.language = "en"``; the language is known before the help is built (:func:`cli_language`).
argparse's own words ("usage:", "options:", its error sentences) stay its English in both languages.
What is kept as a record (the ordonnancier, its CSV columns, PDFs) stays French.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import app
from app import i18n
from app.domain.errors import ComptoirError
from app.i18n import _t

COMMAND_MODULES = (
    "app.cli.gui",
    "app.cli.catalogue",
    "app.cli.sandbox",
    "app.cli.prescribe",
    "app.cli.prescriber",
    "app.cli.decode",
    "app.cli.ordonnancier",
    "app.cli.demo",
    "app.cli.outbox",
    "app.cli.config",
    "app.cli.users",
    "app.cli.audit",
    "app.cli.server",
    "app.cli.propose",
)

log = logging.getLogger(__name__)
EX_SOFTWARE = 70  # sysexits.h: an internal software error


def add_global_options(parser: argparse.ArgumentParser, *, default: object = None) -> None:
    """``--config``, ``--db`` and ``--lang``: on the top parser and again on every sub-command.

    Why on every sub-command too: the README promises that every command accepts ``--db URL``, and
    a pharmacist types it where it comes to mind (``comptoir ordonnancier verify --db URL`` as well as
    ``comptoir --db URL ordonnancier verify``). On the sub-commands the default is ``SUPPRESS``, so an
    option given before the command is not overwritten by the sub-parser's absent one. A sub-command
    that has an option of the same name for something else (``sandbox serve --db``: the sandbox's own
    database) keeps its own.
    """
    options = (
        (("--config",), {"help": _t("fichier de réglages (TOML) ; par défaut : le dossier de configuration "
                                    "du système")}),
        (("--db",), {"help": _t("URL SQLAlchemy de la base de données (prioritaire sur les réglages)")}),
        (("--lang",), {"choices": i18n.LANGUAGES, "help": _t("langue des messages (par défaut : réglage "
                                                              "ui.language)")}),
    )
    for flags, kwargs in options:
        if any(flag in parser._option_string_actions for flag in flags):
            continue
        parser.add_argument(*flags, default=default, **kwargs)


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every sub-command's parser, nested ones included (``ordonnancier verify``)."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases share a parser
                found.append(child)
                found.extend(_subparsers(child))
    return found


# Options of the top parser and of ``gui`` that take a value (the word after them is not a command).
_VALUE_OPTIONS = frozenset({"--config", "--db", "--lang", "--workstation"})


def command_of(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` names: its first word that is neither an option nor an option's value;
    None when there is none (the window opens)."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word.startswith("-"):
            if word in _VALUE_OPTIONS:
                next(words, None)
            continue
        return word
    return None


def option_value(argv: Sequence[str], option: str) -> str | None:
    """The value of a global ``option`` in ``argv``, before or after the command (``--lang en``,
    ``--lang=en``); the last one given wins, as with argparse."""
    found = None
    words = iter(argv)
    for word in words:
        if word == "--":
            break
        if word == option:
            found = next(words, found)
        elif word.startswith(option + "="):
            found = word.partition("=")[2]
    return found


def cli_language(argv: Sequence[str]) -> str:
    """The language of the terminal: ``--lang``, else the settings' ``ui.language`` (file, then
    ``COMPTOIR_UI_LANGUAGE``); French when the settings cannot be read (the command says why)."""
    given = option_value(argv, "--lang")
    if given in i18n.LANGUAGES:
        return given
    from app.config import load_settings

    try:
        return load_settings(option_value(argv, "--config")).ui.language
    except ComptoirError:
        return i18n.SOURCE_LANGUAGE


def _translate_help_option(parser: argparse.ArgumentParser) -> None:
    """argparse's ``-h`` says "show this help message and exit" in any language: ours says it in the
    terminal's."""
    action = parser._option_string_actions.get("-h")
    if action is not None:
        action.help = _t("afficher cette aide et quitter")


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The whole command line; ``modules``: only these commands (the window's start needs ``gui`` alone,
    and every other module's imports — database, catalogue, service client, printing — cost it most
    of a second before the first paint)."""
    parser = argparse.ArgumentParser(prog="comptoir", description=_t("Comptoir — comptoir de pharmacie"))
    add_global_options(parser)
    add_flags(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(sub)
    _translate_help_option(parser)
    for child in _subparsers(parser):
        add_global_options(child, default=argparse.SUPPRESS)
        _translate_help_option(child)
    return parser


def add_flags(parser: argparse.ArgumentParser) -> None:
    """``--version`` and ``--self-test`` on the top-level parser (the self-test is run as a command, its
    module imported only then: the window's start does not pay for it)."""
    parser.add_argument("--version", action="version", version=f"comptoir {app.__version__}",
                        help=_t("afficher le numéro de version et quitter"))
    parser.add_argument("--self-test", dest="handler", action="store_const", const=self_test,
                        help=_t("vérifier l'installation (hors écran, sans réseau) puis quitter"))


def self_test(args: argparse.Namespace) -> int:
    """``comptoir --self-test``: :mod:`app.cli.selftest`."""
    from app.cli import selftest

    return selftest.run(args)


def start_logging() -> None:
    """Send every command's logs to the log file, so no English warning reaches the terminal.

    An unwritable log folder must not stop the command: one French line says so, and a null
    handler keeps Python's last-resort handler from printing the records on stderr instead.
    """
    from app.logs import setup_logging

    try:
        setup_logging()
    except OSError as exc:
        print("comptoir: " + _t("journal non écrit ({file} : {error}) ; la commande continue").format(
            file=exc.filename or "", error=exc.strerror or exc), file=sys.stderr)
        logging.getLogger().addHandler(logging.NullHandler())


def log_refusal(command: str | None, exc: ComptoirError) -> None:
    """The detail and traceback of a French refusal, in the log (a command that reports a refusal
    itself and goes on, file after file, calls this too)."""
    log.warning("comptoir %s: %s: %s", command or "-", type(exc).__name__, exc.detail or exc, exc_info=exc)


def refused(command: str | None, exc: ComptoirError) -> int:
    """A French refusal: its message on the terminal, its detail and traceback in the log."""
    log_refusal(command, exc)
    print(f"comptoir: {i18n.error_text(exc)}", file=sys.stderr)
    return exc.exit_code


def report_file(report: str) -> Path | None:
    """Where the report of a bug was written: the log file, else (no log) a private file of its own."""
    from app.logs import log_file

    path = log_file()
    if path is not None:
        return path
    try:
        fd, name = tempfile.mkstemp(prefix="comptoir-erreur-", suffix=".txt")  # 0600
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(report)
    except OSError:
        return None
    return Path(name)


def crashed(command: str | None, exc: BaseException) -> int:
    """A bug (not a refusal meant for the user): its report in the log, one French line on the terminal."""
    from app.logs import error_report

    report = error_report((type(exc), exc, exc.__traceback__), where=f"comptoir {command or ''}".strip())
    log.error("unexpected error in comptoir %s\n%s", command or "-", report)
    path = report_file(report)
    where = (_t("le rapport est dans {path}").format(path=path) if path is not None
             else _t("aucun rapport n'a pu être écrit"))
    print("comptoir: " + _t("erreur inattendue ({error}) : la commande n'a pas abouti ; {where}").format(
        error=type(exc).__name__, where=where), file=sys.stderr)
    return EX_SOFTWARE


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    window = command_of(words) in (None, "gui") and not {"-h", "--help"} & set(words)
    # The help of every command is built in the terminal's language; the window's start reads the
    # settings for it only if it prints something (its help is never shown: no -h on that path).
    i18n.set_language(i18n.SOURCE_LANGUAGE if window else cli_language(words))
    parser = build_parser(("app.cli.gui",) if window else COMMAND_MODULES)
    if window:
        i18n.set_language(lambda: cli_language(words))
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        # No sub-command: open the counter window.
        argv = list(sys.argv[1:] if argv is None else argv)
        args = parser.parse_args([*argv, "gui"])
    start_logging()
    try:
        result = args.handler(args)
    except ComptoirError as exc:
        return refused(args.command, exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - a bug: reported, never a traceback on the terminal
        return crashed(args.command, exc)
    return int(result or 0)
