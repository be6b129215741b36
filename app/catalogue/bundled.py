"""The catalogue shipped with Comptoir (BDPM 2026-05 under resources/), imported on first start.

The ANSM files at hand for 2026-05 are CIS_bdpm.txt and CIS_CIP_bdpm.txt only; the shipped release
completes them with the generic groups, compositions and conditions of the latest complete release
(2022-06), restricted to the specialities 2026-05 still lists (:func:`derive_bundle`, documented in
resources/bdpm/README.md, checked against the published files by tests/catalogue/test_bundle.py).

Measured choice (see benchmarks/catalogue.py): importing the five ANSM files takes about 3 s on
SQLite and 4 s on PostgreSQL on a 2-core machine, so Comptoir ships the small text files (12 MB,
and the same importer serves later releases) rather than a prebuilt database that would only fit
SQLite and would have to be rebuilt at every schema change.
"""

from __future__ import annotations

import shutil
from importlib.resources.abc import Traversable
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.catalogue.importer import Progress, import_release, loaded_release
from app.catalogue.records import CIS_FILE, FILES
from app.catalogue.report import ImportReport
from app.resources_path import resource

BUNDLED_RELEASE = "2026-05"
_CIS_COLUMN = {"CIS_GENER_bdpm.txt": 2, "CIS_COMPO_bdpm.txt": 0, "CIS_CPD_bdpm.txt": 0}


def bundled_release_dir() -> Traversable:
    """The folder of the shipped release, found through the installed package (frozen or not)."""
    return resource("bdpm", BUNDLED_RELEASE)


def ensure_bundled_catalogue(session_factory: sessionmaker[Session],
                             progress: Progress | None = None) -> ImportReport | None:
    """Import the shipped release when the database has no catalogue yet; None when it has one.

    Safe when several workstations start at once on one PostgreSQL: the import takes the catalogue
    lock and checks again under it, so only the first one imports and the others find it loaded.
    """
    with session_factory() as session:
        if loaded_release(session) is not None:
            return None
    report = import_release(session_factory, bundled_release_dir(), progress=progress,
                            release=BUNDLED_RELEASE, only_if_empty=True)
    return None if not report.counts else report


def _cis_of(line: bytes, column: int) -> bytes | None:
    # CIS_GENER has runs of spurious empty cells after its label (reader.FileLayout.gap_after):
    # counting non-empty cells finds its CIS column whatever the run
    cells = [c for c in line.split(b"\t") if c.strip()] if column else line.split(b"\t")
    return cells[column].strip() if len(cells) > column else None


def derive_bundle(newer: Path, older: Path, out: Path) -> dict[str, int]:
    """Build the shipped release in ``out`` from two published ones.

    Each file of ``newer`` is copied as published. A file ``newer`` lacks (CIS_GENER, CIS_COMPO,
    CIS_CPD) is taken from ``older``, keeping only its lines — byte for byte, encoding and line ends
    included — whose CIS is listed in ``newer``'s CIS_bdpm.txt: rows about specialities withdrawn
    since would otherwise be rejected at import (and exceed the share that refuses a file). Returns
    the lines kept per derived file.
    """
    out.mkdir(parents=True, exist_ok=True)
    listed = {line.split(b"\t")[0].strip() for line in (newer / CIS_FILE).read_bytes().splitlines() if line.strip()}
    kept: dict[str, int] = {}
    for name in FILES:
        if (newer / name).is_file():
            shutil.copyfile(newer / name, out / name)
            continue
        lines = (older / name).read_bytes().splitlines(keepends=True)
        chosen = [line for line in lines if _cis_of(line, _CIS_COLUMN[name]) in listed]
        (out / name).write_bytes(b"".join(chosen))
        kept[name] = len(chosen)
    return kept
