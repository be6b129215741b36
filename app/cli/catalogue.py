"""``comptoir catalogue import|update|find|generics``: the drug catalogue from the command line.

``find`` and ``generics`` on a database without a catalogue first import the shipped release, as
the app does on first start. Bad input ends with a one-line message and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.catalogue import Catalogue, ensure_bundled_catalogue, import_release, update
from app.catalogue.guards import WITHDRAWAL_LIMIT
from app.config import settings_from_args
from app.domain.catalogue import Presentation
from app.domain.errors import CatalogueError, StorageError
from app.i18n import _t
from app.storage.db import open_database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("catalogue", help=_t("catalogue des médicaments (BDPM)"))
    commands = parser.add_subparsers(dest="catalogue_command", metavar="ACTION", required=True)

    def command(name: str, help_text: str, handler) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_text)
        # also accepted after the action, as in `comptoir catalogue find X --db URL`
        p.add_argument("--db", default=argparse.SUPPRESS, help=_t("URL SQLAlchemy de la base"))
        p.set_defaults(handler=handler)
        return p

    p = command("import", _t("importer ou mettre à jour depuis un dossier de fichiers ANSM"), run_import)
    p.add_argument("directory", metavar="DIR", type=Path)
    p.add_argument("--release", help=_t("nom de la version (par défaut : le nom du dossier)"))
    p.add_argument("--force", action="store_true",
                   help=_force_help())
    p = command("update", _t("télécharger la version courante de la BDPM (ANSM), montrer ce qu'elle "
                           "change, l'appliquer"), run_update)
    p.add_argument("--from", dest="source", metavar="URL|DIR",
                   help=_t("adresse sous laquelle chaque fichier est trouvé par son nom BDPM (CIS_bdpm.txt…), "
                           "ou dossier local ; par défaut le réglage [catalogue] base_url (ANSM)"))
    p.add_argument("--yes", action="store_true", help=_t("appliquer sans demander de confirmation"))
    p.add_argument("--force", action="store_true",
                   help=_force_help())
    p = command("find", _t("chercher par CIP13, CIP7, CIS ou nom"), run_find)
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--json", action="store_true", help=_t("sortie JSON"))
    p.add_argument("--limit", type=int, default=50, help=_t("au plus N présentations (défaut : 50)"))
    p = command("generics", _t("groupe générique d'un CIP13 ou d'un CIS"), run_generics)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--json", action="store_true", help=_t("sortie JSON"))


def _force_help() -> str:
    return _t("accepter une mise à jour qui retire plus de {percent} %% du catalogue en place").format(
        percent=f"{WITHDRAWAL_LIMIT * 100:.0f}")


def _database(args: argparse.Namespace) -> sessionmaker[Session]:
    settings = settings_from_args(args)
    try:
        _engine, factory = open_database(settings.db_url)
    except (SQLAlchemyError, ValueError) as exc:
        raise StorageError(_t("Base de données inaccessible : {url}").format(url=settings.db_url),
                           detail=str(exc)) from exc
    return factory


def _progress(done: int, total: int, message: str) -> None:
    width = 30
    filled = width * done // total
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {message:<40}", end="",
          file=sys.stderr, flush=True)
    if done == total:
        print(file=sys.stderr)


def _catalogue(args: argparse.Namespace) -> Catalogue:
    factory = _database(args)
    ensure_bundled_catalogue(factory, progress=_progress if sys.stderr.isatty() else None)
    return Catalogue(factory)


def run_import(args: argparse.Namespace) -> int:
    factory = _database(args)
    show_progress = sys.stderr.isatty()
    try:
        report = import_release(factory, args.directory, release=args.release, force=args.force,
                                progress=_progress if show_progress else None)
    except CatalogueError:
        if show_progress:  # the refusal goes below the unfinished progress bar, not after it
            print(file=sys.stderr)
        raise
    print("\n".join(report.summary_lines()))
    for change in report.price_changes[:20]:
        print("  " + _t("prix {cip13} {name} : {old} → {new} €").format(
            cip13=change.cip13, name=change.name[:50], old=change.old, new=change.new))
    return 0


def _confirm(question: str) -> bool:
    """The pharmacist's answer from the terminal; no terminal (or end of input) is a no."""
    try:
        answer = input(question)
    except EOFError:
        print(file=sys.stderr)
        return False
    return answer.strip().lower() in ("o", "oui", "y", "yes")  # French or English


