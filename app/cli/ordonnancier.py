"""``comptoir ordonnancier verify|export|close|correct|key`` and ``comptoir reprint``: the register and
past deliveries.

For inspections and the pharmacist's own checks, without opening the counter window. The register's
key travels between the pharmacy's workstations with ``key export`` (printed on standard output) and
``key import`` (read from standard input or typed without echo, never an argument: any user would see
it in ``ps``). What the key, the closings and ``verify`` protect against: app/storage/ordonnancier.py.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from app.cli.register_access import add_as_option, command_session, register_access, traced
from app.config import Settings, settings_from_args
from app.domain.audit import AuditAction
from app.domain.delivery import PharmacyIdentity
from app.domain.errors import ComptoirError
from app.domain.identifiers import OrdonnanceNumber
from app.domain.ordonnancier import Closing, OrdonnancierEntry, fr_day
from app.domain.team import Permission
from app.i18n import _t
from app.private_files import private_dir
from app.workflow.history import MENTIONS, PATIENT_COPY, reprint_path

# ``empreinte``: the entry's seal (HMAC with the pharmacy's key); ``cloture``: on the entry that was the
# register's head at the end of a day, that day (its closing), so an export carries each day's head.
CSV_COLUMNS = ("numero", "date_delivrance", "ordonnance", "patient", "date_naissance", "prescripteur",
               "rpps_prescripteur", "date_prescription", "produit", "cip13", "quantite", "pharmacien",
               "rpps_pharmacien", "rectifie", "motif", "inscrit_le", "empreinte", "adresse_prescripteur",
               "adresse_patient", "cloture", "liste", "porteur", "mention")


def parse_date(text: str) -> date:
    """``2026-11-26`` or ``26/11/2026``."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(_t("date invalide « {text} » (AAAA-MM-JJ ou JJ/MM/AAAA attendu)").format(text=text))


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("ordonnancier", help=_t("registre des délivrances (vérifier, exporter)"))
    actions = parser.add_subparsers(dest="ordonnancier_action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help=_t("vérifier l'intégrité du registre (sceaux, clôtures, ancrage, "
                                                  "archive, file d'envoi)"))
    verify.add_argument("--export", type=Path, action="append", default=[], metavar=_t("FICHIER.csv"),
                        help=_t("comparer aussi avec un export CSV antérieur (répétable)"))
    add_as_option(verify)
    verify.set_defaults(handler=run_verify)
    close = actions.add_parser("close", help=_t("clôturer les journées (tête du registre scellée, copiée dans le "
                                                "fichier d'ancrage)"))
    close.add_argument("--date", type=parse_date, metavar="DATE", help=_t("dernier jour à clôturer (défaut : aujourd'hui)"))
    add_as_option(close)
    close.set_defaults(handler=run_close)
    key = actions.add_parser("key", help=_t("clé du registre : la transmettre aux autres postes de la pharmacie"))
    key_actions = key.add_subparsers(dest="key_action", metavar="ACTION", required=True)
    key_export = key_actions.add_parser("export", help=_t("écrire la clé sur la sortie standard"))
    add_as_option(key_export)
    key_export.set_defaults(handler=run_key_export)
    key_actions.add_parser("import", help=_t("enregistrer la clé sur ce poste (lue sur l'entrée standard ou "
                                             "saisie sans écho)")).set_defaults(handler=run_key_import)
    for name, narcotics, about in (
            ("export", False, _t("exporter une période (contrôle)")),
            ("stupefiants", True, _t("exporter le registre des stupéfiants d'une période "
                                     "(délivrances de stupéfiants, porteur)"))):
        export = actions.add_parser(name, help=about)
        export.add_argument("--from", dest="start", type=parse_date, required=True, metavar="DATE")
        export.add_argument("--to", dest="end", type=parse_date, required=True, metavar="DATE")
        export.add_argument("--pdf", type=Path, metavar=_t("FICHIER"), help=_t("registre en PDF"))
        export.add_argument("--csv", type=Path, metavar=_t("FICHIER"),
                            help=_t("registre en CSV (sortie standard par défaut)"))
        add_as_option(export)
        export.set_defaults(handler=run_export, narcotics=narcotics)
    correct = actions.add_parser("correct", help=_t("rectifier une écriture (nouvelle écriture, jamais une modification)"))
    correct.add_argument("number", type=int, metavar=_t("NUMERO"), help=_t("numéro de l'écriture à rectifier"))
    correct.add_argument("--reason", required=True, metavar=_t("MOTIF"), help=_t("motif de la rectification"))
    correct.add_argument("--quantity", type=int, metavar="N", help=_t("quantité exacte (0 : annulation)"))
    correct.add_argument("--cip13", metavar="CIP13",
                         help=_t("produit réellement délivré (nom repris du catalogue, sinon --product)"))
    correct.add_argument("--product", metavar=_t("NOM"), help=_t("nom du produit réellement délivré"))
    add_as_option(correct)
    correct.set_defaults(handler=run_correct)

    reprint = sub.add_parser("reprint", help=_t("réimprimer une délivrance archivée"))
    reprint.add_argument("number", metavar=_t("NUMERO"), help=_t("numéro de l'ordonnance"))
    reprint.add_argument("--out", type=Path, metavar=_t("FICHIER.pdf"), help=_t("fichier PDF à écrire"))
    reprint.add_argument("--date", type=parse_date, metavar="DATE", help=_t("délivrance de ce jour (sinon la dernière)"))
    reprint.add_argument("--mentions", action="store_true",
                         help=_t("mentions à imprimer sur l'ordonnance papier au lieu de la copie A4"))
    reprint.set_defaults(handler=run_reprint)

    calibrate = sub.add_parser("calibrate", help=_t("page d'étalonnage de l'impression sur l'ordonnance"))
    calibrate.add_argument("--out", type=Path, metavar=_t("FICHIER.pdf"), help=_t("fichier PDF à écrire"))
    calibrate.set_defaults(handler=run_calibrate)

    history = sub.add_parser("history", help=_t("retrouver des délivrances archivées (numéro, patient, date)"))
    history.add_argument("--number", metavar=_t("NUMERO"), help=_t("numéro de l'ordonnance"))
    history.add_argument("--patient", metavar=_t("NOM"), help=_t("nom du patient (majuscules et accents indifférents)"))
    history.add_argument("--date", type=parse_date, metavar="DATE", help=_t("jour de la délivrance"))
    history.set_defaults(handler=run_history)


