"""Only liste I, liste II and stupéfiants go to the ordonnancier (R.5132-10 CSP), each entry with its list
class; a warning when an address the register names is missing; the stupéfiants register export."""

from __future__ import annotations

import csv
import dataclasses

import pytest

from app.cli import main
from app.domain.delivery import DeliveredItem
from app.domain.ordonnancier import (
    GENESIS_HASH,
    entries_for_delivery,
    missing_register_items,
    registers_something,
)
from app.domain.prescription import Patient, Prescriber
from app.printing.specimen import specimen_delivery
from app.storage.db import open_database, transaction
from app.storage.delivery_archive import archive_delivery
from app.storage.ordonnancier import append_delivery, verify_chain
from tests.ordonnancier.test_storage import _delivery
from tests.printing.pdfcheck import pdf_text

# the specimen's delivered lines L1, L2, L4, L5 as the catalogue would class them
CLASSES = {"L1": "", "L2": "liste I", "L4": "liste II", "L5": "stupéfiant"}


def classed(delivery, classes=CLASSES):
    lines = []
    for line in delivery.lines:
        items = tuple(dataclasses.replace(i, register_class=classes.get(line.line_id)) for i in line.items)
        lines.append(dataclasses.replace(line, items=items))
    return dataclasses.replace(delivery, lines=tuple(lines))


def _entries(delivery):
    return entries_for_delivery(delivery, first_number=1, prev_hash=GENESIS_HASH,
                                recorded_at=delivery.handed_over_at.replace(tzinfo=None), key=b"k" * 32)


def test_only_listed_products_and_stupefiants_are_registered_with_their_class():
    entries = _entries(classed(specimen_delivery(5)))
    assert [(e.line_id, e.list_class) for e in entries] == [("L2", "liste I"), ("L4", "liste II"),
                                                            ("L5", "stupéfiant")]
    assert [e.number for e in entries] == [1, 2, 3]
    assert all("list_class" in e.payload() for e in entries)  # sealed with the entry


def test_the_bearer_of_a_stupefiant_is_on_its_entry_only():
    from app.domain.bearer import Bearer

    bearer = Bearer.of("Marie Durand", "3 rue des Lilas, 75011 Paris", "Carte nationale d'identité", "ab 12 34")
    entries = _entries(dataclasses.replace(classed(specimen_delivery(5)), bearer=bearer))
    assert {e.line_id: e.bearer for e in entries} == {"L2": "", "L4": "", "L5": bearer.text()}
    assert "Marie Durand" in bearer.text() and "AB1234" in bearer.text()
    assert all("bearer" in e.payload() for e in entries if e.bearer)  # sealed with the entry


def test_a_delivery_of_unlisted_products_registers_nothing_and_warns_of_nothing():
    unlisted = classed(specimen_delivery(5), {"L1": "", "L2": "", "L4": "", "L5": ""})
    assert not registers_something(unlisted) and _entries(unlisted) == []
    assert missing_register_items(dataclasses.replace(unlisted, patient=Patient("X"))) == []


def test_a_record_that_does_not_know_the_class_registers_as_before():
    assert len(_entries(specimen_delivery(5))) == 4  # register_class None: written before it was kept


@pytest.mark.parametrize(("prescriber_address", "patient_address", "words"), [
    ("3 rue des Écoles", "", ["adresse du patient"]),
    ("", "9 impasse des Œillets", ["adresse du prescripteur"]),
    ("", "", ["adresse du prescripteur", "adresse du patient"]),
    ("3 rue des Écoles", "9 impasse des Œillets", []),
])
def test_recording_warns_when_an_address_the_register_names_is_missing(prescriber_address, patient_address, words):
    delivery = classed(specimen_delivery(5))
    delivery = dataclasses.replace(delivery, prescriber=Prescriber("MARTIN", "Claire", address=prescriber_address),
                                   patient=Patient("DURAND", "Marie", address=patient_address))
    warnings = missing_register_items(delivery)
    assert len(warnings) == len(words)
    for warning, word in zip(warnings, words, strict=True):
        assert word in warning and "R.5132-10" in warning


@pytest.fixture
def narcotics_register(sqlite_url):
    engine, factory = open_database(sqlite_url)
    with transaction(factory) as session:
        for n, day in ((1, 20), (2, 26), (3, 27)):
            archive_delivery(session, append_delivery(session, classed(_delivery(n, day=day))))
        assert verify_chain(session).ok
    yield sqlite_url
    engine.dispose()


def test_the_stupefiants_register_exports_as_csv_and_pdf_beside_the_ordonnancier(narcotics_register, tmp_path,
                                                                                 capsys):
    out_csv, out_pdf = tmp_path / "stup.csv", tmp_path / "stup.pdf"
    assert main(["--db", narcotics_register, "ordonnancier", "stupefiants", "--from", "25/11/2026",
                 "--to", "2026-11-30", "--csv", str(out_csv), "--pdf", str(out_pdf)]) == 0
    assert "2 écriture(s) de stupéfiant exportée(s) en PDF" in capsys.readouterr().out
    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    named = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["liste"] for r in named] == ["stupéfiant", "stupéfiant"]
    assert all("porteur" in r for r in named)  # empty until the delivery carries the bearer
    text = pdf_text(out_pdf.read_bytes())
    assert "Registre des stupéfiants délivrés du 25/11/2026 au 30/11/2026" in text and "Porteur" in text
    assert "ŒSTRODOSE" in text and "LEVOTHYROX" not in text
    # the ordonnancier export of the same period names the list of every entry
    assert main(["--db", narcotics_register, "ordonnancier", "export", "--from", "25/11/2026",
                 "--to", "2026-11-30", "--csv", str(out_csv)]) == 0
    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert sorted({dict(zip(rows[0], r, strict=True))["liste"] for r in rows[1:]}) == ["liste I", "liste II",
                                                                                      "stupéfiant"]


def test_an_item_of_the_catalogue_carries_its_class():
    from tests.domain.bdpm import boxes_of, by_cip13

    assert DeliveredItem.of(by_cip13("3400935955838"), 1).register_class == ""  # DOLIPRANE 1000 mg B/8
    assert DeliveredItem.of(boxes_of("64288864")[0], 1).register_class == "stupéfiant"  # ACTISKENAN 10 mg
    assert DeliveredItem.of(boxes_of("64539416")[0], 1).register_class == "liste I"  # CLAMOXYL 1 g


def test_0011_adds_the_class_to_a_register_written_before_and_downgrades(db_url):
    import sqlalchemy as sa
    from alembic import command

    from app.storage.db import alembic_config, make_engine, migrate, session_factory
    from tests.ordonnancier.test_storage import write_unkeyed

    engine = make_engine(db_url)
    try:
        command.upgrade(alembic_config(engine), "0006")
        write_unkeyed(engine, [_delivery(1)])  # entries of an older version: no class in their seal
        migrate(engine)
        columns = {c["name"] for c in sa.inspect(engine).get_columns("ordonnancier_entry")}
        assert {"list_class", "bearer"} <= columns
        with transaction(session_factory(engine)) as session:
            archive_delivery(session, append_delivery(session, classed(_delivery(2))))
            assert verify_chain(session).ok  # the old entries verify beside the new ones
        command.downgrade(alembic_config(engine), "0007")
        assert "list_class" not in {c["name"] for c in sa.inspect(engine).get_columns("ordonnancier_entry")}
        migrate(engine)
    finally:
        engine.dispose()
