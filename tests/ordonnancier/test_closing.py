"""Daily closings: made at the first write of a later day, by ``close`` and at the app's start; written to
the workstation's anchor file (outside the database) and to the exports; what a deleted or rolled-back
anchor file, and a register reset under the same database, look like."""

from __future__ import annotations

import csv
import json
import shutil
import stat
from datetime import date, datetime, timedelta

import pytest

from app.cli import main
from app.storage.db import open_database, transaction
from app.storage.ordonnancier import close_days, close_previous_days, verify_chain
from app.storage.ordonnancier_read import closings_between
from tests.ordonnancier.protect import Clock, as_cli, record_delivery, tamper, workstation
from tests.printing.pdfcheck import pdf_text


@pytest.fixture
def counter(db_url, tmp_path):
    engine, factory = open_database(db_url)
    clock = Clock().at(24)
    yield engine, factory, workstation(tmp_path, "A", clock), clock
    engine.dispose()


def _anchor_lines(protection) -> list[dict]:
    return [json.loads(line) for line in protection.anchors.path.read_text("utf-8").splitlines()]


def _verify(factory, protection, **kwargs):
    with factory() as session:
        return verify_chain(session, protection=protection, **kwargs)


def test_the_first_write_of_a_day_closes_the_days_before(counter):
    engine, factory, a, clock = counter
    with transaction(factory) as session:
        record_delivery(session, 1, a)  # n° 1-4 on the 24th
        record_delivery(session, 2, a)  # n° 5-8
    with factory() as session:
        assert closings_between(session, date(2026, 11, 1), date(2026, 11, 30)) == []
    clock.at(26, 8)
    with transaction(factory) as session:
        record_delivery(session, 3, a, lines=2)  # n° 9-10: closes the 24th (nothing on the 25th)
    with factory() as session:
        closings = closings_between(session, date(2026, 11, 1), date(2026, 11, 30))
    assert [(c.day, c.number, c.workstation) for c in closings] == [(date(2026, 11, 24), 8, "A")]
    lines = _anchor_lines(a)
    assert [line["kind"] for line in lines] == ["keying", "closing"]
    assert lines[1]["number"] == 8 and lines[1]["mac"] == closings[0].mac and lines[1]["day"] == "2026-11-24"
    assert lines[1]["database"] == engine.url.render_as_string(hide_password=True)
    assert stat.S_IMODE(a.anchors.path.stat().st_mode) == 0o600
    assert _verify(factory, a).ok


def test_a_day_is_the_workstations_local_day(counter):
    _, factory, a, clock = counter
    clock.at(24, 23, 30)  # 22:30 UTC: still the 24th here
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    clock.at(25, 0, 30)  # 23:30 UTC on the 24th, but the 25th here
    with transaction(factory) as session:
        record_delivery(session, 2, a)
    with factory() as session:
        assert [(c.day, c.number) for c in closings_between(session, date(2026, 11, 1), date(2026, 11, 30))] \
            == [(date(2026, 11, 24), 4)]


def test_close_command_and_app_start(counter, monkeypatch, capsys):
    engine, factory, a, clock = counter
    url = engine.url.render_as_string(hide_password=False)
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    clock.at(25)
    assert close_previous_days(factory, a)[0].number == 4  # at start the next day: the 24th is closed
    assert close_previous_days(factory, a) == []
    with transaction(factory) as session:
        record_delivery(session, 2, a)
    as_cli(monkeypatch, a)
    monkeypatch.setattr("app.storage.ordonnancier_keying._local_now", clock)
    assert main(["--db", url, "ordonnancier", "close"]) == 0  # today so far, by hand
    out = capsys.readouterr().out
    assert out.startswith("Journée du 25/11/2026 clôturée : dernière écriture n° 8, sceau ")
    assert str(a.anchors.path) in out
    assert main(["--db", url, "ordonnancier", "close"]) == 0
    assert capsys.readouterr().out.startswith("Rien à clôturer")
    assert main(["--db", url, "ordonnancier", "close", "--date", "2026-12-01"]) == 2
    assert "n'est pas encore passé" in capsys.readouterr().err


def test_the_app_start_without_the_key_closes_nothing_and_does_not_fail(counter, tmp_path):
    _, factory, a, clock = counter
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    clock.at(25)
    assert close_previous_days(factory, workstation(tmp_path, "B", clock)) == []


