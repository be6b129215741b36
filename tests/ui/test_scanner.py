"""The scanner bridge and the wedge event filter, with real widgets (pytest-qt, offscreen)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from app.config import ScannerSettings
from app.scanning.symbols import ScanKind, ScanResult
from app.ui.scanner import ScannerBridge, frame_to_qimage
from tests.scanning import factory as fx

N = fx.ORDONNANCES[0]


class Clock:
    def __init__(self):
        self.ms = 10_000.0

    def __call__(self):
        return self.ms


def _key_code(ch: str) -> int:
    if ch == "\r":
        return Qt.Key.Key_Return
    if ch == "\t":
        return Qt.Key.Key_Tab
    return ord(ch.upper()) if ch.isascii() and ch.isalnum() else 0


def send_keys(widget, text, clock, step_ms):
    """Key presses as the window system would deliver them, ``step_ms`` apart (timestamp 0 → clock)."""
    for ch in text:
        clock.ms += step_ms
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, _key_code(ch), Qt.KeyboardModifier.NoModifier, ch))


def _window(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    field = QLineEdit()
    layout.addWidget(field)
    qtbot.addWidget(window)
    window.show()
    field.setFocus()
    return window, field


@pytest.fixture
def counter(qtbot):
    """A window with a focused text field, and a bridge whose wedge filter is installed."""

    def make(**settings):
        window, field = _window(qtbot)
        bridge = ScannerBridge(ScannerSettings(**settings))
        clock = Clock()
        wedge = bridge.install_wedge(clock=clock)
        made.append((window, bridge))
        return field, bridge, clock, wedge

    made = []
    yield make
    for _window_kept_alive, bridge in made:
        bridge.shutdown()


def test_wedge_scan_is_swallowed_and_signalled(qtbot, counter):
    field, bridge, clock, wedge = counter()
    with qtbot.waitSignal(bridge.ordonnance_scanned, timeout=2000) as blocker:
        send_keys(field, N + "\r", clock, step_ms=5)
    assert blocker.args == [N]
    assert field.text() == ""
    # a human types in the same field: everything lands, in order
    send_keys(field, "Dupont", clock, step_ms=150)
    clock.ms += 200
    wedge.poll()
    assert field.text() == "Dupont"


def test_wedge_product_with_gs_substitute_and_azerty(qtbot, counter):
    field, bridge, clock, wedge = counter(gs_substitute="~")
    payload = f"010{fx.REAL_CIP13[0]}17280331" + "10AB12~21SN9"
    with qtbot.waitSignal(bridge.product_scanned, timeout=2000) as blocker:
        send_keys(field, payload + "\r", clock, step_ms=3)
    result = blocker.args[0]
    assert isinstance(result, ScanResult) and result.fields["serial"] == "SN9"
    with qtbot.waitSignal(bridge.product_scanned, timeout=2000) as blocker:
        send_keys(field, fx.REAL_CIP13[1].translate(str.maketrans("1234567890", "&é\"'(-è_çà")) + "\r",
                  clock, step_ms=3)
    assert blocker.args[0].fields["cip13"] == fx.REAL_CIP13[1]
    assert field.text() == ""


def test_wedge_rejects_a_scanned_foreign_code(qtbot, counter):
    field, bridge, clock, wedge = counter()
    with qtbot.waitSignal(bridge.scan_rejected, timeout=2000) as blocker:
        send_keys(field, "WIFI:S:pharma;;\r", clock, step_ms=4)
    assert blocker.args[0] and field.text() == ""


def test_camera_results_arrive_on_the_gui_thread(qtbot, tmp_path):
    frames = [fx.on_canvas(fx.qr(N))] * 3 + [fx.on_canvas(fx.code128("10000000009")),
                                             fx.on_canvas(fx.qr("bonjour")),
                                             fx.on_canvas(fx.gs1_datamatrix(fx.box_hri(fx.REAL_CIP13[2])))]
    video = fx.write_video(tmp_path / "demo.avi", frames)
    bridge = ScannerBridge(ScannerSettings(fps=50))
    got, threads, previews = [], set(), []

    def record(name):
        def slot(value):
            threads.add(threading.current_thread() is threading.main_thread())
            got.append((name, value))
        return slot

    bridge.ordonnance_scanned.connect(record("ordonnance"))
    bridge.prescriber_scanned.connect(record("prescriber"))
    bridge.scan_rejected.connect(record("rejected"))
    bridge.product_scanned.connect(record("product"))
    bridge.frame_ready.connect(previews.append)
    try:
        assert bridge.start_camera(str(video), preview=True, pace=False)
        qtbot.waitUntil(lambda: len(got) == 4, timeout=10_000)
    finally:
        bridge.shutdown()
    assert [name for name, _ in got] == ["ordonnance", "prescriber", "rejected", "product"]
    assert got[0][1] == N and got[1][1] == "10000000009"
    assert got[2][1] == "Ce QR code n'est pas une ordonnance numérique"
    assert got[3][1].kind is ScanKind.PRODUCT
    assert threads == {True}
    assert previews and isinstance(previews[0], np.ndarray)
    image = frame_to_qimage(previews[0])
    assert (image.width(), image.height()) == (640, 480) and not image.isNull()


def test_camera_errors_are_signalled(qtbot, tmp_path):
    bridge = ScannerBridge(ScannerSettings(backend="nope"))
    with qtbot.waitSignal(bridge.camera_error, timeout=1000) as blocker:
        assert not bridge.start_camera(str(tmp_path))
    assert "inconnu" in blocker.args[0]
    bridge = ScannerBridge(ScannerSettings())
    with qtbot.waitSignal(bridge.camera_error, timeout=5000) as blocker:
        bridge.start_camera(str(tmp_path / "missing.avi"))
    assert "introuvable" in blocker.args[0]
    bridge.shutdown()


def test_serial_scanner_through_the_bridge(qtbot):
    bridge = ScannerBridge(ScannerSettings(serial_port="loop://"))
    try:
        assert bridge.start_serial()
        with qtbot.waitSignal(bridge.ordonnance_scanned, timeout=3000) as blocker:
            bridge.serial.open().write(f"{N}\r".encode())
        assert blocker.args == [N]
    finally:
        bridge.shutdown()


def test_enter_of_a_scan_never_validates_the_field_but_a_human_enter_does(qtbot, counter):
    field, bridge, clock, wedge = counter()
    pressed = []
    field.returnPressed.connect(lambda: pressed.append(field.text()))
    send_keys(field, N + "\r", clock, step_ms=2)
    assert pressed == []
    send_keys(field, "12\r", clock, step_ms=300)
    clock.ms += 300
    wedge.poll()
    assert pressed == ["12"] and field.text() == "12"


def test_prefixed_scan_then_human_typing(qtbot, counter):
    field, bridge, clock, wedge = counter(wedge_prefix="$$", wedge_suffix="#")
    with qtbot.waitSignal(bridge.ordonnance_scanned, timeout=2000):
        send_keys(field, f"$${N}#\r", clock, step_ms=70)  # slow scanner: only the prefix tells
    send_keys(field, "a1b2c3", clock, step_ms=400)
    clock.ms += 400
    wedge.poll()
    assert field.text() == "a1b2c3"


def test_a_serial_port_that_cannot_open_is_reported_without_blocking_the_gui(qtbot):
    bridge = ScannerBridge(ScannerSettings(serial_port="/dev/does-not-exist-42"))
    try:
        with qtbot.waitSignal(bridge.camera_error, timeout=5000) as blocker:
            assert bridge.start_serial()  # opened in the reader's thread: the failure comes as a signal
        assert "impossible à ouvrir" in blocker.args[0]
    finally:
        bridge.shutdown()


class _HeldDecoder:
    """The Decoder interface; ``decode`` waits on ``gate``, which only the test opens."""

    name = "held"

    def __init__(self):
        self.gate, self.decoding = threading.Event(), threading.Event()

    def decode(self, frame):
        self.decoding.set()
        assert self.gate.wait(5)
        return []


def test_stopping_the_camera_returns_at_once(qtbot, tmp_path, monkeypatch):
    from app.ui import scanner as scanner_module

    decoder = _HeldDecoder()
    monkeypatch.setattr(scanner_module, "get_decoder", lambda _backend: decoder)
    video = fx.write_video(tmp_path / "long.avi", [fx.on_canvas(fx.qr(N))] * 20, fps=5)
    bridge = ScannerBridge(ScannerSettings(fps=5))
    assert bridge.start_camera(str(video))
    reader = bridge.camera
    assert decoder.decoding.wait(5)
    bridge.stop_camera()  # the worker is held in decode() until the test opens the gate:
    assert bridge.camera is None and reader.running  # so stop_camera returned without waiting for it
    decoder.gate.set()
    qtbot.waitUntil(lambda: not reader.running, timeout=5000)  # it ended by itself
    bridge.shutdown()


def test_a_failing_camera_is_told_once_on_the_gui_thread(qtbot, tmp_path, monkeypatch):
    from app.scanning.camera import DECODE_FAILED
    from app.ui import scanner as scanner_module

    class Broken:
        name = "broken"

        def decode(self, frame):
            raise ValueError("decoder defect")

    monkeypatch.setattr(scanner_module, "get_decoder", lambda _backend: Broken())
    video = fx.write_video(tmp_path / "v.avi", [fx.on_canvas(fx.qr(N))] * 15, fps=5)
    bridge = ScannerBridge(ScannerSettings(fps=50))
    errors = []
    bridge.camera_error.connect(lambda message: errors.append(
        (message, threading.current_thread() is threading.main_thread())))
    try:
        assert bridge.start_camera(str(video), pace=False)
        reader = bridge.camera
        assert reader.wait(10)
        qtbot.waitUntil(lambda: bool(errors), timeout=5000)
        QApplication.processEvents()
    finally:
        bridge.shutdown()
    assert errors == [(DECODE_FAILED, True)] and reader.faults.total == 15


def test_a_wedge_failure_gives_the_keys_back_and_says_so(qtbot, counter, monkeypatch):
    field, bridge, clock, wedge = counter()
    errors = []
    bridge.camera_error.connect(errors.append)
    real_feed = wedge.decoder.feed
    fail = {"at": 3}

    def feed(text, t_ms):
        fail["at"] -= 1
        if fail["at"] == 0:
            raise RuntimeError("wedge defect")
        return real_feed(text, t_ms)

    monkeypatch.setattr(wedge.decoder, "feed", feed)
    send_keys(field, "ABCDEF", clock, step_ms=3)  # scanner speed: A and B are held when C fails
    assert field.text() == "ABC"  # the held keys and the current one were given back, in order
    assert errors == ["Scanner (clavier) : une lecture a échoué ; scannez à nouveau (détails dans le journal)"]
    clock.ms += 1000
    wedge.poll()
    assert field.text() == "ABCDEF"
    field.clear()
    with qtbot.waitSignal(bridge.ordonnance_scanned, timeout=2000) as blocker:
        send_keys(field, N + "\r", clock, step_ms=3)  # the next scan is read as usual
    assert blocker.args == [N] and field.text() == ""


def _grouped(number: str) -> str:
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def test_a_grouped_number_typed_at_scanner_speed_is_an_ordonnance(qtbot, counter):
    """Issue 14 point 2: the number as printed under the QR code, spaces included, typed at scanner
    speed (qtbot's key clicks, the injected clock standing still) is read; typed slowly it reaches the
    field untouched for the page to read."""
    field, bridge, clock, wedge = counter()
    assert " " in _grouped(N)
    with qtbot.waitSignal(bridge.ordonnance_scanned, timeout=2000) as blocker:
        qtbot.keyClicks(field, _grouped(N))
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert blocker.args == [N]
    assert field.text() == ""
    # one character wrong: the check character says so, not "code non reconnu"
    wrong = _grouped(N[:-1] + ("A" if N[-1] != "A" else "B"))
    with qtbot.waitSignal(bridge.scan_rejected, timeout=2000) as blocker:
        qtbot.keyClicks(field, wrong)
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "clé de contrôle" in blocker.args[0]
    # slowly, by hand: every key lands in the field
    send_keys(field, _grouped(N), clock, step_ms=150)
    clock.ms += 200
    wedge.poll()
    assert field.text() == _grouped(N)
