"""Updating 2022-06 with the partial 2026-05 release; re-import idempotent; one transaction; the
first-start import of the shipped release, safe when two workstations start at once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.catalogue import BUNDLED_RELEASE, Catalogue, ensure_bundled_catalogue, import_release
from app.catalogue import bundled as bundled_module
from app.catalogue.importer import release_name
from app.catalogue.sync import Synchroniser
from app.domain.catalogue import GenericRole
from app.storage.db import open_database
from app.storage.models.catalogue import (
    CatalogueComposition,
    CatalogueCondition,
    CatalogueGenericMember,
    CataloguePresentation,
    CatalogueSpeciality,
)
from tests.catalogue.conftest import RELEASE_2026

TABLES = (CatalogueSpeciality, CataloguePresentation, CatalogueComposition, CatalogueCondition,
          CatalogueGenericMember)


def _counts(factory) -> dict[str, int]:
    with factory() as session:
        return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def _release_2026_names(cip13: str) -> tuple[str, str]:
    """(CIS, speciality name) of ``cip13`` read straight from the 2026-05 files (tab-separated)."""
    def rows(name: str) -> list[list[str]]:
        raw = (RELEASE_2026 / name).read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        return [line.split("\t") for line in text.splitlines() if line.strip()]

    cis = next(row[0] for row in rows("CIS_CIP_bdpm.txt") if row[6] == cip13)
    return cis, next(row[1].strip() for row in rows("CIS_bdpm.txt") if row[0] == cis)


def test_the_2022_to_2026_update_report(updated_2026):
    update = updated_2026.reports[1]
    assert update.release == "2026-05" and not update.first_import
    assert update.counts == {"CIS_bdpm.txt": 15848, "CIS_CIP_bdpm.txt": 20899}
    assert update.missing_files == ["CIS_GENER_bdpm.txt", "CIS_COMPO_bdpm.txt", "CIS_CPD_bdpm.txt"]
    assert (len(update.added), len(update.withdrawn), len(update.changed)) == (3236, 3079, 8082)
    assert len(update.price_changes) == 4710
    anastrozole = next(c for c in update.price_changes if c.cip13 == "3400949497294")
    assert (anastrozole.old, anastrozole.new) == (Decimal("30.36"), Decimal("24.34"))
    assert anastrozole.name == "ANASTROZOLE ACCORD 1 mg, comprimé pelliculé"
    assert not set(update.added) & set(update.withdrawn)
    assert any("retirées : 3079" in line for line in update.summary_lines())


def test_after_the_update(updated_2026):
    catalogue = updated_2026.catalogue
    assert catalogue.release() == "2026-05"
    assert catalogue.by_cip13("3400949497294").price == Decimal("24.34")
    withdrawn = catalogue.by_cip13(updated_2026.reports[1].withdrawn[0])
    assert withdrawn is not None and not withdrawn.active  # kept for the records, no longer marketed
    added = catalogue.by_cip13(updated_2026.reports[1].added[0])
    assert (added.cis, added.name) == _release_2026_names(added.cip13)  # as the new files say
    # files the partial release lacks keep the earlier data
    assert [c.substance for c in catalogue.speciality("60002283").compositions] == ["ANASTROZOLE"]
    assert catalogue.generic_group("62080626").group_id == "794"
    assert catalogue.by_cip13("3400930065785").flags  # LEVOTHYROX keeps its liste II


def test_reimporting_the_update_changes_nothing(updated_2026):
    again = updated_2026.reports[2]
    assert again.unchanged and again.added == again.withdrawn == again.changed == []
    assert again.price_changes == [] and "Aucun changement" in again.summary_lines()[-1]


def test_the_import_is_one_transaction(db_url, small_release, monkeypatch):
    _engine, factory = open_database(db_url)

    def broken(self, rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Synchroniser, "generics", broken)  # fails after every other table was written
    with pytest.raises(RuntimeError):
        import_release(factory, small_release)
    assert set(_counts(factory).values()) == {0}
    assert Catalogue(factory).release() is None


def test_a_small_release_then_its_partial_update(db_url, small_release, tmp_path):
    from tests.catalogue.conftest import SLICE_CIS, make_slice

    _engine, factory = open_database(db_url)
    first = import_release(factory, small_release)
    assert first.first_import and len(first.added) == first.counts["CIS_CIP_bdpm.txt"]
    partial = make_slice(RELEASE_2026, tmp_path / "bdpm-2026-05", SLICE_CIS)
    update = import_release(factory, partial)
    assert update.release == "2026-05" and not update.first_import
    assert "3400949497294" in {c.cip13 for c in update.price_changes}
    assert import_release(factory, partial).unchanged


def test_release_names_from_folders():
    assert release_name("2026-05") == release_name("bdpm-2026-05") == "2026-05"
    assert release_name("latest") == "latest"


def test_first_start_imports_the_shipped_release_once_even_from_two_workstations(
        db_url, small_release, monkeypatch):
    monkeypatch.setattr(bundled_module, "bundled_release_dir", lambda: small_release)
    factories = [open_database(db_url)[1] for _ in range(2)]  # two "workstations", two engines
    results = []
    barrier = threading.Barrier(2)

    def start(factory):
        barrier.wait()
        results.append(ensure_bundled_catalogue(factory))

    threads = [threading.Thread(target=start, args=(f,)) for f in factories]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2
    imported = [r for r in results if r is not None]
    assert len(imported) == 1 and imported[0].release == BUNDLED_RELEASE  # recorded as the shipped release
    assert Catalogue(factories[0]).release() == BUNDLED_RELEASE
    assert ensure_bundled_catalogue(factories[1]) is None


def test_a_sqlite_without_fts5_searches_through_the_word_table(sqlite_url, small_release):
    from sqlalchemy import text

    engine, factory = open_database(sqlite_url)
    with engine.begin() as conn:  # as if the SQLite library had no FTS5 when the migration ran
        conn.execute(text("DROP TABLE catalogue_fts"))
    import_release(factory, small_release)
    catalogue = Catalogue(factory)
    names = [p.name for p in catalogue.find("lévoth 75")]
    assert names[:2] == ["LEVOTHYROX 75 microgrammes, comprimé sécable"] * 2
    assert set(names[2:]) == {"THYROFIX 75 microgrammes, comprimé"}  # by its substance, after
    assert {p.cis for p in catalogue.find("zolpidem")} == {"63179285"}  # by substance
    assert catalogue.find("doli 1000 compr")[0].cis == "60234100"


def test_a_speciality_added_by_a_partial_release_joins_its_known_generic_group(db_url, small_release, tmp_path):
    import shutil

    partial = tmp_path / "2026-05"
    partial.mkdir()
    for name in ("CIS_bdpm.txt", "CIS_CIP_bdpm.txt"):
        shutil.copy(small_release / name, partial / name)
    for name in ("CIS_bdpm.txt", "CIS_CIP_bdpm.txt", "CIS_COMPO_bdpm.txt", "CIS_CPD_bdpm.txt"):
        path = small_release / name  # THYROFIX 75 (64826590) only in CIS_GENER for the first release
        path.write_bytes(b"".join(line for line in path.read_bytes().splitlines(keepends=True)
                                  if not line.startswith(b"64826590")))
    _engine, factory = open_database(db_url)
    import_release(factory, small_release)
    catalogue = Catalogue(factory)
    assert "64826590" in {m.cis for m in catalogue.generic_group("62080626").generics}
    assert catalogue.presentations_of_cis("64826590") == []
    update = import_release(factory, partial)
    assert update.missing_files == ["CIS_GENER_bdpm.txt", "CIS_COMPO_bdpm.txt", "CIS_CPD_bdpm.txt"]
    boxes = catalogue.presentations_of_cis("64826590")
    assert boxes and all(p.cip13 in update.added for p in boxes)
    assert {(p.generic_group_id, p.generic_role) for p in boxes} == {("794", GenericRole.GENERIC)}
    assert "3400930013793" in {p.cip13 for p in catalogue.substitutes("3400930065785")}  # THYROFIX x30
