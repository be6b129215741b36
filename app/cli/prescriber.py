"""``comptoir prescriber deliveries NUMBER``: the prescriber's side of the ordonnance numérique.

What the patient's leaflet promises: the prescriber who wrote an ordonnance can see what was handed
over for it — each line's product and boxes, or why it was not — and every adjustment the pharmacist
made, with its reason and the agreement or legal basis behind it (contract op 7, with a prescriber's
token). The service refuses when the patient objected to it; the command then says so in French and
exits non-zero, like any refusal of the service.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from app.cli.sandbox import prescriber_client, prescriber_identity_options
from app.domain.delivery import ADJUSTMENT_KIND_LABELS
from app.domain.identifiers import OrdonnanceNumber
from app.eprescription.client import number_of
from app.eprescription.dispense import GENERIC_REFUSED, AdjustmentRecord, DispenseRecord
from app.printing.text import boxes, fr_date, fr_datetime

_STATUS = {"completed": "délivrée", "declined": "non délivrée", "stopped": "arrêtée"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("prescriber", help="côté prescripteur : ce qui a été délivré pour une ordonnance")
    actions = parser.add_subparsers(dest="prescriber_command", metavar="ACTION", required=True)
    deliveries = actions.add_parser("deliveries", help="les délivrances d'une ordonnance et leurs adaptations")
    deliveries.add_argument("number", metavar="NUMBER", help="numéro de l'ordonnance numérique")
    prescriber_identity_options(deliveries)
    deliveries.set_defaults(handler=run_deliveries)


def adjustment_text(adj: AdjustmentRecord) -> str:
    """One adjustment as the prescriber reads it: what changed, the reason, the agreement or the basis."""
    kind = ADJUSTMENT_KIND_LABELS[adj.kind] if adj.kind is not None else "Adaptation"
    parts = [f"{kind} — motif : {adj.reason_label or adj.reason_code or 'non précisé'}"]
    if adj.detail:
        parts.append(adj.detail)
    if adj.informed_means:  # an exceptional dispensing: the prescriber informed, no agreement asked
        parts.append(f"prescripteur informé : {adj.informed_means}"
                     + (f" le {fr_date(adj.informed_on)}" if adj.informed_on else ""))
    elif adj.agreement_means:
        when = f" le {fr_date(adj.agreement_date)}" if adj.agreement_date else ""
        when += f" à {adj.agreement_time[:5]}" if adj.agreement_time else ""
        parts.append(f"accord du prescripteur : {adj.agreement_means}{when}")
    elif adj.legal_basis:
        parts.append(f"sans accord, fondement : {adj.legal_basis}")
    else:
        parts.append("sans accord du prescripteur")
    if adj.comment:
        parts.append(adj.comment)
    return " — ".join(parts)


def record_lines(record: DispenseRecord) -> list[str]:
    """One dispense: the line, what was handed over (or why not), when and where, its adjustments."""
    status = _STATUS.get(record.status, record.status)
    head = f"Ligne {record.line_id or '?'} — {status}"
    if record.status == "completed":
        head += f" : {record.medication}"
        if record.cip13:
            head += f" (CIP13 {record.cip13})"
        head += f", {boxes(record.quantity)}"
    elif record.decline_reason:
        head += f" : {record.medication} — motif : {record.decline_reason}"
    if record.handed_over_at is not None:
        head += f", le {fr_datetime(record.handed_over_at)}"
    if record.finess:
        head += f", pharmacie FINESS {record.finess}"
    if record.renewal_index:
        head += f", renouvellement n° {record.renewal_index}"
    out = [head]
    if record.substituted:
        out.append(f"  Substitution ({record.substitution_type or '?'}, motif {record.substitution_reason or '?'})")
    elif record.substitution_reason == GENERIC_REFUSED:
        out.append("  Générique refusé par le patient : le produit prescrit a été délivré")
    out += [f"  {adjustment_text(adj)}" for adj in record.adjustments]
    return out


def report(number: OrdonnanceNumber, records: Iterable[DispenseRecord]) -> list[str]:
    records = list(records)
    out = [f"Ordonnance n° {number.grouped()} : délivrances vues par le prescripteur"]
    if not records:
        return [*out, "Aucune délivrance enregistrée pour cette ordonnance."]
    for record in sorted(records, key=lambda r: (r.handed_over_at is None, r.handed_over_at, r.line_id or "")):
        out += record_lines(record)
    return out


def run_deliveries(args: argparse.Namespace) -> int:
    number = number_of(args.number, check=True)
    client, _rpps = prescriber_client(args)
    with client:
        records = client.deliveries(number)
    print("\n".join(report(number, records)))
    return 0
