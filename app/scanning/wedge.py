"""The keyboard-wedge decoder: tells a USB scanner's keystrokes apart from a human's (no Qt).

A scanner "types" its payload. We recognise it by a configured prefix (and suffix) when the scanner
is programmed with one, otherwise by timing: at least ``min_length`` keys no more than
``max_interval_ms`` apart, ended by Enter or Tab. Keys that might start a scan are *held* (the UI
swallows them) until the decision is made; when it turns out a human was typing, the held keys are
handed back in ``replay`` for the UI to deliver, in order, before the current key. ``poll(t_ms)``
must be called by a timer (every ~20 ms) so that a pause in typing releases held keys promptly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.config import ScannerSettings
from app.scanning.classify import MAX_PAYLOAD
from app.scanning.keyboard import interpret
from app.scanning.symbols import ScanKind, ScanResult

TERMINATORS = ("\r", "\n", "\t")
INCOMPLETE = "Lecture du scanner incomplète : scannez à nouveau"
TOO_LONG = "Code refusé : contenu trop long"


class WedgeAction(enum.Enum):
    CONSUMED = "consumed"  # swallow the current key (held or part of a scan)
    PASS_THROUGH = "pass_through"  # deliver ``replay`` then let the current key through
    COMPLETE = "complete"  # a scan ended: ``result`` holds it; the current key is swallowed
    FLUSH = "flush"  # (poll) no current key; deliver ``replay``
    NOTHING = "nothing"  # (poll) nothing to do


@dataclass(frozen=True)
class WedgeEvent:
    action: WedgeAction
    replay: tuple[str, ...] = ()
    result: ScanResult | None = None


class _State(enum.Enum):
    IDLE = 0
    HOLD = 1  # keys held on timing suspicion (or a partly matched prefix)
    SCAN = 2  # prefix matched: everything up to the suffix / terminator is the scan
    TRAILER = 3  # scan just ended on a suffix: swallow the Enter/Tab the scanner may add


class WedgeDecoder:
    def __init__(self, prefix: str = "", suffix: str = "", max_interval_ms: float = 50, min_length: int = 6,
                 gs_substitute: str = "", *, check_number: bool = True, scan_timeout_ms: float = 500,
                 trailer_ms: float = 250) -> None:
        self.prefix = prefix
        self.suffix = suffix
        self.max_interval_ms = max_interval_ms
        self.min_length = min_length
        self.gs_substitute = gs_substitute
        self.check_number = check_number
        self.scan_timeout_ms = scan_timeout_ms
        self.trailer_ms = trailer_ms  # how long after a suffix the scanner's own Enter is expected
        self.reset()

    @classmethod
    def from_settings(cls, settings: ScannerSettings, *, check_number: bool = True) -> WedgeDecoder:
        return cls(settings.wedge_prefix, settings.wedge_suffix, settings.wedge_max_interval_ms,
                   settings.wedge_min_length, settings.gs_substitute, check_number=check_number)

    def reset(self) -> None:
        self._state = _State.IDLE
        self._held: list[str] = []
        self._last = 0.0
        self._overflow = False  # a scan longer than MAX_PAYLOAD: swallowed to its end, then refused

    @property
    def holding(self) -> bool:
        """True while keys are held or a scan is under way (the UI keeps polling)."""
        return bool(self._held) or self._state is _State.SCAN

    @property
    def replayable(self) -> int:
        """How many of the most recent keys may still be given back (0 once they belong to a scan)."""
        return len(self._held) if self._state is _State.HOLD else 0

    # --- events ---------------------------------------------------------------------------
    def feed(self, text: str, t_ms: float) -> WedgeEvent:
        """One key press: ``text`` is the character it produced ("" for Shift and the like)."""
        if not text:
            return WedgeEvent(WedgeAction.PASS_THROUGH)
        gap = t_ms - self._last
        state = self._state
        if state is _State.TRAILER:
            self._state = _State.IDLE
            if text in TERMINATORS and gap <= self.trailer_ms:
                self._last = t_ms
                return WedgeEvent(WedgeAction.CONSUMED)
            state = _State.IDLE
        if state is _State.SCAN:
            return self._feed_scan(text, t_ms)
        replay: tuple[str, ...] = ()
        continues_prefix = self._prefix_pending() and self.prefix.startswith("".join(self._held) + text)
        if state is _State.HOLD and gap > self.max_interval_ms and not continues_prefix:
            replay, self._held, self._state = tuple(self._held), [], _State.IDLE
        event = self._feed_timing(text, t_ms)
        if replay:
            return WedgeEvent(event.action, replay + event.replay, event.result)
        return event

    def poll(self, t_ms: float) -> WedgeEvent:
        """Release held keys once the typing pause shows a human; time out a stalled scan."""
        gap = t_ms - self._last
        if self._state is _State.SCAN and gap > self.scan_timeout_ms:
            message = TOO_LONG if self._overflow else INCOMPLETE
            self.reset()
            return WedgeEvent(WedgeAction.COMPLETE, result=ScanResult(ScanKind.UNKNOWN, "", {}, message))
        if self._state is _State.HOLD and gap > self.max_interval_ms:
            if self._prefix_pending() and gap <= self.scan_timeout_ms:
                return WedgeEvent(WedgeAction.NOTHING)
            replay = tuple(self._held)
            self.reset()
            return WedgeEvent(WedgeAction.FLUSH, replay)
        if self._state is _State.TRAILER and gap > self.trailer_ms:
            self._state = _State.IDLE
        return WedgeEvent(WedgeAction.NOTHING)

    def interrupt(self) -> WedgeEvent:
        """A key only a human sends (auto-repeat, Ctrl/Alt shortcut): give the held keys back."""
        if self._state is _State.SCAN:
            return WedgeEvent(WedgeAction.PASS_THROUGH)
        return self._release(pass_current=True)

    # --- internals ------------------------------------------------------------------------
    def _prefix_pending(self) -> bool:
        held = "".join(self._held)
        return bool(self.prefix) and bool(held) and self.prefix.startswith(held)

    def _complete(self, text: str) -> WedgeEvent:
        self._held = []
        self._state = _State.TRAILER if self.suffix else _State.IDLE
        result = interpret(text, gs_substitute=self.gs_substitute, check_number=self.check_number)
        return WedgeEvent(WedgeAction.COMPLETE, result=result)

    def _feed_scan(self, text: str, t_ms: float) -> WedgeEvent:
        self._last = t_ms
        if self._overflow:
            if text in TERMINATORS or (self.suffix and text == self.suffix[-1]):
                self.reset()
                return WedgeEvent(WedgeAction.COMPLETE, result=ScanResult(ScanKind.UNKNOWN, "", {}, TOO_LONG))
            return WedgeEvent(WedgeAction.CONSUMED)
        self._held.append(text)
        body = "".join(self._held)
        if self.suffix and body.endswith(self.suffix):
            return self._complete(body[: -len(self.suffix)])
        if not self.suffix and text in TERMINATORS:
            return self._complete(body[:-1])
        if len(body) > MAX_PAYLOAD:
            return self._overflowing()
        return WedgeEvent(WedgeAction.CONSUMED)

    def _feed_timing(self, text: str, t_ms: float) -> WedgeEvent:
        self._last = t_ms
        held = "".join(self._held)
        if self.prefix and self.prefix.startswith(held + text):
            self._held.append(text)
            if held + text == self.prefix:
                self._held, self._state = [], _State.SCAN
            else:
                self._state = _State.HOLD
            return WedgeEvent(WedgeAction.CONSUMED)
        if text in TERMINATORS:
            if self._held and len(held) >= self.min_length:
                return self._complete(held)
            return self._release(pass_current=True)
        if not text.isprintable() and text != "\x1d":  # Backspace, Escape ...: a human at work
            return self._release(pass_current=True)
        self._held.append(text)
        self._state = _State.HOLD
        body = held + text
        if self.suffix and body.endswith(self.suffix) and len(body) - len(self.suffix) >= self.min_length:
            return self._complete(body[: -len(self.suffix)])
        if len(body) > MAX_PAYLOAD:  # no human types 2 kB at scanner speed
            return self._overflowing()
        return WedgeEvent(WedgeAction.CONSUMED)

    def _overflowing(self) -> WedgeEvent:
        self._held, self._state, self._overflow = [], _State.SCAN, True
        return WedgeEvent(WedgeAction.CONSUMED)

    def _release(self, *, pass_current: bool) -> WedgeEvent:
        replay = tuple(self._held)
        self.reset()
        if pass_current:
            return WedgeEvent(WedgeAction.PASS_THROUGH, replay)
        return WedgeEvent(WedgeAction.FLUSH, replay)
