"""The camera worker on a generated video file and an image folder (no hardware)."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest

from app.config import ScannerSettings
from app.scanning.camera import CameraReader, Debouncer
from app.scanning.decoders import get_decoder
from app.scanning.symbols import ScanKind, Symbol
from tests.scanning import factory as fx

FAST = ScannerSettings(fps=1000)


class Collector:
    def __init__(self):
        self.results, self.errors, self.frames = [], [], 0
        self.threads = set()

    def on_result(self, symbol, result):
        self.threads.add(threading.current_thread().name)
        self.results.append((symbol, result))

    def on_error(self, message):
        self.errors.append(message)

    def on_frame(self, frame):
        self.frames += 1


def _sequence():
    blank = np.full((480, 640, 3), 235, np.uint8)
    qr_a = fx.on_canvas(fx.qr(fx.ORDONNANCES[0]))
    box = fx.on_canvas(fx.gs1_datamatrix(fx.box_hri(fx.REAL_CIP13[1])))
    qr_b = fx.on_canvas(fx.qr(fx.ORDONNANCES[2]))
    # A held in view 3 frames, a box, A again after a long absence, then B
    return [qr_a, qr_a, qr_a, blank, box, box] + [blank] * 12 + [qr_a, qr_b]


@pytest.mark.parametrize("backend", ["zxing", "pyzbar"])
def test_video_file_through_the_worker(tmp_path, backend):
    video = fx.write_video(tmp_path / "counter.avi", _sequence(), fps=10)
    got = Collector()
    reader = CameraReader(str(video), get_decoder(backend), got.on_result, got.on_error,
                          ScannerSettings(fps=10), on_frame=got.on_frame, pace=False)
    reader.start()
    assert reader.wait(20)
    assert got.errors == [] and got.frames == 20
    texts = [r.fields.get("number") or r.fields.get("cip13") for _, r in got.results]
    expected = [fx.ORDONNANCES[0], fx.REAL_CIP13[1], fx.ORDONNANCES[0], fx.ORDONNANCES[2]]
    if backend == "pyzbar":  # zbar has no DataMatrix
        expected.remove(fx.REAL_CIP13[1])
    assert texts == expected
    assert got.threads == {"comptoir-camera"}


def test_folder_of_images(tmp_path):
    for i, frame in enumerate(_sequence()[:6]):
        cv2.imwrite(str(tmp_path / f"f{i:03d}.png"), frame)
    (tmp_path / "notes.txt").write_text("ignored")
    got = Collector()
    reader = CameraReader(tmp_path, get_decoder("zxing"), got.on_result, got.on_error, FAST)
    reader.start()
    assert reader.wait(10)
    assert [r.kind for _, r in got.results] == [ScanKind.ORDONNANCE, ScanKind.PRODUCT]
    assert got.results[1][1].fields["serial"] == "SN8842X1"


def test_stop_interrupts_a_paced_source(tmp_path):
    video = fx.write_video(tmp_path / "long.avi", [fx.on_canvas(fx.qr(fx.ORDONNANCES[0]))] * 50, fps=5)
    got = Collector()
    reader = CameraReader(str(video), get_decoder("zxing"), got.on_result, got.on_error, ScannerSettings(fps=5))
    reader.start()
    reader.stop(timeout=3)
    assert not reader.running and reader.frames_read < 50


class _BlockingDecoder:
    """The Decoder interface; ``decode`` waits on ``gate`` (a slow frame), then finds ``symbols``."""

    def __init__(self, symbols):
        self.symbols, self.gate, self.decoding = symbols, threading.Event(), threading.Event()

    def decode(self, frame):
        self.decoding.set()
        assert self.gate.wait(5)
        return list(self.symbols)


def test_stop_returns_at_once_and_nothing_is_reported_after_it(tmp_path):
    video = fx.write_video(tmp_path / "long.avi", [fx.on_canvas(fx.qr(fx.ORDONNANCES[0]))] * 20, fps=5)
    got = Collector()
    decoder = _BlockingDecoder(get_decoder("zxing").decode(fx.on_canvas(fx.qr(fx.ORDONNANCES[0]))))
    reader = CameraReader(str(video), decoder, got.on_result, got.on_error, ScannerSettings(fps=5))
    reader.start()
    assert decoder.decoding.wait(5)
    t0 = time.monotonic()
    assert not reader.stop()  # the worker is busy decoding: asked to stop, not waited for
    assert time.monotonic() - t0 < 0.2
    decoder.gate.set()
    assert reader.wait(5)
    assert got.results == [] and got.errors == []


def test_a_new_reader_waits_for_the_previous_one_in_its_own_thread(tmp_path):
    video = fx.write_video(tmp_path / "v.avi", [fx.on_canvas(fx.qr(fx.ORDONNANCES[0]))] * 3, fps=5)
    first_decoder = _BlockingDecoder([])
    first = CameraReader(str(video), first_decoder, lambda *_: None, lambda _m: None, FAST)
    first.start()
    assert first_decoder.decoding.wait(5)
    first.stop()
    got = Collector()
    second = CameraReader(str(video), get_decoder("zxing"), got.on_result, got.on_error, FAST)
    second.start(after=first)  # returns at once; its thread waits for the first to let go
    time.sleep(0.2)
    assert second.running and second.frames_read == 0
    first_decoder.gate.set()
    assert second.wait(10) and not first.running
    assert [r.kind for _, r in got.results] == [ScanKind.ORDONNANCE]


@pytest.mark.parametrize("source", ["/nonexistent/video.avi", "99"])
def test_unusable_source_reports_in_french(tmp_path, source):
    got = Collector()
    reader = CameraReader(source, get_decoder("zxing"), got.on_result, got.on_error, FAST)
    reader.start()
    assert reader.wait(10)
    assert len(got.errors) == 1 and ("introuvable" in got.errors[0] or "impossible" in got.errors[0])


def test_empty_folder(tmp_path):
    got = Collector()
    reader = CameraReader(tmp_path, get_decoder("zxing"), got.on_result, got.on_error, FAST)
    reader.start()
    reader.wait(5)
    assert "aucune image" in got.errors[0]


def test_debouncer_fires_once_while_in_view():
    a, b = Symbol("QRCode", "A"), Symbol("QRCode", "B")
    d = Debouncer(hold_s=0.5)
    assert d.fresh([a], 0.0) == [a]
    assert d.fresh([a], 0.1) == [] and d.fresh([a, b], 0.2) == [b]
    assert d.fresh([], 0.3) == [] and d.fresh([a], 0.6) == []  # a short decode miss does not re-fire
    assert d.fresh([a], 1.2) == [a]  # out of sight for 0.6 s: a new scan
