"""The one end-to-end test: every part for real, from the QR code in front of the camera to the PDF.

The sandbox service runs on a loopback port with a shared HAS example prescription loaded into it
(HAS-04b, DAFALGAN CODEINE: a brand named by its UCD code, 1–2 tablets every 12 h for 10 days);
its QR code is rendered into a video file used as the camera; the boxes' GS1 DataMatrix reach the app
as keyboard-wedge keystrokes through the application-level filter. The line is substituted by a
generic (scanning its box), its quantity is changed through the adjustment dialog, then billing,
recording (service + ordonnancier) and printing to PDF; finally what the service stored, the
ordonnancier rows and the PDF's text are checked.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.domain.delivery import DispenseStatus
from app.domain.identifiers import OrdonnanceNumber
from app.domain.substitution import ChangeKind
from app.ui.main import application, open_window
from app.ui.printing import PrintTarget
from app.ui.staging import blank_frame, box_wedge_text, qr_frame, staged_counter, write_video
from app.ui.tasks import TaskRunner
from tests.ui.stack import pdf_text, picture_likeness

pytestmark = pytest.mark.e2e
HAS_EXAMPLE = "has-eprescription/HAS-04b-Presc-DAFALGANCODEINE.json"


def wedge_scan(text: str, window) -> None:
    """A USB scanner in keyboard mode: fast keystrokes, then Enter, to whatever has the focus (the
    window itself when no widget has it, e.g. right after a dialog closed offscreen)."""
    target = QApplication.focusWidget() or window
    QTest.keyClicks(target, text)
    QTest.keyClick(target, Qt.Key.Key_Return)


def test_qr_to_pdf(qtbot, tmp_path, catalogue_url):
    from sqlalchemy.orm import Session

    from app.storage.db import make_engine
    from app.storage.ordonnancier_read import iter_entries

    with staged_counter(tmp_path / "stage", db_url=catalogue_url, bundle=HAS_EXAMPLE) as stage:
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
        (line,) = d.lines
        assert "DAFALGAN CODEINE" in page.lines_model.data(page.lines_model.index(0, 0))
        page.lines_view.setFocus()

        # 2. a generic's box through the keyboard wedge: the line switches to it (a substitution)
        generic = next(p for p in line.proposals if line.proposal_kinds[p.cip13] is ChangeKind.GENERIC)
        wedge_scan(box_wedge_text(generic.cip13, serial="SN-G1"), window)
        qtbot.waitUntil(lambda: len(counter.dispensing.lines[0].boxes) == 1, timeout=5000)
        d = counter.dispensing  # each change gives a new dispensing
        assert d.lines[0].product.cip13 == generic.cip13 and d.lines[0].substitution.type == "G"
        wedge_scan(box_wedge_text("3400930000014", serial="SN-X"), window)  # no such line: refused, with the reason
        qtbot.waitUntil(lambda: "ne correspond à aucune ligne" in page.scan_label.text(), timeout=5000)

        # 3. one box less than proposed: the adjustment dialog, filled as the pharmacist would
        proposed = d.lines[0].quantity
        assert proposed >= 2

        def fill(dialog):
            def later():
                dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("deja_en_possession"))
                dialog.agreement_combo.setCurrentIndex(1)
                dialog.comment_edit.setPlainText("Une boîte encore à domicile")
                dialog.ok_button.click()
            QTimer.singleShot(0, later)

        counter.adjustment_dialog_opened.connect(fill)
        page.select_line(line.line_id)
        page.quantity_spin.setValue(proposed - 1)
        page.quantity_button.click()
        qtbot.waitUntil(lambda: counter.dispensing.lines[0].quantity == proposed - 1, timeout=5000)
        assert [a.reason_code for a in counter.dispensing.lines[0].adjustments] == ["deja_en_possession"]
        page.lines_view.setFocus()
        for i in range(2, proposed):
            wedge_scan(box_wedge_text(generic.cip13, serial=f"SN-G{i}"), window)
            qtbot.waitUntil(lambda i=i: len(counter.dispensing.lines[0].boxes) == i, timeout=5000)
        assert counter.dispensing.lines[0].status is DispenseStatus.COMPLETED

        # 4. bill (F9), record and print (F10)
        qtbot.keyClick(page.lines_view, Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: counter.pages.currentWidget() is counter.billing, timeout=10000)
        bill = counter.dispensing.bill
        assert len(bill.lines) == 1 and bill.fee("HDR") is not None  # the ordonnance's fee, a line of its own
        shown = {row.code: row for row in counter.billing.bill_model.rows}
        assert set(shown) == {bill.lines[0].cip13, *(fee.code for fee in bill.fees)}
        assert counter.counter.store.invoice(counter.dispensing.invoice_number) == bill  # the invoice: the same
        with qtbot.waitSignal(counter.finished, timeout=30000):
            qtbot.keyClick(counter.billing.record_button, Qt.Key.Key_F10)
        assert "transmise" in counter.billing.record_label.text()
        assert "imprimée" in counter.billing.print_label.text()
        runner.wait_idle()

        # 5. what the service stored
        (stored,) = stage.pharmacy_client.deliveries(stage.number)
        assert stored.status == "completed" and stored.cip13 == generic.cip13
        assert stored.quantity == proposed - 1
        assert stored.substituted and stored.substitution_type == "G"
        assert (stored.adjustment_reason, stored.agreement_means) == ("deja_en_possession", "Téléphone")

        # 6. the ordonnancier
        engine = make_engine(settings.db_url)
        with Session(engine) as session:
            entries = [e for e in iter_entries(session) if e.ordonnance_number == stage.number]
        engine.dispose()
        assert [(e.cip13, e.quantity) for e in entries] == [(generic.cip13, proposed - 1)]
        assert entries[0].prescriber_rpps == d.prescription.prescriber.rpps
        assert entries[0].patient_name == d.prescription.patient.display_name

        # 7. the annotated ordonnance's text, and the printer's output (a picture of the same page)
        text = pdf_text(counter.last_pdf)
        assert f"CIP13 {generic.cip13} — Qté : {proposed - 1} boîte" in text
        assert "Adaptation : Déjà en possession du patient — Une boîte encore à domicile" in text
        assert settings.pharmacy.name in text
        assert f"Ordonnancier n° {entries[0].number}" in text
        assert f"ordonnance n° {OrdonnanceNumber(stage.number).grouped()}" in text
        assert picture_likeness(tmp_path / "printed.pdf", counter.last_pdf) > 0.9
        # the fees on the paper: the mentions' summary and the patient's copy, named after the ordonnance
        assert "Honoraires : HDR" in text and counter.last_pdf.name.startswith(stage.number)
        copy = counter.last_pdf.with_name(counter.last_pdf.name.replace("-mentions.pdf", "-copie-patient.pdf"))
        copy_text = pdf_text(copy)
        assert all(fee.code in copy_text for fee in bill.fees) and "HDR" in copy_text
        window.close()
