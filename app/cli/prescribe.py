"""``comptoir prescribe FILE [--out ordonnance.pdf]``: create a prescription in the sandbox as a
prescriber and print its paper ordonnance with the QR code (demo and training)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.sandbox import prescriber_client, prescriber_options, submit_file
from app.eprescription.fhir_read import prescription_from_bundle
from app.printing.prescription_form import write_prescription_form


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("prescribe", help="prescrire dans le bac à sable et imprimer l'ordonnance (PDF)")
    parser.add_argument("file", metavar="FILE", help="Bundle FHIR de la prescription (JSON)")
    parser.add_argument("--out", default="ordonnance.pdf", help="PDF à écrire (défaut : ordonnance.pdf)")
    parser.add_argument("--paper", choices=("A4", "A5"), default="A4")
    prescriber_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    client, rpps = prescriber_client(args)
    with client:
        number, stored = submit_file(client, Path(args.file), rpps, keep_dates=args.keep_dates)
    out = write_prescription_form(prescription_from_bundle(stored, number), args.out, paper=args.paper)
    print(f"{number}\t{out}")
    return 0
