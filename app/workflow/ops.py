"""Operations on a dispensing: every change the screen asks for, as a small value.

The one way to act on a dispensing: build an operation and hand it to
:meth:`app.workflow.counter.Counter.apply` (off the GUI thread), which applies it to a COPY of the
dispensing, stores the copy and returns it as :class:`Applied` — the new dispensing, and the
operation's result. The caller swaps the new dispensing in; a refused operation raises a French
:class:`~app.domain.errors.ComptoirError` and changes nothing anywhere.

An operation is a frozen dataclass with ``apply(work, ctx)``: it changes ``work`` (the copy, never
an object the caller holds) through the Dispensing's own methods, and returns what the screen may
want to say (the line it changed, the products found). ``ctx`` gives what it may need besides the
dispensing: the catalogue, today's date, the earlier deliveries of the ordonnance here.
A new kind of change is a new class here; nothing else grows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.bearer import Bearer
from app.domain.billing import Bill, BillingContext
from app.domain.catalogue import Presentation
from app.domain.delivery import Adjustment, ScannedBox
from app.domain.dispensing import Dispensing, DispensingError, LineState
from app.domain.line_plan import conditions_of, verdict_for
from app.domain.rules import Finding, bearer_identity_required, override_key, unresolved
from app.domain.substitution import ChangeKind, generic_refusal
from app.workflow import starting
from app.workflow.billing import bill_for
from app.workflow.checks import History, findings, line_context
from app.workflow.exceptional import dispense_exceptionally
from app.workflow.ports import CataloguePort
from app.workflow.proposals import kinds_for


class RulesNotMet(DispensingError):
    """Blocking rules, or warnings not yet overridden, keep the dispensing from being billed."""

    def __init__(self, found: list[Finding]) -> None:
        super().__init__("\n".join(f.message for f in found))
        self.findings = found


@dataclass(frozen=True)
class Context:
    """What an operation may use besides the dispensing (``history`` reads the database once, when asked)."""

    catalogue: CataloguePort
    today: date
    history: Callable[[], History]


@dataclass(frozen=True)
class Applied:
    """An operation done: the new dispensing (stored already) and what the operation returned."""

    dispensing: Dispensing
    result: Any = None


class Op:
    """Base of the operations; each subclass is a frozen dataclass saying what to change."""

    def apply(self, work: Dispensing, ctx: Context) -> Any:
        raise NotImplementedError


# --- a line's product and quantity ---------------------------------------------------------------

@dataclass(frozen=True)
class ChooseProduct(Op):
    """Hand over ``product`` for the line (outside the prescription: with the ``adjustment``).

    A product the line did not propose (found in the catalogue) is added to its proposals first,
    with its computed quantity and what choosing it means (generic, adjustment).
    """

    line_id: str
    product: Presentation
    adjustment: Adjustment | None = None

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        state = work.line(self.line_id)
        if self.product.cip13 not in state.proposal_kinds:
            kind = kinds_for(work.prescribed(self.line_id), ctx.catalogue, bool(state.proposals))(self.product)
            starting.offer(work, self.line_id, [(self.product, kind)], ctx.catalogue, ctx.today, ctx.history())
        return work.choose_product(self.line_id, self.product, adjustment=self.adjustment)


@dataclass(frozen=True)
class RefuseGeneric(Op):
    """The patient refuses the generic: the prescribed speciality (``product``, else the first one
    proposed) is handed over and the refusal recorded on the line — with the tiers payant off for
    that line unless the rule spares it (art. L.162-16-7 CSS, :func:`~app.domain.substitution.generic_refusal`)."""

    line_id: str
    product: Presentation | None = None

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        state = work.line(self.line_id)
        kinds = state.proposal_kinds
        product = self.product or next((p for p in state.proposals if kinds.get(p.cip13) is ChangeKind.SAME), None)
        if product is None:
            raise DispensingError("Aucune spécialité prescrite parmi les produits proposés pour cette ligne.",
                                  code="no_prescribed_speciality")
        line = work.prescribed(self.line_id)
        verdict = verdict_for(line, ctx.catalogue.speciality(product.cis),
                              line_context(work, self.line_id, ctx.today, ctx.history()))
        generics = [p for p in state.proposals if kinds.get(p.cip13) is ChangeKind.GENERIC]
        return work.refuse_generic(self.line_id, product, generic_refusal(verdict, product, generics))


@dataclass(frozen=True)
class DispenseExceptionally(Op):
    """The dispensation supplémentaire exceptionnelle of an expired line (art. L.5125-23-1 CSP): the
    boxes the rules allow, the ``adjustment`` saying how and when the prescriber is informed."""

    line_id: str
    adjustment: Adjustment

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        return dispense_exceptionally(work, self.line_id, self.adjustment, ctx.catalogue, ctx.today, ctx.history())


@dataclass(frozen=True)
class SetQuantity(Op):
    line_id: str
    quantity: int
    adjustment: Adjustment | None = None

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        return work.set_quantity(self.line_id, self.quantity, adjustment=self.adjustment)


@dataclass(frozen=True)
class SearchProducts(Op):
    """Products found by name or code, added to the line's proposals (not chosen); returns them."""

    line_id: str
    text: str

    def apply(self, work: Dispensing, ctx: Context) -> list[Presentation]:
        found = ctx.catalogue.find(self.text)
        state = work.line(self.line_id)
        kind_of = kinds_for(work.prescribed(self.line_id), ctx.catalogue, bool(state.proposals))
        starting.offer(work, self.line_id, [(p, kind_of(p)) for p in found], ctx.catalogue, ctx.today, ctx.history())
        return found


