"""What is printed about a delivery, in French, independent of the page layout.

Why separate from the layouts: the mentions on the doctor's ordonnance and the patient's A4 copy
must say the same things (the mentions French practice requires); only their arrangement differs.
Every text here is plain (not yet made printable nor escaped).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.delivery import (
    Adjustment,
    Delivery,
    DispenseStatus,
    LineDelivery,
    PharmacyIdentity,
    Substitution,
)
from app.domain.prescription import PrescriptionLine
from app.eprescription.posology import amount
from app.printing.text import boxes, fr_date, fr_datetime

_SUBSTITUTION_TYPES = {"G": "générique", "TE": "équivalent thérapeutique", "N": "aucune"}
_SUBSTITUTION_REASONS = {
    "CT": "continuité du traitement",
    "FP": "politique de l'officine",
    "OS": "rupture de stock",
    "RR": "règle réglementaire",
}
_NOT_DELIVERED = {
    DispenseStatus.DECLINED: "refusée",
    DispenseStatus.STOPPED: "arrêtée",
    DispenseStatus.CANCELLED: "annulée",
    DispenseStatus.ON_HOLD: "en attente",
    DispenseStatus.PREPARATION: "non remise",
    DispenseStatus.IN_PROGRESS: "non remise",
    DispenseStatus.COMPLETED: "rien à remettre",
}


@dataclass(frozen=True)
class LineText:
    """One prescription line as printed: a heading and the mentions under it."""

    heading: str
    mentions: tuple[str, ...]
    delivered: bool


def stamp_lines(pharmacy: PharmacyIdentity) -> tuple[str, ...]:
    """The pharmacy stamp: name, address, FINESS, phone."""
    lines = [pharmacy.name, pharmacy.address, f"FINESS : {pharmacy.finess}"]
    if pharmacy.phone:
        lines.append(f"Tél. : {pharmacy.phone}")
    return tuple(lines)


def substitution_text(line: LineDelivery, substitution: Substitution) -> str:
    delivered = ", ".join(i.name for i in line.items if i.quantity > 0) or "—"
    text = f"Substitution : {delivered} délivré pour {substitution.prescribed}"
    details = [_SUBSTITUTION_TYPES.get(substitution.type, substitution.type)]
    if substitution.reason:
        details.append(_SUBSTITUTION_REASONS.get(substitution.reason, substitution.reason))
    return f"{text} ({', '.join(d for d in details if d)})"


def adjustment_texts(adjustment: Adjustment) -> tuple[str, ...]:
    text = f"Adaptation : {adjustment.reason_label}"
    if adjustment.comment:
        text += f" — {adjustment.comment}"
    if adjustment.agreed:
        when = f" le {fr_date(adjustment.agreement_date)}" if adjustment.agreement_date else ""
        agreement = f"Accord du prescripteur : {adjustment.agreement_means}{when}"
    else:
        agreement = "Sans accord du prescripteur"
    return text, agreement


def posology_text(line: LineDelivery) -> str:
    """The posology the pharmacist adapted, next to the prescribed one: the annotated ordonnance must
    say what was handed over where it differs from what was prescribed (the reason follows it)."""
    return f"Posologie adaptée : {line.posology} (prescrite : {line.prescribed_posology or 'non précisée'})"


def remaining_texts(line: LineDelivery) -> tuple[str, ...]:
    out: list[str] = []
    if line.renewal_index:
        out.append(f"Renouvellement n° {line.renewal_index}")
    if line.remaining_quantity is not None:
        out.append("Reste à délivrer : " + (boxes(line.remaining_quantity) if line.remaining_quantity > 0
                                            else "aucun"))
    if line.remaining_renewals is not None:
        out.append(f"Renouvellement(s) restant(s) : {line.remaining_renewals}")
    return tuple(out)


def line_text(line: LineDelivery) -> LineText:
    """The heading and mentions of one line, delivered or not."""
    mentions: list[str] = []
    if line.delivered:
        items = [i for i in line.items if i.quantity > 0]
        heading = items[0].name if len(items) == 1 else line.prescribed
        for item in items:
            prefix = "" if len(items) == 1 else f"{item.name} — "
            mentions.append(f"{prefix}CIP13 {item.cip13} — Qté : {boxes(item.quantity)}")
        if line.substitution is not None:
            mentions.append(substitution_text(line, line.substitution))
        if line.prescribed_posology is not None:
            mentions.append(posology_text(line))
        if line.adjustment is not None:
            mentions.extend(adjustment_texts(line.adjustment))
        if line.ordonnancier_numbers:
            mentions.append(ordonnancier_text(line.ordonnancier_numbers))
    else:
        heading = line.prescribed
        reason = line.decline_reason or _NOT_DELIVERED.get(line.status, line.status.value)
        mentions.append(f"Non délivré — motif : {reason}")
        if line.adjustment is not None:
            mentions.extend(adjustment_texts(line.adjustment))
    mentions.extend(remaining_texts(line))
    mentions.extend(f"Alerte levée : {o}" for o in line.overrides)
    return LineText(heading=heading, mentions=tuple(mentions), delivered=line.delivered)


def ordonnancier_text(numbers: tuple[int, ...]) -> str:
    label = "Ordonnancier n° " if len(numbers) == 1 else "Ordonnancier n°s "
    return label + ", ".join(str(n) for n in numbers)


def all_ordonnancier_numbers(delivery: Delivery) -> tuple[int, ...]:
    return tuple(n for line in delivery.lines for n in line.ordonnancier_numbers)


def header_text(delivery: Delivery) -> str:
    return f"Délivré le {fr_datetime(delivery.handed_over_at)} — ordonnance n° {delivery.number.grouped()}"


def signature_text(delivery: Delivery) -> str:
    return f"Pharmacien : {delivery.pharmacist_name} (RPPS {delivery.pharmacist_rpps})"


def prescribed_facts(line: PrescriptionLine, *, explain_reason: bool = False) -> list[str]:
    """What the prescriber wrote about a line besides its posology, as every printout words it:
    duration, quantity, renewals, "non substituable" with its justification (spelled out when
    ``explain_reason``, as on the patient's copy)."""
    facts = []
    if line.duration is not None:
        facts.append(f"Durée : {line.duration}")
    if line.quantity is not None:
        facts.append(f"Quantité : {amount(line.quantity)}")
    if line.renewals:
        facts.append(f"À renouveler {line.renewals} fois")
    if not line.substitution_allowed:
        reason = line.non_substitution_reason
        if reason is None:
            facts.append("Non substituable" if explain_reason else "non substituable")
        elif explain_reason:
            facts.append(f"Non substituable ({reason.value} : {reason.label})")
        else:
            facts.append(f"non substituable ({reason.value})")
    return facts
