"""The installer (issue 12): ``python build_installer.py`` builds the one-folder app, the .deb and the
tarball; the folder, copied elsewhere and run with an empty HOME, no source tree and no virtual
environment, answers ``--version`` and passes ``--self-test`` (French, and English with --lang en).

Marked ``slow`` (minutes: a build environment, PyInstaller, two packages): ``make test-long`` and CI
run it, ``make test`` does not. Its sizes and start-up time are benchmarks/installer.py's business.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built() -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "build_installer.py"], cwd=ROOT, capture_output=True, text=True,
                            timeout=1800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def _alone(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The app folder copied elsewhere, and an environment with nothing of this checkout in it."""
    copy = tmp_path / "elsewhere" / "comptoir"
    shutil.copytree(ROOT / "dist" / "comptoir", copy, symlinks=True)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TMPDIR": str(tmp_path)}
    return copy, env


def _run(copy: Path, env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(copy / "comptoir"), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=900)


def test_the_build_reports_what_it_wrote(built):
    out = built.stdout
    version = app.__version__
    for written in ("dist/comptoir/", f"dist/comptoir_{version}_", f"dist/comptoir-{version}-linux-"):
        assert any(written in line and line.strip().split()[1] == "MB" for line in out.splitlines()), out
    modules = (ROOT / "build" / "pyinstaller" / "comptoir" / "PYZ-00.toc").read_text(encoding="utf-8")
    assert "'app.cli.selftest'" in modules and "'app.resources_path'" in modules
    for absent in ("'app.ui.staging'", "'app.ui.screenshots'", "'starlette'", "'uvicorn'", "'pytest'",
                   "'PySide6.QtNetwork'", "'PySide6.QtQml'"):
        assert absent not in modules, absent


def test_the_copied_app_answers_version_and_passes_its_self_test(built, tmp_path):
    copy, env = _alone(tmp_path)
    version = _run(copy, env, tmp_path, "--version")
    assert (version.returncode, version.stdout) == (0, f"comptoir {app.__version__}\n"), version.stderr

    french = _run(copy, env, tmp_path, "--self-test")
    assert french.returncode == 0, french.stdout + french.stderr
    lines = french.stdout.splitlines()
    assert lines[0] == f"Comptoir {app.__version__} — autotest"
    assert [line.split(" : ", 1)[0] for line in lines[1:-1]] == [
        "OK     Fenêtre principale", "OK     Écrans du comptoir", "OK     Base de données temporaire",
        "OK     Catalogue", "OK     QR code d'ordonnance", "OK     DataMatrix GS1 d'une boîte",
        "OK     Second décodeur (pyzbar)", "OK     PDF des mentions"]
    assert lines[-1] == "Autotest réussi : 8 contrôles sur 8"

    english = _run(copy, env, tmp_path, "--self-test", "--lang", "en")
    assert english.returncode == 0, english.stdout + english.stderr
    assert "(Counter (F2), Preparation (F11), Catalogue (F3), History (F4))" in english.stdout
    assert english.stdout.splitlines()[-1] == "Self-test passed: 8 checks of 8"
    # nothing of the pharmacy's is touched: the only file written in HOME is the log
    written = [p.relative_to(tmp_path / "home") for p in (tmp_path / "home").rglob("*") if p.is_file()]
    assert written == [Path(".local/state/comptoir/log/comptoir.log")]

    sandbox = _run(copy, env, tmp_path, "sandbox", "serve")
    assert sandbox.returncode == 2 and "Service bac à sable non installé" in sandbox.stderr


def test_the_deb_and_the_tarball_hold_the_app(built):
    version = app.__version__
    (deb,) = (ROOT / "dist").glob(f"comptoir_{version}_*.deb")
    contents = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/comptoir/comptoir", "./usr/bin/comptoir -> /opt/comptoir/comptoir",
                 "./usr/share/applications/comptoir.desktop", "./usr/share/icons/hicolor/256x256/apps/comptoir.png",
                 "./usr/share/icons/hicolor/scalable/apps/comptoir.svg",
                 "./opt/comptoir/_internal/app/resources/bdpm/"):
        assert path in contents, path
    control = subprocess.run(["dpkg-deb", "--field", str(deb), "Package", "Version", "Depends"],
                             capture_output=True, text=True, check=True).stdout
    assert f"Package: comptoir\nVersion: {version}\n" in control and "libxcb-cursor0" in control

    (tarball,) = (ROOT / "dist").glob(f"comptoir-{version}-linux-*.tar.gz")
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
    assert {"comptoir/comptoir", "comptoir/_internal/app/resources/selftest/ordonnance-qr.png"} <= names
    assert os.access(ROOT / "dist" / "comptoir" / "comptoir", os.X_OK)
