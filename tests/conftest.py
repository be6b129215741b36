"""Shared fixtures: offscreen Qt, isolated settings dirs, databases on SQLite and PostgreSQL, the CUPS
queue; and the rule that CI never skips for want of a service it must have."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_URL = os.environ.get("COMPTOIR_TEST_PG_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"

# What CI must have (.ci/run installs or starts each): a test that would be skipped for want of one of
# them is a failure there, with the skip's reason. A skip reason names the service with one of these
# words (the PostgreSQL fixtures say COMPTOIR_TEST_PG_URL, pytest.importorskip names the module).
REQUIRED_IN_CI = {
    "PostgreSQL": ("PostgreSQL", "COMPTOIR_TEST_PG_URL"),
    "libzbar": ("libzbar", "zbar shared library"),
    "CUPS": ("CUPS", "COMPTOIR_TEST_CUPS_QUEUE"),
    "cryptography": ("'cryptography'",),  # in the test extra: its absence is a broken install
}
PG_MISSING = ("PostgreSQL: COMPTOIR_TEST_PG_URL not set "
              "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test; .ci/run sets it)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _declared_distributions() -> frozenset[str]:
    """Every distribution pyproject.toml declares (dependencies and every extra; CI installs them
    all), normalised: a test that ``pytest.importorskip``s one of them is skipping on a broken install."""
    import tomllib

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    if not pyproject.is_file():  # conftest copied alone (tests/foundation/test_ci_skips.py)
        return frozenset()
    project = tomllib.loads(pyproject.read_text("utf-8"))["project"]
    specs = [*project.get("dependencies", ()), *(s for extra in project.get("optional-dependencies", {}).values()
                                                  for s in extra)]
    return frozenset(_norm(re.match(r"[A-Za-z0-9._-]+", spec).group(0)) for spec in specs)


DECLARED = _declared_distributions()


def _declared_module(reason: str) -> str | None:
    """The module of a ``pytest.importorskip`` reason ("could not import 'x.y': ...") when a declared
    distribution provides it: named like it (fhir.resources, schemathesis), or the distribution's name
    starts with the module's top package (PySide6.QtWidgets from PySide6-Essentials)."""
    match = re.search(r"could not import '([^']+)'", reason)
    if match is None:
        return None
    module = match.group(1)
    top = _norm(module.split(".")[0])
    if _norm(module) in DECLARED or any(dist == top or dist.startswith(top + "_") for dist in DECLARED):
        return module
    return None


def required_service(reason: str) -> str | None:
    """The service CI must have that a skip ``reason`` names, if any (a declared dependency included)."""
    module = _declared_module(reason)
    if module is not None:
        return f"the declared dependency '{module}'"
    return next((service for service, words in REQUIRED_IN_CI.items() if any(w in reason for w in words)), None)


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: reason")
        return str(longrepr[2])
    return str(longrepr)


def _fail_required_skip(report) -> None:
    if not IN_CI or not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = _skip_reason(report)
    service = required_service(reason)
    if service is not None:
        report.outcome = "failed"
        report.longrepr = f"CI=true: {service} is required in CI and must not be skipped. Skip reason: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_required_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A module skipped whole (``pytest.importorskip`` at its top) is judged the same way."""
    outcome = yield
    _fail_required_skip(outcome.get_result())