def test_an_unwritable_anchor_file_does_not_stop_the_counter_and_closes_later(counter):
    _, factory, a, clock = counter
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    clock.at(25)
    a.anchors.path.rename(a.anchors.path.with_suffix(".keep"))
    a.anchors.path.mkdir()  # a folder where the file should be: cannot be appended to
    with transaction(factory) as session:
        record_delivery(session, 2, a)  # recorded all the same
    with factory() as session:
        assert closings_between(session, date(2026, 11, 1), date(2026, 11, 30)) == []
    a.anchors.path.rmdir()
    a.anchors.path.with_suffix(".keep").rename(a.anchors.path)
    clock.at(26)
    with transaction(factory) as session:
        record_delivery(session, 3, a)
    with factory() as session:
        assert [(c.day, c.number) for c in closings_between(session, date(2026, 11, 1), date(2026, 11, 30))] \
            == [(date(2026, 11, 24), 4), (date(2026, 11, 25), 8)]
    assert _verify(factory, a).ok


@pytest.fixture
def three_days(counter):
    """Deliveries on the 24th, 25th and 26th; the 24th and 25th closed by workstation A."""
    engine, factory, a, clock = counter
    for day, n in ((24, 1), (25, 2), (26, 3)):
        clock.at(day)
        with transaction(factory) as session:
            record_delivery(session, n, a)
    return engine, factory, a, clock


def test_a_deleted_anchor_file_is_named_against_the_closings_of_the_database(three_days):
    _, factory, a, _ = three_days
    a.anchors.path.unlink()
    result = _verify(factory, a)
    assert (result.ok, result.broken_number, result.broken_on) == (False, 1, date(2026, 11, 24))
    assert result.reason == (f"le fichier d'ancrage {a.anchors.path} a disparu ; il devait contenir le passage à la "
                             "clé fait par ce poste : fichier supprimé ou restauré d'une copie plus ancienne")


def test_a_rolled_back_anchor_file_is_named_against_the_closings_of_the_database(counter):
    _, factory, a, clock = counter
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    clock.at(25)
    with transaction(factory) as session:
        record_delivery(session, 2, a)
    older = a.anchors.path.read_bytes()  # keying + closing of the 24th
    clock.at(26)
    with transaction(factory) as session:
        record_delivery(session, 3, a)  # closes the 25th
    a.anchors.path.write_bytes(older)
    result = _verify(factory, a)
    assert (result.ok, result.broken_number, result.broken_on) == (False, 8, date(2026, 11, 25))
    assert "ne contient plus la clôture du 25/11/2026 faite par ce poste (1 clôture(s) manquante(s))" in result.reason


def test_an_edited_anchor_line_is_named(three_days):
    _, factory, a, _ = three_days
    lines = a.anchors.path.read_text("utf-8").splitlines()
    data = json.loads(lines[1])
    data["number"] = 3
    lines[1] = json.dumps(data)
    a.anchors.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _verify(factory, a)
    assert not result.ok and "a été modifiée ou ajoutée sans la clé" in result.reason


def test_a_line_cut_short_by_a_crash_is_not_tampering(three_days):
    _, factory, a, _ = three_days
    with a.anchors.path.open("a", encoding="utf-8") as fh:
        fh.write('{"kind":"closing","day":"2026-11')
    result = _verify(factory, a)
    assert result.ok and any("incomplète (écriture interrompue)" in n for n in result.notes)