def finding_text(finding, checked: int) -> str:
    """A break of the register for the terminal (``describe`` keeps the French of the records); the
    reason itself is the core's French."""
    if finding.number is None:
        return f"{finding.reason}."
    before = min(checked, finding.number - 1)
    where = (_t("écriture n° {number} du {day}") if finding.on else _t("écriture n° {number}")).format(
        number=finding.number, day=fr_day(finding.on))
    return where + " — " + finding.reason + " " + _t("(%n écriture(s) intègre(s) avant elle).", "", before)


def _protection(settings: Settings):
    from app.storage.ordonnancier_keying import Protection

    return Protection.from_settings(settings)


def run_verify(args: argparse.Namespace) -> int:
    from app.storage.ordonnancier import verify_chain

    settings = settings_from_args(args)
    with register_access(args, settings, Permission.EXPORT_REGISTERS, AuditAction.REGISTER_VERIFY,
                         details={"exports": len(args.export)}) as command:
        result = verify_chain(command.session, protection=_protection(settings), exports=args.export)
    if result.ok:
        print(_t("Ordonnancier intègre : %n écriture(s) vérifiée(s).", "", result.checked))
        print("  " + _t("Comparé avec : {notes}.").format(notes=" ; ".join(result.notes)))
        return 0
    print(_t("Ordonnancier altéré : {finding}").format(finding=finding_text(result.first, result.checked)),
          file=sys.stderr)
    for finding in result.findings[1:]:
        print("  - " + _t("aussi : {finding}").format(finding=finding_text(finding, result.checked)),
              file=sys.stderr)
    return 1


