"""What is printed about a delivery, in French, independent of the page layout.

Why separate from the layouts: the mentions on the doctor's ordonnance and the patient's A4 copy
must say the same things (the mentions French practice requires); only their arrangement differs.
Every text here is plain (not yet made printable nor escaped).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.domain.billing import Bill
from app.domain.delivery import (
    Adjustment,
    AdjustmentKind,
    DeliveredItem,
    Delivery,
    DispenseStatus,
    LineDelivery,
    PharmacyIdentity,
    Substitution,
)
from app.domain.packs import product_label
from app.domain.prescription import PrescriptionLine
from app.eprescription.posology import amount
from app.printing.text import boxes, fr_date, fr_datetime, money

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


def item_text(item: DeliveredItem) -> str:
    """The product as printed: name, dosage, form and pack size ("TAHOR 20 mg, comprimé pelliculé —
    boîte de 28"), not the packaging material; a record written before the pack was kept prints its
    stored name."""
    if not item.speciality:
        return item.name
    return product_label(item.speciality, item.pack_quantity, item.pack_unit, item.pack_label)


def substitution_text(line: LineDelivery, substitution: Substitution) -> str:
    delivered = ", ".join(item_text(i) for i in line.items if i.quantity > 0) or "—"
    text = f"Substitution : {delivered} délivré pour {substitution.prescribed}"
    details = [_SUBSTITUTION_TYPES.get(substitution.type, substitution.type)]
    if substitution.reason:
        details.append(_SUBSTITUTION_REASONS.get(substitution.reason, substitution.reason))
    return f"{text} ({', '.join(d for d in details if d)})"


_CHANGED = {AdjustmentKind.PRODUCT: "Produit délivré", AdjustmentKind.QUANTITY: "Quantité délivrée"}


def adjustment_texts(adjustment: Adjustment) -> tuple[str, ...]:
    """An adjustment as printed: its reason, what changed (product, quantity; the posology has its own
    mention), and the prescriber's agreement with its date and time, or the legal basis used instead."""
    if adjustment.kind is AdjustmentKind.EXCEPTIONAL:  # art. L.5125-23-1 CSP: the mention, then who was told
        informed = f" le {fr_date(adjustment.informed_on)}" if adjustment.informed_on else ""
        return (adjustment.detail or "Dispensation supplémentaire exceptionnelle (art. L.5125-23-1 CSP)",
                f"Prescripteur informé : {adjustment.informed_means or 'moyen non précisé'}{informed}")
    text = f"Adaptation : {adjustment.reason_label}"
    if adjustment.comment:
        text += f" — {adjustment.comment}"
    out = [text]
    if adjustment.detail and adjustment.kind in _CHANGED:
        out.append(f"{_CHANGED[adjustment.kind]} : {adjustment.detail}")
    if adjustment.agreed:
        when = f" le {fr_date(adjustment.agreement_date)}" if adjustment.agreement_date else ""
        if adjustment.agreement_time is not None:
            when += f" à {adjustment.agreement_time.strftime('%H h %M')}"
        out.append(f"Accord du prescripteur : {adjustment.agreement_means}{when}")
    elif adjustment.legal_basis:
        out.append(f"Sans accord du prescripteur — fondement : {adjustment.legal_basis}")
    else:
        out.append("Sans accord du prescripteur")
    return tuple(out)


def bearer_text(delivery: Delivery) -> str | None:
    """The bearer who is not the patient, where the product asked it (art. R.5132-35 CSP)."""
    if delivery.bearer is None:
        return None
    return f"Porteur de l'ordonnance (autre que le patient) : {delivery.bearer.text()}"


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


def partial_text(line: LineDelivery) -> str | None:
    """"Fraction n° 2" for a fractioned delivery, "Délivrance partielle" when less than prescribed was
    handed over (something remains to deliver on the line), else None."""
    if not line.delivered:
        return None
    if line.fraction is not None:
        return f"Fraction n° {line.fraction}"
    return "Délivrance partielle" if line.partial else None


def registered(line: LineDelivery) -> bool:
    """Whether the line's ordonnancier number is printed: only for a product the register takes (liste
    I, liste II, stupéfiants: art. R.5132-10 CSP). A record that does not say (written before the
    list class was kept) prints the numbers it has."""
    classes = [i.register_class for i in line.items if i.quantity > 0]
    if any(c is None for c in classes) or not classes:
        return True
    return any(classes)


def line_text(line: LineDelivery) -> LineText:
    """The heading and mentions of one line, delivered or not."""
    mentions: list[str] = []
    if line.delivered:
        items = [i for i in line.items if i.quantity > 0]
        heading = item_text(items[0]) if len(items) == 1 else line.prescribed
        for item in items:
            prefix = "" if len(items) == 1 else f"{item_text(item)} — "
            mentions.append(f"{prefix}CIP13 {item.cip13} — Qté : {boxes(item.quantity)}")
        partial = partial_text(line)
        if partial:
            mentions.append(partial)
        if line.substitution is not None:
            mentions.append(substitution_text(line, line.substitution))
        if line.generic_refusal is not None:
            mentions.append(line.generic_refusal.summary)
        if line.prescribed_posology is not None:
            mentions.append(posology_text(line))
        for adjustment in line.all_adjustments:
            mentions.extend(adjustment_texts(adjustment))
        if line.ordonnancier_numbers and registered(line):
            mentions.append(ordonnancier_text(line.ordonnancier_numbers))
    else:
        heading = line.prescribed
        reason = line.decline_reason or _NOT_DELIVERED.get(line.status, line.status.value)
        mentions.append(f"Non délivré — motif : {reason}")
        for adjustment in line.all_adjustments:
            mentions.extend(adjustment_texts(adjustment))
    mentions.extend(remaining_texts(line))
    mentions.extend(f"Alerte levée : {o}" for o in line.overrides)
    return LineText(heading=heading, mentions=tuple(mentions), delivered=line.delivered)


def ordonnancier_text(numbers: tuple[int, ...]) -> str:
    label = "Ordonnancier n° " if len(numbers) == 1 else "Ordonnancier n°s "
    return label + ", ".join(str(n) for n in numbers)


def all_ordonnancier_numbers(delivery: Delivery) -> tuple[int, ...]:
    return tuple(n for line in delivery.lines if registered(line) for n in line.ordonnancier_numbers)


def _shares_text(bill: Bill) -> str:
    parts = [f"Assurance Maladie {money(bill.amo_cents)}"]
    if bill.amc_cents:
        parts.append(f"complémentaire {money(bill.amc_cents)}")
    parts.append(f"patient {money(bill.patient_cents)}")
    return f"Total {money(bill.total_cents)} : " + ", ".join(parts)


def box_fees_text(bill: Bill) -> str | None:
    """The per-box fees the prices include: "2 × HD 1,02 €, 1 × HG 2,76 €"."""
    counts: Counter[tuple[str, int]] = Counter()
    for line in bill.lines:
        if line.fee_code and line.fee_cents:
            counts[(line.fee_code, line.fee_cents)] += line.boxes
    if not counts:
        return None
    return ", ".join(f"{n} × {code} {money(cents)}" for (code, cents), n in sorted(counts.items()))


def bill_texts(delivery: Delivery) -> tuple[str, ...]:
    """The bill's summary as printed: totals and who pays them, the fees with their codes, what was
    paid at the counter, the franchise as information. Empty for a delivery not billed."""
    bill = delivery.bill
    invoice = f"Facture n° {delivery.invoice_number} — " if delivery.invoice_number else ""
    if bill is None:
        if delivery.total is None:
            return ()
        shares = [f"part AMO {money(int(delivery.amo_share * 100))}" if delivery.amo_share is not None else "",
                  f"part patient {money(int(delivery.patient_share * 100))}" if delivery.patient_share is not None else ""]
        return (invoice + f"Total {money(int(delivery.total * 100))}"
                + "".join(f" — {s}" for s in shares if s),)
    out = [invoice + _shares_text(bill)]
    if bill.fees:
        out.append("Honoraires : " + ", ".join(f"{fee.code} {money(fee.cents)}" for fee in bill.fees))
    boxes_fees = box_fees_text(bill)
    if boxes_fees:
        out.append(f"Honoraires à la boîte inclus dans les prix : {boxes_fees}")
    mode = "tiers payant" if bill.tiers_payant else "sans tiers payant"
    if bill.tiers_payant and any(not line.tiers_payant for line in bill.lines):
        mode = "tiers payant, sauf ligne(s) au princeps refusant le générique"
    out.append(f"Payé à la pharmacie : {money(bill.to_pay_cents)} ({mode})")
    franchise = bill.franchise
    if franchise is not None:
        if franchise.exempt:
            out.append(f"Franchise médicale : aucune ({franchise.exempt})")
        elif franchise.cents:
            out.append(f"Franchise médicale (pour information) : {money(franchise.cents)}, déduite plus tard de vos "
                       f"remboursements par l'Assurance Maladie (plafond {money(franchise.annual_cap_cents)} par an)")
    return tuple(out)


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
