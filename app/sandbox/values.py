"""Checking the values the sandbox stores: FHIR R4 primitive types and the ranges its columns hold.

A value the database cannot hold (a quantity of 1e40 overflows ``NUMERIC(12,3)`` on PostgreSQL and
SQLite silently keeps 1e308; an integer past 2**31 overflows ``INTEGER``; a NUL character is refused
by PostgreSQL) must be refused here, with a French 4xx, before any SQL runs: otherwise the
database's error would reach the client as a 503 "réessayez" that no retry can fix.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.sandbox.errors import SandboxError, malformed

# FHIR R4 ``dateTime`` (http://hl7.org/fhir/R4/datatypes.html#dateTime): a year, a month or a day,
# or a time with seconds AND a time zone. The regular expression checks the shape and the ranges of
# each field; the calendar (no 30 February) is checked by building the date.
FHIR_DATETIME = re.compile(
    r"(?P<year>[0-9]{4})(-(?P<month>0[1-9]|1[0-2])(-(?P<day>0[1-9]|[12][0-9]|3[01])"
    r"(T(?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9]):(?P<second>[0-5][0-9]|60)(?P<fraction>\.[0-9]{1,9})?"
    r"(?P<zone>Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00))?)?)?")
# FHIR R4 ``id``: what may follow ``MedicationRequest/`` in a reference.
FHIR_ID = re.compile(r"[A-Za-z0-9.\-]{1,64}")
# A ``uri`` (no whitespace) and a ``string`` (no control character but tab, CR, LF): PostgreSQL
# refuses a NUL in a text column, so these are checked on everything that becomes a column value.
_URI = re.compile(r"[^\s\x00-\x1f\x7f]+")
_STRING = re.compile(r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")

# What one prescription line or one delivery may count, in boxes (3 decimals: NUMERIC(12,3)). Far
# above any real prescription; a plausibility bound that keeps every sum inside the column.
MAX_QUANTITY = Decimal(100_000)
QUANTITY_DECIMALS = 3
# Renewals of one line: a prescription is valid at most a year, so even weekly dispensations stay
# far below; the bound keeps the INTEGER columns and the "what remains" products in range.
MAX_RENEWALS = 99


def fhir_datetime(text: Any) -> datetime | None:
    """The instant of a FHIR ``dateTime`` with a time, None for a valid partial date (``2026``,
    ``2026-03``, ``2026-03-14``); ValueError for anything that is not a FHIR dateTime (wrong shape,
    a day the calendar does not have, a time without a time zone, an instant outside the years
    1-9999 once in UTC)."""
    if not isinstance(text, str):
        raise ValueError("not a string")
    match = FHIR_DATETIME.fullmatch(text)
    if match is None:
        raise ValueError("not a FHIR dateTime")
    year = int(match["year"])
    if year == 0:
        raise ValueError("year 0")
    if match["day"] is None:
        return None
    day = date(year, int(match["month"]), int(match["day"]))  # ValueError: 30 February ...
    if match["hour"] is None:
        return None
    second = min(int(match["second"]), 59)  # a leap second is valid FHIR; Python has no second 60
    zone = match["zone"]
    offset = "+00:00" if zone == "Z" else zone
    value = datetime.fromisoformat(f"{day.isoformat()}T{match['hour']}:{match['minute']}:{second:02d}{offset}")
    try:
        value.astimezone(UTC)
    except OverflowError as exc:  # 0001-01-01T00:00:00+14:00 is before year 1 in UTC
        raise ValueError("out of range") from exc
    return value


def quantity(value: Any, where: str) -> Decimal:
    """A count of boxes: a JSON number from 0 to :data:`MAX_QUANTITY` with at most 3 decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise malformed(f"nombre attendu pour {where}")
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise malformed(f"nombre attendu pour {where}") from exc
    if not result.is_finite() or result < 0:
        raise SandboxError(422, f"Quantité négative ou invalide pour {where}")
    if result > MAX_QUANTITY:
        raise SandboxError(422, f"Quantité hors limites pour {where} ({MAX_QUANTITY} au plus)")
    if result != result.quantize(Decimal(1).scaleb(-QUANTITY_DECIMALS)):
        raise SandboxError(422, f"Quantité trop précise pour {where} ({QUANTITY_DECIMALS} décimales au plus)")
    return result


def renewals(value: Any, where: str) -> int:
    """A number of renewals (or a renewal index): an integer from 0 to :data:`MAX_RENEWALS`."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_RENEWALS:
        raise SandboxError(422, f"{where} : nombre de renouvellements invalide (entier de 0 à {MAX_RENEWALS})")
    return value


def is_uri(text: Any, longest: int = 255) -> bool:
    return isinstance(text, str) and len(text) <= longest and _URI.fullmatch(text) is not None


def is_string(text: Any, longest: int = 255) -> bool:
    return isinstance(text, str) and len(text) <= longest and _STRING.fullmatch(text) is not None and \
        text.strip() == text


# A token lasts a quarter by default: long enough for a training period, short enough that a token
# forgotten on a workstation dies by itself. The sandbox is not the national service: no law sets it.
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650
