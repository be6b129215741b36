"""The counter's use cases: what the screens call, one synchronous method per user action.

Every method may wait on the network or the database, so the UI runs them off the GUI thread. Each
step works on a copy of the dispensing and, only once it has succeeded and been stored, updates the
caller's object in place: a refused action (French message) changes nothing, and a dispensing in
progress is always found again after the app is closed (:meth:`Counter.pending`, :meth:`resume`).

Order of a delivery: start (fetch + claim) → choose / scan / adjust / decline each line → findings
(rules) → bill (numbered invoice) → record (ordonnancier + outbox in one transaction, then send) →
print. Abandoning releases the claim.
"""

from __future__ import annotations

import copy
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.config import Settings
from app.domain.billing import ClaimSubmitter, compute_bill
from app.domain.catalogue import Presentation
from app.domain.delivery import Adjustment, Delivery, PharmacyIdentity, ScannedBox
from app.domain.dispensing import Dispensing, DispensingError, LineState, ScanRefused
from app.domain.errors import ComptoirError, ConfigurationError, ServiceError, StorageError
from app.domain.identifiers import OrdonnanceNumber
from app.domain.rules import Finding, override_key, unresolved
from app.storage.delivery_archive import archive_delivery
from app.workflow import starting
from app.workflow.checks import History, findings, history_of
from app.workflow.outbox import OutboxSender, send_one
from app.workflow.ports import CataloguePort, OrdonnancierPort, PrinterPort, ServicePort
from app.workflow.printing import PdfPrinter
from app.workflow.proposals import kinds_for
from app.workflow.store import ABANDONED, BILLED, RECORDED, CounterStore, Means, Reason

log = logging.getLogger(__name__)


class RulesNotMet(DispensingError):
    """Blocking rules, or warnings not yet overridden, keep the dispensing from being billed."""

    def __init__(self, found: list[Finding]) -> None:
        super().__init__("\n".join(f.message for f in found))
        self.findings = found


class LookupCancelled(ComptoirError):
    """A lookup replaced by a newer one (another ordonnance scanned while it was in flight)."""


