"""The shipped catalogue: built exactly as resources/bdpm/README.md says, and complete enough to work.

It is rebuilt here from the ANSM's files as published (2026-05 CIS and CIS_CIP, 2022-06 for the
rest) and compared byte for byte with what ships; then imported as on a first start."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.catalogue import BUNDLED_RELEASE, Catalogue, bundled_release_dir, ensure_bundled_catalogue
from app.catalogue.bundled import derive_bundle
from app.catalogue.records import FILES
from app.domain.catalogue import Condition
from app.storage.db import open_database
from tests.catalogue.conftest import RELEASE_2022, RELEASE_2026


def test_the_shipped_release_is_2026_05_completed_from_2022_06_as_documented(tmp_path):
    kept = derive_bundle(RELEASE_2026, RELEASE_2022, tmp_path / "rebuilt")
    assert kept == {"CIS_GENER_bdpm.txt": 7764, "CIS_COMPO_bdpm.txt": 28596, "CIS_CPD_bdpm.txt": 21819}
    shipped = Path(str(bundled_release_dir()))
    assert BUNDLED_RELEASE == "2026-05" and shipped.name == "2026-05"
    for name in FILES:
        assert (shipped / name).read_bytes() == (tmp_path / "rebuilt" / name).read_bytes(), name
    for name in ("CIS_bdpm.txt", "CIS_CIP_bdpm.txt"):  # as the ANSM published them
        assert (shipped / name).read_bytes() == (RELEASE_2026 / name).read_bytes()
    older = set((RELEASE_2022 / "CIS_CPD_bdpm.txt").read_bytes().splitlines(keepends=True))
    assert set((shipped / "CIS_CPD_bdpm.txt").read_bytes().splitlines(keepends=True)) <= older  # lines unchanged


def test_the_first_start_imports_it_whole(sqlite_url):
    _engine, factory = open_database(sqlite_url)
    report = ensure_bundled_catalogue(factory)
    assert report.release == "2026-05" and report.missing_files == []
    assert report.counts == {"CIS_bdpm.txt": 15848, "CIS_CIP_bdpm.txt": 20899, "CIS_GENER_bdpm.txt": 7764,
                             "CIS_COMPO_bdpm.txt": 28596, "CIS_CPD_bdpm.txt": 21819}
    assert [r.reason for r in report.rejected] == [f"CIS {c} absent du catalogue"
                                                   for c in ("62969013", "63278664", "64917175", "69912584")]
    catalogue = Catalogue(factory)
    anastrozole = catalogue.by_cip13("3400949497294")
    assert anastrozole.price == Decimal("24.34") and Condition.LISTE_I in anastrozole.flags  # 2026 price, 2022 list
    assert catalogue.generic_group("62080626").group_id == "794"
    assert [c.substance for c in catalogue.speciality("60002283").compositions] == ["ANASTROZOLE"]
