"""The counter's local records: dispensings (after every step), invoices with their sequential
numbers, the outbox to the service, the reasons and agreement means tables.

Why here and whole: the workflow decides and this keeps, behind the workflow's port
(``app.workflow.ports.CounterStorePort``); the workflow sees no session. Where several writes must
commit together they are ONE method: :meth:`CounterStore.bill` (invoice number + invoice + state) and
:meth:`CounterStore.record` (ordonnancier + archive + outbox + state). Each method opens its own
short transaction; a failure of the database becomes a French :class:`StorageError`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.audit import Trace
from app.domain.billing import Bill
from app.domain.codec import decode, to_jsonable
from app.domain.delivery import Delivery
from app.domain.delivery_codec import delivery_from_json, delivery_to_json
from app.domain.dispensing import Dispensing
from app.domain.errors import ComptoirError, StorageError
from app.domain.prescription import Patient, same_patient
from app.domain.records import UNFINISHED, Means, OutboxItem, SendStatus, Stage
from app.storage import audit
from app.storage.db import transaction
from app.storage.delivery_archive import archive_delivery, search_key
from app.storage.models.counter import (
    AgreementMeansRow,
    CounterSequenceRow,
    DispensingRow,
    InvoiceRow,
    OutboxRow,
)
from app.storage.models.ordonnancier import ArchivedDeliveryRow
from app.storage.ordonnancier import append_delivery
from app.storage.ordonnancier_keying import Protection

log = logging.getLogger(__name__)
STATE_FORMAT = 1


def dumps_dispensing(d: Dispensing) -> str:
    return json.dumps({"format": STATE_FORMAT, "data": to_jsonable(d)}, ensure_ascii=False, separators=(",", ":"))


def loads_dispensing(text: str) -> Dispensing:
    try:
        envelope = json.loads(text)
        return decode(Dispensing, envelope["data"])
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StorageError("Délivrance en cours illisible : elle ne peut pas être reprise", detail=repr(exc)) from exc


def _item(row: OutboxRow) -> OutboxItem:
    return OutboxItem(delivery_from_json(row.payload), SendStatus(row.status), row.attempts, row.last_error,
                      row.created_at)


class CounterStore:
    """The counter's tables over one session factory (SQLite or PostgreSQL)."""

    def __init__(self, factory: sessionmaker[Session], protection: Protection | None = None) -> None:
        """``protection``: what seals the register on this workstation (its key, anchor file, name),
        built from the settings the app was started with; None reads the default settings."""
        self.factory = factory
        self.protection = protection

    @contextmanager
    def _write(self, what: str) -> Iterator[Session]:
        """One transaction; a database failure becomes « <what> : échec de la base locale »."""
        try:
            with transaction(self.factory) as session:
                yield session
        except SQLAlchemyError as exc:
            raise StorageError(f"{what} : la base locale a refusé l'écriture", detail=str(exc)) from exc

    # --- dispensings -------------------------------------------------------------------------

    def save(self, d: Dispensing, now: datetime, stage: Stage = Stage.ACTIVE, trace: Trace | None = None) -> None:
        """Write the whole state of ``d`` (and ``trace`` in the audit trail, in the same transaction)."""
        with self._write("La délivrance n'a pas pu être enregistrée localement") as session:
            self._save(session, d, now, stage)
            self._trace(session, trace)

    def _trace(self, session: Session, trace: Trace | None, **more: object) -> None:
        """Append ``trace`` to the audit trail in ``session``'s transaction (its lock taken last);
        ``more``: details known only here (the invoice number)."""
        if trace is not None:
            if self.protection is None:
                self.protection = Protection.from_settings()
            audit.record(session, trace.action, trace.actor, protection=self.protection,
                         object_ref=trace.object_ref, details={**trace.details, **more})

    @staticmethod
    def _save(session: Session, d: Dispensing, now: datetime, stage: Stage) -> None:
        row = session.get(DispensingRow, d.delivery_id)
        if row is None:
            row = DispensingRow(delivery_id=d.delivery_id, ordonnance_number=str(d.prescription.number),
                                started_at=d.started_at, version=0)
            session.add(row)
        row.state = dumps_dispensing(d)
        row.status = str(stage)
        row.updated_at = now
        row.version = (row.version or 0) + 1

    def load(self, delivery_id: str) -> tuple[Dispensing, Stage]:
        with self.factory() as session:
            row = session.get(DispensingRow, delivery_id)
            if row is None:
                raise StorageError("Délivrance introuvable dans la base locale")
            return loads_dispensing(row.state), Stage(row.status)

    def stage(self, delivery_id: str) -> Stage | None:
        with self.factory() as session:
            row = session.get(DispensingRow, delivery_id)
            return Stage(row.status) if row else None

    def unfinished(self) -> list[tuple[Dispensing, Stage]]:
        """Dispensings neither recorded nor abandoned, oldest first."""
        with self.factory() as session:
            rows = session.scalars(select(DispensingRow).where(DispensingRow.status.in_(UNFINISHED))
                                   .order_by(DispensingRow.started_at)).all()
        found = []
        for row in rows:
            try:
                found.append((loads_dispensing(row.state), Stage(row.status)))
            except StorageError:  # one damaged row must not hide the others
                log.error("dispensing %s unreadable, not offered for resumption", row.delivery_id)
        return found

    def unfinished_for(self, number: str) -> Dispensing | None:
        with self.factory() as session:
            row = session.scalars(select(DispensingRow).where(
                DispensingRow.ordonnance_number == number, DispensingRow.status.in_(UNFINISHED))
                .order_by(DispensingRow.started_at.desc()).limit(1)).first()
            return loads_dispensing(row.state) if row else None

    def recorded_for(self, number: str) -> list[tuple[Dispensing, datetime]]:
        """Earlier deliveries of the same ordonnance at this pharmacy, with when they were recorded."""
        with self.factory() as session:
            rows = session.scalars(select(DispensingRow).where(
                DispensingRow.ordonnance_number == number, DispensingRow.status == Stage.RECORDED)
                .order_by(DispensingRow.updated_at)).all()
            return [(loads_dispensing(r.state), r.updated_at) for r in rows]

    def recorded_for_patient(self, patient: Patient, since: date, *, excluding: str | None = None,
                             ) -> list[tuple[Dispensing, datetime]]:
        """The deliveries recorded here since ``since`` for the same patient, on other ordonnances than
        ``excluding``, oldest first, with when they were recorded (the overlap ban looks across
        ordonnances, art. R.5132-33 CSP).

        Found through the delivery archive's patient name key (indexed) and its date, then kept only
        when :func:`~app.domain.prescription.same_patient` says so: the NIR when both prescriptions
        carry it, else the name and the birth date. A patient whose name is written otherwise on
        the other ordonnance (a typo, a married name) is not found by this lookup.
        """
        key = search_key(patient.display_name)
        if not key:
            return []
        query = (select(DispensingRow).join(ArchivedDeliveryRow,
                                            ArchivedDeliveryRow.delivery_id == DispensingRow.delivery_id)
                 .where(ArchivedDeliveryRow.patient_key == key, ArchivedDeliveryRow.handed_over_on >= since,
                        DispensingRow.status == Stage.RECORDED))
        if excluding:
            query = query.where(DispensingRow.ordonnance_number != excluding)
        with self.factory() as session:
            rows = session.scalars(query.order_by(DispensingRow.updated_at)).all()
            found = []
            for row in rows:
                try:
                    d = loads_dispensing(row.state)
                except StorageError:  # one damaged row must not hide the others
                    log.error("dispensing %s unreadable, left out of the patient's history", row.delivery_id)
                    continue
                if same_patient(d.prescription.patient, patient):
                    found.append((d, row.updated_at))
            return found

    # --- billing -----------------------------------------------------------------------------

    def bill(self, d: Dispensing, now: datetime, trace: Trace | None = None) -> str:
        """Issue the next invoice number for ``d.bill`` and store the invoice and ``d`` (billed, with
        that number) in one transaction: sequential, and no gap on commit. Returns the number."""
        if d.bill is None:
            raise ComptoirError("Facture absente : rien à numéroter")
        with self._write("La facture n'a pas pu être enregistrée") as session:
            number = self._issue_invoice(session, d, d.bill, now)
            self._save(session, replace(d, invoice_number=number), now, Stage.BILLED)
            self._trace(session, trace, invoice=number)
        return number

    @staticmethod
    def _issue_invoice(session: Session, d: Dispensing, bill: Bill, now: datetime) -> str:
        session.execute(update(CounterSequenceRow).where(CounterSequenceRow.name == "invoice")
                        .values(value=CounterSequenceRow.value + 1))
        sequence = session.scalar(select(CounterSequenceRow.value).where(CounterSequenceRow.name == "invoice"))
        if sequence is None:
            raise StorageError("Compteur de factures absent : la base n'est pas à jour")
        number = f"F{sequence:08d}"
        session.add(InvoiceRow(number=number, sequence=sequence, delivery_id=d.delivery_id,
                               ordonnance_number=str(d.prescription.number), issued_at=now,
                               tiers_payant=bill.tiers_payant, total=bill.total, amo_share=bill.amo_share,
                               patient_share=bill.patient_share,
                               bill=json.dumps(to_jsonable(bill), ensure_ascii=False)))
        return number

    def invoice(self, number: str) -> Bill | None:
        with self.factory() as session:
            row = session.get(InvoiceRow, number)
            return decode(Bill, json.loads(row.bill)) if row else None

    # --- recording ---------------------------------------------------------------------------

    def record(self, d: Dispensing, delivery: Delivery, now: datetime, trace: Trace | None = None) -> OutboxItem:
        """In one transaction: the ordonnancier entries of ``delivery`` (numbers filled in), its
        archive (with ``d``'s prescription, for reprints), its outbox row, ``d`` marked recorded.

        Recorded already (a retry after a crash or a failed send), it writes nothing and returns the
        outbox item kept then: what was recorded is what will be sent. Two workstations recording the
        same dispensing at once: the dispensing's row is locked first (an UPDATE that changes nothing:
        a row lock on PostgreSQL, the write lock on SQLite), so the second waits for the first's
        commit, then finds it recorded and writes nothing: one delivery.
        """
        with self._write("La délivrance n'a pas pu être enregistrée") as session:
            session.execute(update(DispensingRow).where(DispensingRow.delivery_id == d.delivery_id)
                            .values(version=DispensingRow.version))
            row = session.get(DispensingRow, d.delivery_id, populate_existing=True)
            if row is not None and row.status == Stage.RECORDED:
                kept = session.get(OutboxRow, d.delivery_id)
                if kept is not None:
                    return _item(kept)
            delivery = append_delivery(session, delivery, protection=self.protection)
            archive_delivery(session, delivery, d.prescription)
            session.add(OutboxRow(delivery_id=delivery.delivery_id, ordonnance_number=str(delivery.number),
                                  payload=delivery_to_json(delivery), status=SendStatus.PENDING, attempts=0,
                                  last_error="", created_at=now, next_attempt_at=now))
            self._save(session, d, now, Stage.RECORDED)
            self._trace(session, trace, ordonnancier=[n for line in delivery.lines for n in line.ordonnancier_numbers])
        return OutboxItem(delivery, SendStatus.PENDING, 0)

    # --- outbox ------------------------------------------------------------------------------

    def outbox(self, delivery_id: str) -> OutboxItem | None:
        with self.factory() as session:
            row = session.get(OutboxRow, delivery_id)
            return _item(row) if row is not None else None

    def due(self, now: datetime, limit: int = 50) -> list[OutboxItem]:
        """Pending deliveries whose next attempt is due, oldest first."""
        with self.factory() as session:
            rows = session.scalars(select(OutboxRow).where(
                OutboxRow.status == SendStatus.PENDING, OutboxRow.next_attempt_at <= now)
                .order_by(OutboxRow.created_at).limit(limit)).all()
            return [_item(row) for row in rows]

    def failed(self) -> list[OutboxItem]:
        """The deliveries refused by the service or given up, oldest first."""
        with self.factory() as session:
            rows = session.scalars(select(OutboxRow).where(OutboxRow.status == SendStatus.FAILED)
                                   .order_by(OutboxRow.created_at)).all()
            return [_item(row) for row in rows]

    def waiting(self) -> list[OutboxItem]:
        """Every delivery the service has not acknowledged yet (pending or put aside), oldest first."""
        with self.factory() as session:
            rows = session.scalars(select(OutboxRow).where(OutboxRow.status != SendStatus.SENT)
                                   .order_by(OutboxRow.created_at)).all()
            return [_item(row) for row in rows]

    def requeue(self, delivery_id: str, now: datetime) -> bool:
        """Put a failed delivery back in the queue, due now, its attempts counted afresh."""
        with self._write("La délivrance n'a pas pu être remise en file") as session:
            row = session.get(OutboxRow, delivery_id)
            if row is None or row.status != SendStatus.FAILED:
                return False
            row.status, row.next_attempt_at, row.attempts = SendStatus.PENDING, now, 0
            return True

    def count(self, status: SendStatus) -> int:
        with self.factory() as session:
            return session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.status == status)) or 0

    def mark(self, delivery_id: str, now: datetime, *, sent: bool, error: str = "", give_up: bool = False,
             retry_at: datetime | None = None) -> None:
        """One more attempt: sent, or not with its French ``error`` (kept aside when ``give_up``, else
        tried again at ``retry_at``). A delivery marked sent stays sent: a send that got through wins
        over a concurrent one that failed."""
        with self._write("L'état de la transmission n'a pas pu être enregistré") as session:
            row = session.get(OutboxRow, delivery_id)
            if row is None or row.status == SendStatus.SENT:
                return
            row.attempts += 1
            if sent:
                row.status, row.sent_at, row.last_error = SendStatus.SENT, now, ""
                return
            row.last_error = error
            row.status = SendStatus.FAILED if give_up else SendStatus.PENDING
            row.next_attempt_at = retry_at or now

    # --- reference tables --------------------------------------------------------------------

    def agreement_means(self) -> list[Means]:
        with self.factory() as session:
            rows = session.scalars(select(AgreementMeansRow).where(AgreementMeansRow.active)
                                   .order_by(AgreementMeansRow.sort_order, AgreementMeansRow.code)).all()
            return [Means(r.code, r.label_fr, r.label_en) for r in rows]
