"""The register's key: created at the first keyed write, kept outside the database (keyring or a 0600
file), carried to the pharmacy's other workstations by ``key export`` / ``key import``; a workstation
without it can neither write nor verify, and says where to get it."""

from __future__ import annotations

import io
import stat
import sys

import pytest
import sqlalchemy as sa

from app.cli import main
from app.domain.ordonnancier import key_id, key_to_text, new_key
from app.register_key_store import RegisterKeyStore
from app.storage.db import open_database, transaction
from app.storage.keyed_chain import RegisterKeyMissing
from app.storage.ordonnancier import append_correction, verify_chain
from app.storage.ordonnancier_read import read_keying
from tests.foundation.test_config_cli import memory_keyring, no_keyring  # noqa: F401  (fixtures)
from tests.ordonnancier.protect import Clock, as_cli, record_delivery, workstation


@pytest.fixture
def shared(db_url, tmp_path):
    """One database shared by workstations A and B; A has recorded a delivery (and so holds the key)."""
    engine, factory = open_database(db_url)
    clock = Clock()
    a, b = workstation(tmp_path, "PHARMA-A", clock), workstation(tmp_path, "PHARMA-B", clock)
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    yield engine, factory, a, b
    engine.dispose()


def test_the_first_write_creates_the_key_on_that_workstation_only(shared):
    engine, factory, a, b = shared
    with factory() as session:
        start = read_keying(session)
    assert start.sealed and start.workstation == "PHARMA-A" and start.legacy_last == 0
    key_file = a.keys.directory / f"{start.key_id}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(a.keys.directory.stat().st_mode) == 0o700
    key = a.keys.load(start.key_id)
    assert key_id(key) == start.key_id and b.keys.load(start.key_id) is None
    with engine.connect() as conn:  # nothing in the database could rebuild it
        dumped = " ".join(str(v) for row in conn.execute(sa.text("SELECT * FROM ordonnancier_keying")) for v in row)
    assert key.hex() not in dumped and key_to_text(key).split(":")[2] not in dumped


def test_a_workstation_without_the_key_can_neither_write_nor_verify(shared):
    _, factory, _, b = shared
    expected = "Clé du registre absente : importez-la depuis le poste « PHARMA-A »"
    with pytest.raises(RegisterKeyMissing, match=expected), transaction(factory) as session:
        record_delivery(session, 2, b)
    with pytest.raises(RegisterKeyMissing, match=expected), transaction(factory) as session:
        append_correction(session, 1, reason="erreur", pharmacist_name="P", protection=b)
    with pytest.raises(RegisterKeyMissing, match="comptoir ordonnancier key import"), factory() as session:
        verify_chain(session, protection=b)
    with factory() as session:  # nothing was written by B
        assert verify_chain(session, protection=shared[2]).checked == 4


def test_export_then_import_gives_the_other_workstation_the_key(shared, monkeypatch, capsys):
    engine, factory, a, b = shared
    url = engine.url.render_as_string(hide_password=False)
    as_cli(monkeypatch, b)
    assert main(["--db", url, "ordonnancier", "verify"]) == 2
    assert "Clé du registre absente : importez-la depuis le poste « PHARMA-A »" in capsys.readouterr().err
    as_cli(monkeypatch, a)
    assert main(["--db", url, "ordonnancier", "key", "export"]) == 0
    out = capsys.readouterr()
    text = out.out.strip()
    assert text.startswith("comptoir-ordonnancier-cle-v1:") and "importez-la sur chaque poste" in out.err
    as_cli(monkeypatch, b)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text + "\n"))
    assert main(["--db", url, "ordonnancier", "key", "import"]) == 0
    assert "Clé du registre enregistrée sur ce poste : fichier" in capsys.readouterr().out
    with transaction(factory) as session:
        record_delivery(session, 2, b)
    with factory() as session:
        assert verify_chain(session, protection=b).ok and verify_chain(session, protection=a).ok


