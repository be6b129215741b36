"""Symbols generated with zxing-cpp's writer, so the tests need no committed images and no network."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import zxingcpp

from app.domain.identifiers import OrdonnanceNumber

# Real CIP13s of the BDPM catalogue (2022-06, CIS_CIP_bdpm.txt, column 7).
REAL_CIP13 = ("3400949497294", "3400937609418", "3400938830460", "3400930055953", "3400949725625")
ORDONNANCES = tuple(OrdonnanceNumber.issue(body) for body in
                    ("0123456789ABCDEFGHJ", "KMNPQRSTVWXYZ012345", "7X3K9PQ2M4V8T1R6W0Z"))
F = zxingcpp.BarcodeFormat


def _render(barcode, scale: int) -> np.ndarray:
    return np.array(zxingcpp.write_barcode_to_image(barcode, scale=scale))


def qr(text: str, scale: int = 6) -> np.ndarray:
    return _render(zxingcpp.create_barcode(text, F.QRCode), scale)


def gs1_datamatrix(hri: str, scale: int = 6) -> np.ndarray:
    """A GS1 DataMatrix (FNC1 first, GS between variable fields) from ``(01)...(17)...`` text."""
    return _render(zxingcpp.create_barcode(hri, F.DataMatrix, gs1=True, forceSquare=True), scale)


def plain_datamatrix(text: str, scale: int = 6) -> np.ndarray:
    """A DataMatrix without FNC1 nor separators, as cheap box printers make them."""
    return _render(zxingcpp.create_barcode(text, F.DataMatrix, forceSquare=True), scale)


def ean13(digits: str, scale: int = 3) -> np.ndarray:
    return _render(zxingcpp.create_barcode(digits, F.EAN13), scale)


def code128(text: str, scale: int = 3) -> np.ndarray:
    return _render(zxingcpp.create_barcode(text, F.Code128), scale)


def on_canvas(symbol: np.ndarray, size: tuple[int, int] = (480, 640), at: tuple[int, int] = (40, 40)) -> np.ndarray:
    """The symbol pasted on a light-grey BGR frame, as a camera would see a sheet of paper."""
    frame = np.full((*size, 3), 235, np.uint8)
    h, w = symbol.shape[:2]
    y, x = at
    frame[y : y + h, x : x + w] = cv2.cvtColor(symbol, cv2.COLOR_GRAY2BGR)
    return frame


def box_hri(cip13: str, expiry: str = "271231", lot: str = "L2301A", serial: str = "SN8842X1") -> str:
    return f"(01)0{cip13}(17){expiry}(10){lot}(21){serial}"


def write_video(path: Path, frames: list[np.ndarray], fps: int = 10) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path
