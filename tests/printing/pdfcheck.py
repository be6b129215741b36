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
    x, y, w, h = rect
    region = image[int((page_height - y - h) * scale):int((page_height - y) * scale),
                   int(x * scale):int((x + w) * scale)]
    return int((region < 200).sum())


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
