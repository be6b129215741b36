"""The ordonnancier CLI: exports readable by their owner only; a corrected CIP13 gets its own name."""

from __future__ import annotations

import csv
import stat

import pytest

from app.catalogue import import_release
from app.cli import main
from app.storage.db import open_database
from tests.catalogue.conftest import RELEASE_2022, SLICE_CIS, make_slice
from tests.ordonnancier.test_cli import filled  # noqa: F401  (fixture)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_exports_and_reprints_are_private(filled, tmp_path, capsys):  # noqa: F811
    url, _ = filled
    out_csv, out_pdf = tmp_path / "ordo.csv", tmp_path / "ordo.pdf"
    out_csv.write_text("old")  # an earlier, world-readable export is replaced, not reused
    out_csv.chmod(0o644)
    assert main(["--db", url, "ordonnancier", "export", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--csv", str(out_csv), "--pdf", str(out_pdf)]) == 0
    assert _mode(out_csv) == 0o600 and _mode(out_pdf) == 0o600
    assert out_csv.read_bytes().startswith(b"\xef\xbb\xbfnumero;")
    copy = tmp_path / "copie.pdf"
    assert main(["--db", url, "reprint", "SPEC1MENAB2C3D4E5F6A", "--out", str(copy)]) == 0
    assert _mode(copy) == 0o600 and copy.read_bytes().startswith(b"%PDF")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_unwritable_export_is_one_french_line(filled, tmp_path, capsys):  # noqa: F811
    url, _ = filled
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["--db", url, "ordonnancier", "export", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--csv", str(blocker / "ordo.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"comptoir: Impossible d'écrire {blocker / 'ordo.csv'}") and "Traceback" not in err


@pytest.fixture
def with_catalogue(filled, tmp_path):  # noqa: F811
    url, _ = filled
    engine, factory = open_database(url)
    import_release(factory, make_slice(RELEASE_2022, tmp_path / "2022-06", SLICE_CIS))
    engine.dispose()
    return url


def _last_row(capsys, url) -> list[str]:
    capsys.readouterr()
    assert main(["--db", url, "ordonnancier", "export", "--from", "2026-11-01", "--to", "2026-11-30"]) == 0
    return list(csv.reader(capsys.readouterr().out.splitlines(), delimiter=";"))[-1]


def test_correct_cip13_takes_the_catalogue_name(with_catalogue, capsys):
    url = with_catalogue
    assert main(["--db", url, "ordonnancier", "correct", "1", "--reason", "erreur de boîte",
                 "--cip13", "3400930065785"]) == 0
    last = _last_row(capsys, url)
    assert (last[8], last[9]) == ("LEVOTHYROX 75 microgrammes, comprimé sécable", "3400930065785")


def test_correct_with_an_explicit_product_name(with_catalogue, capsys):
    url = with_catalogue
    assert main(["--db", url, "ordonnancier", "correct", "1", "--reason", "x", "--cip13", "3400930000014",
                 "--product", "PRODUIT HORS CATALOGUE"]) == 0
    assert _last_row(capsys, url)[8:10] == ["PRODUIT HORS CATALOGUE", "3400930000014"]


def test_correct_refuses_an_unknown_cip13(with_catalogue, capsys):
    url = with_catalogue
    assert main(["--db", url, "ordonnancier", "correct", "1", "--reason", "x", "--cip13", "3400930000014"]) == 2
    err = capsys.readouterr().err
    assert "CIP13 3400930000014 inconnu du catalogue" in err and "--product" in err
    assert _last_row(capsys, url)[0] == "8"  # nothing written


def test_correct_cip13_without_catalogue_asks_for_the_name(filled, capsys):  # noqa: F811
    url, _ = filled
    assert main(["--db", url, "ordonnancier", "correct", "1", "--reason", "x", "--cip13", "3400930065785"]) == 2
    assert "catalogue non importé" in capsys.readouterr().err
