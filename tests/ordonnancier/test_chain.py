"""The keyed chain, independent of any database: what an edit, a reseal, a gap or a broken link looks
like; the switch from an unkeyed register; the key's text form; which days a closing covers."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from app.domain.ordonnancier import (
    GENESIS_HASH,
    InvalidRegisterKey,
    KeyingStart,
    Witness,
    days_to_close,
    entries_for_delivery,
    key_from_text,
    key_id,
    key_to_text,
    new_key,
    seal,
    verify_entries,
)
from app.printing.specimen import specimen_delivery

AT = datetime(2026, 11, 26, 10, 45)
KEY = bytes(range(32))
START = KeyingStart(0, GENESIS_HASH, AT, key_id(KEY), "A", AT, "x")


def _chain(key=KEY, first=1, prev=GENESIS_HASH):
    return entries_for_delivery(specimen_delivery(5), first_number=first, prev_hash=prev, recorded_at=AT, key=key)


def _verify(entries, witnesses=()):
    return verify_entries(entries, witnesses, key=KEY, start=START)


def test_one_entry_per_product_handed_over_numbered_and_linked():
    entries = _chain()
    assert [e.number for e in entries] == [1, 2, 3, 4]  # the declined line is not registered
    assert [e.line_id for e in entries] == ["L1", "L2", "L4", "L5"]
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert entries[0].patient_name == "DUPRÉ-LŒWENTHAL Zoé" and entries[0].quantity == 2
    assert _verify(entries).ok and _verify(entries).checked == 4


def test_the_seal_is_an_hmac_with_the_key_not_a_plain_hash():
    entry = _chain()[0]
    assert entry.hash == entry.compute_hash(KEY) != entry.compute_hash(None)
    assert entry.hash != entry.compute_hash(new_key())


def test_an_edited_entry_is_named():
    entries = _chain()
    entries[2] = dataclasses.replace(entries[2], quantity=30)
    result = _verify(entries)
    assert (result.ok, result.broken_number, result.checked) == (False, 3, 2)
    assert "modifié" in result.message() and "n° 3" in result.message()
    assert result.broken_on == entries[2].delivered_on and "du 26/11/2026" in result.message()


@pytest.mark.parametrize("resealer", [lambda e: seal(e, None), lambda e: seal(e, new_key())],
                         ids=["unkeyed seal()", "another key"])
def test_a_resealed_edit_of_the_last_entry_is_named(resealer):
    """The attack of issue 13: edit an entry and reseal it with the project's own seal(); without the
    key the seal cannot be made again, even for the last entry (no next link to break)."""
    entries = _chain()
    entries[3] = resealer(dataclasses.replace(entries[3], cip13="3400999999999", hash=""))
    result = _verify(entries)
    assert (result.broken_number, result.reason) == (4, "le contenu a été modifié après son inscription (sceau invalide)")


def test_a_whole_chain_resealed_without_the_key_fails_at_its_first_entry():
    forged = []
    prev = GENESIS_HASH
    for entry in _chain():
        entry = seal(dataclasses.replace(entry, prev_hash=prev, quantity=entry.quantity + 1, hash=""), None)
        forged.append(entry)
        prev = entry.hash
    assert verify_entries(forged).ok  # what the unkeyed check of old would have said
    assert _verify(forged).broken_number == 1


def test_a_missing_entry_is_a_gap():
    entries = _chain()
    del entries[1]
    result = _verify(entries)
    assert result.broken_number == 2 and "numérotation rompue" in result.reason


def test_hash_covers_every_field_but_itself():
    entry = _chain()[0]
    for field in dataclasses.fields(entry):
        if field.name == "hash":
            continue
        value = getattr(entry, field.name)
        changed = {str: lambda v: v + "x", int: lambda v: v + 1}.get(type(value))
        if changed:
            assert dataclasses.replace(entry, **{field.name: changed(value)}).compute_hash(KEY) != entry.hash


def test_entries_deleted_from_the_end_are_missing_against_the_witnesses():
    entries = _chain()
    marks = [Witness(2, entries[1].hash), Witness(4, entries[3].hash, "clôture du 26/11/2026", AT.date())]
    assert _verify(entries, marks).ok
    result = _verify(entries[:2], marks)
    assert (result.ok, result.broken_number, result.checked) == (False, 3, 2)
    assert "n° 3 à 4 manquante(s)" in result.message() and "(clôture du 26/11/2026)" in result.message()
    emptied = _verify([], marks)
    assert (emptied.ok, emptied.broken_number) == (False, 1)
    assert "n° 1 à 4 manquante(s)" in emptied.message() and "comptait 4" in emptied.message()
    assert "n° 4 manquante(s)" in _verify(entries[:3], marks).message()


def test_a_tail_deleted_and_written_again_is_named():
    entries = _chain()
    marks = [Witness(4, entries[3].hash)]
    rewritten = entries[:3] + [seal(dataclasses.replace(entries[3], quantity=7), KEY)]
    result = _verify(rewritten, marks)
    assert (result.ok, result.broken_number, result.checked) == (False, 4, 3)
    assert "point de contrôle" in result.reason


def test_a_register_of_old_keeps_verifying_and_continues_keyed():
    old = _chain(key=None)
    start = KeyingStart(4, old[-1].hash, AT, key_id(KEY), "A", AT, "x")
    keyed = _chain(first=5, prev=old[-1].hash)
    assert verify_entries(old + keyed, key=KEY, start=start).ok
    unkeyed_after = _chain(key=None, first=5, prev=old[-1].hash)  # written after the switch without the key
    assert verify_entries(old + unkeyed_after, key=KEY, start=start).broken_number == 5


def test_rewriting_the_unkeyed_part_after_the_switch_is_named():
    old = _chain(key=None)
    start = KeyingStart(4, old[-1].hash, AT, key_id(KEY), "A", AT, "x")
    forged, prev = [], GENESIS_HASH
    for entry in old:  # every unkeyed entry edited and resealed: that part still chains
        entry = seal(dataclasses.replace(entry, prev_hash=prev, patient_name="X", hash=""), None)
        forged.append(entry)
        prev = entry.hash
    result = verify_entries(forged, key=KEY, start=start)
    assert result.broken_number == 4 and "scellées sans clé (n° 1 à 4) ont été réécrites" in result.reason


def test_the_key_travels_as_one_line_checked_by_its_id():
    key = new_key()
    text = key_to_text(key)
    assert text.startswith(f"comptoir-ordonnancier-cle-v1:{key_id(key)}:") and "\n" not in text
    assert key_from_text(f"  {text}\n") == key
    for broken in (text[:-3], text.replace(key_id(key), "0" * 16), "bonjour", ""):
        with pytest.raises(InvalidRegisterKey, match="Clé du registre invalide"):
            key_from_text(broken)


def test_days_to_close_takes_each_days_highest_number_up_to_the_day_given():
    d1, d2, d3 = date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)
    recorded = [(5, d1), (6, d1), (7, d2), (8, d1), (9, d3)]  # n° 8 from a clock a day behind
    assert days_to_close(recorded, through=d2) == [(d1, 8), (d2, 8)]
    assert days_to_close(recorded, through=d3) == [(d1, 8), (d2, 8), (d3, 9)]
    assert days_to_close([], through=d3) == []
