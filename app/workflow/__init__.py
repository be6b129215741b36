"""Use cases of the counter (no Qt, no SQL): start, dispense, bill, record, print, history.

Public API:

- :class:`~app.workflow.counter.Counter`: ``apply(dispensing, op) -> Applied`` is the one way to act
  on a dispensing (operations in :mod:`app.workflow.ops`); the rest are the steps around it, in
  database and network halves (see its module);
- :class:`~app.workflow.outbox.Outbox` (``counter.outbox``): deliveries not yet acknowledged by the
  service, retried, put aside after too many attempts, requeued on request;
- :class:`~app.workflow.history.DeliveryHistory`: past deliveries and their reprints.

Every call may block: the UI runs them off the GUI thread. The adapters are plugged in by the
composition root, :mod:`app.wiring`.
"""

from app.workflow.counter import Counter, LookupCancelled, Pending, Recorded
from app.workflow.ops import Applied, RulesNotMet
from app.workflow.outbox import Outbox, SendReport

__all__ = ["Applied", "Counter", "LookupCancelled", "Outbox", "Pending", "Recorded", "RulesNotMet", "SendReport"]
