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


class ZxingDecoder:
    """zxing-cpp restricted to the four formats of the counter.

    Options measured with ``benchmarks/decode.py``: restricting the formats is the main speed-up;
    ``try_downscale`` keeps large, blurred symbols readable and ``try_invert`` is off (pharmacy
    symbols are dark on light).
    """

    name = "zxing"

    def __init__(self, *, formats: Any = None, try_downscale: bool = True, try_rotate: bool = True,
                 try_invert: bool = False) -> None:
        import zxingcpp

        self._zx = zxingcpp
        self._formats = formats if formats is not None else (
            zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.DataMatrix,
            zxingcpp.BarcodeFormat.EAN13, zxingcpp.BarcodeFormat.Code128,
        )
        self._options = {"try_downscale": try_downscale, "try_rotate": try_rotate, "try_invert": try_invert}

    def decode(self, frame: np.ndarray) -> list[Symbol]:
        results = self._zx.read_barcodes(_gray(frame), formats=self._formats,
                                         text_mode=self._zx.TextMode.Plain, **self._options)
        symbols = []
        for r in results:
            fmt = str(r.format.name) if hasattr(r.format, "name") else str(r.format)
            symbols.append(Symbol(fmt, r.text, bytes(r.bytes), r.symbology_identifier or None))
        return symbols


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


def get_decoder(backend: str = "zxing") -> Decoder:
    """The decoder named in the settings; raise BackendUnavailable (French) when it cannot load."""
    name = (backend or "zxing").strip().lower()
    if name in ("zxing", "zxing-cpp", "zxingcpp"):
        if importlib.util.find_spec("zxingcpp") is None:
            raise BackendUnavailable(
                "Lecteur de codes « zxing » indisponible : le module zxing-cpp n'est pas installé")
        return ZxingDecoder()
    if name == "pyzbar":
        return PyzbarDecoder()
    raise BackendUnavailable(
        f"Lecteur de codes inconnu : « {backend} » (choix possibles : {', '.join(BACKENDS)})")
