"""The « à réimprimer » list: printed documents whose printing failed, kept until a reprint succeeds.

Why files and not a table: a print fails precisely when something around the counter is wrong (the
printer, and sometimes the database too); the PDF is already in the PDF folder, so a small JSON marker
next to it (``<name>.pdf.echec``: reason, document kind, printer, time) is the record, readable from
any thread and by any workstation sharing the folder. A successful print removes the marker. Markers
written by earlier versions held only the reason as plain text: they are still read.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from app.private_files import private_dir, write_private_text

FAILED_SUFFIX = ".echec"


class FailedPrint(NamedTuple):
    """One document waiting for a reprint (``pdf`` and ``reason`` first: rows of the history screen)."""

    pdf: Path
    reason: str
    kind: str = ""
    printer: str = ""
    failed_at: datetime | None = None


def kept_path(pdf: Path, pdf_dir: Path) -> Path:
    """Where ``pdf`` is kept for a reprint: itself when it lives in ``pdf_dir``, else a copy there."""
    return pdf if pdf.resolve().parent == pdf_dir.resolve() else pdf_dir / pdf.name


def keep_pdf(pdf: Path, pdf_dir: Path) -> Path:
    """``pdf`` inside ``pdf_dir`` (copied there if it lives elsewhere), so a reprint can find it."""
    private_dir(pdf_dir)
    kept = kept_path(pdf, pdf_dir)
    if kept != pdf:
        shutil.copy2(pdf, kept)
    return kept


def _marker(pdf: Path) -> Path:
    return pdf.with_name(pdf.name + FAILED_SUFFIX)


def mark_failed(pdf: Path, reason: str, *, kind: str = "", printer: str = "",
                now: datetime | None = None) -> None:
    """Put the kept ``pdf`` on the list, with why it failed and where it was going."""
    record = {"reason": reason, "kind": kind, "printer": printer,
              "failed_at": (now or datetime.now()).isoformat(timespec="seconds")}
    write_private_text(_marker(pdf), json.dumps(record, ensure_ascii=False))


def clear_failed(pdf: Path) -> None:
    """``pdf`` printed: off the list."""
    _marker(pdf).unlink(missing_ok=True)


def _read(marker: Path, pdf: Path) -> FailedPrint:
    text = marker.read_text(encoding="utf-8")
    try:
        record = json.loads(text)
    except ValueError:
        record = None
    if not isinstance(record, dict):  # an earlier version's marker: the reason alone
        return FailedPrint(pdf, text.strip())
    try:
        when = datetime.fromisoformat(record.get("failed_at") or "")
    except ValueError:
        when = None
    return FailedPrint(pdf, str(record.get("reason", "")), str(record.get("kind", "")),
                       str(record.get("printer", "")), when)


def failed_prints(pdf_dir: Path) -> list[FailedPrint]:
    """Documents whose printing failed and was not redone, oldest first."""
    if not pdf_dir.is_dir():
        return []
    found = []
    for marker in pdf_dir.glob(f"*.pdf{FAILED_SUFFIX}"):
        pdf = marker.with_name(marker.name[: -len(FAILED_SUFFIX)])
        if pdf.exists():
            try:
                found.append((marker.stat().st_mtime, _read(marker, pdf)))
            except OSError:  # removed by a reprint on another workstation meanwhile
                continue
    return [failed for _, failed in sorted(found, key=lambda f: (f[0], f[1].pdf.name))]
