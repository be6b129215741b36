"""On the real stack (sandbox service on a loopback port, real workflow, real ordonnancier and PDF): one
line not delivered through « Ne pas délivrer… » and the adjustment dialog, another one's posology
adapted through F7; then bill, record, print. The service holds a `declined` MedicationDispense with
its statusReason, the ordonnancier registers only what was handed over, and the PDF says both."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer

from app.domain.delivery import DispenseStatus
from app.domain.ordonnancier import registered_item
from app.ui.main import open_window
from app.ui.printing import PrintTarget
from app.ui.staging import staged_counter
from app.ui.tasks import TaskRunner

NEW_POSOLOGY = "1 comprimé le soir au coucher"


def test_declined_line_and_adapted_posology_recorded_and_printed(qtbot, tmp_path, catalogue_url):
    from pypdf import PdfReader
    from sqlalchemy.orm import Session

    from app.storage.db import make_engine
    from app.storage.ordonnancier_read import iter_entries

    runner = TaskRunner()
    with staged_counter(tmp_path / "stage", db_url=catalogue_url) as stage:
        window, _ = open_window(stage.settings, runner)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.counter is not None, timeout=30000)
        counter = window.counter
        counter.print_target = PrintTarget(output_file=tmp_path / "printed.pdf")
        qtbot.waitUntil(lambda: not runner.busy, timeout=10000)  # the reasons table is read
        with qtbot.waitSignal(counter.shown, timeout=10000):
            counter.open_number(stage.number)
        d = counter.dispensing
        page = counter.dispensing_page
        assert len(d.lines) == 3
        declined_id, adapted_id = d.lines[0].line_id, d.lines[1].line_id
        declined_name = d.prescribed(declined_id).medication.text
        prescribed_posology = d.prescribed(adapted_id).posology_text

        answers = {"reason": "rupture_stock", "comment": "Grossiste en rupture"}
        preselected: list[str] = []

        def fill_adjustment(dialog):
            preselected.append(dialog.reason_combo.currentData())

            def later():
                dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(answers["reason"]))
                dialog.comment_edit.setPlainText(answers["comment"])
                dialog.ok_button.click()
            QTimer.singleShot(0, later)

        def fill_posology(dialog):
            def later():
                dialog.posology_edit.setText(NEW_POSOLOGY)
                dialog.ok_button.click()
            QTimer.singleShot(0, later)

        counter.adjustment_dialog_opened.connect(fill_adjustment)
        counter.posology_dialog_opened.connect(fill_posology)

        # 1. the first line is not delivered: out of stock
        page.select_line(declined_id)
        page.decline_button.click()
        qtbot.waitUntil(lambda: counter.dispensing.line(declined_id).status is DispenseStatus.DECLINED, timeout=5000)
        qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
        assert "Rupture de stock" in page.lines_model.data(page.lines_model.index(0, 10))

        # 2. the second line's posology is adapted (F7), no reason chosen in advance
        answers.update(reason="adaptation_posologie", comment="Avis du médecin par téléphone")
        page.select_line(adapted_id)
        page.lines_view.setFocus()
        qtbot.keyClick(page.lines_view, Qt.Key.Key_F7)
        qtbot.waitUntil(lambda: counter.dispensing.line(adapted_id).posology == NEW_POSOLOGY, timeout=5000)
        qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
        assert preselected == [None, None]
        assert [a.reason_code for a in counter.dispensing.line(adapted_id).adjustments] == ["adaptation_posologie"]
        assert d.line(adapted_id).adjustments == []  # the dispensing first shown is never changed

        # 3. the other lines handed over (boxes without DataMatrix: confirmed by hand), bill, record
        for line_id in (adapted_id, d.lines[2].line_id):
            page.select_line(line_id)
            page.confirm_button.click()
            qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
        page.bill_button.click()
        qtbot.waitUntil(lambda: counter.pages.currentWidget() is counter.billing, timeout=10000)
        assert len(counter.dispensing.bill.lines) == 2  # the declined line is not billed
        with qtbot.waitSignal(counter.finished, timeout=30000):
            counter.billing.record_button.click()
        assert counter.recorded is not None and counter.recorded.transmitted, counter.billing.record_label.text()
        runner.wait_idle()

        # 4. what the service stored: a declined dispense with its statusReason
        stored = {r.line_id: r for r in stage.pharmacy_client.deliveries(stage.number)}
        assert stored[declined_id].status == "declined"
        assert stored[declined_id].decline_reason == "Rupture de stock — Grossiste en rupture"
        assert stored[declined_id].quantity == 0
        assert stored[adapted_id].status == "completed"
        assert stored[adapted_id].adjustment_reason

    # 5. the ordonnancier registers the listed lines handed over (R.5132-10), nothing for the declined one
    registered = sorted(line.line_id for line in counter.recorded.delivery.lines
                        for item in line.items if registered_item(item))
    assert adapted_id in registered and declined_id not in registered
    engine = make_engine(stage.settings.db_url)
    with Session(engine) as session:
        entries = [e for e in iter_entries(session) if e.ordonnance_number == stage.number]
    engine.dispose()
    assert sorted(e.line_id for e in entries) == registered

    # 6. the annotated ordonnance says the line was not delivered and why, and the adapted posology
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(counter.last_pdf)).pages).split())
    assert "Non délivré — motif : Rupture de stock — Grossiste en rupture" in text
    assert declined_name.split(",")[0] in text
    assert f"Posologie adaptée : {NEW_POSOLOGY}" in text
    assert prescribed_posology.split()[0] in text
    assert "Adaptation : Adaptation de posologie" in text
    window.close()
