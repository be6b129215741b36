"""The HAS example prescriptions of shared/ as domain lines, through the service client's own FHIR
mapping (``app.eprescription.fhir_read``), so that the quantity tests see what the counter sees."""

from __future__ import annotations

import json
from pathlib import Path

from app.domain.prescription import PrescriptionLine
from app.eprescription.fhir_read import BundleIndex, line_of

_HERE = Path(__file__).resolve()
_CANDIDATES = (_HERE.parents[1] / "fixtures" / "has-eprescription",
               _HERE.parents[3] / "shared" / "fixtures" / "has-eprescription")
FIXTURES = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[-1])


def bundle(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def lines(name: str) -> list[PrescriptionLine]:
    """The MedicationRequests of one fixture file as domain lines, in file order."""
    data = bundle(name)
    index = BundleIndex(data)
    return [line_of(r, index) for r in index.of_type("MedicationRequest")]
