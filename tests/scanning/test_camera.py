"""The camera worker on a generated video file and an image folder (no hardware)."""

from __future__ import annotations

import logging
import threading

import cv2
import numpy as np
import pytest

from app.config import ScannerSettings
from app.scanning import camera as camera_module
from app.scanning.camera import (
    DECODE_FAILED,
    DELIVER_FAILED,
    PREVIEW_FAILED,
    READ_FAILED,
    CameraReader,
    Debouncer,
)
from app.scanning.classify import NOT_ORDONNANCE
from app.scanning.decoders import get_decoder
from app.scanning.sources import FrameSource, open_source
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
    # The worker is held inside decode() until the gate opens, and only this thread opens it: stop()
    # answering "still running" proves it returned without waiting for the worker.
    assert not reader.stop()
    assert reader.running
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
    first_running_at_open = []

    def opener(source, **options):
        first_running_at_open.append(first.running)
        return open_source(source, **options)

    second = CameraReader(str(video), get_decoder("zxing"), got.on_result, got.on_error, FAST, opener=opener)
    second.start(after=first)  # returns while the first is still held in decode() (only we release it)
    assert second.running and first.running and first_running_at_open == []
    first_decoder.gate.set()
    assert second.wait(10) and not first.running
    assert first_running_at_open == [False]  # it opened the source only once the first had let go
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


# --- a worker survives anything and says so once ------------------------------------------------------

BAD_QR = "https://[x]/PZX2R071KJX3EZF213AF"  # urlsplit raises ValueError on it


def test_a_malformed_qr_does_not_stop_the_folder_before_the_good_one(tmp_path):
    cv2.imwrite(str(tmp_path / "a.png"), fx.on_canvas(fx.qr(BAD_QR)))
    cv2.imwrite(str(tmp_path / "b.png"), fx.on_canvas(fx.qr(fx.ORDONNANCES[1])))
    got = Collector()
    reader = CameraReader(tmp_path, get_decoder("zxing"), got.on_result, got.on_error, FAST)
    reader.start()
    assert reader.wait(10)
    assert [(r.kind, r.message) for _, r in got.results] == [(ScanKind.UNKNOWN, NOT_ORDONNANCE),
                                                          (ScanKind.ORDONNANCE, None)]
    assert got.results[1][1].fields == {"number": fx.ORDONNANCES[1]} and got.errors == []


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Frames(FrameSource):
    """Frames from a list; an item that is an exception is raised by ``read()`` instead."""

    def __init__(self, items):
        self.items, self.closed = list(items), False

    def read(self):
        if not self.items:
            return None
        item = self.items.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    def close(self):
        self.closed = True


def _frame(text=None):
    return fx.on_canvas(fx.qr(text)) if text else np.full((480, 640, 3), 235, np.uint8)


class _FlakyDecoder:
    """Raises on every frame the test marks as bad (a dark pixel at 0,0), advancing the fake clock."""

    def __init__(self, clock):
        self.clock, self.real = clock, get_decoder("zxing")

    def decode(self, frame):
        self.clock.now += 1.0
        if frame[0, 0, 0] == 0:
            raise ValueError("decoder defect on this frame")
        return self.real.decode(frame)


def _bad():
    frame = _frame()
    frame[0, 0] = 0
    return frame


def test_failing_frames_are_reported_once_then_counted_and_reading_goes_on(caplog):
    clock = FakeClock()
    frames = Frames([_bad() for _ in range(30)] + [_frame(fx.ORDONNANCES[0])])
    got = Collector()
    reader = CameraReader("fake", _FlakyDecoder(clock), got.on_result, got.on_error, FAST, pace=False,
                          clock=clock, opener=lambda *_a, **_k: frames, summary_s=10)
    with caplog.at_level(logging.WARNING, logger="app.scanning.camera"):
        reader.start()
        assert reader.wait(10)
    assert got.errors == [DECODE_FAILED]  # the UI is told once, in French
    assert [r.fields for _, r in got.results] == [{"number": fx.ORDONNANCES[0]}]  # and the code after is read
    records = [r for r in caplog.records if r.name == "app.scanning.camera"]
    assert [r.exc_info is not None for r in records] == [True, False, False, False]  # one traceback
    summaries = [r.getMessage() for r in records[1:]]
    assert [m.rsplit("×", 1)[1] for m in summaries] == ["9", "10", "10"]  # every 10 s of the clock
    assert all("decode ValueError" in m for m in summaries)
    assert frames.closed and reader.faults.total == 30


def test_every_stage_may_fail_and_the_next_code_is_still_read(monkeypatch):
    real_classify = camera_module.classify

    def classify(text, *args, **kwargs):
        if text == fx.ORDONNANCES[1]:
            raise RuntimeError("classify defect")
        return real_classify(text, *args, **kwargs)

    monkeypatch.setattr(camera_module, "classify", classify)
    got, calls = Collector(), []

    def on_result(symbol, result):
        calls.append(result.fields.get("number"))
        if len(calls) == 1:
            raise RuntimeError("the UI callback failed once")
        got.on_result(symbol, result)

    def on_frame(_frame):
        raise RuntimeError("preview defect")

    frames = Frames([_frame(fx.ORDONNANCES[0]), OSError("frame lost"), _frame(fx.ORDONNANCES[1]),
                     _frame(fx.ORDONNANCES[2])])
    reader = CameraReader("fake", get_decoder("zxing"), on_result, got.on_error, FAST, pace=False,
                          on_frame=on_frame, opener=lambda *_a, **_k: frames)
    reader.start()
    assert reader.wait(10)
    assert calls == [fx.ORDONNANCES[0], fx.ORDONNANCES[2]]  # ORDONNANCES[1] failed in classify
    assert [r.fields for _, r in got.results] == [{"number": fx.ORDONNANCES[2]}]
    # each kind of failure told once (the callback and classify failures are one: "deliver")
    assert got.errors == [PREVIEW_FAILED, DELIVER_FAILED, READ_FAILED]
    assert reader.faults.total == 3 + 2 + 1  # preview ×3, deliver ×2, read ×1


def test_an_unexpected_error_opening_the_source_is_reported():
    got = Collector()

    def opener(*_a, **_k):
        raise RuntimeError("driver crashed")

    reader = CameraReader("fake", get_decoder("zxing"), got.on_result, got.on_error, FAST, opener=opener)
    reader.start()
    assert reader.wait(5) and len(got.errors) == 1 and "Caméra impossible à ouvrir" in got.errors[0]
