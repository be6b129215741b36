"""The `comptoir` command line.

Each area registers its own sub-commands in a module of this package (`catalogue.py`, `sandbox.py`,
...) exposing ``register(subparsers)``; the modules are listed in ``COMMAND_MODULES`` and imported
lazily so that ``comptoir decode`` does not pay for Qt or the ASGI server.

Errors meant for the user are raised as :class:`app.domain.errors.ComptoirError` and printed as one
line on stderr with a non-zero exit code; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from app.cli import selftest
from app.domain.errors import ComptoirError

COMMAND_MODULES = (
    "app.cli.gui",
    "app.cli.catalogue",
    "app.cli.sandbox",
    "app.cli.prescribe",
    "app.cli.decode",
    "app.cli.ordonnancier",
    "app.cli.demo",
    "app.cli.outbox",
    "app.cli.config",
)

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="comptoir", description="Comptoir — comptoir de pharmacie")
    parser.add_argument("--config", help="settings file (TOML); default: the platform's config dir")
    parser.add_argument("--db", help="SQLAlchemy database URL (overrides settings)")
    parser.add_argument("--lang", choices=("fr", "en"), help="language of messages")
    selftest.add_flags(parser)  # --version, --self-test
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def start_logging() -> None:
    """Send every command's logs to the log file, so no English warning reaches the terminal.

    An unwritable log folder must not stop the command: one French line says so, and a null
    handler keeps Python's last-resort handler from printing the records on stderr instead.
    """
    from app.logs import setup_logging

    try:
        setup_logging()
    except OSError as exc:
        print(f"comptoir: journal non écrit ({exc.filename or ''} : {exc.strerror or exc}) ; "
              "la commande continue", file=sys.stderr)
        logging.getLogger().addHandler(logging.NullHandler())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        # No sub-command: open the counter window.
        argv = list(sys.argv[1:] if argv is None else argv)
        args = parser.parse_args([*argv, "gui"])
    start_logging()
    try:
        result = args.handler(args)
    except ComptoirError as exc:
        print(f"comptoir: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return int(result or 0)
