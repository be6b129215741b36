"""``python -m app.ui.screenshots DIR``: a PNG of each screen, offscreen, on the real stack.

Why real: the pictures in the README show what a pharmacist gets — the bundled catalogue, a demo
ordonnance fetched from a local sandbox service, the real workflow. Everything runs in a temporary
folder; nothing touches the user's data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1280, 800)


def _save(widget, directory: Path, name: str) -> Path:
    from PySide6.QtCore import QCoreApplication

    for _ in range(5):
        QCoreApplication.processEvents()
    path = directory / f"screen-{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    print(path)
    return path


def take(directory: Path) -> list[Path]:
    """Drive the real window through a delivery and save each screen; returns the files."""
    from PySide6.QtCore import QTimer

    from app.domain.substitution import ChangeKind
    from app.ui.main import application, close_down, open_window
    from app.ui.staging import staged_counter, wait_until
    from app.ui.tasks import TaskRunner

    directory.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="comptoir-shots-") as tmp:
        os.environ["COMPTOIR_DATA_DIR"] = tmp
        with staged_counter(Path(tmp) / "stage") as stage:
            application(stage.settings.ui.language)
            runner = TaskRunner()
            window, _startup = open_window(stage.settings, runner)
            window.showNormal()  # the app opens maximized; screenshots keep one documented size
            window.resize(*SIZE)
            wait_until(lambda: window.counter is not None, 120)
            counter = window.counter
            from app.ui.printing import PrintTarget

            counter.print_target = PrintTarget(output_file=Path(tmp) / "printed.pdf")
            wait_until(lambda: not runner.busy)
            shots.append(_save(window, directory, "1-waiting"))

            counter.open_number(stage.number)
            wait_until(lambda: counter.dispensing is not None and not runner.busy)
            first, second, third = counter.dispensing.lines
            generic = next((p for p in second.proposals if second.proposal_kinds[p.cip13] is ChangeKind.GENERIC
                            and p.pack_quantity == second.product.pack_quantity), second.product)
            from app.domain.delivery import ScannedBox

            counter.on_product_scanned(ScannedBox(first.product.cip13, "LOT42", None, "SN1"))
            wait_until(lambda: not runner.busy)
            counter.on_product_scanned(ScannedBox(generic.cip13, "LOT7", None, "SN2"))
            wait_until(lambda: not runner.busy)
            counter.dispensing_page.select_line(second.line_id)
            shots.append(_save(window, directory, "2-dispensing"))

            def snap_dialog(dialog) -> None:
                def later() -> None:
                    dialog.reason_combo.setCurrentIndex(max(dialog.reason_combo.findData("rupture_stock"), 0))
                    dialog.agreement_combo.setCurrentIndex(1)
                    dialog.comment_edit.setPlainText("Grossiste en rupture, prescripteur prévenu par téléphone")
                    dialog.resize(560, 380)
                    shots.append(_save(dialog, directory, "3-adjustment"))
                    dialog.ok_button.click()
                QTimer.singleShot(50, later)

            counter.adjustment_dialog_opened.connect(snap_dialog)
            counter.dispensing_page.select_line(third.line_id)
            counter.dispensing_page.decline_button.click()
            wait_until(lambda: not runner.busy)
            counter.on_product_scanned(ScannedBox(first.product.cip13, "LOT42", None, "SN3"))
            wait_until(lambda: not runner.busy)
            counter.dispensing_page.bill_button.click()
            wait_until(lambda: counter.pages.currentWidget() is counter.billing and not runner.busy)
            shots.append(_save(window, directory, "4-billing"))
            counter.billing.record_button.click()
            wait_until(lambda: counter.last_pdf is not None and not runner.busy, 60)
            if counter.print_service is not None:
                counter.print_service.wait()
            wait_until(lambda: not runner.busy)
            shots.append(_save(window, directory, "5-recorded"))
            shots.append(_recorded_offline(window, runner, stage, directory))

            window.tabs.setCurrentWidget(window.catalogue_search)
            window.catalogue_search.query_edit.setText("atorvastatine 20")
            window.catalogue_search.search_now()
            wait_until(lambda: window.catalogue_search.group_model.rowCount() > 0 and not runner.busy)
            shots.append(_save(window, directory, "6-catalogue"))

            history = window.history
            history.print_target = PrintTarget(output_file=Path(tmp) / "reprinted.pdf")
            window.tabs.setCurrentWidget(history)  # showing the tab lists the latest deliveries
            wait_until(lambda: history.record is not None and not runner.busy)
            shots.append(_save(window, directory, "7-history"))
            close_down(window, runner)
    return shots


def _recorded_offline(window, runner, stage, directory: Path) -> Path:
    """A second ordonnance recorded while the service is in maintenance: the waiting screen lists it
    as « non transmise » with the service's answer (the outbox)."""
    from app.domain.delivery import ScannedBox
    from app.ui.staging import submit_demo, wait_until

    counter = window.counter
    number = submit_demo(stage.base_url, stage.admin, "demo-1-amoxicilline.json")
    counter.back_to_waiting()
    wait_until(lambda: not runner.busy)
    counter.open_number(number)
    wait_until(lambda: counter.dispensing is not None and not runner.busy)
    for index, line in enumerate(counter.dispensing.lines):
        for box in range(line.quantity):
            counter.on_product_scanned(ScannedBox(line.product.cip13, "LOT9", None, f"SN9{index}{box}"))
            wait_until(lambda: not runner.busy)
    counter.dispensing_page.bill_button.click()
    wait_until(lambda: counter.pages.currentWidget() is counter.billing and not runner.busy)
    stage.admin.set_unavailable(300)
    try:
        before = counter.last_pdf
        counter.billing.record_button.click()
        wait_until(lambda: counter.last_pdf not in (None, before) and not runner.busy, 60)
        if counter.print_service is not None:
            counter.print_service.wait()
        counter.back_to_waiting()
        panel = counter.outbox_panel
        wait_until(lambda: panel.outbox_model.rowCount() > 0 and not runner.busy)
        panel.outbox_view.selectRow(0)
        return _save(window, directory, "10-outbox")
    finally:
        stage.admin.set_unavailable(None)


def main(argv: list[str] | None = None, shoot=None) -> int:
    """Save the screens ``shoot`` (default :func:`take`) drives into the folder given (``docs``)."""
    args = sys.argv[1:] if argv is None else argv
    (shoot or take)(Path(args[0] if args else "docs"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
