"""The append-only tables against the ways around their refusal triggers (migration 0015_secfix), on
SQLite and PostgreSQL: INSERT OR REPLACE (SQLite deletes the old row without firing DELETE triggers),
session_replication_role = replica (PostgreSQL skips triggers not ENABLE ALWAYS), and a trigger
disabled or redefined under its own name, which ``verify`` names."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.storage.append_only import AUDIT_TABLES, ORDONNANCIER_TABLES, trigger_problems
from app.storage.db import open_database, transaction
from app.storage.ordonnancier import verify_chain
from app.storage.users import Team
from tests.ordonnancier.protect import record_delivery, workstation
from tests.team.conftest import light_hasher


def _pharmacy(url, tmp_path):
    engine, factory = open_database(url)
    a = workstation(tmp_path, "A")
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    team = Team(factory, a, hasher=light_hasher())
    team.create_first_titulaire("Marie Curie", "10000000009", "2580")
    yield engine, factory, a
    engine.dispose()


@pytest.fixture
def pharmacy(db_url, tmp_path):
    yield from _pharmacy(db_url, tmp_path)


@pytest.fixture
def on_sqlite(sqlite_url, tmp_path):
    yield from _pharmacy(sqlite_url, tmp_path)


@pytest.fixture
def on_postgresql(pg_url, tmp_path):
    yield from _pharmacy(pg_url, tmp_path)


def _verify(factory, protection):
    with factory() as session:
        return verify_chain(session, protection=protection)


def _problems(factory, tables):
    with factory() as session:
        return trigger_problems(session, set(tables))


def test_a_fresh_database_has_every_trigger_intact(pharmacy):
    _, factory, a = pharmacy
    assert _problems(factory, ORDONNANCIER_TABLES + AUDIT_TABLES) == []
    assert _verify(factory, a).ok


@pytest.mark.parametrize("table, key", [
    ("ordonnancier_entry", "number = 1"), ("ordonnancier_checkpoint", "seq = (SELECT MIN(seq) FROM x)"),
    ("ordonnancier_keying", "id = 1"), ("audit_entry", "seq = 1"), ("audit_keying", "id = 1"),
    ("team_user", "id = 1"),
])
def test_insert_or_replace_cannot_swap_a_row(pharmacy, table, key):
    """The row copied as it is and put back through REPLACE (SQLite) or an upsert (PostgreSQL): refused."""
    engine, _, _ = pharmacy
    if table == "team_user" and engine.dialect.name == "postgresql":
        return  # an upsert is an UPDATE there, which a user's row allows (its seal covers what matters)
    where = key.replace(" x)", f" {table})")
    with engine.begin() as conn:
        row = conn.execute(sa.text(f"SELECT * FROM {table} WHERE {where}")).mappings().one()
    columns = ", ".join(row)
    values = ", ".join(f":{c}" for c in row)
    if engine.dialect.name == "sqlite":
        statement = f"INSERT OR REPLACE INTO {table} ({columns}) VALUES ({values})"
    else:
        pk = where.split(" =")[0]
        statement = (f"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({pk}) "
                     f"DO UPDATE SET {pk} = EXCLUDED.{pk}")
    with pytest.raises(sa.exc.DBAPIError, match="non modifiable|ne peut pas|remplacée"), engine.begin() as conn:
        conn.execute(sa.text(statement), dict(row))


def test_replace_through_the_badge_cannot_delete_another_user(on_sqlite):
    """On SQLite, REPLACE deletes every row a new one collides with, on any unique column."""
    engine, _, _ = on_sqlite
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE team_user SET badge_hash = 'b' WHERE id = 1"))
        row = dict(conn.execute(sa.text("SELECT * FROM team_user WHERE id = 1")).mappings().one())
    row["id"] = None
    columns, values = ", ".join(row), ", ".join(f":{c}" for c in row)
    with pytest.raises(sa.exc.DBAPIError, match="remplacée"), engine.begin() as conn:
        conn.execute(sa.text(f"INSERT OR REPLACE INTO team_user ({columns}) VALUES ({values})"), row)


def test_replication_role_does_not_get_around_the_triggers(on_postgresql):
    engine, _, _ = on_postgresql
    for statement in ("DELETE FROM ordonnancier_entry", "UPDATE audit_entry SET action = 'x'",
                      "TRUNCATE ordonnancier_closing", "DELETE FROM team_user"):
        with pytest.raises(sa.exc.DBAPIError, match="non modifiable|supprimé|ne peut pas"), engine.begin() as conn:
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
            conn.execute(sa.text(statement))


def _redefine(conn) -> str:
    """Recreate one refusal trigger under its own name so that it no longer refuses anything."""
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text("DROP TRIGGER ordonnancier_no_delete"))
        conn.execute(sa.text("CREATE TRIGGER ordonnancier_no_delete BEFORE DELETE ON ordonnancier_entry "
                             "WHEN 0 BEGIN SELECT RAISE(ABORT, 'x'); END"))
        return "ordonnancier_no_delete modifié"
    conn.execute(sa.text("CREATE OR REPLACE FUNCTION ordonnancier_refuse() RETURNS trigger LANGUAGE plpgsql "
                         "AS $$ BEGIN RETURN OLD; END $$"))
    return "ordonnancier_no_change modifié"


def test_a_trigger_redefined_under_its_own_name_is_named_by_verify(pharmacy):
    engine, factory, a = pharmacy
    with engine.begin() as conn:
        expected = _redefine(conn)
    result = _verify(factory, a)
    assert not result.ok
    assert any(f.reason.startswith("la protection de la base contre la modification du registre a été retirée")
               and expected in f.reason for f in result.findings), result.findings


def test_a_trigger_back_to_plain_enable_is_named(on_postgresql):
    engine, factory, _ = on_postgresql
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_change"))
    assert _problems(factory, AUDIT_TABLES) == [
        "audit_entry_no_change désactivé en réplication (ENABLE ALWAYS attendu)"]
