"""The counter's local records: dispensings (after every step), invoices with their sequential
numbers, the outbox to the service, the reasons and agreement means tables.

Functions taking a ``Session`` work inside the caller's transaction (so that a recorded delivery, its
ordonnancier entries and its outbox row commit together); the others open their own.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.billing import Bill
from app.domain.codec import decode, to_jsonable
from app.domain.delivery import Delivery
from app.domain.delivery_codec import delivery_from_json, delivery_to_json
from app.domain.dispensing import Dispensing
from app.domain.errors import StorageError
from app.storage.db import transaction
from app.storage.models.counter import (
    AdjustmentReasonRow,
    AgreementMeansRow,
    CounterSequenceRow,
    DispensingRow,
    InvoiceRow,
    OutboxRow,
)

log = logging.getLogger(__name__)
ACTIVE, BILLED, RECORDED, ABANDONED = "active", "billed", "recorded", "abandoned"
PENDING, SENT, FAILED = "pending", "sent", "failed"
STATE_FORMAT = 1
RETRY_FIRST_S, RETRY_MAX_S = 30, 3600


@dataclass(frozen=True)
class Reason:
    """One adjustment reason of the table (``requires_comment``: "autre", the comment says what)."""

    code: str
    label: str
    label_en: str
    requires_comment: bool = False


@dataclass(frozen=True)
class Means:
    code: str
    label: str
    label_en: str


@dataclass(frozen=True)
class OutboxItem:
    delivery: Delivery
    status: str
    attempts: int
    last_error: str


def dumps_dispensing(d: Dispensing) -> str:
    return json.dumps({"format": STATE_FORMAT, "data": to_jsonable(d)}, ensure_ascii=False, separators=(",", ":"))


def loads_dispensing(text: str) -> Dispensing:
    try:
        envelope = json.loads(text)
        return decode(Dispensing, envelope["data"])
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StorageError("Délivrance en cours illisible : elle ne peut pas être reprise", detail=repr(exc)) from exc


class CounterStore:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    # --- dispensings -------------------------------------------------------------------------

    def save(self, d: Dispensing, now: datetime, status: str = ACTIVE, session: Session | None = None) -> None:
        """Write the whole state of ``d`` (in ``session`` when given, else in its own transaction)."""
        if session is None:
            try:
                with transaction(self.factory) as own:
                    self.save(d, now, status, own)
            except SQLAlchemyError as exc:
                raise StorageError("La délivrance n'a pas pu être enregistrée localement", detail=str(exc)) from exc
            return
        row = session.get(DispensingRow, d.delivery_id)
        if row is None:
            row = DispensingRow(delivery_id=d.delivery_id, ordonnance_number=str(d.prescription.number),
                                started_at=d.started_at, version=0)
            session.add(row)
        row.state = dumps_dispensing(d)
        row.status = status
        row.updated_at = now
        row.version = (row.version or 0) + 1

    def load(self, delivery_id: str) -> tuple[Dispensing, str]:
        with self.factory() as session:
            row = session.get(DispensingRow, delivery_id)
            if row is None:
                raise StorageError("Délivrance introuvable dans la base locale")
            return loads_dispensing(row.state), row.status

    def status(self, delivery_id: str) -> str | None:
        with self.factory() as session:
            row = session.get(DispensingRow, delivery_id)
            return row.status if row else None

    def unfinished(self) -> list[tuple[Dispensing, str]]:
        """Dispensings neither recorded nor abandoned, oldest first."""
        with self.factory() as session:
            rows = session.scalars(select(DispensingRow).where(DispensingRow.status.in_((ACTIVE, BILLED)))
                                   .order_by(DispensingRow.started_at)).all()
        found = []
        for row in rows:
            try:
                found.append((loads_dispensing(row.state), row.status))
            except StorageError:  # one damaged row must not hide the others
                log.error("dispensing %s unreadable, not offered for resumption", row.delivery_id)
        return found

    def unfinished_for(self, number: str) -> Dispensing | None:
        with self.factory() as session:
            row = session.scalars(select(DispensingRow).where(
                DispensingRow.ordonnance_number == number, DispensingRow.status.in_((ACTIVE, BILLED)))
                .order_by(DispensingRow.started_at.desc()).limit(1)).first()
            return loads_dispensing(row.state) if row else None

    def recorded_for(self, number: str) -> list[tuple[Dispensing, datetime]]:
        """Earlier deliveries of the same ordonnance at this pharmacy, with when they were recorded."""
        with self.factory() as session:
            rows = session.scalars(select(DispensingRow).where(
                DispensingRow.ordonnance_number == number, DispensingRow.status == RECORDED)
                .order_by(DispensingRow.updated_at)).all()
            return [(loads_dispensing(r.state), r.updated_at) for r in rows]

    # --- invoices ----------------------------------------------------------------------------

    def add_invoice(self, session: Session, d: Dispensing, bill: Bill, now: datetime) -> str:
        """Issue the next invoice number (sequential, no gap on commit) and store the invoice."""
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

    # --- outbox ------------------------------------------------------------------------------

    def add_outbox(self, session: Session, delivery: Delivery, now: datetime) -> None:
        session.add(OutboxRow(delivery_id=delivery.delivery_id, ordonnance_number=str(delivery.number),
                              payload=delivery_to_json(delivery), status=PENDING, attempts=0, last_error="",
                              created_at=now, next_attempt_at=now))

    def outbox(self, delivery_id: str) -> OutboxItem | None:
        with self.factory() as session:
            row = session.get(OutboxRow, delivery_id)
            if row is None:
                return None
            return OutboxItem(delivery_from_json(row.payload), row.status, row.attempts, row.last_error)

    def due(self, now: datetime, limit: int = 50) -> list[str]:
        with self.factory() as session:
            return list(session.scalars(select(OutboxRow.delivery_id).where(
                OutboxRow.status == PENDING, OutboxRow.next_attempt_at <= now)
                .order_by(OutboxRow.created_at).limit(limit)))

    def failed(self) -> list[tuple[str, str, str]]:
        """(delivery id, ordonnance number, the service's refusal) of the deliveries refused."""
        with self.factory() as session:
            rows = session.execute(select(OutboxRow.delivery_id, OutboxRow.ordonnance_number, OutboxRow.last_error)
                                   .where(OutboxRow.status == FAILED).order_by(OutboxRow.created_at)).all()
            return [(r.delivery_id, r.ordonnance_number, r.last_error) for r in rows]

    def requeue(self, delivery_id: str, now: datetime) -> bool:
        """Put a refused delivery back in the queue (after the cause was fixed on the service)."""
        with transaction(self.factory) as session:
            row = session.get(OutboxRow, delivery_id)
            if row is None or row.status != FAILED:
                return False
            row.status, row.next_attempt_at = PENDING, now
            return True

    def count(self, status: str) -> int:
        with self.factory() as session:
            return len(session.scalars(select(OutboxRow.delivery_id).where(OutboxRow.status == status)).all())

    def mark(self, delivery_id: str, now: datetime, *, sent: bool, error: str = "", permanent: bool = False) -> None:
        with transaction(self.factory) as session:
            row = session.get(OutboxRow, delivery_id)
            if row is None or row.status == SENT:  # a concurrent send got through: a later failure changes nothing
                return
            row.attempts += 1
            if sent:
                row.status, row.sent_at, row.last_error = SENT, now, ""
                return
            row.last_error = error
            row.status = FAILED if permanent else PENDING
            delay = min(RETRY_FIRST_S * 2 ** (row.attempts - 1), RETRY_MAX_S)
            row.next_attempt_at = now + timedelta(seconds=delay)

    # --- reference tables --------------------------------------------------------------------

    def reasons(self) -> list[Reason]:
        with self.factory() as session:
            rows = session.scalars(select(AdjustmentReasonRow).where(AdjustmentReasonRow.active)
                                   .order_by(AdjustmentReasonRow.sort_order, AdjustmentReasonRow.code)).all()
            return [Reason(r.code, r.label_fr, r.label_en, r.needs_text) for r in rows]

    def agreement_means(self) -> list[Means]:
        with self.factory() as session:
            rows = session.scalars(select(AgreementMeansRow).where(AgreementMeansRow.active)
                                   .order_by(AgreementMeansRow.sort_order, AgreementMeansRow.code)).all()
            return [Means(r.code, r.label_fr, r.label_en) for r in rows]
