"""Which action of the audit trail an operation on a dispensing is, and what its trace keeps.

Why here: the trail names actions (scan, adjustment, override, bill …); the counter's operations are
finer (choose a product, set a quantity …). This is the one table between them. A trace names objects
by ids (ordonnance number, delivery id, line id, CIP13), never the patient, the free text of a reason
(it may name him) nor a box's serial number.
"""

from __future__ import annotations

from app.domain.audit import AuditAction, Trace
from app.domain.delivery import Adjustment
from app.domain.dispensing import Dispensing
from app.domain.team import Actor
from app.workflow.ops import (
    ChangePosology,
    ChooseProduct,
    Decline,
    IssueBill,
    Op,
    Override,
    ScanBox,
    SetQuantity,
)


def _adjustment(op: Op) -> Adjustment | None:
    if isinstance(op, ChooseProduct | SetQuantity | ChangePosology | Decline):
        return op.adjustment
    return None


def trace_of(op: Op, work: Dispensing, actor: Actor | None, *, newly_billed: bool = False) -> Trace | None:
    """The trace of ``op`` applied to ``work`` by ``actor``; None when the trail does not keep it
    (nobody signed in, or an operation that decides nothing: a search, a price typed)."""
    if actor is None:
        return None
    ref, base = str(work.prescription.number), {"delivery": work.delivery_id}
    line = getattr(op, "line_id", None)
    if line is not None:
        base["line"] = line
    adjustment = _adjustment(op)
    if isinstance(op, ScanBox):
        return Trace(AuditAction.SCAN, actor, ref, {**base, "cip13": op.box.cip13})
    if isinstance(op, Override):
        return Trace(AuditAction.OVERRIDE, actor, ref, {**base, "rule": op.rule})
    if adjustment is not None:
        return Trace(AuditAction.ADJUSTMENT, actor, ref, {
            **base, "operation": type(op).__name__, "reason": adjustment.reason_code,
            "agreement": adjustment.agreement_means or ""})
    if isinstance(op, IssueBill) and newly_billed:
        return Trace(AuditAction.BILL, actor, ref, {**base, "tiers_payant": op.tiers_payant})
    return None


def trace(action: AuditAction, actor: Actor | None, work: Dispensing, **details: object) -> Trace | None:
    """A trace of ``action`` on ``work`` (None: nobody signed in)."""
    if actor is None:
        return None
    return Trace(action, actor, str(work.prescription.number), {"delivery": work.delivery_id, **details})
