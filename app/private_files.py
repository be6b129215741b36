"""Folders and files the app writes are its owner's alone: folders 0700, files 0600 (POSIX).

What they hold names patients (PDFs of deliveries and registers, exports, the SQLite database, the
logs even redacted), or secrets (the register's key, settings with the database URL): on a counter
computer shared by several accounts, the others must not read them.

What this covers: every folder the app creates is created 0700 (each missing level, not only the
last), every file it writes is created 0600 and brought back to 0600 when it existed with wider
rights (a file left by an earlier version). What it cannot: a folder that already exists — the
pharmacy's choice, e.g. a shared PDF folder or ``/tmp`` — keeps its rights (only the files inside are
private); on Windows the modes are not ACLs (the user's profile folders are private there already);
and whoever has the account, or root, reads everything.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """``path`` as a folder; each level created here is made 0700 (existing ones are left alone)."""
    path = Path(path)
    missing: list[Path] = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for level in reversed(missing):
        try:
            level.mkdir(mode=DIR_MODE)
        except FileExistsError:  # created meanwhile by another process
            continue
        os.chmod(level, DIR_MODE)  # mkdir's mode is filtered by the umask
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)  # raises the clear error (a file in the way)
    return path


def tighten(path: Path) -> None:
    """Bring an existing file of ours back to 0600 (no-op where modes mean nothing)."""
    if os.name == "posix":
        os.chmod(path, FILE_MODE)


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``, created or brought back to 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        if os.name == "posix":
            os.fchmod(fh.fileno(), FILE_MODE)
        fh.write(text)
