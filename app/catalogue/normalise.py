"""Text as the pharmacist types it: accents, case and punctuation do not matter for matching."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits, everything else a single space ("Comprimé" → "comprime")."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    stripped = stripped.replace("œ", "oe").replace("æ", "ae").replace("μ", "u")  # µg → ug
    return _NON_WORD.sub(" ", stripped).strip()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order, without repeats."""
    return list(dict.fromkeys(fold(text).split()))


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (for range scans).

    ``prefix`` is folded text, so its last character is in [a-z0-9] and has a successor.
    """
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
