"""Sending recorded deliveries to the service, now or later.

A delivery is written to the outbox in the same local transaction as its ordonnancier entries, then
sent. If the service cannot be reached the row stays ``pending`` and :class:`OutboxSender` retries it
with a growing delay; since the MedicationDispense identifiers derive from the delivery's id, a
retry after a send whose answer was lost creates nothing new on the service (operation 6 is
idempotent): nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain.errors import ClaimedElsewhere, NotAuthenticated, ServiceError
from app.workflow.ports import ServicePort
from app.workflow.store import CounterStore

log = logging.getLogger(__name__)
DEFERRED = "Service indisponible : la délivrance est enregistrée et sera transmise automatiquement."


@dataclass(frozen=True)
class SendOutcome:
    sent: bool
    message: str = ""  # French, when not sent
    permanent: bool = False  # the service refused it: it will not be retried


@dataclass(frozen=True)
class SendReport:
    sent: int
    pending: int
    failed: int


def _retry_later(exc: ServiceError) -> bool:
    """Network faults, but also a token to renew or a claim lapsed: worth trying again later."""
    return exc.retryable or isinstance(exc, NotAuthenticated | ClaimedElsewhere)


def send_one(store: CounterStore, client: ServicePort, delivery_id: str, now: datetime) -> SendOutcome:
    item = store.outbox(delivery_id)
    if item is None:
        return SendOutcome(False, "Délivrance absente de la file d'envoi.", permanent=True)
    if item.status == "sent":
        return SendOutcome(True)
    try:
        client.record_delivery(item.delivery)
    except ServiceError as exc:
        later = _retry_later(exc)
        message = DEFERRED if later else f"Transmission refusée par le service : {exc.message}"
        store.mark(delivery_id, now, sent=False, error=exc.message, permanent=not later)
        log.warning("delivery %s not sent (%s, retry=%s)", delivery_id, type(exc).__name__, later)
        return SendOutcome(False, message, permanent=not later)
    store.mark(delivery_id, now, sent=True)
    try:  # the delivery is in: the ordonnance is free for a later renewal, here or elsewhere
        client.release(item.delivery.number)
    except ServiceError as exc:  # a claim lapses by itself after 30 minutes
        log.info("release after sending %s failed: %s", delivery_id, type(exc).__name__)
    return SendOutcome(True)


class OutboxSender:
    """Retries the pending deliveries; the app calls :meth:`send_due` on a timer, off the GUI thread."""

    def __init__(self, store: CounterStore, client: ServicePort, clock: Callable[[], datetime]) -> None:
        self.store, self.client, self.clock = store, client, clock

    def send_due(self, *, everything: bool = False) -> SendReport:
        """Send what is due (``everything``: every pending one now, without waiting for its delay)."""
        sent = 0
        for delivery_id in self.store.due(datetime.max if everything else self.clock()):
            outcome = send_one(self.store, self.client, delivery_id, self.clock())
            if outcome.sent:
                sent += 1
            elif not outcome.permanent:
                break  # the service is down: the others would fail the same way
        return SendReport(sent, self.store.count("pending"), self.store.count("failed"))
