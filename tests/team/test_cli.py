"""``comptoir server init``, ``comptoir users …`` and ``comptoir audit …`` end to end: PINs from
standard input (never arguments), French refusals with their exit codes, the key carried over."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from app.cli import main
from app.storage.db import make_engine
from tests.team.conftest import ADJOINT_RPPS, TITULAIRE_RPPS, behind_triggers


@pytest.fixture
def cli(monkeypatch, tmp_path, capsys):
    """Run ``comptoir`` as workstation POSTE-A, standard input given as text; returns (code, out, err)."""
    monkeypatch.setenv("COMPTOIR_WORKSTATION_NAME", "POSTE-A")
    monkeypatch.setenv("COMPTOIR_ORDONNANCIER_KEY_STORE", "file")

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def pharmacy(cli, db_url):
    """``server init`` done: Marie Curie, titulaire n° 1, PIN 2580."""
    code, out, err = cli("--db", db_url, "server", "init", "--name", "Marie Curie", "--rpps", TITULAIRE_RPPS,
                         stdin="2580\n2580\n")
    assert code == 0, err
    return db_url


def test_server_init_migrates_and_creates_the_first_titulaire(cli, pharmacy):
    code, out, _ = cli("--db", pharmacy, "users", "list")
    assert code == 0 and out.splitlines() == ["   1  Marie Curie — pharmacien titulaire — RPPS 10000000009 — actif"]


def test_server_init_says_what_it_did(cli, sqlite_url):
    code, out, err = cli("--db", sqlite_url, "server", "init", "--name", "Marie Curie", "--rpps", TITULAIRE_RPPS,
                         stdin="2580\n")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Base de données prête : sqlite:///") and "(schéma à jour)" in lines[0]
    assert lines[1] == "Pharmacien titulaire n° 1 créé : Marie Curie (RPPS 10000000009)."
    assert "comptoir ordonnancier key export" in lines[2] and "comptoir ordonnancier key import" in lines[2]


def test_server_init_refuses_a_second_titulaire(cli, pharmacy):
    code, _, err = cli("--db", pharmacy, "server", "init", "--name", "Autre", "--rpps", ADJOINT_RPPS,
                       stdin="3691\n3691\n")
    assert code == 2 and err.startswith("comptoir: La pharmacie a déjà un pharmacien titulaire")


@pytest.mark.parametrize("argv, stdin, why", [
    (["--rpps", TITULAIRE_RPPS], "2580\n2581\n", "ligne(s) en trop (les deux saisies du PIN diffèrent ?)"),
    (["--rpps", TITULAIRE_RPPS], "", "Nouveau PIN attendu sur l'entrée standard"),
    (["--rpps", TITULAIRE_RPPS], "1234\n", "PIN refusé : trop facile"),
    (["--rpps", "123"], "2580\n", "Numéro RPPS invalide"),
])
def test_server_init_refusals_create_nothing(cli, sqlite_url, argv, stdin, why):
    code, _, err = cli("--db", sqlite_url, "server", "init", "--name", "Marie Curie", *argv, stdin=stdin)
    assert code == 2 and why in err and "Traceback" not in err
    code, out, err = cli("--db", sqlite_url, "users", "list")  # checked before the database is even created
    assert out.startswith("Aucun utilisateur : comptoir server init") or "Base de données introuvable" in err


def test_the_pin_is_never_an_argument_and_roles_are_checked(cli, sqlite_url, capsys):
    with pytest.raises(SystemExit):
        cli("--db", sqlite_url, "server", "init", "--name", "M", "--rpps", TITULAIRE_RPPS, "--pin", "2580")
    assert "unrecognized arguments: --pin 2580" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli("--db", sqlite_url, "users", "add", "--name", "X", "--role", "caissier", "--as", "1")
    assert "Rôle inconnu : « caissier »" in capsys.readouterr().err


def test_users_add_list_disable_by_the_titulaire(cli, pharmacy):
    code, out, err = cli("--db", pharmacy, "users", "add", "--name", "Jean Prép", "--role", "préparateur",
                         "--as", "1", stdin="2580\n4826\n4826\n")
    assert code == 0, err
    assert out == "Utilisateur n° 2 ajouté : Jean Prép, préparateur.\n"
    code, out, _ = cli("--db", pharmacy, "users", "add", "--name", "Louis Pasteur", "--role", "adjoint", "--rpps",
                       ADJOINT_RPPS, "--badge", "--as", "1", stdin="2580\n3691\nBADGE-LOUIS-01\n")
    assert code == 0 and out == "Utilisateur n° 3 ajouté : Louis Pasteur, pharmacien adjoint (avec badge).\n"
    code, out, _ = cli("--db", pharmacy, "users", "disable", "2", "--as", "1", stdin="2580\n")
    assert code == 0 and out == "Compte n° 2 (Jean Prép) désactivé.\n"
    code, out, _ = cli("--db", pharmacy, "users", "list")
    assert [line.split(" — ")[0].strip() for line in out.splitlines()] == ["1  Marie Curie", "3  Louis Pasteur"]
    assert "badge" in out.splitlines()[1]
    code, out, _ = cli("--db", pharmacy, "users", "list", "--all", "--json")
    listed = json.loads(out)
    assert [(u["id"], u["role"], u["active"], u["badge"]) for u in listed] == [
        (1, "titulaire", True, False), (2, "preparateur", False, False), (3, "adjoint", True, True)]
    assert listed[1]["disabled_at"] is not None


def test_users_refusals(cli, pharmacy):
    db = pharmacy
    assert cli("--db", db, "users", "add", "--name", "Jean", "--role", "preparateur", "--as", "1",
               stdin="2580\n4826\n")[0] == 0
    code, _, err = cli("--db", db, "users", "add", "--name", "X", "--role", "preparateur", "--as", "2",
                       stdin="4826\n1357\n")
    assert code == 2 and "Gérer les utilisateurs : réservé au pharmacien titulaire (CSP L. 5125-20" in err
    code, _, err = cli("--db", db, "users", "add", "--name", "X", "--role", "preparateur", "--as", "1",
                       stdin="9999\n1357\n")
    assert code == 2 and err == "comptoir: PIN incorrect (4 essai(s) avant verrouillage)\n"
    code, _, err = cli("--db", db, "users", "set-pin", "1", "--as", "2", stdin="4826\n1357\n")
    assert code == 2 and "réservé au pharmacien titulaire" in err
    code, _, err = cli("--db", db, "users", "disable", "1", "--as", "1", stdin="2580\n")
    assert code == 2 and "Le dernier pharmacien titulaire actif ne peut pas être désactivé" in err
    code, _, err = cli("--db", db, "users", "add", "--name", "X", "--role", "adjoint", "--as", "1",
                       stdin="2580\n1357\n")
    assert code == 2 and "RPPS obligatoire pour un pharmacien adjoint" in err
    code, out, _ = cli("--db", db, "users", "list")
    assert len(out.splitlines()) == 2


def test_set_pin_and_badge_for_oneself(cli, pharmacy):
    db = pharmacy
    cli("--db", db, "users", "add", "--name", "Jean", "--role", "preparateur", "--as", "1", stdin="2580\n4826\n")
    code, out, _ = cli("--db", db, "users", "set-pin", "2", "--as", "2", stdin="4826\n1470\n1470\n")
    assert code == 0 and out == "PIN de Jean changé.\n"
    assert cli("--db", db, "users", "set-badge", "2", "--as", "2", stdin="1470\nJEAN-BADGE-7\n")[0] == 0
    code, _, err = cli("--db", db, "users", "set-badge", "2", "--as", "2", stdin="4826\nJEAN-BADGE-7\n")
    assert code == 2 and "PIN incorrect" in err  # the old PIN no longer works
    code, out, _ = cli("--db", db, "users", "set-badge", "2", "--remove", "--as", "1", stdin="2580\n")
    assert code == 0 and out == "Badge de Jean retiré.\n"


def test_the_audit_trail_lists_filters_and_verifies(cli, pharmacy):
    db = pharmacy
    cli("--db", db, "users", "add", "--name", "Jean", "--role", "preparateur", "--as", "1", stdin="2580\n4826\n")
    cli("--db", db, "users", "disable", "2", "--as", "1", stdin="9999\n")  # a wrong PIN
    code, out, _ = cli("--db", db, "audit")
    assert code == 2 and out == ""  # the pharmacy has users: reading the trail signs a pharmacist in
    code, out, _ = cli("--db", db, "audit", "--as", "1", stdin="2580\n")
    lines = out.splitlines()
    assert code == 0 and [line.split("  ")[4] for line in lines] == [
        "mise en service de la pharmacie", "utilisateur créé", "connexion", "utilisateur créé", "déconnexion",
        "échec de connexion", "connexion"]  # its own reading is traced last, in its transaction
    assert "  n° 1  POSTE-A  Marie Curie (1)  mise en service de la pharmacie  objet 1" in lines[0]
    assert '"reason":"wrong pin"' in lines[5]
    code, out, _ = cli("--db", db, "audit", "--action", "user.created", "--json", "--as", "1", stdin="2580\n")
    created = [json.loads(line) for line in out.splitlines()]
    assert [(e["seq"], e["object"], e["details"]["role"]) for e in created] == [(2, "1", "titulaire"),
                                                                               (4, "2", "preparateur")]
    assert created[0]["at"].endswith(("+01:00", "+02:00", "+00:00")) and len(created[0]["seal"]) == 64
    code, out, _ = cli("--db", db, "audit", "--user", "1", "--action", "login", "--as", "1", stdin="2580\n")
    assert len(out.splitlines()) == 4  # users add, and the three readings of the trail
    code, out, _ = cli("--db", db, "audit", "verify", "--as", "1", stdin="2580\n")
    assert code == 0 and out == "Journal d'audit intègre : 16 entrée(s) vérifiée(s).\n"  # its own trace follows
    code, out, _ = cli("--db", db, "audit", "--action", "audit.read", "--json", "--as", "1", stdin="2580\n")
    assert [json.loads(line)["user_id"] for line in out.splitlines()] == [1, 1, 1]  # the three readings before
    behind_triggers(make_engine(db), "UPDATE audit_entry SET user_name = 'Autre' WHERE seq = 3")
    code, out, err = cli("--db", db, "audit", "verify", "--as", "1", stdin="2580\n")
    assert code == 1 and err.startswith("Journal d'audit altéré : entrée n° 3 du ") and "sceau invalide" in err
    assert "(2 entrée(s) intègre(s) avant elle)" in err


def test_the_key_created_at_server_init_travels_to_another_workstation(cli, pharmacy, monkeypatch, tmp_path):
    code, _, err = cli("--db", pharmacy, "ordonnancier", "key", "export")
    assert code == 2 and "Connexion requise" in err  # the titulaire's to hand out
    code, out, _ = cli("--db", pharmacy, "ordonnancier", "key", "export", "--as", "1", stdin="2580\n")
    assert code == 0 and out.startswith("comptoir-ordonnancier-cle-v1:")
    monkeypatch.setenv("COMPTOIR_CONFIG_DIR", str(tmp_path / "poste-b"))
    monkeypatch.setenv("COMPTOIR_WORKSTATION_NAME", "POSTE-B")
    code, _, err = cli("--db", pharmacy, "users", "list")
    assert code == 0  # reading needs no key
    code, _, err = cli("--db", pharmacy, "audit", "verify", "--as", "1", stdin="2580\n")
    assert code == 2 and "importez-la depuis le poste « POSTE-A »" in err
    code, _, err = cli("--db", pharmacy, "ordonnancier", "key", "import", stdin=out)
    assert code == 0, err
    assert cli("--db", pharmacy, "audit", "verify", "--as", "1", stdin="2580\n")[0] == 0
    assert cli("--db", pharmacy, "users", "add", "--name", "Jean", "--role", "preparateur", "--as", "1",
               stdin="2580\n4826\n")[0] == 0


def test_no_pin_in_the_log(cli, pharmacy):
    cli("--db", pharmacy, "users", "add", "--name", "Jean", "--role", "preparateur", "--as", "1",
        stdin="7777\n4826\n")
    cli("--db", pharmacy, "users", "add", "--name", "Jean", "--role", "preparateur", "--as", "1",
        stdin="2580\n4826\n")
    logs = "".join(p.read_text(encoding="utf-8") for p in Path(os.environ["COMPTOIR_LOG_DIR"]).glob("*.log*"))
    assert "sign-in refused for user 1 on POSTE-A: wrong pin" in logs
    assert "2580" not in logs and "7777" not in logs and "4826" not in logs


def test_commands_on_a_missing_database_say_so(cli, tmp_path):
    missing = f"sqlite:///{tmp_path / 'nulle-part.sqlite3'}"
    for argv in (["users", "list"], ["audit"], ["audit", "verify"]):
        code, _, err = cli("--db", missing, *argv)
        assert code == 2 and "Base de données introuvable" in err


class Terminal(io.StringIO):
    """Standard input as a terminal: secrets then come from getpass, never from reading stdin."""

    def isatty(self) -> bool:
        return True


def test_at_a_terminal_a_new_pin_is_typed_twice_without_echo(cli, sqlite_url, monkeypatch, capsys):
    typed: list[str] = []
    answers = iter(["2580", "2580"])

    def fake_getpass(prompt: str) -> str:
        typed.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    monkeypatch.setattr("sys.stdin", Terminal())
    assert main(["--db", sqlite_url, "server", "init", "--name", "Marie Curie", "--rpps", TITULAIRE_RPPS]) == 0
    assert typed == ["PIN de Marie Curie (4 à 12 chiffres) : ", "Confirmez : "]
    answers = iter(["2580", "4826", "4862"])  # signed in, then two different new PINs
    monkeypatch.setattr("sys.stdin", Terminal())
    assert main(["--db", sqlite_url, "users", "add", "--name", "Jean", "--role", "preparateur", "--as", "1"]) == 2
    assert capsys.readouterr().err == "comptoir: Les deux saisies diffèrent : rien n'a été enregistré\n"
    assert typed[2:] == ["PIN de l'utilisateur n° 1 : ", "PIN de Jean (4 à 12 chiffres) : ", "Confirmez : "]
    assert len(cli("--db", sqlite_url, "users", "list")[1].splitlines()) == 1


def test_register_commands_sign_a_pharmacist_in_and_are_traced(cli, pharmacy, tmp_path):
    db = pharmacy
    cli("--db", db, "users", "add", "--name", "Jean", "--role", "preparateur", "--as", "1", stdin="2580\n4826\n")
    export = ["ordonnancier", "export", "--from", "2026-11-01", "--to", "2026-11-30", "--csv", str(tmp_path / "r.csv")]
    for argv in (export, ["ordonnancier", "verify"], ["ordonnancier", "close"], ["audit"], ["audit", "verify"],
                 ["ordonnancier", "correct", "1", "--reason", "erreur", "--quantity", "0"]):
        code, out, err = cli("--db", db, *argv)
        assert code == 2 and "Connexion requise" in err and "--as ID" in err, argv
        code, out, err = cli("--db", db, *argv, "--as", "2", stdin="4826\n")  # a préparateur
        assert code == 2 and "votre rôle : préparateur" in err, (argv, err)
    assert not (tmp_path / "r.csv").exists()
    code, out, err = cli("--db", db, *export, "--as", "1", stdin="2580\n")
    assert code == 0 and (tmp_path / "r.csv").exists(), err
    assert cli("--db", db, "ordonnancier", "verify", "--as", "1", stdin="2580\n")[0] == 0
    assert cli("--db", db, "ordonnancier", "close", "--as", "1", stdin="2580\n")[0] == 0
    code, _, err = cli("--db", db, "ordonnancier", "correct", "1", "--reason", "erreur", "--quantity", "0",
                       "--as", "1", stdin="2580\n")
    assert code == 2 and "l'écriture n° 1 n'existe pas" in err  # refused: its trace rolled back with it
    code, out, _ = cli("--db", db, "audit", "--json", "--as", "1", stdin="2580\n")
    entries = [json.loads(line) for line in out.splitlines()]
    traced = [(e["action"], e["user_id"]) for e in entries if e["action"] in (
        "export", "register.verify", "register.close", "register.correct", "audit.read")]
    assert traced == [("export", 1), ("register.verify", 1), ("register.close", 1)]  # the reading: traced last
    code, out, _ = cli("--db", db, "audit", "--action", "audit.read", "--json", "--as", "1", stdin="2580\n")
    assert [json.loads(line)["user_id"] for line in out.splitlines()] == [1]
    export_entry = next(e for e in entries if e["action"] == "export")
    assert export_entry["details"] == {"from": "2026-11-01", "to": "2026-11-30", "formats": ["csv"]}
    assert [e["user_id"] for e in entries if e["action"] == "login.failed"] == []  # refusals were by role
