"""A damaged release (empty, garbage or truncated file) or one withdrawing too much is refused as a
whole: nothing changes, a French message names the file, and the CLI exits non-zero."""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import func, select

from app.catalogue import Catalogue, ImportRefused, import_release
from app.catalogue.guards import REJECTION_LIMIT, WITHDRAWAL_LIMIT, check_files, check_withdrawal
from app.catalogue.report import ImportReport, Rejection
from app.catalogue.sync import COMPOSITION, CONDITION, GROUP, MEMBER, PRESENTATION, SPECIALITY
from app.cli import main
from app.storage.db import open_database
from tests.catalogue.conftest import RELEASE_2022, RELEASE_2026

CIP = "CIS_CIP_bdpm.txt"
TABLES = (SPECIALITY, PRESENTATION, COMPOSITION, CONDITION, GROUP, MEMBER)


def _fingerprint(factory) -> tuple:
    """Row counts of every catalogue table, what is marketed, and the release: what a wipe changes."""
    with factory() as session:
        counts = tuple(session.scalar(select(func.count()).select_from(t)) for t in TABLES)
        marketed = tuple(session.scalar(select(func.count()).select_from(t).where(t.c.in_release))
                         for t in (PRESENTATION, SPECIALITY))
    return counts, marketed, Catalogue(factory).release()


def _dump(factory) -> dict[str, list[tuple]]:
    """Every row of every catalogue table (for the small databases): "unchanged" to the byte."""
    with factory() as session:
        return {t.name: sorted(tuple(map(str, r)) for r in session.execute(select(t))) for t in TABLES}


def _release(tmp_path, name: str, files: dict[str, bytes]):
    folder = tmp_path / name
    folder.mkdir()
    for file, data in files.items():
        (folder / file).write_bytes(data)
    return folder


def _truncated(data: bytes, share: float) -> bytes:
    """The first ``share`` of the bytes, as a download cut short (the last line is cut mid-row)."""
    return data[:int(len(data) * share)]


# --- the rules, without a database ----------------------------------------------------------------

def test_a_present_file_needs_valid_rows_and_few_rejections():
    report = ImportReport("x")
    check_files(report, {CIP: 100})
    with pytest.raises(ImportRefused, match=f"le fichier {CIP} est vide"):
        check_files(report, {CIP: 0})
    report.rejected = [Rejection(CIP, n, "5 colonnes au lieu de 13") for n in range(1, 6)]
    check_files(report, {CIP: 100})  # 5 % is still accepted
    with pytest.raises(ImportRefused, match="aucune ligne valide") as refused:
        check_files(report, {CIP: 5})
    assert "ligne 1, 5 colonnes au lieu de 13" in str(refused.value)
    with pytest.raises(ImportRefused, match=r"6 lignes rejetées sur 100 \(6 %, seuil 5 %\)"):
        report.rejected.append(Rejection(CIP, 9, "prix illisible"))
        check_files(report, {CIP: 100})
    assert REJECTION_LIMIT == 0.05


def test_withdrawing_more_than_the_limit_needs_force():
    check_withdrawal(CIP, "présentations", 20, 100, force=False)
    check_withdrawal(CIP, "présentations", 5, 0, force=False)  # nothing in place: a first import
    check_withdrawal(CIP, "présentations", 90, 100, force=True)
    with pytest.raises(ImportRefused) as refused:
        check_withdrawal(CIP, "présentations", 21, 100, force=False)
    message = str(refused.value)
    assert f"{CIP} retirerait 21 présentations sur 100 (21 %, seuil 20 %)" in message
    assert "--force" in message and "Rien n'a été modifié" in message
    assert WITHDRAWAL_LIMIT == 0.20


# --- on the full 2022-06 catalogue (shared by the session: a refusal must leave it as it is) ----

@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated"])
def test_a_damaged_presentation_file_leaves_the_catalogue_unchanged(release_2022, tmp_path, damage):
    real = (RELEASE_2022 / CIP).read_bytes()
    data = {"empty": b"", "garbage": os.urandom(200_000), "truncated": _truncated(real, 0.10)}[damage]
    folder = _release(tmp_path, "2026-05", {CIP: data})
    if damage == "empty":  # the reviewer's case: the real CIS_bdpm.txt beside an empty CIS_CIP
        shutil.copy(RELEASE_2022 / "CIS_bdpm.txt", folder / "CIS_bdpm.txt")
    before = _fingerprint(release_2022.factory)
    with pytest.raises(ImportRefused) as refused:
        import_release(release_2022.factory, folder)
    message = str(refused.value)
    assert message.startswith("Import refusé") and CIP in message and "Rien n'a été modifié" in message
    expected = {"empty": "est vide", "garbage": "aucune ligne valide",
                "truncated": "retirerait 18"}[damage]  # 18,6xx of 20,739 presentations
    assert expected in message
    assert ("--force" in message) == (damage == "truncated")
    assert _fingerprint(release_2022.factory) == before
    assert before[2] == "2022-06" and before[1][0] == 20739


