"""A dispensing in progress survives the app being closed: the next start offers it, on the real stack."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from app.domain.delivery import DispenseStatus
from app.domain.identifiers import OrdonnanceNumber
from app.ui.main import open_window
from app.ui.staging import box_wedge_text, staged_counter
from app.ui.tasks import TaskRunner


def _counter(qtbot, settings):
    runner = TaskRunner()
    window, _ = open_window(settings, runner)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.counter is not None, timeout=30000)
    qtbot.waitUntil(lambda: not runner.busy)
    return window, window.counter, runner


def test_closed_mid_dispensing_then_resumed(qtbot, tmp_path, catalogue_url):
    with staged_counter(tmp_path / "stage", db_url=catalogue_url) as stage:
        window, counter, runner = _counter(qtbot, stage.settings)
        with qtbot.waitSignal(counter.shown, timeout=10000):
            counter.open_number(stage.number)
        first = counter.dispensing.lines[0]
        counter.on_product_scanned(_scan(first.product.cip13))
        qtbot.waitUntil(lambda: not runner.busy)
        assert len(counter.dispensing.lines[0].boxes) == 1
        window.close()
        runner.wait_idle()
        window.services.close()

        window, counter, runner = _counter(qtbot, stage.settings)
        waiting = counter.waiting
        qtbot.waitUntil(lambda: waiting.pending_list.count() == 1)
        assert waiting.pending_list.item(0).text().startswith(OrdonnanceNumber(stage.number).grouped() + " — ")
        assert waiting.pending_list.item(0).text().endswith("— en cours de délivrance")
        with qtbot.waitSignal(counter.shown, timeout=10000):
            waiting.resume_button.click()
        state = counter.dispensing.lines[0]
        assert [b.serial for b in state.boxes] == ["SN-R1"]
        assert state.status is DispenseStatus.IN_PROGRESS
        # abandoning (confirmed: a box was scanned) releases the claim; the ordonnance is no longer offered
        counter.abandon_dialog_opened.connect(
            lambda box: QTimer.singleShot(0, box.button(QMessageBox.StandardButton.Yes).click))
        counter.dispensing_page.abandon_button.click()
        qtbot.waitUntil(lambda: counter.pages.currentWidget() is waiting and not runner.busy)
        assert waiting.pending_list.count() == 0
        runner.wait_idle()
        window.close()
        window.services.close()


def _scan(cip13: str):
    from app.scanning.classify import classify

    return classify(box_wedge_text(cip13, serial="SN-R1", gs="\x1d"))
