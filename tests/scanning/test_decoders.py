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


# --- codes far from the camera, and frames without any --------------------------------------------

def _native_qr_reads(frame) -> bool:
    import zxingcpp

    return bool(zxingcpp.read_barcodes(frame, formats=zxingcpp.BarcodeFormat.QRCode))


def _region_upscaled_reads(frame, corners) -> bool:
    """What makes a far code "readable": a 2× upscale of its own region reads it."""
    import zxingcpp

    x0, y0 = np.maximum(corners.min(axis=0) - 20, 0).astype(int)
    x1, y1 = np.minimum(corners.max(axis=0) + 20, [fx.W, fx.H]).astype(int)
    region = cv2.resize(frame[y0:y1, x0:x1], None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    return bool(zxingcpp.read_barcodes(region, formats=zxingcpp.BarcodeFormat.QRCode))


def test_far_blurred_noisy_qr_codes_missed_at_native_size_are_read_by_both_paths():
    """Modules of ~3 px, blur and sensor noise: a plain pass misses them, the region pass reads them."""
    rng = np.random.default_rng(1713)
    hard = []
    for _ in range(40):
        number = fx.random_ordonnance(rng)
        frame, corners = fx.far_qr_frame(f"https://ordonnance.example/o/{number}", rng, [])
        if not _native_qr_reads(frame) and _region_upscaled_reads(frame, corners):
            hard.append((frame, number))
    assert len(hard) >= 4  # the generator does make such codes
    for mode in (False, True):  # the camera, then the decode command
        decoder = get_decoder("zxing", exhaustive=mode)
        for frame, number in hard:
            numbers = [classify(s.text, s.aim or s.format).fields.get("number") for s in decoder.decode(frame)]
            assert numbers == [number]


def test_no_false_read_on_cluttered_counters():
    rng = np.random.default_rng(99)
    frames = [fx.degrade(fx.cluttered_background(rng), rng, [], (640, 360)) for _ in range(8)]
    for mode in (False, True):
        decoder = get_decoder("zxing", exhaustive=mode)
        assert [decoder.decode(frame) for frame in frames] == [[]] * 8


def _turned(symbol, angle, width=300):
    label = cv2.resize(symbol, (width, width * symbol.shape[0] // symbol.shape[1]), interpolation=cv2.INTER_NEAREST)
    frame = np.full((720, 1280), 180, np.uint8)
    h, w = label.shape
    frame[300 : 300 + h, 500 : 500 + w] = label
    turn = cv2.getRotationMatrix2D((500 + w / 2, 300 + h / 2), angle, 1.0)
    return cv2.warpAffine(frame, turn, (1280, 720), borderValue=180)


@pytest.mark.parametrize("angle", [0, 30, 45, 70, 135])
def test_a_box_barcode_held_at_any_angle_is_read(angle):
    """zxing-cpp alone reads 1D codes near 0° and 90°; the region is turned upright first."""
    import zxingcpp

    frame = _turned(fx.render(zxingcpp.create_barcode(fx.REAL_CIP13[2], zxingcpp.BarcodeFormat.EAN13)), angle)
    for mode in (False, True):
        [symbol] = get_decoder("zxing", exhaustive=mode).decode(frame)
        assert classify(symbol.text, symbol.aim or symbol.format).fields["cip13"] == fx.REAL_CIP13[2]


def test_candidate_regions_tell_2d_from_1d_at_any_angle():
    import zxingcpp

    from app.scanning.regions import candidate_regions

    f = zxingcpp.BarcodeFormat
    qr = _turned(fx.render(zxingcpp.create_barcode(fx.ORDONNANCES[0], f.QRCode)), 45, width=150)
    two, one = candidate_regions(qr)
    assert len(two) == 1 and not one and two[0].contains(575, 375)
    bars = _turned(fx.render(zxingcpp.create_barcode("10000000009", f.Code128)), 30)
    two, one = candidate_regions(bars)
    assert not two and len(one) == 1 and abs(abs(one[0].angle) - 30) < 8
    assert candidate_regions(np.full((720, 1280), 180, np.uint8)) == ([], [])
