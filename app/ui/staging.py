"""A counter staged against a local sandbox: a real service on a loopback port holding a demo
ordonnance, the settings that reach it, and the symbols a camera or a scanner would read.

Why: the screenshots, the counter benchmark and the end-to-end test all need the real stack with a
real prescription in it, without network and without touching the user's data. Everything lives in
``workdir``; the pharmacy's token is handed over through ``COMPTOIR_SERVICE_TOKEN`` (as the demo
does) and restored afterwards.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.config import Settings
from app.resources_path import resource_path

DEMO_BUNDLE = "demo-3-trois-lignes.json"


@dataclass
class Stage:
    settings: Settings
    number: str  # the ordonnance numérique loaded into the sandbox
    base_url: str
    admin: Any  # app.sandbox.testing.SandboxAdmin
    pharmacy_client: Any  # EPrescriptionClient with the pharmacy's token (to read what the service stored)
    workdir: Path


def demo_bundle_path(name: str = DEMO_BUNDLE) -> Path:
    return resource_path("demo", name)


def submit_demo(base_url: str, admin: Any, name: str = DEMO_BUNDLE) -> str:
    """Post a demo prescription as its prescriber; returns the number the service gave it."""
    from app.eprescription.client import EPrescriptionClient
    from app.sandbox.loader import complete_bundle, read_bundle
    from app.sandbox.testing import DEMO_PRESCRIBER_RPPS

    with EPrescriptionClient(base_url, admin.prescriber_token()) as prescriber:
        bundle = complete_bundle(read_bundle(demo_bundle_path(name)), prescriber_rpps=DEMO_PRESCRIBER_RPPS)
        number, _stored = prescriber.submit_prescription(bundle)
    return str(number)


@contextlib.contextmanager
def staged_counter(workdir: Path, *, db_url: str | None = None, bundle: str = DEMO_BUNDLE) -> Iterator[Stage]:
    """A running sandbox with ``bundle`` loaded and the settings of a counter that uses it."""
    from app.eprescription.client import EPrescriptionClient
    from app.sandbox.testing import running_sandbox

    workdir.mkdir(parents=True, exist_ok=True)
    with running_sandbox(f"sqlite:///{workdir / 'sandbox.sqlite3'}") as (base_url, admin):
        number = submit_demo(base_url, admin, bundle)
        settings = Settings()
        settings.database.url = db_url or f"sqlite:///{workdir / 'comptoir.sqlite3'}"
        settings.service.base_url = base_url
        settings.printer.pdf_dir = str(workdir / "pdf")
        token = admin.pharmacy_token(settings.pharmacy.finess, settings.pharmacy.pharmacist_rpps)
        previous = os.environ.get("COMPTOIR_SERVICE_TOKEN")
        os.environ["COMPTOIR_SERVICE_TOKEN"] = token
        try:
            with EPrescriptionClient(base_url, token) as client:
                yield Stage(settings, number, base_url, admin, client, workdir)
        finally:
            if previous is None:
                os.environ.pop("COMPTOIR_SERVICE_TOKEN", None)
            else:
                os.environ["COMPTOIR_SERVICE_TOKEN"] = previous


# --- what a camera and a scanner read ------------------------------------------------------------

def qr_frame(text: str, size: tuple[int, int] = (480, 640)) -> Any:
    """A camera frame (BGR) showing the QR code of ``text`` on a sheet of paper."""
    import cv2
    import numpy as np
    import zxingcpp

    symbol = np.array(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode),
                                                      scale=6))
    frame = np.full((*size, 3), 235, np.uint8)
    h, w = symbol.shape[:2]
    frame[40 : 40 + h, 40 : 40 + w] = cv2.cvtColor(symbol, cv2.COLOR_GRAY2BGR)
    return frame


def blank_frame(size: tuple[int, int] = (480, 640)) -> Any:
    import numpy as np

    return np.full((*size, 3), 235, np.uint8)


def write_video(path: Path, frames: list[Any], fps: int = 10) -> Path:
    """An MJPG video of ``frames`` (the camera source of the end-to-end test and the benchmark)."""
    import cv2

    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def box_wedge_text(cip13: str, *, expiry: str = "281231", lot: str = "LOT42", serial: str = "SN0001",
                   gs: str = "~") -> str:
    """What a keyboard-wedge scanner types for a box's GS1 DataMatrix (``gs``: the separator key)."""
    return f"010{cip13}17{expiry}10{lot}{gs}21{serial}"


def wait_until(condition, timeout_s: float = 20.0) -> None:
    """Process Qt events until ``condition()`` holds (scripts: screenshots, benchmark)."""
    import time

    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the expected state in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)
