"""The dispensation supplémentaire exceptionnelle at the counter (art. L.5125-23-1 CSP): an expired
line, shown done or set aside, is dispensed after all when the rules allow it
(:mod:`app.domain.exceptional`), with the boxes they allow and the exceptional adjustment recording
how the prescriber is informed; refused with the French reason otherwise."""

from __future__ import annotations

from datetime import date

from app.domain.delivery import Adjustment
from app.domain.dispensing import Dispensing, DispensingError, LineState
from app.domain.exceptional import allowance, exceptional_kind, mention, refusal
from app.domain.line_plan import facts
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
    if ctx.expired_on is None:
        raise DispensingError(f"« {name} » : l'ordonnance n'est pas expirée pour cette ligne, délivrez-la normalement.")
    state = d.reopen(line_id)
    if not state.proposals:
        offer_line(d, line, catalogue, today, history)
    if state.product is None and state.proposals:
        d.choose_product(line_id, state.proposals[0])
    if state.product is None:
        raise DispensingError(f"« {name} » : aucun produit trouvé pour cette ligne, recherchez-le d'abord.")
    check = facts(line, state.product, catalogue.speciality(state.product.cis), ctx, boxes=1, estimate=state.estimate)
    found = refusal(check)
    if found is not None:
        raise DispensingError(f"« {name} » : dispensation supplémentaire exceptionnelle impossible — {found[1]} "
                              "(art. L.5125-23-1 CSP).")
    boxes, months = allowance(check) or (0, 0)
    return d.dispense_exceptionally(line_id, boxes, adjustment, mention(exceptional_kind(check), boxes, months))
