"""Sending recorded deliveries to the service, now or later.

A delivery is written to the outbox in the same local transaction as its ordonnancier entries, then
sent. If the service cannot be reached the row stays pending and is tried again with a growing
delay; since the MedicationDispense identifiers derive from the delivery's id, a retry after a send
whose answer was lost creates nothing new on the service (operation 6 is idempotent): nothing is
lost and nothing is sent twice. A refusal, or :data:`MAX_ATTEMPTS` attempts without an answer, puts
the delivery aside as failed with its French reason, listed by :meth:`Outbox.refused` until
:meth:`Outbox.requeue` (« renvoyer ») queues it again.

Each step has one owner: reading what is due and marking the outcome are database work
(:meth:`Outbox.due`, :meth:`Outbox.mark_all`, on the database worker), sending is network work
(:meth:`Outbox.send_all`, on the network pool) and touches no database. :meth:`Outbox.send_pending`
runs the three in a row for the command line and tests.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.errors import ClaimedElsewhere, ConfigurationError, NotAuthenticated, ServiceError
from app.domain.notices import Notice
from app.domain.records import OutboxItem, SendStatus
from app.workflow.ports import OutboxStorePort, ServicePort

log = logging.getLogger(__name__)
DEFERRED = Notice("Service indisponible : la délivrance est enregistrée et sera transmise automatiquement.",
                  "send_deferred")
MAX_ATTEMPTS = 20
"""Attempts without an answer before a delivery is put aside as failed (``Outbox(max_attempts=…)``).

Why 20: with the delays below (30 s doubling up to an hour) that is about thirteen hours of the app
running; an outage that long, or a service error that no retry fixes (a 503 for a request it will
never accept), must be seen by the pharmacist rather than retried in silence. « Renvoyer »
(:meth:`Outbox.requeue`) starts the count afresh.
"""
RETRY_FIRST_S, RETRY_MAX_S = 30, 3600
NOT_CONFIGURED = "Service d'ordonnance numérique non configuré : rien ne peut être transmis."


_REFUSED = "Transmission refusée par le service : "
_GIVEN_UP = re.compile(r"Transmission abandonnée après (\d+) tentatives \(dernière réponse : (.*)\)\. "
                       r"Vérifiez le service, puis renvoyez la délivrance\.", re.DOTALL)


def refused_message(answer: str) -> Notice:
    """Why a delivery was put aside: the service refused it (its own answer kept as it is)."""
    return Notice(f"{_REFUSED}{answer}", "send_refused", answer=answer)


def given_up_message(attempts: int, answer: str) -> Notice:
    return Notice(f"Transmission abandonnée après {attempts} tentatives (dernière réponse : {answer}). "
                  "Vérifiez le service, puis renvoyez la délivrance.", "send_given_up", attempts=attempts, answer=answer)


def read_send_error(text: str) -> str:
    """An outbox item's last error as stored (French): the service's own answer as it is, or one of the
    messages above read back into its code and values (a UI in another language renders them)."""
    if text.startswith(_REFUSED):
        return refused_message(text[len(_REFUSED):])
    m = _GIVEN_UP.fullmatch(text)
    return given_up_message(int(m[1]), m[2]) if m else text


@dataclass(frozen=True)
class SendOutcome:
    """What the service answered to one send (network only; :meth:`Outbox.mark` writes it)."""

    sent: bool
    error: str = ""  # French, the service's own message, when not sent
    retry: bool = False  # worth trying again later (network down, token to renew, claim lapsed)


@dataclass(frozen=True)
class SendReport:
    sent: int
    pending: int
    failed: int


def _retry_later(exc: ServiceError) -> bool:
    """Network faults, but also a token to renew or a claim lapsed: worth trying again later."""
    return exc.retryable or isinstance(exc, NotAuthenticated | ClaimedElsewhere)


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next try after ``attempts`` failed ones: 30 s, 60 s, … up to an hour."""
    return timedelta(seconds=min(RETRY_FIRST_S * 2 ** max(attempts - 1, 0), RETRY_MAX_S))


