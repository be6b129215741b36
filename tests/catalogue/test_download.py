"""`comptoir catalogue update`: the 2026-05 files served by a local HTTP server over a 2022-06 catalogue,
with a cut connection (resumed, or nothing changes), corrupt files (nothing changes, the file is named)
and the confirmation read from the terminal."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.catalogue import Catalogue, import_release
from app.catalogue.download import DownloadError, file_url, release_from
from app.catalogue.guards import ImportRefused
from app.catalogue.update import CatalogueAge, apply, catalogue_age, check, fetch
from app.cli import main
from app.config import CatalogueSettings
from app.storage.db import open_database
from app.storage.models.catalogue import CataloguePresentation
from tests.catalogue.bdpm_server import BdpmServer, Published
from tests.catalogue.conftest import RELEASE_2022, RELEASE_2026

ANASTROZOLE = "3400949497294"  # 30,36 € in 2022-06, 24,34 € in 2026-05
OPTIONAL = ["CIS_GENER_bdpm.txt", "CIS_COMPO_bdpm.txt", "CIS_CPD_bdpm.txt"]
NO_WAIT = CatalogueSettings(timeout_s=10, attempts=3)


@pytest.fixture(scope="module")
def sqlite_2022(tmp_path_factory) -> Path:
    """The 2022-06 catalogue imported once, in a SQLite file each test copies."""
    path = tmp_path_factory.mktemp("bdpm") / "2022-06.sqlite3"
    engine, factory = open_database(f"sqlite:///{path}")
    import_release(factory, RELEASE_2022, release="2022-06")
    engine.dispose()
    return path


@pytest.fixture
def db_2022(sqlite_2022, tmp_path):
    path = tmp_path / "comptoir.sqlite3"
    shutil.copyfile(sqlite_2022, path)
    url = f"sqlite:///{path}"
    engine, factory = open_database(url)
    yield url, factory
    engine.dispose()


@pytest.fixture
def published(tmp_path) -> Published:
    return Published(RELEASE_2026)


@pytest.fixture
def server(published):
    with BdpmServer(published) as running:
        yield running


def _state(factory) -> tuple[str | None, Decimal | None, int]:
    with factory() as session:
        count = session.scalar(select(func.count()).select_from(CataloguePresentation))
    catalogue = Catalogue(factory)
    return catalogue.release(), catalogue.by_cip13(ANASTROZOLE).price, count


def test_the_command_downloads_2026_05_reports_and_applies_it_once_confirmed(db_2022, server, published, capsys,
                                                                          monkeypatch):
    url, factory = db_2022
    before = _state(factory)
    assert before[:2] == ("2022-06", Decimal("30.36"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer (no terminal, end of input): a no
    assert main(["catalogue", "update", "--from", server.base("2026-05"), "--db", url]) == 1
    out, err = capsys.readouterr()
    assert "Mise à jour BDPM 2026-05 vérifiée" in out and "pas encore appliquée" in out
    assert "Présentations ajoutées : 3236, retirées : 3079, modifiées : 8082 (dont 4710 changements de prix)" in out
    assert "Changements de prix (4710) :" in out and "Présentations retirées (3079) :" in out
    assert "Absents de cette version (données actuelles conservées) : " + ", ".join(OPTIONAL) in err
    assert "Mise à jour abandonnée : rien n'a été modifié." in err
    assert _state(factory) == before  # declined: nothing changed

    monkeypatch.setattr("sys.stdin", io.StringIO("oui\n"))
    assert main(["catalogue", "update", "--from", server.base("2026-05"), "--db", url]) == 0
    out, _ = capsys.readouterr()
    assert "Appliquer cette mise à jour ? [o/N]" in out and "Catalogue BDPM 2026-05 importé" in out
    release, price, _count = _state(factory)
    assert (release, price) == ("2026-05", Decimal("24.34"))
    # the files this release lacks were asked for (404) and their data kept
    assert {name for name, _ in published.requests} >= set(OPTIONAL)
    assert Catalogue(factory).generic_group("62080626").group_id == "794"
    assert catalogue_age(factory).checked == date.today()

    assert main(["catalogue", "update", "--from", server.base("2026-05"), "--db", url, "--yes"]) == 0
    out, _ = capsys.readouterr()
    assert "Aucun changement : le catalogue était déjà à jour." in out and "Appliquer" not in out


def test_a_cut_connection_is_resumed_where_it_stopped(db_2022, server, published, tmp_path):
    _url, factory = db_2022
    published.cut = {"CIS_CIP_bdpm.txt": [1_000_000, 2_500_000]}  # cut twice, at 1 MB then 1 + 2.5 MB
    slept: list[float] = []
    fetched = fetch(server.base("2026-05"), NO_WAIT, staging=tmp_path / "staging", sleep=slept.append)
    ranges = [r for name, r in published.requests if name == "CIS_CIP_bdpm.txt"]
    assert ranges == [None, "bytes=1000000-", "bytes=3500000-"] and len(slept) == 2
    assert (fetched.folder / "CIS_CIP_bdpm.txt").read_bytes() == (RELEASE_2026 / "CIS_CIP_bdpm.txt").read_bytes()
    assert fetched.release == "2026-05" and fetched.missing == OPTIONAL
    report = apply(factory, fetched)
    assert len(report.price_changes) == 4710 and _state(factory)[:2] == ("2026-05", Decimal("24.34"))


def test_a_connection_that_keeps_breaking_changes_nothing_and_the_next_run_resumes(db_2022, server, published,
                                                                                  tmp_path):
    _url, factory = db_2022
    before = _state(factory)
    published.cut = {"CIS_CIP_bdpm.txt": [700_000, 0, 0]}  # every attempt of this run breaks
    staging = tmp_path / "staging"
    with pytest.raises(DownloadError) as raised:
        fetch(server.base("2026-05"), NO_WAIT, staging=staging, sleep=lambda _s: None)
    message = raised.value.message
    assert "Téléchargement de CIS_CIP_bdpm.txt interrompu" in message and "après 700000 octets" in message
    assert "reprendra" in message and "Rien n'a été modifié." in message
    assert _state(factory) == before
    assert (staging / "CIS_CIP_bdpm.txt.part").stat().st_size == 700_000

    published.requests.clear()
    fetched = fetch(server.base("2026-05"), NO_WAIT, staging=staging, sleep=lambda _s: None)
    assert ("CIS_CIP_bdpm.txt", "bytes=700000-") in published.requests
    assert fetched.resumed == {"CIS_CIP_bdpm.txt": 700_000}
    apply(factory, fetched)
    assert _state(factory)[:2] == ("2026-05", Decimal("24.34"))


def test_a_file_changed_between_two_runs_is_downloaded_again_from_its_start(server, published, tmp_path):
    published.cut = {"CIS_bdpm.txt": [0, 0, 0]}
    published.replace = {"CIS_bdpm.txt": (RELEASE_2026 / "CIS_bdpm.txt").read_bytes()}
    published.cut["CIS_bdpm.txt"] = [100_000, 0, 0]
    with pytest.raises(DownloadError):
        fetch(server.base("2026-05"), NO_WAIT, staging=tmp_path, sleep=lambda _s: None)
    changed = (RELEASE_2022 / "CIS_bdpm.txt").read_bytes()
    published.replace = {"CIS_bdpm.txt": changed}  # the ANSM published a new file meanwhile
    fetched = fetch(server.base("2026-05"), NO_WAIT, staging=tmp_path, sleep=lambda _s: None)
    assert (fetched.folder / "CIS_bdpm.txt").read_bytes() == changed  # If-Range: whole new file, no mix
    assert "CIS_bdpm.txt" not in fetched.resumed


@pytest.mark.parametrize(("file", "served", "said"), [
    ("CIS_CIP_bdpm.txt", bytes(range(256)) * 4000, "Le fichier CIS_CIP_bdpm.txt téléchargé n'est pas du texte"),
    ("CIS_bdpm.txt", b"<!DOCTYPE html><html><body>Maintenance</body></html>",
     "Le serveur a renvoyé une page web au lieu du fichier CIS_bdpm.txt"),
    ("CIS_CIP_bdpm.txt", b"CIS;CIP7;LIBELLE\n60002283;3400949497294;boite\n",
     "Le fichier CIS_CIP_bdpm.txt n'a pas le format BDPM : ligne 1 à 1 colonne(s) au lieu de 13"),
])
def test_a_corrupt_file_changes_nothing_and_is_named(db_2022, server, published, capsys, file, served, said):
    url, factory = db_2022
    before = _state(factory)
    published.replace = {file: served}
    assert main(["catalogue", "update", "--from", server.base("2026-05"), "--db", url, "--yes"]) != 0
    err = capsys.readouterr().err
    assert said in err and "Rien n'a été modifié." in err
    assert _state(factory) == before


def test_a_file_damaged_in_its_middle_is_refused_by_the_guards(db_2022, server, published, capsys):
    url, factory = db_2022
    before = _state(factory)
    lines = (RELEASE_2026 / "CIS_CIP_bdpm.txt").read_bytes().split(b"\n")
    damaged = [line.replace(b"\t", b" ", 3) if i % 5 == 0 and i > 10 else line for i, line in enumerate(lines)]
    published.replace = {"CIS_CIP_bdpm.txt": b"\n".join(damaged)}  # a fifth of the rows lose columns
    assert main(["catalogue", "update", "--from", server.base("2026-05"), "--db", url, "--yes"]) != 0
    err = capsys.readouterr().err
    assert "Import refusé : le fichier CIS_CIP_bdpm.txt a " in err and "Rien n'a été modifié." in err
    assert _state(factory) == before


def test_a_truncated_file_would_withdraw_too_much_and_is_refused(db_2022, server, published, tmp_path):
    _url, factory = db_2022
    data = (RELEASE_2026 / "CIS_CIP_bdpm.txt").read_bytes()
    published.replace = {"CIS_CIP_bdpm.txt": data[: len(data) // 2]}  # served whole, but half a file
    fetched = fetch(server.base("2026-05"), NO_WAIT, staging=tmp_path)
    with pytest.raises(ImportRefused, match="CIS_CIP_bdpm.txt retirerait"):
        check(factory, fetched)
    assert _state(factory)[0] == "2022-06"


def test_a_release_without_its_presentations_is_refused(db_2022, server, published, tmp_path):
    _url, factory = db_2022
    published.folder = tmp_path / "partial"
    published.folder.mkdir()
    shutil.copy(RELEASE_2026 / "CIS_bdpm.txt", published.folder)
    with pytest.raises(DownloadError, match=r"Le fichier CIS_CIP_bdpm.txt est absent de http://127\.0\.0\.1:\d+/"):
        fetch(server.base("x"), NO_WAIT, staging=tmp_path / "staging")


def test_a_local_folder_is_an_update_source_too(db_2022, capsys):
    url, factory = db_2022
    assert main(["catalogue", "update", "--from", str(RELEASE_2026), "--db", url, "--yes"]) == 0
    assert "Catalogue BDPM 2026-05 importé" in capsys.readouterr().out
    assert _state(factory)[:2] == ("2026-05", Decimal("24.34"))


def test_an_unreachable_server_is_said_in_french(db_2022, capsys):
    url, factory = db_2022
    assert main(["catalogue", "update", "--from", "http://127.0.0.1:9/bdpm/", "--db", url, "--yes"]) != 0
    assert "Serveur du catalogue injoignable (127.0.0.1)" in capsys.readouterr().err
    assert _state(factory)[0] == "2022-06"


def test_file_addresses_and_release_names():
    ansm = "https://base-donnees-publique.medicaments.gouv.fr/download/file/"
    assert file_url(ansm, "CIS_bdpm.txt") == ansm + "CIS_bdpm.txt"
    old = "https://base-donnees-publique.medicaments.gouv.fr/telechargement.php?fichier="
    assert file_url(old, "CIS_CIP_bdpm.txt") == old + "CIS_CIP_bdpm.txt"
    assert file_url("https://miroir.example/bdpm", "CIS_bdpm.txt") == "https://miroir.example/bdpm/CIS_bdpm.txt"
    assert file_url("https://m.example/get?f={file}&v=2", "CIS_bdpm.txt") == "https://m.example/get?f=CIS_bdpm.txt&v=2"
    assert release_from("http://h/2026-05/", [], date(2026, 11, 29)) == "2026-05"
    modified = [datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 24, tzinfo=UTC)]
    assert release_from(ansm, modified, date(2026, 11, 29)) == "2026-11-24"
    assert release_from(ansm, [], date(2026, 11, 29)) == "2026-11-29"


def test_the_age_of_the_catalogue():
    today = date(2026, 11, 29)
    assert CatalogueAge("2026-05", None).is_stale(today, 30)
    assert CatalogueAge("2026-05", date(2026, 11, 1)).days(today) == 28
    assert not CatalogueAge("2026-05", date(2026, 11, 1)).is_stale(today, 30)
    assert not CatalogueAge("2026-11-14", None).is_stale(today, 30)
    assert CatalogueAge("maison", None).is_stale(today, 30)  # a release of unknown date: offer the update
    assert not CatalogueAge(None, None).is_stale(today, 30)  # no catalogue yet: the first start imports one
