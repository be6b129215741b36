"""The counter's use cases: what the screens call.

Acting on a dispensing is ONE method, :meth:`Counter.apply` with an operation of :mod:`app.workflow.ops`:
it works on a copy, stores it, and returns the new dispensing; the object the caller holds is never
changed, so a screen swaps the new one in on its own thread. Everything else here is about the
dispensing as a whole (start, resume, abandon, record, print) and, where a step needs both the
network and the database, it comes in halves so that each runs where its resource is owned:

- start: :meth:`fetch_and_claim` (network) → :meth:`prepare` (database; goes on with the dispensing
  left unfinished here, if any); the service unreachable: :meth:`unfinished_offline` (database);
- resume: :meth:`load_unfinished` (database) → :meth:`claim_again` (network);
- abandon: :meth:`abandon_locally` or :meth:`discard` (database) → :meth:`release_claim` (network);
- record: :meth:`record_locally` (database) → :meth:`send` (network) → :meth:`finish_send` (database);
- the outbox: :attr:`outbox` (see :mod:`app.workflow.outbox`).

Network halves never touch the database. :meth:`start`, :meth:`resume`, :meth:`abandon` and
:meth:`record` run the halves in a row, for the command line, benchmarks and tests.

Order of a delivery: start (fetch + claim) → operations on the lines → findings (rules) → bill
(numbered invoice) → record (ordonnancier + archive + outbox in one transaction, then send) → print.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from app.config import Settings
from app.domain.adjustments import legal_bases_in_force, reasons_in_force
from app.domain.audit import AuditAction
from app.domain.billing import ClaimSubmitter
from app.domain.delivery import Delivery, PharmacyIdentity
from app.domain.dispensing import Dispensing, DispensingError
from app.domain.errors import ComptoirError, ConfigurationError, ServiceError
from app.domain.identifiers import OrdonnanceNumber
from app.domain.notices import Notice
from app.domain.ordonnancier import missing_register_items
from app.domain.preparation import InPreparation, PreparationEntry, PrepState, check_record
from app.domain.prescription import Prescription
from app.domain.records import LegalBasis, Means, OutboxItem, Reason, Stage
from app.domain.rules import Finding
from app.domain.team import Actor, TeamError
from app.workflow import starting
from app.workflow.checks import History, findings, history_of, product_substances
from app.workflow.ops import Applied, Context, Op
from app.workflow.outbox import Outbox, SendOutcome
from app.workflow.ports import (
    AuditPort,
    CataloguePort,
    CounterStorePort,
    PreparationStorePort,
    PrinterPort,
    ServicePort,
)
from app.workflow.preparation import with_team
from app.workflow.printing import PdfPrinter
from app.workflow.propose import Proposed, propose
from app.workflow.tracing import trace, trace_of

log = logging.getLogger(__name__)
# How far back the patient's deliveries on other ordonnances are read for the overlap ban: no single
# delivery covers more than the twelve months a prescription may run (art. R.5132-21 CSP, liste I/II;
# a stupéfiant at most 28 days, R.5132-30), so an older one cannot overlap today.
PATIENT_HISTORY_DAYS = 366
OFFLINE = Notice("Service indisponible : la réservation de l'ordonnance sera refaite à l'envoi.", "offline_claim")


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

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the ordonnancier should name and this delivery lacks (the addresses, R.5132-10 CSP)."""
        return tuple(missing_register_items(self.delivery))


@dataclass(frozen=True)
class ClaimTicket:
    """A claim this counter made (or a claim to give back): its number and the claim's generation."""

    number: str
    generation: int


@dataclass(frozen=True)
class Claimed:
    """The network half of a start: the prescription fetched, and the claim now held."""

    prescription: Prescription
    ticket: ClaimTicket


