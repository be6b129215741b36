"""Decoder backends: numpy frames (BGR or grayscale, as OpenCV gives them) in, symbols out.

zxing-cpp is the default (QR, DataMatrix incl. GS1, EAN-13, Code 128, fast and rotation-tolerant);
pyzbar is the second backend (QR, EAN-13, Code 128, no DataMatrix) and needs the system library
libzbar0. Text is returned in zxing-cpp's "plain" mode so that GS1 separators stay ``\\x1d``.
"""

from __future__ import annotations

import importlib.util
from typing import Any, Protocol

import numpy as np

from app.scanning.errors import BackendUnavailable
from app.scanning.symbols import Symbol

BACKENDS = ("zxing", "pyzbar")


class Decoder(Protocol):
    name: str

    def decode(self, frame: np.ndarray) -> list[Symbol]:
        """Every symbol found in ``frame`` (possibly none)."""
        ...


def _gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 3 and frame.shape[2] == 4:
        frame = frame[:, :, :3]
    if frame.ndim == 3:
        import cv2

        return cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(frame)


def _sharpen(gray: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.addWeighted(gray, 2.0, cv2.GaussianBlur(gray, (0, 0), 2), -1.0, 0)


def _equalise(gray: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(gray)


class ZxingDecoder:
    """zxing-cpp tuned on ``benchmarks/decode.py`` (1280×720 frames, see the figures there).

    Measured: one pass over the four formats costs ~6× a QR-only pass (the DataMatrix detector and
    the rotated 1D scan dominate), so the default ``cascade`` mode reads QR codes first, then
    DataMatrix, then EAN-13/Code 128, and stops at the first pass that finds something; only a frame
    where nothing was found gets the "hard frame" retries (unsharp mask for blur, CLAHE for low
    contrast and glare), which recover most of the remaining misses. ``exhaustive`` mode (the
    ``decode`` command) reads every format in one pass so several symbols in one image all come out.
    ``try_invert`` is off: pharmacy symbols are dark on light, and it doubles the work on misses.
    """

    name = "zxing"

    def __init__(self, *, formats: Any = None, exhaustive: bool = False, retries: bool = True,
                 try_downscale: bool = True, try_invert: bool = False) -> None:
        import zxingcpp

        self._zx = zxingcpp
        f = zxingcpp.BarcodeFormat
        common = {"text_mode": zxingcpp.TextMode.Plain, "try_downscale": try_downscale, "try_invert": try_invert}
        if formats is not None or exhaustive:
            chosen = formats if formats is not None else (f.QRCode, f.DataMatrix, f.EAN13, f.Code128)
            self._passes = [dict(common, formats=chosen)]
        else:
            self._passes = [
                dict(common, formats=(f.QRCode,), try_rotate=False),  # QR detection is rotation-free
                dict(common, formats=(f.DataMatrix,)),
                dict(common, formats=(f.EAN13, f.Code128)),
            ]
        self._retries = [(_sharpen, dict(common, formats=(f.QRCode, ))),
                         (_sharpen, dict(common, formats=(f.DataMatrix,))),
                         (_equalise, dict(common, formats=(f.DataMatrix,)))] if retries else []

    def decode(self, frame: np.ndarray) -> list[Symbol]:
        gray = _gray(frame)
        for options in self._passes:
            found = self._zx.read_barcodes(gray, **options)
            if found:
                return [self._symbol(r) for r in found]
        for prepare, options in self._retries:
            found = self._zx.read_barcodes(prepare(gray), **options)
            if found:
                return [self._symbol(r) for r in found]
        return []

    @staticmethod
    def _symbol(r: Any) -> Symbol:
        fmt = str(r.format.name) if hasattr(r.format, "name") else str(r.format)
        return Symbol(fmt, r.text, bytes(r.bytes), r.symbology_identifier or None)


_ZBAR_FORMATS = {"QRCODE": ("QRCode", "]Q1"), "EAN13": ("EAN13", "]E0"), "CODE128": ("Code128", "]C0")}


class PyzbarDecoder:
    """pyzbar (zbar) for QR, EAN-13 and Code 128."""

    name = "pyzbar"

    def __init__(self) -> None:
        try:
            from pyzbar import pyzbar
        except (ImportError, OSError) as exc:  # the wrapper or libzbar.so.0 missing
            raise BackendUnavailable(
                "Lecteur de codes « pyzbar » indisponible : installez la bibliothèque système zbar "
                "(paquet libzbar0) ou choisissez « zxing » dans les réglages du scanner",
                detail=repr(exc),
            ) from exc
        self._zbar = pyzbar
        self._symbols = [pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.EAN13, pyzbar.ZBarSymbol.CODE128]

    def decode(self, frame: np.ndarray) -> list[Symbol]:
        symbols = []
        for r in self._zbar.decode(_gray(frame), symbols=self._symbols):
            fmt, aim = _ZBAR_FORMATS.get(r.type, (r.type, None))
            raw = bytes(r.data)
            if fmt == "Code128" and raw.startswith(b"\x1d"):  # zbar reports FNC1 first as GS
                raw, aim = raw[1:], "]C1"
            symbols.append(Symbol(fmt, raw.decode("utf-8", errors="replace"), raw, aim))
        return symbols


def get_decoder(backend: str = "zxing", *, exhaustive: bool = False) -> Decoder:
    """The decoder named in the settings; raise BackendUnavailable (French) when it cannot load.

    ``exhaustive``: every symbol of every format in the frame (files), rather than the fastest read
    of the first one found (camera).
    """
    name = (backend or "zxing").strip().lower()
    if name in ("zxing", "zxing-cpp", "zxingcpp"):
        if importlib.util.find_spec("zxingcpp") is None:
            raise BackendUnavailable(
                "Lecteur de codes « zxing » indisponible : le module zxing-cpp n'est pas installé")
        return ZxingDecoder(exhaustive=exhaustive)
    if name == "pyzbar":
        return PyzbarDecoder()
    raise BackendUnavailable(
        f"Lecteur de codes inconnu : « {backend} » (choix possibles : {', '.join(BACKENDS)})")