@pytest.fixture
def cups_to_itself():
    """The CUPS queue to this test alone, across pytest-xdist's workers (`make test` runs them on every
    core): a printing test finds its job's PDF among the new files of the queue's folder, and another
    disables the queue for a while. An exclusive lock on a file beside the system's temporary files."""
    import fcntl  # CUPS and its tests are POSIX-only
    import tempfile

    with open(Path(tempfile.gettempdir()) / "comptoir-tests-cups.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Settings, data and logs of every test live in a temporary folder, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("COMPTOIR_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("COMPTOIR_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("COMPTOIR_LOG_DIR", str(home / "log"))
    for name in list(os.environ):
        if name.startswith("COMPTOIR_") and not name.startswith("COMPTOIR_TEST_") and name not in (
            "COMPTOIR_CONFIG_DIR", "COMPTOIR_DATA_DIR", "COMPTOIR_LOG_DIR"
        ):
            monkeypatch.delenv(name)
    # The register's key in a file of the test's config dir, never in the developer's real keyring
    # (tests that exercise the keyring itself set a fake backend).
    monkeypatch.setenv("COMPTOIR_ORDONNANCIER_KEY_STORE", "file")
    # The command line's language is per process (app.i18n): each test starts in French, whatever
    # a `--lang en` of the test before left.
    from app import i18n

    i18n.set_language(i18n.SOURCE_LANGUAGE)


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
        pytest.skip(PG_MISSING)
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


@dataclass(frozen=True)
class CupsQueue:
    """A CUPS queue printing to PDF files (.ci/cups.sh makes one with cups-pdf).

    ``name`` is the queue to print to; each job comes out in ``pdf_dir`` as a file whose name ends
    with ``job_<job id>.pdf`` once the job is completed (``lpstat -W completed``).
    """

    name: str
    pdf_dir: Path

    def submit(self, path: Path, title: str, *options: str) -> int:
        """``lp`` the file to the queue (``options``: ``-o`` values such as ``media=A5``); returns the job id.
        Without a media option CUPS prints on the queue's default paper (A4 here)."""
        flags = [arg for option in options for arg in ("-o", option)]
        done = subprocess.run(["lp", "-d", self.name, "-t", title, *flags, str(path)], capture_output=True,
                              text=True, timeout=60, check=True)
        match = re.search(rf"{re.escape(self.name)}-(\d+)", done.stdout)
        assert match, done.stdout
        return int(match.group(1))

    def output(self, job: int, timeout_s: float = 120.0) -> Path:
        """The PDF that job ``job`` produced, once CUPS calls the job completed (polls, with a bound)."""
        deadline = time.monotonic() + timeout_s
        pattern = re.compile(rf"job_{job}(?!\d)")
        while time.monotonic() < deadline:
            waiting = subprocess.run(["lpstat", "-W", "not-completed", "-o", self.name], capture_output=True,
                                     text=True, timeout=30).stdout
            if not re.search(rf"^{re.escape(self.name)}-{job}\s", waiting, re.MULTILINE):
                found = [f for f in self.pdf_dir.glob("*.pdf") if pattern.search(f.name)]
                if found:
                    return found[0]
            time.sleep(0.2)
        raise AssertionError(f"CUPS job {job} on {self.name} left no PDF in {self.pdf_dir}")


@pytest.fixture
def cups_queue() -> CupsQueue:
    """The PDF queue named by COMPTOIR_TEST_CUPS_QUEUE (its folder: COMPTOIR_TEST_CUPS_PDF_DIR).
    Skipped with the reason when there is none; in CI that skip is a failure."""
    how = "(as root: .ci/cups.sh, then export COMPTOIR_TEST_CUPS_QUEUE=ComptoirPDF)"
    name = os.environ.get("COMPTOIR_TEST_CUPS_QUEUE")
    if not name:
        pytest.skip(f"CUPS: COMPTOIR_TEST_CUPS_QUEUE not set {how}")
    pdf_dir = Path(os.environ.get("COMPTOIR_TEST_CUPS_PDF_DIR", "/var/spool/cups-pdf/comptoir"))
    if shutil.which("lpstat") is None:
        pytest.skip(f"CUPS: lpstat not found (apt-get install cups-client) {how}")
    state = subprocess.run(["lpstat", "-p", name], capture_output=True, text=True, timeout=30)
    if state.returncode != 0 or "enabled" not in state.stdout:
        pytest.skip(f"CUPS: queue {name} not available: {(state.stderr or state.stdout).strip()} {how}")
    if not pdf_dir.is_dir():
        pytest.skip(f"CUPS: the queue's PDF folder {pdf_dir} does not exist (COMPTOIR_TEST_CUPS_PDF_DIR) {how}")
    return CupsQueue(name, pdf_dir)


# --- a SQLite database with the bundled catalogue, imported once and copied per test ----------------


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
