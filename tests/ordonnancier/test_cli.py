"""``comptoir ordonnancier verify|export`` and ``comptoir reprint`` end to end on a SQLite file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.cli import main
from app.config import load_settings
from app.storage import audit
from app.storage.db import open_database, transaction
from app.storage.delivery_archive import archive_delivery
from app.storage.ordonnancier import append_delivery
from tests.ordonnancier.test_storage import _behind_the_triggers, _delivery
from tests.printing.pdfcheck import pdf_text


@pytest.fixture
def filled(sqlite_url):
    engine, factory = open_database(sqlite_url)
    with transaction(factory) as session:
        for n, day in ((1, 20), (2, 26)):
            archive_delivery(session, append_delivery(session, _delivery(n, day=day)))
    yield sqlite_url, engine
    engine.dispose()


def test_verify_reports_an_intact_then_a_broken_register(filled, capsys):
    url, engine = filled
    assert main(["--db", url, "ordonnancier", "verify"]) == 0
    first, compared = capsys.readouterr().out.splitlines()
    assert first == "Ordonnancier intègre : 8 écriture(s) vérifiée(s)."
    assert compared.startswith("  Comparé avec : ") and "2 délivrance(s) archivée(s)" in compared
    _behind_the_triggers(engine, "UPDATE ordonnancier_entry SET patient_name = 'X' WHERE number = 7")
    assert main(["--db", url, "ordonnancier", "verify"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Ordonnancier altéré : écriture n° 7") and "Traceback" not in err


def test_export_writes_csv_and_pdf_for_a_period(filled, tmp_path, capsys):
    url, _ = filled
    out_csv, out_pdf = tmp_path / "ordo.csv", tmp_path / "ordo.pdf"
    assert main(["--db", url, "ordonnancier", "export", "--from", "25/11/2026", "--to", "2026-11-30",
                 "--csv", str(out_csv), "--pdf", str(out_pdf)]) == 0
    assert "4 écriture(s) exportée(s) en PDF" in capsys.readouterr().out
    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:3] == ["numero", "date_delivrance", "ordonnance"]
    assert [r[0] for r in rows[1:]] == ["5", "6", "7", "8"]
    assert rows[1][3] == "DUPRÉ-LŒWENTHAL Zoé" and rows[1][9] == "3400930000014"
    text = pdf_text(out_pdf.read_bytes())
    assert "Ordonnancier du 25/11/2026 au 30/11/2026" in text and "Pharmacie du Comptoir" in text
    assert "DUPRÉ-LŒWENTHAL Zoé" in text and "3400930000014" in text
    named = dict(zip(rows[0], rows[1], strict=True))
    assert "3 rue des Écoles, 75005 Paris" in text and named["adresse_prescripteur"] == "3 rue des Écoles, 75005 Paris"
    assert "9 impasse des Œillets, 13001 Marseille" in text
    assert named["adresse_patient"] == "9 impasse des Œillets, 13001 Marseille"


def test_export_without_file_prints_csv(filled, capsys):
    url, _ = filled
    assert main(["--db", url, "ordonnancier", "export", "--from", "2026-11-20", "--to", "2026-11-20"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and lines[1].startswith("1;2026-11-20;")


def test_export_bad_period_is_one_french_line(filled, capsys):
    url, _ = filled
    assert main(["--db", url, "ordonnancier", "export", "--from", "2026-11-30", "--to", "2026-11-01"]) == 2
    assert capsys.readouterr().err.strip() == (
        "comptoir: Période invalide : la date de fin précède la date de début")
    with pytest.raises(SystemExit):
        main(["--db", url, "ordonnancier", "export", "--from", "hier", "--to", "2026-11-01"])
    assert "date invalide « hier »" in capsys.readouterr().err


def test_reprint_the_latest_delivery_or_a_given_day(filled, tmp_path, capsys):
    url, _ = filled
    number = _delivery(1).number
    out = tmp_path / "copie.pdf"
    assert main(["--db", url, "reprint", number.grouped(), "--out", str(out)]) == 0
    assert "Délivrance du 26/11/2026 réimprimée" in capsys.readouterr().out
    assert "Ordonnancier n° 5" in pdf_text(out.read_bytes())
    assert main(["--db", url, "reprint", str(number), "--date", "20/11/2026", "--mentions"]) == 0
    printed = capsys.readouterr().out
    path = printed.split("réimprimée : ")[1].strip()
    assert "Ordonnancier n° 1" in pdf_text(Path(path).read_bytes())


def test_reprint_unknown_number_is_one_french_line(filled, capsys):
    url, _ = filled
    assert main(["--db", url, "reprint", "ABCD1234EFGH"]) == 2
    assert capsys.readouterr().err.strip() == (
        "comptoir: Aucune délivrance archivée pour l'ordonnance n° ABCD 1234 EFGH")
    assert main(["--db", url, "reprint", "x!"]) == 2
    assert "Numéro d'ordonnance invalide" in capsys.readouterr().err


def test_reprints_and_exports_are_traced_with_the_workstation_when_nobody_signs_in(filled, tmp_path, capsys):
    url, engine = filled
    number = _delivery(1).number
    assert main(["--db", url, "reprint", str(number), "--out", str(tmp_path / "copie.pdf")]) == 0
    assert main(["--db", url, "reprint", "ABCD1234EFGH"]) == 2  # nothing found: nothing traced
    assert main(["--db", url, "ordonnancier", "export", "--from", "2026-11-20", "--to", "2026-11-20"]) == 0
    capsys.readouterr()
    with Session(engine) as session:
        trail = [(e.action, e.user_id, e.workstation, e.object_ref, e.details_dict) for e in audit.entries(session)]
    workstation = load_settings().workstation_name
    assert trail == [
        ("reprint", None, workstation, str(number), {"delivery": _delivery(2).delivery_id, "kind": "copie"}),  # the latest
        ("export", None, workstation, "ordonnancier", {"from": "2026-11-20", "to": "2026-11-20",
                                                       "formats": ["csv-stdout"]})]


def test_unreachable_database_is_one_french_line(tmp_path, capsys):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    assert main(["--db", url, "ordonnancier", "verify"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("comptoir: Base de données inaccessible") and "Traceback" not in err


def test_history_finds_by_patient_or_date(filled, capsys):
    url, _ = filled
    assert main(["--db", url, "history", "--patient", "zoé DUPRE"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line[:16] for line in lines] == ["26/11/2026 10:02", "20/11/2026 10:01"]
    assert "SPEC 1MEN AB2C 3D4E 5F6A  DUPRÉ-LŒWENTHAL Zoé" in lines[0]
    assert main(["--db", url, "history", "--date", "2026-11-21"]) == 1
    assert capsys.readouterr().out.strip() == "Aucune délivrance trouvée."
    assert main(["--db", url, "history"]) == 2
    assert "Indiquez au moins un critère" in capsys.readouterr().err


def test_calibrate_writes_the_page_with_the_settings_printer(tmp_path, capsys):
    config = tmp_path / "settings.toml"
    config.write_text('[printer]\npaper = "A4"\narea_y_mm = 180.0\n', encoding="utf-8")
    out = tmp_path / "cal.pdf"
    assert main(["--config", str(config), "calibrate", "--out", str(out)]) == 0
    assert "Page d'étalonnage (A4)" in capsys.readouterr().out
    assert "papier A4" in pdf_text(out.read_bytes()) and "180 mm du bord haut" in pdf_text(out.read_bytes())
    config.write_text('[printer]\npaper = "A3"\n', encoding="utf-8")
    assert main(["--config", str(config), "calibrate", "--out", str(out)]) == 2
    assert "Format de papier inconnu : « A3 »" in capsys.readouterr().err


def test_correct_appends_a_correction_signed_by_the_settings_pharmacist(filled, capsys):
    url, _ = filled
    assert main(["--db", url, "ordonnancier", "correct", "2", "--reason", "boîte rendue", "--quantity", "0"]) == 0
    assert capsys.readouterr().out.strip() == "Écriture n° 9 inscrite : rectifie le n° 2."
    assert main(["--db", url, "ordonnancier", "export", "--from", "2026-11-20", "--to", "2026-11-20"]) == 0
    last = capsys.readouterr().out.splitlines()[-1].split(";")
    assert (last[0], last[10], last[11], last[13], last[14]) == ("9", "0", "Pharmacien titulaire", "2",
                                                                  "boîte rendue")
    assert main(["--db", url, "ordonnancier", "verify"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "ordonnancier", "correct", "99", "--reason", "x"]) == 2
    assert "l'écriture n° 99 n'existe pas" in capsys.readouterr().err
    assert main(["--db", url, "ordonnancier", "correct", "2", "--reason", "x", "--cip13", "123"]) == 2
    assert "Code CIP13 invalide" in capsys.readouterr().err
