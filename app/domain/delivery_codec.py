"""JSON text for a Delivery (and the Prescription it served), for the archive used by reprints.

Why a module of its own: the archive must read back, years later, what was printed. The text carries
a format version, and decoding failures become a French :class:`ArchiveUnreadable` instead of a
KeyError deep in the codec. The field walking itself is :mod:`app.domain.codec`.
"""

from __future__ import annotations

import json

from app.domain.codec import decode, to_jsonable
from app.domain.delivery import Delivery
from app.domain.errors import ComptoirError
from app.domain.prescription import Prescription

FORMAT_VERSION = 1


class ArchiveUnreadable(ComptoirError):
    """An archived delivery whose JSON text cannot be decoded."""


def _dumps(kind: str, value: object) -> str:
    return json.dumps({"format": FORMAT_VERSION, "kind": kind, "data": to_jsonable(value)},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _loads(kind: str, cls: type, text: str):
    try:
        envelope = json.loads(text)
        if envelope.get("kind") != kind or int(envelope.get("format", 0)) > FORMAT_VERSION:
            raise ValueError(f"kind={envelope.get('kind')} format={envelope.get('format')}")
        return decode(cls, envelope["data"])
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ArchiveUnreadable("Délivrance archivée illisible", detail=repr(exc)) from exc


def delivery_to_json(delivery: Delivery) -> str:
    return _dumps("delivery", delivery)


def delivery_from_json(text: str) -> Delivery:
    return _loads("delivery", Delivery, text)


def prescription_to_json(prescription: Prescription) -> str:
    return _dumps("prescription", prescription)


def prescription_from_json(text: str) -> Prescription:
    return _loads("prescription", Prescription, text)
