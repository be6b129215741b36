"""Starting a dispensing: refusing an unusable ordonnance up front, then preparing each line
(products proposed, boxes computed and capped by the rules, problems listed for the screen).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date

from app.domain.catalogue import Presentation, Speciality
from app.domain.delivery import DispenseStatus
from app.domain.dispensing import Dispensing, Proposal
from app.domain.errors import ComptoirError, InvalidIdentifier
from app.domain.findings import Finding
from app.domain.line_plan import pack_of, plan_line, verdict_for
from app.domain.notices import Notice, line_finding
from app.domain.prescription import (
    LineStatus,
    MedicationKind,
    Prescription,
    PrescriptionLine,
    PrescriptionStatus,
)
from app.domain.quantities import THREE_MONTHS_DAYS, BoxEstimate, compute_boxes, quantity_in_units
from app.domain.renewal import prescribed_days
from app.domain.substitution import ChangeKind, non_substitution_text
from app.workflow.checks import History, already_delivered, line_context, renewal_index, specialities
from app.workflow.ports import CataloguePort
from app.workflow.proposals import prescribed_products, proposals_for


class PrescriptionUnusable(ComptoirError):
    """Expired, cancelled or already fully delivered: nothing can be dispensed."""


def _nothing_left(prescription: Prescription) -> bool:
    for line in prescription.lines:
        if line.status is LineStatus.ACTIVE and (line.remaining_quantity is None or line.remaining_quantity > 0):
            return False
    return True


def _may_continue(prescription: Prescription) -> bool:
    """A line of three months of treatment or more: its ordonnance, expired or delivered in full, may
    still be dispensed exceptionally (art. L.5125-23-1 CSP); the counter's rules decide per line."""
    return any((days := prescribed_days(line)) is not None and days >= THREE_MONTHS_DAYS for line in prescription.lines)


def refuse_if_unusable(prescription: Prescription, today: date) -> None:
    if prescription.status is PrescriptionStatus.CANCELLED:
        raise PrescriptionUnusable("Ordonnance annulée par le prescripteur : rien ne peut être délivré.",
                                   code="rx_cancelled")
    if _may_continue(prescription):
        return
    if prescription.status is PrescriptionStatus.EXPIRED:
        raise PrescriptionUnusable("Ordonnance expirée : rien ne peut être délivré.", code="rx_expired")
    if prescription.status is PrescriptionStatus.COMPLETED or _nothing_left(prescription):
        raise PrescriptionUnusable("Ordonnance déjà entièrement délivrée.", code="rx_delivered")
    ends = [line.validity_end for line in prescription.lines if line.validity_end is not None]
    if ends and all(end < today for end in ends):
        since = max(ends).strftime('%d/%m/%Y')
        raise PrescriptionUnusable(f"Ordonnance expirée depuis le {since}.", code="rx_expired_since", date=since)


def reference_box(line: PrescriptionLine, catalogue: CataloguePort) -> Presentation | None:
    """The box a presentation (CIP13) line names, when the catalogue knows it."""
    med = line.medication
    if med.kind is not MedicationKind.CIP13 or not med.code:
        return None
    try:
        return catalogue.by_cip13(med.code)
    except InvalidIdentifier:
        return None


def offer(d: Dispensing, line_id: str, products: list[tuple[Presentation, ChangeKind]], catalogue: CataloguePort,
          today: date, history: History, *, replace: bool = False,
          speciality: Callable[[str], Speciality | None] | None = None) -> None:
    """Add ``products`` to a line's proposals, each with the boxes the domain's plan proposes now
    (:func:`~app.domain.line_plan.plan_line`: the computed count within the rules, else the smallest
    pack, never 0) and why, in words. A box of another size than the one prescribed in boxes is
    counted from the prescribed units (:func:`~app.domain.quantities.quantity_in_units`)."""
    line = d.prescribed(line_id)
    ctx = line_context(d, line_id, today, history)
    speciality = speciality or specialities(catalogue)
    ref = reference_box(line, catalogue)
    in_units = quantity_in_units(line, pack_of(ref, speciality(ref.cis))) if ref is not None else line
    proposals = []
    for product, kind in products:
        counted = line if ref is None or product.pack_quantity == ref.pack_quantity else in_units
        plan = plan_line(counted, product, speciality(product.cis), ctx)
        estimate = dataclasses.replace(plan.proposal.need, explanation=plan.proposal.why)
        proposals.append(Proposal(product, kind, estimate, plan.proposal.boxes))
    if replace:
        d.set_proposals(line_id, proposals)
    else:
        d.add_proposals(line_id, proposals)


def _need(line: PrescriptionLine, named: list[Presentation], catalogue: CataloguePort,
          speciality: Callable[[str], Speciality | None]) -> BoxEstimate | None:
    """The need of the line counted on the box it names (or the first product it matches)."""
    ref = reference_box(line, catalogue) or (named[0] if named else None)
    if ref is None:
        return None
    pack = pack_of(ref, speciality(ref.cis))
    return compute_boxes(quantity_in_units(line, pack), pack)


