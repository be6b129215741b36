"""The attacks of issue 13 (point 15), each by someone with full access to the database but not to the
key, on SQLite and PostgreSQL: each one verified as « intègre » before the register was keyed and
anchored. Each must now be named: the entry, its date, what is wrong."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from app.cli import main
from app.domain.ordonnancier import key_id, new_key, seal
from app.storage.db import open_database, transaction
from app.storage.keyed_chain import RegisterTampered
from app.storage.ordonnancier import verify_chain
from app.storage.ordonnancier_read import iter_entries, read_keying
from tests.ordonnancier.protect import Clock, as_cli, record_delivery, tamper, workstation


@pytest.fixture
def pharmacy(db_url, tmp_path):
    """Two days of deliveries at workstation A: n° 1-4 on the 24th (closed on the 25th), n° 5-8 on the 25th."""
    engine, factory = open_database(db_url)
    clock = Clock().at(24)
    a = workstation(tmp_path, "A", clock)
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    clock.at(25)
    with transaction(factory) as session:
        record_delivery(session, 2, a)  # the first write of the 25th closes the 24th
    yield engine, factory, a
    engine.dispose()


def _verify(factory, protection, **kwargs):
    with factory() as session:
        return verify_chain(session, protection=protection, **kwargs)


def test_the_pharmacy_verifies_intact_against_every_witness(pharmacy):
    _, factory, a = pharmacy
    result = _verify(factory, a)
    assert result.ok and result.checked == 8, result.message()
    assert "1 clôture(s) journalière(s) dans la base" in result.notes
    assert "2 délivrance(s) archivée(s)" in result.notes and "2 délivrance(s) de la file d'envoi" in result.notes


def test_deleting_the_last_entries_with_their_checkpoints_is_named_by_the_archive(pharmacy):
    engine, factory, a = pharmacy
    tamper(engine, "DELETE FROM ordonnancier_entry WHERE number > 6",
           "DELETE FROM ordonnancier_checkpoint WHERE number > 6")
    result = _verify(factory, a)
    assert (result.ok, result.broken_number, result.checked) == (False, 7, 6)
    assert result.reason.startswith("absente du registre, alors que la délivrance de l'ordonnance")
    assert "(archive des délivrances) l'a reçue" in result.reason
    assert result.message().startswith("Ordonnancier altéré : écriture n° 7 du 25/11/2026 — absente du registre")
    assert any("file d'envoi" in f.reason for f in result.findings if f.number == 7)


def test_deleting_a_closed_tail_everywhere_in_the_database_is_named_by_the_anchor_file(pharmacy):
    """Entries, checkpoints, closings, archive and outbox of the 24th's last delivery gone: the anchor
    file of the workstation, outside the database, still has that day's head."""
    engine, factory, a = pharmacy
    tamper(engine, "DELETE FROM ordonnancier_entry", "DELETE FROM ordonnancier_checkpoint",
           "DELETE FROM ordonnancier_closing", "DELETE FROM delivery_archive", "DELETE FROM counter_outbox")
    result = _verify(factory, a)
    assert (result.ok, result.broken_number) == (False, 1)
    first = result.findings[0].reason
    assert "n° 1 à 4 manquante(s)" in first and "clôture du 24/11/2026, fichier d'ancrage" in first


def test_an_entry_edited_and_resealed_with_the_projects_own_seal_is_named(pharmacy):
    engine, factory, a = pharmacy
    with factory() as session:
        last = list(iter_entries(session))[-1]
    forged = seal(dataclasses.replace(last, quantity=last.quantity + 5, hash=""), None)
    tamper(engine, f"UPDATE ordonnancier_entry SET quantity = {forged.quantity}, hash = '{forged.hash}' "
                   f"WHERE number = {last.number}",
           f"UPDATE ordonnancier_checkpoint SET hash = '{forged.hash}' WHERE number = {last.number}")
    result = _verify(factory, a)
    assert (result.broken_number, result.checked) == (8, 7)
    assert result.reason == "le contenu a été modifié après son inscription (sceau invalide)"


def test_emptying_the_register_is_named_even_without_archive_outbox_or_closing(db_url, tmp_path):
    """The worst case: same day (no closing yet), and archive and outbox emptied too. The switch to
    the key was sealed by the first keyed write: the register had at least that entry."""
    engine, factory = open_database(db_url)
    a = workstation(tmp_path, "A")
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    tamper(engine, "DELETE FROM ordonnancier_entry", "DELETE FROM ordonnancier_checkpoint",
           "DELETE FROM delivery_archive", "DELETE FROM counter_outbox")
    result = _verify(factory, a)
    engine.dispose()
    assert (result.ok, result.checked, result.broken_number) == (False, 0, 1)
    assert "n° 1 manquante(s)" in result.reason and "passage à la clé du 24/11/2026" in result.reason


