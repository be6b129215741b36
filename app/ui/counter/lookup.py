"""Opening an ordonnance at the counter, step by step where each resource is owned; latest wins.

Opening a number: (network) fetch and claim the ordonnance → (database) go on with its dispensing
left unfinished here, or propose products and quantities and store a new one. The service out of
reach: (database) the dispensing left unfinished here, if any, goes on offline. Resuming from the
list: (database) load → (network) claim again. Giving one up: (database) abandon → (network) its
claim given back.

A newer lookup makes the one in flight stale: it stops before claiming or storing anything (its
cancel event, asked by the workflow between its steps), a claim it got all the same is given back,
and nothing of it reaches the screen.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.domain.dispensing import Dispensing
from app.domain.errors import ServiceError
from app.ui.tasks import DB, NET, TaskRunner
from app.workflow.counter import ClaimTicket, Counter

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Attempt:
    number: str  # "" when resuming from the list
    cancel: threading.Event = field(default_factory=threading.Event)


class Lookup(QObject):
    """``fetched(Prescription)``: read from the service, its lines being prepared (show it now);
    ``found(Dispensing)``: the dispensing to show; ``failed(str)``: why not, in French;
    ``unreachable(number, message)``: the service could not be reached to fetch ``number`` (and no
    dispensing of it was left unfinished here): nothing was fetched, the pharmacist may retry."""

    found = Signal(object)
    failed = Signal(str)
    unreachable = Signal(str, str)
    fetched = Signal(object)  # the Prescription, read and claimed: shown while its lines are prepared

    def __init__(self, counter: Counter, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.counter = counter
        self.runner = runner
        self._current: _Attempt | None = None

    def busy_with(self, number: str) -> bool:
        """This ordonnance is being looked up already (the same sheet read twice)."""
        return self._current is not None and self._current.number == number

    def open(self, number: str) -> None:
        attempt = self._new(number)
        self._step(attempt, NET, lambda: self.counter.fetch_and_claim(number, attempt.cancel.is_set),
                   lambda claimed: self._prepare(attempt, claimed), stale=lambda claimed: self.release(claimed.ticket),
                   unreachable=lambda message: self._offline(attempt, message))

    def resume(self, delivery_id: str) -> None:
        attempt = self._new("")
        self._step(attempt, DB, lambda: self.counter.load_unfinished(delivery_id),
                   lambda d: self._claim_again(attempt, d))

    def release(self, ticket: ClaimTicket) -> None:
        """Give a claim back on the network pool; a failure is only logged (it lapses after 30 min)."""
        self.runner.run(lambda: self.counter.release_claim(ticket),
                        on_failure=lambda m, _e: log.info("release: %s", m), kind=NET, owner=self)

    def give_up(self, abandon: Callable[[], ClaimTicket], then: Callable[[], None],
                failed: Callable[[str, BaseException], None]) -> None:
        """A dispensing abandoned by ``abandon`` on the database worker (no new claim), then its claim
        given back on the network pool (:meth:`release`) and ``then()``; refused: ``failed(message, exc)``."""
        def abandoned(ticket: ClaimTicket) -> None:
            self.release(ticket)
            then()

        self.runner.run(abandon, on_success=abandoned, on_failure=failed, kind=DB, owner=self)

    # --- steps -----------------------------------------------------------------------------------
    def _new(self, number: str) -> _Attempt:
        if self._current is not None:
            self._current.cancel.set()
        self._current = _Attempt(number)
        return self._current

    def _step(self, attempt: _Attempt, kind: str, fn: Callable[[], Any], then: Callable[[Any], None],
              stale: Callable[[Any], None] | None = None, failed: Callable[[], None] | None = None,
              unreachable: Callable[[str], None] | None = None) -> None:
        """Run ``fn`` on the ``kind`` pool; its result goes to ``then``, or to ``stale`` when a newer
        lookup started meanwhile. A failure ends the lookup (``failed`` undoes what it must first),
        except that the service out of reach goes to ``unreachable`` when given."""
        def done(value: Any) -> None:
            if attempt is self._current:
                then(value)
            elif stale is not None:
                stale(value)

        def refused(message: str, exc: BaseException) -> None:
            if failed is not None:
                failed()
            if attempt is not self._current:
                return
            if unreachable is not None and isinstance(exc, ServiceError) and exc.retryable:
                unreachable(message)
                return
            self._fail(message)

        self.runner.run(fn, on_success=done, on_failure=refused, kind=kind, owner=self)

    def _fail(self, message: str) -> None:
        self._current = None
        self.failed.emit(message)

    def _offline(self, attempt: _Attempt, message: str) -> None:
        """The service is out of reach: go on with the dispensing left unfinished here, if any."""
        def found(d: Dispensing | None) -> None:
            if d is None:
                self._current = None
                log.info("ordonnance not fetched, service unreachable: %s", message)
                self.unreachable.emit(attempt.number, message)
            else:
                self._found(attempt, d)

        self._step(attempt, DB, lambda: self.counter.unfinished_offline(attempt.number), found)

    def _claim_again(self, attempt: _Attempt, d: Dispensing) -> None:
        self._step(attempt, NET, lambda: self.counter.claim_again(d), lambda again: self._found(attempt, again))

    def _prepare(self, attempt: _Attempt, claimed: Any) -> None:
        self.fetched.emit(claimed.prescription)
        # Superseded after it was stored, the dispensing stays offered for resumption (it may be
        # one the pharmacist had started before): nothing is abandoned behind their back.
        self._step(attempt, DB, lambda: self.counter.prepare(claimed, attempt.cancel.is_set),
                   lambda d: self._found(attempt, d), failed=lambda: self.release(claimed.ticket))

    def _found(self, attempt: _Attempt, d: Dispensing) -> None:
        self._current = None
        self.found.emit(d)
