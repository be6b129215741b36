"""Use cases of the counter (no Qt): start, dispense, bill, record, print.

Public API: :class:`app.workflow.counter.Counter` (one method per user action, synchronous: the UI
runs them off the GUI thread), its results :class:`~app.workflow.counter.Pending` and
:class:`~app.workflow.counter.Recorded`, and :class:`~app.workflow.outbox.OutboxSender` (retries the
deliveries the service has not acknowledged yet).
"""

from app.workflow.counter import Counter, LookupCancelled, Pending, Recorded, RulesNotMet
from app.workflow.outbox import OutboxSender, SendReport

__all__ = ["Counter", "LookupCancelled", "OutboxSender", "Pending", "Recorded", "RulesNotMet", "SendReport"]
