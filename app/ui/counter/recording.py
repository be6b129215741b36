"""Recording then printing a billed delivery, with each step's state on the billing page.

Why apart from the screen: recording (ordonnancier + outbox on the database worker, then the service
on the network pool) and printing (the PDF, then the printer) are a small sequence of their own, each
off the GUI thread, each failing with a French message where it happened, and nothing lost: the PDF
stays in the PDF folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.config import Settings
from app.domain.delivery import Delivery
from app.domain.dispensing import Dispensing
from app.ui.counter.billing_page import BillingPage
from app.ui.counter.port import CounterPort, Recorded
from app.ui.tasks import DB, IO, NET, TaskRunner


class RecordAndPrint(QObject):
    """``finished`` fires once the delivery is recorded and its printing has ended (or failed)."""

    finished = Signal()

    def __init__(self, port: CounterPort, runner: TaskRunner, settings: Settings, page: BillingPage,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.port = port
        self.runner = runner
        self.settings = settings
        self.page = page
        self.recorded: Recorded | None = None
        self.last_pdf: Path | None = None
        self.print_service = None
        self.print_target = None  # None: the printer of the settings (its dialog the first time)

    def reset(self) -> None:
        self.recorded = None

    def record(self, dispensing: Dispensing, to_printer: bool) -> None:
        """Record locally on the database worker, then send on the network pool, then print.

        Why two tasks: the local transaction (ordonnancier + archive + outbox) is quick and must be
        serialised with the other database work; the send may wait seconds on an unreachable service
        and must hold up nothing else. Once the local step has succeeded the delivery is in the outbox:
        a failed send is retried later (« Transmission différée »), and nothing is written twice.
        """
        self.page.set_recording()

        def recorded(result: Recorded) -> None:
            self.recorded = result
            self.page.show_recorded(result)
            self.page.set_printing()
            self.runner.run(lambda: self.port.print_delivery(result.delivery),
                            on_success=lambda pdf: self._printed(pdf, to_printer),
                            on_failure=lambda message, _exc: self._print_failed(message), kind=IO, owner=self)

        def send(delivery: Delivery) -> None:
            def not_sent(message: str, _exc: BaseException) -> None:
                # recorded and kept in the outbox all the same: say so, and print
                recorded(Recorded(delivery, False, message))

            self.runner.run(lambda: self.port.send_recorded(delivery.delivery_id), on_success=recorded,
                            on_failure=not_sent, kind=NET, owner=self)

        self.runner.run(lambda: self.port.record_locally(dispensing), on_success=send,
                        on_failure=lambda message, _exc: self.page.show_record_error(message), kind=DB, owner=self)

    def _printed(self, pdf: Path, to_printer: bool) -> None:
        """The annotated ordonnance is written; send it to the printer (off the GUI thread) if asked."""
        self.last_pdf = pdf
        self.page.show_printed(pdf)
        if not to_printer:
            self.finished.emit()
            return
        if not self._service().print_file(pdf, self.print_target, parent=self.page):
            self._print_failed(self.tr("Impression annulée : le PDF est conservé (%1).").replace("%1", str(pdf)))

    def _print_failed(self, message: str) -> None:
        self.page.show_print_error(message)
        self.finished.emit()

    def _service(self):
        if self.print_service is None:
            from app.ui.printing import PrintService

            self.print_service = PrintService(self.settings, self)
            self.print_service.printed.connect(self._on_printed)
            self.print_service.failed.connect(lambda _pdf, message: self._print_failed(message))
        return self.print_service

    def _on_printed(self, pdf: Path, pages: int) -> None:
        self.page.print_label.setText(self.tr("Ordonnance annotée imprimée (%1 page(s)) : %2")
                                      .replace("%1", str(pages)).replace("%2", str(pdf)))
        self.finished.emit()

    def wait(self) -> None:
        if self.print_service is not None:
            self.print_service.wait(10000)
