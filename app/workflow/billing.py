"""The bill of a dispensing: one use case for the billing screen, the invoice, ``propose --json`` and the
stored delivery, so that all four show the same amounts.

:func:`bill_for` turns what the counter handed over (the completed lines of a
:class:`~app.domain.dispensing.Dispensing`) into the domain's :class:`~app.domain.billing.BillItem`
and computes the :class:`~app.domain.billing.Bill` with :func:`~app.domain.billing.compute_bill`:

- each box at its BDPM price including its dispensing fee (or the price typed for a product the
  catalogue does not price);
- the line's coverage as the prescription says it (ALD, AT/MP on the line; maternité on the
  ordonnance): 100 %;
- a "spécifique" (HDE) recognised from the speciality's substances and conditions;
- tiers payant off on a line whose generic the patient refused (art. L.162-16-7 CSS), the
  insurance then reimbursing on the base of the dearest generic of the group (art. L.162-16 CSS as
  amended by the LFSS 2019, in force since 1 January 2020);
- a partial delivery (fewer boxes than proposed on a line) never earns HC;
- the patient's age on the delivery day (HDA, franchise) from his birth date;
- the complementary's (AMC) share, when a percentage is given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal

from app.domain.billing import Bill, BillingContext, BillingError, BillItem, compute_bill
from app.domain.catalogue import GenericRole, Presentation
from app.domain.delivery import DispenseStatus
from app.domain.dispensing import Dispensing, LineState
from app.domain.prescription import Coverage
from app.workflow.ports import CataloguePort

AMC_MAX = 100


def check_amc_rate(rate: int | None) -> int | None:
    """The complementary's percentage, None for none (0 too); BillingError (French) out of 0–100."""
    if rate is None or rate == 0:
        return None
    if not 0 < rate <= AMC_MAX:
        raise BillingError(f"Part complémentaire impossible : {rate} % (de 0 à 100 %)")
    return rate


def _substances(product: Presentation, catalogue: CataloguePort) -> list[str]:
    speciality = catalogue.speciality(product.cis)
    return [c.substance for c in speciality.compositions] if speciality is not None else []


def dearest_generic_price(product: Presentation, catalogue: CataloguePort) -> Decimal | None:
    """The price per box of the dearest generic of ``product``'s group with the same pack (the base the
    insurance reimburses when the patient refused the generic), None when the group has none."""
    prices = [p.retail_price for p in catalogue.substitutes(product.cip13)
              if p.generic_role is GenericRole.GENERIC and p.retail_price is not None]
    return max(prices) if prices else None


def is_partial(state: LineState) -> bool:
    """Fewer boxes handed over than the counter proposed for this delivery: the rest comes later, so
    the ordonnance is not billed "en une seule fois" (no HC)."""
    return state.default_quantity is not None and 0 < state.quantity < state.default_quantity


def generic_refused(state: LineState) -> bool:
    """The patient refused the generic on this line and loses the tiers payant for it (L.162-16-7 CSS;
    :func:`app.domain.substitution.generic_refusal` says when the refusal keeps it)."""
    return state.generic_refusal is not None and not state.generic_refusal.tiers_payant


def bill_items(d: Dispensing, catalogue: CataloguePort, context: BillingContext) -> list[BillItem]:
    """The items to bill: every completed line with its product, as :mod:`app.domain.billing` wants them."""
    items = []
    for state in d.lines:
        product = state.product
        if state.status is not DispenseStatus.COMPLETED or product is None:
            continue
        refused = generic_refused(state)
        base = (state.generic_refusal.reimbursement_base or dearest_generic_price(product, catalogue)
                if refused else None)
        items.append(BillItem.of(
            state.line_id, product, state.quantity, unit_price=state.unit_price,
            coverage=d.prescription.line_coverage(state.line_id), tiers_payant=not refused,
            reimbursement_base=base, substances=_substances(product, catalogue), partial=is_partial(state),
            on=context.on))
    return items


def full_context(d: Dispensing, context: BillingContext, items: Iterable[BillItem] = ()) -> BillingContext:
    """``context`` completed from the dispensing: the patient's birth date (HDA, franchise) and the
    ordonnance's coverage when the caller did not give them, and whether the delivery is partial."""
    rx = d.prescription
    return dataclasses.replace(
        context,
        birth_date=context.birth_date or rx.patient.birth_date,
        coverage=rx.coverage if context.coverage is Coverage.COMMON else context.coverage,
        partial=context.partial or any(item.partial for item in items),
        amc_rate=check_amc_rate(context.amc_rate),
    )


def bill_for(d: Dispensing, catalogue: CataloguePort, context: BillingContext) -> Bill:
    """The bill of ``d`` as it stands (lines completed so far), with the fees in force on
    ``context.on``, under ``d.tiers_payant``. Raises BillingError (French) on a line without a price
    or an impossible AMC percentage; changes nothing."""
    items = bill_items(d, catalogue, context)
    return compute_bill(items, tiers_payant=d.tiers_payant, context=full_context(d, context, items))
