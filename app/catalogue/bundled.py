"""The catalogue shipped with Comptoir (BDPM 2022-06 under resources/), imported on first start.

Measured choice (see benchmarks/catalogue.py): importing the five ANSM files takes about 3 s on
SQLite and 4 s on PostgreSQL on a 2-core machine, so Comptoir ships the small text files (12 MB,
and the same importer serves later releases) rather than a prebuilt database that would only fit
SQLite and would have to be rebuilt at every schema change.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable

from sqlalchemy.orm import Session, sessionmaker

from app.catalogue.importer import Progress, import_release, loaded_release
from app.catalogue.report import ImportReport
from app.resources_path import resource

BUNDLED_RELEASE = "2022-06"


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
