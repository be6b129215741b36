"""The declarative base every table of the app's database derives from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class WallClockDateTime(TypeDecorator):
    """A time as read at the counter (local wall-clock time), stored without zone.

    The workflow's clock is time-zone aware; a zone-less column would otherwise keep it as given on
    SQLite but convert it to the server's zone on PostgreSQL, so the two databases (and a workstation
    in another zone than its server) would disagree. Aware values are converted to local time and
    the zone dropped, on every write and in every comparison; naive values are taken as local.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone().replace(tzinfo=None)
        return value
