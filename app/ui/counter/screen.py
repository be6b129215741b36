"""The counter screen: waiting → prescription and dispensing → billing → record and print → waiting.

Why here: this is the only place that knows the order of the steps. It turns the pages' requests and
the scanner's signals into operations on the dispensing (:meth:`CounterScreen.act`: applied on the
database worker, the new dispensing swapped in on the GUI thread), opens the dialogs that ask why
(:class:`LineChanges`), and puts every error next to what caused it. Opening an ordonnance
(:class:`Lookup`), the bill then its recording and printing (:class:`BillingFlow`, acting through
:meth:`CounterScreen.act` too) and the outbox (:class:`OutboxRetry`) are small sequences of their own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.config import Settings
from app.domain.catalogue import Presentation
from app.domain.dispensing import AdjustmentRequired, Dispensing, LineState
from app.domain.errors import ComptoirError
from app.domain.identifiers import OrdonnanceNumber
from app.domain.prescription import Prescription
from app.domain.rules import Finding
from app.ui.counter.billing_flow import BillingFlow
from app.ui.counter.billing_page import BillingPage
from app.ui.counter.dialog_parts import yes_no
from app.ui.counter.dispensing_page import DispensingPage
from app.ui.counter.line_changes import LineChanges
from app.ui.counter.lookup import Lookup
from app.ui.counter.op_queue import OpQueue
from app.ui.counter.preview_page import PreviewPage
from app.ui.counter.recording import OutboxRetry, RecordAndPrint
from app.ui.counter.scan_input import box_from_scan
from app.ui.counter.waiting_page import WaitingPage
from app.ui.i18n import finding_text, refusal_text
from app.ui.keys import note_key
from app.ui.outbox_view import OutboxPanel
from app.ui.sounds import Feedback
from app.ui.tasks import DB, TaskRunner
from app.workflow.counter import Counter, Recorded
from app.workflow.ops import (
    Confirm,
    Hold,
    Op,
    RefuseGeneric,
    ResumeLine,
    RulesNotMet,
    ScanBox,
    SearchProducts,
    SetPrice,
    Unscan,
)

log = logging.getLogger(__name__)


class CounterScreen(QWidget):
    """Named handles: ``pages``, ``waiting``, ``preview`` (the prescription just read, while its lines
    are prepared), ``dispensing_page``, ``billing``, ``outbox_panel``, ``sounds``; ``dispensing`` is the
    current Dispensing (None while waiting), replaced — never changed — by each operation.
    ``shown(Dispensing)`` fires when a prescription appears; ``adjustment_dialog_opened(AdjustmentDialog)``
    (and the override and posology ones) let tests fill the dialogs."""

    shown = Signal(object)
    prescription_shown = Signal(object)  # the Prescription on screen, before its lines are prepared
    finished = Signal()
    adjustment_dialog_opened = Signal(object)
    override_dialog_opened = Signal(object)  # the QInputDialog asking why a warning is overridden
    posology_dialog_opened = Signal(object)  # the PosologyDialog asking for another posology
    abandon_dialog_opened = Signal(object)  # the QMessageBox asking to confirm an abandon that loses work
    bearer_dialog_opened = Signal(object)  # the BearerDialog asking who takes a stupéfiant

    def __init__(self, counter: Counter, runner: TaskRunner, settings: Settings, *,
                 scanner: QObject | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counter = counter
        self.runner = runner
        self.settings = settings
        self.ops = OpQueue(counter, runner, self)
        self.lookup = Lookup(counter, runner, self)
        self.waiting = WaitingPage(camera=bool(settings.scanner.camera))
        self.dispensing_page = DispensingPage()
        self.billing = BillingPage()
        self.preview = PreviewPage()
        self.pages = QStackedWidget()
        for page in (self.waiting, self.preview, self.dispensing_page, self.billing):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        self.waiting.number_entered.connect(self.open_number)
        self.waiting.resume_requested.connect(self._resume)
        self.waiting.discard_requested.connect(self._discard)
        self.lookup.found.connect(self._show_dispensing)
        self.lookup.fetched.connect(self._show_prescription)
        self.lookup.failed.connect(self._lookup_failed)
        self._early_scans: list[Any] = []  # boxes scanned while the lines were being prepared
        self.lookup.unreachable.connect(self._on_unreachable)
        self.waiting.retry_requested.connect(self.open_number)
        self.changes = LineChanges(self)
        self.changes.adjustment_dialog_opened.connect(self.adjustment_dialog_opened)
        self.changes.exceptional_dialog_opened.connect(self.adjustment_dialog_opened)
        self.changes.override_dialog_opened.connect(self.override_dialog_opened)
        self.changes.posology_dialog_opened.connect(self.posology_dialog_opened)
        self.changes.bearer_dialog_opened.connect(self.bearer_dialog_opened)
        page = self.dispensing_page
        page.product_requested.connect(self._asked(self.changes.choose_product))
        page.quantity_requested.connect(self._asked(self.changes.set_quantity))
        page.decline_requested.connect(self._asked(self.changes.decline))
        page.exceptional_requested.connect(self._asked(self.changes.exceptional))
        page.posology_requested.connect(self._asked(self.changes.change_posology))
        page.override_requested.connect(self._asked(self.changes.override))
        page.confirm_requested.connect(lambda line_id: self.act(Confirm(line_id)))
        page.refuse_generic_requested.connect(lambda line_id: self.act(RefuseGeneric(line_id)))
        page.search_requested.connect(self._search_products)
        page.price_requested.connect(lambda line_id, price: self.act(SetPrice(line_id, price)))
        page.unscan_requested.connect(lambda line_id, index: self.act(Unscan(line_id, index)))
        page.hold_requested.connect(lambda line_id, hold: self.act(Hold(line_id) if hold else ResumeLine(line_id)))
        page.abandon_requested.connect(self._abandon)
        self.billing.next_requested.connect(self.back_to_waiting)
        self.billing.back_requested.connect(self._back_to_dispensing)
        self.recording = RecordAndPrint(counter, runner, settings, self.billing, self)
        self.recording.finished.connect(self.finished.emit)
        self.checkout = BillingFlow(self.recording, self.billing, self.dispensing_page, self.changes, self.act,
                                    lambda: self.dispensing, self.pages.setCurrentWidget, self)
        self.outbox = OutboxRetry(counter, runner, self)
        self.sounds = Feedback(settings.ui.sounds, self)
        self.outbox_panel = OutboxPanel(counter.outbox, runner)
        self.waiting.add_panel(self.outbox_panel)
        self.outbox.round_done.connect(self.outbox_panel.refresh)
        self.scanner = scanner
        if scanner is not None:
            self.attach_scanner(scanner)
        self.billing.key_map_title = self.tr("Facturation")
        note_key(self.billing, "F10", self.tr("Enregistrer et imprimer"))
        note_key(self.billing, "F12", self.tr("Ordonnance suivante"))

    @property
    def dispensing(self) -> Dispensing | None:
        return self.ops.current

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Function keys reach the current page even when the focus sits outside it (F7, F9, F10, F12, and
        Échap on the bill)."""
        page = self.pages.currentWidget()
        keys = (Qt.Key.Key_F7, Qt.Key.Key_F9, Qt.Key.Key_F10, Qt.Key.Key_F12)
        if page is not None and (event.key() in keys or (event.key() == Qt.Key.Key_Escape and page is self.billing)):
            page.keyPressEvent(event)
            return
        super().keyPressEvent(event)

    # --- start and scanner -----------------------------------------------------------------------
    def start(self) -> None:
        """Show the waiting page and offer the dispensings left unfinished."""
        self.back_to_waiting()
        self.outbox.timer.start()
        self.runner.run(lambda: (self.counter.reasons(), self.counter.agreement_means(), self.counter.legal_bases()),
                        on_success=self.changes.keep_reference, kind=DB, owner=self)

    def attach_scanner(self, scanner: QObject) -> None:
        """Connect a ScannerBridge (app/ui/scanner.py): ordonnances, boxes, refusals, camera."""
        self.scanner = scanner
        scanner.ordonnance_scanned.connect(self.on_ordonnance_scanned)
        scanner.product_scanned.connect(self.on_product_scanned)
        scanner.scan_rejected.connect(self._on_scan_rejected)
        scanner.camera_error.connect(self.waiting.show_device_error)
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
        """A box read by the scanner (a ScanResult of kind PRODUCT): ticks its line, or says why not."""
        if self.pages.currentWidget() is self.preview:
            self._early_scans.append(scan)  # the prescription is shown, its lines not ready yet
            return
        if self.dispensing is None or self.pages.currentWidget() is not self.dispensing_page:
            if self.pages.currentWidget() is self.waiting:
                self.waiting.show_error(self.tr("Boîte scannée : scannez d'abord l'ordonnance."))
            return
        try:
            box = box_from_scan(scan)
        except ComptoirError as exc:
            self.sounds.refused()
            self.dispensing_page.show_scan(str(exc), False)
            return
        self.act(ScanBox(box), on_done=self._box_accepted, on_failed=self._box_refused)

    def _box_accepted(self, state: LineState) -> None:
        self.sounds.accepted()
        name = self.dispensing.prescribed(state.line_id).medication.text
        self.dispensing_page.select_line(state.line_id)
        self.dispensing_page.show_scan(
            self.tr("✔ Boîte acceptée pour « %1 » (%2 / %3).").replace("%1", name)
            .replace("%2", str(len(state.boxes))).replace("%3", str(state.quantity)), True)

    def _box_refused(self, message: str, exc: BaseException) -> None:
        self.sounds.refused()
        # the refusal names the box already ("Boîte périmée (…)", "Une boîte de trop …")
        self.dispensing_page.show_scan(self.tr("✖ Refusée — %1").replace("%1", refusal_text(exc, message)), False)

    def _on_scan_rejected(self, message: str) -> None:
        if self.pages.currentWidget() is self.dispensing_page:
            self.sounds.refused()
            self.dispensing_page.show_scan(message, False)
        elif self.pages.currentWidget() is self.waiting:
            self.waiting.show_error(message)

    # --- opening an ordonnance ---------------------------------------------------------------------
    def open_number(self, text: str) -> None:
        """Look the ordonnance up (see :class:`Lookup`); a newer one makes this one stale."""
        try:
            number = OrdonnanceNumber.parse(text, check=self.settings.service.check_number)
        except ComptoirError as exc:
            self.waiting.show_error(str(exc))
            return
        if self.lookup.busy_with(str(number)):
            return  # the same ordonnance read twice while it is being fetched
        self.pages.setCurrentWidget(self.waiting)
        self.waiting.set_busy(self.tr("Recherche de l'ordonnance %1…").replace("%1", number.grouped()))
        self.lookup.open(str(number))

    def _on_unreachable(self, number: str, _message: str) -> None:
        """The service did not answer the fetch: nothing was fetched nor delivered. The number stays
        in the field, as printed, with a retry (F5 or Enter)."""
        try:
            shown = OrdonnanceNumber.parse(number).grouped()
        except ComptoirError:
            shown = number
        self.waiting.show_unreachable(shown, self.tr(
            "L'ordonnance n'a pas pu être récupérée : le service d'ordonnance numérique ne répond pas. "
            "Rien n'a été délivré. Vérifiez la connexion, puis réessayez (F5)."))

    def _resume(self, delivery_id: str) -> None:
        self.waiting.set_busy(self.tr("Reprise de la délivrance…"))
        self.lookup.resume(delivery_id)

    def _discard(self, delivery_id: str) -> None:
        """A dispensing of the waiting list abandoned, its claim given back (:meth:`Lookup.give_up`)."""
        self.lookup.give_up(lambda: self.counter.discard(delivery_id), self._refresh_pending,
                            lambda m, _e: self.waiting.show_error(m))

    def _show_prescription(self, prescription: Prescription) -> None:
        """Read from the service: the prescription on screen at once (head and prescribed lines, on
        the preview page); products, quantities and findings follow on the dispensing page when its
        lines are prepared (:meth:`_show_dispensing`)."""
        self._early_scans = []
        self.preview.show_prescription(prescription)
        self.pages.setCurrentWidget(self.preview)
        self.prescription_shown.emit(prescription)

    def _lookup_failed(self, message: str) -> None:
        self._early_scans = []
        self.pages.setCurrentWidget(self.waiting)
        self.waiting.show_error(message)

    def _show_dispensing(self, dispensing: Dispensing) -> None:
        self.ops.reset(dispensing)
        self.recording.reset()
        self.waiting.set_busy("")
        self.dispensing_page.amc_spin.setValue(self.settings.pharmacy.amc_percent)  # each patient his own
        if dispensing.bill is not None:  # resumed after billing
            self.checkout.show(dispensing)
        else:
            self._dispensing_shown(dispensing, self.tr("Scannez les boîtes : chaque boîte coche sa ligne."))
        self.shown.emit(dispensing)
        early, self._early_scans = self._early_scans, []
        for scan in early:  # in the order they were read
            self.on_product_scanned(scan)

    def _dispensing_shown(self, dispensing: Dispensing, notice: str) -> None:
        self.dispensing_page.show_dispensing(dispensing, [], date.today())
        self.dispensing_page.show_scan(notice, True)
        self.dispensing_page.show_error("")
        self.pages.setCurrentWidget(self.dispensing_page)
        self.dispensing_page.lines_view.setFocus()
        self._refresh_findings()

    def _back_to_dispensing(self) -> None:
        """From the bill back to the lines (Retour, Échap): to look again before recording. The invoice
        is numbered already, so the lines cannot change any more; F9 shows the same bill again."""
        if self.dispensing is not None:
            self._dispensing_shown(self.dispensing, self.tr("Facture établie : la délivrance ne peut plus changer. "
                                                            "F9 revient à la facture."))

    def _refresh_findings(self) -> None:
        dispensing = self.dispensing
        if dispensing is None:
            return
        self.runner.run(lambda: self.counter.findings(dispensing),
                        on_success=lambda f: self._show_findings(dispensing, f),
                        on_failure=lambda m, _e: self.dispensing_page.show_error(m), kind=DB, owner=self,
                        latest="findings")

    def _show_findings(self, dispensing: Dispensing, findings: list[Finding]) -> None:
        if dispensing is self.dispensing and self.pages.currentWidget() is self.dispensing_page:
            self.dispensing_page.show_dispensing(dispensing, findings, date.today())

    # --- dispensing --------------------------------------------------------------------------------
    def act(self, op: Op, *, on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[str, BaseException], None] | None = None) -> None:
        """Apply ``op`` to the dispensing on screen (database worker; after the ones still waiting),
        swap the new dispensing in, redraw, refresh the findings, then ``on_done(result)``. Refused:
        redrawn as it was, and ``on_failed(message, exc)`` (default: the message under the lines)."""
        def done(result: Any) -> None:
            self._redraw()
            self.focus_scan()
            if not isinstance(op, ScanBox):  # "Boîte acceptée (1 / 2)" would now be stale
                self.dispensing_page.clear_scan()
            if on_done is not None:
                on_done(result)
            self._refresh_findings()

        def failed(message: str, exc: BaseException) -> None:
            if isinstance(exc, AdjustmentRequired):
                log.info("adjustment required: %s", message)
            self._redraw()  # e.g. the product list back on the product actually chosen
            self.focus_scan()
            if isinstance(exc, RulesNotMet):  # the findings in the UI's language
                message = "\n".join(finding_text(f) for f in exc.findings)
            (on_failed or (lambda m, _e: self.dispensing_page.show_error(m)))(message, exc)

        self.ops.act(op, done, failed)

    def focus_scan(self) -> None:
        """After an action the keyboard goes back where scanning and typing continue: the number
        field while waiting, the lines while dispensing. Not taken from a field being typed in."""
        focus = QApplication.focusWidget()
        page = self.pages.currentWidget()
        if focus is not None and not self.isAncestorOf(focus):
            return  # another tab, a dialog: not ours to move
        if (focus is not None and page.isAncestorOf(focus)
                and not isinstance(focus, QAbstractButton | QAbstractItemView)):
            return  # the search field, the product list, the quantity: the pharmacist is there
        if page is self.waiting:
            self.waiting.number_edit.setFocus()
        elif page is self.dispensing_page:
            self.dispensing_page.lines_view.setFocus()

    def _redraw(self) -> None:
        if self.dispensing is not None:
            self.dispensing_page.show_dispensing(self.dispensing, self.dispensing_page.findings, date.today())

    def _asked(self, ask: Callable[..., Op | None]) -> Callable[..., None]:
        """A page request that first asks the pharmacist (:class:`LineChanges`): act on the operation
        returned, or redraw when the dialog was cancelled."""
        def handler(*args: Any) -> None:
            if self.dispensing is None:
                return
            op = ask(self.dispensing, *args)
            if op is None:
                self._redraw()
                self.focus_scan()
            else:
                self.act(op)
        return handler

    def offer_product(self, product: Presentation) -> bool:
        """A presentation chosen in the catalogue search, for the selected line (False: no line open)."""
        row = self.dispensing_page.current_row()
        if self.dispensing is None or self.pages.currentWidget() is not self.dispensing_page or row is None:
            return False
        self._asked(self.changes.choose_product)(row.state.line_id, product)
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

        self.act(SearchProducts(line_id, text), on_done=found)

    # --- recording, abandon, waiting -----------------------------------------------------------------
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

    def _abandon(self) -> None:
        """The dispensing on screen abandoned (operations still waiting are dropped), its claim given
        back (:meth:`Lookup.give_up`), then the waiting page."""
        dispensing = self.dispensing
        if dispensing is None or not self._confirm_abandon(dispensing):
            return
        self.ops.reset(dispensing)
        self.lookup.give_up(lambda: self.counter.abandon_locally(dispensing), self.back_to_waiting,
                            lambda m, _e: self.dispensing_page.show_error(m))

    def _confirm_abandon(self, dispensing: Dispensing) -> bool:
        """Abandoning loses the boxes scanned and the adjustments made: ask first (No by default, and
        on Échap). Nothing done yet: abandoned without a question."""
        boxes = sum(len(state.boxes) for state in dispensing.lines)
        adjusted = sum(len(state.adjustments) + len(state.overrides)
                       for state in dispensing.lines)  # each change justified, each warning overridden
        if not boxes and not adjusted:
            return True
        lost = []
        if boxes:
            lost.append(self.tr("%n boîte(s) scannée(s)", "", boxes))
        if adjusted:
            lost.append(self.tr("%n adaptation(s) de ligne", "", adjusted))
        box = yes_no(self, "abandon_dialog", self.tr("Abandonner la délivrance"),
                     self.tr("Abandonner cette délivrance ? Seront perdues : %1.").replace("%1", self.tr(" et ").join(lost)),
                     self.tr("Abandonner"), self.tr("Continuer la délivrance"))
        self.abandon_dialog_opened.emit(box)
        confirmed = box.exec() == QMessageBox.StandardButton.Yes
        if not confirmed:
            self.dispensing_page.lines_view.setFocus()
        return confirmed

    def back_to_waiting(self) -> None:
        self._early_scans = []
        self.ops.reset(None)
        self.recording.reset()
        self.pages.setCurrentWidget(self.waiting)
        self.waiting.reset()
        self._refresh_pending()

    def _refresh_pending(self) -> None:
        self.outbox_panel.refresh()
        self.runner.run(self.counter.pending, on_success=self.waiting.show_pending,
                        on_failure=lambda m, _e: self.waiting.show_error(m), kind=DB, owner=self,
                        latest="pending")

    def shutdown(self) -> None:
        """The window closes: the dispensing stays stored and is offered again at the next start."""
        self.outbox.timer.stop()
        self.recording.wait()
        if self.scanner is not None and hasattr(self.scanner, "shutdown"):
            self.scanner.shutdown()
