"""Generated symbols through both backends, as images, a folder and a video file."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from app.scanning.classify import classify
from app.scanning.decoders import PyzbarDecoder, get_decoder
from app.scanning.errors import BackendUnavailable
from app.scanning.files import iter_frames
from app.scanning.symbols import ScanKind
from tests.scanning import factory as fx

BACKENDS = ["zxing", "pyzbar"]


def _read(backend, frame):
    decoder = get_decoder(backend)
    return [(s, classify(s.text, s.aim or s.format)) for s in decoder.decode(frame)]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("number", fx.ORDONNANCES)
def test_qr_ordonnance(backend, number):
    (symbol, result), = _read(backend, fx.on_canvas(fx.qr(number)))
    assert symbol.format == "QRCode"
    assert result.kind is ScanKind.ORDONNANCE and result.fields["number"] == number


@pytest.mark.parametrize("backend", BACKENDS)
def test_qr_uri_rotated(backend):
    frame = fx.on_canvas(fx.qr(f"https://ordonnance.example/o/{fx.ORDONNANCES[1]}"))
    frame = cv2.rotate(frame, cv2.ROTATE_90_CLOCKWISE)
    (_, result), = _read(backend, frame)
    assert result.fields["number"] == fx.ORDONNANCES[1]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("cip13", fx.REAL_CIP13[:3])
def test_ean13_cip(backend, cip13):
    (symbol, result), = _read(backend, fx.on_canvas(fx.ean13(cip13)))
    assert symbol.format == "EAN13" and result.fields["cip13"] == cip13


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("code", ["10000000009", "810000000009", "750000010"])
def test_code128_prescriber(backend, code):
    (symbol, result), = _read(backend, fx.on_canvas(fx.code128(code)))
    assert symbol.format == "Code128" and result.kind is ScanKind.PRESCRIBER


@pytest.mark.parametrize("cip13", fx.REAL_CIP13)
def test_gs1_datamatrix_with_separators(cip13):
    hri = fx.box_hri(cip13, "280331", "B7-22/X", "0042ABCDEF9")
    (symbol, result), = _read("zxing", fx.on_canvas(fx.gs1_datamatrix(hri)))
    assert symbol.format == "DataMatrix" and "\x1d" in symbol.text
    assert result.kind is ScanKind.PRODUCT
    assert result.fields | {} == {"cip13": cip13, "gtin": "0" + cip13, "expiry": "2028-03-31",
                                  "lot": "B7-22/X", "serial": "0042ABCDEF9"}


@pytest.mark.parametrize("cip13", fx.REAL_CIP13)
def test_datamatrix_without_separators(cip13):
    text = f"010{cip13}17280331" + "10LOT44X" + "21SN77K2Q"
    (symbol, result), = _read("zxing", fx.on_canvas(fx.plain_datamatrix(text)))
    assert symbol.aim == "]d1"  # no FNC1: the printer lost it
    assert (result.fields["cip13"], result.fields["lot"], result.fields["serial"]) == (cip13, "LOT44X", "SN77K2Q")
    assert result.fields["separator_restored"] is True and not result.fields.get("ambiguous")
    # a lot ending in "21" makes the split ambiguous: said, not guessed
    text = f"010{cip13}17280331" + "10LOT4421" + "21SN77K2Q"
    (_, result), = _read("zxing", fx.on_canvas(fx.plain_datamatrix(text)))
    assert result.fields["ambiguous"] is True and result.message
    assert {"lot": "LOT4421", "serial": "SN77K2Q"} in result.fields["alternatives"]


def test_several_symbols_in_one_frame():
    frame = fx.on_canvas(fx.qr(fx.ORDONNANCES[0]), size=(600, 900))
    dm = fx.gs1_datamatrix(fx.box_hri(fx.REAL_CIP13[0]))
    frame[300 : 300 + dm.shape[0], 500 : 500 + dm.shape[1]] = dm[..., None]
    decoder = get_decoder("zxing", exhaustive=True)
    kinds = sorted(classify(s.text, s.aim).kind.value for s in decoder.decode(frame))
    assert kinds == ["ordonnance", "product"]
    # the camera's cascade stops at the first format found: the QR code, fastest
    assert [s.format for s in get_decoder("zxing").decode(frame)] == ["QRCode"]


def test_empty_frame_gives_nothing():
    blank = np.full((480, 640, 3), 200, np.uint8)
    assert get_decoder("zxing").decode(blank) == [] and get_decoder("pyzbar").decode(blank) == []


def test_unknown_and_missing_backends_explain_in_french(monkeypatch):
    with pytest.raises(BackendUnavailable, match="inconnu"):
        get_decoder("quagga")
    import builtins

    real_import = builtins.__import__

    def no_zbar(name, *args, **kwargs):
        if name.startswith("pyzbar"):
            raise ImportError("Unable to find zbar shared library")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_zbar)
    with pytest.raises(BackendUnavailable, match="libzbar0"):
        PyzbarDecoder()


def test_video_file_every_frame(tmp_path):
    frames = [fx.on_canvas(fx.qr(fx.ORDONNANCES[i % 2])) for i in range(4)]
    video = fx.write_video(tmp_path / "scan.avi", frames)
    decoder = get_decoder("zxing")
    seen = [(n, s.text) for n, frame in iter_frames(video) for s in decoder.decode(frame)]
    assert [n for n, _ in seen] == [0, 1, 2, 3]
    assert [t for _, t in seen] == [fx.ORDONNANCES[0], fx.ORDONNANCES[1]] * 2
