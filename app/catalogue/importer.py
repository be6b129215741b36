"""Importing a BDPM release (a folder of ANSM files) into the database, in one transaction.

The files are parsed first (outside any lock), then one transaction takes the catalogue lock,
compares and writes (see :mod:`app.catalogue.sync`), updates the search index and records the
release. Several workstations starting at once on one PostgreSQL serialise on an advisory lock;
on SQLite the first write of the transaction takes the database's write lock.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from importlib.resources.abc import Traversable
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.catalogue import search
from app.catalogue.guards import check_files
from app.catalogue.records import CIP_FILE, CIS_FILE, COMPO_FILE, CPD_FILE, FILES, GENER_FILE, parse_file
from app.catalogue.report import ImportReport
from app.catalogue.sync import Synchroniser
from app.domain.errors import CatalogueError
from app.storage.db import transaction
from app.storage.models.meta import MetaEntry

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
RELEASE_KEY = "catalogue.release"
LOCK_KEY = "catalogue.lock"
PG_LOCK_ID = 0x434F4D50  # "COMP": the advisory lock serialising catalogue imports


def _lock(session: Session) -> None:
    """Serialise catalogue imports across processes and workstations (held until commit)."""
    if session.get_bind().dialect.name == "postgresql":
        # keyed by schema too: workstations share one schema, other databases do not wait on it
        session.execute(text("SELECT pg_advisory_xact_lock(:id, hashtext(current_schema()))"),
                        {"id": PG_LOCK_ID})
    else:  # any write takes SQLite's database lock for the rest of the transaction
        session.execute(text("DELETE FROM app_meta WHERE key = :key"), {"key": LOCK_KEY})


def release_name(folder: str) -> str:
    """"2026-05" from a folder named "2026-05" or "bdpm-2026-05"; else the folder's name."""
    match = re.search(r"[0-9]{4}-[0-9]{2}", folder)
    return match.group(0) if match else folder


def loaded_release(session: Session) -> str | None:
    return session.scalar(select(MetaEntry.value).where(MetaEntry.key == RELEASE_KEY))


class _DryRun(Exception):
    """Raised inside the import's transaction to roll it back once the report is complete."""


def import_release(session_factory: sessionmaker[Session], directory: Path | Traversable, *,
                   progress: Progress | None = None, release: str | None = None,
                   only_if_empty: bool = False, force: bool = False, dry_run: bool = False) -> ImportReport:
    """Import (or update to) the release in ``directory``; returns what was read and changed.

    ``release`` defaults to the date in the folder's name ("2022-06"). Missing files keep their earlier data; a
    folder with none of the five files is refused. With ``only_if_empty``, a database that already
    holds a catalogue is left alone (the report then has ``counts`` empty and ``unchanged`` true).

    A damaged release is refused as a whole, nothing changed (:class:`~app.catalogue.guards.ImportRefused`,
    see :mod:`app.catalogue.guards`): a present file with no valid row or too many rejected rows,
    or an update withdrawing too much of the catalogue in place — the latter accepted with ``force``.

    ``dry_run``: everything is compared, checked and reported, then rolled back (the report of an
    update before the pharmacist confirms it; ``report.dry_run`` says so). The search index is not
    touched.
    """
    started = time.perf_counter()
    if not directory.is_dir():
        raise CatalogueError(f"Dossier BDPM introuvable : {directory}")
    present = [name for name in FILES if (directory / name).is_file()]
    if not present:
        raise CatalogueError(f"Aucun fichier BDPM ({', '.join(FILES)}) dans {directory}")
    report = ImportReport(release=release or release_name(directory.name),
                          missing_files=[name for name in FILES if name not in present], dry_run=dry_run)
    total = len(present) * 2 + 2
    step = 0

    def advance(message: str) -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, total, message)

    parsed: dict[str, list] = {}
    lines: dict[str, int] = {}  # non-blank lines of each file: accepted + rejected rows
    for name in present:
        rejected_before = len(report.rejected)
        parsed[name] = parse_file(directory / name, name, report.rejected)
        report.counts[name] = len(parsed[name])
        lines[name] = len(parsed[name]) + len(report.rejected) - rejected_before
        advance(f"Lecture de {name}")
    check_files(report, lines)  # refuse an empty or garbage file before taking any lock
    try:
        with transaction(session_factory) as session:
            _lock(session)
            if only_if_empty and loaded_release(session) is not None:
                report.counts.clear()
                report.rejected.clear()
                return report
            sync = Synchroniser(session, report, force=force)
            report.first_import = sync.first_import
            steps = ((CIS_FILE, sync.specialities), (CIP_FILE, sync.presentations),
                     (COMPO_FILE, sync.compositions), (CPD_FILE, sync.conditions),
                     (GENER_FILE, sync.generics))
            for name, apply in steps:
                if name in parsed:
                    apply(parsed[name])
                    advance(f"Écriture de {name}")
            sync.finish()
            check_files(report, lines)  # again, with the rows naming an unknown CIS: rolls back
            if dry_run:
                step = total - 1
                advance("Vérification terminée")
                raise _DryRun
            documents = sync.documents_to_index()
            if documents:
                search.update_index(session, documents, empty_before=sync.first_import)
            advance("Index de recherche")
            session.merge(MetaEntry(key=RELEASE_KEY, value=report.release))
            advance("Enregistrement")
    except _DryRun:
        pass
    except SQLAlchemyError as exc:
        raise CatalogueError("Import du catalogue impossible : la base de données a refusé l'écriture",
                             detail=str(exc)) from exc
    report.rejected.sort(key=lambda r: (r.file, r.line))
    report.seconds = time.perf_counter() - started
    log.info("BDPM %s imported in %.1f s: %d added, %d withdrawn, %d changed, %d rejected rows",
             report.release, report.seconds, len(report.added), len(report.withdrawn),
             len(report.changed), len(report.rejected))
    return report
