"""``comptoir gui`` (the default): open the counter window."""

from __future__ import annotations

import argparse

from app.config import settings_from_args
from app.i18n import _t

WORKSTATION_MODES = ("counter", "preparation")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("gui", help=_t("ouvrir le comptoir (par défaut)"))
    parser.add_argument("--workstation", choices=WORKSTATION_MODES, default=None,
                        help=_t("poste de comptoir ou de préparation (défaut : réglage workstation.mode)"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.logs import setup_logging

    settings = settings_from_args(args)
    if getattr(args, "workstation", None):
        settings.workstation.mode = args.workstation
    setup_logging()
    from app.ui.main import run as run_ui  # Qt is imported only here

    return run_ui(settings)
