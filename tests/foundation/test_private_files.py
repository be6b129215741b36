"""What the app writes is its owner's alone: folders it creates 0700, files 0600 — settings, the
register's key and anchor file, the SQLite database, logs, exports, PDFs, reprint markers."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from app.config import Settings, save_settings
from app.domain.ordonnancier import new_key
from app.logs import setup_logging
from app.printing.reprints import mark_failed
from app.printing.text import write_pdf
from app.private_files import private_dir, write_private_text
from app.register_key_store import RegisterKeyStore
from app.storage.db import open_database
from app.storage.ordonnancier_anchors import AnchorFile

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _loose_umask():
    """A umask that lets everyone read (the common 022 even looser): the app must not rely on it."""
    old = os.umask(0o000)
    yield
    os.umask(old)


def test_private_dir_makes_every_missing_level_0700_and_leaves_existing_ones(tmp_path):
    os.chmod(tmp_path, 0o755)
    made = private_dir(tmp_path / "a" / "b" / "c")
    assert [_mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", made)] == [0o700] * 3
    assert _mode(tmp_path) == 0o755  # not ours to change


def test_settings_and_the_key_file(tmp_path):
    file = tmp_path / "config" / "settings.toml"
    file.parent.mkdir()
    file.write_text("", encoding="utf-8")
    os.chmod(file, 0o644)  # left wide by an earlier version
    save_settings(Settings(), file)
    assert _mode(file) == 0o600
    keys = RegisterKeyStore("file", tmp_path / "new" / "ordonnancier")
    key = new_key()
    from app.domain.ordonnancier import key_id

    keys.save(key_id(key), key)
    assert _mode(tmp_path / "new") == 0o700 and _mode(tmp_path / "new" / "ordonnancier") == 0o700
    assert all(_mode(p) == 0o600 for p in (tmp_path / "new" / "ordonnancier").iterdir())


def test_database_anchor_file_and_logs(tmp_path):
    db = tmp_path / "data" / "comptoir.sqlite3"
    engine, _ = open_database(f"sqlite:///{db}")
    engine.dispose()
    assert _mode(db.parent) == 0o700 and _mode(db) == 0o600
    os.chmod(db, 0o644)
    engine, _ = open_database(f"sqlite:///{db}")
    engine.dispose()
    assert _mode(db) == 0o600
    anchors = AnchorFile(tmp_path / "anchors" / "ancrage.jsonl")
    from datetime import date, datetime

    from app.domain.ordonnancier import Closing

    anchors.append("db", [Closing("k", date(2026, 11, 24), 1, "0" * 64, datetime(2026, 11, 24, 20), "A", "m")])
    assert _mode(anchors.path.parent) == 0o700 and _mode(anchors.path) == 0o600
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        log = setup_logging(directory=tmp_path / "logs" / "comptoir")
        logging.getLogger("test").warning("hello")
        assert _mode(tmp_path / "logs") == 0o700 and _mode(log.parent) == 0o700 and _mode(log) == 0o600
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def test_pdfs_exports_and_reprint_markers(tmp_path):
    pdf = tmp_path / "pdf" / "jour" / "copie.pdf"
    write_pdf(lambda out: out.write(b"%PDF-1.4\n"), pdf)
    assert _mode(pdf.parent.parent) == 0o700 and _mode(pdf) == 0o600
    mark_failed(pdf, "imprimante éteinte")
    assert all(_mode(p) == 0o600 for p in pdf.parent.iterdir())
    text = tmp_path / "t.txt"
    text.write_text("x", encoding="utf-8")
    os.chmod(text, 0o666)
    write_private_text(text, "y")
    assert _mode(text) == 0o600


def test_the_register_export_of_the_command_line(tmp_path, monkeypatch, capsys):
    from app.cli import main

    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    engine, _ = open_database(db)
    engine.dispose()
    out = tmp_path / "exports" / "registre.csv"
    assert main(["--db", db, "ordonnancier", "export", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--csv", str(out)]) == 0
    assert _mode(out.parent) == 0o700 and _mode(out) == 0o600
