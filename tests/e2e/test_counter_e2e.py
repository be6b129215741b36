"""The one end-to-end test: every part for real, from the QR code in front of the camera to the PDF.

The sandbox service runs on a loopback port with a three-line demo ordonnance (real CIP13s of the
bundled BDPM catalogue); its QR code is rendered into a video file used as the camera; the boxes'
GS1 DataMatrix reach the app as keyboard-wedge keystrokes through the application-level filter. One
line is substituted by a generic, one is not delivered through the adjustment dialog, then billing,
recording (service + ordonnancier) and printing to PDF; finally what the service stored, the
ordonnancier rows and the PDF's text are checked.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.domain.delivery import DispenseStatus
from app.domain.substitution import ChangeKind
from app.ui.main import application, open_window
from app.ui.printing import PrintTarget
from app.ui.staging import blank_frame, box_wedge_text, qr_frame, staged_counter, write_video
from app.ui.tasks import TaskRunner

pytestmark = pytest.mark.e2e


def wedge_scan(text: str) -> None:
    """A USB scanner in keyboard mode: fast keystrokes, then Enter, to whatever has the focus."""
    target = QApplication.focusWidget()
    assert target is not None
    QTest.keyClicks(target, text)
    QTest.keyClick(target, Qt.Key.Key_Return)


def test_qr_to_pdf(qtbot, tmp_path, catalogue_url):
    from pypdf import PdfReader
    from sqlalchemy.orm import Session

    from app.storage.db import make_engine
    from app.storage.ordonnancier import iter_entries

    with staged_counter(tmp_path / "stage", db_url=catalogue_url) as stage:
        settings = stage.settings
        settings.scanner.camera = str(write_video(tmp_path / "camera.avi",
                                                  [blank_frame()] * 3 + [qr_frame(stage.number)] * 10))
        settings.scanner.gs_substitute = "~"
        application("fr")
        runner = TaskRunner()
        window, _startup = open_window(settings, runner)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.counter is not None, timeout=30000)
        counter = window.counter
        counter.print_target = PrintTarget(output_file=tmp_path / "printed.pdf")

        # 1. the QR code in front of the camera opens the ordonnance
        qtbot.waitUntil(lambda: counter.pages.currentWidget() is counter.dispensing_page, timeout=20000)
        d = counter.dispensing
        assert str(d.prescription.number) == stage.number
        page = counter.dispensing_page
        assert d.prescription.patient.display_name in page.panel.patient_label.text()
        assert "••" in page.panel.patient_label.text()  # the NIR is masked
        doliprane, tahor, glucophage = d.lines
        page.lines_view.setFocus()

        # 2. boxes through the keyboard wedge: two DOLIPRANE, a generic for TAHOR (a substitution)
        for serial in ("SN-D1", "SN-D2"):
            wedge_scan(box_wedge_text(doliprane.product.cip13, serial=serial))
            qtbot.waitUntil(lambda: not runner.busy)
        generic = next(p for p in tahor.proposals if tahor.proposal_kinds[p.cip13] is ChangeKind.GENERIC
                       and p.pack_quantity == tahor.product.pack_quantity)
        wedge_scan(box_wedge_text(generic.cip13, serial="SN-T1"))
        qtbot.waitUntil(lambda: d.line(tahor.line_id).status is DispenseStatus.COMPLETED, timeout=5000)
        assert d.line(doliprane.line_id).status is DispenseStatus.COMPLETED
        assert d.line(tahor.line_id).substitution.type == "G"
        wedge_scan(box_wedge_text("3400930000014", serial="SN-X"))  # no such line: refused, with the reason
        qtbot.waitUntil(lambda: "ne correspond à aucune ligne" in page.scan_label.text(), timeout=5000)

        # 3. GLUCOPHAGE not delivered: the adjustment dialog, filled as the pharmacist would
        def fill(dialog):
            def later():
                dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("rupture_stock"))
                dialog.agreement_combo.setCurrentIndex(1)
                dialog.comment_edit.setPlainText("Grossiste en rupture, prescripteur prévenu")
                dialog.ok_button.click()
            QTimer.singleShot(0, later)

        counter.adjustment_dialog_opened.connect(fill)
        page.select_line(glucophage.line_id)
        page.decline_button.click()
        qtbot.waitUntil(lambda: d.line(glucophage.line_id).status is DispenseStatus.DECLINED, timeout=5000)

        # 4. bill (F9), record and print (F10)
        qtbot.keyClick(page.lines_view, Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: counter.pages.currentWidget() is counter.billing, timeout=10000)
        assert counter.billing.bill_model.rowCount() == 2
        with qtbot.waitSignal(counter.finished, timeout=30000):
            qtbot.keyClick(counter.billing.record_button, Qt.Key.Key_F10)
        assert "transmise" in counter.billing.record_label.text()
        assert "imprimée" in counter.billing.print_label.text()
        runner.wait_idle()

        # 5. what the service stored
        stored = {r.line_id: r for r in stage.pharmacy_client.deliveries(stage.number)}
        assert len(stored) == 3
        by_status = sorted(r.status for r in stored.values())
        assert by_status == ["completed", "completed", "declined"]
        substituted = [r for r in stored.values() if r.substituted]
        assert [r.cip13 for r in substituted] == [generic.cip13] and substituted[0].substitution_type == "G"
        assert sum(r.quantity for r in stored.values() if r.cip13 == doliprane.product.cip13) == 2

        # 6. the ordonnancier
        engine = make_engine(settings.db_url)
        with Session(engine) as session:
            entries = [e for e in iter_entries(session) if e.ordonnance_number == stage.number]
        engine.dispose()
        assert entries, "the delivery is registered"
        assert [e.number for e in entries] == list(range(entries[0].number, entries[0].number + len(entries)))
        assert {e.cip13 for e in entries} <= {doliprane.product.cip13, generic.cip13}
        assert all(e.prescriber_rpps and e.patient_name for e in entries)

        # 7. the annotated ordonnance's text, and the printer's output
        text = "\n".join(page.extract_text() for page in PdfReader(str(counter.last_pdf)).pages)
        flat = " ".join(text.split())
        assert generic.name.split(",")[0] in flat
        assert "Rupture de stock" in flat
        assert settings.pharmacy.name in flat
        assert (tmp_path / "printed.pdf").stat().st_size > 1000
        window.close()
