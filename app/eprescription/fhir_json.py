"""Reading FHIR JSON with its types checked: the readers' one way into a parsed answer.

Why: the readers must be total over whatever JSON a service (or a file) gives them. Every element of
FHIR JSON has a fixed JSON type (an object, an array, a string, a number, a boolean); a value of
another type means the answer is broken, and reading it as if it were right would either crash with
a ``TypeError`` (a bug would then look like a service fault, or the reverse) or silently drop a
part of the prescription (a "non substituable" mention, a dose). So a value of the wrong type raises
:class:`MalformedResponse` naming the resource and the field ("MedicationRequest/abc
dosageInstruction[0].timing : objet attendu"); an absent element (missing or ``null``) reads as
absent; a value of the right type whose content is not understood (an unknown code, a partial date)
is left to the reader, which treats it as absent as before.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.errors import MalformedResponse

_SAFE_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # FHIR's id syntax: anything else is not echoed


def malformed(where: str, expected: str) -> MalformedResponse:
    """The error for the element at ``where`` (a resource and a field path), with what was expected
    ("objet", "liste", "texte", "nombre" ...)."""
    agreed = "liste attendue" if expected == "liste" else f"{expected} attendu"
    return MalformedResponse(f"Réponse du service illisible : {where} : {agreed}",
                             detail=f"{where}: {expected} expected")


def resource_path(res: Any, fallback: str = "ressource") -> str:
    """``Type/id`` of a resource as it may be shown: a type or id outside FHIR's syntax is not echoed."""
    if not isinstance(res, dict):
        return fallback
    rtype, rid = res.get("resourceType"), res.get("id")
    name = rtype if isinstance(rtype, str) and rtype.isascii() and rtype.isalpha() and len(rtype) < 40 \
        else fallback
    return f"{name}/{rid}" if isinstance(rid, str) and _SAFE_ID.fullmatch(rid) else name


class Node:
    """A JSON value and where it was found; accessors return typed values or raise :func:`malformed`."""

    __slots__ = ("value", "path")

    def __init__(self, value: Any, path: str) -> None:
        self.value = value
        self.path = path

    @classmethod
    def of(cls, value: Any, path: str | None = None) -> Node:
        """``value`` as a node (a node stays itself); a resource's path defaults to its ``Type/id``."""
        return value if isinstance(value, Node) else cls(value, path or resource_path(value))

    @property
    def absent(self) -> bool:
        return self.value is None

    def _wrong(self, expected: str) -> MalformedResponse:
        return malformed(self.path, expected)

    def mapping(self) -> dict[str, Any]:
        """The object itself (``{}`` when absent)."""
        if self.value is None:
            return {}
        if not isinstance(self.value, dict):
            raise self._wrong("objet")
        return self.value

    def get(self, key: str) -> Node:
        """The member ``key`` of this object (absent when this object is absent)."""
        return Node(self.mapping().get(key), f"{self.path}.{key}" if self.path else key)

    def has(self, key: str) -> bool:
        return self.mapping().get(key) is not None

    def items(self) -> list[Node]:
        """The elements of this array (``[]`` when absent); ``null`` elements (allowed in FHIR's arrays of
        primitives, beside their ``_name`` extensions) are skipped."""
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            raise self._wrong("liste")
        return [Node(v, f"{self.path}[{i}]") for i, v in enumerate(self.value) if v is not None]

    def objects(self) -> list[Node]:
        """The elements of an array of objects (each one checked)."""
        found = self.items()
        for item in found:
            item.mapping()
        return found

    def string(self) -> str | None:
        if self.value is None or isinstance(self.value, str):
            return self.value
        raise self._wrong("texte")

    def text(self) -> str | None:
        """A string with its surrounding spaces removed; None when absent or blank."""
        value = self.string()
        return (value.strip() or None) if value is not None else None

    def strings(self) -> tuple[str, ...]:
        """An array of strings."""
        return tuple(s for s in (item.string() for item in self.items()) if s is not None)

    def integer(self) -> int | None:
        if self.value is None:
            return None
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self._wrong("nombre entier")
        return self.value

    def number(self) -> Decimal | None:
        """A FHIR decimal (a JSON number); a non-finite one is not a number."""
        if self.value is None:
            return None
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self._wrong("nombre")
        try:
            result = Decimal(str(self.value))
        except (InvalidOperation, ValueError) as exc:  # ValueError: an int past Python's digit limit
            raise self._wrong("nombre") from exc
        if not result.is_finite():
            raise self._wrong("nombre")
        return result

    def boolean(self) -> bool | None:
        if self.value is None or isinstance(self.value, bool):
            return self.value
        raise self._wrong("booléen")

    def datetime(self) -> datetime | None:
        """A FHIR date or dateTime; one that does not parse (a partial date "1956") reads as absent."""
        return parse_datetime(self.string())

    def canonical(self) -> str:
        """The element as compact, key-sorted JSON (to keep an extension as it was read)."""
        try:
            return json.dumps(self.value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        except (RecursionError, ValueError, TypeError) as exc:
            raise self._wrong("JSON") from exc


def parse_datetime(text: str | None) -> datetime | None:
    """A FHIR date or dateTime as an aware datetime (UTC when no offset); None when it does not parse."""
    if not isinstance(text, str):
        return None
    try:
        if "T" in text:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            value = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
