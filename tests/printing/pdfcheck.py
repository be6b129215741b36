"""Reading generated PDFs back in tests: their text (pypdf), their ink (pypdfium2) and text positions."""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pypdf
import pypdfium2 as pdfium


def pdf_text(data: bytes) -> str:
    """All pages' text with runs of whitespace as one space (wrapping happens at spaces)."""
    reader = pypdf.PdfReader(BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def page_count(data: bytes) -> int:
    return len(pypdf.PdfReader(BytesIO(data)).pages)


def page_images(data: bytes, scale: float = 2.0) -> list[np.ndarray]:
    """Each page as a grayscale array (0 black .. 255 white), ``scale`` pixels per point."""
    document = pdfium.PdfDocument(data)
    try:
        return [page.render(scale=scale, grayscale=True).to_numpy().copy() for page in document]
    finally:
        document.close()


def ink_outside(image: np.ndarray, rect: tuple[float, float, float, float], page_height: float,
                scale: float = 2.0, margin_px: int = 2) -> int:
    """Dark pixels outside ``rect`` (x, y, width, height in points, origin bottom-left)."""
    x, y, w, h = rect
    left, right = int(x * scale) - margin_px, int((x + w) * scale) + margin_px
    top, bottom = int((page_height - y - h) * scale) - margin_px, int((page_height - y) * scale) + margin_px
    mask = np.ones(image.shape[:2], dtype=bool)
    mask[max(top, 0):bottom, max(left, 0):right] = False
    return int(((image.reshape(image.shape[0], image.shape[1], -1)[..., 0] < 200) & mask).sum())


def ink_inside(image: np.ndarray, rect: tuple[float, float, float, float], page_height: float,
               scale: float = 2.0) -> int:
    return int((_region(image, rect, page_height, scale) < 200).sum())


def _region(image: np.ndarray, rect: tuple[float, float, float, float], page_height: float,
            scale: float = 2.0) -> np.ndarray:
    x, y, w, h = rect
    return image[int((page_height - y - h) * scale):int((page_height - y) * scale),
                 int(x * scale):int((x + w) * scale)]


def stroke_coverage(image: np.ndarray, rect: tuple[float, float, float, float], page_height: float,
                    scale: float = 2.0) -> float:
    """The share of ``rect``'s pixel columns (if wider than tall, else rows) holding ink: 1.0 when a
    continuous line runs through it along its length."""
    dark = _region(image, rect, page_height, scale) < 200
    along = 0 if rect[2] >= rect[3] else 1
    return float(dark.any(axis=along).mean())


def text_positions(data: bytes) -> list[list[tuple[float, float, str]]]:
    """Per page, the (x, y) in points where each text run starts, through pypdf's visitor."""
    reader = pypdf.PdfReader(BytesIO(data))
    pages = []
    for page in reader.pages:
        runs: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, _font, _size, runs=runs):
            if text.strip():
                m = pypdf.mult(tm, cm)
                runs.append((m[4], m[5], text))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


def _grown(ink: np.ndarray, radius: int) -> np.ndarray:
    """``ink`` with every dark pixel grown by ``radius`` pixels in each direction."""
    padded = np.pad(ink, radius)
    grown = np.zeros_like(ink)
    height, width = ink.shape
    for dy in range(2 * radius + 1):
        for dx in range(2 * radius + 1):
            grown |= padded[dy:dy + height, dx:dx + width]
    return grown


def ink_match(printed: np.ndarray, source: np.ndarray, tolerance_px: int = 1) -> float:
    """How much two renderings of a page show the same marks, 0..1: the smaller of the share of
    ``printed``'s dark pixels lying within ``tolerance_px`` of ``source``'s and the reverse.

    A page printed through the raster path matches its source at 0.97 or more (resampling moves edges
    by a pixel); the same page 1 mm off scores about 0.82, another page or delivery below 0.5.
    """
    height, width = min(printed.shape[0], source.shape[0]), min(printed.shape[1], source.shape[1])
    a, b = printed[:height, :width] < 200, source[:height, :width] < 200
    if not a.any() or not b.any():
        return float(a.any() == b.any())
    return float(min((a & _grown(b, tolerance_px)).sum() / a.sum(), (b & _grown(a, tolerance_px)).sum() / b.sum()))
