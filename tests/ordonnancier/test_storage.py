"""The ordonnancier and the archive on a real database, SQLite and PostgreSQL (``db_url``)."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from app.domain.errors import StorageError
from app.domain.ordonnancier import GENESIS_HASH, entries_for_delivery
from app.printing.specimen import specimen_delivery
from app.storage.db import open_database, session_factory, transaction
from app.storage.delivery_archive import (
    DeliveryNotFound,
    archive_delivery,
    find_deliveries,
    load_delivery,
    load_prescription,
)
from app.storage.ordonnancier import (
    CorrectionRefused,
    append_correction,
    append_delivery,
    verify_chain,
    with_numbers,
)
from app.storage.ordonnancier_read import entries_between


@pytest.fixture
def db(db_url):
    engine, factory = open_database(db_url)
    yield engine, factory
    engine.dispose()


def record(session, delivery):
    """As the counter records: the register's entries and the archived delivery, in one transaction."""
    registered = append_delivery(session, delivery)
    archive_delivery(session, registered)
    return registered


def write_unkeyed(engine, deliveries) -> list:
    """A register as the versions before the key wrote it (SHA-256 chain, deliveries archived), written
    straight into a database migrated to an earlier revision; returns its entries."""
    written, prev = [], GENESIS_HASH
    with transaction(session_factory(engine)) as session:
        for delivery in deliveries:
            entries = entries_for_delivery(delivery, first_number=len(written) + 1, prev_hash=prev,
                                           recorded_at=datetime(2026, 11, 20, 9), key=None)
            # the columns of that time only (0011's list class and bearer are empty on such entries)
            table = sa.Table("ordonnancier_entry", sa.MetaData(), autoload_with=session.connection())
            session.execute(sa.insert(table), [{c.name: getattr(e, c.name) for c in table.columns} for e in entries])
            archive_delivery(session, with_numbers(delivery, entries))
            written += entries
            prev = entries[-1].hash
    return written


def _delivery(n: int, lines: int = 5, day: int = 26):
    base = specimen_delivery(lines)
    return dataclasses.replace(base, delivery_id=f"D{n:04d}",
                               handed_over_at=datetime(2026, 11, day, 10, n % 60))


def test_numbers_are_sequential_across_deliveries(db):
    _, factory = db
    with transaction(factory) as session:
        first = record(session, _delivery(1))
    with transaction(factory) as session:
        second = record(session, _delivery(2, lines=2))
    assert [line.ordonnancier_numbers for line in first.lines] == [(1,), (2,), (), (3,), (4,)]
    assert [line.ordonnancier_numbers for line in second.lines] == [(5,), (6,)]
    with factory() as session:
        assert verify_chain(session).ok and verify_chain(session).checked == 6


def test_a_rolled_back_delivery_leaves_no_gap(db):
    _, factory = db
    with pytest.raises(RuntimeError), transaction(factory) as session:
        record(session, _delivery(1))
        raise RuntimeError("payment failed")
    with transaction(factory) as session:
        again = record(session, _delivery(1))
    assert again.lines[0].ordonnancier_numbers == (1,)


def test_registering_the_same_delivery_twice_is_refused(db):
    _, factory = db
    with transaction(factory) as session:
        record(session, _delivery(1))
    with pytest.raises(StorageError, match="déjà inscrite"), transaction(factory) as session:
        record(session, _delivery(1))


@pytest.mark.parametrize("statement", ["UPDATE ordonnancier_entry SET quantity = 9 WHERE number = 1",
                                       "DELETE FROM ordonnancier_entry WHERE number = 2",
                                       "DELETE FROM ordonnancier_entry"])
def test_the_database_refuses_updates_and_deletes(db, statement):
    engine, factory = db
    with transaction(factory) as session:
        record(session, _delivery(1))
    with pytest.raises(sa.exc.DBAPIError, match="écriture non modifiable"), engine.begin() as conn:
        conn.execute(sa.text(statement))
    with factory() as session:
        assert verify_chain(session).checked == 4


def test_correction_is_a_new_entry_referencing_the_old(db):
    _, factory = db
    with transaction(factory) as session:
        record(session, _delivery(1))
    with transaction(factory) as session:
        number = append_correction(session, 2, reason="une boîte rendue", pharmacist_name="Paul Roux",
                                   quantity=0)
    assert number == 5
    with factory() as session:
        entries = entries_between(session, date(2026, 11, 26), date(2026, 11, 26))
        assert verify_chain(session).ok
    original, correction = entries[1], entries[4]
    assert original.quantity == 1 and original.corrects is None
    assert (correction.corrects, correction.quantity, correction.reason) == (2, 0, "une boîte rendue")
    assert correction.cip13 == original.cip13 and correction.pharmacist_name == "Paul Roux"


