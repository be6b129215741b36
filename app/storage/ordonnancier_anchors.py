"""The anchor file: each workstation's append-only copy of the register's sealed heads, outside the database.

Why: a chain of entries cannot show that its end was cut off, and checkpoints or closings kept in the
same database go with it. The daily closings are therefore also written here, on the workstation's
own disk (``ordonnancier.anchor_file``, created 0600): whoever edits the database — including the
administrator of a shared PostgreSQL server — cannot reach it. This is the second medium that
CSP R. 5132-9 asks the register's data to be duplicated on.

One JSON object per line, appended and flushed to disk, never rewritten: the sealed payload of a
closing or of the switch to the key (:class:`app.domain.ordonnancier.Closing`,
:class:`~app.domain.ordonnancier.KeyingStart`), its ``mac``, and ``database``, the database it was
read from (URL without password; outside the seal: it only tells which lines concern which database,
so that a register reset to an earlier state under the same URL is recognised).

What ``verify`` can tell about the file itself (app/storage/ordonnancier_verify.py):

- deleted, or restored from an older copy: the database holds this workstation's closings (and the
  switch to the key if it made it), sealed with the key; those missing from the file are named;
- a line edited or written by hand: its seal fails without the key;
- rolled back *together with* the database's closings by someone holding both: the entries
  themselves are still sealed with the key, so only cutting the end of the register is possible, and
  that still shows against the archive and the outbox, the other workstations' anchor files (each
  copies every closing it can check) and any export given to ``verify --export``; with all of them
  rolled back too, nothing is left to tell.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app.domain.errors import ComptoirError
from app.domain.ordonnancier import Closing, KeyingStart
from app.private_files import private_dir


class AnchorFileError(ComptoirError):
    """The anchor file cannot be written or read (French message naming the file)."""


@dataclass(frozen=True)
class AnchorLine:
    line_no: int
    database: str
    record: Closing | KeyingStart


@dataclass
class AnchorReading:
    """What the file holds: its lines (parsed), the numbers of lines that could not be read, and
    whether its last line was cut short (a crash while appending; not a tampering sign)."""

    exists: bool
    lines: list[AnchorLine] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)
    torn_tail: bool = False


def register_of(record: Closing | KeyingStart) -> str | None:
    """The key id of the register a line belongs to."""
    return record.register if isinstance(record, Closing) else record.key_id


def _line(database: str, record: Closing | KeyingStart) -> str:
    data = {**record.payload(), "mac": record.mac, "database": database}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def _record(data: dict) -> Closing | KeyingStart:
    if data["kind"] == "closing":
        return Closing(register=str(data["register"]), day=date.fromisoformat(data["day"]),
                       number=int(data["number"]), head=str(data["head"]),
                       closed_at=datetime.fromisoformat(data["closed_at"]),
                       workstation=str(data["workstation"]), mac=str(data["mac"]))
    if data["kind"] == "keying":
        return KeyingStart(legacy_last=int(data["legacy_last"]), legacy_head=str(data["legacy_head"]),
                           created_at=datetime.fromisoformat(data["created_at"]), key_id=str(data["register"]),
                           workstation=str(data["workstation"]),
                           sealed_at=datetime.fromisoformat(data["sealed_at"]), mac=str(data["mac"]))
    raise ValueError(f"kind {data['kind']!r}")


class AnchorFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, database: str, records: Iterable[Closing | KeyingStart]) -> None:
        """Append ``records`` in one write, flushed to disk; the file is created 0600.

        Raises :class:`AnchorFileError` when the file cannot be written (folder missing and not
        creatable, no permission, disk full).
        """
        text = "".join(_line(database, r) for r in records)
        if not text:
            return
        try:
            private_dir(self.path.parent)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, text.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise AnchorFileError(f"Fichier d'ancrage de l'ordonnancier impossible à écrire : {self.path} "
                                  f"({exc.strerror or exc}) ; vérifiez le réglage ordonnancier.anchor_file",
                                  detail=repr(exc)) from exc

    def read(self) -> AnchorReading:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return AnchorReading(exists=False)
        except OSError as exc:
            raise AnchorFileError(f"Fichier d'ancrage de l'ordonnancier illisible : {self.path} "
                                  f"({exc.strerror or exc})", detail=repr(exc)) from exc
        reading = AnchorReading(exists=True)
        chunks = raw.split(b"\n")
        complete, tail = chunks[:-1], chunks[-1]
        if tail.strip():
            reading.torn_tail = True
        for line_no, chunk in enumerate(complete, start=1):
            if not chunk.strip():
                continue
            try:
                data = json.loads(chunk.decode("utf-8"))
                reading.lines.append(AnchorLine(line_no, str(data["database"]), _record(data)))
            except (ValueError, KeyError, TypeError, AttributeError):
                reading.unreadable.append(line_no)
        return reading
