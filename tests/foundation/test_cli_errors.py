"""Errors a pharmacist can cause from the command line end as one French line, never a traceback."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.domain.errors import StorageError
from app.storage.db import make_engine, open_database, safe_url


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *argv], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("url", "reason"), [
    ("sqlite:////proc/comptoir-absent/x.db", "dossier introuvable"),
    ("mysql://pharma:s3cret@db.local/comptoir", "pilote « mysql » non installé"),
    ("nosuchdialect://x/y", "pilote « nosuchdialect » non installé"),
    ("pas une adresse", "adresse de base de données invalide"),
])
def test_unusable_url_is_a_storage_error_without_password(url, reason):
    with pytest.raises(StorageError) as caught:
        make_engine(url)
    assert str(caught.value).startswith("Base de données inaccessible : ")
    assert reason in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_unwritable_data_dir_is_a_storage_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("COMPTOIR_DATA_DIR", str(blocker / "sub"))
    assert main(["catalogue", "find", "doliprane"]) == 2


def test_refused_connection_names_the_server_without_password():
    with pytest.raises(StorageError) as caught:
        open_database("postgresql://pharma:s3cret@127.0.0.1:1/comptoir")
    text = str(caught.value)
    assert "127.0.0.1:1" in text and "s3cret" not in text and "connexion impossible" in text


def test_safe_url_hides_the_password_even_unparsed():
    assert safe_url("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    assert "pw" not in safe_url("post gres://u:pw@h/db")


@pytest.mark.parametrize("argv", [
    ["--db", "sqlite:////proc/comptoir-absent/x.db", "catalogue", "find", "x"],
    ["--db", "mysql://u:s3cret@h/y", "ordonnancier", "verify"],
    ["--db", "postgresql://u:s3cret@127.0.0.1:1/x", "ordonnancier", "verify"],
])
def test_cli_prints_one_french_line(argv):
    result = _run(*argv)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "s3cret" not in result.stderr
    assert result.stderr.startswith("comptoir: Base de données inaccessible : ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_every_command_logs_to_the_file_not_the_terminal():
    code = ("import logging, sys; import app.cli.config as c\n"
            "c.run_path = lambda a: logging.getLogger('app.test').warning('english warning') or 0\n"
            "from app.cli import main; sys.exit(main(['config', 'path']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "english warning" not in result.stderr
    text = (Path(os.environ["COMPTOIR_LOG_DIR"]) / "comptoir.log").read_text("utf-8")
    assert "english warning" in text


def test_unwritable_log_dir_does_not_stop_the_command(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("COMPTOIR_LOG_DIR", str(blocker / "log"))
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert main(["config", "path"]) == 0
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
    captured = capsys.readouterr()
    assert "journal non écrit" in captured.err and "settings.toml" in captured.out


def test_register_commands_do_not_create_a_database_at_a_mistyped_path(tmp_path):
    import subprocess
    import sys

    missing = tmp_path / "typo" / "comptoir.sqlite3"
    for command in (["ordonnancier", "verify"], ["outbox"]):
        result = subprocess.run([sys.executable, "-m", "app", "--db", f"sqlite:///{missing}", *command],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode != 0, command
        assert "Base de données introuvable" in result.stderr and "Traceback" not in result.stderr
    assert not missing.exists() and not missing.parent.exists()
