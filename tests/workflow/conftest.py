"""The counter's workflow on real parts: a small BDPM release imported into the test database, the
sandbox service on a loopback port with the real client, the real ordonnancier and printing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.catalogue import Catalogue, import_release
from app.config import load_settings
from app.eprescription import EPrescriptionClient, systems
from app.sandbox.loader import complete_bundle
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS, running_sandbox
from app.storage.db import open_database
from app.wiring import make_counter
from app.workflow.counter import Counter
from tests.conftest import FIXTURES

# Specialities of the test catalogue, with every member of their generic groups.
DOLIPRANE_1000 = "60234100"  # paracétamol, not listed
DAFALGAN_CODEINE = "66003374"  # liste I
CLAMOXYL_1G = "64539416"  # liste I
LEVOTHYROX_75 = "62080626"  # liste II
ACTISKENAN_10 = "64288864"  # stupéfiant
PARACETAMOL_OTHERS = {"69309629", "63368332", "67226661", "67218807"}  # 1000 mg gélule, 500 mg, two 1000 mg
SPECIALITIES = {DOLIPRANE_1000, DAFALGAN_CODEINE, CLAMOXYL_1G, LEVOTHYROX_75, ACTISKENAN_10, *PARACETAMOL_OTHERS}
PHARMACY_FINESS, PHARMACIST_RPPS = "750000010", "10000000009"


def _subset(source: Path, target: Path) -> None:
    """The five ANSM files cut down to SPECIALITIES and their generic groups (same bytes, latin-1)."""
    gener = (source / "CIS_GENER_bdpm.txt").read_bytes().decode("latin-1").splitlines(keepends=True)
    groups = {line.split("\t")[0] for line in gener if line.split("\t")[2] in SPECIALITIES}
    keep = SPECIALITIES | {line.split("\t")[2] for line in gener if line.split("\t")[0] in groups}
    target.mkdir(parents=True, exist_ok=True)
    for name in ("CIS_bdpm.txt", "CIS_CIP_bdpm.txt", "CIS_COMPO_bdpm.txt", "CIS_CPD_bdpm.txt", "CIS_GENER_bdpm.txt"):
        lines = (source / name).read_bytes().decode("latin-1").splitlines(keepends=True)
        column = 2 if name == "CIS_GENER_bdpm.txt" else 0
        kept = [line for line in lines if len(line.split("\t")) > column and line.split("\t")[column] in keep]
        (target / name).write_bytes("".join(kept).encode("latin-1"))


@pytest.fixture(scope="session")
def bdpm_subset(tmp_path_factory) -> Path:
    source = FIXTURES / "bdpm-2022-06"  # the workflow's expectations are 2022-06 products and prices
    target = tmp_path_factory.mktemp("bdpm") / "2022-06"
    _subset(source, target)
    return target


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    """One sandbox service for the workflow tests (each test writes its own prescriptions)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sandbox') / 'sandbox.sqlite3'}"
    with running_sandbox(url) as (base_url, admin):
        prescriber = EPrescriptionClient(base_url, admin.prescriber_token(), retries=0)
        yield base_url, admin, prescriber
        prescriber.close()


@dataclass
class Env:
    counter: Counter
    catalogue: Catalogue
    client: EPrescriptionClient
    prescriber: EPrescriptionClient
    factory: Any
    settings: Any
    base_url: str
    admin: Any

    def prescribe(self, *requests: dict) -> str:
        """Write a prescription on the sandbox (as the prescriber); returns its number."""
        bundle = complete_bundle({"resourceType": "Bundle", "type": "collection",
                                  "entry": [{"resource": r} for r in requests]},
                                 prescriber_rpps=DEMO_PRESCRIBER_RPPS)
        number, _ = self.prescriber.submit_prescription(bundle)
        return str(number)


def med_request(rid: str, cip13: str, display: str, *, per_day: int = 1, days: int = 30, renewals: int = 0,
                substitutable: bool = True, reason: str | None = None, unit: str = "comprimé",
                authored: datetime | None = None, quantity: int | None = None) -> dict:
    """A MedicationRequest naming a presentation (CIP13), "1 <unit> <per_day> fois par jour pendant <days> jours"."""
    request: dict[str, Any] = {"numberOfRepeatsAllowed": renewals}
    if quantity is not None:
        request["quantity"] = {"value": quantity, "unit": "boîte"}
    mr: dict[str, Any] = {
        "resourceType": "MedicationRequest", "id": rid, "status": "active", "intent": "order",
        "subject": {"reference": "Patient/p1"}, "requester": {"reference": "Practitioner/pr1"},
        "authoredOn": (authored or datetime.now(UTC)).isoformat(),
        "medicationCodeableConcept": {"coding": [{"system": systems.CIP13, "code": cip13, "display": display}],
                                      "text": display},
        "dosageInstruction": [{"timing": {"repeat": {"frequency": per_day, "period": 1, "periodUnit": "d",
                                                     "boundsDuration": {"value": days, "unit": "jour",
                                                                        "system": systems.UCUM, "code": "d"}}},
                               "doseAndRate": [{"doseQuantity": {"value": 1, "unit": unit}}]}],
        "dispenseRequest": request,
    }
    if not substitutable:
        mr["substitution"] = {"allowedBoolean": False,
                              "reason": {"coding": [{"code": reason or "MTE"}], "text": reason or "MTE"}}
    return mr


@pytest.fixture
def env(db_url, bdpm_subset, sandbox, tmp_path) -> Env:
    base_url, admin, prescriber = sandbox
    engine, factory = open_database(db_url)
    import_release(factory, bdpm_subset, release="2022-06")
    settings = load_settings(overrides={"printer.pdf_dir": str(tmp_path / "pdf")})
    client = EPrescriptionClient(base_url, admin.pharmacy_token(PHARMACY_FINESS, PHARMACIST_RPPS), retries=0)
    catalogue = Catalogue(factory)
    counter = make_counter(settings, factory, catalogue, client)
    yield Env(counter, catalogue, client, prescriber, factory, settings, base_url, admin)
    client.close()
    engine.dispose()
