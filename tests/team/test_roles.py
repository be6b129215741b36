"""Roles and permissions as the law gives them, RPPS by role, PINs, the lock after wrong PINs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.errors import InvalidIdentifier
from app.domain.team import (
    RULES,
    Actor,
    LockoutPolicy,
    Permission,
    PermissionRefused,
    Role,
    TeamError,
    check_pin,
    check_rpps,
    may_accept_prescriber_agreement,
    may_export_registers,
    may_hand_over,
    may_manage_users,
    may_override_rule,
    may_prepare,
    may_record_delivery,
    may_validate,
    may_validate_narcotic,
)

T, A, P, E = Role.TITULAIRE, Role.ADJOINT, Role.PREPARATEUR, Role.ETUDIANT

# Who may, role by role: titulaire, adjoint, préparateur, étudiant.
EXPECTED = {
    may_prepare: (True, True, True, True),
    may_hand_over: (True, True, True, False),
    may_validate: (True, True, False, False),
    may_validate_narcotic: (True, True, False, False),
    may_accept_prescriber_agreement: (True, True, False, False),
    may_override_rule: (True, True, False, False),
    may_record_delivery: (True, True, False, False),
    may_manage_users: (True, False, False, False),
    may_export_registers: (True, True, False, False),
}


@pytest.mark.parametrize("rule", list(EXPECTED), ids=lambda f: f.__name__)
def test_each_permission_role_by_role(rule):
    assert tuple(rule(role) for role in (T, A, P, E)) == EXPECTED[rule]


def test_a_preparer_records_only_what_a_pharmacist_validated_and_a_student_never():
    assert not may_record_delivery(P) and may_record_delivery(P, validated_by_pharmacist=True)
    assert not may_record_delivery(E, validated_by_pharmacist=True)


@pytest.mark.parametrize("permission", [p for p in Permission if p is not Permission.PREPARE])
def test_every_refusal_is_french_and_names_its_article(permission):
    refused = next(role for role in (E, P, A) if role not in RULES[permission].roles)
    actor = Actor(7, "Quelqu'un", refused, None, "POSTE-A")
    with pytest.raises(PermissionRefused) as caught:
        actor.require(permission)
    message = str(caught.value)
    assert "CSP" in message and RULES[permission].article in message
    assert f"votre rôle : {refused.label}" in message and "réservé au" in message


def test_a_refusal_lists_who_may():
    actor = Actor(3, "Jean", P, None, "POSTE-A")
    with pytest.raises(PermissionRefused, match=r"Valider la délivrance d'un stupéfiant : réservé au pharmacien "
                                                r"titulaire, pharmacien adjoint \(CSP L\. 4241-1 et R\. 4235-13\)"):
        actor.require(Permission.VALIDATE_NARCOTIC)
    Actor(1, "Marie", T, "10000000009", "POSTE-A").require(Permission.MANAGE_USERS)  # no error


def test_roles_read_from_codes_and_french_labels():
    assert Role.parse("préparateur") is P and Role.parse("PREPARATEUR") is P
    assert Role.parse("pharmacien adjoint") is A and Role.parse("étudiant") is E and Role.parse("titulaire") is T
    assert Role.parse("Préparatrice") is P and Role.parse("  Pharmacien   Titulaire ") is T
    for wrong in ("caissier", "pharmacie", "pharmacien", ""):
        with pytest.raises(TeamError, match=f"Rôle inconnu : « {wrong} »"):
            Role.parse(wrong)


def test_rpps_required_for_pharmacists_optional_for_preparers_refused_for_students():
    assert check_rpps(T, "100 000 000 09") == "10000000009"
    with pytest.raises(TeamError, match="RPPS obligatoire pour un pharmacien adjoint"):
        check_rpps(A, "")
    assert check_rpps(P, None) is None and check_rpps(P, "10000000025") == "10000000025"
    with pytest.raises(InvalidIdentifier, match="clé de contrôle fausse"):
        check_rpps(P, "10000000026")
    with pytest.raises(TeamError, match="Un étudiant en pharmacie n'a pas de numéro RPPS"):
        check_rpps(E, "10000000033")


@pytest.mark.parametrize("pin, why", [
    ("", "chiffres uniquement"), ("12a4", "chiffres uniquement"), ("123", "4 à 12 chiffres"),
    ("1234567890123", "4 à 12 chiffres"), ("0000", "trop facile"), ("1234", "trop facile"),
    ("9876", "trop facile"), ("7890", "trop facile"), (" 2580", "chiffres uniquement"),
])
def test_weak_or_malformed_pins_are_refused(pin, why):
    with pytest.raises(TeamError, match=why):
        check_pin(pin)


def test_acceptable_pins():
    for pin in ("2580", "1357", "001122", "918273645012"):
        assert check_pin(pin) == pin


def test_the_lock_starts_at_the_fifth_wrong_pin_and_doubles_up_to_an_hour():
    policy = LockoutPolicy()
    assert [policy.lock_for(n) for n in range(1, 5)] == [None] * 4
    assert [policy.lock_for(n) for n in (5, 6, 7, 8)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert policy.lock_for(40) == timedelta(hours=1)
    assert [policy.left_before_lock(n) for n in (0, 3, 5, 9)] == [5, 2, 0, 0]
