"""The audit trail on a real database: recorded in the writer's transaction, read by period, user and
action, append-only, verified link by link with the pharmacy's key shared with the ordonnancier."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest
import sqlalchemy as sa

from app.domain.audit import AuditAction
from app.domain.team import Actor, Role
from app.storage import audit
from app.storage.db import transaction
from app.storage.keyed_chain import RegisterKeyMissing
from app.storage.ordonnancier import verify_chain
from app.storage.ordonnancier_read import read_keying
from tests.ordonnancier.protect import record_delivery, workstation
from tests.team import procs
from tests.team.conftest import behind_triggers

MARIE = Actor(1, "Marie Curie", Role.TITULAIRE, "10000000009", "POSTE-A")
JEAN = Actor(2, "Jean Prép", Role.PREPARATEUR, None, "POSTE-B")


def _record(factory, station, *items):
    with transaction(factory) as session:
        return [audit.record(session, action, who, protection=station, object_ref=ref, details=details)
                for action, who, ref, details in items]


def _entries(factory, query=audit.AuditQuery()):
    with factory() as session:
        return list(audit.entries(session, query))


def test_an_action_is_recorded_with_who_where_when_what(db, station, clock):
    _, factory = db
    clock.at(24, 10, 30)
    [entry] = _record(factory, station, (AuditAction.SCAN, JEAN, "ABCD2345EFGH6789JKM1", {"cip13": "3400930000001"}))
    [stored] = _entries(factory)
    assert stored == entry
    assert (stored.seq, stored.action, stored.user_id, stored.user_name, stored.workstation, stored.object_ref) == (
        1, "scan", 2, "Jean Prép", "POSTE-B", "ABCD2345EFGH6789JKM1")
    assert stored.details_dict == {"cip13": "3400930000001"} and stored.label == "lecture d'un code"
    assert stored.local_time(clock().tzinfo) == clock()  # aware local time, as the workstation read it


def test_nobody_signed_in_and_the_workstation_default(db, station):
    _, factory = db
    [entry] = _record(factory, station, (AuditAction.LOGIN_FAILED, None, "", {"means": "badge"}))
    assert (entry.user_id, entry.user_name, entry.workstation) == (None, "", "POSTE-A")


def test_patient_data_never_reaches_the_trail(db, station):
    _, factory = db
    with pytest.raises(ValueError, match="patient data"), transaction(factory) as session:
        audit.record(session, AuditAction.RECORD, MARIE, protection=station, details={"patient_name": "DUPONT"})
    assert _entries(factory) == []


def test_a_rolled_back_action_leaves_no_trace(db, station):
    _, factory = db
    with pytest.raises(RuntimeError), transaction(factory) as session:
        audit.record(session, AuditAction.BILL, MARIE, protection=station, object_ref="D1")
        raise RuntimeError("the bill failed")
    _record(factory, station, (AuditAction.BILL, MARIE, "D2", None))
    assert [(e.seq, e.object_ref) for e in _entries(factory)] == [(1, "D2")]


def test_reading_by_period_user_and_action(db, station, clock):
    _, factory = db
    clock.at(23, 23, 30)  # Paris: 22:30 UTC on the 23rd
    _record(factory, station, (AuditAction.LOGIN, MARIE, "1", None))
    clock.at(24, 0, 30)  # 23:30 UTC on the 23rd, but the 24th at the counter
    _record(factory, station, (AuditAction.LOGIN, JEAN, "2", None), (AuditAction.SCAN, JEAN, "N1", None))
    clock.at(25, 9)
    _record(factory, station, (AuditAction.PRINT, MARIE, "N1", None))
    zone = clock().tzinfo

    def seqs(**kw):
        with factory() as session:
            return [e.seq for e in audit.entries(session, audit.AuditQuery(**kw), zone=zone)]

    assert seqs() == [1, 2, 3, 4]
    assert seqs(start=date(2026, 11, 24), end=date(2026, 11, 24)) == [2, 3]
    assert seqs(end=date(2026, 11, 23)) == [1] and seqs(start=date(2026, 11, 25)) == [4]
    assert seqs(user_id=2) == [2, 3] and seqs(action="login") == [1, 2] and seqs(user_id=1, action="print") == [4]
    with pytest.raises(Exception, match="la date de fin précède la date de début"):
        audit.AuditQuery(start=date(2026, 11, 25), end=date(2026, 11, 24))


@pytest.mark.parametrize("statement", ["UPDATE audit_entry SET user_name = 'X'", "DELETE FROM audit_entry",
                                       "UPDATE audit_keying SET workstation = 'X'", "DELETE FROM audit_keying"])
def test_the_database_refuses_to_change_the_trail(db, station, statement):
    engine, factory = db
    _record(factory, station, (AuditAction.LOGIN, MARIE, "1", None))
    with pytest.raises(sa.exc.DatabaseError, match="journal d'audit : entrée non modifiable"), engine.begin() as conn:
        conn.execute(sa.text(statement))


def test_truncate_is_refused_on_postgresql(pg_url, station):
    from app.storage.db import open_database

    engine, factory = open_database(pg_url)
    _record(factory, station, (AuditAction.LOGIN, MARIE, "1", None))
    with pytest.raises(sa.exc.DatabaseError, match="entrée non modifiable"), engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE audit_entry"))
    engine.dispose()


def _verify(factory, station):
    with factory() as session:
        return audit.verify(session, station)


def _five(factory, station):
    _record(factory, station, *[(AuditAction.SCAN, JEAN, f"N{i}", {"i": i}) for i in range(1, 6)])


def test_an_intact_trail_verifies(db, station):
    _, factory = db
    _five(factory, station)
    result = _verify(factory, station)
    assert result.ok and result.checked == 5
    assert result.message() == "Journal d'audit intègre : 5 entrée(s) vérifiée(s)."


@pytest.mark.parametrize("statement, seq, why", [
    ("UPDATE audit_entry SET user_id = 1, user_name = 'Marie Curie' WHERE seq = 3", 3, "sceau invalide"),
    ("UPDATE audit_entry SET details = '{}' WHERE seq = 2", 2, "sceau invalide"),
    ("DELETE FROM audit_entry WHERE seq = 4", 4, "numérotation rompue (n° 4 attendu, n° 5 trouvé)"),
    ("UPDATE audit_entry SET prev_hash = '00' WHERE seq = 5", 5, "lien vers l'entrée précédente est rompu"),
])
def test_verify_names_the_first_break_behind_the_triggers(db, station, statement, seq, why):
    engine, factory = db
    _five(factory, station)
    behind_triggers(engine, statement)
    result = _verify(factory, station)
    assert not result.ok and result.findings[0].seq == seq
    dated = "" if "numérotation" in why else " du 24/11/2026 09:00:00"
    assert f"Journal d'audit altéré : entrée n° {seq}{dated} — " in result.message(station.zone)
    assert why in result.message() and f"({seq - 1} entrée(s) intègre(s) avant elle)" in result.message()


def test_verify_names_a_removed_trigger_an_emptied_trail_and_an_edited_start(db, station):
    engine, factory = db
    _five(factory, station)
    trigger = "audit_entry_no_update" if engine.dialect.name == "sqlite" else "audit_entry_no_change"
    drop = f"DROP TRIGGER {trigger}" + ("" if engine.dialect.name == "sqlite" else " ON audit_entry")
    with engine.begin() as conn:
        conn.execute(sa.text(drop))
    result = _verify(factory, station)
    assert result.checked == 5 and f"(déclencheur(s) {trigger} absent)" in result.message()
    behind_triggers(engine, "DELETE FROM audit_entry")
    assert "le journal a été vidé" in _verify(factory, station).message()
    behind_triggers(engine, "UPDATE audit_keying SET workstation = 'AILLEURS'")
    result = _verify(factory, station)
    assert result.findings[0].root and "son point de départ (table audit_keying) a été modifié" in result.message()


def test_a_trail_rewritten_with_another_key_is_caught(db, station, tmp_path):
    engine, factory = db
    _five(factory, station)
    intruder = workstation(tmp_path, "INTRUS", station.clock)
    behind_triggers(engine, "DELETE FROM audit_entry", "DELETE FROM audit_keying")
    _record(factory, intruder, *[(AuditAction.SCAN, JEAN, f"N{i}", None) for i in range(1, 6)])
    with pytest.raises(RegisterKeyMissing):  # this workstation does not hold the intruder's key
        _verify(factory, station)


def test_a_workstation_without_the_key_can_neither_write_nor_verify(db, station, tmp_path):
    _, factory = db
    _five(factory, station)
    other = workstation(tmp_path, "POSTE-B", station.clock)
    with pytest.raises(RegisterKeyMissing, match="importez-la depuis le poste « POSTE-A »"):
        _record(factory, other, (AuditAction.LOGIN, JEAN, "2", None))
    with pytest.raises(RegisterKeyMissing):
        _verify(factory, other)


def test_the_ordonnancier_takes_the_key_the_trail_created(db, station):
    _, factory = db
    _record(factory, station, (AuditAction.SERVER_INIT, MARIE, "1", None))
    with transaction(factory) as session:
        record_delivery(session, 1, station)
    with factory() as session:
        register = read_keying(session)
        trail = audit.pharmacy_key(session, station, create=False)
        assert verify_chain(session, protection=station).ok
    assert register.key_id == trail[0]
    assert _verify(factory, station).ok


def test_the_trail_takes_the_key_the_ordonnancier_created(db, station):
    _, factory = db
    with transaction(factory) as session:
        record_delivery(session, 1, station)
    _record(factory, station, (AuditAction.RECORD, MARIE, "D1", None))
    with factory() as session:
        assert read_keying(session).key_id == audit.pharmacy_key(session, station, create=False)[0]
    assert _verify(factory, station).ok
    assert len(list(station.keys.directory.glob("*.key"))) == 1  # one key for the whole pharmacy


def test_two_processes_writing_at_once_chain_correctly(pg_url, tmp_path):
    """Two workstations (processes) recording 2 × 40 actions on one PostgreSQL: one chain, 1..81."""
    from app.storage.db import open_database

    engine, factory = open_database(pg_url)
    station = workstation(tmp_path, "POSTE-A")
    _record(factory, station, (AuditAction.SERVER_INIT, MARIE, "1", None))  # creates the pharmacy's key
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    workers = [ctx.Process(target=procs.audit_writer, args=(pg_url, str(station.keys.directory), name, 40, barrier))
               for name in ("POSTE-A", "POSTE-B")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(180)
    assert [w.exitcode for w in workers] == [0, 0]
    entries = _entries(factory)
    assert [e.seq for e in entries] == list(range(1, 82))
    assert sorted(e.workstation for e in entries[1:]).count("POSTE-B") == 40
    assert _verify(factory, station).ok
    engine.dispose()