def run_close(args: argparse.Namespace) -> int:
    from app.storage.ordonnancier import close_days

    settings = settings_from_args(args)
    protection = _protection(settings)
    with register_access(args, settings, Permission.KEEP_REGISTER, AuditAction.REGISTER_CLOSE,
                         details={"through": args.date.isoformat() if args.date else "today"}) as command:
        closings = close_days(command.session, args.date, protection=protection)
    if not closings:
        print(_t("Rien à clôturer : aucune écriture nouvelle depuis la dernière clôture."))
    for c in closings:
        print(_t("Journée du {day} clôturée : dernière écriture n° {number}, sceau {seal} (copié dans {file}).")
              .format(day=c.day.strftime("%d/%m/%Y"), number=c.number, seal=c.head, file=protection.anchors.path))
    return 0


def _sealed_start(session: Session):
    """What names the pharmacy's key: the register's sealed switch, else the audit trail's start (the
    key is then the one ``comptoir server init`` created, before any delivery)."""
    from app.storage.keyed_chain import RegisterTampered, read_trail_keying
    from app.storage.ordonnancier_read import read_keying

    start = read_keying(session)
    if start is None:
        raise RegisterTampered(_t("Ordonnancier altéré : le point de départ de la clé a disparu "
                                  "(comptoir ordonnancier verify)"))
    if not start.sealed:
        trail = read_trail_keying(session)
        if trail is not None:
            return trail
        raise ComptoirError(_t("Le registre n'a pas encore de clé : elle est créée à la première délivrance "
                               "inscrite ; exportez-la ensuite depuis ce poste-là"))
    return start


def run_key_export(args: argparse.Namespace) -> int:
    from app.domain.ordonnancier import key_to_text
    from app.storage.ordonnancier_keying import missing_key

    settings = settings_from_args(args)
    with command_session(settings) as session:
        start = _sealed_start(session)
    key = _protection(settings).keys.load(start.key_id or "")
    if key is None:
        raise missing_key(start)
    # The key seals the register, the trail and the PINs: the titulaire's to hand out, traced before shown.
    with register_access(args, settings, Permission.MANAGE_USERS, AuditAction.KEY_EXPORT, object_ref=start.key_id):
        text = key_to_text(key)
    print(text)
    print(_t("Clé du registre : importez-la sur chaque poste de la pharmacie (comptoir ordonnancier key import) "
             "puis effacez toute copie ; qui la détient avec la base peut resceller le registre."), file=sys.stderr)
    return 0


def _read_secret(prompt: str) -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.read() if sys.stdin is not None else ""


def run_key_import(args: argparse.Namespace) -> int:
    from app.domain.ordonnancier import key_from_text, key_id, same

    key = key_from_text(_read_secret(_t("Clé du registre (saisie masquée) : ")))
    settings = settings_from_args(args)
    with command_session(settings) as session:
        start = _sealed_start(session)
    if key_id(key) != start.key_id or not same(start.compute_mac(key), start.mac):
        raise ComptoirError(_t("Cette clé ({key}) n'est pas celle du registre de cette base ({register}) : "
                               "rien n'a été enregistré").format(key=key_id(key), register=start.key_id))
    where = _protection(settings).keys.save(key_id(key), key)
    print(_t("Clé du registre enregistrée sur ce poste : {file}.").format(file=where))
    return 0


def _csv_row(e: OrdonnancierEntry, closed: dict[int, list[Closing]]) -> list[object]:
    return [e.number, e.delivered_on.isoformat(), e.ordonnance_number, e.patient_name,
            e.patient_birth_date.isoformat() if e.patient_birth_date else "", e.prescriber_name,
            e.prescriber_rpps, e.prescription_date.isoformat(), e.product_name, e.cip13, e.quantity,
            e.pharmacist_name, e.pharmacist_rpps, e.corrects or "", e.reason, e.recorded_at.isoformat(), e.hash,
            e.prescriber_address, e.patient_address,
            " ".join(sorted({c.day.isoformat() for c in closed.get(e.number, ())})), e.list_class, e.bearer,
            e.mention]


