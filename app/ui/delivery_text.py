"""A delivery's adjustments and mentions as the UI shows them, in the UI's language.

Why not the printouts' text (:mod:`app.printing.content`): what is printed and recorded stays French
(the ordonnance, the register, the service); the screens render the same facts from the recorded
values — reasons and legal bases by their code, the means of agreement through its table, what changed
from the quantities, products and posologies the line holds. In French the screens show the printed
mentions as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from PySide6.QtCore import QLocale

from app.domain.adjustments import legal_basis_by_code, reason_by_code
from app.domain.delivery import Adjustment, AdjustmentKind, DispenseStatus, LineDelivery
from app.domain.dispensing import read_quantity_detail
from app.domain.findings import _RULE_CODES
from app.domain.records import Means
from app.printing.content import registered
from app.ui import formatting
from app.ui.i18n import _t, box_count, shown_label, status_label

K = AdjustmentKind

# The means of agreement as the counter read them (a table of the database, read off the GUI thread at
# start): an adjustment records the French label; the English UI shows the row's English one.
_means: dict[str, Means] = {}


def remember_means(means: Sequence[Means]) -> None:
    """Keep the means of agreement table (GUI thread, replaced whole)."""
    global _means
    _means = {m.label: m for m in means}


def english() -> bool:
    return QLocale().language() == QLocale.Language.English


def reason_text(adj: Adjustment) -> str:
    """The reason, by its code in the reasons table; the recorded label for a code it does not know."""
    reason = reason_by_code(adj.reason_code) if english() else None
    return shown_label(reason) if reason is not None else adj.reason_label


def means_text(label: str | None) -> str:
    means = _means.get(label or "") if english() else None
    return shown_label(means) if means is not None else (label or "")


def legal_basis_text(adj: Adjustment) -> str:
    basis = legal_basis_by_code(adj.legal_basis_code) if adj.legal_basis_code and english() else None
    return shown_label(basis) if basis is not None else (adj.legal_basis or "")


def _when(on: date | None, at: time | None) -> str:
    if on is None:
        return ""
    if at is None:
        return _t("le %1").replace("%1", formatting.day(on))
    return _t("le %1 à %2").replace("%1", formatting.day(on)).replace("%2", at.strftime("%H:%M"))


def agreement_text(adj: Adjustment) -> str:
    """The prescriber's agreement (its means and date), the legal basis used instead, or neither; for
    an exceptional dispensing (art. L.5125-23-1 CSP) the prescriber informed, not agreeing."""
    if adj.informed_means:
        return _t("prescripteur informé : %1 le %2").replace("%1", means_text(adj.informed_means)).replace(
            "%2", formatting.day(adj.informed_on))
    if adj.agreed:
        return _t("accord %1 le %2").replace("%1", means_text(adj.agreement_means)).replace(
            "%2", formatting.day(adj.agreement_date))
    if adj.legal_basis:
        return legal_basis_text(adj)
    return _t("sans accord")


def quantity_change(quantity: int, proposed: int | None) -> str:
    """"3 boîte(s) au lieu de 2" in the UI's language."""
    if proposed is None:
        return _t("%1 boîte(s)").replace("%1", str(quantity))
    return _t("%1 boîte(s) au lieu de %2").replace("%1", str(quantity)).replace("%2", str(proposed))


def product_change(product: str, prescribed: str) -> str:
    return _t("%1 au lieu de « %2 »").replace("%1", product).replace("%2", prescribed)


def posology_change(posology: str, prescribed: str | None) -> str:
    return _t("« %1 » au lieu de « %2 »").replace("%1", posology).replace("%2", prescribed or _t("non précisée"))


def recorded_detail(adj: Adjustment) -> str:
    """What changed, from the recorded detail's values (a quantity adjustment) — in French as recorded."""
    if not english() or not adj.detail:
        return adj.detail
    if adj.kind is K.QUANTITY:
        read = read_quantity_detail(adj.detail)
        if read is not None:
            return quantity_change(*read)
    return adj.detail


def adjustment_line(adj: Adjustment, detail: str) -> str:
    """One adjustment in a line: its reason (and the agreement), what changed, the comment."""
    return " — ".join(part for part in (f"{reason_text(adj)} ({agreement_text(adj)})", detail, adj.comment) if part)


# --- a recorded line's mentions ---------------------------------------------------------------------

def _substitution_words(s) -> list[str]:
    """The substitution's type and reason by their codes (FHIR v3), as the printout says them."""
    types = {"G": _t("générique"), "TE": _t("équivalent thérapeutique"), "N": _t("aucune")}
    reasons = {"CT": _t("continuité du traitement"), "FP": _t("politique de l'officine"),
               "OS": _t("rupture de stock"), "RR": _t("règle réglementaire")}
    words = [types.get(s.type, s.type)]
    if s.reason:
        words.append(reasons.get(s.reason, s.reason))
    return [w for w in words if w]


