"""``comptoir propose FILE|NUMBER [--on DATE] [--json]``: what the counter would propose for a
prescription — product, boxes and why per line, the alternatives, the rules' findings with their
codes, the bill — without claiming or recording anything.

The same code as the counter (:meth:`app.workflow.counter.Counter.propose`: the preparation of
:meth:`Counter.prepare` and the rules of :meth:`Counter.findings`), on this workstation's catalogue
and records. FILE is a prescriber's Bundle as ``comptoir sandbox load`` accepts it (dates moved to
today unless ``--keep-dates``; read as the service would serve it once submitted); NUMBER is fetched
from the service. Exit 0, or 1 when a finding blocks the delivery.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from app import i18n
from app.cli.words import boxes_text
from app.config import settings_from_args
from app.domain.errors import ComptoirError
from app.i18n import _t


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("propose", help=_t("ce que le comptoir proposerait pour une ordonnance (rien n'est "
                                               "réservé ni enregistré)"))
    parser.add_argument("source", metavar="FILE|NUMBER", help=_t("Bundle FHIR d'un prescripteur, ou numéro d'ordonnance"))
    parser.add_argument("--on", metavar="DATE", type=_day, help=_t("jour de la délivrance (AAAA-MM-JJ ; aujourd'hui "
                                                                   "par défaut)"))
    parser.add_argument("--json", action="store_true", help=_t("un objet JSON sur la sortie standard"))
    parser.add_argument("--keep-dates", action="store_true",
                        help=_t("FILE : garder les dates du fichier (sinon, l'ordonnance est datée d'aujourd'hui)"))
    parser.set_defaults(handler=run)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_t("date invalide « {text} » (AAAA-MM-JJ attendu)").format(text=text)) from None


def prescription_of_file(path: Path, *, keep_dates: bool, number_system: str):
    """The prescription of a prescriber's Bundle as the service would serve it once submitted."""
    from app.domain.identifiers import CROCKFORD_ALPHABET, SANDBOX_NUMBER_LENGTH, OrdonnanceNumber
    from app.eprescription.fhir_read import prescription_from_bundle
    from app.sandbox import intake
    from app.sandbox.dispensing import as_served
    from app.sandbox.errors import SandboxError
    from app.sandbox.loader import complete_bundle, read_bundle
    from app.sandbox.testing import DEMO_PRESCRIBER_RPPS

    bundle = read_bundle(path)
    try:
        bundle = complete_bundle(bundle, prescriber_rpps=DEMO_PRESCRIBER_RPPS, keep_dates=keep_dates)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
        raise ComptoirError(_t("{file} : Bundle FHIR de forme inattendue").format(file=path.name),
                            detail=repr(exc)) from exc
    rpps = next((str(i.get("value")) for e in bundle.get("entry") or [] if isinstance(e, dict)
                 for i in ((e.get("resource") or {}).get("identifier") or [])
                 if (e.get("resource") or {}).get("resourceType") == "Practitioner" and isinstance(i, dict)
                 and i.get("system") == _rpps_system() and i.get("value")), DEMO_PRESCRIBER_RPPS)
    number = OrdonnanceNumber.issue("".join(secrets.choice(CROCKFORD_ALPHABET)
                                            for _ in range(SANDBOX_NUMBER_LENGTH - 1)))
    try:
        prepared = intake.prepare(bundle, number=number, number_system=number_system, prescriber_rpps=rpps,
                                  now=datetime.now(UTC))
    except SandboxError as exc:
        raise ComptoirError(f"{path.name} : {exc}") from exc
    return prescription_from_bundle(as_served(prepared), number, number_system=number_system)


def _rpps_system() -> str:
    from app.eprescription import systems

    return systems.RPPS


def run(args: argparse.Namespace) -> int:
    from app.catalogue import Catalogue, ensure_bundled_catalogue
    from app.eprescription import EPrescriptionClient
    from app.storage.db import open_database
    from app.wiring import make_counter

    settings = settings_from_args(args)
    path = Path(args.source)
    engine, factory = open_database(settings.db_url)
    client = None
    try:
        ensure_bundled_catalogue(factory)
        from_file = path.suffix.lower() == ".json" or path.exists()
        if not from_file:
            client = EPrescriptionClient.from_settings(settings)
        counter = make_counter(settings, factory, Catalogue(factory), client)
        if from_file:
            prescription = prescription_of_file(path, keep_dates=args.keep_dates,
                                                number_system=settings.service.number_system)
        else:
            prescription = counter.client.fetch(str(counter.parse_number(args.source)))
        proposed = counter.propose(prescription, args.on)
    finally:
        if client is not None:
            client.close()
        engine.dispose()
    if args.json:
        json.dump(proposed.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(render(proposed))
    return 1 if proposed.blocked else 0


_MARKS = {"block": "✖", "warn": "⚠", "info": "ℹ"}


def render(proposed) -> str:
    """The proposal in the terminal's language, one block per line (the rules' findings through their
    English templates; the estimate's explanation and the notices are the core's French)."""
    out = []
    data = proposed.to_json()
    for proposal, line in zip(proposed.lines, data["lines"], strict=True):
        head = _t("Ligne {line} : ").format(line=line["line"])
        if line["done"]:
            out.append(head + _t("déjà entièrement délivrée"))
        elif line["set_aside"]:
            out.append(head + _t("hors de cette délivrance (voir les notes)"))
        elif line["proposed"] is None:
            out.append(head + _t("aucun produit trouvé dans la base des médicaments"))
        else:
            amount = boxes_text(line["boxes"])
            if line["days_covered"] is not None:
                amount += ", " + _t("{days} jours de traitement").format(days=line["days_covered"])
            out.append(f"{head}{line['proposed']['label']} ({line['proposed']['cip13']}) — {amount}")
            if line["why"]:
                out.append("  " + _t("pourquoi : {why}").format(why=line["why"]))
        for finding, shown in zip(proposal.findings, line["findings"], strict=True):
            text = i18n.finding_in(i18n.language(), finding)
            out.append(f"  {_MARKS[shown['severity']]} {shown['code']} : {text} ({shown['article']})")
        if line["alternatives"]:
            names = ", ".join(a["label"] for a in line["alternatives"][:3]) + (" …" if len(line["alternatives"]) > 3 else "")
            out.append("  " + _t("autres produits : {count} ({names})").format(count=len(line["alternatives"]),
                                                                              names=names))
    out += [_t("Note : {notice}").format(notice=n) for n in data["notices"]]
    bill = data["bill"]
    out.append(_t("Total : {total} € (part assurance maladie {amo} €)").format(
        total=f"{bill['total_cents'] / 100:.2f}", amo=f"{bill['amo_cents'] / 100:.2f}"))
    return "\n".join(out)
