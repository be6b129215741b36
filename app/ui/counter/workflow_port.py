"""The CounterPort over :class:`app.workflow.counter.Counter` (the real use cases).

Why an adapter at all: the workflow speaks its own types for the reference data (reasons and means of
agreement, with French and English labels); the screens want the dialog's choices in the UI's
language. Everything else is passed through unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.catalogue import Presentation
from app.domain.delivery import Adjustment, Delivery, ScannedBox
from app.domain.dispensing import Dispensing, LineState
from app.domain.rules import Finding
from app.ui.counter.adjustment_dialog import MeansChoice, ReasonChoice


class WorkflowPort:
    def __init__(self, counter: Any, language: str = "fr") -> None:
        self.counter = counter
        self.language = language

    @classmethod
    def from_services(cls, services: Any) -> WorkflowPort:
        from app.workflow.counter import Counter

        return cls(Counter.from_services(services), services.settings.ui.language)

    def _label(self, item: Any) -> str:
        return (getattr(item, "label_en", "") or item.label) if self.language == "en" else item.label

    # --- reference data ------------------------------------------------------------------------
    def reasons(self) -> list[ReasonChoice]:
        return [ReasonChoice(r.code, self._label(r), r.requires_comment) for r in self.counter.reasons()]

    def agreement_means(self) -> list[MeansChoice]:
        return [MeansChoice(m.code, self._label(m)) for m in self.counter.agreement_means()]

    # --- passed through ----------------------------------------------------------------------
    def pending(self) -> list:
        return self.counter.pending()

    def resume(self, delivery_id: str) -> Dispensing:
        return self.counter.resume(delivery_id)

    def start(self, number: str, cancelled: Callable[[], bool] | None = None) -> Dispensing:
        return self.counter.start(number, cancelled)

    def abandon(self, dispensing: Dispensing) -> None:
        self.counter.abandon(dispensing)

    def abandon_locally(self, dispensing: Dispensing) -> str:
        return self.counter.abandon_locally(dispensing)

    def discard(self, delivery_id: str) -> str:
        return self.counter.discard(delivery_id)

    def release_claim(self, number: str) -> None:
        self.counter.release_claim(number)

    def choose_product(self, dispensing: Dispensing, line_id: str, product: Presentation,
                       adjustment: Adjustment | None = None) -> Dispensing:
        return self.counter.choose_product(dispensing, line_id, product, adjustment)

    def search_products(self, dispensing: Dispensing, line_id: str, text: str) -> list[Presentation]:
        return self.counter.search_products(dispensing, line_id, text)

    def set_quantity(self, dispensing: Dispensing, line_id: str, quantity: int,
                     adjustment: Adjustment | None = None) -> Dispensing:
        return self.counter.set_quantity(dispensing, line_id, quantity, adjustment)

    def scan_box(self, dispensing: Dispensing, box: ScannedBox) -> LineState:
        return self.counter.scan_box(dispensing, box)

    def set_price(self, dispensing: Dispensing, line_id: str, price: Decimal) -> Dispensing:
        return self.counter.set_price(dispensing, line_id, price)

    def unscan(self, dispensing: Dispensing, line_id: str, index: int) -> Dispensing:
        return self.counter.unscan(dispensing, line_id, index)

    def decline(self, dispensing: Dispensing, line_id: str, adjustment: Adjustment) -> Dispensing:
        return self.counter.decline(dispensing, line_id, adjustment)

    def confirm(self, dispensing: Dispensing, line_id: str) -> Dispensing:
        return self.counter.confirm(dispensing, line_id)

    def hold(self, dispensing: Dispensing, line_id: str) -> Dispensing:
        return self.counter.hold(dispensing, line_id)

    def resume_line(self, dispensing: Dispensing, line_id: str) -> Dispensing:
        return self.counter.resume_line(dispensing, line_id)

    def change_posology(self, dispensing: Dispensing, line_id: str, posology: str,
                        adjustment: Adjustment) -> Dispensing:
        return self.counter.change_posology(dispensing, line_id, posology, adjustment)

    def findings(self, dispensing: Dispensing) -> list[Finding]:
        return self.counter.findings(dispensing)

    def override(self, dispensing: Dispensing, line_id: str, rule: str, reason: str) -> Dispensing:
        return self.counter.override(dispensing, line_id, rule, reason)

    def bill(self, dispensing: Dispensing, tiers_payant: bool) -> Dispensing:
        return self.counter.bill(dispensing, tiers_payant)

    def record(self, dispensing: Dispensing):
        return self.counter.record(dispensing)

    def record_locally(self, dispensing: Dispensing) -> Delivery:
        return self.counter.record_locally(dispensing)

    def send_recorded(self, delivery_id: str):
        return self.counter.send_recorded(delivery_id)

    def print_delivery(self, delivery: Delivery) -> Path:
        return self.counter.print_delivery(delivery)

    def send_pending(self) -> Any:
        return self.counter.send_pending()
