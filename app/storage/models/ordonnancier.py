"""Tables of the ordonnancier (append-only register) and of the delivery archive (reprints).

The register's rows are never updated nor deleted: migration 0003 installs triggers that make the
database itself refuse it, on SQLite and PostgreSQL; the keying row and the daily closings
(migration 0007) are protected the same way. The archive keeps each delivery as JSON text with the
columns a search needs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base


class OrdonnancierRow(Base):
    __tablename__ = "ordonnancier_entry"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    delivered_on: Mapped[date] = mapped_column(Date, index=True)
    delivery_id: Mapped[str] = mapped_column(String(64), index=True)
    ordonnance_number: Mapped[str] = mapped_column(String(40), index=True)
    line_id: Mapped[str] = mapped_column(String(64))
    patient_name: Mapped[str] = mapped_column(String(200))
    patient_birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    prescriber_name: Mapped[str] = mapped_column(String(200))
    prescriber_rpps: Mapped[str] = mapped_column(String(20))
    prescription_date: Mapped[date] = mapped_column(Date)
    product_name: Mapped[str] = mapped_column(Text)
    cip13: Mapped[str] = mapped_column(String(13))
    quantity: Mapped[int] = mapped_column(Integer)
    pharmacist_name: Mapped[str] = mapped_column(String(200))
    pharmacist_rpps: Mapped[str] = mapped_column(String(20))
    corrects: Mapped[int | None] = mapped_column(ForeignKey("ordonnancier_entry.number"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    prescriber_address: Mapped[str] = mapped_column(Text, default="")
    patient_address: Mapped[str] = mapped_column(Text, default="", server_default="")  # migration 0005
    list_class: Mapped[str] = mapped_column(String(40), default="", server_default="")  # migration 0011
    bearer: Mapped[str] = mapped_column(Text, default="", server_default="")  # migration 0011
    mention: Mapped[str] = mapped_column(Text, default="", server_default="")  # migration 0016
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class KeyingRow(Base):
    """Where the keyed chain starts (migration 0007): one row, sealed with the key at the first keyed write."""

    __tablename__ = "ordonnancier_keying"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    legacy_last: Mapped[int] = mapped_column(Integer)
    legacy_head: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    key_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    workstation: Mapped[str | None] = mapped_column(String(100), nullable=True)
    sealed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    mac: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ClosingRow(Base):
    """A daily closing: the register's head at the end of a day, sealed with the key (migration 0007)."""

    __tablename__ = "ordonnancier_closing"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    register: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date, index=True)
    number: Mapped[int] = mapped_column(Integer)
    head: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime] = mapped_column(DateTime)
    workstation: Mapped[str] = mapped_column(String(100))
    mac: Mapped[str] = mapped_column(String(64))


class ArchivedDeliveryRow(Base):
    __tablename__ = "delivery_archive"

    delivery_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ordonnance_number: Mapped[str] = mapped_column(String(40), index=True)
    patient_name: Mapped[str] = mapped_column(String(200))
    patient_key: Mapped[str] = mapped_column(String(200), index=True)  # upper case, no accents
    handed_over_at: Mapped[datetime] = mapped_column(DateTime)
    handed_over_on: Mapped[date] = mapped_column(Date, index=True)
    archived_at: Mapped[datetime] = mapped_column(DateTime)
    delivery_json: Mapped[str] = mapped_column(Text)
    prescription_json: Mapped[str | None] = mapped_column(Text, nullable=True)
