"""``comptoir sandbox serve|token|load``: run the sandbox e-prescription service, mint its tokens,
and load prescription Bundles into it as a prescriber."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

from app.cli import log_refusal
from app.config import settings_from_args
from app.domain.errors import ComptoirError, ServiceError, ServiceUnavailable
from app.domain.identifiers import Finess, OrdonnanceNumber, Rpps
from app.eprescription.client import EPrescriptionClient
from app.i18n import _t, error_text
from app.sandbox.loader import bundle_files, complete_bundle, read_bundle
from app.sandbox.values import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS

# What the ``sandbox`` extra brings (``pip install 'comptoir[sandbox]'``): the server, not the store.
SANDBOX_EXTRA = ("starlette", "uvicorn")


def sandbox_module(name: str) -> ModuleType:
    """``app.sandbox.<name>``, or a French error when the server's extra is not installed (a
    pharmacy's installation has no sandbox service: the app itself runs without it)."""
    try:
        return importlib.import_module(f"app.sandbox.{name}")
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in SANDBOX_EXTRA:
            raise
        raise ComptoirError(_t("Service bac à sable non installé : il faut l'option « sandbox » "
                               "(pip install 'comptoir[sandbox]', ou « make run » depuis les sources)"),
                            detail=f"missing module {exc.name}") from exc


def demo_prescriber_rpps() -> str:
    return sandbox_module("testing").DEMO_PRESCRIBER_RPPS


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", dest="sandbox_db", metavar="URL",
                        help=_t("base du service bac à sable (défaut : sandbox.sqlite3 dans le dossier de données)"))


PRESCRIBER_TOKEN_ENV = "COMPTOIR_PRESCRIBER_TOKEN"


def token_in_arguments() -> str:
    return _t("--token n'est plus accepté : un jeton passé en argument est visible de tout programme du poste "
              "(liste des processus, historique du shell). Donnez-le par la variable {variable} ou sur l'entrée "
              "standard avec --token-stdin (sans l'un ni l'autre, un jeton est créé dans la base du service)"
              ).format(variable=PRESCRIBER_TOKEN_ENV)


def prescriber_options(parser: argparse.ArgumentParser) -> None:
    """What a command posting a prescription takes: who the prescriber is, and --keep-dates."""
    prescriber_identity_options(parser)
    parser.add_argument("--keep-dates", action="store_true",
                        help=_t("garder les dates du fichier (sinon l'ordonnance est datée d'aujourd'hui)"))


def prescriber_identity_options(parser: argparse.ArgumentParser) -> None:
    """The service, the prescriber's token (never an argument) and RPPS, the sandbox's database."""
    parser.add_argument("--url", help=_t("adresse du service (défaut : service.base_url des réglages)"))
    parser.add_argument("--token-stdin", action="store_true",
                        help=_t("lire le jeton prescripteur sur l'entrée standard (ou la variable {variable} ; "
                                "défaut : un jeton créé dans la base du service)").format(variable=PRESCRIBER_TOKEN_ENV))
    # Removed: kept only to say why and what to use instead (a token never goes in the arguments).
    parser.add_argument("--token", dest="token_argument", help=argparse.SUPPRESS)
    parser.add_argument("--rpps", help=_t("RPPS du prescripteur (défaut : démo)"))
    _db_option(parser)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sandbox", help=_t("service d'ordonnance numérique de démonstration"))
    actions = parser.add_subparsers(dest="sandbox_command", metavar="ACTION", required=True)

    serve = actions.add_parser("serve", help=_t("démarrer le service"))
    serve.add_argument("--host", default="127.0.0.1", help=_t("adresse d'écoute (défaut : 127.0.0.1)"))
    serve.add_argument("--port", type=int, default=8787, help=_t("port d'écoute (défaut : 8787)"))
    serve.add_argument("--tls-cert", metavar="PEM", help=_t("certificat du serveur (HTTPS)"))
    serve.add_argument("--tls-key", metavar="PEM", help=_t("clé privée du serveur (HTTPS)"))
    serve.add_argument("--client-ca", metavar="PEM", help=_t("exiger un certificat client signé par cette AC"))
    serve.add_argument("--exit-with-parent", action="store_true",
                       help=_t("s'arrêter quand l'entrée standard se ferme (lancé par « comptoir demo »)"))
    serve.add_argument("--rate", default=None, metavar=_t("N/UNITÉ"),
                       help=_t("requêtes permises par jeton (ex. 50/s, 600/min, off ; défaut : 2000/s), 429 au-delà"))
    _db_option(serve)
    serve.set_defaults(handler=run_serve)

    token = actions.add_parser("token", help=_t("créer un jeton d'accès (affiché une seule fois)"))
    who = token.add_mutually_exclusive_group(required=True)
    who.add_argument("--pharmacy", metavar="FINESS", help=_t("FINESS de la pharmacie"))
    who.add_argument("--prescriber", metavar="RPPS", help=_t("RPPS du prescripteur"))
    token.add_argument("--rpps", help=_t("RPPS du pharmacien ou préparateur (avec --pharmacy)"))
    token.add_argument("--role", choices=("pharmacist", "preparer"), default="pharmacist",
                       help=_t("rôle du porteur (avec --pharmacy ; défaut : pharmacist)"))
    token.add_argument("--days", type=int, default=None, metavar="N",
                       help=_t("durée de validité en jours (défaut : {default}, au plus {most})").format(
                           default=DEFAULT_TOKEN_DAYS, most=MAX_TOKEN_DAYS))
    _db_option(token)
    token.set_defaults(handler=run_token)

    revoke = actions.add_parser("revoke", help=_t("révoquer un jeton (lu sur l'entrée standard)"))
    _db_option(revoke)
    revoke.set_defaults(handler=run_revoke)

    load = actions.add_parser("load", help=_t("déposer des ordonnances (fichier ou dossier de Bundles FHIR)"))
    load.add_argument("path", metavar="FILE|DIR")
    prescriber_options(load)
    load.set_defaults(handler=run_load)


