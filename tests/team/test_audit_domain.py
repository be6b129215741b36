"""The audit trail's rules: no patient data in details, the chain checked entry by entry."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from app.domain.audit import AuditAction, AuditEntry, check_details, verify_trail
from app.domain.ordonnancier import GENESIS_HASH, new_key

NIR = "185057800608491"  # a valid NIR (key 91)


def test_details_are_canonical_json():
    assert check_details({"b": 1, "a": "é"}) == '{"a":"é","b":1}'
    assert check_details(None) == "{}"


@pytest.mark.parametrize("details", [
    {"patient": "x"}, {"patient_name": "DUPONT"}, {"nir": "x"}, {"ins": "x"}, {"birth_date": "x"},
    {"line": {"patient_address": "x"}},
])
def test_keys_naming_patient_data_are_refused(details):
    with pytest.raises(ValueError, match="must not name patient data"):
        check_details(details)


CORSICAN = f"2-85-05-2A-006-084-{97 - int('2850519006084') % 97:02d}"  # 2A counts as 19 in the key


@pytest.mark.parametrize("value", [NIR, "1 85 05 78 006 084 91", f"remarque {NIR} fin", CORSICAN])
def test_values_holding_a_nir_are_refused(value):
    with pytest.raises(ValueError, match="must not hold a NIR"):
        check_details({"comment": value, "nested": [1]})
    with pytest.raises(ValueError, match="must not hold a NIR"):
        check_details({"lines": [{"note": value}]})


@pytest.mark.parametrize("value", ["3400930000001", "185057800608492", "12345678901234567890", "ABCDEF"])
def test_codes_that_merely_look_like_a_nir_pass(value):
    assert value in check_details({"code": value})


def test_details_must_be_json_and_short():
    with pytest.raises(ValueError, match="JSON"):
        check_details({"when": datetime(2026, 1, 1)})
    with pytest.raises(ValueError, match="too long"):
        check_details({"x": "a" * 5000})


def _chain(key: bytes, n: int = 3, kid: str = "kid") -> list[AuditEntry]:
    out, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        entry = AuditEntry(seq, datetime(2026, 11, 24, 8, seq), AuditAction.LOGIN, 1, "Marie", "A", "1", "{}",
                           kid, prev).sealed(key)
        out.append(entry)
        prev = entry.hash
    return out


def test_an_intact_chain_verifies():
    key = new_key()
    result = verify_trail(_chain(key), key, "kid")
    assert result.ok and result.checked == 3 and result.message() == "Journal d'audit intègre : 3 entrée(s) vérifiée(s)."


def test_an_edited_entry_a_broken_link_a_gap_and_a_foreign_key_are_named():
    key = new_key()
    chain = _chain(key)
    edited = [chain[0], replace(chain[1], user_name="Autre"), chain[2]]
    result = verify_trail(edited, key, "kid")
    assert (result.ok, result.findings[0].seq, result.checked) == (False, 2, 1)
    assert "entrée n° 2 du 24/11/2026" in result.message() and "sceau invalide" in result.message()
    relinked = [chain[0], replace(chain[1], prev_hash="f" * 64).sealed(key), chain[2]]
    assert "lien vers l'entrée précédente est rompu" in verify_trail(relinked, key, "kid").message()
    gap = verify_trail([chain[0], chain[2]], key, "kid")
    assert "numérotation rompue (n° 2 attendu, n° 3 trouvé)" in gap.message()
    assert "sceau invalide" in verify_trail(_chain(new_key()), key, "kid").message()  # same id, other key
    assert "scellée avec une autre clé" in verify_trail(_chain(key, kid="other"), key, "kid").message()
