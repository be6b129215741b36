"""The sandbox's own tables: its own metadata, never the app's Base or migrations.

The sandbox plays the national service, a different system from the counter: it keeps the stored
prescriptions (as the FHIR resources it answers), the actors and their hashed tokens, the claims
and the recorded deliveries. Tables are created with ``metadata.create_all`` (no Alembic: the
sandbox is a disposable training service).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

metadata = MetaData()


class SandboxBase(DeclarativeBase):
    metadata = metadata


class Actor(SandboxBase):
    """A token holder: a pharmacy (FINESS) with a pharmacist or preparer, or a prescriber."""

    __tablename__ = "sbx_actor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # pharmacy | prescriber
    rpps: Mapped[str] = mapped_column(String(11))
    finess: Mapped[str | None] = mapped_column(String(9))
    role: Mapped[str | None] = mapped_column(String(16))  # pharmacist | preparer
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Nullable: added after the first release (see store._add_missing_columns); NULL reads as
    # created_at + the default validity.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StoredPrescription(SandboxBase):
    __tablename__ = "sbx_prescription"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    prescriber_rpps: Mapped[str] = mapped_column(String(11), index=True)
    authored_on: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    validity_end: Mapped[date] = mapped_column(Date)  # the last line's last day (its treatment's end)
    # The last day of a first delivery (three months, R.5132-22): nothing delivered by then, it is
    # expired. Nullable: added later (NULL: validity_end alone).
    first_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | cancelled
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    patient_objection: Mapped[bool] = mapped_column(Boolean, default=False)
    claim_finess: Mapped[str | None] = mapped_column(String(9))
    claim_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The included resources (Patient, Practitioner, Medications, others) as a JSON array.
    included_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StoredLine(SandboxBase):
    """One MedicationRequest with what remains to deliver on it."""

    __tablename__ = "sbx_line"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the MedicationRequest id
    number: Mapped[str] = mapped_column(ForeignKey("sbx_prescription.number"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    resource_json: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))  # boxes per dispensation
    renewals: Mapped[int] = mapped_column(Integer, default=0)
    # Until when the line is dispensed: its first delivery, then its renewals (see intake.line_validity).
    # Nullable: added later (NULL: the prescription's validity_end).
    first_until: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)


class StoredDispense(SandboxBase):
    __tablename__ = "sbx_dispense"
    __table_args__ = (UniqueConstraint("identifier_system", "identifier_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identifier_system: Mapped[str] = mapped_column(String(255))
    identifier_value: Mapped[str] = mapped_column(String(255))
    number: Mapped[str] = mapped_column(ForeignKey("sbx_prescription.number"), index=True)
    line_id: Mapped[str] = mapped_column(ForeignKey("sbx_line.id"), index=True)
    finess: Mapped[str] = mapped_column(String(9))
    status: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal(0))
    renewal_index: Mapped[int] = mapped_column(Integer, default=0)
    resource_json: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
