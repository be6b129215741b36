"""The file names of a delivery's printouts: ``<number>-<date>-mentions.pdf`` and
``<number>-<date>-copie-patient.pdf``, so that a pharmacist finds them by the ordonnance number and the
day (not by an internal identifier); a second delivery of the same ordonnance the same day gets
``-2``, ``-3`` … rather than overwriting the first."""

from __future__ import annotations

import re
from collections.abc import Container

from app.domain.delivery import Delivery

MENTIONS = "mentions"
PATIENT_COPY = "copie-patient"
KINDS = (MENTIONS, PATIENT_COPY)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)[:64]


def delivery_pdf_names(delivery: Delivery, taken: Container[str] = ()) -> tuple[str, str]:
    """(mentions, patient's copy) names of ``delivery``: ``<number>-<date>-<kind>.pdf``, else with
    ``-2``, ``-3`` … after the date, the first pair of which neither name is in ``taken`` (the files
    already in the folder)."""
    base = f"{_safe(str(delivery.number))}-{delivery.handed_over_at:%Y-%m-%d}"
    n = 1
    while True:
        stem = base if n == 1 else f"{base}-{n}"
        names = (f"{stem}-{MENTIONS}.pdf", f"{stem}-{PATIENT_COPY}.pdf")
        if not any(name in taken for name in names):
            return names
        n += 1


def delivery_pdf_name(delivery: Delivery, kind: str, taken: Container[str] = ()) -> str:
    """The name of one printout (:data:`MENTIONS` or :data:`PATIENT_COPY`) of ``delivery``."""
    if kind not in KINDS:
        raise ValueError(f"unknown printout kind {kind!r}")
    return delivery_pdf_names(delivery, taken)[KINDS.index(kind)]
