"""Decoding image and video files (``comptoir decode``, tests, benchmarks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from app.scanning.errors import SourceUnavailable
from app.scanning.sources import IMAGE_SUFFIXES

VIDEO_SUFFIXES = {".avi", ".mp4", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg"}


def iter_frames(path: str | Path) -> Iterator[tuple[int, np.ndarray]]:
    """``(frame_number, frame)`` of an image (frame 0) or of every frame of a video file.

    Raises SourceUnavailable (French) when the file is missing or neither an image nor a video.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceUnavailable(f"Fichier introuvable : « {path} »")
    if path.suffix.lower() not in VIDEO_SUFFIXES:
        data = np.fromfile(str(path), dtype=np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
        if image is not None:
            yield 0, image
            return
        if path.suffix.lower() in IMAGE_SUFFIXES:
            raise SourceUnavailable(f"Image illisible : « {path} »")
    capture = cv2.VideoCapture(str(path))
    try:
        ok, frame = capture.read() if capture.isOpened() else (False, None)
        if not ok:
            raise SourceUnavailable(f"Fichier illisible : « {path} » n'est ni une image ni une vidéo")
        index = 0
        while ok:
            yield index, frame
            index += 1
            ok, frame = capture.read()
    finally:
        capture.release()
