"""Serial (USB-CDC / virtual COM port) scanners, read with pyserial in a worker thread.

Such scanners send the payload as bytes ended by CR and/or LF, GS1 separators intact, often with an
AIM prefix; no keyboard layout gets in the way. ``port`` may be a device (``/dev/ttyACM0``,
``COM3``) or any pyserial URL (``loop://`` serves the tests).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from app.scanning.classify import MAX_PAYLOAD, classify
from app.scanning.errors import SourceUnavailable
from app.scanning.symbols import ScanResult

log = logging.getLogger(__name__)


class SerialScanner:
    """Reads one scan per line and calls ``on_result(result)``; ``on_error(message)`` on failure.

    Everything that may wait happens in the reader's own thread: opening the port (a device that
    hangs or is absent), reading, closing. ``start()`` and ``stop()`` return at once, so the GUI
    thread may call them; a port that cannot be opened is reported through ``on_error``.
    """

    def __init__(self, port: str, baud: int, on_result: Callable[[ScanResult], None],
                 on_error: Callable[[str], None], *, check_number: bool = True) -> None:
        self.port = port
        self.baud = baud
        self._on_result = on_result
        self._on_error = on_error
        self._check_number = check_number
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._serial = None
        self._lock = threading.Lock()  # the reader thread and a test may both open the port

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

    def _run(self, after: SerialScanner | None = None) -> None:
        if after is not None and not after.wait(3.0):
            log.warning("previous serial reader still running; opening the port anyway")
        if self._stop.is_set():
            self._close()
            return
        try:
            port = self.open()
        except SourceUnavailable as exc:
            if not self._stop.is_set():
                self._on_error(exc.message)
            return
        try:
            self._read(port)
        finally:
            self._close()

    def _read(self, port) -> None:
        import serial

        buffer = bytearray()
        while not self._stop.is_set():
            try:
                chunk = port.read(256)
            except (serial.SerialException, OSError) as exc:
                if not self._stop.is_set():
                    self._on_error("Scanner série déconnecté : vérifiez le câble")
                log.warning("serial scanner lost: %r", exc)
                return
            buffer.extend(chunk)
            for line in self._lines(buffer):
                if self._stop.is_set():
                    return
                self._on_result(classify(line, check_number=self._check_number))

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