def test_a_garbage_generic_file_keeps_the_groups(release_2022, tmp_path):
    folder = _release(tmp_path, "2026-05", {"CIS_GENER_bdpm.txt": os.urandom(300_000)})
    before = _fingerprint(release_2022.factory)
    with pytest.raises(ImportRefused, match="CIS_GENER_bdpm.txt ne contient aucune ligne valide"):
        import_release(release_2022.factory, folder)
    assert _fingerprint(release_2022.factory) == before
    assert release_2022.catalogue.generic_group("62080626").group_id == "794"


def test_too_many_bad_rows_refuse_the_file_before_any_withdrawal_is_counted(release_2022, tmp_path):
    lines = (RELEASE_2022 / CIP).read_bytes().splitlines(keepends=True)[:1000]
    for n in range(0, 1000, 10):  # one row in ten cut short: 10 % rejected
        lines[n] = b"\t".join(lines[n].split(b"\t")[:5]) + b"\n"
    folder = _release(tmp_path, "2026-05", {CIP: b"".join(lines)})
    with pytest.raises(ImportRefused, match=r"a 100 lignes rejetées sur 1000 \(10 %, seuil 5 %\) ; "
                                            r"première : ligne 1, 5 colonnes au lieu de 13"):
        import_release(release_2022.factory, folder, force=True)  # force does not take a broken file


# --- small catalogues: one transaction, --force, the first import ---------------------------------

def test_a_refusal_after_other_files_were_written_rolls_everything_back(db_url, small_release, tmp_path):
    _engine, factory = open_database(db_url)
    import_release(factory, small_release)
    before = _dump(factory)
    cis = (small_release / "CIS_bdpm.txt").read_bytes().replace(b"LEVOTHYROX 75", b"LEVOTHYROX 76")
    cip = (small_release / CIP).read_bytes().splitlines(keepends=True)[:2]
    folder = _release(tmp_path, "2026-05", {"CIS_bdpm.txt": cis, CIP: b"".join(cip)})
    with pytest.raises(ImportRefused, match="retirerait"):  # CIS_bdpm.txt is written before CIS_CIP
        import_release(factory, folder)
    assert _dump(factory) == before
    assert Catalogue(factory).release() == "2022-06"


def test_the_cli_refuses_then_force_imports(tmp_path, small_release, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["catalogue", "import", str(small_release), "--db", url]) == 0
    capsys.readouterr()
    cip = (small_release / CIP).read_bytes().splitlines(keepends=True)
    folder = _release(tmp_path, "2026-05", {CIP: b"".join(cip[:2])})
    assert main(["catalogue", "import", str(folder), "--db", url]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert f"{CIP} retirerait {len(cip) - 2} présentations sur {len(cip)}" in captured.err
    assert "relancez l'import avec --force" in captured.err
    _engine, factory = open_database(url)
    assert Catalogue(factory).release() == "2022-06"

    assert main(["catalogue", "import", str(folder), "--force", "--db", url]) == 0
    assert f"retirées : {len(cip) - 2}" in capsys.readouterr().out
    assert Catalogue(factory).release() == "2026-05"
    kept, withdrawn = (line.split(b"\t")[6].decode() for line in (cip[0], cip[-1]))
    assert Catalogue(factory).by_cip13(kept).active and not Catalogue(factory).by_cip13(withdrawn).active


def test_the_first_import_is_not_limited_by_withdrawals(db_url, tmp_path):
    """An empty catalogue withdraws nothing: the first 10 % of the real CIS_CIP imports as it is."""
    cip = _truncated((RELEASE_2026 / CIP).read_bytes(), 0.10)
    named = {line.split(b"\t")[0] for line in cip.splitlines()}
    cis = b"".join(line for line in (RELEASE_2026 / "CIS_bdpm.txt").read_bytes().splitlines(keepends=True)
                   if line.split(b"\t")[0] in named)
    folder = _release(tmp_path, "2026-05", {CIP: cip, "CIS_bdpm.txt": cis})
    _engine, factory = open_database(db_url)
    report = import_release(factory, folder)
    assert report.first_import and len(report.added) == report.counts[CIP] > 2000
    assert report.counts[CIP] + len(report.rejected) == len(cip.splitlines())
    assert len(report.rejected) <= 1  # at most the row cut in the middle


# --- last: the update takes over the session's 2022-06 database (see conftest._loaded) -------

def test_the_real_update_stays_under_the_withdrawal_limit(updated_2026):
    """The measurement behind the limit: 3079 of 20739 presentations (14.8 %) withdrawn in 4 years."""
    _before, update, _again = updated_2026.reports
    in_place = 20747 - 8  # the 2022-06 presentations (8 rows name an unknown CIS)
    assert len(update.withdrawn) == 3079
    assert 0.14 < len(update.withdrawn) / in_place < WITHDRAWAL_LIMIT
