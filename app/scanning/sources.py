"""Where frames come from: a camera (device index), a video file, or a folder of images.

Video files and folders let demos and tests run without hardware; they report ``live = False`` so the
reader paces them at the configured frame rate and measures time in frames, not wall-clock.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from app.domain.identifiers import is_ascii_digits
from app.scanning.errors import SourceUnavailable

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm"}


class FrameSource:
    """A sequence of frames; ``read()`` returns None at the end (or on a camera failure)."""

    live = False

    def read(self) -> np.ndarray | None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class CaptureSource(FrameSource):
    """OpenCV VideoCapture over a device index (live) or a video file."""

    def __init__(self, target: int | str, *, live: bool, fps: int, width: int, height: int) -> None:
        self.live = live
        self._cap = cv2.VideoCapture(target)
        if not self._cap.isOpened():
            what = f"Caméra n° {target}" if live else f"Vidéo « {target} »"
            raise SourceUnavailable(f"{what} impossible à ouvrir : vérifiez le branchement ou le réglage")
        if live:
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
            self._cap.set(cv2.CAP_PROP_FPS, fps)
            # "Latest wins": keep no backlog, so a slow decode never works on stale frames.
            self._cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)

    def read(self) -> np.ndarray | None:
        ok, frame = self._cap.read()
        return frame if ok else None

    def close(self) -> None:
        self._cap.release()


class FolderSource(FrameSource):
    """The images of a folder, in name order; unreadable files are skipped."""

    def __init__(self, folder: Path) -> None:
        self._files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._files:
            raise SourceUnavailable(f"Dossier « {folder} » : aucune image à lire")
        self._index = 0

    def read(self) -> np.ndarray | None:
        while self._index < len(self._files):
            path = self._files[self._index]
            self._index += 1  # first: a file that makes imread raise is skipped, not read forever
            frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if frame is not None:
                return frame
        return None


def open_source(source: int | str | Path, *, fps: int = 15, width: int = 1280, height: int = 720) -> FrameSource:
    """Open a device index (``0`` or ``"0"``), a video file or a folder of images."""
    if isinstance(source, int) or (isinstance(source, str) and is_ascii_digits(source.strip())):
        return CaptureSource(int(source), live=True, fps=fps, width=width, height=height)
    path = Path(source)
    if path.is_dir():
        return FolderSource(path)
    if not path.is_file():
        raise SourceUnavailable(f"Source vidéo introuvable : « {source} »")
    return CaptureSource(str(path), live=False, fps=fps, width=width, height=height)
