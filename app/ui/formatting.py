"""How numbers, money and dates read on a French counter screen (``12,34 €``, ``65 %``, ``26/11/2026``).

Why a module: every screen and the tests must agree on one spelling; the domain stays free of it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal


def money(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal('0.01')):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} €"


def rate(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y")


def clock_time(value: datetime | None) -> str:
    """A stored time (naive UTC) as the workstation's local ``HH:MM``; "" for none."""
    return value.replace(tzinfo=UTC).astimezone().strftime("%H:%M") if value else ""


def number(value: Decimal | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}".replace(".", ",")
    return str(value)
