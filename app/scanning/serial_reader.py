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
    """Reads one scan per line and calls ``on_result(result)``; ``on_error(message)`` on failure."""

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

    def open(self):
        """Open the port (raises SourceUnavailable in French); exposed for tests writing to loop://."""
        import serial

        if self._serial is None:
            try:
                self._serial = serial.serial_for_url(self.port, baudrate=self.baud, timeout=0.1)
            except (serial.SerialException, ValueError, OSError) as exc:
                raise SourceUnavailable(
                    f"Scanner série : port « {self.port} » impossible à ouvrir, vérifiez le réglage",
                    detail=repr(exc)) from exc
        return self._serial

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        try:
            self.open()
        except SourceUnavailable as exc:
            self._on_error(exc.message)
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="comptoir-serial", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._serial is not None:
            self._serial.close()
            self._serial = None

    def _run(self) -> None:
        import serial

        buffer = bytearray()
        while not self._stop.is_set():
            try:
                chunk = self._serial.read(256)
            except (serial.SerialException, OSError) as exc:
                self._on_error("Scanner série déconnecté : vérifiez le câble")
                log.warning("serial scanner lost: %r", exc)
                return
            buffer.extend(chunk)
            for line in self._lines(buffer):
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
