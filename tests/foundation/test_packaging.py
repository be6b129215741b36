"""Everything the app reads at run time ships with it, and is found however it runs: from the wheel
installed in a fresh virtual environment, and from a checkout with no install at all
(``PYTHONPATH=.``). The frozen app is checked by tests/foundation/test_installer.py.

Each run goes through the real readers (the bundled catalogue, the demo prescriptions, the English
translation, the database migrations), in a child process whose Python has the dependencies but
not the project installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parents[2]
SOURCE_FILES = ("pyproject.toml", "setup.py", "README.md")
SOURCE_DIRS = ("app", "resources")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
DEV_ONLY = ("app/ui/screenshots.py", "app/ui/screenshots_team.py", "app/ui/staging.py")

# Run in the child: reads each kind of resource through the code that uses it, prints what it found.
PROBE = textwrap.dedent("""
    import json, sys, tempfile
    import sqlalchemy as sa
    import app
    from app.resources_path import resources
    from app.catalogue import BUNDLED_RELEASE, bundled_release_dir
    from app.cli.demo import demo_bundles
    from app.storage.db import make_engine, migrate
    from app.ui.translations import catalogue_file

    found = {"app": app.__file__, "resources": str(resources()), "release": BUNDLED_RELEASE,
             "bdpm": sorted(p.name for p in bundled_release_dir().iterdir()),
             "cis_first_line": bundled_release_dir().joinpath("CIS_bdpm.txt").read_bytes().split(b"\\n")[0].decode("latin-1"),
             "demo": {name: bundle["resourceType"] for name, bundle in demo_bundles()},
             "qm": str(catalogue_file("en"))}
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/probe.sqlite3")
        migrate(engine)
        with engine.connect() as conn:
            found["tables"] = sorted(sa.inspect(conn).get_table_names())
            found["revision"] = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        engine.dispose()
    print(json.dumps(found))
""")


def _source_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith("."))


def _copy_source(target: Path, dirs=SOURCE_DIRS, files=SOURCE_FILES) -> Path:
    for name in dirs:
        shutil.copytree(ROOT / name, target / name, ignore=IGNORED)
    for name in files:
        shutil.copy2(ROOT / name, target / name)
    return target


def _bare_python(folder: Path) -> Path:
    """A new virtual environment that sees this one's dependencies (a path entry, so no ``.pth``
    of this environment runs: the editable install of the project is not there)."""
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def _probe(python: Path, tmp: Path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    result = subprocess.run([python, "-c", PROBE], cwd=tmp, capture_output=True, text=True, timeout=300,
                            env={**clean, "COMPTOIR_DATA_DIR": str(tmp / "data"), **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _expected_resources(found: dict, resources_root: Path) -> None:
    release = ROOT / "resources" / "bdpm" / found["release"]
    assert found["bdpm"] == sorted(p.name for p in release.iterdir() if not p.name.startswith("."))
    source_first_line = (release / "CIS_bdpm.txt").read_bytes().split(b"\n")[0].decode("latin-1")
    assert found["cis_first_line"] == source_first_line
    demo = sorted(p.name for p in (ROOT / "resources" / "demo").rglob("*.json"))
    assert sorted(found["demo"]) == demo and set(found["demo"].values()) == {"Bundle"}
    assert Path(found["qm"]) == resources_root / "translations" / "comptoir_en.qm"
    heads = ScriptDirectory(str(ROOT / "app" / "storage" / "migrations")).get_heads()
    assert sorted(found["revision"]) == sorted(heads)
    assert {"alembic_version", "catalogue_presentation", "ordonnancier_entry", "counter_outbox"} <= set(found["tables"])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the sources, offline (this environment's setuptools)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = _copy_source(tmp / "src")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "-w", str(tmp / "dist"), str(source)], check=True, capture_output=True, timeout=300)
    (built,) = (tmp / "dist").glob("comptoir-*.whl")
    return built


def test_the_wheel_holds_every_resource_and_migration_and_no_dev_module(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    resources = [f"app/resources/{Path(f).relative_to('resources')}" for f in _source_files(ROOT / "resources")]
    migrations = _source_files(ROOT / "app/storage/migrations")
    assert any("/versions/0001" in f for f in migrations)
    assert not [f for f in resources + migrations if f not in names]
    modules = [f for f in _source_files(ROOT / "app") if f.endswith(".py")]
    assert not [f for f in modules if f not in names and f not in DEV_ONLY]
    assert not [f for f in DEV_ONLY if f in names]


def test_the_wheel_installed_in_a_fresh_environment_finds_its_resources(wheel, tmp_path):
    python = _bare_python(tmp_path / "venv")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--quiet", str(wheel)], check=True, capture_output=True, timeout=300)
    found = _probe(python, tmp_path)
    site = Path(found["app"]).parent.parent
    assert site.is_relative_to(tmp_path / "venv")
    assert Path(found["resources"]) == site / "app" / "resources"
    _expected_resources(found, site / "app" / "resources")


def test_a_checkout_without_any_install_finds_its_resources(tmp_path):
    checkout = _copy_source(tmp_path / "checkout", files=())
    python = _bare_python(tmp_path / "venv")
    found = _probe(python, tmp_path, PYTHONPATH=str(checkout))
    assert Path(found["app"]) == checkout / "app" / "__init__.py"
    assert Path(found["resources"]) == checkout / "resources"
    _expected_resources(found, checkout / "resources")


def test_the_app_runs_without_the_sandbox_extra(tmp_path):
    """starlette and uvicorn are the ``sandbox`` extra: the commands start without them, and the
    sandbox's own commands say in French what is missing."""
    blocker = textwrap.dedent("""
        import sys
        class NoSandboxExtra:
            def find_spec(self, name, path=None, target=None):
                if name.partition(".")[0] in ("starlette", "uvicorn"):
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        sys.meta_path.insert(0, NoSandboxExtra())
        from app.cli import main
        sys.exit(main(sys.argv[1:]))
    """)
    env = {**os.environ, "COMPTOIR_DATA_DIR": str(tmp_path / "data"), "COMPTOIR_CONFIG_DIR": str(tmp_path / "cfg"),
           "COMPTOIR_LOG_DIR": str(tmp_path / "log")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", blocker, *args], capture_output=True, text=True,
                              timeout=120, env=env, cwd=tmp_path)

    usage = run("--help")
    assert usage.returncode == 0, usage.stderr
    assert "ouvrir le comptoir" in usage.stdout and "service d'ordonnance numérique de démonstration" in usage.stdout
    decoded = run("decode", str(tmp_path / "absent.png"))
    assert (decoded.returncode, decoded.stderr) == (1, f"comptoir: Fichier introuvable : « {tmp_path / 'absent.png'} »\n")
    for command in (["sandbox", "serve"], ["sandbox", "token", "--prescriber", "10003456786"], ["demo", "--no-gui"]):
        result = run(*command)
        assert result.returncode == 2, (command, result.stderr)
        assert "Service bac à sable non installé" in result.stderr and "comptoir[sandbox]" in result.stderr
        assert "Traceback" not in result.stderr
