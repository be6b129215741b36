"""The counter screen: waiting → prescription and dispensing → billing → record and print → waiting.

Why here: this is the only place that knows the order of the steps. It turns the pages' requests and
the scanner's signals into workflow calls through the TaskRunner (never on the GUI thread), opens the
adjustment dialog when a change needs a reason, and puts every error next to what caused it.
"""

from __future__ import annotations

import logging
import threading
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.config import Settings
from app.domain.catalogue import Presentation
from app.domain.delivery import Adjustment, ScannedBox
from app.domain.dispensing import AdjustmentRequired, Dispensing, LineState
from app.domain.errors import ComptoirError
from app.domain.identifiers import OrdonnanceNumber
from app.domain.rules import Finding
from app.ui.counter.billing_page import BillingPage
from app.ui.counter.dispensing_page import DispensingPage
from app.ui.counter.line_changes import LineChanges
from app.ui.counter.port import CounterPort, Recorded
from app.ui.counter.recording import RecordAndPrint
from app.ui.counter.scan_input import box_from_scan
from app.ui.counter.waiting_page import WaitingPage
from app.ui.tasks import DB, NET, TaskRunner

log = logging.getLogger(__name__)

OUTBOX_RETRY_MS = 60_000


class CounterScreen(QWidget):
    """Named handles: ``pages``, ``waiting``, ``dispensing_page``, ``billing``; ``dispensing`` is the
    current Dispensing (None while waiting). ``shown(Dispensing)`` fires when a prescription appears;
    ``adjustment_dialog_opened(AdjustmentDialog)`` (and the override and posology ones) let tests fill
    the dialogs; ``changes`` (:class:`LineChanges`) asks them and applies a line's changes."""

    shown = Signal(object)
    finished = Signal()
    adjustment_dialog_opened = Signal(object)
    override_dialog_opened = Signal(object)  # the QInputDialog asking why a warning is overridden
    posology_dialog_opened = Signal(object)  # the PosologyDialog asking for another posology

    def __init__(self, port: CounterPort, runner: TaskRunner, settings: Settings, *,
                 scanner: QObject | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.port = port
        self.runner = runner
        self.settings = settings
        self.dispensing: Dispensing | None = None
        self._lookup: tuple[str, threading.Event] | None = None  # the ordonnance being fetched
        self.waiting = WaitingPage()
        self.dispensing_page = DispensingPage()
        self.billing = BillingPage()
        self.pages = QStackedWidget()
        for page in (self.waiting, self.dispensing_page, self.billing):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        self.waiting.number_entered.connect(self.open_number)
        self.waiting.resume_requested.connect(self._resume)
        self.waiting.discard_requested.connect(self._discard)
        page = self.dispensing_page
        self.changes = LineChanges(self)
        page.product_requested.connect(self.changes.choose_product)
        page.quantity_requested.connect(self.changes.set_quantity)
        page.decline_requested.connect(self.changes.decline)
        page.posology_requested.connect(self.changes.change_posology)
        page.confirm_requested.connect(lambda line_id: self._act(lambda d: self.port.confirm(d, line_id)))
        page.override_requested.connect(self.changes.override)
        page.search_requested.connect(self._search_products)
        page.price_requested.connect(
            lambda line_id, price: self._act(lambda d: self.port.set_price(d, line_id, price)))
        page.unscan_requested.connect(
            lambda line_id, index: self._act(lambda d: self.port.unscan(d, line_id, index)))
        page.hold_requested.connect(lambda line_id, hold: self._act(
            lambda d: self.port.hold(d, line_id) if hold else self.port.resume_line(d, line_id)))
        page.bill_requested.connect(self._bill)
        page.abandon_requested.connect(self._abandon)
        self.billing.record_requested.connect(self._record)
        self.billing.next_requested.connect(self.back_to_waiting)
        self.recording = RecordAndPrint(port, runner, settings, self.billing, self)
        self.recording.finished.connect(self.finished.emit)
        self.scanner = scanner
        if scanner is not None:
            self.attach_scanner(scanner)
        self.outbox_timer = QTimer(self)
        self.outbox_timer.setInterval(OUTBOX_RETRY_MS)
        self.outbox_timer.timeout.connect(self._send_pending)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Function keys reach the current page even when the focus sits outside it (F7, F9, F10, F12)."""
        page = self.pages.currentWidget()
        if event.key() in (Qt.Key.Key_F7, Qt.Key.Key_F9, Qt.Key.Key_F10, Qt.Key.Key_F12) and page is not None:
            page.keyPressEvent(event)
            return
        super().keyPressEvent(event)

    # --- start and scanner -----------------------------------------------------------------------
    def start(self) -> None:
        """Show the waiting page and offer the dispensings left unfinished."""
        self.back_to_waiting()
        self.outbox_timer.start()
        self.runner.run(lambda: (self.port.reasons(), self.port.agreement_means()),
                        on_success=self.changes.keep_reference, kind=DB, owner=self)

    def attach_scanner(self, scanner: QObject) -> None:
        """Connect a ScannerBridge (app/ui/scanner.py): ordonnances, boxes, refusals, camera."""
        self.scanner = scanner
        scanner.ordonnance_scanned.connect(self.on_ordonnance_scanned)
        scanner.product_scanned.connect(self.on_product_scanned)
        scanner.scan_rejected.connect(self._on_scan_rejected)
        scanner.camera_error.connect(lambda message: self.waiting.camera_label.setText(message))
        if hasattr(scanner, "frame_ready"):
            scanner.frame_ready.connect(self._on_frame)

    def _on_frame(self, image: Any) -> None:
        if self.pages.currentWidget() is self.waiting:
            self.waiting.show_frame(image)

    def on_ordonnance_scanned(self, number: str) -> None:
        if self.dispensing is not None and self.pages.currentWidget() is self.dispensing_page:
            if number == str(self.dispensing.prescription.number):
                return
            self.dispensing_page.show_scan(
                self.tr("Une autre ordonnance a été scannée : terminez ou abandonnez d'abord celle-ci."), False)
            return
        if self.pages.currentWidget() is self.billing and self.recorded is None:
            self.billing.show_record_error(self.tr("Enregistrez d'abord la délivrance en cours."))
            return
        self.open_number(number)

    def on_product_scanned(self, scan: Any) -> None:
        if self.dispensing is None or self.pages.currentWidget() is not self.dispensing_page:
            target = self.waiting if self.pages.currentWidget() is self.waiting else None
            if target is not None:
                target.show_error(self.tr("Boîte scannée : scannez d'abord l'ordonnance."))
            return
        try:
            box = box_from_scan(scan)
        except ComptoirError as exc:
            self.dispensing_page.show_scan(str(exc), False)
            return
        self._scan_box(box)

    def _on_scan_rejected(self, message: str) -> None:
        if self.pages.currentWidget() is self.dispensing_page:
            self.dispensing_page.show_scan(message, False)
        elif self.pages.currentWidget() is self.waiting:
            self.waiting.show_error(message)

    # --- opening an ordonnance ---------------------------------------------------------------------
    def open_number(self, text: str) -> None:
        """Fetch, claim and prepare the ordonnance on the network pool.

        Not split between the pools on purpose: ``port.start`` interleaves short local steps (is it
        already started here? earlier deliveries; storing the prepared dispensing, each in its own
        short transaction) with the fetch and claim, checking the latest-wins cancellation between
        them so a superseded lookup claims nothing. Cutting it into three tasks would add two GUI
        round trips to the scan-to-screen time and queue the lookup behind the database worker,
        while it never holds the database worker during the network calls.
        """
        try:
            number = OrdonnanceNumber.parse(text, check=self.settings.service.check_number)
        except ComptoirError as exc:
            self.waiting.show_error(str(exc))
            return
        if self._lookup is not None and self._lookup[0] == str(number):
            return  # the same ordonnance read twice while it is being fetched
        cancel = self._new_lookup(str(number))
        self.pages.setCurrentWidget(self.waiting)
        self.waiting.set_busy(self.tr("Recherche de l'ordonnance %1…").replace("%1", number.grouped()))
        self.runner.run(lambda: self.port.start(str(number), cancel.is_set), on_success=self._show_dispensing,
                        on_failure=self._lookup_failed, kind=NET, owner=self, latest="open")

    def _new_lookup(self, number: str) -> threading.Event:
        """Latest wins: the lookup in flight stops before claiming anything, its result is dropped."""
        if self._lookup is not None:
            self._lookup[1].set()
        cancel = threading.Event()
        self._lookup = (number, cancel)
        return cancel

    def _lookup_failed(self, message: str, _exc: BaseException) -> None:
        self._lookup = None
        self.waiting.show_error(message)

    def _resume(self, delivery_id: str) -> None:
        """Load and claim again on the network pool: a lookup like :meth:`open_number` (same reasons)."""
        self._new_lookup("")
        self.waiting.set_busy(self.tr("Reprise de la délivrance…"))
        self.runner.run(lambda: self.port.resume(delivery_id), on_success=self._show_dispensing,
                        on_failure=self._lookup_failed, kind=NET, owner=self, latest="open")

    def _discard(self, delivery_id: str) -> None:
        """Abandoned on the database worker (no new claim), then the claim released on the network pool."""
        def discarded(number: str) -> None:
            self._release_claim(number)
            self._refresh_pending()

        self.runner.run(lambda: self.port.discard(delivery_id), on_success=discarded,
                        on_failure=lambda m, _e: self.waiting.show_error(m), kind=DB, owner=self)

    def _release_claim(self, number: str) -> None:
        """Network half of abandoning; a failure is only logged (a claim lapses by itself after 30 min)."""
        self.runner.run(lambda: self.port.release_claim(number),
                        on_failure=lambda m, _e: log.info("release: %s", m), kind=NET, owner=self)

    def _show_dispensing(self, dispensing: Dispensing) -> None:
        self._lookup = None
        self.dispensing = dispensing
        self.recording.reset()
        self.waiting.set_busy("")
        if dispensing.bill is not None:  # resumed after billing
            self._show_billing(dispensing)
        else:
            self.dispensing_page.show_dispensing(dispensing, [], date.today())
            self.dispensing_page.show_scan(self.tr("Scannez les boîtes : chaque boîte coche sa ligne."), True)
            self.dispensing_page.show_error("")
            self.pages.setCurrentWidget(self.dispensing_page)
            self.dispensing_page.lines_view.setFocus()
            self._refresh_findings()
        self.shown.emit(dispensing)

    def _refresh_findings(self) -> None:
        dispensing = self.dispensing
        if dispensing is None:
            return
        self.runner.run(lambda: self.port.findings(dispensing),
                        on_success=lambda f: self._show_findings(dispensing, f),
                        on_failure=lambda m, _e: self.dispensing_page.show_error(m), kind=DB, owner=self,
                        latest="findings")

    def _show_findings(self, dispensing: Dispensing, findings: list[Finding]) -> None:
        if dispensing is self.dispensing and self.pages.currentWidget() is self.dispensing_page:
            self.dispensing_page.show_dispensing(dispensing, findings, date.today())

    # --- dispensing --------------------------------------------------------------------------------
    def _act(self, change, *, then=None) -> None:
        """Run ``change(dispensing)`` on the database worker and show the dispensing again."""
        dispensing = self.dispensing
        if dispensing is None:
            return

        def done(result: Any) -> None:
            if dispensing is not self.dispensing:
                return
            self.dispensing_page.show_dispensing(dispensing, self.dispensing_page.findings, date.today())
            if then is not None:
                then(result)
            self._refresh_findings()

        def failed(message: str, exc: BaseException) -> None:
            if isinstance(exc, AdjustmentRequired):
                log.info("adjustment required: %s", message)
            if dispensing is not self.dispensing:
                return
            self.dispensing_page.show_dispensing(dispensing, self.dispensing_page.findings, date.today())
            self.dispensing_page.show_error(message)

        self.runner.run(lambda: change(dispensing), on_success=done, on_failure=failed, kind=DB, owner=self)

    def _scan_box(self, box: ScannedBox) -> None:
        def ticked(state: LineState) -> None:
            name = self.dispensing.prescribed(state.line_id).medication.text
            self.dispensing_page.select_line(state.line_id)
            self.dispensing_page.show_scan(
                self.tr("Boîte acceptée pour « %1 » (%2 / %3).").replace("%1", name)
                .replace("%2", str(len(state.boxes))).replace("%3", str(state.quantity)), True)

        dispensing = self.dispensing

        def refused(message: str, _exc: BaseException) -> None:
            if dispensing is self.dispensing:
                self.dispensing_page.show_dispensing(dispensing, self.dispensing_page.findings, date.today())
                self.dispensing_page.show_scan(self.tr("Boîte refusée : %1").replace("%1", message), False)

        def done(state: LineState) -> None:
            if dispensing is self.dispensing:
                self.dispensing_page.show_dispensing(dispensing, self.dispensing_page.findings, date.today())
                ticked(state)
                self._refresh_findings()

        self.runner.run(lambda: self.port.scan_box(dispensing, box), on_success=done, on_failure=refused,
                        kind=DB, owner=self)

    def ask_adjustment(self, why: str, *, default_reason: str | None = None) -> Adjustment | None:
        """Open the adjustment dialog (reasons from the table); None when cancelled."""
        return self.changes.ask_adjustment(why, default_reason=default_reason)

    def offer_product(self, product: Presentation) -> bool:
        """A presentation chosen in the catalogue search, for the selected line (False: no line open)."""
        row = self.dispensing_page.current_row()
        if self.dispensing is None or self.pages.currentWidget() is not self.dispensing_page or row is None:
            return False
        self.changes.choose_product(row.state.line_id, product)
        return True

    def _search_products(self, line_id: str, text: str) -> None:
        """Products found by name or code are added to the line's list (choosing one may need a reason)."""
        def found(products: list) -> None:
            page = self.dispensing_page
            page.select_line(line_id)
            if products:
                page.show_scan(self.tr("%1 produit(s) ajouté(s) à la liste : choisissez-le dans « Produit ».")
                               .replace("%1", str(len(products))), True)
                page.search_edit.clear()
                page.product_combo.setFocus()
                page.product_combo.showPopup()
            else:
                page.show_error(self.tr("Aucun produit trouvé pour « %1 ».").replace("%1", text))

        self._act(lambda d: self.port.search_products(d, line_id, text), then=found)

    # --- billing, recording, printing ----------------------------------------------------------------
    def _bill(self, tiers_payant: bool) -> None:
        problems = self.dispensing.problems() if self.dispensing else []
        if problems:
            self.dispensing_page.show_error("\n".join(problems))
            return
        self._act(lambda d: self.port.bill(d, tiers_payant), then=lambda d: self._show_billing(d))

    def _show_billing(self, dispensing: Dispensing) -> None:
        self.billing.panel.show_dispensing(dispensing, [], date.today())
        self.billing.show_bill(dispensing.bill, dispensing.invoice_number)
        self.pages.setCurrentWidget(self.billing)

    def _record(self, to_printer: bool) -> None:
        self.recording.record(self.dispensing, to_printer)

    # what the recording step knows, for the rest of the screen (and tests, scripts)
    @property
    def recorded(self) -> Recorded | None:
        return self.recording.recorded

    @property
    def last_pdf(self) -> Path | None:
        return self.recording.last_pdf

    @property
    def print_service(self):
        return self.recording.print_service

    @property
    def print_target(self):
        return self.recording.print_target

    @print_target.setter
    def print_target(self, target) -> None:
        self.recording.print_target = target

    def _send_pending(self) -> None:
        """Deliveries kept for sending (service unreachable) are retried in the background.

        Not split between the pools on purpose: per delivery, the sender reads one outbox row, sends,
        and marks that row, each a tiny statement in its own short session; splitting would mean a
        database-worker round trip per delivery and per attempt for no gain, while holding the one
        database worker during the sends (the alternative) is exactly what must not happen.
        """
        self.runner.run(self.port.send_pending, on_failure=lambda m, _e: log.info("outbox: %s", m), kind=NET,
                        owner=self, latest="outbox")

    def _abandon(self) -> None:
        dispensing = self.dispensing
        if dispensing is None:
            return

        def abandoned(number: str) -> None:
            self._release_claim(number)
            self.back_to_waiting()

        self.runner.run(lambda: self.port.abandon_locally(dispensing), on_success=abandoned,
                        on_failure=lambda m, _e: self.dispensing_page.show_error(m), kind=DB, owner=self)

    def back_to_waiting(self) -> None:
        self.dispensing = None
        self.recording.reset()
        self.pages.setCurrentWidget(self.waiting)
        self.waiting.reset()
        self._refresh_pending()

    def _refresh_pending(self) -> None:
        self.runner.run(self.port.pending, on_success=self.waiting.show_pending,
                        on_failure=lambda m, _e: self.waiting.show_error(m), kind=DB, owner=self,
                        latest="pending")

    def shutdown(self) -> None:
        """The window closes: the dispensing stays stored and is offered again at the next start."""
        self.outbox_timer.stop()
        self.recording.wait()
        if self.scanner is not None and hasattr(self.scanner, "shutdown"):
            self.scanner.shutdown()
