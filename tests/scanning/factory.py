"""Symbols generated with zxing-cpp's writer, so the tests need no committed images and no network.

The second half generates what a webcam above a pharmacy counter sees (1280×720 grayscale): a code
on a label, rotated and tilted, blurred, noisy, under glare and JPEG compression; a code far from
the camera (modules of ~3 px); frames with no code but a cluttered counter (printed sheets, box
edges, ruled patterns). ``benchmarks/decode.py`` builds its corpus from them, and the tests use the
same frames with fixed seeds.
"""

from __future__ import annotations

import string
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


# --- webcam-like frames ---------------------------------------------------------------------------

W, H = 1280, 720
_WORDS = ("Paracétamol 500 mg", "1 comprimé matin midi et soir", "pendant 5 jours", "Dr MARTIN", "QSP 1 mois",
          "renouvelable 2 fois", "Amoxicilline 1 g", "01/02/2026", "Pharmacie du Centre", "boîte de 30",
          "LOT A12B", "EXP 12/2027", "RPPS 10000000009", "ordonnance", "|||| ||| |")


def counter_background(rng: np.random.Generator) -> np.ndarray:
    """A counter top: smooth shading plus texture and a few dark strokes (text, edges)."""
    base = rng.integers(90, 200)
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    shade = base + 40 * np.sin(x / rng.uniform(150, 400)) * np.cos(y / rng.uniform(150, 400))
    texture = cv2.GaussianBlur(rng.normal(0, 25, (H, W)).astype(np.float32), (0, 0), 3)
    img = np.clip(shade + texture, 0, 255).astype(np.uint8)
    for _ in range(12):
        p1 = (int(rng.integers(0, W)), int(rng.integers(0, H)))
        p2 = (p1[0] + int(rng.integers(-200, 200)), p1[1] + int(rng.integers(-20, 20)))
        cv2.line(img, p1, p2, int(rng.integers(0, 80)), int(rng.integers(1, 4)))
    return img


