"""Corrupted copies of the real files: each bad row is reported with file and line and skipped."""

from __future__ import annotations

import pytest

from app.catalogue import Catalogue, import_release
from app.domain.errors import CatalogueError
from app.storage.db import open_database
from tests.catalogue.conftest import RELEASE_2026


def _lines(path):
    return path.read_bytes().splitlines(keepends=True)


def test_bad_key_short_row_bad_byte_and_bad_price_are_rejected_and_skipped(db_url, wide_release):
    cip = wide_release / "CIS_CIP_bdpm.txt"
    lines = _lines(cip)
    assert len(lines) >= 100  # 4 bad rows stay under the share that refuses the whole file
    bad_key = lines[1].split(b"\t")
    good_cip13 = bad_key[6].decode()
    bad_key[6] = bad_key[6][:-1] + str((int(bad_key[6][-1:]) + 1) % 10).encode()
    lines[1] = b"\t".join(bad_key)  # line 2: CIP13 with a wrong check digit
    lines[3] = b"\t".join(lines[3].split(b"\t")[:5]) + b"\n"  # line 4: short row
    lines[5] = lines[5].replace(b"\t", b"\x81\t", 1)  # line 6: byte undefined in cp1252
    bad_price = lines[6].split(b"\t")
    bad_price[9] = b"12,3,4"
    lines[6] = b"\t".join(bad_price)  # line 7: unreadable price
    cip.write_bytes(b"".join(lines))

    _engine, factory = open_database(db_url)
    report = import_release(factory, wide_release)

    rejected = {(r.file, r.line): r.reason for r in report.rejected}
    assert set(rejected) == {("CIS_CIP_bdpm.txt", n) for n in (2, 4, 6, 7)}
    assert "clé de contrôle" in rejected[("CIS_CIP_bdpm.txt", 2)]
    assert "colonnes" in rejected[("CIS_CIP_bdpm.txt", 4)]
    assert "octet illisible" in rejected[("CIS_CIP_bdpm.txt", 6)]
    assert "prix illisible" in rejected[("CIS_CIP_bdpm.txt", 7)]
    assert report.counts["CIS_CIP_bdpm.txt"] == len(lines) - 4
    catalogue = Catalogue(factory)
    assert catalogue.by_cip13(good_cip13) is None  # the corrupted row is not there under its real code
    assert catalogue.by_cip13("3400930065785").name.startswith("LEVOTHYROX 75")  # the rest is


def test_a_stray_byte_in_a_utf8_file_rejects_that_line_only(tmp_path):
    folder = tmp_path / "2026-05"
    folder.mkdir()
    lines = _lines(RELEASE_2026 / "CIS_CIP_bdpm.txt")[:200]
    assert b"\xc3\xa9" in lines[10]
    lines[10] = lines[10].replace(b"\xc3\xa9", b"\xe9", 1)  # a Windows-1252 "é" in a UTF-8 file
    (folder / "CIS_CIP_bdpm.txt").write_bytes(b"".join(lines))
    from app.catalogue.records import parse_file

    rejected = []
    rows = parse_file(folder / "CIS_CIP_bdpm.txt", "CIS_CIP_bdpm.txt", rejected)
    assert [(r.line, "utf-8" in r.reason) for r in rejected] == [(11, True)]
    assert len(rows) == 199 and "é" in rows[0][1].status


def test_rows_naming_an_unknown_speciality_are_rejected(sqlite_url, wide_release):
    cis = wide_release / "CIS_bdpm.txt"
    kept = [line for line in _lines(cis) if not line.startswith(b"60234100")]  # drop DOLIPRANE's CIS
    cis.write_bytes(b"".join(kept))
    _engine, factory = open_database(sqlite_url)
    report = import_release(factory, wide_release)
    reasons = {r.reason for r in report.rejected}
    assert reasons == {"CIS 60234100 absent du catalogue"}
    assert {r.file for r in report.rejected} == {"CIS_CIP_bdpm.txt", "CIS_COMPO_bdpm.txt"}
    assert Catalogue(factory).presentations_of_cis("60234100") == []
    assert report.counts["CIS_bdpm.txt"] == len(kept)
    assert Catalogue(factory).speciality("63179285") is not None  # STILNOX, the rest is there


def test_a_folder_without_bdpm_files_is_refused(sqlite_url, tmp_path):
    _engine, factory = open_database(sqlite_url)
    with pytest.raises(CatalogueError, match="Aucun fichier BDPM"):
        import_release(factory, tmp_path)
    with pytest.raises(CatalogueError, match="introuvable"):
        import_release(factory, tmp_path / "missing")


def test_a_price_or_pack_count_beyond_the_columns_rejects_that_row_only(db_url, wide_release):
    """Found by the BDPM row properties: a price of 20 digits (or a pack of 99,999,999,999 tablets)
    went through the parser and failed the whole import at the INSERT (OverflowError on SQLite,
    "integer out of range" on PostgreSQL)."""
    cip = wide_release / "CIS_CIP_bdpm.txt"
    lines = _lines(cip)
    huge_price = lines[2].split(b"\t")
    huge_price[9] = b"99999999999999999999"
    lines[2] = b"\t".join(huge_price)
    huge_pack = lines[4].split(b"\t")
    huge_pack[2] = b"plaquette(s) de 99999999999 comprim\xe9(s)"
    lines[4] = b"\t".join(huge_pack)
    cip.write_bytes(b"".join(lines))

    _engine, factory = open_database(db_url)
    report = import_release(factory, wide_release)

    rejected = {(r.file, r.line): r.reason for r in report.rejected}
    assert rejected == {("CIS_CIP_bdpm.txt", 3): "prix hors limites « 99999999999999999999 »",
                        ("CIS_CIP_bdpm.txt", 5): "nombre d'unités de la boîte hors limites "
                                                 "« plaquette(s) de 99999999999 comprimé(s) »"}
    assert report.counts["CIS_CIP_bdpm.txt"] == len(lines) - 2
    assert Catalogue(factory).by_cip13("3400930065785").name.startswith("LEVOTHYROX 75")
