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
        scanner.stop()
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
    assert errors and "impossible à ouvrir" in errors[0] and not scanner.running
