"""Tables of the drug catalogue (BDPM), written by app.catalogue's importer and read by its service.

Nothing is ever deleted when a later release drops a speciality or a presentation: the row stays
(a delivery of last month still refers to it) with ``in_release`` false. Prices are kept in cents
(exact on every database). A few values are denormalised on the speciality at import time
(``flags``, ``generic_group_id``, ``generic_role``, ``name_folded``) so that a CIP13 lookup is one
indexed join.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base

# Folded search words are compared by byte ranges ("parac" <= word < "parad"): on PostgreSQL the
# column uses the "C" collation so that a locale's ordering cannot break the prefix range.
SearchWord = String(64).with_variant(String(64, collation="C"), "postgresql")


class CatalogueSpeciality(Base):
    __tablename__ = "catalogue_speciality"

    cis: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_folded: Mapped[str] = mapped_column(Text)  # accents/case removed, for ordering results
    form: Mapped[str] = mapped_column(Text, default="")
    routes: Mapped[str] = mapped_column(Text, default="")  # ';'-separated
    amm_status: Mapped[str] = mapped_column(Text, default="")
    procedure: Mapped[str] = mapped_column(Text, default="")
    commercial_state: Mapped[str] = mapped_column(Text, default="")
    amm_date: Mapped[str] = mapped_column(String(10), default="")
    holder: Mapped[str] = mapped_column(Text, default="")
    surveillance: Mapped[bool] = mapped_column(Boolean, default=False)
    flags: Mapped[str] = mapped_column(Text, default="")  # Condition names, ','-separated
    generic_group_id: Mapped[str | None] = mapped_column(String(10), nullable=True)
    generic_role: Mapped[int | None] = mapped_column(Integer, nullable=True)
    in_release: Mapped[bool] = mapped_column(Boolean, default=True)


class CataloguePresentation(Base):
    __tablename__ = "catalogue_presentation"

    cip13: Mapped[str] = mapped_column(String(13), primary_key=True)
    cip7: Mapped[str] = mapped_column(String(7), index=True)
    cis: Mapped[str] = mapped_column(ForeignKey("catalogue_speciality.cis"), index=True)
    label: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="")
    commercial_state: Mapped[str] = mapped_column(Text, default="")
    commercial_date: Mapped[str] = mapped_column(String(10), default="")
    collectivity: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    rate: Mapped[int | None] = mapped_column(Integer, nullable=True)
    price_cents: Mapped[int | None] = mapped_column(Integer, nullable=True)
    price_with_fee_cents: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fee_cents: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reimbursement_text: Mapped[str] = mapped_column(Text, default="")
    pack_quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pack_unit: Mapped[str | None] = mapped_column(String(40), nullable=True)
    in_release: Mapped[bool] = mapped_column(Boolean, default=True)


class CatalogueComposition(Base):
    __tablename__ = "catalogue_composition"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cis: Mapped[str] = mapped_column(ForeignKey("catalogue_speciality.cis"), index=True)
    element: Mapped[str] = mapped_column(Text, default="")
    substance_code: Mapped[str] = mapped_column(String(10), default="")
    substance: Mapped[str] = mapped_column(Text)
    substance_folded: Mapped[str] = mapped_column(Text, index=True)
    dosage: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(Text, default="")
    nature: Mapped[str] = mapped_column(String(4), default="")
    link: Mapped[int] = mapped_column(Integer, default=0)


class CatalogueCondition(Base):
    __tablename__ = "catalogue_condition"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cis: Mapped[str] = mapped_column(ForeignKey("catalogue_speciality.cis"), index=True)
    text: Mapped[str] = mapped_column(Text)


class CatalogueGenericGroup(Base):
    __tablename__ = "catalogue_generic_group"

    group_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    label: Mapped[str] = mapped_column(Text)


class CatalogueGenericMember(Base):
    """A speciality in a generic group; ``cis`` may name a speciality the CIS file no longer lists."""

    __tablename__ = "catalogue_generic_member"

    group_id: Mapped[str] = mapped_column(ForeignKey("catalogue_generic_group.group_id"), primary_key=True)
    cis: Mapped[str] = mapped_column(String(8), primary_key=True)
    role: Mapped[int] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_catalogue_generic_member_cis", "cis"),)


class CatalogueSearchWord(Base):
    """Folded words of each speciality (field 0: its name, 1: its substances), for prefix search.

    Used on PostgreSQL, and on SQLite when FTS5 is missing (SQLite normally uses the FTS5 table
    ``catalogue_fts`` created by the migration).
    """

    __tablename__ = "catalogue_search_word"

    field: Mapped[int] = mapped_column(Integer, primary_key=True)
    word: Mapped[str] = mapped_column(SearchWord, primary_key=True)
    cis: Mapped[str] = mapped_column(String(8), primary_key=True)
