"""The patient's address in the register: carried from the delivery, hashed only when present (old
entries still verify after migration 0005), edits detected, shown on the export; FHIR both ways."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import sqlalchemy as sa
from alembic import command

from app.domain.ordonnancier import GENESIS_HASH, OrdonnancierEntry, seal, verify_entries
from app.domain.prescription import Patient
from app.eprescription.fhir_read import patient_of
from app.eprescription.fhir_write import patient_json
from app.printing.specimen import specimen_delivery
from app.storage.db import alembic_config, make_engine, migrate, session_factory, transaction
from app.storage.delivery_archive import archive_delivery
from app.storage.ordonnancier import verify_chain
from app.storage.ordonnancier_read import iter_entries
from tests.ordonnancier.test_storage import _behind_the_triggers, record

ADDRESS = "9 impasse des Œillets, 13001 Marseille"


def _entry(**changes) -> OrdonnancierEntry:
    base = OrdonnancierEntry(
        number=1, recorded_at=datetime(2026, 11, 1, 9), delivered_on=date(2026, 11, 1), delivery_id="D1",
        ordonnance_number="N", line_id="L1", patient_name="DURAND Marie", patient_birth_date=None,
        prescriber_name="Dr A B", prescriber_rpps="1", prescription_date=date(2026, 10, 30),
        product_name="P", cip13="3400930000014", quantity=1, pharmacist_name="H", pharmacist_rpps="2")
    return seal(dataclasses.replace(base, **changes), None)  # as sealed before the key


def test_the_hash_covers_the_address_only_when_present():
    without = _entry()
    assert "patient_address" not in without.payload()  # as entries were hashed before 0005
    with_address = _entry(patient_address=ADDRESS)
    assert with_address.payload()["patient_address"] == ADDRESS and with_address.hash != without.hash
    forged = dataclasses.replace(with_address, patient_address="ailleurs")
    assert not verify_entries([forged]).ok
    added = dataclasses.replace(without, patient_address=ADDRESS)  # an address slipped into an old entry
    assert verify_entries([added]).broken_number == 1


def test_the_delivery_carries_the_address_into_the_register(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    factory = session_factory(engine)
    try:
        with transaction(factory) as session:
            record(session, specimen_delivery(2))
        with factory() as session:
            entries = list(iter_entries(session))
            assert {e.patient_address for e in entries} == {ADDRESS}
            assert verify_chain(session).ok
        _behind_the_triggers(engine, "UPDATE ordonnancier_entry SET patient_address = 'X' WHERE number = 2")
        with factory() as session:
            assert verify_chain(session).broken_number == 2
    finally:
        engine.dispose()


def test_entries_written_before_0005_still_verify_after_it(sqlite_url):
    engine = make_engine(sqlite_url)
    cfg = alembic_config(engine)
    try:
        command.upgrade(cfg, "0003")
        old = _entry()
        second = seal(dataclasses.replace(_entry(), number=2, prev_hash=old.hash, hash=""), None)
        assert old.prev_hash == GENESIS_HASH
        columns = [f.name for f in dataclasses.fields(OrdonnancierEntry)
                   if f.name not in ("patient_address", "list_class", "bearer", "mention")]  # added by 0005, 0011, 0016
        with engine.begin() as conn:
            for entry in (old, second):
                conn.execute(sa.text(f"INSERT INTO ordonnancier_entry ({', '.join(columns)}) "
                                     f"VALUES ({', '.join(':' + c for c in columns)})"),
                             {c: getattr(entry, c) for c in columns})
        spec = specimen_delivery(1)
        with transaction(session_factory(engine)) as session:  # the archive of that time
            archive_delivery(session, dataclasses.replace(spec, delivery_id="D1", lines=(
                dataclasses.replace(spec.lines[0], ordonnancier_numbers=(1, 2)),)))
        migrate(engine)
        factory = session_factory(engine)
        with transaction(factory) as session:
            record(session, dataclasses.replace(spec, delivery_id="D2"))
        with factory() as session:
            assert [e.patient_address for e in iter_entries(session)] == ["", "", ADDRESS]
            result = verify_chain(session)
        assert result.ok and result.checked == 3
        with engine.begin() as conn:  # the append-only triggers survived the migration
            try:
                conn.execute(sa.text("UPDATE ordonnancier_entry SET quantity = 9 WHERE number = 1"))
                raised = False
            except sa.exc.DBAPIError:
                raised = True
        assert raised
    finally:
        engine.dispose()


def test_fhir_patient_address_from_parts_or_text_and_back():
    parts = {"resourceType": "Patient", "name": [{"family": "DURAND", "given": ["Marie"]}],
             "address": [{"line": ["8 rue de la Roquette", "Bât. B"], "postalCode": "75011", "city": "Paris"}]}
    assert patient_of(parts).address == "8 rue de la Roquette, Bât. B, 75011 Paris"
    text = {**parts, "address": [{"text": "  1 place du Marché 33000 Bordeaux "}]}
    assert patient_of(text).address == "1 place du Marché 33000 Bordeaux"
    assert patient_of({**parts, "address": []}).address == ""
    patient = Patient("Durand", "Marie", address="8 rue de la Roquette, 75011 Paris")
    assert patient_json(patient)["address"] == [{"text": "8 rue de la Roquette, 75011 Paris"}]
    assert patient_of(patient_json(patient)) == patient
    assert "address" not in patient_json(Patient("Durand", "Marie"))


def test_demo_patients_have_an_address():
    import json
    from pathlib import Path

    from app.sandbox.loader import complete_bundle, read_bundle

    root = Path(__file__).resolve().parents[2]
    for path in sorted((root / "resources" / "demo").glob("demo-*.json")):
        bundle = json.loads(path.read_text(encoding="utf-8"))
        patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
        assert patient_of(patient).address, path.name
    example = read_bundle(root / "tests" / "fixtures" / "has-eprescription" / "HAS-04b-Presc-DAFALGANCODEINE.json")
    completed = complete_bundle(example, prescriber_rpps="10003456789")
    added = next(e["resource"] for e in completed["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient_of(added).address == "8 rue de la Roquette, 75011 Paris"