def write_csv(entries: list[OrdonnancierEntry], out: io.TextIOBase, closings: list[Closing] = ()) -> None:
    """Semicolon-separated, as French spreadsheets expect."""
    closed: dict[int, list[Closing]] = {}
    for c in closings:
        closed.setdefault(c.number, []).append(c)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(e, closed) for e in entries)


def _to_file(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write what ``write`` produces to ``path``, readable by its owner only (mode 0600).

    Registers and reprints name patients, their birth dates and addresses: on a shared counter
    computer, other accounts must not read them. The bytes are built first, then written to a
    temporary file created 0600 and renamed over ``path``: a failure leaves any previous file intact.
    """
    buffer = io.BytesIO()
    write(buffer)
    tmp: str | None = None
    try:
        private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(buffer.getvalue())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise ComptoirError(_t("Impossible d'écrire {file} : {error}").format(file=path, error=exc.strerror or exc)) from exc


def run_export(args: argparse.Namespace) -> int:
    """``export`` (the ordonnancier) and ``stupefiants`` (its stupéfiant entries, with the bearer), each as
    PDF and/or CSV."""
    from app.printing.register import narcotic_entries, render_ordonnancier, render_stupefiants
    from app.storage.ordonnancier_read import closings_between, entries_between

    narcotics = args.narcotics
    settings = settings_from_args(args)
    formats = [name for name, wanted in (("pdf", args.pdf), ("csv", args.csv)) if wanted] or ["csv-stdout"]
    with register_access(args, settings, Permission.EXPORT_REGISTERS, AuditAction.EXPORT,
                         object_ref="stupefiants" if narcotics else "ordonnancier",
                         details={"from": args.start.isoformat(), "to": args.end.isoformat(),
                                  "formats": formats}) as command:
        entries = entries_between(command.session, args.start, args.end)
        closings = closings_between(command.session, args.start, args.end)
    if narcotics:
        entries, closings = narcotic_entries(entries), []
    what = (_t("%n écriture(s) de stupéfiant exportée(s) en {format} : {file}", "", len(entries)) if narcotics
            else _t("%n écriture(s) exportée(s) en {format} : {file}", "", len(entries)))
    if args.pdf:
        p = settings.pharmacy
        pharmacy = PharmacyIdentity(p.name, p.address, p.finess, p.phone)
        if narcotics:
            _to_file(args.pdf, lambda out: render_stupefiants(entries, out, pharmacy=pharmacy, start=args.start,
                                                              end=args.end))
        else:
            _to_file(args.pdf, lambda out: render_ordonnancier(entries, out, pharmacy=pharmacy, start=args.start,
                                                               end=args.end, closings=closings))
        print(what.format(format="PDF", file=args.pdf))
    if args.csv:
        def save(out: BinaryIO) -> None:
            text = io.StringIO(newline="")
            write_csv(entries, text, closings)
            out.write(text.getvalue().encode("utf-8-sig"))

        _to_file(args.csv, save)
        print(what.format(format="CSV", file=args.csv))
    if not args.pdf and not args.csv:
        write_csv(entries, sys.stdout, closings)
    return 0


def run_reprint(args: argparse.Namespace) -> int:
    from app.printing import render_delivery_notes, render_patient_copy
    from app.storage.delivery_archive import (
        DeliveryNotFound,
        find_deliveries,
        load_delivery,
        load_prescription,
    )

    number = OrdonnanceNumber.parse(args.number)
    settings = settings_from_args(args)
    # nobody signs in to reprint: the workstation is named in the trace
    with traced(settings, None, AuditAction.REPRINT, protection=_protection(settings), object_ref=str(number),
                details={"kind": "mentions" if args.mentions else "copie"}) as command:
        found = find_deliveries(command.session, number=number, on=args.date)
        if not found:
            raise DeliveryNotFound((_t("Aucune délivrance archivée pour l'ordonnance n° {number} le {day}") if args.date
                                    else _t("Aucune délivrance archivée pour l'ordonnance n° {number}")).format(
                number=number.grouped(), day=args.date.strftime("%d/%m/%Y") if args.date else ""))
        delivery = load_delivery(command.session, found[0].delivery_id)
        prescription = load_prescription(command.session, found[0].delivery_id)
        command.details["delivery"] = delivery.delivery_id
    out = args.out or reprint_path(settings.pdf_dir, delivery, MENTIONS if args.mentions else PATIENT_COPY)
    if args.mentions:
        _to_file(out, lambda buf: render_delivery_notes(delivery, settings.printer, buf))
    else:
        _to_file(out, lambda buf: render_patient_copy(delivery, prescription, buf))
    others = " " + _t("(%n autre(s) délivrance(s) de cette ordonnance : --date)", "", len(found) - 1) if len(found) > 1 else ""
    print(_t("Délivrance du {day} réimprimée : {file}").format(day=delivery.handed_over_at.strftime("%d/%m/%Y"),
                                                             file=out) + others)
    return 0


def run_history(args: argparse.Namespace) -> int:
    from app.storage.delivery_archive import find_deliveries

    if not (args.number or args.patient or args.date):
        raise ComptoirError(_t("Indiquez au moins un critère : --number, --patient ou --date"))
    number = OrdonnanceNumber.parse(args.number) if args.number else None
    with command_session(settings_from_args(args)) as session:
        found = find_deliveries(session, number=number, patient=args.patient, on=args.date)
    if not found:
        print(_t("Aucune délivrance trouvée."))
        return 1
    for hit in found:
        grouped = OrdonnanceNumber(hit.ordonnance_number).grouped()
        print(f"{hit.handed_over_at.strftime('%d/%m/%Y %H:%M')}  {grouped}  {hit.patient_name}")
    return 0


def run_calibrate(args: argparse.Namespace) -> int:
    from app.printing import render_calibration_page

    settings = settings_from_args(args)
    out = args.out or settings.pdf_dir / "etalonnage.pdf"
    _to_file(out, lambda buf: render_calibration_page(settings.printer, buf))
    print(_t("Page d'étalonnage ({paper}) : {file}").format(paper=settings.printer.paper, file=out))
    return 0


def _catalogue_name(session: Session, cip13: str) -> str:
    """The catalogue's name for ``cip13``: a corrected CIP13 must not keep the old product's name."""
    from sqlalchemy.orm import sessionmaker

    from app.catalogue.service import Catalogue

    catalogue = Catalogue(sessionmaker(bind=session.get_bind()))
    if not catalogue.is_loaded():
        raise ComptoirError(_t("Rectification refusée : catalogue non importé, le CIP13 {cip13} ne peut pas "
                               "être vérifié ; indiquez le nom du produit avec --product").format(cip13=cip13))
    found = catalogue.by_cip13(cip13)
    if found is None:
        raise ComptoirError(_t("Rectification refusée : CIP13 {cip13} inconnu du catalogue ; vérifiez le code "
                               "ou indiquez le nom du produit avec --product").format(cip13=cip13))
    return found.name


def run_correct(args: argparse.Namespace) -> int:
    from app.domain.identifiers import Cip13
    from app.storage.ordonnancier import append_correction

    cip13 = Cip13.parse(args.cip13) if args.cip13 else None
    settings = settings_from_args(args)
    with register_access(args, settings, Permission.KEEP_REGISTER, AuditAction.REGISTER_CORRECT,
                         object_ref=str(args.number)) as command:
        session, actor = command.session, command.actor
        product = args.product.strip() if args.product else None
        if cip13 is not None and not product:
            product = _catalogue_name(session, str(cip13))
        number = append_correction(session, args.number, reason=args.reason, quantity=args.quantity,
                                   cip13=cip13, product_name=product,
                                   pharmacist_name=actor.display_name if actor else settings.pharmacy.pharmacist_name,
                                   pharmacist_rpps=(actor.rpps or "") if actor else settings.pharmacy.pharmacist_rpps,
                                   protection=_protection(settings))
    print(_t("Écriture n° {number} inscrite : rectifie le n° {corrected}.").format(number=number, corrected=args.number))
    return 0
