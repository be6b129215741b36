"""The team's use cases on a real database: the first titulaire, signing in by PIN and badge, the
lock after wrong PINs, managing users and every refusal."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from app.domain.team import LockoutPolicy, LoginRefused, PermissionRefused, Role, TeamError
from app.storage import audit
from app.storage.keyed_chain import RegisterKeyMissing
from app.storage.users import Team, database_now
from tests.ordonnancier.protect import workstation
from tests.team.conftest import ADJOINT_RPPS, PREPARATEUR_RPPS, TITULAIRE_RPPS, light_hasher, server_clock


def _actions(factory) -> list[tuple[str, int | None, str]]:
    with factory() as session:
        return [(e.action, e.user_id, e.object_ref) for e in audit.entries(session)]


def test_the_first_titulaire_then_no_second_one_without_signing_in(team, db):
    assert not team.has_titulaire()
    user = team.create_first_titulaire("  Marie   Curie ", TITULAIRE_RPPS, "2580")
    assert (user.id, user.display_name, user.role, user.rpps, user.active) == (
        1, "Marie Curie", Role.TITULAIRE, TITULAIRE_RPPS, True)
    assert team.has_titulaire()
    with pytest.raises(TeamError, match="La pharmacie a déjà un pharmacien titulaire"):
        team.create_first_titulaire("Autre", ADJOINT_RPPS, "3691")
    assert [u.id for u in team.users(include_disabled=True)] == [1]
    assert _actions(db[1]) == [("server.init", 1, "1"), ("user.created", 1, "1")]


@pytest.mark.parametrize("name, rpps, pin, why", [
    ("", TITULAIRE_RPPS, "2580", "indiquez le nom"),
    ("Marie", "", "2580", "RPPS obligatoire"),
    ("Marie", "12345678901", "2580", "clé de contrôle fausse"),
    ("Marie", TITULAIRE_RPPS, "1111", "trop facile"),
])
def test_the_first_titulaire_is_refused_without_name_valid_rpps_or_pin(team, name, rpps, pin, why):
    with pytest.raises(Exception, match=why):
        team.create_first_titulaire(name, rpps, pin)
    assert team.users(include_disabled=True) == []


def test_pins_are_argon2id_peppered_never_stored_nor_logged(team, db, caplog):
    caplog.set_level(logging.DEBUG)
    user = team.create_first_titulaire("Marie Curie", TITULAIRE_RPPS, "2580")
    with pytest.raises(LoginRefused):
        team.login(user.id, "9137")
    with db[0].connect() as conn:
        stored = conn.execute(sa.text("SELECT pin_hash FROM team_user")).scalar_one()
        dump = " ".join(str(v) for t in ("team_user", "audit_entry") for r in conn.execute(sa.text(f"SELECT * FROM {t}"))
                        for v in r)
    assert stored.startswith("$argon2id$")
    with pytest.raises(VerifyMismatchError):  # what is hashed is the PIN peppered with the pharmacy's key
        light_hasher().verify(stored, "2580")
    assert "2580" not in dump and "9137" not in dump
    assert "2580" not in caplog.text and "9137" not in caplog.text
    assert "sign-in refused for user 1 on POSTE-A: wrong pin" in caplog.text


def test_sign_in_gives_the_actor_to_stamp(team, staff):
    actor = team.login(staff["adjoint"].id, "3691")
    assert (actor.user_id, actor.display_name, actor.role, actor.rpps, actor.workstation) == (
        staff["adjoint"].id, "Louis Pasteur", Role.ADJOINT, ADJOINT_RPPS, "POSTE-A")


def test_wrong_pins_count_lock_for_a_growing_time_and_a_right_pin_resets(team, staff, clock, db):
    prep = staff["preparateur"].id
    messages = []
    for _ in range(5):
        with pytest.raises(LoginRefused) as caught:
            team.login(prep, "1357")
        messages.append(str(caught.value))
    assert messages[:4] == [f"PIN incorrect ({n} essai(s) avant verrouillage)" for n in (4, 3, 2, 1)]
    assert messages[4] == "PIN incorrect : compte verrouillé jusqu'à 09:01"
    with pytest.raises(LoginRefused, match="Compte verrouillé après trop de PIN erronés : réessayez après 09:01"):
        team.login(prep, "4826")  # even the right PIN, while locked
    clock.at(24, 9, 2)
    with pytest.raises(LoginRefused, match="compte verrouillé jusqu'à 09:04"):  # the 6th: 2 minutes
        team.login(prep, "1357")
    clock.at(24, 9, 5)
    assert team.login(prep, "4826").user_id == prep
    assert team.user(prep).failed_attempts == 0 and team.user(prep).locked_until is None
    actions = [a for a, u, o in _actions(db[1]) if o == str(prep)]
    assert actions.count("login.failed") == 7 and actions.count("account.locked") == 2 and actions[-1] == "login"


def test_the_lock_is_shared_by_every_workstation(team, staff, db, tmp_path, clock):
    other = Team(db[1], workstation(tmp_path, "POSTE-B", clock), hasher=light_hasher(), server_clock=server_clock(clock))
    other.protection.keys.save(*_pharmacy_key(team, db))
    for station in (team, other, team, other, team):
        with pytest.raises(LoginRefused):
            station.login(staff["preparateur"].id, "1357")
    with pytest.raises(LoginRefused, match="verrouillé"):
        other.login(staff["preparateur"].id, "4826")


def _pharmacy_key(team, db):
    with db[1]() as session:
        return audit.pharmacy_key(session, team.protection, create=False)


def test_unknown_and_disabled_users_are_refused_and_traced(team, staff, db):
    with pytest.raises(LoginRefused, match="Utilisateur inconnu"):
        team.login(99, "2580")
    team.disable_user(staff["boss"], staff["etudiant"].id)
    with pytest.raises(LoginRefused, match="Compte de Eva Étudiante désactivé"):
        team.login(staff["etudiant"].id, "7315")
    failed = [(u, o) for a, u, o in _actions(db[1]) if a == "login.failed"]
    assert failed == [(None, "99"), (staff["etudiant"].id, str(staff["etudiant"].id))]


def test_badges_sign_in_are_hashed_unique_and_refused_when_unknown(team, staff, db):
    boss, prep = staff["boss"], staff["preparateur"]
    team.set_badge(boss, prep.id, " PREP-0001-XYZ ")
    with db[0].connect() as conn:
        stored = conn.execute(sa.text("SELECT badge_hash FROM team_user WHERE id = :i"), {"i": prep.id}).scalar_one()
    assert len(stored) == 64 and "PREP" not in stored
    assert team.login_badge("PREP-0001-XYZ").user_id == prep.id
    with pytest.raises(LoginRefused, match="Badge inconnu"):
        team.login_badge("PREP-0001-XYY")
    with pytest.raises(TeamError, match="déjà attribué à un autre utilisateur"):
        team.set_badge(boss, staff["adjoint"].id, "PREP-0001-XYZ")
    with pytest.raises(TeamError, match="6 caractères au moins"):
        team.set_badge(boss, staff["adjoint"].id, "12345")
    team.set_badge(boss, prep.id, None)
    with pytest.raises(LoginRefused, match="Badge inconnu"):
        team.login_badge("PREP-0001-XYZ")
    assert ("login", prep.id, str(prep.id)) in _actions(db[1])


def test_a_locked_pin_does_not_block_the_badge(team, staff, clock):
    prep = staff["preparateur"].id
    team.set_badge(staff["boss"], prep, "PREP-0001-XYZ")
    for _ in range(5):
        with pytest.raises(LoginRefused):
            team.login(prep, "1357")
    assert team.login_badge("PREP-0001-XYZ").user_id == prep


@pytest.mark.parametrize("who", ["adjoint", "preparateur", "etudiant"])
def test_only_the_titulaire_manages_users(team, staff, who):
    pins = {"adjoint": "3691", "preparateur": "4826", "etudiant": "7315"}
    actor = team.login(staff[who].id, pins[who])
    with pytest.raises(PermissionRefused, match=r"Gérer les utilisateurs : réservé au pharmacien titulaire "
                                                r"\(CSP L\. 5125-20 et R\. 4235-13\)"):
        team.add_user(actor, "Nouveau", Role.PREPARATEUR, None, "1357")
    with pytest.raises(PermissionRefused):
        team.disable_user(actor, staff["etudiant"].id)
    with pytest.raises(PermissionRefused):
        team.set_pin(actor, staff["titulaire"].id, "1357")
    with pytest.raises(PermissionRefused):
        team.set_badge(actor, staff["titulaire"].id, "BADGE-TITU")
    assert len(team.users()) == 4


def test_anyone_changes_his_own_pin_and_the_titulaire_resets_a_forgotten_one(team, staff, clock):
    prep = staff["preparateur"].id
    actor = team.login(prep, "4826")
    team.set_pin(actor, prep, "1470")
    with pytest.raises(LoginRefused):
        team.login(prep, "4826")
    for _ in range(4):
        with pytest.raises(LoginRefused):
            team.login(prep, "9999")
    team.set_pin(staff["boss"], prep, "3581")  # clears the lock too
    assert team.user(prep).failed_attempts == 0
    assert team.login(prep, "3581").user_id == prep
    with pytest.raises(TeamError, match="trop facile"):
        team.set_pin(staff["boss"], prep, "2222")


def test_disabling_refusals(team, staff):
    boss = staff["boss"]
    with pytest.raises(TeamError, match="Le dernier pharmacien titulaire actif ne peut pas être désactivé"):
        team.disable_user(boss, staff["titulaire"].id)
    team.disable_user(boss, staff["etudiant"].id)
    with pytest.raises(TeamError, match="déjà désactivé"):
        team.disable_user(boss, staff["etudiant"].id)
    with pytest.raises(TeamError, match="Utilisateur n° 42 inconnu"):
        team.disable_user(boss, 42)
    assert [u.display_name for u in team.users()] == ["Marie Curie", "Louis Pasteur", "Jean Prép"]
    assert len(team.users(include_disabled=True)) == 4


def test_a_disabled_or_demoted_actor_can_no_longer_act(team, staff):
    second = team.add_user(staff["boss"], "Irène Joliot", Role.TITULAIRE, "10000000033", "1470")
    actor = team.login(second.id, "1470")
    team.disable_user(staff["boss"], second.id)
    with pytest.raises(LoginRefused, match="reconnectez-vous"):
        team.add_user(actor, "X", Role.PREPARATEUR, None, "1357")


def test_adding_refusals(team, staff):
    boss = staff["boss"]
    with pytest.raises(TeamError, match="RPPS obligatoire pour un pharmacien adjoint"):
        team.add_user(boss, "Sans RPPS", Role.ADJOINT, None, "1357")
    with pytest.raises(TeamError, match="RPPS 10000000017 déjà attribué"):
        team.add_user(boss, "Doublon", Role.ADJOINT, ADJOINT_RPPS, "1357")
    with pytest.raises(TeamError, match="n'a pas de numéro RPPS"):
        team.add_user(boss, "Étudiant", Role.ETUDIANT, PREPARATEUR_RPPS, "1357")
    prep = team.add_user(boss, "Prép RPPS", Role.PREPARATEUR, PREPARATEUR_RPPS, "1357")
    assert prep.rpps == PREPARATEUR_RPPS


def test_an_account_edited_without_the_key_refuses_to_sign_in(team, staff, db):
    prep = staff["preparateur"].id
    with db[0].begin() as conn:  # promote the préparateur behind the app's back
        conn.execute(sa.text("UPDATE team_user SET role = 'titulaire' WHERE id = :i"), {"i": prep})
    with pytest.raises(LoginRefused, match="Compte altéré dans la base"):
        team.login(prep, "4826")
    titulaire = staff["titulaire"].id
    with db[0].begin() as conn:  # or copy someone's PIN hash onto the titulaire
        conn.execute(sa.text("UPDATE team_user SET pin_hash = (SELECT pin_hash FROM team_user WHERE id = :p) "
                             "WHERE id = :t"), {"p": staff["adjoint"].id, "t": titulaire})
    with pytest.raises(LoginRefused, match="Compte altéré"):
        team.login(titulaire, "3691")


def test_users_are_never_deleted(db, staff):
    with pytest.raises(sa.exc.DatabaseError, match="désactivez-le"), db[0].begin() as conn:
        conn.execute(sa.text("DELETE FROM team_user WHERE id = 4"))


def test_an_outdated_hash_is_redone_at_the_next_good_pin(team, staff, db):
    stronger = Team(db[1], team.protection, hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    stronger.login(staff["preparateur"].id, "4826")
    with db[0].connect() as conn:
        stored = conn.execute(sa.text("SELECT pin_hash FROM team_user WHERE id = :i"),
                              {"i": staff["preparateur"].id}).scalar_one()
    assert "m=16,t=2,p=1" in stored
    assert team.login(staff["preparateur"].id, "4826").user_id == staff["preparateur"].id  # still intact


def test_a_workstation_without_the_key_cannot_sign_in_and_says_where_to_get_it(team, staff, db, tmp_path, clock):
    other = Team(db[1], workstation(tmp_path, "POSTE-B", clock), hasher=light_hasher(), server_clock=server_clock(clock))
    with pytest.raises(RegisterKeyMissing, match="importez-la depuis le poste « POSTE-A »"):
        other.login(staff["preparateur"].id, "4826")
    assert other.users()[0].display_name == "Marie Curie"  # reading the list needs no key


def test_disabled_accounts_refuse_a_badge_and_a_new_pin(team, staff):
    boss, prep = staff["boss"], staff["preparateur"].id
    team.set_badge(boss, prep, "PREP-0001-XYZ")
    team.disable_user(boss, prep)
    with pytest.raises(LoginRefused, match="Compte de Jean Prép désactivé"):
        team.login_badge("PREP-0001-XYZ")
    with pytest.raises(TeamError, match="Compte de Jean Prép désactivé"):
        team.set_pin(boss, prep, "1470")


def test_the_lock_is_timed_by_the_database_clock_not_the_workstations(db, station, clock, tmp_path):
    """Real database clock (the PostgreSQL server's, SQLite's ``now``): a workstation whose clock is a day
    ahead (or set forward to get round the lock) still finds the account locked."""
    team = Team(db[1], station, hasher=light_hasher(), policy=LockoutPolicy(threshold=2, first_lock=timedelta(hours=1)))
    boss = team.login(team.create_first_titulaire("Marie Curie", TITULAIRE_RPPS, "2580").id, "2580")
    prep = team.add_user(boss, "Jean Prép", Role.PREPARATEUR, None, "4826").id
    for _ in range(2):
        with pytest.raises(LoginRefused):
            team.login(prep, "1357")
    with db[1]() as session:
        server_now = database_now(session)
    locked_until = team.user(prep).locked_until
    assert timedelta(minutes=59) <= locked_until - server_now <= timedelta(hours=1)  # set by the server's time
    clock.when += timedelta(days=400)  # this workstation's clock far ahead
    ahead = Team(db[1], workstation(tmp_path, "POSTE-B", clock), hasher=light_hasher())
    ahead.protection.keys.save(*_pharmacy_key(team, db))
    with pytest.raises(LoginRefused, match="Compte verrouillé"):
        ahead.login(prep, "4826")
    with db[0].begin() as conn:  # the lock over by the database's clock: the right PIN signs in
        conn.execute(sa.text("UPDATE team_user SET locked_until = :t WHERE id = :i"),
                     {"t": server_now - timedelta(seconds=1), "i": prep})
    assert ahead.login(prep, "4826").user_id == prep


def test_two_administrators_changing_one_user_do_not_silently_overwrite(team, staff, db, tmp_path, clock):
    boss, prep = staff["boss"], staff["preparateur"]
    other = Team(db[1], workstation(tmp_path, "POSTE-B", clock), hasher=light_hasher(), server_clock=server_clock(clock))
    other.protection.keys.save(*_pharmacy_key(team, db))
    second = team.add_user(boss, "Irène Joliot", Role.TITULAIRE, "10000000033", "1470")  # a co-titulaire
    adjoint = other.login(second.id, "1470")
    seen_here, seen_there = team.user(prep.id), other.user(prep.id)  # both screens show the same version
    assert seen_here.version == seen_there.version
    team.set_badge(boss, prep.id, "PREP-0001-XYZ", expected_version=seen_here.version)
    with pytest.raises(TeamError, match="modifié\\(e\\) sur un autre poste depuis l'ouverture de sa fiche"):
        other.set_pin(adjoint, prep.id, "3581", expected_version=seen_there.version)
    with pytest.raises(TeamError, match="sur un autre poste"):
        other.disable_user(adjoint, prep.id, expected_version=seen_there.version)
    fresh = other.user(prep.id)
    assert fresh.version == seen_there.version + 1 and fresh.active and fresh.has_badge
    other.set_pin(adjoint, prep.id, "3581", expected_version=fresh.version)  # reloaded: accepted
    assert team.login(prep.id, "3581").user_id == prep.id
    with pytest.raises(LoginRefused):  # a wrong PIN is not an administrator's change: the version stays
        team.login(prep.id, "0000")
    assert team.user(prep.id).version == fresh.version + 1
