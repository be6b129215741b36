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


# --- no error lost: the detail and traceback in the log, a bug reported, never a raw traceback ------


@pytest.fixture
def root_handlers():
    """The logging handlers an in-process command adds are removed afterwards."""
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture
def own_log(tmp_path, monkeypatch, root_handlers):
    """The log of an in-process command, in a folder of this test."""
    folder = tmp_path / "log"
    monkeypatch.setenv("COMPTOIR_LOG_DIR", str(folder))
    return folder / "comptoir.log"


def _failing_config_path(monkeypatch, exc: BaseException) -> None:
    import app.cli.config as config

    def fail(args):
        raise exc

    monkeypatch.setattr(config, "run_path", fail)


def test_a_refusal_is_one_french_line_and_its_detail_is_logged_with_the_traceback(own_log, monkeypatch, capsys):
    from app.domain.errors import ConfigurationError

    _failing_config_path(monkeypatch, ConfigurationError(
        "Réglage invalide : service.base_url",
        detail="parsed 'htp:/x' for NIR 1 85 05 78 006 084 91 with Authorization: Bearer abcdefgh12345678"))
    assert main(["config", "path"]) == 2
    assert capsys.readouterr().err == "comptoir: Réglage invalide : service.base_url\n"
    text = own_log.read_text("utf-8")
    assert " WARNING app.cli: comptoir config: ConfigurationError: parsed 'htp:/x'" in text
    assert "Traceback (most recent call last)" in text and "in fail" in text
    assert "006 084" not in text and "abcdefgh12345678" not in text
    assert "[NIR masqué]" in text and "Bearer [jeton masqué]" in text


def test_a_bug_is_one_french_line_naming_the_report_exit_70():
    code = ("import sys; import app.cli.config as c\n"
            "def bug(args):\n    return {}['token=zyxwvutsrq987654']\n"
            "c.run_path = bug\n"
            "from app.cli import main; sys.exit(main(['config', 'path']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    log_path = Path(os.environ["COMPTOIR_LOG_DIR"]) / "comptoir.log"
    assert result.returncode == 70
    assert result.stderr == (f"comptoir: erreur inattendue (KeyError) : la commande n'a pas abouti ; "
                             f"le rapport est dans {log_path}\n")
    text = log_path.read_text("utf-8")
    report = text[text.rindex("unexpected error in comptoir config"):]
    assert "Comptoir 0.1.0 — rapport d'erreur" in report and "Système : " in report
    assert "Où : comptoir config" in report
    assert "Traceback (most recent call last)" in report and "in bug" in report and "KeyError" in report
    assert "zyxwvutsrq987654" not in report and "token=[jeton masqué]" in report


def test_without_a_log_the_bug_report_goes_to_a_private_file(tmp_path, monkeypatch, capsys, root_handlers):
    import re
    import stat
    import tempfile

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("COMPTOIR_LOG_DIR", str(blocker / "log"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    _failing_config_path(monkeypatch, RuntimeError("boom"))
    assert main(["config", "path"]) == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err
    found = re.search(r"le rapport est dans (\S+comptoir-erreur-\S+\.txt)$", err.strip())
    assert found, err
    report = Path(found.group(1))
    assert report.parent == tmp_path and stat.S_IMODE(report.stat().st_mode) == 0o600
    assert "RuntimeError: boom" in report.read_text("utf-8")


def test_prescribe_says_the_prescription_exists_when_its_acknowledgement_is_unreadable(tmp_path, monkeypatch,
                                                                                      capsys, own_log):
    import contextlib

    import app.cli.prescribe as prescribe
    from app.domain.identifiers import OrdonnanceNumber

    monkeypatch.setattr(prescribe, "prescriber_client", lambda args: (contextlib.nullcontext(), "10000000009"))
    stored = {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "MedicationRequest", "id": "l1",
                                                                "dosageInstruction": {"text": "x"}}}]}
    monkeypatch.setattr(prescribe, "submit_file",
                        lambda *args, **kwargs: (OrdonnanceNumber("ABCDEFGH12"), stored))
    out = tmp_path / "ordonnance.pdf"
    assert main(["prescribe", str(tmp_path / "in.json"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("comptoir: Ordonnance ABCDEFGH12 créée dans le bac à sable, mais son accusé de "
                          "réception est illisible (Réponse du service illisible : ")
    assert "notez ce numéro ; aucun PDF écrit" in err and not out.exists()
