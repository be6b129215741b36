"""Deleting the last entries of the register is detected (migration 0006's checkpoints), on SQLite
and PostgreSQL, and the checkpoints themselves refuse UPDATE and DELETE like the register."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from app.cli import main
from app.storage.db import alembic_config, make_engine, migrate, open_database, session_factory, transaction
from app.storage.ordonnancier import append_correction, verify_chain
from tests.ordonnancier.test_storage import _behind_the_triggers, _delivery, record, write_unkeyed


@pytest.fixture
def db(db_url):
    engine, factory = open_database(db_url)
    with transaction(factory) as session:
        record(session, _delivery(1))  # entries 1-4
        record(session, _delivery(2))  # entries 5-8
    yield engine, factory, db_url
    engine.dispose()


def test_intact_register_with_a_correction_verifies(db):
    _, factory, _ = db
    with transaction(factory) as session:
        append_correction(session, 8, reason="boîte rendue", pharmacist_name="P", quantity=0)
    with factory() as session:
        result = verify_chain(session)
    assert result.ok and result.checked == 9


def test_last_entries_deleted_behind_the_triggers_are_missing(db):
    engine, factory, _ = db
    _behind_the_triggers(engine, "DELETE FROM ordonnancier_entry WHERE number > 6")
    with factory() as session:
        result = verify_chain(session)
    assert (result.ok, result.checked, result.broken_number) == (False, 6, 7)
    assert "n° 7 à 8 manquante(s)" in result.message()


def test_an_emptied_register_is_not_intact(db, capsys):
    engine, _, url = db
    _behind_the_triggers(engine, "DELETE FROM ordonnancier_entry")
    assert main(["--db", url, "ordonnancier", "verify"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Ordonnancier altéré : écriture n° 1") and "n° 1 à 8 manquante(s)" in err


def test_a_deleted_tail_written_again_is_detected(db):
    engine, factory, _ = db
    _behind_the_triggers(engine, "DELETE FROM ordonnancier_entry WHERE number > 4")
    with transaction(factory) as session:
        record(session, _delivery(3))  # a new 5-8, validly chained to entry 4
    with factory() as session:
        result = verify_chain(session)
    # The old head (n° 8) was checkpointed: the new entry n° 8 is not the one written then.
    assert (result.ok, result.broken_number) == (False, 8)
    assert "point de contrôle" in result.reason


@pytest.mark.parametrize("statement", ["UPDATE ordonnancier_checkpoint SET number = 1",
                                       "DELETE FROM ordonnancier_checkpoint"])
def test_checkpoints_refuse_update_and_delete(db, statement):
    engine, _, _ = db
    with pytest.raises(sa.exc.DBAPIError, match="non modifiable"), engine.begin() as conn:
        conn.execute(sa.text(statement))


def test_a_register_written_before_0006_gets_its_head_as_first_checkpoint(db_url):
    engine = make_engine(db_url)
    command.upgrade(alembic_config(engine), "0005")
    write_unkeyed(engine, [_delivery(1)])
    migrate(engine)
    factory = session_factory(engine)
    with factory() as session:
        assert verify_chain(session).ok
    _behind_the_triggers(engine, "DELETE FROM ordonnancier_entry WHERE number = 4")
    with factory() as session:
        assert "n° 4 manquante(s)" in verify_chain(session).message()
    engine.dispose()