def test_import_refuses_another_key_and_garbage(shared, monkeypatch, capsys):
    engine, _, _, b = shared
    url = engine.url.render_as_string(hide_password=False)
    as_cli(monkeypatch, b)
    other = new_key()
    monkeypatch.setattr(sys, "stdin", io.StringIO(key_to_text(other)))
    assert main(["--db", url, "ordonnancier", "key", "import"]) == 2
    assert f"Cette clé ({key_id(other)}) n'est pas celle du registre de cette base" in capsys.readouterr().err
    assert not (b.keys.directory / f"{key_id(other)}.key").exists()
    monkeypatch.setattr(sys, "stdin", io.StringIO("comptoir-ordonnancier-cle-v1:abc:zz"))
    assert main(["--db", url, "ordonnancier", "key", "import"]) == 2
    assert "Clé du registre invalide : texte tronqué ou modifié" in capsys.readouterr().err


def test_export_before_any_keyed_write_says_when_the_key_comes(db_url, monkeypatch, capsys, tmp_path):
    engine, _ = open_database(db_url)
    as_cli(monkeypatch, workstation(tmp_path, "A"))
    assert main(["--db", engine.url.render_as_string(hide_password=False), "ordonnancier", "key", "export"]) == 2
    assert "pas encore de clé : elle est créée à la première délivrance inscrite" in capsys.readouterr().err
    engine.dispose()


def test_where_a_keyring_works_the_key_goes_there_not_to_a_file(memory_keyring, tmp_path):  # noqa: F811
    store, key = RegisterKeyStore("auto", tmp_path / "keys"), new_key()
    assert store.save(key_id(key), key).startswith("trousseau du système (entrée comptoir/ordonnancier-")
    assert list(memory_keyring.secrets) == [("comptoir", f"ordonnancier-{key_id(key)}")]
    assert store.load(key_id(key)) == key and not (tmp_path / "keys").exists()
    assert RegisterKeyStore("file", tmp_path / "keys").load(key_id(key)) is None


def test_without_a_keyring_auto_falls_back_to_a_private_file_and_keyring_mode_refuses(no_keyring, tmp_path):  # noqa: F811
    key = new_key()
    assert RegisterKeyStore("auto", tmp_path / "k").save(key_id(key), key).startswith("fichier ")
    assert RegisterKeyStore("auto", tmp_path / "k").load(key_id(key)) == key
    with pytest.raises(Exception, match="Aucun trousseau système"):
        RegisterKeyStore("keyring", tmp_path / "k2").save(key_id(key), key)


def test_a_key_id_from_the_database_never_reaches_a_path(tmp_path):
    store = RegisterKeyStore("file", tmp_path / "keys")
    assert store.load("../../etc/passwd") is None and store.load("") is None


def test_a_sealing_killed_between_the_anchor_file_and_the_database_is_finished_with_its_key(db_url, tmp_path):
    """The first keyed write appends the sealing to the anchor file, then the database commits it: a
    kill -9 (or a rollback) in between leaves the anchor naming a key the database never got. The next
    write finishes that sealing with the same key and record, so verify finds the register intact
    (a new key there read as a reset register: found by the fault-injection run)."""
    engine, factory = open_database(db_url)
    a = workstation(tmp_path, "PHARMA-A", Clock())
    session = factory()
    try:
        record_delivery(session, 1, a)  # sealed in this transaction, anchored at once ...
        session.rollback()  # ... and lost by the database, as in a crash before the commit
    finally:
        session.close()
    with factory() as session:
        assert not read_keying(session).sealed
    anchored = [line.record for line in a.anchors.read().lines]
    assert len(anchored) == 1
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    with factory() as session:
        start = read_keying(session)
        verified = verify_chain(session, protection=a)
    assert start.key_id == anchored[0].key_id and start.mac == anchored[0].mac
    assert len(a.anchors.read().lines) == 1  # nothing appended twice
    assert verified.ok, verified.findings
    engine.dispose()
