"""Fonts, characters and small French formats shared by every printed document.

Why the standard Helvetica: it is built into every PDF reader and printer driver, costs nothing to
embed, and its WinAnsi (cp1252) encoding covers French entirely, including « » ’ œ Œ € … – —.
Characters outside cp1252 (a narrow no-break space, ≥, Greek letters ...) would print as holes, so
:func:`printable` turns them into the closest printable text first.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from app.private_files import private_dir

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"

_REPLACEMENTS = {
    "\u202f": "\u00a0",  # narrow no-break space (French typography) -> no-break space
    "\u2009": " ", "\u2007": " ", "\u200b": "", "\ufeff": "",
    "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u2264": "<=", "\u2265": ">=", "\u2260": "!=", "\u2248": "~",
    "\u2192": "->", "\u2190": "<-",
    "\u03bc": "\u00b5",  # Greek mu -> micro sign
    "\u2032": "'", "\u2033": '"',
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0131": "i",  # letters NFKD keeps
}

Output = BinaryIO | Path | str


def printable(text: object) -> str:
    """``text`` with every character printable in the standard fonts (cp1252)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", str(text)):
        ch = _REPLACEMENTS.get(ch, ch)
        try:
            ch.encode("cp1252")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode("cp1252")
            out.append(base)
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def markup(text: object) -> str:
    """``text`` made printable and escaped for reportlab's paragraph mark-up."""
    return escape(printable(text))


def fr_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def fr_datetime(value: datetime) -> str:
    return value.strftime("%d/%m/%Y à %H:%M")


def boxes(quantity: int | Decimal) -> str:
    """« 1 boîte », « 3 boîtes », « 0,5 boîte »."""
    value = Decimal(quantity).normalize()
    shown = f"{value:f}".replace(".", ",")
    return f"{shown} boîte" + ("s" if value > 1 else "")


def money(cents: int) -> str:
    """« 12,34 € » from 1234 cents (a no-break space before the sign, as French writes it)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{rest:02d}\u00a0€"


def write_pdf(build: Callable[[BinaryIO], None], out: Output) -> None:
    """Run ``build`` on a buffer, then hand the bytes to ``out``.

    A path is written atomically (temporary file, then rename): a failure never leaves half a PDF
    where a previous good one was.
    """
    if not isinstance(out, str | Path):
        build(out)
        return
    buffer = BytesIO()
    build(buffer)
    path = Path(out)
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(buffer.getvalue())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