def cluttered_background(rng: np.random.Generator) -> np.ndarray:
    """The counter with what lies on it: printed sheets of text, box edges, a ruled pattern."""
    img = counter_background(rng)
    for _ in range(int(rng.integers(1, 3))):
        x0, y0 = int(rng.integers(0, W - 400)), int(rng.integers(0, H - 300))
        w, h = int(rng.integers(250, 500)), int(rng.integers(150, 400))
        cv2.rectangle(img, (x0, y0), (x0 + w, y0 + h), int(rng.integers(200, 250)), -1)
        y = y0 + 20
        while y < y0 + h - 10:
            scale = float(rng.uniform(0.35, 0.9))
            text = " ".join(rng.choice(_WORDS, int(rng.integers(1, 4))))
            text = text.encode("ascii", "replace").decode()  # Hershey fonts are ASCII
            cv2.putText(img, text, (x0 + 8, y), cv2.FONT_HERSHEY_SIMPLEX, scale, int(rng.integers(0, 60)),
                        1 + int(scale > 0.7), cv2.LINE_AA)
            y += int(30 * scale) + 8
    for _ in range(int(rng.integers(0, 3))):
        p = (int(rng.integers(0, W)), int(rng.integers(0, H)))
        cv2.rectangle(img, p, (p[0] + int(rng.integers(50, 300)), p[1] + int(rng.integers(50, 300))),
                      int(rng.integers(0, 255)), int(rng.integers(2, 8)))
    if rng.random() < 0.5:
        x0, y0, step = int(rng.integers(0, W - 150)), int(rng.integers(0, H - 150)), int(rng.integers(3, 9))
        for i in range(0, 150, step * 2):
            cv2.line(img, (x0 + i, y0), (x0 + i, y0 + 150), 30, step // 2 + 1)
    return img


def place(symbol: np.ndarray, size: int, rng: np.random.Generator, effects: list[str], *,
          background: np.ndarray | None = None, spread: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """The symbol on a white label ``size`` px wide, rotated, maybe tilted, pasted on the background.

    Returns the frame and the label's four corners in it. ``spread``: how far from the centre it
    may sit (0.2: within 30-70 % of the frame).
    """
    frame = counter_background(rng) if background is None else background
    label = cv2.resize(symbol, (size, size * symbol.shape[0] // symbol.shape[1]), interpolation=cv2.INTER_NEAREST)
    h, w = label.shape
    cx, cy = rng.uniform(0.5 - spread, 0.5 + spread) * W, rng.uniform(0.5 - spread, 0.5 + spread) * H
    angle = rng.uniform(0, 2 * np.pi)
    effects.append(f"rot{np.degrees(angle):.0f}")
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], np.float32)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    dst = corners @ rot.T + [cx, cy]
    if rng.random() < 0.7:  # tilted sheet / box
        dst += rng.uniform(-0.12, 0.12, dst.shape).astype(np.float32) * w
        effects.append("perspective")
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(label, matrix, (W, H), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(label, 255), matrix, (W, H), flags=cv2.INTER_LINEAR, borderValue=0)
    alpha = mask.astype(np.float32) / 255
    return (frame * (1 - alpha) + warped * alpha).astype(np.uint8), dst


def degrade(img: np.ndarray, rng: np.random.Generator, effects: list[str], center: tuple[float, float], *,
            blur: tuple[float, float] = (0.6, 1.8), p_blur: float = 0.6, noise: tuple[float, float] = (3, 12),
            p_noise: float = 0.7, contrast: tuple[float, float] = (0.35, 0.7), glare_radius=(60, 160),
            jpeg: tuple[int, int] = (25, 80)) -> np.ndarray:
    """Out of focus, dim, under a ceiling light, sensor noise, an MJPEG stream (each at random)."""
    out = img.astype(np.float32)
    if rng.random() < p_blur:
        sigma = rng.uniform(*blur)
        out = cv2.GaussianBlur(out, (0, 0), sigma)
        effects.append(f"blur{sigma:.1f}")
    if rng.random() < 0.5:
        factor = rng.uniform(*contrast)
        out = 128 + (out - 128) * factor + rng.uniform(-30, 30)
        effects.append(f"contrast{factor:.2f}")
    if rng.random() < 0.4:  # ceiling light reflected on the glossy box / plastic sleeve
        y, x = np.mgrid[0:H, 0:W].astype(np.float32)
        gx, gy = center[0] + rng.uniform(-120, 120), center[1] + rng.uniform(-120, 120)
        radius = rng.uniform(*glare_radius)
        out = out + np.exp(-(((x - gx) ** 2 + (y - gy) ** 2) / (2 * radius**2))) * rng.uniform(60, 110)
        effects.append("glare")
    if rng.random() < p_noise:
        std = rng.uniform(*noise)
        out = out + rng.normal(0, std, out.shape)
        effects.append(f"noise{std:.0f}")
    out = np.clip(out, 0, 255).astype(np.uint8)
    if rng.random() < 0.7:
        quality = int(rng.integers(*jpeg))
        _ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
        out = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
        effects.append(f"jpeg{quality}")
    return out


def render(barcode) -> np.ndarray:
    """A zxing-cpp barcode at one pixel per module, quiet zone included."""
    return np.array(zxingcpp.write_barcode_to_image(barcode, scale=1, add_quiet_zones=True))


def random_ordonnance(rng: np.random.Generator) -> OrdonnanceNumber:
    from app.domain.identifiers import CROCKFORD_ALPHABET

    return OrdonnanceNumber.issue("".join(rng.choice(list(CROCKFORD_ALPHABET), 19)))


def far_qr_frame(payload: str, rng: np.random.Generator, effects: list[str], *,
                 module_px: tuple[float, float] = (2.5, 3.5)) -> tuple[np.ndarray, np.ndarray]:
    """A QR code far from the camera: modules of ``module_px``, always blurred and noisy.

    Returns the frame and the code's corners. Anywhere in the frame (not only near the centre).
    """
    symbol = render(zxingcpp.create_barcode(payload, F.QRCode))
    module = rng.uniform(*module_px)
    effects.append(f"module{module:.1f}px")
    frame, corners = place(symbol, int(round(symbol.shape[1] * module)), rng, effects, spread=0.35)
    center = tuple(corners.mean(axis=0))
    frame = degrade(frame, rng, effects, center, blur=(0.7, 1.4), p_blur=1.0, noise=(3, 9), p_noise=1.0,
                    contrast=(0.55, 0.85), glare_radius=(40, 120), jpeg=(55, 90))
    return frame, corners


def lot_text(rng: np.random.Generator, low: int = 4, high: int = 11) -> str:
    return "".join(rng.choice(list(string.ascii_uppercase + string.digits + "-/"), int(rng.integers(low, high))))
