"""Tables of the ordonnancier (append-only register) and of the delivery archive (reprints).

The register's rows are never updated nor deleted: migration 0003 installs triggers that make the
database itself refuse it, on SQLite and PostgreSQL. The archive keeps each delivery as JSON text
with the columns a search needs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
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
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


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
