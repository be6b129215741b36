"""UI fixtures: a SQLite database with the bundled catalogue, imported once and copied per test."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def _catalogue_template(tmp_path_factory):
    from app.catalogue import ensure_bundled_catalogue
    from app.storage.db import open_database

    path = tmp_path_factory.mktemp("catalogue") / "template.sqlite3"
    engine, factory = open_database(f"sqlite:///{path}")
    ensure_bundled_catalogue(factory)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def catalogue_url(_catalogue_template, tmp_path):
    """A database URL whose catalogue is already imported (the first start is tested separately)."""
    target = tmp_path / "comptoir.sqlite3"
    shutil.copyfile(_catalogue_template, target)
    return f"sqlite:///{target}"
