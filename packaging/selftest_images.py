"""Draws the two images ``comptoir --self-test`` reads (resources/selftest/): the QR code of an
ordonnance and the GS1 DataMatrix of a box, each as a webcam would show it — a sheet or a box
label slightly turned and out of focus in a 640×480 frame — from the values in app/cli/selftest.py.

Run it only when those values change: ``python packaging/selftest_images.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.cli.selftest import BOX, DATAMATRIX_IMAGE, QR_IMAGE, QR_NUMBER  # noqa: E402

FRAME = (480, 640)
PAPER = 232  # grey level of a sheet under counter lighting


def _symbol(barcode, scale: int) -> np.ndarray:
    return np.array(zxingcpp.write_barcode_to_image(barcode, scale=scale, add_quiet_zones=True))


def _as_seen(symbol: np.ndarray, angle: float, centre: tuple[int, int], blur: float) -> np.ndarray:
    """``symbol`` on a sheet in a frame: turned by ``angle`` degrees around ``centre``, then blurred."""
    frame = np.full(FRAME, PAPER, np.uint8)
    h, w = symbol.shape
    top, left = centre[1] - h // 2, centre[0] - w // 2
    frame[top:top + h, left:left + w] = np.where(symbol < 128, 30, PAPER).astype(np.uint8)
    turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
    frame = cv2.warpAffine(frame, turn, (FRAME[1], FRAME[0]), flags=cv2.INTER_LINEAR, borderValue=PAPER)
    return cv2.GaussianBlur(frame, (0, 0), blur)


def main() -> int:
    qr = _symbol(zxingcpp.create_barcode(str(QR_NUMBER), zxingcpp.BarcodeFormat.QRCode), 7)
    hri = f"(01)0{BOX['cip13']}(17){BOX['expiry'][2:].replace('-', '')}(10){BOX['lot']}(21){BOX['serial']}"
    datamatrix = _symbol(zxingcpp.create_barcode(hri, zxingcpp.BarcodeFormat.DataMatrix, gs1=True,
                                                 forceSquare=True), 8)
    for image, symbol, angle in ((QR_IMAGE, qr, 8.0), (DATAMATRIX_IMAGE, datamatrix, -6.0)):
        path = ROOT / "resources" / Path(*image)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not cv2.imwrite(str(path), _as_seen(symbol, angle, (330, 250), 1.1), [cv2.IMWRITE_PNG_COMPRESSION, 9]):
            raise OSError(f"cannot write {path}")
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
