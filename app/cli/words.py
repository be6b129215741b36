"""Words several commands print, in the terminal's language (:mod:`app.i18n`)."""

from __future__ import annotations

from decimal import Decimal

from app import i18n
from app.i18n import _t


def boxes_text(quantity: int | Decimal) -> str:
    """« 1 boîte », « 3 boîtes », « 0,5 boîte » (English: "0.5 box"): a quantity may be a fraction."""
    value = Decimal(quantity).normalize()
    shown = f"{value:f}"
    text = _t("{quantity} boîtes") if value > 1 else _t("{quantity} boîte")
    return text.format(quantity=shown.replace(".", ",") if i18n.language() == "fr" else shown)
