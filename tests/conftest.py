"""Shared fixtures: offscreen Qt, isolated settings dirs, databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_URL = os.environ.get("COMPTOIR_TEST_PG_URL")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Settings, data and logs of every test live in a temporary folder, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("COMPTOIR_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("COMPTOIR_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("COMPTOIR_LOG_DIR", str(home / "log"))
    for name in list(os.environ):
        if name.startswith("COMPTOIR_") and name not in (
            "COMPTOIR_CONFIG_DIR", "COMPTOIR_DATA_DIR", "COMPTOIR_LOG_DIR", "COMPTOIR_TEST_PG_URL"
        ):
            monkeypatch.delenv(name)


def _pg_schema_url(base: str) -> tuple[str, str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    sep = "&" if "?" in base else "?"
    return schema, f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url():
    """A PostgreSQL URL on a fresh schema, dropped afterwards (skipped without COMPTOIR_TEST_PG_URL)."""
    yield from fresh_pg_schema()


def fresh_pg_schema():
    """The body of ``pg_url``, for fixtures of a wider scope (a generator: ``yield from`` it)."""
    if not PG_URL:
        pytest.skip("COMPTOIR_TEST_PG_URL not set")
    import sqlalchemy as sa

    from app.storage.db import make_engine, normalise_url

    admin = make_engine(normalise_url(PG_URL))
    schema, url = _pg_schema_url(normalise_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The storage suite runs on both SQLite and (when configured) PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'comptoir.sqlite3'}"
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'comptoir.sqlite3'}"
