"""Opening an ordonnance at the counter, step by step where each resource is owned; latest wins.

Opening a number: (database) is it being dispensed here already? → (network) claim that one again,
or fetch and claim the ordonnance → (database) propose products and quantities and store the new
dispensing. Resuming from the list: (database) load → (network) claim again.

A newer lookup makes the one in flight stale: it stops before claiming anything (its cancel event,
asked by the workflow between its steps), a claim it got all the same is given back, a dispensing it
stored all the same is abandoned, and nothing of it reaches the screen.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.domain.dispensing import Dispensing
from app.ui.tasks import DB, NET, TaskRunner
from app.workflow.counter import ClaimTicket, Counter

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Attempt:
    number: str  # "" when resuming from the list
    cancel: threading.Event = field(default_factory=threading.Event)


class Lookup(QObject):
    """``found(Dispensing)``: the dispensing to show; ``failed(str)``: why not, in French."""

    found = Signal(object)
    failed = Signal(str)

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
        self._step(attempt, DB, lambda: self.counter.unfinished(number),
                   lambda d: self._claim_again(attempt, d) if d is not None else self._fetch(attempt))

    def resume(self, delivery_id: str) -> None:
        attempt = self._new("")
        self._step(attempt, DB, lambda: self.counter.load_unfinished(delivery_id),
                   lambda d: self._claim_again(attempt, d))

    def release(self, ticket: ClaimTicket) -> None:
        """Give a claim back on the network pool; a failure is only logged (it lapses after 30 min)."""
        self.runner.run(lambda: self.counter.release_claim(ticket),
                        on_failure=lambda m, _e: log.info("release: %s", m), kind=NET, owner=self)

    # --- steps -----------------------------------------------------------------------------------
    def _new(self, number: str) -> _Attempt:
        if self._current is not None:
            self._current.cancel.set()
        self._current = _Attempt(number)
        return self._current

    def _step(self, attempt: _Attempt, kind: str, fn: Callable[[], Any], then: Callable[[Any], None],
              stale: Callable[[Any], None] | None = None, failed: Callable[[], None] | None = None) -> None:
        """Run ``fn`` on the ``kind`` pool; its result goes to ``then``, or to ``stale`` when a newer
        lookup started meanwhile; a failure ends the lookup (``failed`` undoes what it must first)."""
        def done(value: Any) -> None:
            if attempt is self._current:
                then(value)
            elif stale is not None:
                stale(value)

        def refused(message: str, _exc: BaseException) -> None:
            if failed is not None:
                failed()
            if attempt is self._current:
                self._current = None
                self.failed.emit(message)

        self.runner.run(fn, on_success=done, on_failure=refused, kind=kind, owner=self)

    def _claim_again(self, attempt: _Attempt, d: Dispensing) -> None:
        self._step(attempt, NET, lambda: self.counter.claim_again(d), lambda again: self._found(attempt, again))

    def _fetch(self, attempt: _Attempt) -> None:
        self._step(attempt, NET, lambda: self.counter.fetch_and_claim(attempt.number, attempt.cancel.is_set),
                   lambda claimed: self._prepare(attempt, claimed), stale=lambda claimed: self.release(claimed.ticket))

    def _prepare(self, attempt: _Attempt, claimed: Any) -> None:
        self._step(attempt, DB, lambda: self.counter.prepare(claimed, attempt.cancel.is_set),
                   lambda d: self._found(attempt, d), stale=self._abandon, failed=lambda: self.release(claimed.ticket))

    def _abandon(self, d: Dispensing) -> None:
        """A dispensing stored for a lookup superseded meanwhile: abandoned, its claim given back."""
        self.runner.run(lambda: self.counter.abandon_locally(d), on_success=self.release,
                        on_failure=lambda m, _e: log.info("abandon of a superseded lookup: %s", m), kind=DB,
                        owner=self)

    def _found(self, attempt: _Attempt, d: Dispensing) -> None:
        self._current = None
        self.found.emit(d)
