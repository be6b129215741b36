"""Catalogue fixtures: the real 2022-06 release imported ONCE per session per database, the
2022-06 → 2026-05 update done once per database, and small consistent slices for edge cases."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from app.catalogue import Catalogue, ImportReport, import_release
from app.storage.db import make_engine, normalise_url, open_database
from tests.conftest import FIXTURES, PG_URL

# The ANSM's files as published: the complete 2022-06 release, and 2026-05 (CIS and CIS_CIP only).
# Tests name the release they rely on; the shipped catalogue (2026-05 completed, see
# resources/bdpm/README.md) is tested as such in test_bundle.py.
RELEASE_2022 = FIXTURES / "bdpm-2022-06"
RELEASE_2026 = FIXTURES / "bdpm-2026-05"
FILE_NAMES = ("CIS_bdpm.txt", "CIS_CIP_bdpm.txt", "CIS_GENER_bdpm.txt", "CIS_COMPO_bdpm.txt",
              "CIS_CPD_bdpm.txt")


@dataclass
class Loaded:
    """A database holding a catalogue, with the reports of the imports that built it."""

    url: str
    factory: sessionmaker[Session]
    catalogue: Catalogue
    reports: list[ImportReport]


class _Databases:
    """Creates the session's databases (SQLite files, PostgreSQL schemas) and drops them at the end."""

    def __init__(self, tmp_dir: Path) -> None:
        self.tmp_dir = tmp_dir
        self.schemas: list[str] = []
        self.engines: list[sa.Engine] = []

    def url(self, backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp_dir / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
        if not PG_URL:
            pytest.skip("COMPTOIR_TEST_PG_URL not set")
        schema = f"cat_{uuid.uuid4().hex[:10]}"
        with make_engine(normalise_url(PG_URL)).begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        self.schemas.append(schema)
        base = normalise_url(PG_URL)
        return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"

    def open(self, url: str) -> sessionmaker[Session]:
        engine, factory = open_database(url)
        self.engines.append(engine)
        return factory

    def close(self) -> None:
        for engine in self.engines:
            engine.dispose()
        if self.schemas:
            admin = make_engine(normalise_url(PG_URL))
            with admin.begin() as conn:
                for schema in self.schemas:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


@pytest.fixture(scope="session")
def _databases(tmp_path_factory):
    databases = _Databases(tmp_path_factory.mktemp("catalogue-db"))
    yield databases
    databases.close()


_cache: dict[tuple[str, tuple[str, ...]], Loaded] = {}


def _loaded(databases: _Databases, backend: str, releases: tuple[tuple[Path, str], ...]) -> Loaded:
    """The database built by importing ``releases`` in order, built once per session.

    A longer chain continues from a cached shorter one (its database is then taken over, and the
    shorter chain is rebuilt if asked again): the read-only 2022-06 tests run first (file order),
    then the update tests reuse that import instead of importing 2022-06 a second time.
    """
    names = tuple(name for _, name in releases)
    if (backend, names) in _cache:
        return _cache[(backend, names)]
    for done in range(len(names) - 1, 0, -1):
        base = _cache.pop((backend, names[:done]), None)
        if base is not None:
            break
    else:
        done = 0
        url = databases.url(backend)
        factory = databases.open(url)
        base = Loaded(url, factory, Catalogue(factory), [])
    reports = [*base.reports, *(import_release(base.factory, path, release=name)
                                for path, name in releases[done:])]
    _cache[(backend, names)] = loaded = Loaded(base.url, base.factory, base.catalogue, reports)
    return loaded


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def release_2022(request, _databases) -> Loaded:
    """The full 2022-06 release, imported once per session on each database (read-only use)."""
    return _loaded(_databases, request.param, ((RELEASE_2022, "2022-06"),))


@pytest.fixture(params=BACKENDS)
def updated_2026(request, _databases) -> Loaded:
    """2022-06, then the partial 2026-05 over it, then 2026-05 again (reports[1] is the update)."""
    return _loaded(_databases, request.param,
                   ((RELEASE_2022, "2022-06"), (RELEASE_2026, "2026-05"), (RELEASE_2026, "2026-05")))


def make_slice(source: Path, target: Path, cis_codes: set[str], files=FILE_NAMES) -> Path:
    """A small consistent release: the rows of ``cis_codes`` only, bytes (encoding, line ends) kept."""
    target.mkdir(parents=True, exist_ok=True)
    wanted = {c.encode() for c in cis_codes}
    for name in files:
        if not (source / name).exists():
            continue
        column = 2 if name == "CIS_GENER_bdpm.txt" else 0
        kept = []
        for line in (source / name).read_bytes().splitlines(keepends=True):
            cells = [c for c in line.split(b"\t") if c] if column else line.split(b"\t")
            if len(cells) > column and cells[column].strip() in wanted:
                kept.append(line)
        (target / name).write_bytes(b"".join(kept))
    return target


# Specialities of the slices: LEVOTHYROX 75 (princeps of group 794) and its generic THYROFIX 75,
# STILNOX 10 (liste I, secure prescription), DOLIPRANE 1000 comprimé, ANASTROZOLE ACCORD 1 mg.
SLICE_CIS = {"62080626", "64826590", "63179285", "60234100", "60002283"}


@pytest.fixture
def small_release(tmp_path) -> Path:
    return make_slice(RELEASE_2022, tmp_path / "2022-06", SLICE_CIS)


@pytest.fixture
def copy_release(tmp_path):
    """Copy of a release folder (for corrupting files) — the callers pick the files."""
    def copy(source: Path, name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(source, target)
        return target
    return copy


def first_cis_codes(count: int) -> set[str]:
    """The first ``count`` CIS of the 2022-06 CIS_bdpm.txt (file order)."""
    lines = (RELEASE_2022 / "CIS_bdpm.txt").read_bytes().splitlines()[:count]
    return {line.split(b"\t")[0].decode() for line in lines}


@pytest.fixture
def wide_release(tmp_path) -> Path:
    """About 200 specialities (those of the small slice among them): a few bad rows stay under the
    share of rejected rows that refuses a file (see app/catalogue/guards.py)."""
    return make_slice(RELEASE_2022, tmp_path / "2022-06-wide", SLICE_CIS | first_cis_codes(200))
