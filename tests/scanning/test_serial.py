"""Serial scanners through pyserial's loop:// port (what is written is read back)."""

from __future__ import annotations

import threading

from app.scanning import serial_reader as serial_module
from app.scanning.classify import MAX_PAYLOAD, NOT_ORDONNANCE
from app.scanning.serial_reader import LINE_FAILED, READ_FAILED, SerialScanner
from app.scanning.symbols import ScanKind
from tests.scanning.factory import ORDONNANCES, REAL_CIP13


class Lines:
    """Collects results; ``done`` is set once ``count`` of them arrived."""

    def __init__(self, count):
        self.results, self.errors, self.count, self.done = [], [], count, threading.Event()

    def on_result(self, result):
        self.results.append(result)
        if len(self.results) >= self.count:
            self.done.set()


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
        self.opened_by = threading.current_thread().name
        opening.set()
        assert gate.wait(5)
        self.closed = False

    def read(self, _size):
        return b""  # nothing scanned (a real port would wait its timeout first)

    def close(self):
        self.closed = True


def test_start_and_stop_never_wait_on_the_device(monkeypatch):
    import serial

    gate, opening, errors = threading.Event(), threading.Event(), []
    ports = []
    monkeypatch.setattr(serial, "serial_for_url",
                        lambda *_a, **_k: ports.append(_SlowPort(gate, opening)) or ports[-1])
    scanner = SerialScanner("/dev/ttyACM9", 9600, lambda r: None, errors.append)
    # The opening hangs until this thread sets the gate: start() and stop() returning before that,
    # with the reader still alive, proves neither waited on the device.
    scanner.start()
    assert opening.wait(5) and scanner.running
    assert not scanner.stop()  # asked to stop, not waited for
    assert scanner.running and not gate.is_set()
    gate.set()
    assert scanner.wait(5) and ports[0].closed and errors == []  # it closed the port by itself
    assert ports[0].opened_by == "comptoir-serial"  # opened in the reader's thread, not the caller's


def test_a_new_reader_waits_for_the_previous_one_in_its_own_thread(monkeypatch):
    import serial

    real_open, opened, first_running_at_open = serial.serial_for_url, threading.Event(), []
    gate = threading.Event()

    class HeldPort:
        """The first reader's port: its read() holds the reader until the test opens the gate."""

        def __init__(self):
            self.reading = threading.Event()

        def read(self, _size):
            self.reading.set()
            assert gate.wait(5)
            return b""

        def close(self):
            pass

    held = HeldPort()
    first = SerialScanner("/dev/ttyACM8", 9600, lambda r: None, lambda m: None)
    monkeypatch.setattr(serial, "serial_for_url", lambda *_a, **_k: held)
    first.start()
    assert held.reading.wait(5)
    first.stop()

    def second_open(*args, **kwargs):
        first_running_at_open.append(first.running)
        opened.set()
        return real_open(*args, **kwargs)

    monkeypatch.setattr(serial, "serial_for_url", second_open)
    got = Lines(1)
    second = SerialScanner("loop://", 9600, got.on_result, lambda m: None)
    second.start(after=first)  # returns while the first is held in read() (only the test releases it)
    assert first.running and not opened.is_set()
    gate.set()
    assert opened.wait(5) and first_running_at_open == [False]  # opened only once the first let go
    second.open().write(f"{ORDONNANCES[0]}\r".encode())
    assert got.done.wait(5) and got.results[0].kind is ScanKind.ORDONNANCE
    assert second.stop(timeout=2)


BOX = f"]d2010{REAL_CIP13[0]}17280331".encode() + b"10L1\x1d21S2\r"


def test_a_malformed_qr_does_not_cost_the_next_box():
    got = Lines(2)
    scanner = SerialScanner("loop://", 9600, got.on_result, got.errors.append)
    port = scanner.open()
    scanner.start()
    try:
        port.write(b"]Q1https://[x]/PZX2R071KJX3EZF213AF\r\n" + BOX)
        assert got.done.wait(5)
    finally:
        assert scanner.stop(timeout=2)
    assert [(r.kind, r.message) for r in got.results] == [(ScanKind.UNKNOWN, NOT_ORDONNANCE),
                                                          (ScanKind.PRODUCT, None)]
    assert got.results[1].fields["serial"] == "S2" and got.errors == []


def test_a_failing_line_is_reported_once_and_the_next_ones_are_read(monkeypatch, caplog):
    real = serial_module.classify

    def classify(line, **kwargs):
        if line.startswith(b"BOOM"):
            raise RuntimeError("classify defect")
        return real(line, **kwargs)

    monkeypatch.setattr(serial_module, "classify", classify)
    got = Lines(2)
    scanner = SerialScanner("loop://", 9600, got.on_result, got.errors.append)
    port = scanner.open()
    scanner.start()
    try:
        port.write(b"BOOM1\r" + f"{ORDONNANCES[0]}\r".encode() + b"BOOM2\r" + BOX)
        assert got.done.wait(5)
    finally:
        assert scanner.stop(timeout=2)
    assert [r.kind for r in got.results] == [ScanKind.ORDONNANCE, ScanKind.PRODUCT]
    assert got.errors == [LINE_FAILED] and scanner.faults.total == 2
    tracebacks = [r for r in caplog.records if r.name == "app.scanning.serial_reader" and r.exc_info]
    assert len(tracebacks) == 1 and tracebacks[0].exc_info[0] is RuntimeError


class _FlakyPort:
    """A port whose driver raises an unexpected error once, then serves ``data``."""

    def __init__(self, data: bytes):
        self.data, self.failed, self.closed = data, False, False

    def read(self, _size):
        if not self.failed:
            self.failed = True
            raise ValueError("driver defect")
        data, self.data = self.data, b""
        return data

    def close(self):
        self.closed = True


def test_an_unexpected_read_error_is_reported_and_reading_goes_on(monkeypatch):
    import serial

    port = _FlakyPort(f"{ORDONNANCES[2]}\r".encode())
    monkeypatch.setattr(serial, "serial_for_url", lambda *_a, **_k: port)
    monkeypatch.setattr(serial_module, "RETRY_S", 0.0)
    got = Lines(1)
    scanner = SerialScanner("/dev/ttyACM7", 9600, got.on_result, got.errors.append)
    scanner.start()
    try:
        assert got.done.wait(5)
    finally:
        assert scanner.stop(timeout=2)
    assert [r.fields for r in got.results] == [{"number": ORDONNANCES[2]}]
    assert got.errors == [READ_FAILED] and port.closed
