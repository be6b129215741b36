"""A scanned product (the scanning layer's ScanResult) as the box the dispensing keeps.

Why: the scanner bridge hands out ScanResults with parsed GS1 fields as text; the dispensing wants a
ScannedBox with a real CIP13 and expiry date. Bad data becomes a French refusal, never a traceback.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.domain.delivery import ScannedBox
from app.domain.errors import InvalidIdentifier
from app.domain.identifiers import Cip13


def box_from_scan(scan: Any) -> ScannedBox:
    """``scan``: a ScanResult of kind PRODUCT (``fields``: cip13, lot, expiry ISO, serial) or a ScannedBox."""
    if isinstance(scan, ScannedBox):
        return scan
    fields = dict(getattr(scan, "fields", {}) or {})
    if "cip13" not in fields:
        raise InvalidIdentifier(getattr(scan, "message", None) or "Code scanné : ce n'est pas une boîte.")
    cip13 = Cip13.parse(str(fields["cip13"]))
    expiry = fields.get("expiry")
    if isinstance(expiry, str) and expiry:
        try:
            expiry = date.fromisoformat(expiry)
        except ValueError as exc:
            raise InvalidIdentifier(f"Date de péremption illisible : « {expiry} »") from exc
    return ScannedBox(cip13=str(cip13), lot=fields.get("lot") or None,
                      expiry=expiry if isinstance(expiry, date) else None, serial=fields.get("serial") or None)
