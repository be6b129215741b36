"""``comptoir prescribe FILE [--out ordonnance.pdf]``: create a prescription in the sandbox as a
prescriber and print its paper ordonnance with the QR code (demo and training)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.sandbox import prescriber_client, prescriber_options, submit_file
from app.domain.errors import ComptoirError, MalformedResponse
from app.eprescription.fhir_read import prescription_from_bundle
from app.i18n import _t, error_text
from app.printing.prescription_form import write_prescription_form
from app.private_files import private_dir
from app.sandbox.loader import file_reason


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("prescribe", help=_t("prescrire dans le bac à sable et imprimer l'ordonnance (PDF)"))
    parser.add_argument("file", metavar="FILE", help=_t("Bundle FHIR de la prescription (JSON)"))
    parser.add_argument("--out", default="ordonnance.pdf", help=_t("PDF à écrire (défaut : ordonnance.pdf)"))
    parser.add_argument("--paper", choices=("A4", "A5"), default="A4", help=_t("format du papier (défaut : A4)"))
    prescriber_options(parser)
    parser.set_defaults(handler=run)


def check_writable(out: Path) -> None:
    """Refuse an output the PDF could not be written to, BEFORE anything is prescribed: otherwise
    the prescription would exist in the service with no paper to hand the patient. Opening the file
    for appending is the only reliable test (permissions, read-only or virtual file systems)."""
    if out.is_dir():
        raise ComptoirError(_t("--out {file} est un dossier : indiquez le fichier PDF à écrire ; rien n'a été "
                               "prescrit").format(file=out))
    existed = out.exists()
    try:
        private_dir(out.parent)
        with out.open("ab"):
            pass
    except OSError as exc:
        raise ComptoirError(_t("Impossible d'écrire l'ordonnance dans {file} ({error}) ; rien n'a été prescrit")
                            .format(file=out, error=file_reason(exc)), detail=repr(exc)) from exc
    if not existed:
        out.unlink(missing_ok=True)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    check_writable(out)
    client, rpps = prescriber_client(args)
    with client:
        number, stored = submit_file(client, Path(args.file), rpps, keep_dates=args.keep_dates)
    try:
        prescription = prescription_from_bundle(stored, number)
    except MalformedResponse as exc:  # created, but the acknowledgement does not read back
        raise ComptoirError(_t("Ordonnance {number} créée dans le bac à sable, mais son accusé de réception est "
                               "illisible ({error}) : notez ce numéro ; aucun PDF écrit").format(number=number, error=error_text(exc)),
                            detail=exc.detail) from exc
    try:
        written = write_prescription_form(prescription, out, paper=args.paper)
    except OSError as exc:  # the disk filled up or the folder went away since the check
        raise ComptoirError(_t("Ordonnance {number} créée dans le bac à sable, mais son PDF n'a pas pu être "
                               "écrit dans {file} ({error}) : notez ce numéro").format(
                                   number=number, file=out, error=file_reason(exc)), detail=repr(exc)) from exc
    print(f"{number}\t{written}")
    return 0
