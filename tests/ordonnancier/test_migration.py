"""A register written before the key (migration 0007): it keeps verifying, its first keyed write seals
the switch, and its unkeyed part can no longer be rewritten afterwards; on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

from alembic import command

from app.domain.ordonnancier import GENESIS_HASH, seal
from app.storage.db import alembic_config, make_engine, migrate, session_factory, transaction
from app.storage.ordonnancier import verify_chain
from app.storage.ordonnancier_read import iter_entries, read_keying
from tests.ordonnancier.protect import Clock, record_delivery, tamper, workstation
from tests.ordonnancier.test_storage import _delivery, write_unkeyed


def test_an_unkeyed_register_is_migrated_sealed_and_protected(db_url, tmp_path):
    engine = make_engine(db_url)
    try:
        command.upgrade(alembic_config(engine), "0006")
        old = write_unkeyed(engine, [_delivery(1), _delivery(2)])  # n° 1-8, plain SHA-256
        migrate(engine)
        factory = session_factory(engine)
        a = workstation(tmp_path, "A", Clock().at(24))
        with factory() as session:
            start = read_keying(session)
            assert (start.legacy_last, start.legacy_head, start.sealed) == (8, old[-1].hash, False)
            result = verify_chain(session, protection=workstation(tmp_path, "sans-cle"))
        assert result.ok and result.checked == 8  # no key needed before the first keyed write

        with transaction(factory) as session:
            record_delivery(session, 3, a)  # n° 9-12: seals the switch with a new key
        with factory() as session:
            start = read_keying(session)
            entries = list(iter_entries(session))
            assert verify_chain(session, protection=a).ok
        key = a.keys.load(start.key_id)
        assert start.sealed and start.legacy_last == 8 and start.workstation == "A"
        assert [e.hash == e.compute_hash(None) for e in entries] == [True] * 8 + [False] * 4
        assert all(e.hash == e.compute_hash(key) for e in entries[8:]) and entries[8].prev_hash == old[-1].hash

        # The unkeyed part rewritten and resealed by an intruder: it chains, but no longer meets the switch.
        statements, prev = [], GENESIS_HASH
        for entry in entries[:8]:
            forged = seal(dataclasses.replace(entry, patient_name="AUTRE Patient", prev_hash=prev, hash=""), None)
            statements.append(f"UPDATE ordonnancier_entry SET patient_name = 'AUTRE Patient', prev_hash = '{prev}', "
                              f"hash = '{forged.hash}' WHERE number = {entry.number}")
            prev = forged.hash
        tamper(engine, *statements)
        with factory() as session:
            result = verify_chain(session, protection=a)
        assert (result.ok, result.broken_number, result.checked) == (False, 8, 7)
        assert "les écritures scellées sans clé (n° 1 à 8) ont été réécrites" in result.reason
    finally:
        engine.dispose()


def test_a_new_register_starts_keyed_from_its_first_entry(db_url, tmp_path):
    engine = make_engine(db_url)
    try:
        migrate(engine)
        factory = session_factory(engine)
        with factory() as session:
            start = read_keying(session)
        assert (start.legacy_last, start.legacy_head, start.sealed) == (0, GENESIS_HASH, False)
        a = workstation(tmp_path, "A")
        with transaction(factory) as session:
            record_delivery(session, 1, a)
        with factory() as session:
            first = next(iter_entries(session))
            key = a.keys.load(read_keying(session).key_id)
        assert first.hash == first.compute_hash(key) != first.compute_hash(None)
    finally:
        engine.dispose()


def test_0007_downgrades_and_upgrades_again(db_url):
    import sqlalchemy as sa

    engine = make_engine(db_url)
    try:
        migrate(engine)
        command.downgrade(alembic_config(engine), "0006")
        names = sa.inspect(engine).get_table_names()
        assert "ordonnancier_keying" not in names and "ordonnancier_closing" not in names
        assert "ordonnancier_checkpoint" in names
        migrate(engine)
        assert {"ordonnancier_keying", "ordonnancier_closing"} <= set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
