"""The dispensing on screen and the operations applied to it, one after the other, off the GUI thread.

Why: the screen holds the current dispensing and nothing else may change it. An operation
(:mod:`app.workflow.ops`) runs on the database worker through ``Counter.apply``, which works on a
copy and returns the new dispensing; it is swapped in here, on the GUI thread, if the dispensing it
was made from is still the current one. Operations asked while one runs (boxes scanned in a row)
wait their turn, so that each starts from the result of the one before: none is lost, none undone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from app.domain.dispensing import Dispensing
from app.ui.tasks import DB, TaskRunner
from app.workflow.counter import Counter
from app.workflow.ops import Applied, Op

Done = Callable[[Any], None]
Failed = Callable[[str, BaseException], None]


class OpQueue(QObject):
    """``current``: the dispensing on screen (None while waiting). ``act`` queues an operation;
    ``on_done(result)`` runs once its new dispensing is current, ``on_failed(message, exc)`` when it
    was refused (the dispensing unchanged). Neither runs when the screen moved to another dispensing
    meanwhile."""

    def __init__(self, counter: Counter, runner: TaskRunner, parent: QObject) -> None:
        super().__init__(parent)
        self.counter = counter
        self.runner = runner
        self.current: Dispensing | None = None
        self._waiting: deque[tuple[Op, Done, Failed]] = deque()
        self._running = False

    @property
    def busy(self) -> bool:
        return self._running or bool(self._waiting)

    def reset(self, dispensing: Dispensing | None) -> None:
        """Another dispensing (or none) on screen: the operations still waiting are dropped."""
        self._waiting.clear()
        self.current = dispensing

    def act(self, op: Op, on_done: Done, on_failed: Failed) -> None:
        if self.current is None:
            return
        self._waiting.append((op, on_done, on_failed))
        self._next()

    def _next(self) -> None:
        if self._running or not self._waiting or self.current is None:
            return
        op, on_done, on_failed = self._waiting.popleft()
        base = self.current
        self._running = True

        def done(applied: Applied) -> None:
            self._running = False
            try:
                if base is self.current:
                    self.current = applied.dispensing
                    on_done(applied.result)
            finally:
                self._next()

        def failed(message: str, exc: BaseException) -> None:
            self._running = False
            try:
                if base is self.current:
                    on_failed(message, exc)
            finally:
                self._next()

        self.runner.run(lambda: self.counter.apply(base, op), on_success=done, on_failure=failed, kind=DB,
                        owner=self)
