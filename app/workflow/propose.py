"""What the counter would propose for a prescription, without claiming or recording anything
(``comptoir propose``): the same preparation as :meth:`Counter.prepare` (:func:`starting.prepare`)
and the same rules as :meth:`Counter.findings`, laid out per line with the proposed product, its
boxes and why, the alternatives, the findings with their codes, and the bill the counter would make.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from app.domain.billing import Bill, BillingContext
from app.domain.catalogue import Presentation
from app.domain.delivery import DispenseStatus
from app.domain.dispensing import Dispensing, LineState
from app.domain.notices import Notice
from app.domain.prescription import Prescription
from app.domain.quantities import days_covered
from app.domain.rules import Finding
from app.workflow import starting
from app.workflow.billing import bill_for
from app.workflow.checks import History, line_findings, specialities
from app.workflow.ports import CataloguePort


@dataclass(frozen=True)
class LineProposal:
    """One line as the counter would propose it."""

    position: int  # 1-based
    state: LineState
    product: Presentation | None
    findings: tuple[Finding, ...]

    @property
    def boxes(self) -> int:
        if self.product is None:
            return 0
        return self.state.quantity if self.state.product is not None else \
            self.state.default_quantities.get(self.product.cip13, 0)

    @property
    def why(self) -> str:
        estimate = self.state.estimates.get(self.product.cip13) if self.product is not None else None
        return (estimate.explanation or estimate.reason or "") if estimate is not None else ""

    def days(self) -> Decimal | None:
        estimate = self.state.estimates.get(self.product.cip13) if self.product is not None else None
        if estimate is None or self.product is None:
            return None
        return days_covered(self.boxes, self.product.pack_quantity, estimate.daily_units)


@dataclass(frozen=True)
class Proposed:
    dispensing: Dispensing
    lines: tuple[LineProposal, ...]
    bill: Bill

    @property
    def findings(self) -> list[Finding]:
        return [f for line in self.lines for f in line.findings]

    @property
    def blocked(self) -> bool:
        """A finding blocks a line to hand over (a line done, which may be continued exceptionally, is
        no delivery of its own: the counter shows it done and offers the exceptional dispensing)."""
        return any(f.blocking for line in self.lines if not line.state.delivered_before for f in line.findings)

    def to_json(self) -> dict[str, Any]:
        positions = {line.state.line_id: line.position for line in self.lines}
        return {"lines": [_line_json(line) for line in self.lines],
                "findings": [dict(_finding_json(f), line=positions.get(f.line_id or "")) for f in self.findings],
                "notices": list(self.dispensing.notices),
                "bill": self.bill.to_json()}


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(round(value, 2))


def _finding_json(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity.level, "message": f.message, "article": f.article}


def _line_json(line: LineProposal) -> dict[str, Any]:
    product = line.product
    state = line.state
    units = product.pack_quantity * line.boxes if product is not None and product.pack_quantity else None
    return {
        "line": line.position,
        "proposed": None if product is None else {"cip13": product.cip13, "label": f"{product.name} — {product.label}",
                                                  "units_per_box": _number(product.pack_quantity)},
        "boxes": line.boxes, "units": _number(units), "days_covered": _number(line.days()), "why": line.why,
        "done": state.delivered_before,
        "set_aside": state.status is DispenseStatus.CANCELLED and not state.delivered_before,
        "exceptional_possible": any(f.code == "ORDONNANCE_EXPIRED" for f in line.findings),
        "alternatives": [{"cip13": p.cip13, "label": f"{p.name} — {p.label}",
                          "kind": state.proposal_kinds[p.cip13].value}
                         for p in state.proposals if product is None or p.cip13 != product.cip13],
        "findings": [_finding_json(f) for f in line.findings],
    }


def propose(prescription: Prescription, catalogue: CataloguePort, today: date, history: History, *,
            preferred_labs: tuple[str, ...] = (), now: datetime | None = None) -> Proposed:
    """The counter's proposal for ``prescription`` on ``today`` (``history``: its earlier deliveries
    here); raises :class:`starting.PrescriptionUnusable` as the counter does."""
    starting.refuse_if_unusable(prescription, today)
    d = Dispensing.begin(uuid.uuid4().hex, prescription, now or datetime.combine(today, datetime.min.time()))
    starting.prepare(d, catalogue, today, history, preferred_labs=preferred_labs)
    speciality = specialities(catalogue)
    lines = []
    for position, state in enumerate(d.lines, start=1):
        product = state.product
        if product is None and state.proposals and not state.delivered_before:
            product = state.proposals[0]  # an adjustment at the counter: proposed, not chosen
        found: list[Finding] = []
        if product is not None and not state.delivered_before:
            quantity = state.quantity if state.product is not None else state.default_quantities.get(product.cip13, 1)
            found = line_findings(d, state, today, history, speciality, product=product, quantity=quantity)
        elif state.line_id in d.exceptional_lines:  # as the counter offers it (art. L.5125-23-1 CSP)
            verdict = starting.expired_verdict(d, d.prescribed(state.line_id), catalogue, today, history, speciality)
            found = [verdict] if verdict is not None else []
        proposal = LineProposal(position, state, None if state.delivered_before else product, tuple(found))
        lines.append(proposal)
        if proposal.product is not None and proposal.boxes > 0 and product.price is None:
            d.notices.append(Notice(f"Ligne {position} : prix inconnu du catalogue, hors de la facture (le prix de "
                                    "vente est saisi au comptoir).", "price_unknown", position=position))
    return Proposed(d, tuple(lines), _bill(d, lines, catalogue, today))


def _bill(d: Dispensing, lines: list[LineProposal], catalogue: CataloguePort, today: date) -> Bill:
    """The bill the counter would issue once every proposed line is handed over as proposed (tiers
    payant), through the counter's own billing use case: on a copy, the dispensing stays as proposed."""
    billed = copy.deepcopy(d)
    billed.tiers_payant = True
    for proposal, state in zip(lines, billed.lines, strict=True):
        product = proposal.product
        if product is not None and proposal.boxes > 0 and product.price is not None:
            state.product, state.quantity, state.status = product, proposal.boxes, DispenseStatus.COMPLETED
    return bill_for(billed, catalogue, BillingContext(on=today))