def test_emptying_the_register_is_named_by_the_archive_the_same_day(pharmacy):
    engine, factory, a = pharmacy
    tamper(engine, "DELETE FROM ordonnancier_entry", "DELETE FROM ordonnancier_checkpoint")
    result = _verify(factory, a)
    assert (result.ok, result.broken_number) == (False, 1)
    assert "manquante(s)" in result.reason


def test_dropping_the_checkpoint_table_is_named_as_such(pharmacy, capsys, monkeypatch):
    engine, _, a = pharmacy
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE ordonnancier_checkpoint"))
    as_cli(monkeypatch, a)
    url = engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "ordonnancier", "verify"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Ordonnancier altéré : la table des points de contrôle (ordonnancier_checkpoint) "
                          "a été supprimée de la base.")
    assert "inaccessible" not in err and "Traceback" not in err


def test_an_intruder_cannot_drop_the_switch_to_the_key(pharmacy):
    engine, factory, a = pharmacy
    tamper(engine, "DELETE FROM ordonnancier_keying")
    result = _verify(factory, a)
    assert (result.ok, result.broken_number) == (False, None)  # named first, before the entries it affects
    assert result.reason.startswith("le point de départ de la clé (table ordonnancier_keying, migration 0007) "
                                    "a été effacé")


@pytest.mark.parametrize("table, column", [("ordonnancier_entry", "hash"), ("ordonnancier_closing", "mac")])
def test_a_dropped_column_is_named_not_an_unreadable_database(pharmacy, table, column):
    engine, factory, a = pharmacy
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":  # SQLite refuses to drop a column a trigger names
            for name in conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                             f"AND tbl_name = '{table}'")).scalars().all():
                conn.execute(sa.text(f'DROP TRIGGER "{name}"'))
        conn.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    result = _verify(factory, a)
    assert (result.ok, result.broken_number) == (False, None)
    assert result.reason.startswith("la table ") and f"({table}) a été modifiée : colonne(s) {column} supprimée(s)" \
        in result.reason


def test_disabled_triggers_are_named(pharmacy):
    engine, factory, a = pharmacy
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(sa.text("DROP TRIGGER ordonnancier_closing_no_delete"))
        else:
            conn.execute(sa.text("ALTER TABLE ordonnancier_closing DISABLE TRIGGER ordonnancier_closing_no_change"))
    result = _verify(factory, a)
    expected = "ordonnancier_closing_no_delete" if engine.dialect.name == "sqlite" else "ordonnancier_closing_no_change"
    assert (result.ok, result.broken_number) == (False, None)
    assert result.reason.startswith("la protection de la base contre la modification du registre a été retirée")
    assert expected in result.reason


@pytest.mark.parametrize("statement", [
    "UPDATE ordonnancier_keying SET legacy_last = 3",
    "UPDATE ordonnancier_keying SET key_id = 'ffffffffffffffff'",
    "DELETE FROM ordonnancier_keying",
    "UPDATE ordonnancier_closing SET number = 1",
    "DELETE FROM ordonnancier_closing",
])
def test_the_switch_and_the_closings_refuse_update_and_delete(pharmacy, statement):
    engine, _, _ = pharmacy
    with pytest.raises(sa.exc.DBAPIError, match="non modifiable"), engine.begin() as conn:
        conn.execute(sa.text(statement))


def test_a_register_resealed_with_the_intruders_own_key_is_named_not_an_import_request(pharmacy):
    """The intruder makes a key of their own, reseals the switch and every entry with it, and points
    the database at it: the workstation that sealed the register knows its key, from its anchor file."""
    engine, factory, a = pharmacy
    with factory() as session:
        start, entries = read_keying(session), list(iter_entries(session))
    theirs = new_key()
    forged = dataclasses.replace(start, key_id=key_id(theirs))
    statements = [f"UPDATE ordonnancier_keying SET key_id = '{forged.key_id}', "
                  f"mac = '{forged.compute_mac(theirs)}'"]
    prev = start.legacy_head
    for entry in entries:
        entry = seal(dataclasses.replace(entry, prev_hash=prev, quantity=entry.quantity + 1, hash=""), theirs)
        statements.append(f"UPDATE ordonnancier_entry SET quantity = {entry.quantity}, prev_hash = '{prev}', "
                          f"hash = '{entry.hash}' WHERE number = {entry.number}")
        prev = entry.hash
    tamper(engine, *statements, "DELETE FROM ordonnancier_checkpoint", "DELETE FROM ordonnancier_closing")
    result = _verify(factory, a)
    assert (result.ok, result.broken_number) == (False, None)
    assert result.reason.startswith(f"la base désigne la clé {forged.key_id}, alors que ce poste a scellé ou "
                                    f"clôturé ce registre avec la clé {start.key_id}, qu'il détient")
    with pytest.raises(RegisterTampered, match="rescellé sans la clé de la pharmacie"), \
            transaction(factory) as session:
        record_delivery(session, 3, a)
