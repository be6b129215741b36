"""Recording then printing a billed delivery, with each step's state on the billing page; and the
outbox sent again in the background.

Why apart from the screen: recording (ordonnancier + archive + outbox on the database worker, the
service on the network pool, its answer written back on the database worker) and printing (the PDF,
then the printer) are a small sequence of their own, each off the GUI thread, each failing with a
French message where it happened, and nothing lost: the outbox keeps the delivery, the PDF stays in
the PDF folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.config import Settings
from app.domain.dispensing import Dispensing
from app.domain.records import OutboxItem
from app.ui.counter.billing_page import BillingPage
from app.ui.tasks import DB, IO, NET, TaskRunner
from app.workflow.counter import Counter, Recorded
from app.workflow.outbox import SendOutcome

log = logging.getLogger(__name__)
OUTBOX_RETRY_MS = 60_000


class RecordAndPrint(QObject):
    """``finished`` fires once the delivery is recorded and its printing has ended (or failed)."""

    finished = Signal()

    def __init__(self, counter: Counter, runner: TaskRunner, settings: Settings, page: BillingPage,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.counter = counter
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
        """Record locally (database worker), send (network pool), keep the answer (database worker),
        then print (I/O pool).

        Why apart: the local transaction (ordonnancier + archive + outbox) is quick and serialised
        with the other database work; the send may wait seconds on an unreachable service and must
        hold up nothing else, and touches no database. Once the local step has succeeded the delivery
        is in the outbox: a failed send is retried later (« Transmission différée »), nothing is
        written twice.
        """
        self.page.set_recording()
        prescription = dispensing.prescription

        actor = self.counter.actor  # who records: who prints (the trace is written after the print)

        def recorded(result: Recorded) -> None:
            self.recorded = result
            self.page.show_recorded(result)
            self.page.set_printing()

            def printed(pdf: Path) -> None:
                self.runner.run(lambda: self.counter.trace_printed(result.delivery, actor), kind=DB, owner=self)
                self._printed(pdf, to_printer)

            self.runner.run(lambda: self.counter.print_delivery(result.delivery, prescription),
                            on_success=printed,
                            on_failure=lambda message, _exc: self._print_failed(message), kind=IO, owner=self)

        def answered(item: OutboxItem, outcome: SendOutcome) -> None:
            def not_kept(message: str, _exc: BaseException) -> None:  # the outbox sends it again later
                log.warning("send outcome of %s not written: %s", item.delivery.delivery_id, message)
                recorded(Recorded(item.delivery, outcome.sent, "" if outcome.sent else message))

            self.runner.run(lambda: self.counter.finish_send(item, outcome), on_success=recorded,
                            on_failure=not_kept, kind=DB, owner=self)

        def send(item: OutboxItem) -> None:
            def not_sent(message: str, _exc: BaseException) -> None:
                # recorded and kept in the outbox all the same: say so, and print
                recorded(Recorded(item.delivery, False, message))

            self.runner.run(lambda: self.counter.send(item), on_success=lambda outcome: answered(item, outcome),
                            on_failure=not_sent, kind=NET, owner=self)

        self.runner.run(lambda: self.counter.record_locally(dispensing), on_success=send,
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


class OutboxRetry(QObject):
    """Sends the outbox again every minute while the counter is open: what is due is read on the
    database worker, sent on the network pool, the answers written on the database worker; one round
    at a time. A failure only goes to the log (the next round tries again). ``round_done`` fires after
    each round that sent something (the list of deliveries not transmitted is read again)."""

    round_done = Signal()

    def __init__(self, counter: Counter, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.counter = counter
        self.runner = runner
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(OUTBOX_RETRY_MS)
        self.timer.timeout.connect(self.send_due)

    def send_due(self) -> None:
        if self.running or self.counter.outbox.client is None:
            return
        self.running = True
        outbox = self.counter.outbox

        def stop(message: str, _exc: BaseException) -> None:
            self.running = False
            log.info("outbox: %s", message)
            self.round_done.emit()

        def send(items: list[OutboxItem]) -> None:
            if not items:
                self.running = False
                return
            self.runner.run(lambda: outbox.send_all(items), on_success=keep, on_failure=stop, kind=NET, owner=self)

        def keep(tried: list) -> None:
            self.runner.run(lambda: outbox.mark_all(tried), on_success=lambda _report: self._ended(),
                            on_failure=stop, kind=DB, owner=self)

        self.runner.run(outbox.due, on_success=send, on_failure=stop, kind=DB, owner=self)

    def _ended(self) -> None:
        self.running = False
        self.round_done.emit()