@pytest.mark.parametrize("kwargs, message", [
    ({"original_number": 99, "reason": "x"}, "n'existe pas"),
    ({"original_number": 1, "reason": "  "}, "motif"),
    ({"original_number": 1, "reason": "x", "quantity": -1}, "négative"),
])
def test_bad_corrections_are_refused(db, kwargs, message):
    _, factory = db
    with transaction(factory) as session:
        record(session, _delivery(1))
    with pytest.raises(CorrectionRefused, match=message), transaction(factory) as session:
        append_correction(session, pharmacist_name="P", **kwargs)


def _behind_the_triggers(engine, statement: str) -> None:
    """Edit the register as an intruder would: with the refusal triggers out of the way."""
    from tests.ordonnancier.protect import pg_triggers_aside  # protect imports this module

    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(sa.text("DROP TRIGGER ordonnancier_no_update"))
            conn.execute(sa.text("DROP TRIGGER ordonnancier_no_delete"))
        for each in pg_triggers_aside(conn, [statement]):
            conn.execute(sa.text(each))


def test_verify_names_an_entry_edited_behind_the_triggers(db):
    engine, factory = db
    with transaction(factory) as session:
        record(session, _delivery(1))
        record(session, _delivery(2))
    _behind_the_triggers(engine, "UPDATE ordonnancier_entry SET quantity = 12 WHERE number = 6")
    with factory() as session:
        result = verify_chain(session)
    assert (result.ok, result.broken_number, result.checked) == (False, 6, 5)
    assert "écriture n° 6" in result.message()


def test_verify_names_a_deleted_entry(db):
    engine, factory = db
    with transaction(factory) as session:
        record(session, _delivery(1))
    _behind_the_triggers(engine, "DELETE FROM ordonnancier_entry WHERE number = 3")
    with factory() as session:
        result = verify_chain(session)
    assert (result.ok, result.broken_number) == (False, 3)


def test_concurrent_workstations_never_share_a_number(db):
    """Two counters registering at the same time on one database: numbers 1..N, chain intact."""
    _, factory = db
    errors: list[BaseException] = []

    def counter(station: int) -> None:
        try:
            for i in range(4):
                with transaction(factory) as session:
                    record(session, _delivery(station * 100 + i, lines=2))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=counter, args=(s,)) for s in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    with factory() as session:
        result = verify_chain(session)
        numbers = [e.number for e in entries_between(session, date(2026, 1, 1), date(2026, 12, 31))]
    assert result.ok and numbers == list(range(1, 17))


def test_entries_between_reads_a_period(db):
    _, factory = db
    with transaction(factory) as session:
        record(session, _delivery(1, lines=2, day=24))
        record(session, _delivery(2, lines=2, day=25))
        record(session, _delivery(3, lines=2, day=26))
    with factory() as session:
        entries = entries_between(session, date(2026, 11, 25), date(2026, 11, 26))
    assert [e.number for e in entries] == [3, 4, 5, 6]
    assert {e.delivered_on for e in entries} == {date(2026, 11, 25), date(2026, 11, 26)}


def test_archive_finds_by_number_patient_and_date_and_reloads(db):
    _, factory = db
    from tests.printing.test_documents import _prescription

    with transaction(factory) as session:
        first = append_delivery(session, _delivery(1, day=20))
        archive_delivery(session, first, _prescription(first))
        second = append_delivery(session, _delivery(2, day=26))
        archive_delivery(session, second)
        archive_delivery(session, second)  # archiving again replaces
    grouped = first.number.grouped()
    with factory() as session:
        assert [d.delivery_id for d in find_deliveries(session, number=grouped)] == ["D0002", "D0001"]
        assert [d.delivery_id for d in find_deliveries(session, patient="zoe dupre")] == ["D0002", "D0001"]
        assert [d.delivery_id for d in find_deliveries(session, patient="LOEWENTHAL", on=date(2026, 11, 20))] \
            == ["D0001"]
        assert find_deliveries(session, patient="Martin") == []
        assert find_deliveries(session, patient="100%") == []
        assert load_delivery(session, "D0001") == first
        assert load_prescription(session, "D0001") == _prescription(first)
        assert load_prescription(session, "D0002") is None
        with pytest.raises(DeliveryNotFound, match="introuvable"):
            load_delivery(session, "nope")