def sandbox_db(args: argparse.Namespace) -> str:
    return getattr(args, "sandbox_db", None) or sandbox_module("server").default_db_url()


def run_serve(args: argparse.Namespace) -> int:
    from app.logs import setup_logging
    from app.sandbox.ratelimit import DEFAULT_RATE, RateLimit

    server = sandbox_module("server")
    TlsOptions, serve = server.TlsOptions, server.serve

    setup_logging()
    rate_limit = RateLimit.parse(args.rate or DEFAULT_RATE)
    tls = None
    if args.tls_cert or args.tls_key or args.client_ca:
        if not (args.tls_cert and args.tls_key):
            raise ComptoirError(_t("HTTPS : --tls-cert et --tls-key sont requis ensemble"))
        for path in (args.tls_cert, args.tls_key, args.client_ca):
            if path and not Path(path).is_file():
                raise ComptoirError(_t("Fichier introuvable : {file}").format(file=path))
        tls = TlsOptions(args.tls_cert, args.tls_key, args.client_ca)
    scheme = "https" if tls else "http"

    def announce() -> None:
        print(_t("Service bac à sable sur {url} (Ctrl+C pour arrêter)").format(
            url=f"{scheme}://{args.host}:{args.port}/fhir"), flush=True)
        print(_t("Limite par jeton : {limit}").format(limit=rate_limit or _t("aucune")), flush=True)

    serve(sandbox_db(args), args.host, args.port, tls=tls, exit_on_stdin_eof=args.exit_with_parent,
          rate_limit=rate_limit, ready=announce)
    return 0


def mint(db_url: str, kind: str, rpps: str, finess: str | None = None, role: str | None = None,
         days: int = DEFAULT_TOKEN_DAYS) -> str:
    from app.sandbox.store import SandboxStore

    store = SandboxStore(db_url)
    try:
        return store.mint_token(kind, rpps, finess=finess, role=role, days=days)
    finally:
        store.close()


def run_token(args: argparse.Namespace) -> int:
    days = DEFAULT_TOKEN_DAYS if args.days is None else args.days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ComptoirError(_t("--days : durée de validité de 1 à {most} jours").format(most=MAX_TOKEN_DAYS))
    if args.pharmacy:
        if not args.rpps:
            raise ComptoirError(_t("--rpps est requis avec --pharmacy (RPPS du pharmacien ou du préparateur)"))
        print(mint(sandbox_db(args), "pharmacy", Rpps.parse(args.rpps), Finess.parse(args.pharmacy), args.role,
                   days=days))
    else:
        print(mint(sandbox_db(args), "prescriber", Rpps.parse(args.prescriber), days=days))
    print(_t("Jeton valable {days} jours, jusqu'au {day}").format(
        days=days, day=f"{datetime.now(UTC) + timedelta(days=days):%d/%m/%Y}"), file=sys.stderr)
    return 0


