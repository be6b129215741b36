"""``comptoir catalogue import|find|generics``: output, JSON shape, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

from app.cli import main
from tests.catalogue.conftest import RELEASE_2026


def test_find_json_on_a_loaded_database(release_2022, capsys):
    assert main(["catalogue", "find", "3400930065785", "--json", "--db", release_2022.url]) == 0
    [box] = json.loads(capsys.readouterr().out)
    assert box == {
        "cip13": "3400930065785", "cip7": "3006578", "cis": "62080626",
        "name": "LEVOTHYROX 75 microgrammes, comprimé sécable",
        "label": "plaquette(s) PVC aluminium de 30 comprimé(s)", "pack_quantity": 30,
        "pack_unit": "comprimé", "price": 1.55, "rate": 65, "conditions": ["liste II"], "active": True,
        "generic_group_id": "794", "generic_role": "princeps",
    }


def test_find_by_name_with_the_global_db_flag(release_2022, capsys):
    assert main(["--db", release_2022.url, "catalogue", "find", "levoth 75"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and lines[0].startswith("3400930065785  LEVOTHYROX 75 microgrammes")


def test_generics_text_and_json(release_2022, capsys):
    assert main(["catalogue", "generics", "62080626", "--db", release_2022.url]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Groupe 794 : LEVOTHYROXINE SODIQUE 75 microgrammes") and "THYROFIX 75" in text
    assert main(["catalogue", "generics", "3400930065785", "--json", "--db", release_2022.url]) == 0
    group = json.loads(capsys.readouterr().out)
    assert group["group_id"] == "794" and [m["cis"] for m in group["princeps"]] == ["62080626"]
    assert "64826590" in {m["cis"] for m in group["generics"]}


def test_bad_input_is_one_line_and_a_non_zero_exit(release_2022, capsys):
    url = release_2022.url
    for argv, message in (
        (["catalogue", "find", "3400930065786", "--db", url], "clé de contrôle fausse"),
        (["catalogue", "find", "  ", "--db", url], "Recherche vide"),
        (["catalogue", "generics", "12", "--db", url], "Code CIS invalide"),
        (["catalogue", "import", "/nonexistent/bdpm", "--db", url], "introuvable"),
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert main(["catalogue", "find", "zzzzqq", "--db", url]) == 1
    assert "Aucune présentation" in capsys.readouterr().err


def test_import_prints_the_update_report(tmp_path, small_release, capsys):
    from tests.catalogue.conftest import SLICE_CIS, make_slice

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["catalogue", "import", str(small_release), "--db", url]) == 0
    assert "Catalogue BDPM 2022-06 importé" in capsys.readouterr().out
    partial = make_slice(RELEASE_2026, tmp_path / "2026-05", SLICE_CIS)
    assert main(["catalogue", "import", str(partial), "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Fichiers absents (données précédentes conservées)" in out
    assert "prix 3400949497294" in out and "30.36 → 24.34" in out


def test_a_wrong_database_url_is_a_message_not_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "app", "catalogue", "find", "doli", "--db", "nonsense://x"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Base de données inaccessible" in result.stderr


def test_generics_json_without_group_prints_null(release_2022, capsys):
    assert main(["catalogue", "find", "comprimé", "--json", "--limit", "200", "--db", release_2022.url]) == 0
    alone = next(p for p in json.loads(capsys.readouterr().out) if p["generic_group_id"] is None)
    assert main(["catalogue", "generics", alone["cip13"], "--json", "--db", release_2022.url]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) is None and "Aucun groupe générique" in captured.err


def test_the_import_report_in_english(tmp_path, small_release, capsys):
    """`--lang en`: the report's own words in English (file names, codes and product names are data)."""
    from tests.catalogue.conftest import SLICE_CIS, make_slice

    url = f"sqlite:///{tmp_path / 'cli-en.sqlite3'}"
    try:
        assert main(["catalogue", "import", str(small_release), "--db", url, "--lang", "en"]) == 0
        assert "BDPM catalogue 2022-06 imported in" in capsys.readouterr().out
        partial = make_slice(RELEASE_2026, tmp_path / "2026-05", SLICE_CIS)
        assert main(["--lang", "en", "catalogue", "import", str(partial), "--db", url]) == 0
        out = capsys.readouterr().out
        assert "Missing files (previous data kept)" in out and "Rows read: " in out
        assert "importé" not in out and "Lignes" not in out
    finally:
        from app import i18n

        i18n.set_language("fr")
