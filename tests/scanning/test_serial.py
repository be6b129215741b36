"""Serial scanners through pyserial's loop:// port (what is written is read back)."""

from __future__ import annotations

import threading
import time

from app.scanning.classify import MAX_PAYLOAD
from app.scanning.serial_reader import SerialScanner
from app.scanning.symbols import ScanKind
from tests.scanning.factory import ORDONNANCES, REAL_CIP13


def _wait_for(predicate, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_lines_from_a_serial_scanner():
    results, errors = [], []
    done = threading.Event()

    def on_result(result):
        results.append(result)
        if len(results) == 4:
            done.set()

    scanner = SerialScanner("loop://", 9600, on_result, errors.append)
    port = scanner.open()
    scanner.start()
    try:
        port.write(f"]Q1{ORDONNANCES[0]}\r\n".encode())
        port.write(f"]d2010{REAL_CIP13[0]}17280331".encode() + b"10L1\x1d21S2\r")
        port.write(b"10000000")  # a line split over two reads
        port.write(b"009\n")
        port.write(b"\xff\xfe\r")
        assert done.wait(5)
    finally:
        assert scanner.stop(timeout=2)
    assert [r.kind for r in results] == [ScanKind.ORDONNANCE, ScanKind.PRODUCT, ScanKind.PRESCRIBER,
                                         ScanKind.UNKNOWN]
    assert results[1].fields["serial"] == "S2" and errors == []
    assert not scanner.running


def test_overlong_garbage_is_reported_not_accumulated():
    buffer = bytearray(b"x" * (MAX_PAYLOAD + 10))
    lines = SerialScanner._lines(buffer)
    assert len(lines) == 1 and not buffer


def test_missing_port_reports_in_french():
    errors = []
    scanner = SerialScanner("/dev/does-not-exist-42", 9600, lambda r: None, errors.append)
    scanner.start()
    assert scanner.wait(5)
    assert errors and "impossible à ouvrir" in errors[0] and not scanner.running


class _SlowPort:
    """What pyserial returns, for a device whose opening hangs until ``gate`` is set."""

    def __init__(self, gate: threading.Event, opening: threading.Event) -> None:
        opening.set()
        assert gate.wait(5)
        self.closed = False

    def read(self, _size):
        time.sleep(0.01)
        return b""

    def close(self):
        self.closed = True


def test_start_and_stop_never_wait_on_the_device(monkeypatch):
    import serial

    gate, opening, errors = threading.Event(), threading.Event(), []
    ports = []
    monkeypatch.setattr(serial, "serial_for_url",
                        lambda *_a, **_k: ports.append(_SlowPort(gate, opening)) or ports[-1])
    scanner = SerialScanner("/dev/ttyACM9", 9600, lambda r: None, errors.append)
    t0 = time.monotonic()
    scanner.start()  # the port is opened in the reader's thread: start returns at once
    assert opening.wait(5) and time.monotonic() - t0 < 1.0 and scanner.running
    t0 = time.monotonic()
    assert not scanner.stop()  # asked to stop, not waited for
    assert time.monotonic() - t0 < 0.5
    gate.set()
    assert scanner.wait(5) and ports[0].closed and errors == []  # it closed the port by itself


def test_a_new_reader_waits_for_the_previous_one_in_its_own_thread():
    first = SerialScanner("loop://", 9600, lambda r: None, lambda m: None)
    first.start()
    assert _wait_for(lambda: first._serial is not None)
    first.stop()
    results = []
    second = SerialScanner("loop://", 9600, results.append, lambda m: None)
    second.start(after=first)
    assert _wait_for(lambda: second._serial is not None)
    assert not first.running  # the old one had closed its port before the new one opened
    second.open().write(f"{ORDONNANCES[0]}\r".encode())
    assert _wait_for(lambda: results) and results[0].kind is ScanKind.ORDONNANCE
    assert second.stop(timeout=2)