def token_from_stdin() -> str:
    """The first line of standard input, stripped; a French error when there is none."""
    line = sys.stdin.readline().strip()
    if not line:
        raise ComptoirError(_t("Aucun jeton reçu sur l'entrée standard"))
    return line


def run_revoke(args: argparse.Namespace) -> int:
    """Delete the token read on standard input (never an argument); a server running over that
    database refuses it within a few seconds (its cache of actors re-reads tokens)."""
    from app.sandbox.store import SandboxStore

    token = token_from_stdin()
    store = SandboxStore(sandbox_db(args))
    try:
        found = store.revoke_token(token)
    finally:
        store.close()
    if not found:
        raise ComptoirError(_t("Jeton inconnu de ce service : rien n'a été révoqué"))
    print(_t("Jeton révoqué"))
    return 0


def prescriber_client(args: argparse.Namespace) -> tuple[EPrescriptionClient, str]:
    """A client acting as the prescriber ``--rpps``. Its token comes from standard input
    (``--token-stdin``) or ``COMPTOIR_PRESCRIBER_TOKEN``, never from the arguments, which every
    program of the workstation can read; without either, one is minted in the sandbox's database.

    Not ``COMPTOIR_SERVICE_TOKEN`` nor the keyring: those hold the workstation's PHARMACY token
    (app.config), and posting a prescription with it would be refused (403)."""
    if getattr(args, "token_argument", None) is not None:
        raise ComptoirError(token_in_arguments())
    settings = settings_from_args(args)
    rpps = Rpps.parse(args.rpps or demo_prescriber_rpps())
    if args.token_stdin:
        token = token_from_stdin()
    else:
        token = os.environ.get(PRESCRIBER_TOKEN_ENV, "").strip() or mint(sandbox_db(args), "prescriber", rpps)
    url = args.url or settings.service.base_url
    return EPrescriptionClient(url, token, timeout=settings.service.timeout_s,
                               number_system=settings.service.number_system), rpps


def prepare_file(path: Path, rpps: str, *, keep_dates: bool = False) -> dict:
    """The Bundle of ``path`` completed for posting (see app.sandbox.loader); ComptoirError naming
    the file when it cannot be read or has an unexpected shape."""
    bundle = read_bundle(path)
    try:
        return complete_bundle(bundle, prescriber_rpps=rpps, keep_dates=keep_dates)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
        raise ComptoirError(_t("{file} : Bundle FHIR de forme inattendue, non envoyé").format(file=path.name),
                            detail=f"{exc.__class__.__name__}: {exc}") from exc


def post_bundle(client: EPrescriptionClient, bundle: dict) -> tuple[OrdonnanceNumber, dict]:
    """Post a prepared Bundle as the prescriber; an unreachable service says how to start it."""
    try:
        return client.submit_prescription(bundle)
    except ServiceUnavailable as exc:
        raise ComptoirError(_t("Service injoignable à {url} : lancez « comptoir sandbox serve »").format(
            url=client.base_url),
                            detail=exc.detail) from exc


def submit_file(client: EPrescriptionClient, path: Path, rpps: str, *,
                keep_dates: bool = False) -> tuple[OrdonnanceNumber, dict]:
    """Complete the Bundle of ``path`` and post it as the prescriber."""
    return post_bundle(client, prepare_file(path, rpps, keep_dates=keep_dates))


def run_load(args: argparse.Namespace) -> int:
    """Post every file; one that cannot be read or is refused is reported (its name and why) and
    the others are still posted; the exit code says whether any failed. An unreachable service
    stops the whole load (every later file would fail the same way)."""
    client, rpps = prescriber_client(args)
    failures = 0
    with client:
        for path in bundle_files(args.path):
            try:
                bundle = prepare_file(path, rpps, keep_dates=args.keep_dates)
            except ComptoirError as exc:  # unreadable file, not a Bundle ...
                log_refusal("sandbox load", exc)
                failures += 1
                print(f"{path.name}\t" + _t("ILLISIBLE : {error}").format(error=error_text(exc)))
                continue
            try:
                number, _ = post_bundle(client, bundle)
            except ServiceError as exc:
                if exc.retryable:
                    raise
                log_refusal("sandbox load", exc)
                failures += 1
                print(f"{path.name}\t" + _t("REFUSÉ : {error}").format(error=error_text(exc)))
                continue
            print(f"{path.name}\t{number}")
    if failures:
        files = _t("1 fichier non déposé") if failures == 1 else _t("%n fichiers non déposés", "", failures)
        print("comptoir: " + files, file=sys.stderr)
    return 1 if failures else 0
