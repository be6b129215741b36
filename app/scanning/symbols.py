"""The values the scanning layer hands out: raw symbols and their classification.

A :class:`Symbol` is what a decoder read (format, text, bytes); a :class:`ScanResult` is what the
counter should do with it (an ordonnance to look up, a box to check, a prescriber to identify) or a
French explanation of why it was refused.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Symbol:
    """One barcode read in one frame.

    ``format`` is a stable name (``QRCode``, ``DataMatrix``, ``EAN13``, ``Code128`` ...), ``text`` the
    payload with GS1 separators kept as ``\\x1d``, ``raw`` the bytes when the backend gives them, and
    ``aim`` the AIM symbology identifier (``]d2`` = GS1 DataMatrix) when known.
    """

    format: str
    text: str
    raw: bytes | None = None
    aim: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Identity used to recognise the same code on consecutive frames."""
        return (self.format, self.text)


class ScanKind(enum.Enum):
    ORDONNANCE = "ordonnance"
    PRODUCT = "product"
    PRESCRIBER = "prescriber"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ScanResult:
    """What a payload means for the counter.

    ``fields`` holds the parsed values: ``number`` (ordonnance); ``cip13``, ``expiry`` (ISO date),
    ``lot``, ``serial`` (product); ``rpps`` or ``am`` (prescriber). ``message`` is a French sentence
    for the pharmacist: why an UNKNOWN was refused, or a warning on a product whose GS1 separators were
    lost (``fields["ambiguous"]`` is then True and lot/serial must be checked by eye).
    """

    kind: ScanKind
    text: str
    fields: dict[str, Any] = field(default_factory=dict)
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.kind is not ScanKind.UNKNOWN
