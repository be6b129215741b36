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


def _upscale(gray: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _fit(gray: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """``gray`` shrunk so its longer side is at most ``side`` px, and the factor applied."""
    import cv2

    longest = max(gray.shape[:2])
    if longest <= side:
        return gray, 1.0
    factor = side / longest
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), factor


class ZxingDecoder:
    """zxing-cpp, with the costly passes spent only where a code may be (measured in
    ``benchmarks/decode.py`` on webcam-like 1280×720 frames, ratios against pyzbar in the same run).

    Measured: a full-frame DataMatrix pass with rotation costs ~0.2× pyzbar's whole decode, and the
    former "hard frame" retries (unsharp mask, CLAHE, each followed by full-frame passes) brought a
    frame without any symbol to ~1.2× pyzbar. Now every frame gets:

    1. one full-frame QR pass (``try_rotate`` off: QR detection is rotation-free), ~0.03×;
    2. the candidate regions of :mod:`app.scanning.regions` (~0.02×), and on each 2D one, in order
       until one reads: DataMatrix and QR on the crop; the crop upscaled 2× (bicubic), then the same
       sharpened, which read the small blurred codes a camera sees from afar (modules of ~3 px:
       measured, the sharpened upscale reads half again as many as the plain one, which still reads
       a few the other misses); the crop sharpened (blur); the crop contrast-equalised (low
       contrast, glare). Each of the four was measured to read codes none of the others reads;
    3. on each 1D candidate, EAN-13 and Code 128 on the crop, then, if its bars are off the axes,
       on the crop turned so they stand upright: a box held at any angle reads (zxing-cpp alone
       reads 1D codes near 0° and 90° only). Measured
       against a full-frame 1D pass as well: one rotated code in 40 more, for 0.06× pyzbar on
       every frame; not kept.

    Regions where a symbol was already read are skipped. The camera (default) stops at the first
    step that reads something, so an ordonnance QR costs one pass; ``exhaustive`` (the ``decode``
    command) goes through every step and returns every symbol of the frame, each once.
    ``formats``: one plain full-frame pass with those formats and nothing else (the benchmark's
    baselines). ``retries=False``: no region passes. ``try_invert`` is off: pharmacy symbols are
    dark on light, and it doubles the work on misses.
    """

    name = "zxing"

    def __init__(self, *, formats: Any = None, exhaustive: bool = False, retries: bool = True,
                 try_downscale: bool = True, try_invert: bool = False, max_regions: int | None = None) -> None:
        import zxingcpp

        self._zx = zxingcpp
        f = zxingcpp.BarcodeFormat
        self._f = f
        self._common = {"text_mode": zxingcpp.TextMode.Plain, "try_downscale": try_downscale,
                        "try_invert": try_invert}
        self._only = None if formats is None else dict(self._common, formats=formats)
        self.exhaustive = exhaustive
        self.retries = retries
        self.max_regions = max_regions if max_regions is not None else (5 if exhaustive else 3)

    def decode(self, frame: np.ndarray) -> list[Symbol]:
        gray = _gray(frame)
        if self._only is not None:
            return [self._symbol(r) for r in self._zx.read_barcodes(gray, **self._only)]
        found = _Found()
        f = self._f
        if found.add(self._read(gray, (f.QRCode,), try_rotate=False)) and not self.exhaustive:
            return found.symbols
        two, one = [], []
        if self.retries:
            from app.scanning.regions import candidate_regions

            two, one = candidate_regions(gray, max_2d=self.max_regions, max_1d=3)
        for region in two:
            if not found.covers(region) and self._region_2d(gray, region, found) and not self.exhaustive:
                return found.symbols
        for region in one:
            if not found.covers(region) and self._region_1d(gray, region, found) and not self.exhaustive:
                return found.symbols
        return found.symbols

    def _region_1d(self, gray: np.ndarray, region, found: _Found) -> bool:
        """A 1D candidate as it is (zxing-cpp reads bars near 0° and 90°), else turned upright."""
        import cv2

        f = self._f
        x0, y0, crop = region.crop(gray)
        if found.add(self._read(crop, (f.EAN13, f.Code128)), x0, y0):
            return True
        off_axis = abs((region.angle + 45) % 90 - 45)
        if off_axis < 10:
            return False
        h, w = crop.shape
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), region.angle, 1.0)
        side = int(np.hypot(w, h)) + 1
        turn[:, 2] += (side - w) / 2, (side - h) / 2
        upright = cv2.warpAffine(crop, turn, (side, side), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        if found.add(self._read(upright, (f.EAN13, f.Code128)), factor=None):
            found.mark(region)  # a position in the turned image is not mapped back: the region stands
            return True
        return False

    def _region_2d(self, gray: np.ndarray, region, found: _Found) -> bool:
        """The extra passes on one 2D candidate, cheapest first, until one reads something."""
        f = self._f
        x0, y0, crop = region.crop(gray)
        crop, factor = _fit(crop, 480)  # a close-up code needs no full resolution, and stays cheap
        matrix = (f.DataMatrix, f.QRCode)
        if found.add(self._read(crop, matrix), x0, y0, factor):
            return True
        if max(crop.shape) <= 360:  # a small code: upscaled 2×, then also sharpened
            bigger = _upscale(crop)
            for image in (bigger, _sharpen(bigger)):
                if found.add(self._read(image, matrix, try_downscale=False), x0, y0, 2 * factor):
                    return True
        if found.add(self._read(_sharpen(crop), matrix), x0, y0, factor):
            return True
        return found.add(self._read(_equalise(crop), matrix), x0, y0, factor)

    def _read(self, gray: np.ndarray, formats: tuple, **options: Any) -> list:
        return self._zx.read_barcodes(gray, **dict(self._common, formats=formats, **options))

    @staticmethod
    def _symbol(r: Any) -> Symbol:
        fmt = str(r.format.name) if hasattr(r.format, "name") else str(r.format)
        return Symbol(fmt, r.text, bytes(r.bytes), r.symbology_identifier or None)


class _Found:
    """Symbols read so far in one frame (each once), and where they are (full-frame coordinates)."""

    def __init__(self) -> None:
        self._symbols: dict[tuple[str, str], Symbol] = {}
        self._boxes: list[tuple[float, float, float, float]] = []

    @property
    def symbols(self) -> list[Symbol]:
        return list(self._symbols.values())

    def add(self, results: list, x0: int = 0, y0: int = 0, factor: float | None = 1.0) -> bool:
        """Record zxing results read on a crop at ``(x0, y0)`` scaled by ``factor`` (None: an image
        whose positions do not map back to the frame); True if any."""
        for r in results:
            symbol = ZxingDecoder._symbol(r)
            if symbol.key in self._symbols:
                continue
            self._symbols[symbol.key] = symbol
            if factor is None:
                continue
            p = r.position
            xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
            ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
            self._boxes.append((x0 + min(xs) / factor, y0 + min(ys) / factor,
                                x0 + max(xs) / factor, y0 + max(ys) / factor))
        return bool(results)

    def mark(self, region) -> None:
        """Record ``region`` as where the last symbol was read (its position was in another frame)."""
        self._boxes.append((region.x, region.y, region.x + region.w, region.y + region.h))

    def covers(self, region) -> bool:
        """True when a symbol already read sits at the centre of ``region``."""
        cx, cy = region.x + region.w / 2, region.y + region.h / 2
        return any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in self._boxes)


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