def test_everything_in_the_database_and_the_anchor_file_rolled_back_together_shows_against_an_export(
        three_days, tmp_path, monkeypatch, capsys):
    """What the anchor file cannot see: the intruder rolled back the database (entries, checkpoints,
    closings, archive, outbox) and this workstation's file together. An export filed earlier still can."""
    engine, factory, a, _ = three_days
    url = engine.url.render_as_string(hide_password=False)
    as_cli(monkeypatch, a)
    export = tmp_path / "registre-novembre.csv"
    assert main(["--db", url, "ordonnancier", "export", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--csv", str(export)]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(export.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert [(r["numero"], r["cloture"]) for r in rows if r["cloture"]] == [("4", "2026-11-24"), ("8", "2026-11-25")]
    lines = a.anchors.path.read_text("utf-8").splitlines(keepends=True)
    a.anchors.path.write_text("".join(lines[:2]), encoding="utf-8")  # keying + the 24th
    tamper(engine, "DELETE FROM ordonnancier_entry WHERE number > 4",
           "DELETE FROM ordonnancier_checkpoint WHERE number > 4",
           "DELETE FROM ordonnancier_closing WHERE number > 4",
           "DELETE FROM delivery_archive WHERE delivery_id <> 'D0001'",
           "DELETE FROM counter_outbox WHERE delivery_id <> 'D0001'")
    # Without the export only the dropped triggers (SQLite) show: no entry is named.
    assert all(f.number is None for f in _verify(factory, a).findings)
    assert main(["--db", url, "ordonnancier", "verify", "--export", str(export)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Ordonnancier altéré : écriture n° 5 du 25/11/2026 — écriture(s) n° 5 à 12 manquante(s)")
    assert "(export registre-novembre.csv)" in err


def test_a_register_reset_under_the_same_database_is_named_by_the_anchor_file(three_days):
    engine, factory, a, _ = three_days
    tamper(engine, "DELETE FROM ordonnancier_entry", "DELETE FROM ordonnancier_checkpoint",
           "DELETE FROM ordonnancier_closing", "DELETE FROM delivery_archive", "DELETE FROM counter_outbox",
           "DELETE FROM ordonnancier_keying",
           "INSERT INTO ordonnancier_keying (id, legacy_last, legacy_head, created_at) "
           f"VALUES (1, 0, '{'0' * 64}', '2026-11-24 08:00:00')")
    result = _verify(factory, a)
    assert not result.ok
    assert "le registre de cette base a été réinitialisé : le fichier d'ancrage" in result.reason


def test_other_workstations_closings_are_copied_to_each_anchor_file(three_days, tmp_path):
    _, factory, a, clock = three_days
    b = workstation(tmp_path, "B", clock)
    shutil.copytree(a.keys.directory, b.keys.directory)  # as `key import` would
    with transaction(factory) as session:
        assert close_days(session, protection=b)[0].number == 12  # B closes the 26th
    copied = [(line["day"], line["workstation"]) for line in _anchor_lines(b)]
    assert copied == [("2026-11-26", "B"), ("2026-11-24", "A"), ("2026-11-25", "A")]
    assert _verify(factory, b).ok and _verify(factory, a).ok


def test_the_pdf_export_carries_each_days_head(three_days, tmp_path, monkeypatch, capsys):
    engine, factory, a, _ = three_days
    as_cli(monkeypatch, a)
    out = tmp_path / "registre.pdf"
    assert main(["--db", engine.url.render_as_string(hide_password=False), "ordonnancier", "export",
                 "--from", "2026-11-24", "--to", "2026-11-26", "--pdf", str(out)]) == 0
    with factory() as session:
        closings = closings_between(session, date(2026, 11, 24), date(2026, 11, 26))
    text = pdf_text(out.read_bytes())
    assert "Clôtures journalières" in text
    for c in closings:
        assert f"n° {c.number}" in text and c.head in text.replace(" ", "")


def test_the_apps_services_close_earlier_days_with_the_settings_workstation(db_url, tmp_path, monkeypatch):
    """``app.wiring.build_services`` (the window's start) closes the days left open, as the workstation
    its settings name (key store, anchor file); the counter's store seals with that same protection."""
    from app.config import load_settings
    from app.storage.ordonnancier_keying import Protection
    from app.wiring import build_services

    yesterday = Clock(datetime.now().astimezone() - timedelta(days=1))
    a = workstation(tmp_path, "A", yesterday)
    as_cli(monkeypatch, a)
    monkeypatch.setenv("COMPTOIR_DB_URL", db_url)
    engine, factory = open_database(db_url)
    with transaction(factory) as session:
        record_delivery(session, 1, a)
    engine.dispose()

    services = build_services(load_settings())
    try:
        with services.session_factory() as session:
            closings = closings_between(session, yesterday().date(), yesterday().date())
        assert [(c.number, c.workstation) for c in closings] == [(4, "A")]
        assert [line["kind"] for line in _anchor_lines(a)] == ["keying", "closing"]
        protection = services.counter.store.protection
        assert isinstance(protection, Protection) and protection.workstation == "A"
        assert protection.anchors.path == a.anchors.path
    finally:
        services.close()
