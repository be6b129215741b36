"""Serial (USB-CDC / virtual COM port) scanners, read with pyserial in a worker thread.

Such scanners send the payload as bytes ended by CR and/or LF, GS1 separators intact, often with an
AIM prefix; no keyboard layout gets in the way. ``port`` may be a device (``/dev/ttyACM0``,
``COM3``) or any pyserial URL (``loop://`` serves the tests).

A line that cannot be classified or handed over, or a read that fails in an unexpected way, is
reported (once per kind of failure to the user, in French; tracebacks and counts to the log, see
:mod:`app.scanning.faults`) and the reader goes on with the next line.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from app.scanning.classify import MAX_PAYLOAD, classify
from app.scanning.errors import SourceUnavailable
from app.scanning.faults import Clock, FaultReporter
from app.scanning.symbols import ScanResult

log = logging.getLogger(__name__)

LINE_FAILED = "Scanner série : un code n'a pas pu être traité ; scannez-le à nouveau (détails dans le journal)"
READ_FAILED = "Scanner série : lecture en erreur ; la lecture continue (détails dans le journal)"
STOPPED = "Scanner série arrêté sur une erreur inattendue : relancez-le (détails dans le journal)"
LOST = "Scanner série déconnecté : vérifiez le câble"
RETRY_S = 0.1  # pause after an unexpected read failure, so a failing port never spins the CPU


class SerialScanner:
    """Reads one scan per line and calls ``on_result(result)``; ``on_error(message)`` on failure.

    Everything that may wait happens in the reader's own thread: opening the port (a device that
    hangs or is absent), reading, closing. ``start()`` and ``stop()`` return at once, so the GUI
    thread may call them; a port that cannot be opened is reported through ``on_error``.
    """

    def __init__(self, port: str, baud: int, on_result: Callable[[ScanResult], None],
                 on_error: Callable[[str], None], *, check_number: bool = True,
                 clock: Clock = time.monotonic, summary_s: float = 60.0) -> None:
        self.port = port
        self.baud = baud
        self._on_result = on_result
        self._on_error = on_error
        self._check_number = check_number
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._serial = None
        self._lock = threading.Lock()  # the reader thread and a test may both open the port
        self.faults = FaultReporter("serial scanner", self._error, clock=clock, summary_s=summary_s, logger=log)

    def open(self):
        """Open the port (raises SourceUnavailable in French); exposed for tests writing to loop://."""
        import serial

        with self._lock:
            if self._serial is None:
                try:
                    self._serial = serial.serial_for_url(self.port, baudrate=self.baud, timeout=0.1)
                except (serial.SerialException, ValueError, OSError) as exc:
                    raise SourceUnavailable(
                        f"Scanner série : port « {self.port} » impossible à ouvrir, vérifiez le réglage",
                        detail=repr(exc)) from exc
            return self._serial

    def _close(self) -> None:
        with self._lock:
            if self._serial is not None:
                self._serial.close()
                self._serial = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, after: SerialScanner | None = None) -> None:
        """Start the reader thread, which opens the port (failure: ``on_error``, then it ends).

        ``after``: a reader just stopped; the new thread lets it close its port first (a COM port
        opens only once on Windows), waiting in its own thread, never the caller's.
        """
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(after,), name="comptoir-serial", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 0.0) -> bool:
        """Ask the thread to stop (it closes the port itself); wait up to ``timeout`` s. True once gone."""
        self._stop.set()
        thread = self._thread
        if thread is None:
            self._close()  # opened (by a test) but never started
            return True
        if timeout > 0 and thread is not threading.current_thread():
            thread.join(timeout)
        return not thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the reader thread to end (tests, shutdown); True when it has."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def _error(self, message: str) -> None:
        """The error callback, silenced once the reader was asked to stop."""
        if not self._stop.is_set():
            self._on_error(message)

    def _run(self, after: SerialScanner | None = None) -> None:
        try:
            self._run_port(after)
        except Exception as exc:  # a defect of the loop itself: say so, end cleanly
            self.faults.report("worker", exc, STOPPED)
        finally:
            self.faults.summarise(force=True)
            try:
                self._close()
            except Exception:
                log.exception("serial port did not close cleanly")

    def _run_port(self, after: SerialScanner | None) -> None:
        if after is not None and not after.wait(3.0):
            log.warning("previous serial reader still running; opening the port anyway")
        if self._stop.is_set():
            return
        try:
            port = self.open()
        except SourceUnavailable as exc:
            log.warning("serial port %r unavailable: %s", self.port, exc.detail)
            self._error(exc.message)
            return
        self._read(port)

    def _read(self, port) -> None:
        import serial

        buffer = bytearray()
        while not self._stop.is_set():
            try:
                chunk = port.read(256)
            except (serial.SerialException, OSError) as exc:
                log.warning("serial scanner lost: %r", exc)
                self._error(LOST)
                return
            except Exception as exc:  # a driver fault: report it, keep the port, try again
                self.faults.report("read", exc, READ_FAILED)
                self._stop.wait(RETRY_S)
                continue
            buffer.extend(chunk)
            for line in self._lines(buffer):
                if self._stop.is_set():
                    return
                self._line(line)

    def _line(self, line: bytes) -> None:
        """Classify one line and hand it over; a failure is reported and the next line is read."""
        try:
            self._on_result(classify(line, check_number=self._check_number))
        except Exception as exc:
            self.faults.report("line", exc, LINE_FAILED)

    @staticmethod
    def _lines(buffer: bytearray) -> list[bytes]:
        """Cut complete lines off ``buffer`` (CR, LF or CRLF); drop an over-long unterminated tail."""
        lines = []
        while True:
            ends = [i for i in (buffer.find(b"\r"), buffer.find(b"\n")) if i >= 0]
            if not ends:
                break
            end = min(ends)
            line = bytes(buffer[:end])
            del buffer[: end + 1]
            if line:
                lines.append(line)
        if len(buffer) > MAX_PAYLOAD:
            buffer.clear()
            lines.append(b"?" * (MAX_PAYLOAD + 1))  # classify() reports it as too long, not lost
        return lines
