"""``comptoir gui`` (the default): open the counter window."""

from __future__ import annotations

import argparse

from app.config import settings_from_args


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("gui", help="ouvrir le comptoir (par défaut)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.logs import setup_logging

    settings = settings_from_args(args)
    setup_logging()
    from app.ui.main import run as run_ui  # Qt is imported only here

    return run_ui(settings)
