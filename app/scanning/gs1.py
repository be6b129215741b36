"""GS1 element strings of medicine boxes (DataMatrix, GS1-128), parsed with biip.

A French box carries ``(01)`` GTIN = ``0`` + CIP13, ``(17)`` expiry, ``(10)`` lot and ``(21)`` serial
(falsified medicines directive). Lot and serial are variable-length and must be ended by the GS
separator (FNC1) unless they come last; cheap printers, scanners in keyboard mode and copy-pastes
lose it, and ``10AB1221XYZ`` can then be lot ``AB12`` + serial ``XYZ`` or lot ``AB1221XYZ``. When no
separator is present we enumerate every split allowed by the AI rules, keep those that validate,
prefer the ones holding the four mandatory AIs, then the fewest elements; if more than one remains we
say so rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from biip import ParseError
from biip.gs1_messages import GS1Message

from app.domain.errors import InvalidIdentifier
from app.domain.identifiers import Cip13, ean_check_digit, is_ascii_digits

GS = "\x1d"
MEDICINE_AIS = frozenset({"01", "17", "10", "21"})
# AIs considered when re-splitting a symbol whose separators were lost: those printed on boxes.
_FIXED = {"01": 14, "11": 6, "17": 6}
_VARIABLE = {"10": 20, "21": 20}
# GS1 "CSET 82", the characters allowed in lot and serial.
_CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$")
_MAX_CANDIDATES = 64
MAX_LENGTH = 256  # a box's element string is ~50 characters; anything far longer is not one


@dataclass(frozen=True)
class Gs1Data:
    """The parsed elements of one symbol, with what we know about their reliability."""

    elements: dict[str, str]
    expiry: str | None = None  # ISO date (day 00 = last day of the month, per GS1)
    separator_restored: bool = False  # split without GS but only one reading was plausible
    alternatives: list[dict[str, str]] = field(default_factory=list)  # >1 when ambiguous

    @property
    def ambiguous(self) -> bool:
        return len(self.alternatives) > 1


def looks_like_gs1(text: str) -> bool:
    """True for an element string that starts with a GTIN (what a box carries)."""
    return bool(re.match(r"(\(01\)|01)[0-9]{14}", text)) and len(text) > 16 or GS in text


def _message(text: str) -> GS1Message:
    return GS1Message.parse_hri(text) if text.startswith("(") else GS1Message.parse(text)


def _to_data(message: GS1Message, **extra: Any) -> Gs1Data:
    elements: dict[str, str] = {}
    expiry = None
    ais = [element.ai.ai for element in message.element_strings]
    if len(set(ais)) != len(ais):
        raise InvalidIdentifier("Code GS1 invalide : un élément y figure deux fois", detail=",".join(ais[:8]))
    for element in message.element_strings:
        elements[element.ai.ai] = element.value
        if element.ai.ai == "17" and element.date is not None:
            expiry = element.date.isoformat()
    return Gs1Data(elements=elements, expiry=expiry, **extra)


def _splits(text: str, used: frozenset[str]) -> Iterator[list[tuple[str, str]]]:
    """Every way to cut ``text`` into (AI, value) pairs of the medicine AIs, each AI at most once."""
    if not text:
        yield []
        return
    ai = text[:2]
    if ai in used:
        return
    if ai in _FIXED:
        size = _FIXED[ai]
        value = text[2 : 2 + size]
        if len(value) == size and is_ascii_digits(value):
            for rest in _splits(text[2 + size :], used | {ai}):
                yield [(ai, value), *rest]
    elif ai in _VARIABLE:
        for end in range(3, min(len(text), 2 + _VARIABLE[ai]) + 1):
            value = text[2:end]
            if not _CSET82.match(value):
                break
            for rest in _splits(text[end:], used | {ai}):
                yield [(ai, value), *rest]


def _valid(pairs: list[tuple[str, str]]) -> GS1Message | None:
    gtin = dict(pairs).get("01")
    if gtin is not None and ean_check_digit(gtin[:13]) != gtin[13]:
        return None
    rebuilt = "".join(ai + value + (GS if ai in _VARIABLE else "") for ai, value in pairs).rstrip(GS)
    try:
        return GS1Message.parse(rebuilt)
    except ParseError:
        return None


def parse_gs1(text: str) -> Gs1Data:
    """Parse an element string (raw with GS, or HRI with parentheses); raise InvalidIdentifier."""
    if len(text) > MAX_LENGTH:
        raise InvalidIdentifier("Code GS1 refusé : contenu trop long", detail=f"len={len(text)}")
    if not text.isascii():  # GS1 element strings are ASCII (CSET 82); biip would take "٣" for a 3
        raise InvalidIdentifier("Code GS1 illisible : caractères non autorisés", detail="non-ascii")
    if GS in text or text.startswith("("):
        try:
            return _to_data(_message(text))
        except ParseError as exc:
            raise InvalidIdentifier("Code GS1 illisible : vérifiez le code de la boîte", detail=str(exc)) from exc
    candidates: list[tuple[list[tuple[str, str]], GS1Message]] = []
    for pairs in _splits(text, frozenset()):
        message = _valid(pairs)
        if message is not None:
            candidates.append((pairs, message))
        if len(candidates) >= _MAX_CANDIDATES:
            break
    if not candidates:
        try:  # not made of medicine AIs only: let biip read it as it stands
            return _to_data(_message(text))
        except ParseError as exc:
            raise InvalidIdentifier("Code GS1 illisible : vérifiez le code de la boîte", detail=str(exc)) from exc
    complete = [c for c in candidates if {ai for ai, _ in c[0]} >= MEDICINE_AIS]
    pool = complete or candidates
    fewest = min(len(pairs) for pairs, _ in pool)
    best = [c for c in pool if len(c[0]) == fewest]
    # A variable-length field anywhere but last means its separator was lost and we re-split.
    restored = any(ai in _VARIABLE for ai, _ in best[0][0][:-1])
    if len(best) == 1:
        return _to_data(best[0][1], separator_restored=restored)
    alternatives = [dict(pairs) for pairs, _ in best]
    return _to_data(best[0][1], separator_restored=True, alternatives=alternatives)


def product_fields(data: Gs1Data) -> dict[str, Any]:
    """The fields of a medicine box: cip13, gtin, expiry, lot, serial; raise if the GTIN is no CIP."""
    gtin = data.elements.get("01")
    if gtin is None:
        raise InvalidIdentifier("Code GS1 sans GTIN : ce n'est pas le code d'une boîte de médicament")
    try:
        cip13 = Cip13.from_gtin(gtin)
    except InvalidIdentifier as exc:
        raise InvalidIdentifier(
            f"Code GS1 sans code CIP (GTIN {gtin}) : ce produit n'est pas un médicament référencé",
            detail=exc.message,
        ) from exc
    fields: dict[str, Any] = {
        "cip13": str(cip13),
        "gtin": gtin,
        "expiry": data.expiry,
        "lot": data.elements.get("10"),
        "serial": data.elements.get("21"),
    }
    if data.separator_restored:
        fields["separator_restored"] = True
    if data.ambiguous:
        fields["ambiguous"] = True
        fields["alternatives"] = [{"lot": a.get("10"), "serial": a.get("21")} for a in data.alternatives]
    return fields
