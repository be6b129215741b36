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
from app.cli.words import boxes_text
from app.domain.delivery import AdjustmentKind
from app.domain.identifiers import OrdonnanceNumber
from app.eprescription.client import number_of
from app.eprescription.dispense import GENERIC_REFUSED, AdjustmentRecord, DispenseRecord
from app.i18n import _t
from app.printing.text import fr_date, fr_datetime


def status_text(status: str) -> str:
    """A dispense's FHIR status as the prescriber reads it (an unknown one as the service sent it)."""
    return {"completed": _t("délivrée"), "declined": _t("non délivrée"), "stopped": _t("arrêtée")}.get(status, status)


def kind_text(kind: AdjustmentKind | None) -> str:
    """What an adjustment changed (the core's ``ADJUSTMENT_KIND_LABELS`` stay the records' French)."""
    return {AdjustmentKind.PRODUCT: _t("Produit"), AdjustmentKind.QUANTITY: _t("Quantité"),
            AdjustmentKind.POSOLOGY: _t("Posologie"), AdjustmentKind.NOT_DELIVERED: _t("Non délivré"),
            AdjustmentKind.EXCEPTIONAL: _t("Dispensation exceptionnelle")}.get(kind, _t("Adaptation"))


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("prescriber", help=_t("côté prescripteur : ce qui a été délivré pour une ordonnance"))
    actions = parser.add_subparsers(dest="prescriber_command", metavar="ACTION", required=True)
    deliveries = actions.add_parser("deliveries", help=_t("les délivrances d'une ordonnance et leurs adaptations"))
    deliveries.add_argument("number", metavar="NUMBER", help=_t("numéro de l'ordonnance numérique"))
    prescriber_identity_options(deliveries)
    deliveries.set_defaults(handler=run_deliveries)


def adjustment_text(adj: AdjustmentRecord) -> str:
    """One adjustment as the prescriber reads it: what changed, the reason, the agreement or the basis."""
    reason = adj.reason_label or adj.reason_code or _t("non précisé")
    parts = [kind_text(adj.kind) + " — " + _t("motif : {reason}").format(reason=reason)]
    if adj.detail:
        parts.append(adj.detail)
    if adj.informed_means:  # an exceptional dispensing: the prescriber informed, no agreement asked
        when = " " + _t("le {day}").format(day=fr_date(adj.informed_on)) if adj.informed_on else ""
        parts.append(_t("prescripteur informé : {means}").format(means=adj.informed_means) + when)
    elif adj.agreement_means:
        when = " " + _t("le {day}").format(day=fr_date(adj.agreement_date)) if adj.agreement_date else ""
        when += " " + _t("à {time}").format(time=adj.agreement_time[:5]) if adj.agreement_time else ""
        parts.append(_t("accord du prescripteur : {means}").format(means=adj.agreement_means) + when)
    elif adj.legal_basis:
        parts.append(_t("sans accord, fondement : {basis}").format(basis=adj.legal_basis))
    else:
        parts.append(_t("sans accord du prescripteur"))
    if adj.comment:
        parts.append(adj.comment)
    return " — ".join(parts)


def record_lines(record: DispenseRecord) -> list[str]:
    """One dispense: the line, what was handed over (or why not), when and where, its adjustments."""
    head = _t("Ligne {line} — {status}").format(line=record.line_id or "?", status=status_text(record.status))
    if record.status == "completed":
        head += f" : {record.medication}"
        if record.cip13:
            head += f" (CIP13 {record.cip13})"
        head += f", {boxes_text(record.quantity)}"
    elif record.decline_reason:
        head += f" : {record.medication} — " + _t("motif : {reason}").format(reason=record.decline_reason)
    if record.handed_over_at is not None:
        head += ", " + _t("le {day}").format(day=fr_datetime(record.handed_over_at))
    if record.finess:
        head += ", " + _t("pharmacie FINESS {finess}").format(finess=record.finess)
    if record.renewal_index:
        head += ", " + _t("renouvellement n° {index}").format(index=record.renewal_index)
    out = [head]
    if record.substituted:
        out.append("  " + _t("Substitution ({kind}, motif {reason})").format(
            kind=record.substitution_type or "?", reason=record.substitution_reason or "?"))
    elif record.substitution_reason == GENERIC_REFUSED:
        out.append("  " + _t("Générique refusé par le patient : le produit prescrit a été délivré"))
    out += [f"  {adjustment_text(adj)}" for adj in record.adjustments]
    return out


def report(number: OrdonnanceNumber, records: Iterable[DispenseRecord]) -> list[str]:
    records = list(records)
    out = [_t("Ordonnance n° {number} : délivrances vues par le prescripteur").format(number=number.grouped())]
    if not records:
        return [*out, _t("Aucune délivrance enregistrée pour cette ordonnance.")]
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
