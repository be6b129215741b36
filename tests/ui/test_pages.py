"""Small pieces of the counter screens: the camera preview, scanned boxes, the prescription's problems."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from app.domain.dispensing import Dispensing
from app.domain.errors import InvalidIdentifier
from app.domain.prescription import LineStatus, PrescriptionStatus
from app.scanning.classify import classify
from app.scanning.symbols import ScanKind, ScanResult
from app.ui.counter.prescription_panel import PrescriptionPanel, problems
from app.ui.counter.scan_input import box_from_scan
from app.ui.counter.waiting_page import WaitingPage, bgr_to_qimage
from tests.ui.fakes import DOLIPRANE, prescription


def test_camera_frames_are_previewed(qtbot):
    page = WaitingPage(camera=True)
    qtbot.addWidget(page)
    frame = np.zeros((120, 160, 3), np.uint8)
    frame[:, :, 2] = 255  # BGR: red
    image = bgr_to_qimage(frame)
    assert image.pixelColor(5, 5).red() == 255 and image.pixelColor(5, 5).blue() == 0
    page.show_frame(frame)
    assert not page.camera_label.pixmap().isNull()
    assert bgr_to_qimage(np.zeros((10,), np.uint8)) is None


def test_a_scanned_datamatrix_becomes_a_box():
    box = box_from_scan(classify(f"010{DOLIPRANE.cip13}17281231" + "10LOT1\x1d21SER9"))
    assert (box.cip13, box.lot, box.expiry, box.serial) == (DOLIPRANE.cip13, "LOT1", date(2028, 12, 31), "SER9")
    with pytest.raises(InvalidIdentifier, match="pas une boîte"):
        box_from_scan(ScanResult(ScanKind.UNKNOWN, "xyz"))
    with pytest.raises(InvalidIdentifier, match="péremption"):
        box_from_scan(ScanResult(ScanKind.PRODUCT, "x", {"cip13": DOLIPRANE.cip13, "expiry": "31/12/28"}))


def test_problems_come_first(qtbot):
    from dataclasses import replace

    rx = prescription()
    lines = (replace(rx.lines[0], status=LineStatus.CANCELLED),
             replace(rx.lines[1], remaining_quantity=Decimal(0)))
    d = Dispensing.begin("D", replace(rx, lines=lines, status=PrescriptionStatus.EXPIRED), rx.authored_on)
    found = problems(d, [], date(2026, 11, 26))
    assert found[0] == "Ordonnance expirée."
    assert any("ligne annulée" in p for p in found) and any("déjà entièrement délivrée" in p for p in found)
    assert any("introuvable dans le catalogue" in p for p in found)  # no proposals at all
    d.mark_done(rx.lines[1].line_id)  # delivered before: shown done, not as a product missing
    done = problems(d, [], date(2026, 11, 26))
    assert sum("introuvable dans le catalogue" in p for p in done) == sum("introuvable dans le catalogue" in p
                                                                          for p in found) - 1
    panel = PrescriptionPanel()
    qtbot.addWidget(panel)
    panel.show_dispensing(d, [], date(2026, 11, 26))
    assert panel.problems_label.text().startswith("⚠ Ordonnance expirée.")
    assert "Dr Paul DURAND — RPPS 10003456789" in panel.prescriber_label.text()
