"""The service goes away between billing and recording: the delivery is kept and the screen says so."""

from __future__ import annotations

from app.config import Settings
from app.sandbox.testing import running_sandbox
from app.ui.main import open_window
from app.ui.printing import PrintTarget
from app.ui.staging import submit_demo
from app.ui.tasks import TaskRunner


def test_recorded_while_the_service_is_down(qtbot, tmp_path, catalogue_url, monkeypatch):
    settings = Settings()
    settings.database.url = catalogue_url
    settings.printer.pdf_dir = str(tmp_path / "pdf")
    runner = TaskRunner()
    with running_sandbox(f"sqlite:///{tmp_path / 'sandbox.sqlite3'}") as (base_url, admin):
        number = submit_demo(base_url, admin)
        settings.service.base_url = base_url
        monkeypatch.setenv("COMPTOIR_SERVICE_TOKEN",
                           admin.pharmacy_token(settings.pharmacy.finess, settings.pharmacy.pharmacist_rpps))
        window, _ = open_window(settings, runner)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.counter is not None, timeout=30000)
        counter = window.counter
        counter.print_target = PrintTarget(output_file=tmp_path / "printed.pdf")
        with qtbot.waitSignal(counter.shown, timeout=10000):
            counter.open_number(number)
        page = counter.dispensing_page
        for row in range(len(counter.dispensing.lines)):  # boxes without DataMatrix: confirmed by hand
            page.lines_view.selectRow(row)
            page.confirm_button.click()
            qtbot.waitUntil(lambda: not runner.busy)
        page.bill_button.click()
        qtbot.waitUntil(lambda: counter.pages.currentWidget() is counter.billing, timeout=10000)
    # the sandbox is gone
    with qtbot.waitSignal(counter.finished, timeout=60000):
        counter.billing.record_button.click()
    assert "Transmission différée" in counter.billing.record_label.text()
    assert "\n" not in counter.billing.record_label.text()  # issue 14 point 8: one line, the cause on hover
    assert counter.recorded is not None and not counter.recorded.transmitted
    assert window.services.counter.outbox.report().pending == 1
    assert counter.last_pdf is not None and counter.last_pdf.exists()
    runner.wait_idle()
    window.close()
