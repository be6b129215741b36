"""``comptoir --version`` and ``comptoir --self-test`` from the source tree; the frozen app runs the
same in tests/foundation/test_installer.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import app
from app.cli import main, selftest
from app.cli.selftest import BOX, QR_NUMBER, Outcome, Report

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_the_package_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"comptoir {app.__version__}\n"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" in project["dynamic"]  # the wheel's version is app.__version__ too


def _self_test(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPTOIR_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("QT_QPA_PLATFORM", None)  # the self-test goes offscreen by itself
    return subprocess.run([sys.executable, "-m", "app", "--self-test", *args], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path, env=env)


def test_the_self_test_passes_from_the_sources_in_english(tmp_path):
    result = _self_test(tmp_path, "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Comptoir {app.__version__} — self-test"
    checks = [line.split(":", 1)[0].split(None, 1) for line in lines[1:-1]]
    assert checks == [["OK", "Main window"], ["OK", "Counter screens"], ["OK", "Temporary database"], ["OK", "Catalogue"],
                      ["OK", "Prescription QR code"], ["OK", "GS1 DataMatrix of a box"],
                      ["OK", "Second decoder (pyzbar)"], ["OK", "Mentions PDF"]]
    assert "(Counter (F2), Preparation (F11), Catalogue (F3), History (F4))" in lines[2]
    assert f"{QR_NUMBER.grouped()} read (zxing-cpp)" in lines[5]
    assert f"CIP13 {BOX['cip13']}, expiry {BOX['expiry']}, lot {BOX['lot']}, serial {BOX['serial']}" in lines[6]
    assert lines[-1] == "Self-test passed: 8 checks of 8"
    assert not list(tmp_path.glob("comptoir-autotest-*"))  # its temporary folder is gone


def _report() -> tuple[Report, list[str]]:
    lines: list[str] = []
    return Report("fr", lines.append), lines


def test_a_wrong_read_is_a_failure_naming_what_was_read(monkeypatch):
    report, lines = _report()
    monkeypatch.setattr(selftest, "QR_NUMBER", type(QR_NUMBER).issue("AAAAAAAAAAAAAAAAAAA"))
    report.run("qr", lambda: selftest.check_qr(report))
    monkeypatch.setattr(selftest, "BOX", {**BOX, "lot": "AUTRE"})
    report.run("datamatrix", lambda: selftest.check_datamatrix(report))
    assert lines[0].startswith("ÉCHEC  QR code d'ordonnance : lu « ordonnance {'number': 'C0MPT01RAVT0TE5T0K1R'} »")
    assert lines[1].startswith("ÉCHEC  DataMatrix GS1 d'une boîte : lu « product ")
    assert "'lot': 'AUTOTEST1'" in lines[1] and "'lot': 'AUTRE'" in lines[1]
    assert report.exit_code() == 1 and lines[-1] == "Autotest en échec : 2 contrôle(s) sur 2"


def test_a_missing_image_or_an_unexpected_error_fails_its_check_only(monkeypatch):
    report, lines = _report()
    monkeypatch.setattr(selftest, "QR_IMAGE", ("selftest", "absent.png"))
    report.run("qr", lambda: selftest.check_qr(report))
    report.run("pdf", lambda: 1 / 0)
    report.run("datamatrix", lambda: selftest.check_datamatrix(report))
    assert lines[0].startswith("ÉCHEC  QR code d'ordonnance : Fichier introuvable : « ")
    assert lines[0].endswith("absent.png »")
    assert lines[1] == "ÉCHEC  PDF des mentions : erreur inattendue : ZeroDivisionError: division by zero"
    assert lines[2].startswith("OK     DataMatrix GS1 d'une boîte : CIP13 3400949497294")


def test_without_libzbar_the_second_decoder_is_absent_not_failed(monkeypatch):
    from app.scanning import decoders
    from app.scanning.errors import BackendUnavailable

    def no_zbar(self):
        raise BackendUnavailable("libzbar0 absente")

    monkeypatch.setattr(decoders.PyzbarDecoder, "__init__", no_zbar)
    report, lines = Report("en", []), []
    report.printer = lines.append
    report.add("window", Outcome(True, "shown"))
    report.run("pyzbar", lambda: selftest.check_pyzbar(report))
    assert lines[1] == "ABSENT Second decoder (pyzbar): libzbar missing: only zxing-cpp reads codes"
    assert report.exit_code() == 0 and lines[-1] == "Self-test passed: 1 checks of 2"


def test_a_database_behind_its_migrations_is_a_failure(tmp_path, monkeypatch):
    report, lines = _report()
    from app.storage import db

    monkeypatch.setattr(db, "migrate", lambda engine: None)  # opened but never migrated
    url = f"sqlite:///{tmp_path / 'behind.sqlite3'}"
    report.run("database", lambda: selftest.check_database(report, url))
    heads = sorted(re.search(r'^revision = "([^"]+)"', p.read_text(encoding="utf-8"), re.M).group(1)
                   for p in (ROOT / "app/storage/migrations/versions").glob("0*.py"))
    assert lines[0].startswith("ÉCHEC  Base de données temporaire : révision - au lieu de ")
    assert set(lines[0].rsplit("au lieu de ", 1)[1].split(", ")) <= set(heads)
