"""What the counter screens ask of the workflow, in one place.

Why: the screens are thin. Everything they do to a dispensing goes through a :class:`CounterPort`;
:func:`make_counter` builds the one over :mod:`app.workflow`. Every method may block (network,
database): the screens call them only through the TaskRunner, never on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from app.domain.catalogue import Presentation
from app.domain.delivery import Adjustment, Delivery, ScannedBox
from app.domain.dispensing import Dispensing, LineState
from app.domain.rules import Finding
from app.ui.counter.adjustment_dialog import MeansChoice, ReasonChoice


@dataclass(frozen=True)
class Pending:
    """A dispensing left unfinished (app closed, crash): offered for resumption at start."""

    delivery_id: str
    number: str
    patient: str
    started_at: datetime


@dataclass(frozen=True)
class Recorded:
    """The outcome of recording: the delivery, and whether the service has it already."""

    delivery: Delivery
    transmitted: bool
    message: str = ""  # French: "transmission différée …" when kept in the outbox


class CounterPort(Protocol):
    def pending(self) -> list[Pending]: ...
    def resume(self, delivery_id: str) -> Dispensing: ...
    def start(self, number: str) -> Dispensing: ...
    def abandon(self, dispensing: Dispensing) -> None: ...
    def reasons(self) -> list[ReasonChoice]: ...
    def agreement_means(self) -> list[MeansChoice]: ...
    def choose_product(self, dispensing: Dispensing, line_id: str, product: Presentation,
                       adjustment: Adjustment | None = None) -> Dispensing: ...
    def set_quantity(self, dispensing: Dispensing, line_id: str, quantity: int,
                     adjustment: Adjustment | None = None) -> Dispensing: ...
    def scan_box(self, dispensing: Dispensing, box: ScannedBox) -> LineState: ...
    def decline(self, dispensing: Dispensing, line_id: str, adjustment: Adjustment) -> Dispensing: ...
    def confirm(self, dispensing: Dispensing, line_id: str) -> Dispensing: ...
    def findings(self, dispensing: Dispensing) -> list[Finding]: ...
    def override(self, dispensing: Dispensing, line_id: str, rule: str, reason: str) -> Dispensing: ...
    def bill(self, dispensing: Dispensing, tiers_payant: bool) -> Dispensing: ...
    def record(self, dispensing: Dispensing) -> Recorded: ...
    def print_delivery(self, delivery: Delivery) -> Path: ...
    def send_pending(self) -> Any: ...


def make_counter(services: Any) -> CounterPort:
    """The port over the real workflow (imported lazily: the workflow may be absent from a build)."""
    from app.ui.counter.workflow_port import WorkflowPort

    return WorkflowPort.from_services(services)
