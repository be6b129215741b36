"""Starting a dispensing: refusing an unusable ordonnance up front, then preparing each line
(products proposed, boxes computed and capped by the rules, problems listed for the screen).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from app.domain.catalogue import Presentation
from app.domain.dispensing import Dispensing, Proposal
from app.domain.errors import ComptoirError
from app.domain.prescription import LineStatus, Prescription, PrescriptionStatus
from app.domain.quantities import compute_boxes
from app.domain.substitution import ChangeKind, non_substitution_text
from app.workflow.checks import History, capped_quantity, renewal_index
from app.workflow.ports import CataloguePort
from app.workflow.proposals import pack_info, proposals_for


class PrescriptionUnusable(ComptoirError):
    """Expired, cancelled or already fully delivered: nothing can be dispensed."""


def _nothing_left(prescription: Prescription) -> bool:
    for line in prescription.lines:
        if line.status is LineStatus.ACTIVE and (line.remaining_quantity is None or line.remaining_quantity > 0):
            return False
    return True


def refuse_if_unusable(prescription: Prescription, today: date) -> None:
    if prescription.status is PrescriptionStatus.CANCELLED:
        raise PrescriptionUnusable("Ordonnance annulée par le prescripteur : rien ne peut être délivré.")
    if prescription.status is PrescriptionStatus.EXPIRED:
        raise PrescriptionUnusable("Ordonnance expirée : rien ne peut être délivré.")
    if prescription.status is PrescriptionStatus.COMPLETED or _nothing_left(prescription):
        raise PrescriptionUnusable("Ordonnance déjà entièrement délivrée.")
    ends = [line.validity_end for line in prescription.lines if line.validity_end is not None]
    if ends and all(end < today for end in ends):
        raise PrescriptionUnusable(f"Ordonnance expirée depuis le {max(ends).strftime('%d/%m/%Y')}.")


def offer(d: Dispensing, line_id: str, products: list[tuple[Presentation, ChangeKind]], catalogue: CataloguePort,
          today: date, history: History, *, replace: bool = False) -> None:
    """Add ``products`` to a line's proposals, each with its computed and capped quantity."""
    line = d.prescribed(line_id)
    state = d.line(line_id)
    proposals = []
    strengths: dict = {}
    for product, kind in products:
        estimate = compute_boxes(line, pack_info(product, catalogue, strengths))
        quantity, why = capped_quantity(d, state, product, estimate, today, history)
        if quantity is not None and line.remaining_quantity is not None and 1 <= line.remaining_quantity < quantity:
            quantity = int(line.remaining_quantity)  # never propose more than remains
            why = f"il ne reste que {quantity} boîte(s) à délivrer"
        if why:
            estimate = dataclasses.replace(estimate, explanation=f"{estimate.explanation}. Proposé : {quantity} "
                                                     f"boîte{'s' if quantity > 1 else ''} — {why}")
        proposals.append(Proposal(product, kind, estimate, quantity))
    if replace:
        d.set_proposals(line_id, proposals)
    else:
        d.add_proposals(line_id, proposals)


def prepare(d: Dispensing, catalogue: CataloguePort, today: date, history: History) -> None:
    """Proposals for every line; lines with nothing to deliver are set aside with a notice."""
    rx = d.prescription
    d.renewal_index = max((renewal_index(line, history) for line in rx.lines), default=0)
    for line in rx.lines:
        text = line.medication.text
        if line.status is not LineStatus.ACTIVE:
            d.set_aside(line.line_id, f"« {text} » : ligne {line.status.value} sur le service, non délivrable.")
            continue
        if line.remaining_quantity is not None and line.remaining_quantity <= Decimal(0):
            d.set_aside(line.line_id, f"« {text} » : déjà entièrement délivrée.")
            continue
        if line.validity_end is not None and line.validity_end < today:
            d.set_aside(line.line_id, f"« {text} » : validité dépassée ({line.validity_end.strftime('%d/%m/%Y')}).")
            continue
        found = proposals_for(line, catalogue)
        offer(d, line.line_id, found, catalogue, today, history, replace=True)
        if not found:
            d.notices.append(f"« {text} » : introuvable dans la base des médicaments, recherchez le produit.")
        mention = non_substitution_text(line)
        if mention:
            d.notices.append(f"« {text} » : {mention}.")