def run_update(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    factory = _database(args)
    show_progress = sys.stderr.isatty()
    progress = _progress if show_progress else None
    ensure_bundled_catalogue(factory, progress=progress)
    source = args.source or settings.catalogue.base_url
    print(_t("Source : {source}").format(source=source), file=sys.stderr)
    try:
        fetched = update.fetch(source, settings.catalogue, progress=progress)
        if fetched.missing:
            print(_t("Absents de cette version (données actuelles conservées) : {files}").format(
                files=", ".join(fetched.missing)), file=sys.stderr)
        report = update.check(factory, fetched, progress=progress, force=args.force)
    except CatalogueError:
        if show_progress:
            print(file=sys.stderr)
        raise
    print("\n".join(update.report_lines(report)))
    if report.unchanged:
        update.mark_checked(factory, date.today())
        return 0
    if not args.yes and not _confirm(_t("Appliquer cette mise à jour ? [o/N] ")):
        print(_t("Mise à jour abandonnée : rien n'a été modifié."), file=sys.stderr)
        return 1
    applied = update.apply(factory, fetched, progress=progress, force=args.force)
    print("\n".join(applied.summary_lines()))
    return 0


def presentation_json(p: Presentation) -> dict:
    return {
        "cip13": p.cip13, "cip7": p.cip7, "cis": p.cis, "name": p.name, "label": p.label,
        "pack_quantity": None if p.pack_quantity is None else int(p.pack_quantity),
        "pack_unit": p.pack_unit, "price": None if p.price is None else float(p.price), "rate": p.rate,
        "conditions": sorted(f.value for f in p.flags), "active": p.active,
        "generic_group_id": p.generic_group_id,
        "generic_role": None if p.generic_role is None else p.generic_role.name.lower(),
    }


def _line(p: Presentation) -> str:
    price = f"{p.price:>8} €" if p.price is not None else "    —     "
    rate = f"{p.rate:>3} %" if p.rate is not None else "  —  "
    pack = f"{p.pack_quantity} {p.pack_unit}" if p.pack_quantity is not None else (p.label[:20])
    flags = ", ".join(sorted(f.value for f in p.flags))
    state = "" if p.active else " [" + _t("non commercialisé") + "]"
    return f"{p.cip13}  {p.name[:60]:<60}  {pack:<20} {price} {rate}  {flags}{state}"


def run_find(args: argparse.Namespace) -> int:
    if not args.query.strip():
        raise CatalogueError(_t("Recherche vide : tapez un code (CIP13, CIP7, CIS) ou un nom"))
    if args.limit < 1:
        raise CatalogueError(_t("--limit doit être au moins 1"))
    found = _catalogue(args).find(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([presentation_json(p) for p in found], ensure_ascii=False, indent=2))
    else:
        for p in found:
            print(_line(p))
    if not found:
        print(_t("Aucune présentation ne correspond à « {query} »").format(query=args.query), file=sys.stderr)
        return 1
    return 0


def run_generics(args: argparse.Namespace) -> int:
    group = _catalogue(args).generic_group(args.code)
    if group is None:
        if args.json:
            print("null")  # a script reading the JSON gets a value, not an empty stream
        print(_t("Aucun groupe générique pour « {code} »").format(code=args.code), file=sys.stderr)
        return 1

    def member(m) -> dict:
        return {"cis": m.cis, "name": m.name, "role": m.role.name.lower(), "order": m.sort_order}

    if args.json:
        print(json.dumps({"group_id": group.group_id, "label": group.label,
                          "princeps": [member(m) for m in group.princeps],
                          "generics": [member(m) for m in group.generics]}, ensure_ascii=False, indent=2))
        return 0
    print(_t("Groupe {id} : {label}").format(id=group.group_id, label=group.label))
    for title, members in ((_t("Princeps :"), group.princeps), (_t("Génériques :"), group.generics)):
        print(title)
        for m in members:
            role = "" if m.role.name in ("PRINCEPS", "GENERIC") else f" ({m.role.name.lower()})"
            name = m.name or _t("(spécialité absente de la base)")
            print(f"  {m.cis}  {name}{role}")
    return 0