class Outbox:
    """The outbox's use cases over its store and the service client (None: not configured)."""

    def __init__(self, store: OutboxStorePort, client: ServicePort | None, clock: Callable[[], datetime], *,
                 max_attempts: int = MAX_ATTEMPTS) -> None:
        self.store, self.client, self.clock = store, client, clock
        self.max_attempts = max_attempts

    # --- network -------------------------------------------------------------------------------

    def send(self, item: OutboxItem) -> SendOutcome:
        """Send one delivery (network only). Sent already, nothing is sent again."""
        if item.status is SendStatus.SENT:
            return SendOutcome(True)
        if self.client is None:
            raise ConfigurationError(NOT_CONFIGURED, code="outbox_not_configured")
        try:
            self.client.record_delivery(item.delivery)
        except ServiceError as exc:
            later = _retry_later(exc)
            log.warning("delivery %s not sent (%s, retry=%s): %s", item.delivery.delivery_id, type(exc).__name__,
                        later, exc.detail or "")
            return SendOutcome(False, exc.message, later)
        try:  # the delivery is in: the ordonnance is free for a later renewal, here or elsewhere
            self.client.release(item.delivery.number)
        except ServiceError as exc:  # a claim lapses by itself after 30 minutes
            log.info("release after sending %s failed: %s", item.delivery.delivery_id, type(exc).__name__)
        return SendOutcome(True)

    def send_all(self, items: list[OutboxItem]) -> list[tuple[OutboxItem, SendOutcome]]:
        """Send ``items`` in order; stops after the first one the service could not take now (the
        others would fail the same way). Returns what was tried, with each outcome."""
        tried = []
        for item in items:
            outcome = self.send(item)
            tried.append((item, outcome))
            if not outcome.sent and outcome.retry:
                break
        return tried

    # --- database ------------------------------------------------------------------------------

    def due(self, *, everything: bool = False) -> list[OutboxItem]:
        """What to send now (``everything``: every pending one, without waiting for its delay)."""
        return self.store.due(datetime.max if everything else self.clock())

    def mark(self, item: OutboxItem, outcome: SendOutcome) -> str:
        """Write an outcome; returns the French message for the pharmacist (empty when sent)."""
        now = self.clock()
        if outcome.sent:
            self.store.mark(item.delivery.delivery_id, now, sent=True)
            return ""
        attempts = item.attempts + 1
        if not outcome.retry:
            message = refused_message(outcome.error)
        elif attempts >= self.max_attempts:
            message = given_up_message(attempts, outcome.error)
        else:
            self.store.mark(item.delivery.delivery_id, now, sent=False, error=outcome.error,
                            retry_at=now + retry_delay(attempts))
            return DEFERRED
        self.store.mark(item.delivery.delivery_id, now, sent=False, error=message, give_up=True)
        log.warning("delivery %s put aside after %d attempt(s)", item.delivery.delivery_id, attempts)
        return message

    def mark_all(self, tried: list[tuple[OutboxItem, SendOutcome]]) -> SendReport:
        for item, outcome in tried:
            self.mark(item, outcome)
        return self.report(sent=sum(1 for _, outcome in tried if outcome.sent))

    def report(self, sent: int = 0) -> SendReport:
        return SendReport(sent, self.store.count(SendStatus.PENDING), self.store.count(SendStatus.FAILED))

    def refused(self) -> list[OutboxItem]:
        """The deliveries put aside (refused, or given up), each with its French reason."""
        return self.store.failed()

    def waiting(self) -> list[OutboxItem]:
        """Every delivery not yet acknowledged by the service, pending or put aside, oldest first:
        what the counter shows as « non transmise »."""
        return self.store.waiting()

    def resend_item(self, delivery_id: str) -> OutboxItem | None:
        """« Renvoyer », database half: a delivery put aside is queued again; returns the item to send
        now (None: unknown, or acknowledged meanwhile). Then :meth:`send` (network) and :meth:`mark`."""
        item = self.store.outbox(delivery_id)
        if item is None or item.status is SendStatus.SENT:
            return None
        if item.status is SendStatus.FAILED:
            self.store.requeue(delivery_id, self.clock())
            item = self.store.outbox(delivery_id)
        return item

    def requeue(self, delivery_id: str) -> bool:
        """« Renvoyer »: queue a delivery put aside again, due now; False when there is no such one."""
        return self.store.requeue(delivery_id, self.clock())

    # --- both, in a row (command line, tests) --------------------------------------------------

    def send_pending(self, *, everything: bool = False) -> SendReport:
        if self.client is None:
            raise ConfigurationError(NOT_CONFIGURED, code="outbox_not_configured")
        return self.mark_all(self.send_all(self.due(everything=everything)))
