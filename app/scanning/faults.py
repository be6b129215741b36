"""What a scanner thread does with a failure it did not expect: say it once, count the rest, go on.

A camera reads 15 frames a second and a serial scanner may be fed garbage all day: one defect (a
decoder bug on one kind of frame, a callback that raises) would otherwise either kill the thread
(nothing read any more, nothing on screen) or flood the log with a traceback per frame.
:class:`FaultReporter` keeps each worker alive and the log readable:

- the first failure of a kind (the stage that failed and the exception's type) is logged at WARNING
  with its traceback, and the user is told once, in French, through the worker's error callback
  (a sentence already told is not repeated, even for another kind);
- later failures of the same kind are only counted, and the counts are logged every ``summary_s``
  seconds of the injected ``clock`` (and when the worker ends), so the log shows how often it happens.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable

from app.domain.errors import ComptoirError

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class FaultReporter:
    """Rate-limited reports of one worker's failures (``worker`` names it in the log)."""

    def __init__(self, worker: str, on_error: Callable[[str], None], *, clock: Clock = time.monotonic,
                 summary_s: float = 60.0, logger: logging.Logger | None = None) -> None:
        self.worker = worker
        self._on_error = on_error
        self._clock = clock
        self.summary_s = summary_s
        self._log = logger or log
        self._seen: set[tuple[str, str]] = set()
        self._told: set[str] = set()
        self._pending: Counter[tuple[str, str]] = Counter()
        self._last_summary = clock()
        self.total = 0  # every failure reported, first ones included

    def report(self, stage: str, exc: BaseException, message: str) -> None:
        """A failure of ``stage`` (``"decode"``, ``"classify"`` ...); ``message`` is what the user reads.

        A :class:`ComptoirError` carries its own French message, which is used instead, and its
        ``detail`` goes to the log. Never raises, even if the error callback does.
        """
        self.total += 1
        kind = (stage, type(exc).__name__)
        if kind in self._seen:
            self._pending[kind] += 1
        else:
            self._seen.add(kind)
            detail = getattr(exc, "detail", None)
            self._log.warning("%s: %s failed (%s)%s; further failures of this kind are counted",
                              self.worker, stage, type(exc).__name__,
                              f" — {detail}" if detail else "", exc_info=exc)
            self.tell(exc.message if isinstance(exc, ComptoirError) else message)
        self.summarise()

    def tell(self, message: str) -> None:
        """Hand ``message`` to the user through the worker's error callback (once per sentence)."""
        if message in self._told:
            return
        self._told.add(message)
        try:
            self._on_error(message)
        except Exception:  # the reporting path must not be what kills the worker
            self._log.exception("%s: the error callback failed", self.worker)

    def summarise(self, *, force: bool = False) -> None:
        """Log the counts of repeated failures if ``summary_s`` has passed (or ``force``)."""
        now = self._clock()
        if not self._pending or (not force and now - self._last_summary < self.summary_s):
            return
        counts = ", ".join(f"{stage} {name} ×{n}" for (stage, name), n in sorted(self._pending.items()))
        self._log.warning("%s: repeated failures in the last %.0f s: %s",
                          self.worker, now - self._last_summary, counts)
        self._pending.clear()
        self._last_summary = now