@dataclass(frozen=True)
class SetPrice(Op):
    """The price typed when the catalogue does not know it."""

    line_id: str
    price: Decimal

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        return work.set_price(self.line_id, self.price)


@dataclass(frozen=True)
class ChangePosology(Op):
    line_id: str
    posology: str
    adjustment: Adjustment

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        return work.change_posology(self.line_id, self.posology, self.adjustment)


# --- boxes -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScanBox(Op):
    """A scanned box ticks its line (returned), or is refused with the reason (ScanRefused)."""

    box: ScannedBox

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        return work.scan(self.box, ctx.today)


@dataclass(frozen=True)
class Unscan(Op):
    line_id: str
    index: int

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        return work.unscan(self.line_id, self.index)


# --- a line's state --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Confirm(Op):
    """Line handed over without scanning every box (boxes without DataMatrix)."""

    line_id: str

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        return work.confirm(self.line_id)


@dataclass(frozen=True)
class Decline(Op):
    """The line is not delivered, with the adjustment saying why."""

    line_id: str
    adjustment: Adjustment

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        return work.decline(self.line_id, self.adjustment)


@dataclass(frozen=True)
class Hold(Op):
    line_id: str

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        return work.hold(self.line_id)


@dataclass(frozen=True)
class ResumeLine(Op):
    """Back from on-hold or declined to the dispensing of the line."""

    line_id: str

    def apply(self, work: Dispensing, ctx: Context) -> LineState:
        return work.resume_line(self.line_id)


@dataclass(frozen=True)
class Override(Op):
    """Pass a rule's warning with the reason, which is recorded."""

    line_id: str
    rule: str
    reason: str

    def apply(self, work: Dispensing, ctx: Context) -> None:
        work.override(self.line_id, self.rule, self.reason)


@dataclass(frozen=True)
class SetBearer(Op):
    """Who takes the medicines: ``bearer`` (name, address, identity document), or None for the patient
    in person; asked when a product's conditions require it (BearerRequired from :class:`IssueBill`)."""

    bearer: Bearer | None

    def apply(self, work: Dispensing, ctx: Context) -> None:
        work.set_bearer(self.bearer)


# --- the bill --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IssueBill(Op):
    """Check everything, then compute the bill; :meth:`Counter.apply` numbers and stores the invoice.

    Billed already (a second F9), the bill stays as it is. ``amc_rate``: the patient's complementary
    pays that percentage of what the compulsory insurance leaves (None or 0: none known).
    """

    tiers_payant: bool
    amc_rate: int | None = None

    def apply(self, work: Dispensing, ctx: Context) -> Bill:
        if work.bill is not None:
            return work.bill
        problems = work.problems()
        if problems:
            raise DispensingError("\n".join(problems))
        overrides = {override_key(s.line_id, rule): reason for s in work.lines for rule, reason in s.overrides.items()}
        left = unresolved(findings(work, ctx.today, ctx.history(), ctx.catalogue), overrides)
        if left:
            raise RulesNotMet(left)
        # last, when nothing else stands in the way: who takes a stupéfiant (the dialog then bills)
        work.check_bearer(lambda p: bearer_identity_required(conditions_of(p, ctx.catalogue.speciality(p.cis))))
        work.tiers_payant = self.tiers_payant
        work.bill = bill_for(work, ctx.catalogue, BillingContext(on=ctx.today, amc_rate=self.amc_rate))
        return work.bill