def adjustment_mentions(adj: Adjustment, line: LineDelivery) -> list[str]:
    """An adjustment as the printout says it (reason, what changed, agreement), in the UI's language."""
    text = _t("Adaptation : %1").replace("%1", reason_text(adj))
    if adj.comment:
        text += f" — {adj.comment}"
    out = [text]
    if adj.detail and adj.kind is K.PRODUCT:
        delivered = ", ".join(i.name for i in line.items if i.quantity > 0)
        out.append(_t("Produit délivré : %1").replace("%1", product_change(delivered, line.prescribed)
                                                      if delivered else adj.detail))
    elif adj.detail and adj.kind is K.QUANTITY:
        out.append(_t("Quantité délivrée : %1").replace("%1", recorded_detail(adj)))
    if adj.agreed:
        when = _when(adj.agreement_date, adj.agreement_time)
        out.append(_t("Accord du prescripteur : %1 %2").replace("%1", means_text(adj.agreement_means))
                   .replace("%2", when).strip())
    elif adj.legal_basis:
        out.append(_t("Sans accord du prescripteur — fondement : %1").replace("%1", legal_basis_text(adj)))
    else:
        out.append(_t("Sans accord du prescripteur"))
    return out


def _not_delivered(line: LineDelivery) -> str:
    declined = next((a for a in line.all_adjustments if a.kind is K.NOT_DELIVERED), None)
    if declined is not None:
        return reason_text(declined) + (f" — {declined.comment}" if declined.comment else "")
    if line.status is DispenseStatus.COMPLETED:
        return _t("rien à remettre")
    if line.status in (DispenseStatus.PREPARATION, DispenseStatus.IN_PROGRESS):
        return _t("non remise")
    return status_label(line.status)


def line_mentions(line: LineDelivery, printed: Sequence[str]) -> list[str]:
    """A recorded line's mentions in the UI's language: ``printed`` (the printout's French) as they
    are in French; in English rendered from the line's values, in the printout's order."""
    if not english():
        return list(printed)
    out: list[str] = []
    if line.delivered:
        items = [i for i in line.items if i.quantity > 0]
        for item in items:
            prefix = "" if len(items) == 1 else f"{item.name} — "
            out.append(prefix + _t("CIP13 %1 — Qté : %2").replace("%1", item.cip13)
                       .replace("%2", box_count(item.quantity)))
        if line.fraction is not None:
            out.append(_t("Fraction n° %1").replace("%1", str(line.fraction)))
        elif line.partial:
            out.append(_t("Délivrance partielle"))
        if line.substitution is not None:
            out.append(_t("Substitution : %1 délivré pour %2 (%3)")
                       .replace("%1", ", ".join(i.name for i in items) or "—")
                       .replace("%2", line.substitution.prescribed)
                       .replace("%3", ", ".join(_substitution_words(line.substitution))))
        if line.generic_refusal is not None:
            out.append(_t("Refus du générique par le patient (tiers payant maintenu)") if line.generic_refusal.tiers_payant
                       else _t("Refus du générique par le patient (tiers payant suspendu)"))
        if line.prescribed_posology is not None:
            out.append(_t("Posologie adaptée : %1").replace("%1", posology_change(line.posology,
                                                                                 line.prescribed_posology)))
    else:
        out.append(_t("Non délivré — motif : %1").replace("%1", _not_delivered(line)))
    for adj in line.all_adjustments:
        out.extend(adjustment_mentions(adj, line))
    if line.delivered and line.ordonnancier_numbers and registered(line):
        numbers = ", ".join(str(n) for n in line.ordonnancier_numbers)
        out.append((_t("Ordonnancier n° %1") if len(line.ordonnancier_numbers) == 1 else _t("Ordonnancier n°s %1"))
                   .replace("%1", numbers))
    if line.renewal_index:
        out.append(_t("Renouvellement n° %1").replace("%1", str(line.renewal_index)))
    if line.remaining_quantity is not None:
        left = line.remaining_quantity
        out.append(_t("Reste à délivrer : %1").replace(
            "%1", (_t("%1 boîte") if left <= 1 else _t("%1 boîtes")).replace("%1", formatting.number(left))
            if left > 0 else _t("aucun")))
    if line.remaining_renewals is not None:
        out.append(_t("Renouvellement(s) restant(s) : %1").replace("%1", str(line.remaining_renewals)))
    for override in line.overrides:
        rule, _, reason = override.partition(" : ")
        out.append(_t("Alerte levée : %1 (%2)").replace("%1", _RULE_CODES.get(rule, rule)).replace("%2", reason))
    return out
