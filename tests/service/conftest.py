"""A real sandbox server on a free loopback port, shared by a test module, and its clients.

Other areas may reuse it: ``sandbox`` yields a :class:`RunningSandbox` (base URL, token minting,
a settable clock); ``pharmacy_client``/``prescriber_client`` are real ``EPrescriptionClient``s.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.eprescription.client import EPrescriptionClient
from app.sandbox.loader import complete_bundle
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS, SandboxAdmin, running_sandbox
from app.sandbox.values import DEFAULT_TOKEN_DAYS
from tests.conftest import fresh_pg_schema

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "has-eprescription"
PHARMACY_A = ("750000010", "10000000009")
PHARMACY_B = ("130000011", "10001234566")


class FakeClock:
    """The sandbox's clock: real time plus an offset the test moves."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **kwargs: float) -> None:
        self.offset += timedelta(**kwargs)


@dataclass
class RunningSandbox:
    base_url: str
    admin: SandboxAdmin
    clock: FakeClock

    def client(self, token: str | None) -> EPrescriptionClient:
        return EPrescriptionClient(self.base_url, token, timeout=5.0, retries=0)

    def pharmacy(self, which: tuple[str, str] = PHARMACY_A, role: str = "pharmacist", *,
                 days: int = DEFAULT_TOKEN_DAYS) -> EPrescriptionClient:
        return self.client(self.admin.pharmacy_token(which[0], which[1], role, days=days))

    def prescriber(self, rpps: str = DEMO_PRESCRIBER_RPPS) -> EPrescriptionClient:
        return self.client(self.admin.prescriber_token(rpps))


@contextlib.contextmanager
def sandbox_on(db_url: str) -> Iterator[RunningSandbox]:
    """A server over ``db_url`` with its own settable clock."""
    clock = FakeClock()
    with running_sandbox(db_url, clock=clock) as (base_url, admin):
        yield RunningSandbox(base_url, admin, clock)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """One server per test module, on its own SQLite file. A module whose tests depend on the
    storage (locking, transactions, times) overrides it with :func:`sandbox_on` over
    ``module_db_url``, so that they run on SQLite and PostgreSQL."""
    with sandbox_on(f"sqlite:///{tmp_path_factory.mktemp('sandbox') / 'sandbox.sqlite3'}") as running:
        yield running


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def module_db_url(request, tmp_path_factory):
    """The module-scoped ``db_url``: a fresh SQLite file, or (with COMPTOIR_TEST_PG_URL) a fresh
    PostgreSQL schema dropped after the module, so that one server serves a module's tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sandbox') / 'sandbox.sqlite3'}"
        return
    yield from fresh_pg_schema()


@pytest.fixture
def clock(sandbox):
    sandbox.clock.offset = timedelta(0)
    yield sandbox.clock
    sandbox.clock.offset = timedelta(0)


@pytest.fixture
def pharmacy_client(sandbox):
    client = sandbox.pharmacy()
    yield client
    client.close()


@pytest.fixture
def prescriber_client(sandbox):
    client = sandbox.prescriber()
    yield client
    client.close()


@pytest.fixture
def number(prescriber_client):
    """A new one-line prescription (amoxicillin, 1 box), unclaimed."""
    return prescriber_client.submit_prescription(demo_bundle("demo-1-amoxicilline.json"))[0]


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def example_names() -> list[str]:
    return sorted(p.name for p in EXAMPLES.glob("*.json"))


def loadable(name: str, *, rpps: str = DEMO_PRESCRIBER_RPPS, keep_dates: bool = False) -> dict:
    return complete_bundle(example(name), prescriber_rpps=rpps, keep_dates=keep_dates)


def demo_bundle(name: str) -> dict:
    from app.resources_path import resource

    return json.loads(resource("demo", name).read_text(encoding="utf-8"))


def delivery_for(prescription, *, delivery_id: str = "D1", boxes: dict[str, int] | None = None,
                 renewal_index: int = 0, pharmacy: tuple[str, str] = PHARMACY_A, declined: tuple[str, ...] = (),
                 substitution=None, adjustment=None):
    """A Delivery of ``prescription``: ``boxes`` per line id (1 by default) of the prescribed CIP13."""
    from app.domain.delivery import (
        DeliveredItem,
        Delivery,
        DispenseStatus,
        LineDelivery,
        PharmacyIdentity,
    )

    lines = []
    for line in prescription.lines:
        if line.line_id in declined:
            lines.append(LineDelivery(line.line_id, line.medication.text, line.posology_text,
                                      DispenseStatus.DECLINED, decline_reason="Refus du patient",
                                      renewal_index=renewal_index))
            continue
        count = (boxes or {}).get(line.line_id, 1)
        item = DeliveredItem(line.medication.code or "3400930065785", line.medication.text, count)
        lines.append(LineDelivery(line.line_id, line.medication.text, line.posology_text, DispenseStatus.COMPLETED,
                                  items=(item,), renewal_index=renewal_index, substitution=substitution,
                                  adjustment=adjustment))
    return Delivery(
        delivery_id=delivery_id, number=prescription.number, handed_over_at=datetime.now(UTC),
        pharmacy=PharmacyIdentity("Pharmacie du Comptoir", "1 place de la Mairie, 75001 Paris", pharmacy[0]),
        pharmacist_name="Anne PHARMACIENNE", pharmacist_rpps=pharmacy[1], patient=prescription.patient,
        prescriber=prescription.prescriber, prescription_date=prescription.authored_date, lines=tuple(lines))