class _Claims:
    """The claims this counter asks of the service, number by number.

    One lock per number, so that a claim and a release reach the service in the order they were
    decided (they run on different network threads). Each claim advances the number's generation:
    a release decided before a newer claim (an abandon, then the same ordonnance scanned again) is
    skipped, or it would hand the new dispensing's ordonnance to another pharmacy.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._generations: dict[str, int] = {}

    def lock(self, number: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(number, threading.Lock())

    def ticket(self, number: str) -> ClaimTicket:
        with self._guard:
            return ClaimTicket(number, self._generations.get(number, 0))

    def claimed(self, number: str) -> ClaimTicket:
        """Call with the number's lock held, once the service granted the claim."""
        with self._guard:
            generation = self._generations[number] = self._generations.get(number, 0) + 1
            return ClaimTicket(number, generation)


class Counter:
    def __init__(self, *, settings: Settings, store: CounterStorePort, catalogue: CataloguePort,
                 client: ServicePort | None, clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
                 printer: PrinterPort | None = None, submitter: ClaimSubmitter | None = None,
                 audit: AuditPort | None = None, preparations: PreparationStorePort | None = None) -> None:
        self.settings = settings
        self.store = store
        self.catalogue = catalogue
        self._client = client
        self.clock = clock
        self.printer = printer or PdfPrinter(settings.printer)
        self.submitter = submitter  # SESAM-Vitale / card reader, when one is plugged in
        self.outbox = Outbox(store, client, clock)
        self._claims = _Claims()
        self.audit = audit  # the audit trail, for actions outside a store's write (a print, a reprint)
        self.preparations = preparations  # the preparation queue, when the pharmacy works as a team
        # Who is signed in at this window: replaced (never changed) on the GUI thread at each switch of
        # user; a screen captures it when it queues an operation and passes it on (``actor=``).
        self.actor: Actor | None = None
        # Set once the pharmacy has a team (its window knows): acting with nobody signed in is refused.
        self.require_sign_in = False

    @property
    def client(self) -> ServicePort:
        """The service client; without one (not configured) every service step says so in French."""
        if self._client is None:
            raise ConfigurationError("Service d'ordonnance numérique non configuré : renseignez son adresse "
                                     "et son jeton dans les réglages.", code="service_not_configured")
        return self._client

    def _today(self) -> date:
        return self.clock().date()

    # --- acting on a dispensing (database) ---------------------------------------------------

    def apply(self, d: Dispensing, op: Op, actor: Actor | None = None) -> Applied:
        """Apply ``op`` to a copy of ``d``, store the copy and return it: all or nothing, ``d`` untouched.

        A copy newly billed gets its invoice number with the invoice stored in the same transaction
        (then goes to the claim submitter when one is plugged in). ``actor``: who acts (default: who is
        signed in, :attr:`actor`); what he did goes to the audit trail in the same transaction.
        """
        actor = self._acting(actor)
        work = copy.deepcopy(d)
        ctx = Context(self.catalogue, self._today(), functools.cache(lambda: self.history(d.prescription)))
        result = op.apply(work, ctx)
        now = self.clock()
        if work.bill is not None and work.invoice_number is None:
            work.invoice_number = self.store.bill(work, now, trace_of(op, work, actor, newly_billed=True))
            self._submit(work, now)
        else:
            self.store.save(work, now, Stage.BILLED if work.bill is not None else Stage.ACTIVE,
                            trace_of(op, work, actor))
        return Applied(work, result)

    def _acting(self, actor: Actor | None) -> Actor | None:
        """Who acts: ``actor``, else who is signed in; nobody, where the pharmacy has a team: refused."""
        actor = actor or self.actor
        if actor is None and self.require_sign_in:
            raise TeamError("Personne n'est connecté à ce poste : connectez-vous (Ctrl+U) pour agir.",
                            code="nobody_signed_in")
        return actor

    def _submit(self, work: Dispensing, now: datetime) -> None:
        if self.submitter is None or work.bill is None or work.invoice_number is None:
            return
        outcome = self.submitter.submit(work.invoice_number, work.bill)
        work.notices.append(outcome.message)
        self.store.save(work, now, Stage.BILLED)

    def findings(self, d: Dispensing) -> list[Finding]:
        """Every rule on every line with a product (shown while dispensing; billing needs them met)."""
        return findings(d, self._today(), self.history(d.prescription), self.catalogue)

    def propose(self, prescription: Prescription, today: date | None = None) -> Proposed:
        """What :meth:`start` would propose for ``prescription`` (on ``today``), without claiming,
        storing or recording anything (``comptoir propose``): the same preparation and rules."""
        return propose(prescription, self.catalogue, today or self._today(),
                       self.history(prescription), preferred_labs=self.settings.pharmacy.labs(),
                       now=self.clock())

    def history(self, prescription: Prescription) -> History:
        """Earlier deliveries here of the same ordonnance (renewal index, stupéfiant coverage) and of the
        same patient on other ordonnances within :data:`PATIENT_HISTORY_DAYS` (the overlap ban, art.
        R.5132-33 CSP), with the substances of what was handed over."""
        number = str(prescription.number)
        since = self._today() - timedelta(days=PATIENT_HISTORY_DAYS)
        return history_of(self.store.recorded_for(number),
                          patient=self.store.recorded_for_patient(prescription.patient, since, excluding=number),
                          substances=product_substances(self.catalogue))

    def reasons(self) -> list[Reason]:
        """The adjustment reasons in force today, each naming its actions (resources/adjustments)."""
        return reasons_in_force(self._today())

    def legal_bases(self) -> list[LegalBasis]:
        """What allows another product without the prescriber's agreement, in force today."""
        return legal_bases_in_force(self._today())

    def agreement_means(self) -> list[Means]:
        return self.store.agreement_means()

    def pending(self) -> list[Pending]:
        """The dispensings left unfinished here, but those in the preparation queue until they are ready."""
        return [Pending(d.delivery_id, str(d.prescription.number), d.prescription.patient.display_name,
                        d.started_at, stage is Stage.BILLED) for d, stage in self.store.unfinished()
                if self._in_preparation(d.delivery_id) is None]

    def _in_preparation(self, delivery_id: str) -> PreparationEntry | None:
        """The preparation entry of a dispensing being prepared or validated (not ready yet), if any."""
        if self.preparations is None:
            return None
        entry = self.preparations.for_delivery(delivery_id)
        return entry if entry is not None and entry.is_open and entry.state is not PrepState.VALIDATED else None

    def _refuse_if_in_preparation(self, d: Dispensing) -> Dispensing:
        """``d``, unless it is in the preparation queue and not ready yet: then :class:`InPreparation`
        (the counter shows where it stands; one dispensing per ordonnance, the preparer's). Ready
        (validated), it is the counter's to hand over: ``d``."""
        preparing = self._in_preparation(d.delivery_id)
        if preparing is not None:
            raise InPreparation(preparing)
        return d

    # --- start -------------------------------------------------------------------------------

    def parse_number(self, text: str) -> OrdonnanceNumber:
        number = OrdonnanceNumber.parse(text)
        if self.settings.service.check_number and len(number) == 20:
            number = OrdonnanceNumber.parse(text, check=True)
        return number

    def fetch_and_claim(self, number: str, cancelled: Callable[[], bool] | None = None) -> Claimed:
        """Network: fetch the ordonnance, refuse an unusable one, claim it (again, when it is being
        dispensed here already: :meth:`prepare` then goes on with that dispensing).

        ``cancelled`` is asked before the fetch and again once it returns: a lookup superseded by
        another scan stops there (:class:`LookupCancelled`) instead of holding the ordonnance for
        nobody; superseded while claiming, the claim is given back at once.
        """
        _stop_if(cancelled)
        prescription = self.client.fetch(number)
        _stop_if(cancelled)
        starting.refuse_if_unusable(prescription, self._today())
        with self._claims.lock(number):
            self.client.claim(number)
            ticket = self._claims.claimed(number)
        claimed = Claimed(prescription, ticket)
        if cancelled is not None and cancelled():
            self.release_claim(ticket)
            _stop_if(cancelled)
        return claimed

    def prepare(self, claimed: Claimed, cancelled: Callable[[], bool] | None = None) -> Dispensing:
        """Database: the dispensing of this ordonnance left unfinished here, to go on with; else a new
        one, products and quantities proposed per line, stored. The one left unfinished is in the
        preparation queue, not ready: :class:`InPreparation` (never a second dispensing of it).

        On failure (or superseded before anything is stored: :class:`LookupCancelled`) the caller
        gives the claim back with :meth:`release_claim`.
        """
        number = claimed.ticket.number
        unfinished = self.store.unfinished_for(number)
        if unfinished is not None:
            return self._refuse_if_in_preparation(unfinished)
        _stop_if(cancelled)
        d = Dispensing.begin(uuid.uuid4().hex, claimed.prescription, self.clock())
        starting.prepare(d, self.catalogue, self._today(), self.history(claimed.prescription),
                         preferred_labs=self.settings.pharmacy.labs())
        self.store.save(d, self.clock())
        return d

    def unfinished_offline(self, number: str) -> Dispensing | None:
        """Database: when the service could not be reached, the dispensing of this ordonnance left
        unfinished here, to go on with (its notices say the claim waits), or None."""
        d = self.store.unfinished_for(number)
        if d is None:
            return None
        return dataclasses.replace(self._refuse_if_in_preparation(d), notices=[*d.notices, OFFLINE])

    def start(self, text: str, cancelled: Callable[[], bool] | None = None) -> Dispensing:
        """Fetch and claim the ordonnance, then go on with its dispensing here or prepare a new one."""
        number = str(self.parse_number(text))
        try:
            claimed = self.fetch_and_claim(number, cancelled)
        except ServiceError as exc:
            resumed = self.unfinished_offline(number) if exc.retryable else None
            if resumed is None:
                raise
            return resumed
        try:
            d = self.prepare(claimed, cancelled)
        except BaseException:
            self.release_claim(claimed.ticket)
            raise
        return d

    # --- resume ------------------------------------------------------------------------------

    def load_unfinished(self, delivery_id: str) -> Dispensing:
        """Database: a dispensing left unfinished, to resume."""
        d, stage = self.store.load(delivery_id)
        if stage not in (Stage.ACTIVE, Stage.BILLED):
            raise DispensingError("Cette délivrance est déjà terminée.", code="already_finished")
        return self._refuse_if_in_preparation(d)

    def claim_again(self, d: Dispensing) -> Dispensing:
        """Network: claim the ordonnance of a resumed dispensing again. Offline it goes on (the claim
        waits): the dispensing returned then says so in its notices (``d`` itself is left as it is)."""
        number = str(d.prescription.number)
        try:
            with self._claims.lock(number):
                self.client.claim(number)
                self._claims.claimed(number)
        except ServiceError as exc:
            if not exc.retryable:
                raise
            return dataclasses.replace(d, notices=[*d.notices, OFFLINE])
        return d

    def resume(self, delivery_id: str) -> Dispensing:
        return self.claim_again(self.load_unfinished(delivery_id))

    # --- abandon -----------------------------------------------------------------------------

    def abandon_locally(self, d: Dispensing) -> ClaimTicket:
        """Database: stop dispensing this ordonnance here, keep the trace (every line cancelled).

        Returns the claim to give back with :meth:`release_claim` (network).
        """
        if d.bill is not None:
            raise DispensingError("La facture est établie : enregistrez la délivrance plutôt que de l'abandonner.",
                                  code="billed_no_abandon")
        work = copy.deepcopy(d)
        work.cancel()
        self.store.save(work, self.clock(), Stage.ABANDONED)
        return self._claims.ticket(str(d.prescription.number))

    def discard(self, delivery_id: str) -> ClaimTicket:
        """Database: abandon a dispensing left unfinished without claiming it again."""
        return self.abandon_locally(self.load_unfinished(delivery_id))

    def release_claim(self, ticket: ClaimTicket) -> None:
        """Network: give a claim back; a failure only goes to the log (a claim lapses after 30 minutes).

        Skipped when the ordonnance was claimed again since the ticket was taken (scanned again and
        started meanwhile): its new dispensing holds the claim now.
        """
        with self._claims.lock(ticket.number):
            if self._claims.ticket(ticket.number).generation != ticket.generation:
                log.info("release skipped: the ordonnance was claimed again meanwhile")
                return
            try:
                self.client.release(ticket.number)
            except ComptoirError as exc:  # no service, or unreachable
                log.warning("release of a claim failed: %s", type(exc).__name__)

    def abandon(self, d: Dispensing) -> None:
        self.release_claim(self.abandon_locally(d))

    # --- record, print -----------------------------------------------------------------------

    def record_locally(self, d: Dispensing, actor: Actor | None = None) -> OutboxItem:
        """Database: ordonnancier entries, archive and outbox in one local transaction; no network.

        Returns the outbox item (the delivery with its ordonnancier numbers). Recorded already (a
        retry after a crash or a failed send), it returns the one kept then and writes nothing. The
        outbox row written here is what guarantees the delivery is sent later if :meth:`send` fails.

        ``actor`` (default: who is signed in) hands over: refused when his role does not let him record
        this dispensing (:func:`app.domain.preparation.check_record`: a préparateur records what a
        pharmacist validated, a student never). The delivery names who prepared, validated and handed
        over, and the pharmacist responsible (:func:`responsible`).
        """
        actor = self._acting(actor)
        stage = self.store.stage(d.delivery_id)
        if stage is Stage.RECORDED:
            kept = self.store.outbox(d.delivery_id)
            if kept is not None:
                return kept
        if d.bill is None or stage is not Stage.BILLED:
            raise DispensingError("Facturez avant d'enregistrer la délivrance.", code="bill_first")
        entry = self.preparations.for_delivery(d.delivery_id) if self.preparations is not None else None
        check_record(actor, d, entry)
        p = self.settings.pharmacy
        now = self.clock()
        delivery = d.to_delivery(pharmacy=PharmacyIdentity(p.name, p.address, p.finess, p.phone),
                                 pharmacist_name=p.pharmacist_name, pharmacist_rpps=p.pharmacist_rpps,
                                 handed_over_at=now)
        delivery = with_team(delivery, d, actor, entry)
        # its preparation, if any, is closed in the recording's transaction (CounterStore.record)
        return self.store.record(d, delivery, now, trace(AuditAction.RECORD, actor, d,
                                                         pharmacist=delivery.pharmacist_rpps))

    def send(self, item: OutboxItem) -> SendOutcome:
        """Network: send a delivery recorded by :meth:`record_locally` (not again when sent already)."""
        return self.outbox.send(item)

    def finish_send(self, item: OutboxItem, outcome: SendOutcome) -> Recorded:
        """Database: keep what the service answered; not sent, the delivery stays in the outbox."""
        message = self.outbox.mark(item, outcome)
        return Recorded(item.delivery, outcome.sent, message)

    def record(self, d: Dispensing) -> Recorded:
        item = self.record_locally(d)
        return self.finish_send(item, self.send(item))

    def print_delivery(self, delivery: Delivery, prescription: Prescription | None = None) -> Path:
        """The PDF files of a recorded delivery in ``settings.pdf_dir``; returns the ordonnance mentions.

        No database here (the I/O pool runs it): ``prescription`` is the one the delivery served,
        when the caller has it (the patient's copy then repeats it).
        """
        return self.printer.print_delivery(delivery, prescription, self.settings.pdf_dir)[0]

    def trace_printed(self, delivery: Delivery, actor: Actor | None = None, *, pages: int | None = None) -> None:
        """Database: the print of ``delivery`` in the audit trail (nobody signed in: nothing to trace)."""
        actor = actor or self.actor
        if actor is None or self.audit is None:
            return
        self.audit.record(AuditAction.PRINT, actor, object_ref=str(delivery.number),
                          details={"delivery": delivery.delivery_id, **({"pages": pages} if pages else {})})
