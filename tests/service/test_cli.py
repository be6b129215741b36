"""The sandbox, prescribe and demo commands, end to end."""

from __future__ import annotations

import errno
import io
import json

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from app.cli import main
from app.domain.identifiers import OrdonnanceNumber
from app.sandbox.errors import SandboxError
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS
from tests.service.conftest import EXAMPLES, demo_bundle

DEMO = EXAMPLES.parent.parent.parent / "resources" / "demo"


def _qr_codes(pdf) -> list[str]:
    page = pypdfium2.PdfDocument(str(pdf))[0]
    return [r.text for r in zxingcpp.read_barcodes(page.render(scale=1.5).to_pil())]


def test_token_command(tmp_path, capsys):
    from datetime import UTC, datetime, timedelta

    db = f"sqlite:///{tmp_path / 'sbx.sqlite3'}"
    assert main(["sandbox", "token", "--pharmacy", "750000010", "--rpps", "10000000009", "--db", db]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("sbx_") and len(out.out.strip()) >= 40
    until = datetime.now(UTC) + timedelta(days=90)
    assert out.err.strip() in (f"Jeton valable 90 jours, jusqu'au {d:%d/%m/%Y}" for d in (until, until - timedelta(1)))
    assert main(["sandbox", "token", "--prescriber", DEMO_PRESCRIBER_RPPS, "--days", "7", "--db", db]) == 0
    assert "Jeton valable 7 jours" in capsys.readouterr().err
    assert main(["sandbox", "token", "--pharmacy", "750000011", "--rpps", "10000000009", "--db", db]) == 2
    assert "FINESS invalide" in capsys.readouterr().err
    for days in ("0", "3651"):
        assert main(["sandbox", "token", "--prescriber", DEMO_PRESCRIBER_RPPS, "--days", days, "--db", db]) == 2
        assert "--days : durée de validité de 1 à 3650 jours" in capsys.readouterr().err


def test_revoke_reads_the_token_on_standard_input(tmp_path, capsys, monkeypatch):
    from app.sandbox.store import SandboxStore

    db = f"sqlite:///{tmp_path / 'sbx.sqlite3'}"
    assert main(["sandbox", "token", "--prescriber", DEMO_PRESCRIBER_RPPS, "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    assert main(["sandbox", "revoke", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == "Jeton révoqué"
    store = SandboxStore(db)
    with pytest.raises(SandboxError, match="jeton d'accès inconnu ou révoqué"):
        store.authenticate(token)
    store.close()
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    assert main(["sandbox", "revoke", "--db", db]) == 2
    assert "Jeton inconnu de ce service : rien n'a été révoqué" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["sandbox", "revoke", "--db", db]) == 2
    assert "Aucun jeton reçu sur l'entrée standard" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["load", "prescribe"])
def test_a_token_in_the_arguments_is_refused_with_the_way_to_give_it(sandbox, tmp_path, capsys, command):
    """A token in argv is readable by every program of the workstation (ps): the flag is gone, and
    saying so beats argparse's English "unrecognized arguments"."""
    before = _prescriptions(sandbox)
    argv = ["sandbox", "load"] if command == "load" else ["prescribe", "--out", str(tmp_path / "o.pdf")]
    assert main([*argv, str(DEMO / "demo-1-amoxicilline.json"), "--url", sandbox.base_url,
                 "--token", sandbox.admin.prescriber_token()]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("comptoir: --token n'est plus accepté : un jeton passé en argument est visible")
    assert "COMPTOIR_PRESCRIBER_TOKEN" in line and "--token-stdin" in line
    assert _prescriptions(sandbox) == before


@pytest.fixture
def prescriber_env(sandbox, monkeypatch):
    """A prescriber token handed over as the commands take it: in the environment, never an argument."""
    monkeypatch.setenv("COMPTOIR_PRESCRIBER_TOKEN", sandbox.admin.prescriber_token())


def test_load_prints_every_number(sandbox, prescriber_env, capsys):
    code = main(["sandbox", "load", str(EXAMPLES), "--url", sandbox.base_url, "--rpps", DEMO_PRESCRIBER_RPPS])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0 and len(out) == 10
    for row in out:
        name, number = row.split("\t")
        assert (EXAMPLES / name).exists() and OrdonnanceNumber.parse(number, check=True)


def test_prescribe_writes_the_paper_ordonnance(sandbox, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(sandbox.admin.prescriber_token() + "\n"))
    pdf = tmp_path / "ordonnance.pdf"
    source = EXAMPLES.parent.parent.parent / "resources" / "demo" / "demo-2-levothyroxine-mte.json"
    assert main(["prescribe", str(source), "--out", str(pdf), "--url", sandbox.base_url, "--token-stdin"]) == 0
    number = capsys.readouterr().out.split("\t")[0]
    text = PdfReader(pdf).pages[0].extract_text()
    for expected in ("Dr Claire MARTIN", f"RPPS : {DEMO_PRESCRIBER_RPPS}", "MOREAU Jeanne", "LEVOTHYROX 75",
                     "1 comprimé avant le petit-déjeuner", "non substituable (MTE)", "À renouveler 2 fois",
                     OrdonnanceNumber(number).grouped()):
        assert expected in text
    assert _qr_codes(pdf) == [number]


def test_prescribe_refuses_an_unreadable_file_or_an_absent_service(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COMPTOIR_PRESCRIBER_TOKEN", "x")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["prescribe", str(bad), "--url", "http://127.0.0.1:9/fhir"]) == 2
    assert "illisible" in capsys.readouterr().err
    good = EXAMPLES / "HAS-05b-Presc-ACTISKENAN.json"
    assert main(["sandbox", "load", str(good), "--url", "http://127.0.0.1:9/fhir"]) == 2
    assert "Service injoignable à http://127.0.0.1:9/fhir" in capsys.readouterr().err


@pytest.mark.slow
def test_demo_seeds_once_and_writes_the_pdfs(tmp_path, capsys):
    from app.config import data_dir

    assert main(["demo", "--no-gui", "--port", "0"]) == 0
    first = capsys.readouterr().out
    seeded = json.loads((data_dir() / "demo-seed.json").read_text())["seeded"]
    assert len(seeded) == 14
    pdfs = sorted((data_dir() / "ordonnances-demo").glob("*.pdf"))
    assert len(pdfs) == 14
    assert _qr_codes(data_dir() / "ordonnances-demo" / "demo-3-trois-lignes.pdf") == [
        seeded["demo-3-trois-lignes.json"]]
    (data_dir() / "ordonnances-demo" / "demo-1-amoxicilline.pdf").unlink()
    assert main(["demo", "--no-gui", "--port", "0"]) == 0
    assert json.loads((data_dir() / "demo-seed.json").read_text())["seeded"] == seeded
    assert (data_dir() / "ordonnances-demo" / "demo-1-amoxicilline.pdf").exists()
    assert seeded["demo-1-amoxicilline.json"] in first


def test_demo_sandbox_stops_when_its_parent_goes(tmp_path):
    from app.cli.demo import free_port, start_sandbox

    process = start_sandbox(f"sqlite:///{tmp_path / 'sbx.sqlite3'}", free_port(0), tmp_path / "sandbox.log")
    try:
        process.stdin.close()  # what the OS does when the demo process dies
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_load_reports_an_unreadable_file_and_goes_on(sandbox, prescriber_env, tmp_path, capsys):
    folder = tmp_path / "bundles"
    folder.mkdir()
    (folder / "a-bon.json").write_text(json.dumps(demo_bundle("demo-1-amoxicilline.json")), encoding="utf-8")
    (folder / "b-tronque.json").write_text("{", encoding="utf-8")
    (folder / "c-dossier.json").mkdir()  # a folder named like a file: reading it fails
    (folder / "d-pas-un-bundle.json").write_text("[1, 2]", encoding="utf-8")
    (folder / "e-forme.json").write_text('{"resourceType": "Bundle", "entry": 3}', encoding="utf-8")
    (folder / "f-bon.json").write_text(json.dumps(demo_bundle("demo-2-levothyroxine-mte.json")), encoding="utf-8")
    code = main(["sandbox", "load", str(folder), "--url", sandbox.base_url])
    captured = capsys.readouterr()
    rows = dict(line.split("\t") for line in captured.out.strip().splitlines())
    assert code == 1
    assert OrdonnanceNumber.parse(rows["a-bon.json"], check=True) and OrdonnanceNumber.parse(rows["f-bon.json"])
    assert "illisible : b-tronque.json" in rows["b-tronque.json"]
    assert "c-dossier.json (c'est un dossier)" in rows["c-dossier.json"]
    assert "Bundle FHIR est attendu" in rows["d-pas-un-bundle.json"]
    assert "forme inattendue" in rows["e-forme.json"]
    assert "4 fichiers non déposés" in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize("action", [["serve", "--port", "0"], ["token", "--prescriber", DEMO_PRESCRIBER_RPPS],
                                    ["load", str(EXAMPLES)]])
@pytest.mark.parametrize("db", ["postgresql+psycopg://postgres:secret@127.0.0.1:5999/nope", "nonsense://x"])
def test_an_unreachable_sandbox_database_is_one_french_line(action, db, capsys):
    assert main(["sandbox", *action, "--db", db]) == 2
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("comptoir: Base de données du service inaccessible : ")
    assert "secret" not in line and "Service bac à sable sur" not in captured.out


def _prescriptions(sandbox) -> list[str]:
    from sqlalchemy import select

    from app.sandbox.models import StoredPrescription

    with sandbox.admin.store.sessions() as session:
        return list(session.scalars(select(StoredPrescription.number)))


@pytest.mark.parametrize("out", ["folder", "/proc/comptoir/ordonnance.pdf"])
def test_prescribe_checks_the_pdf_can_be_written_before_prescribing(sandbox, prescriber_env, tmp_path, capsys, out):
    target = str(tmp_path) if out == "folder" else out
    before = _prescriptions(sandbox)
    assert main(["prescribe", str(DEMO / "demo-1-amoxicilline.json"), "--out", target,
                 "--url", sandbox.base_url]) == 2
    err = capsys.readouterr().err
    assert "rien n'a été prescrit" in err and target in err and "Traceback" not in err
    assert _prescriptions(sandbox) == before


def test_prescribe_names_the_number_when_the_pdf_fails_afterwards(sandbox, prescriber_env, tmp_path, capsys,
                                                                  monkeypatch):
    from app.cli import prescribe

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(prescribe, "write_prescription_form", disk_full)
    before = _prescriptions(sandbox)
    assert main(["prescribe", str(DEMO / "demo-1-amoxicilline.json"), "--out", str(tmp_path / "o.pdf"),
                 "--url", sandbox.base_url]) == 2
    err = capsys.readouterr().err
    (number,) = set(_prescriptions(sandbox)) - set(before)
    assert f"Ordonnance {number} créée" in err and "disque plein" in err
    assert not (tmp_path / "o.pdf").exists()


def test_serve_on_a_busy_port_or_an_unknown_host_is_one_french_line(tmp_path, capsys):
    import socket

    db = f"sqlite:///{tmp_path / 'sbx.sqlite3'}"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["sandbox", "serve", "--port", str(port), "--db", db]) == 2
    assert f"127.0.0.1:{port} (port déjà utilisé par un autre programme)" in capsys.readouterr().err
    assert main(["sandbox", "serve", "--host", "hote.invalid", "--port", "0", "--db", db]) == 2
    assert "(adresse inconnue)" in capsys.readouterr().err
