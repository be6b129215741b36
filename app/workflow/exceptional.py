"""The dispensation supplémentaire exceptionnelle at the counter (art. L.5125-23-1 CSP): an expired
line, shown done or set aside, is dispensed after all when the rules allow it
(:mod:`app.domain.exceptional`), with the boxes they allow and the exceptional adjustment recording
how the prescriber is informed; refused with the French reason otherwise."""

from __future__ import annotations

from datetime import date

from app.domain.delivery import Adjustment
from app.domain.dispensing import Dispensing, DispensingError, LineState
from app.domain.errors import N_
from app.domain.exceptional import allowance, exceptional_kind, mention, refusal
from app.domain.line_plan import facts
from app.domain.prescription import LineStatus
from app.domain.substitution import ChangeKind
from app.workflow.checks import History, line_context
from app.workflow.ports import CataloguePort
from app.workflow.starting import offer_line


def dispense_exceptionally(d: Dispensing, line_id: str, adjustment: Adjustment, catalogue: CataloguePort,
                           today: date, history: History) -> LineState:
    """Reopen the line, propose its products if it had none, check the exceptional dispensing of the
    product chosen and hand over the boxes it allows (raises :class:`DispensingError`, in French,
    when the line is not expired or may not be dispensed so)."""
    line = d.prescribed(line_id)
    name = line.medication.text
    ctx = line_context(d, line_id, today, history)
    if line.status not in (LineStatus.ACTIVE, LineStatus.COMPLETED):  # stopped, on hold, cancelled by the prescriber
        raise DispensingError(N_("« {medication} » : ligne arrêtée ou suspendue par le prescripteur, elle ne se "
                                 "poursuit pas."), values={"medication": name})
    if ctx.expired_on is None:
        raise DispensingError(N_("« {medication} » : l'ordonnance n'est pas expirée pour cette ligne, délivrez-la "
                                 "normalement."), values={"medication": name})
    state = d.line(line_id)
    if not state.proposals:  # before reopening: the first product offered is not chosen by itself
        offer_line(d, line, catalogue, today, history)
    d.reopen(line_id)
    candidates = [state.product] if state.product is not None else [
        p for p in state.proposals if state.proposal_kinds.get(p.cip13) is not ChangeKind.ADJUSTMENT]
    if not candidates:
        raise DispensingError(N_("« {medication} » : aucun produit trouvé pour cette ligne, recherchez-le d'abord."),
                              values={"medication": name})
    # the first product offered (cheapest for the need) whose box fits the period: a three-month box
    # proposed for the renewals does not fit one month (R.5123-2-1)
    checks = [(p, facts(line, p, catalogue.speciality(p.cis), ctx, boxes=1, estimate=state.estimates.get(p.cip13)))
              for p in candidates]
    product, check = next(((p, c) for p, c in checks if refusal(c) is None), checks[0])
    found = refusal(check)
    if found is not None:
        raise DispensingError(N_("« {medication} » : dispensation supplémentaire exceptionnelle impossible — {reason} "
                                 "(art. L.5125-23-1 CSP)."), values={"medication": name, "reason": found[1]})
    if state.product is None or state.product.cip13 != product.cip13:
        d.choose_product(line_id, product)
    boxes, months = allowance(check) or (0, 0)
    return d.dispense_exceptionally(line_id, boxes, adjustment, mention(exceptional_kind(check), boxes, months))
