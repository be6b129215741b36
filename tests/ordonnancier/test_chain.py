"""The hash chain, independent of any database: what an edit, a gap or a broken link looks like."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from app.domain.ordonnancier import GENESIS_HASH, Checkpoint, entries_for_delivery, seal, verify_entries
from app.printing.specimen import specimen_delivery

AT = datetime(2026, 11, 26, 10, 45)


def _chain():
    return entries_for_delivery(specimen_delivery(5), first_number=1, prev_hash=GENESIS_HASH, recorded_at=AT)


def test_one_entry_per_product_handed_over_numbered_and_linked():
    entries = _chain()
    assert [e.number for e in entries] == [1, 2, 3, 4]  # the declined line is not registered
    assert [e.line_id for e in entries] == ["L1", "L2", "L4", "L5"]
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert entries[0].patient_name == "DUPRÉ-LŒWENTHAL Zoé" and entries[0].quantity == 2
    assert verify_entries(entries).ok and verify_entries(entries).checked == 4


def test_an_edited_entry_is_named():
    entries = _chain()
    entries[2] = dataclasses.replace(entries[2], quantity=30)
    result = verify_entries(entries)
    assert (result.ok, result.broken_number, result.checked) == (False, 3, 2)
    assert "modifié" in result.message() and "n° 3" in result.message()


def test_a_resealed_edit_breaks_the_next_link():
    entries = _chain()
    entries[1] = seal(dataclasses.replace(entries[1], cip13="3400999999999"))
    result = verify_entries(entries)
    assert (result.broken_number, result.reason) == (3, "le lien vers l'écriture précédente est rompu")


def test_a_missing_entry_is_a_gap():
    entries = _chain()
    del entries[1]
    result = verify_entries(entries)
    assert result.broken_number == 2 and "numérotation rompue" in result.reason


def test_hash_covers_every_field_but_itself():
    entry = _chain()[0]
    for field in dataclasses.fields(entry):
        if field.name == "hash":
            continue
        value = getattr(entry, field.name)
        changed = {str: lambda v: v + "x", int: lambda v: v + 1}.get(type(value))
        if changed:
            assert dataclasses.replace(entry, **{field.name: changed(value)}).compute_hash() != entry.hash


def test_entries_deleted_from_the_end_are_missing_against_the_checkpoints():
    entries = _chain()
    marks = [Checkpoint(2, entries[1].hash), Checkpoint(4, entries[3].hash)]
    assert verify_entries(entries, marks).ok
    result = verify_entries(entries[:2], marks)
    assert (result.ok, result.broken_number, result.checked) == (False, 3, 2)
    assert "n° 3 à 4 manquante(s)" in result.message()
    emptied = verify_entries([], marks)
    assert (emptied.ok, emptied.broken_number) == (False, 1)
    assert "n° 1 à 4 manquante(s)" in emptied.message() and "comptait 4" in emptied.message()
    assert "n° 4 manquante(s)" in verify_entries(entries[:3], marks).message()


def test_a_tail_deleted_and_written_again_is_named():
    entries = _chain()
    marks = [Checkpoint(4, entries[3].hash)]
    rewritten = entries[:3] + [seal(dataclasses.replace(entries[3], quantity=7))]
    result = verify_entries(rewritten, marks)
    assert (result.ok, result.broken_number, result.checked) == (False, 4, 3)
    assert "point de contrôle" in result.reason