def prepare(d: Dispensing, catalogue: CataloguePort, today: date, history: History, *,
            preferred_labs: Sequence[str] = ()) -> None:
    """Proposals for every line; a line delivered in full is shown as done, and lines with nothing
    to deliver otherwise are set aside with a notice."""
    rx = d.prescription
    d.renewal_index = max((renewal_index(line, history) for line in rx.lines), default=0)
    speciality = specialities(catalogue)
    refused: list[str | None] = []  # why an expired line may not be dispensed exceptionally
    expired_any = False
    for line in rx.lines:
        text = line.medication.text
        if line.status not in (LineStatus.ACTIVE, LineStatus.COMPLETED) or (
                line.status is LineStatus.COMPLETED and not already_delivered(line, d.renewal_index, rx)):
            # stopped, on hold, cancelled by the prescriber: set aside, never continued exceptionally
            d.set_aside(line.line_id, Notice(f"« {text} » : ligne {line.status.value} sur le service, non délivrable.",
                                             "line_inactive", medication=text, status=line.status.value))
            continue
        if already_delivered(line, d.renewal_index, rx):
            d.mark_done(line.line_id)  # nothing left: done, not a problem
            refused.append(_say_if_exceptional(d, line, catalogue, today, history, speciality))
            continue
        if line.validity_end is not None and line.validity_end < today:
            expired_any = True
            until = line.validity_end.strftime('%d/%m/%Y')
            d.set_aside(line.line_id, Notice(f"« {text} » : validité dépassée ({until}).", "line_expired",
                                             medication=text, date=until))
            refused.append(_say_if_exceptional(d, line, catalogue, today, history, speciality))
            continue
        offer_line(d, line, catalogue, today, history, preferred_labs=preferred_labs, speciality=speciality)
        mention = non_substitution_text(line)
        if mention:
            reason = line.non_substitution_reason.value if line.non_substitution_reason else ""
            d.notices.append(Notice(f"« {text} » : {mention}.", "non_substitutable", medication=text, reason=reason))
    refuse_if_nothing_left(d, [why for why in refused if why], expired_any)


def refuse_if_nothing_left(d: Dispensing, why_not: list[str], expired_any: bool) -> None:
    """Every line done or set aside, none to continue exceptionally, and an expiry or a full delivery
    among the reasons: nothing can be dispensed (an ordonnance whose lines the prescriber only stopped
    opens with its notices). Said with the rules' reasons for each line not continued."""
    if d.exceptional_lines or not all(state.status is DispenseStatus.CANCELLED for state in d.lines):
        return
    delivered = all(state.delivered_before for state in d.lines)
    if not (delivered or expired_any or any(state.delivered_before for state in d.lines)):
        return
    head = "Ordonnance déjà entièrement délivrée." if delivered else "Ordonnance expirée : rien ne peut être délivré."
    if not why_not and delivered:
        raise PrescriptionUnusable(head, code="rx_delivered")
    if not why_not:
        raise PrescriptionUnusable(head, code="rx_expired")
    raise PrescriptionUnusable(" ".join([head, *why_not]), code="rx_unusable_why", head=head, why=" ".join(why_not))


def offer_line(d: Dispensing, line: PrescriptionLine, catalogue: CataloguePort, today: date, history: History, *,
               preferred_labs: Sequence[str] = (),
               speciality: Callable[[str], Speciality | None] | None = None) -> None:
    """The products proposed for one line (generics first where substitution is allowed), each with
    its boxes; a notice when the catalogue knows none."""
    speciality = speciality or specialities(catalogue)
    ctx = line_context(d, line.line_id, today, history)
    _, named = prescribed_products(line, catalogue)
    prescribed_spec = next((speciality(p.cis) for p in named[:1]), None)
    verdict = verdict_for(line, prescribed_spec, ctx)
    holders = {p.cis: s.holder for p in named if (s := speciality(p.cis)) is not None}
    need = _need(line, named, catalogue, speciality)
    found = proposals_for(line, catalogue, allowed=verdict.allowed, preferred_labs=preferred_labs,
                          holders=holders, needed_units=need.units_needed if need else None,
                          daily_units=need.daily_units if need else None)
    offer(d, line.line_id, found, catalogue, today, history, replace=True, speciality=speciality)
    if not found:
        d.notices.append(Notice(f"« {line.medication.text} » : introuvable dans la base des médicaments, recherchez le "
                                "produit.", "not_found", medication=line.medication.text))


def expired_verdict(d: Dispensing, line: PrescriptionLine, catalogue: CataloguePort, today: date, history: History,
                    speciality: Callable[[str], Speciality | None] | None = None) -> Finding | None:
    """What the rules say of an expired line's exceptional dispensing (art. L.5125-23-1 CSP), for the
    first product it names: ORDONNANCE_EXPIRED (possible, with its boxes) or
    EXCEPTIONAL_DISPENSING_REFUSED (why not); None when the line is no candidate."""
    speciality = speciality or specialities(catalogue)
    _, named = prescribed_products(line, catalogue)
    if not named:
        return None
    product = named[0]
    plan = plan_line(line, product, speciality(product.cis), line_context(d, line.line_id, today, history))
    return next((f for f in plan.findings if f.code in ("ORDONNANCE_EXPIRED", "EXCEPTIONAL_DISPENSING_REFUSED")),
                None)


def _say_if_exceptional(d: Dispensing, line: PrescriptionLine, catalogue: CataloguePort, today: date,
                        history: History, speciality: Callable[[str], Speciality | None]) -> str | None:
    """An expired line that may be dispensed exceptionally: noted on the dispensing (the counter
    offers it) and said in a notice with the boxes allowed; else why not (French), or None when the
    line was no candidate."""
    verdict = expired_verdict(d, line, catalogue, today, history, speciality)
    if verdict is None:
        return None
    if verdict.code == "ORDONNANCE_EXPIRED":
        d.exceptional_lines.append(line.line_id)
        d.notices.append(line_finding(line.medication.text, verdict))
        return None
    return f"« {line.medication.text} » : {verdict.message}"
