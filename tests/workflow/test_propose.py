"""``comptoir propose`` through the command line, on the bundled catalogue and a real sandbox: what it
prints for the demo prescriptions is what the counter proposes when it opens them, whether given the
number or the prescriber's file; a blocking finding gives exit 1."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from app.catalogue import Catalogue
from app.cli import main
from app.config import Settings
from app.eprescription import EPrescriptionClient
from app.sandbox.loader import complete_bundle, read_bundle
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS, running_sandbox
from app.storage.db import open_database
from app.wiring import make_counter
from app.workflow.ops import Confirm, IssueBill

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
REFACTO_250 = "3400958383632"  # REFACTO AF 250 UI: "délivrance réservée aux pharmacies à usage intérieur"


@pytest.fixture
def service(catalogue_url, tmp_path, monkeypatch):
    with running_sandbox(f"sqlite:///{tmp_path / 'sandbox.sqlite3'}") as (base_url, admin):
        settings = Settings()
        settings.database.url = catalogue_url
        settings.service.base_url = base_url
        token = admin.pharmacy_token(settings.pharmacy.finess, settings.pharmacy.pharmacist_rpps)
        monkeypatch.setenv("COMPTOIR_SERVICE_TOKEN", token)
        monkeypatch.setenv("COMPTOIR_SERVICE_BASE_URL", base_url)
        engine, factory = open_database(catalogue_url)
        with EPrescriptionClient(base_url, token) as client, \
                EPrescriptionClient(base_url, admin.prescriber_token()) as prescriber:
            yield make_counter(settings, factory, Catalogue(factory), client), prescriber, catalogue_url
        engine.dispose()


def _propose(capsys, db: str, *args: str) -> tuple[int, dict]:
    code = main(["--db", db, "propose", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _comparable(data: dict) -> list[dict]:
    return [{k: line[k] for k in ("line", "proposed", "boxes", "units", "days_covered", "why", "findings", "done")}
            | {"alternatives": sorted(a["cip13"] for a in line["alternatives"])} for line in data["lines"]]


@pytest.mark.parametrize("name", sorted(p.name for p in DEMO.glob("demo-*.json")))
def test_propose_agrees_with_the_counter_on_the_demo_prescriptions(service, capsys, name):
    counter, prescriber, db = service
    number, _ = prescriber.submit_prescription(complete_bundle(read_bundle(DEMO / name),
                                                               prescriber_rpps=DEMO_PRESCRIBER_RPPS))
    code, by_number = _propose(capsys, db, str(number))
    file_code, by_file = _propose(capsys, db, str(DEMO / name))
    assert code == file_code == 0
    assert _comparable(by_file) == _comparable(by_number)  # the file reads as the service serves it

    d = counter.start(str(number))  # the counter itself, on the same prescription
    found = counter.findings(d)
    assert len(by_number["lines"]) == len(d.lines)
    for line, state in zip(by_number["lines"], d.lines, strict=True):
        assert line["proposed"]["cip13"] == state.product.cip13
        assert line["boxes"] == state.quantity >= 1
        assert line["why"] == state.estimate.explanation and line["why"]
        assert [a["cip13"] for a in line["alternatives"]] == [p.cip13 for p in state.proposals
                                                              if p.cip13 != state.product.cip13]
        assert [f["code"] for f in line["findings"]] == [f.code for f in found if f.line_id == state.line_id]
    for state in d.lines:
        d = counter.apply(d, Confirm(state.line_id)).dispensing
    d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    assert by_number["bill"] == d.bill.to_json()


def test_a_blocking_finding_exits_1_and_is_printed_with_its_code(service, capsys, tmp_path):
    _, _, db = service
    bundle = read_bundle(DEMO / "demo-1-amoxicilline.json")
    hospital = copy.deepcopy(bundle)
    mr = next(e["resource"] for e in hospital["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
    mr["medicationCodeableConcept"] = {"coding": [{"system": "http://data.esante.gouv.fr/ansm/medicament/Presentation",
                                                   "code": REFACTO_250, "display": "REFACTO AF 250 UI"}],
                                       "text": "REFACTO AF 250 UI"}
    path = tmp_path / "hospital.json"
    path.write_text(json.dumps(hospital), encoding="utf-8")
    code, data = _propose(capsys, db, str(path))
    assert code == 1
    (line,) = data["lines"]
    assert line["proposed"]["cip13"] == REFACTO_250 and line["boxes"] >= 1
    codes = {f["code"]: f["severity"] for f in line["findings"]}
    assert codes["HOSPITAL_ONLY"] == "block"
    assert {"code": "HOSPITAL_ONLY", "severity": "block"}.items() <= next(
        f for f in data["findings"] if f["code"] == "HOSPITAL_ONLY").items()
    assert main(["--db", db, "propose", str(path)]) == 1
    out = capsys.readouterr().out
    assert "✖ HOSPITAL_ONLY" in out and "pharmacies à usage intérieur" in out


def test_propose_on_a_later_date_and_bad_input(service, capsys, tmp_path):
    _, _, db = service
    path = DEMO / "demo-1-amoxicilline.json"
    code, data = _propose(capsys, db, str(path))
    assert code == 0 and data["lines"][0]["findings"] == []
    # the same ordonnance presented a month later: a liste I first delivery is still within three months
    assert _propose(capsys, db, str(path), "--on", _in_days(30))[0] == 0
    assert main(["--db", db, "propose", str(path), "--on", _in_days(100)]) == 2  # expired: refused, said why
    assert "expirée" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["--db", db, "propose", str(broken)]) == 2
    assert "illisible" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--db", db, "propose", str(path), "--on", "demain"])


def test_propose_offers_the_exceptional_dispensing_of_an_expired_chronic_line(service, capsys, tmp_path):
    """Three months of TAHOR presented after its validity: not refused up front, the line is out of
    the delivery with the counter's finding (ORDONNANCE_EXPIRED: one box, one month, art.
    L.5125-23-1) and its notice; two months after, the first exceptional dispensing is too late."""
    _, _, db = service
    path = _one_line_file(tmp_path, "3400934306815", "TAHOR 20 mg", per_day=1, value=3, unit="mois", code="mo")
    code, data = _propose(capsys, db, str(path), "--on", _in_days(95))
    (line,) = data["lines"]
    assert code == 1 and line["set_aside"] and line["exceptional_possible"]
    assert [(f["code"], f["severity"], f["article"]) for f in line["findings"]] == [
        ("ORDONNANCE_EXPIRED", "block", "L.5125-23-1")]
    assert any("exceptionnelle possible, 1 boîte(s) pour 1 mois" in n for n in data["notices"])
    assert main(["--db", db, "propose", str(path), "--on", _in_days(95)]) == 1
    assert "ORDONNANCE_EXPIRED" in capsys.readouterr().out
    assert main(["--db", db, "propose", str(path), "--on", _in_days(160)]) == 2
    assert "devait avoir lieu au plus tard" in capsys.readouterr().err


def _in_days(days: int) -> str:
    from datetime import date, timedelta

    return (date.today() + timedelta(days=days)).isoformat()


def _one_line_file(tmp_path, cip13: str, text: str, *, per_day: int, value: int, unit: str, code: str,
                   form: str = "comprimé") -> Path:
    bundle = read_bundle(DEMO / "demo-1-amoxicilline.json")
    mr = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
    mr["medicationCodeableConcept"] = {"coding": [{"system": "http://data.esante.gouv.fr/ansm/medicament/Presentation",
                                                   "code": cip13, "display": text}], "text": text}
    mr["dosageInstruction"] = [{"timing": {"repeat": {"frequency": per_day, "period": 1, "periodUnit": "d",
                                                      "boundsDuration": {"value": value, "unit": unit, "code": code,
                                                                         "system": "http://unitsofmeasure.org"}}},
                                "doseAndRate": [{"doseQuantity": {"value": 1, "unit": form}}]}]
    mr["dispenseRequest"] = {"numberOfRepeatsAllowed": 0}
    path = tmp_path / f"{cip13}-{value}{code}.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


@pytest.mark.parametrize("cip13, text, per_day, value, unit, code, form, exit_code, boxes, units, codes", [
    # a box of 28 or 30 is a month; three months is one three-month box (L.5125-23)
    ("3400934306815", "TAHOR 20 mg", 1, 1, "mois", "mo", "comprimé", 0, 1, {28, 30}, set()),
    ("3400934306815", "TAHOR 20 mg", 1, 3, "mois", "mo", "comprimé", 0, 1, {84, 90}, set()),
    # clonazepam: limited to 12 weeks, not a stupéfiant's 28 days; a month at a time (liste I)
    ("3400938164985", "RIVOTRIL 2 mg", 1, 8, "semaines", "wk", "comprimé", 0, 1, {28},
     {"RESTRICTED_PRESCRIBER"}),
    # methadone: only the 7-day fraction
    ("3400937914857", "METHADONE AP-HP 10 mg", 1, 28, "jours", "d", "gélule", 0, 1, {7},
     {"FRACTIONED_DELIVERY"}),
    # morphine 30 days against its 4 weeks: blocked
    ("3400934990007", "ACTISKENAN 10 mg", 2, 30, "jours", "d", "gélule", 1, None, None,
     {"MAX_PRESCRIPTION_DURATION"}),
])
def test_propose_applies_the_products_own_rules(service, capsys, tmp_path, cip13, text, per_day, value, unit, code,
                                                form, exit_code, boxes, units, codes):
    _, _, db = service
    path = _one_line_file(tmp_path, cip13, text, per_day=per_day, value=value, unit=unit, code=code, form=form)
    found, data = _propose(capsys, db, str(path))
    (line,) = data["lines"]
    assert found == exit_code, line
    found_codes = {f["code"]: f["severity"] for f in line["findings"]}
    assert codes <= set(found_codes), found_codes
    assert "MAX_PRESCRIPTION_DURATION" not in found_codes or "MAX_PRESCRIPTION_DURATION" in codes
    if boxes is not None:
        assert line["boxes"] == boxes and line["units"] in units, line
        assert all(severity != "block" for severity in found_codes.values())