def _stop_if(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise LookupCancelled("Recherche annulée : une autre ordonnance a été scannée.")


@dataclass(frozen=True)
class Pending:
    """A dispensing left unfinished, offered for resumption at start."""

    delivery_id: str
    number: str
    patient: str
    started_at: datetime
    billed: bool = False


@dataclass(frozen=True)
class Recorded:
    """The outcome of recording: the delivery (with its ordonnancier numbers) and whether the service
    has it already; ``message`` says what happens otherwise (French)."""

    delivery: Delivery
    transmitted: bool
    message: str = ""


class _RealOrdonnancier:
    """The ordonnancier and the delivery archive of :mod:`app.storage`, in the caller's transaction."""

    def append_delivery(self, session, delivery: Delivery) -> Delivery:
        from app.storage.ordonnancier import append_delivery

        return append_delivery(session, delivery)


class _NumberLocks:
    """One lock per ordonnance number, so that its claim and its release reach the service in the
    order the pharmacist acted (they run on different network threads)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def __call__(self, number: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(str(number), threading.Lock())


class Counter:
    def __init__(self, *, settings: Settings, session_factory, catalogue: CataloguePort, client: ServicePort | None,
                 clock: Callable[[], datetime] = lambda: datetime.now().astimezone(), ordonnancier: OrdonnancierPort | None = None,
                 printer: PrinterPort | None = None, submitter: ClaimSubmitter | None = None) -> None:
        self.settings = settings
        self.catalogue = catalogue
        self._client = client
        self.clock = clock
        self.store = CounterStore(session_factory)
        self._number_lock = _NumberLocks()
        self.ordonnancier = ordonnancier or _RealOrdonnancier()
        self.printer = printer or PdfPrinter(settings.printer)
        self.sender = OutboxSender(self.store, client, clock) if client is not None else None
        self.submitter = submitter  # SESAM-Vitale / card reader, when one is plugged in

    @classmethod
    def from_services(cls, services: Any) -> Counter:
        """Built from the UI's ``Services`` (settings, session_factory, catalogue, client)."""
        return cls(settings=services.settings, session_factory=services.session_factory,
                   catalogue=services.catalogue, client=services.client)

    @property
    def client(self) -> ServicePort:
        """The service client; without one (not configured) every service step says so in French."""
        if self._client is None:
            raise ConfigurationError("Service d'ordonnance numérique non configuré : renseignez son adresse "
                                     "et son jeton dans les réglages.")
        return self._client

    def _today(self) -> date:
        return self.clock().date()

    def _step(self, d: Dispensing, action: Callable[[Dispensing], Any], status: str | None = None) -> Any:
        """Run ``action`` on a copy, store it, then update ``d`` in place: all or nothing."""
        work = copy.deepcopy(d)
        result = action(work)
        self.store.save(work, self.clock(), status or (BILLED if work.bill is not None else "active"))
        d.__dict__.update(work.__dict__)
        if isinstance(result, LineState):
            return d.line(result.line_id)
        return result

    # --- start, resume, abandon --------------------------------------------------------------

    def parse_number(self, text: str) -> OrdonnanceNumber:
        number = OrdonnanceNumber.parse(text)
        if self.settings.service.check_number and len(number) == 20:
            number = OrdonnanceNumber.parse(text, check=True)
        return number

    def history(self, number: str) -> History:
        """Earlier deliveries of the same ordonnance here: renewal index and stupéfiant coverage."""
        return history_of(self.store.recorded_for(number))

    def start(self, text: str, cancelled: Callable[[], bool] | None = None) -> Dispensing:
        """Fetch and claim the ordonnance, propose products per line; resume one already started.

        ``cancelled`` is asked before the fetch and again once it returns, before anything is claimed
        or stored: a lookup superseded by another scan meanwhile stops there (:class:`LookupCancelled`)
        instead of holding the ordonnance for nobody. Superseded while claiming, the new dispensing is
        abandoned at once (claim released, trace kept).
        """
        number = self.parse_number(text)
        _stop_if(cancelled)
        unfinished = self.store.unfinished_for(number)
        if unfinished is not None:
            return self.resume(unfinished.delivery_id)
        prescription = self.client.fetch(number)
        _stop_if(cancelled)
        starting.refuse_if_unusable(prescription, self._today())
        with self._number_lock(number):  # claimed and stored before any release queued earlier runs
            self.client.claim(number)
            history = self.history(number)
            d = Dispensing.begin(uuid.uuid4().hex, prescription, self.clock())
            try:
                starting.prepare(d, self.catalogue, self._today(), history)
                self.store.save(d, self.clock())
            except Exception:
                self._release_quietly(number)
                raise
        if cancelled is not None and cancelled():
            self.abandon(d)
            _stop_if(cancelled)
        return d

    def pending(self) -> list[Pending]:
        return [Pending(d.delivery_id, str(d.prescription.number), d.prescription.patient.display_name,
                        d.started_at, status == BILLED) for d, status in self.store.unfinished()]

    def resume(self, delivery_id: str) -> Dispensing:
        """A dispensing left unfinished, claimed again (offline, it goes on: the claim waits)."""
        d, status = self.store.load(delivery_id)
        if status in (RECORDED, ABANDONED):
            raise DispensingError("Cette délivrance est déjà terminée.")
        try:
            with self._number_lock(d.prescription.number):
                self.client.claim(d.prescription.number)
        except ServiceError as exc:
            if not exc.retryable:
                raise
            d.notices.append("Service indisponible : la réservation de l'ordonnance sera refaite à l'envoi.")
        return d

    def abandon(self, d: Dispensing) -> None:
        """Stop dispensing this ordonnance here: release the claim, keep the trace locally."""
        self.abandon_locally(d)
        self.release_claim(str(d.prescription.number))

    def abandon_locally(self, d: Dispensing) -> str:
        """The database half of :meth:`abandon` (no network): marked abandoned; returns its number.

        Why apart: the UI runs it on the database worker and :meth:`release_claim` on the network
        pool, so a slow service never holds up the other database tasks.
        """
        if d.bill is not None:
            raise DispensingError("La facture est établie : enregistrez la délivrance plutôt que de l'abandonner.")
        self._step(d, lambda w: w.cancel(), status=ABANDONED)
        return str(d.prescription.number)

    def discard(self, delivery_id: str) -> str:
        """Abandon a dispensing left unfinished without claiming it again (database only); returns its
        number, whose claim :meth:`release_claim` then releases."""
        d, status = self.store.load(delivery_id)
        if status in (RECORDED, ABANDONED):
            raise DispensingError("Cette délivrance est déjà terminée.")
        return self.abandon_locally(d)

    def release_claim(self, number: str) -> None:
        """The network half of :meth:`abandon`: release the claim; a failure only goes to the log.

        The release is queued after the local abandon; if the same ordonnance was scanned again and
        started meanwhile, its new dispensing holds the claim now, and releasing would let another
        pharmacy take it: the release is then skipped.
        """
        with self._number_lock(number):
            if self.store.unfinished_for(str(number)) is not None:
                log.info("release skipped: the ordonnance was started again meanwhile")
                return
            self._release_quietly(number)

    def _release_quietly(self, number: str) -> None:
        try:
            self.client.release(number)
        except ComptoirError as exc:  # no service, or unreachable: the claim lapses by itself after 30 minutes
            log.warning("release of a claim failed: %s", type(exc).__name__)

    # --- reference data ----------------------------------------------------------------------

    def reasons(self) -> list[Reason]:
        return self.store.reasons()

    def agreement_means(self) -> list[Means]:
        return self.store.agreement_means()

    # --- a line ------------------------------------------------------------------------------

    def search_products(self, d: Dispensing, line_id: str, text: str) -> list[Presentation]:
        """Products found by name for a line, added to its proposals (not chosen)."""
        found = self.catalogue.find(text)
        line = d.prescribed(line_id)
        classify_for = kinds_for(line, self.catalogue, bool(d.line(line_id).proposals))
        offered = [(p, classify_for(p)) for p in found]
        history = self.history(str(d.prescription.number))
        self._step(d, lambda w: starting.offer(w, line_id, offered, self.catalogue, self._today(), history))
        return found

    def choose_product(self, d: Dispensing, line_id: str, product: Presentation,
                       adjustment: Adjustment | None = None) -> Dispensing:
        state = d.line(line_id)
        if product.cip13 not in state.proposal_kinds:
            line = d.prescribed(line_id)
            kind = kinds_for(line, self.catalogue, bool(state.proposals))(product)
            history = self.history(str(d.prescription.number))

            def action(w: Dispensing) -> None:
                starting.offer(w, line_id, [(product, kind)], self.catalogue, self._today(), history)
                w.choose_product(line_id, product, adjustment=adjustment)
        else:
            def action(w: Dispensing) -> None:
                w.choose_product(line_id, product, adjustment=adjustment)
        self._step(d, action)
        return d

    def set_quantity(self, d: Dispensing, line_id: str, quantity: int,
                     adjustment: Adjustment | None = None) -> Dispensing:
        self._step(d, lambda w: w.set_quantity(line_id, quantity, adjustment=adjustment))
        return d

    def scan_box(self, d: Dispensing, box: ScannedBox) -> LineState:
        return self._step(d, lambda w: w.scan(box, self._today()))

    def scan_code(self, d: Dispensing, text: str) -> LineState:
        """A box's DataMatrix or EAN as read by a scanner."""
        from app.scanning.classify import classify
        from app.scanning.symbols import ScanKind

        result = classify(text)
        if result.kind is ScanKind.ORDONNANCE:
            raise ScanRefused("C'est un code d'ordonnance : terminez d'abord la délivrance en cours.")
        if result.kind is not ScanKind.PRODUCT:
            raise ScanRefused(result.message or "Code non reconnu.")
        f = result.fields
        expiry = date.fromisoformat(f["expiry"]) if f.get("expiry") else None
        return self.scan_box(d, ScannedBox(f["cip13"], f.get("lot"), expiry, f.get("serial")))

    def unscan(self, d: Dispensing, line_id: str, index: int) -> Dispensing:
        self._step(d, lambda w: w.unscan(line_id, index))
        return d

    def decline(self, d: Dispensing, line_id: str, adjustment: Adjustment) -> Dispensing:
        self._step(d, lambda w: w.decline(line_id, adjustment))
        return d

    def confirm(self, d: Dispensing, line_id: str) -> Dispensing:
        self._step(d, lambda w: w.confirm(line_id))
        return d

    def hold(self, d: Dispensing, line_id: str) -> Dispensing:
        self._step(d, lambda w: w.hold(line_id))
        return d

    def resume_line(self, d: Dispensing, line_id: str) -> Dispensing:
        self._step(d, lambda w: w.resume_line(line_id))
        return d

    def change_posology(self, d: Dispensing, line_id: str, posology: str, adjustment: Adjustment) -> Dispensing:
        self._step(d, lambda w: w.change_posology(line_id, posology, adjustment))
        return d

    def set_price(self, d: Dispensing, line_id: str, price) -> Dispensing:
        self._step(d, lambda w: w.set_price(line_id, price))
        return d

    # --- rules, bill, record, print ----------------------------------------------------------

    def findings(self, d: Dispensing) -> list[Finding]:
        return findings(d, self._today(), self.history(str(d.prescription.number)))

    def override(self, d: Dispensing, line_id: str, rule: str, reason: str) -> Dispensing:
        self._step(d, lambda w: w.override(line_id, rule, reason))
        return d

    def bill(self, d: Dispensing, tiers_payant: bool) -> Dispensing:
        """Check everything, then issue the numbered invoice (stored locally with the dispensing)."""
        if d.bill is not None:
            return d
        problems = d.problems()
        if problems:
            raise DispensingError("\n".join(problems))
        overrides = {override_key(s.line_id, rule): reason for s in d.lines for rule, reason in s.overrides.items()}
        left = unresolved(self.findings(d), overrides)
        if left:
            raise RulesNotMet(left)
        from app.storage.db import transaction

        work = copy.deepcopy(d)
        work.tiers_payant = tiers_payant
        work.bill = compute_bill(work.bill_items(), tiers_payant=tiers_payant)
        now = self.clock()
        with transaction(self.store.factory) as session:
            work.invoice_number = self.store.add_invoice(session, work, work.bill, now)
            self.store.save(work, now, BILLED, session)
        if self.submitter is not None:
            result = self.submitter.submit(work.invoice_number, work.bill)
            work.notices.append(result.message)
            self.store.save(work, now, BILLED)
        d.__dict__.update(work.__dict__)
        return d

    def record(self, d: Dispensing) -> Recorded:
        """Only after billing: record locally (:meth:`record_locally`), then send (:meth:`send_recorded`)."""
        self.record_locally(d)
        return self.send_recorded(d.delivery_id)

    def record_locally(self, d: Dispensing) -> Delivery:
        """Ordonnancier entries, archive and outbox in one local transaction; no network.

        Returns the delivery with its ordonnancier numbers. Already recorded (a retry after a crash or
        a failed send), it returns the delivery kept in the outbox and writes nothing again. Why apart
        from sending: the UI runs this on the single database worker and :meth:`send_recorded` on the
        network pool, so a slow or unreachable service never holds up the other database tasks; the
        outbox row written here is what guarantees the delivery is sent later if the send fails.
        """
        from app.storage.db import transaction

        status = self.store.status(d.delivery_id)
        if status == RECORDED:  # recorded before: what was recorded is what will be sent
            return self.store.outbox(d.delivery_id).delivery
        if d.bill is None or status != BILLED:
            raise DispensingError("Facturez avant d'enregistrer la délivrance.")
        p = self.settings.pharmacy
        now = self.clock()
        delivery = d.to_delivery(pharmacy=PharmacyIdentity(p.name, p.address, p.finess, p.phone),
                                 pharmacist_name=p.pharmacist_name, pharmacist_rpps=p.pharmacist_rpps,
                                 handed_over_at=now)
        with transaction(self.store.factory) as session:
            delivery = self.ordonnancier.append_delivery(session, delivery)
            archive_delivery(session, delivery, d.prescription)  # for reprints and the history
            self.store.add_outbox(session, delivery, now)
            self.store.save(d, now, RECORDED, session)
        return delivery

    def send_recorded(self, delivery_id: str) -> Recorded:
        """Send a delivery recorded by :meth:`record_locally` (network; idempotent, see outbox.py).

        Not reachable, it stays in the outbox for :meth:`send_pending`: ``transmitted`` is False and
        ``message`` says so. Already sent, it is not sent again.
        """
        outcome = send_one(self.store, self.client, delivery_id, self.clock())
        item = self.store.outbox(delivery_id)
        return Recorded(item.delivery, outcome.sent, outcome.message)

    def send_pending(self):
        """Retry the deliveries kept for sending (call on a timer, off the GUI thread)."""
        if self.sender is None:
            raise ConfigurationError("Service d'ordonnance numérique non configuré : rien ne peut être transmis.")
        return self.sender.send_due()

    def refused_deliveries(self) -> list[tuple[str, str, str]]:
        """Deliveries the service refused: (delivery id, ordonnance number, its French message)."""
        return self.store.failed()

    def retry_refused(self, delivery_id: str) -> bool:
        """Queue a refused delivery again; it is sent at the next :meth:`send_pending`."""
        return self.store.requeue(delivery_id, self.clock())

    def print_delivery(self, delivery: Delivery, to_printer: bool = False) -> Path:
        """The PDF files of a recorded delivery in ``settings.pdf_dir``; returns the ordonnance mentions.

        ``to_printer`` is the UI's business (it sends the file to the printer); the PDFs are always written.
        """
        prescription = None
        try:
            prescription = self.store.load(delivery.delivery_id)[0].prescription
        except StorageError:  # a delivery not dispensed at this counter prints without the prescription
            log.info("printing %s without its prescription", delivery.delivery_id)
        return self.printer.print_delivery(delivery, prescription, self.settings.pdf_dir)[0]
