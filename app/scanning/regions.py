"""Where a barcode may be in a frame, found cheaply, so that the costly passes look only there.

Why: a full-frame pass of every format and every retry costs more than pyzbar's whole decode
(measured in ``benchmarks/decode.py``), and most frames a camera sees hold no symbol at all. A code
far from the camera (modules of about 3 px, blurred, noisy) is missed at its native size and read
once its region is upscaled 2×, which is affordable only on a small crop. So the decoder runs one
cheap full-frame QR pass, then looks for *candidate regions* and spends the extra passes (DataMatrix
with rotation, 2× upscale, sharpening, contrast equalisation) on those crops only.

How: on the frame downscaled 2×, the morphological gradient marks edges; a threshold taken from the
frame's own gradient histogram (clipped, so a busy frame does not hide a faint code) and a closing
merge the modules of a symbol into one blob; an opening then cuts it loose from a line touching it. A blob is kept when it is big enough for a code
(>= 40 px on its short side at full size), dense in edges, and:

- *2D* (QR code, DataMatrix): edges running two ways (structure-tensor coherence <= 0.5, whatever
  the code's angle), compact (aspect <= 2.5, fill >= 0.4, both on the blob's rotated rectangle) —
  a text line is long, a paragraph sparse, a ruled line one-way;
- *1D* (EAN-13, Code 128): edges running one way (coherence >= 0.6), a bar height >= 48 px; the
  region carries the bars' angle, so the decoder can turn the crop upright.

The best-scored few of each kind are returned, so a cluttered frame costs a bounded amount.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SCALE = 2  # the detector works on the frame downscaled by this factor
MIN_SIDE = 40  # px at full size: a QR code of 21 modules of 2 px, with blur
MIN_BAR_HEIGHT = 48  # px at full size
MIN_DENSITY = 0.35  # share of the blob's pixels that are edges (large modules have few)
MAX_COHERENCE_2D = 0.5  # edges running two ways (see _orientation)
MIN_COHERENCE_1D = 0.6  # edges running one way
MAX_ASPECT_2D = 2.5
MIN_FILL_2D = 0.4
MIN_FILL_1D = 0.5
THRESHOLD = (16, 40)  # clip of the gradient threshold (the frame's 90th percentile)
_K3 = np.ones((3, 3), np.uint8)
_K5 = np.ones((5, 5), np.uint8)
_K7 = np.ones((7, 7), np.uint8)  # the opening cuts a code loose from a line touching it


def _orientation(patch: np.ndarray, inside: np.ndarray) -> tuple[float, float]:
    """``(coherence, angle)`` of the gradients in the blob (structure tensor).

    Coherence is ~1 when every edge runs one way (the bars of a 1D code, at any angle) and ~0 when
    they run two ways (the modules of a QR code or a DataMatrix). ``angle``: the dominant gradient
    direction in degrees, across the bars.
    """
    gx = cv2.Sobel(patch, cv2.CV_32F, 1, 0)[inside]
    gy = cv2.Sobel(patch, cv2.CV_32F, 0, 1)[inside]
    jxx, jyy, jxy = float((gx * gx).mean()), float((gy * gy).mean()), float((gx * gy).mean())
    trace = jxx + jyy
    if trace <= 0:
        return 0.0, 0.0
    coherence = float(np.hypot(jxx - jyy, 2 * jxy)) / trace
    return coherence, float(np.degrees(0.5 * np.arctan2(2 * jxy, jxx - jyy)))


@dataclass(frozen=True)
class Region:
    """A candidate region at full-frame coordinates; ``kind`` is ``"2d"`` or ``"1d"``.

    ``angle`` (1D): the direction across the bars, in degrees; rotating the crop by it makes the
    bars vertical, which a row-by-row 1D reader needs.
    """

    x: int
    y: int
    w: int
    h: int
    kind: str
    score: float
    angle: float = 0.0

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x + self.w and self.y <= py <= self.y + self.h

    def crop(self, gray: np.ndarray, pad: float = 0.25, min_pad: int = 16) -> tuple[int, int, np.ndarray]:
        """``(x0, y0, pixels)``: the region with a margin (the quiet zone and what blur spread)."""
        margin = max(min_pad, int(pad * max(self.w, self.h)))
        x0, y0 = max(0, self.x - margin), max(0, self.y - margin)
        x1, y1 = min(gray.shape[1], self.x + self.w + margin), min(gray.shape[0], self.y + self.h + margin)
        return x0, y0, gray[y0:y1, x0:x1]


def candidate_regions(gray: np.ndarray, *, max_2d: int = 4, max_1d: int = 2) -> tuple[list[Region], list[Region]]:
    """``(regions_2d, regions_1d)`` of a grayscale frame, best first, at most ``max_2d`` / ``max_1d``."""
    height, width = gray.shape[:2]
    if min(height, width) < 2 * MIN_SIDE:
        return [], []
    small = cv2.resize(gray, (width // SCALE, height // SCALE), interpolation=cv2.INTER_AREA)
    grad = cv2.morphologyEx(small, cv2.MORPH_GRADIENT, _K3)
    cumulative = cv2.calcHist([grad], [0], None, [256], [0, 256]).ravel().cumsum()
    threshold = int(np.clip(np.searchsorted(cumulative, 0.9 * cumulative[-1]), *THRESHOLD))
    _, edges = cv2.threshold(grad, threshold, 255, cv2.THRESH_BINARY)
    blobs = cv2.morphologyEx(cv2.morphologyEx(edges, cv2.MORPH_CLOSE, _K5), cv2.MORPH_OPEN, _K7)
    count, labels, stats, _centroids = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    limit = 0.95 * min(small.shape)
    two: list[Region] = []
    one: list[Region] = []
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        if min(w, h) * SCALE < MIN_SIDE or max(w, h) > limit:
            continue
        inside = labels[y:y + h, x:x + w] == i
        # shape measured on the blob's own rotated rectangle: a code held at 45° fills half its box
        (_c, (rw, rh), _a) = cv2.minAreaRect(cv2.findNonZero(inside.view(np.uint8)))
        short, long = max(1.0, min(rw, rh)), max(1.0, rw, rh)
        fill = area / (short * long)
        if short * SCALE < MIN_SIDE or fill < MIN_FILL_2D:
            continue
        density = np.count_nonzero(edges[y:y + h, x:x + w][inside]) / area
        if density < MIN_DENSITY:
            continue
        coherence, angle = _orientation(small[y:y + h, x:x + w], inside)
        region = (x * SCALE, y * SCALE, w * SCALE, h * SCALE)
        score = area * density * fill
        if coherence <= MAX_COHERENCE_2D and long <= MAX_ASPECT_2D * short:
            two.append(Region(*region, "2d", score))
        elif coherence >= MIN_COHERENCE_1D and fill >= MIN_FILL_1D and short * SCALE >= MIN_BAR_HEIGHT:
            one.append(Region(*region, "1d", score, angle))
    two.sort(key=lambda r: -r.score)
    one.sort(key=lambda r: -r.score)
    return two[:max_2d], one[:max_1d]
