"""The camera reader: capture and decode in a worker thread, results through callbacks.

The GUI never decodes: :class:`CameraReader` runs its own thread, and the Qt bridge in ``app/ui``
turns its callbacks into queued signals. A code that stays in view fires once: it fires again only
after it has been out of sight for ``hold_s`` seconds (frame time for files and folders, so tests
are deterministic).

The worker survives anything a frame, a decoder or a callback throws at it: each stage's failure
goes through a :class:`~app.scanning.faults.FaultReporter` (the user is told once per kind of
failure, in French; the log gets one traceback per kind and then counts), and reading goes on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from app.config import ScannerSettings
from app.domain.errors import ComptoirError
from app.scanning.classify import classify
from app.scanning.decoders import Decoder
from app.scanning.faults import Clock, FaultReporter
from app.scanning.sources import FrameSource, open_source
from app.scanning.symbols import ScanResult, Symbol

log = logging.getLogger(__name__)

ResultCallback = Callable[[Symbol, ScanResult], None]
ErrorCallback = Callable[[str], None]
FrameCallback = Callable[[np.ndarray], None]

# What the pharmacist reads when a stage fails (once per kind of failure; details in the log).
READ_FAILED = "Caméra : une image n'a pas pu être lue ; la lecture continue (détails dans le journal)"
PREVIEW_FAILED = "Caméra : l'aperçu n'a pas pu être affiché ; la lecture continue (détails dans le journal)"
DECODE_FAILED = "Caméra : une image n'a pas pu être analysée ; la lecture continue (détails dans le journal)"
DELIVER_FAILED = "Caméra : un code lu n'a pas pu être transmis ; la lecture continue (détails dans le journal)"
STOPPED = "Caméra arrêtée sur une erreur inattendue : relancez-la (détails dans le journal)"
UNAVAILABLE = "Caméra impossible à ouvrir : vérifiez le branchement ou le réglage (détails dans le journal)"
GONE = "La caméra ne répond plus : vérifiez le branchement"


class Debouncer:
    """Lets a code through once while it stays in view; again after ``hold_s`` out of sight."""

    def __init__(self, hold_s: float = 1.0) -> None:
        self.hold_s = hold_s
        self._last_seen: dict[tuple[str, str], float] = {}

    def fresh(self, symbols: list[Symbol], now: float) -> list[Symbol]:
        new = []
        for symbol in symbols:
            seen = self._last_seen.get(symbol.key)
            if seen is None or now - seen > self.hold_s:
                new.append(symbol)
            self._last_seen[symbol.key] = now
        # forget codes long gone so the table stays small
        self._last_seen = {k: t for k, t in self._last_seen.items() if now - t <= self.hold_s}
        return new


class CameraReader:
    """Reads ``source`` (device index, video file or image folder) and reports each new code.

    ``on_result(symbol, result)`` and ``on_error(message)`` are called from the worker thread;
    ``on_frame(frame)`` (optional) too, for a preview. ``stop()`` only asks the thread to stop and
    returns at once (the GUI thread calls it): the thread closes the device itself and reports
    nothing more once asked to stop. Pass ``timeout`` to wait for it (tests, shutdown).

    ``clock`` (seconds) times a live camera's debouncing and the fault summaries; ``opener`` opens
    the source (``open_source``); both are injectable for tests.
    """

    def __init__(self, source: int | str | Path, decoder: Decoder, on_result: ResultCallback,
                 on_error: ErrorCallback, settings: ScannerSettings | None = None, *,
                 on_frame: FrameCallback | None = None, hold_s: float = 1.0, pace: bool = True,
                 check_number: bool = True, clock: Clock = time.monotonic,
                 opener: Callable[..., FrameSource] = open_source, summary_s: float = 60.0) -> None:
        self.source = source
        self.decoder = decoder
        self.settings = settings or ScannerSettings()
        self._on_result = on_result
        self._on_error = on_error
        self._on_frame = on_frame
        self._pace = pace
        self._check_number = check_number
        self._clock = clock
        self._opener = opener
        self._debouncer = Debouncer(hold_s)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._after: CameraReader | None = None
        self.faults = FaultReporter("camera", self._error, clock=clock, summary_s=summary_s, logger=log)
        self.frames_read = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, after: CameraReader | None = None) -> None:
        """Start the worker; ``after``: a reader just stopped, whose thread may still hold the device.

        The new worker waits (in its own thread, never the caller's) for that one to let the device
        go before opening it, so switching cameras never blocks the GUI thread.
        """
        if self.running:
            return
        self._stop.clear()
        self._after = after
        self._thread = threading.Thread(target=self._run, name="comptoir-camera", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 0.0) -> bool:
        """Ask the worker to stop; wait up to ``timeout`` seconds (0: not at all). True once it is gone."""
        self._stop.set()
        if timeout > 0 and self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        return not self.running

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a file or folder to be read to the end; True when the worker finished."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _error(self, message: str) -> None:
        """The error callback, silenced once the reader was asked to stop."""
        if not self._stop.is_set():
            self._on_error(message)

    def _run(self) -> None:
        try:
            self._run_source()
        except Exception as exc:  # a defect of the loop itself: say so, end cleanly
            self.faults.report("worker", exc, STOPPED)
        finally:
            self.faults.summarise(force=True)

    def _run_source(self) -> None:
        if self._after is not None:
            if not self._after.wait(5.0):
                log.warning("previous camera still running; opening the new source anyway")
            self._after = None
        if self._stop.is_set():
            return
        fps = max(1, int(self.settings.fps))
        try:
            frames = self._opener(self.source, fps=fps, width=self.settings.width, height=self.settings.height)
        except ComptoirError as exc:
            log.warning("camera source %r unavailable: %s", self.source, exc.detail or exc.message)
            self._error(exc.message)
            return
        except Exception as exc:  # OpenCV may raise anything on a broken device
            self.faults.report("open", exc, UNAVAILABLE)
            return
        try:
            self._loop(frames, fps)
        finally:
            try:
                frames.close()
            except Exception:
                log.exception("camera source did not close cleanly")

    def _loop(self, frames: FrameSource, fps: int) -> None:
        period = 1.0 / fps
        next_at = self._clock()
        while not self._stop.is_set():
            try:
                frame = frames.read()
            except Exception as exc:  # one unreadable frame (or file) is skipped
                self.faults.report("read", exc, READ_FAILED)
                self._stop.wait(period)  # never spin on a device that fails at once
                continue
            if frame is None:
                if frames.live:
                    self._error(GONE)
                return
            if self._stop.is_set():  # asked to stop while reading: report nothing more
                return
            now = self._clock() if frames.live else self.frames_read * period
            self.frames_read += 1
            self._frame(frame, now)
            if not frames.live and self._pace:
                next_at += period
                self._stop.wait(max(0.0, next_at - self._clock()))

    def _frame(self, frame: np.ndarray, now: float) -> None:
        """Preview, decode, classify and hand over one frame; each stage's failure is reported."""
        if self._on_frame is not None:
            try:
                self._on_frame(frame)
            except Exception as exc:  # a preview fault must not stop the reading
                self.faults.report("preview", exc, PREVIEW_FAILED)
        try:
            symbols = self.decoder.decode(frame)
        except Exception as exc:  # a decoder fault on one frame must not kill the camera
            self.faults.report("decode", exc, DECODE_FAILED)
            return
        if self._stop.is_set():
            return
        for symbol in self._debouncer.fresh(symbols, now):
            try:
                result = classify(symbol.text, symbol.aim or symbol.format, check_number=self._check_number)
                if self._stop.is_set():
                    return
                self._on_result(symbol, result)
            except Exception as exc:  # the next code must still be read
                self.faults.report("deliver", exc, DELIVER_FAILED)
