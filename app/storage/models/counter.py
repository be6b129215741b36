"""Tables of the counter: dispensings in progress, invoices, the outbox to the service, and the
adjustment reasons and agreement means (data, not code: seeded by migration 0004, editable).

A dispensing keeps its whole state as JSON text (``app.domain.codec``) written after every step, so
that closing the app loses nothing. The outbox holds each recorded delivery until the service has
acknowledged it; its ``delivery_id`` is the idempotency key the service sees.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base, WallClockDateTime


class DispensingRow(Base):
    __tablename__ = "counter_dispensing"

    delivery_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ordonnance_number: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # active | billed | recorded | abandoned
    state: Mapped[str] = mapped_column(Text)  # Dispensing as JSON
    started_at: Mapped[datetime] = mapped_column(WallClockDateTime)
    updated_at: Mapped[datetime] = mapped_column(WallClockDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class InvoiceRow(Base):
    __tablename__ = "counter_invoice"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    delivery_id: Mapped[str] = mapped_column(String(64), unique=True)
    ordonnance_number: Mapped[str] = mapped_column(String(40), index=True)
    issued_at: Mapped[datetime] = mapped_column(WallClockDateTime)
    tiers_payant: Mapped[bool] = mapped_column(Boolean)
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    amo_share: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    patient_share: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    bill: Mapped[str] = mapped_column(Text)  # the Bill as JSON (lines)


class CounterSequenceRow(Base):
    """Named counters (invoice numbers) incremented inside the transaction that uses them."""

    __tablename__ = "counter_sequence"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class OutboxRow(Base):
    __tablename__ = "counter_outbox"

    delivery_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ordonnance_number: Mapped[str] = mapped_column(String(40), index=True)
    payload: Mapped[str] = mapped_column(Text)  # Delivery as JSON (app.domain.delivery_codec)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(WallClockDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(WallClockDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(WallClockDateTime, nullable=True)


class AdjustmentReasonRow(Base):
    """The reasons as migration 0004 seeded them, no longer read: the reasons are dated data per action
    in resources/adjustments/reasons.json (app.domain.adjustments). Kept until a migration drops it."""

    __tablename__ = "counter_adjustment_reason"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    needs_text: Mapped[bool] = mapped_column(Boolean, default=False)  # "autre": the comment is the reason
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AgreementMeansRow(Base):
    __tablename__ = "counter_agreement_means"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
