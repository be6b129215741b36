"""Renewals month after month through the real sandbox and the real counter, both on one injected
clock (no sleeping): the service keeps a renewed line fetchable until its treatment ends, the
counter numbers each dispensation, warns of an early one, and shows the line done at the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.catalogue import Catalogue, import_release
from app.domain.delivery import Adjustment, AdjustmentKind
from app.domain.errors import PrescriptionGone
from app.domain.rules import Severity
from app.eprescription import EPrescriptionClient
from app.sandbox.loader import complete_bundle
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS, running_sandbox
from app.storage.db import open_database
from app.wiring import make_counter
from app.workflow.ops import Confirm, DispenseExceptionally, IssueBill, Override
from app.workflow.starting import PrescriptionUnusable
from tests.workflow.conftest import LEVOTHYROX_75, PHARMACIST_RPPS, PHARMACY_FINESS, med_request


class Clock:
    """The day of both the service and the counter: real time moved by the test."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def local(self) -> datetime:
        return self().astimezone()


@pytest.fixture
def renewing(db_url, bdpm_subset, tmp_path):
    from app.config import load_settings

    clock = Clock()
    engine, factory = open_database(db_url)
    import_release(factory, bdpm_subset, release="2022-06")
    settings = load_settings(overrides={"printer.pdf_dir": str(tmp_path / "pdf")})
    with running_sandbox(f"sqlite:///{tmp_path / 'sandbox.sqlite3'}", clock=clock) as (base_url, admin):
        prescriber = EPrescriptionClient(base_url, admin.prescriber_token(days=3650), retries=0)
        client = EPrescriptionClient(base_url, admin.pharmacy_token(PHARMACY_FINESS, PHARMACIST_RPPS, days=3650),
                                     retries=0)
        counter = make_counter(settings, factory, Catalogue(factory), client, clock=clock.local)
        yield clock, counter, prescriber
        client.close()
        prescriber.close()
    engine.dispose()


def _prescribe(prescriber, **kw) -> str:
    catalogue_box = kw.pop("box")
    bundle = complete_bundle({"resourceType": "Bundle", "type": "collection",
                              "entry": [{"resource": med_request("x", catalogue_box.cip13, catalogue_box.name, **kw)}]},
                             prescriber_rpps=DEMO_PRESCRIBER_RPPS)
    number, _ = prescriber.submit_prescription(bundle)
    return str(number)


def test_six_monthly_deliveries_of_one_ordonnance(renewing):
    clock, counter, prescriber = renewing
    box = next(p for p in counter.catalogue.presentations_of_cis(LEVOTHYROX_75) if p.pack_quantity == 30)
    # LEVOTHYROX (liste II, MTE), 1 a day for 30 days, to renew 5 times: six months of treatment
    number = _prescribe(prescriber, box=box, days=30, renewals=5, substitutable=False)
    for month in range(6):
        clock.offset = timedelta(days=30 * month)
        if month:  # ten days before the boxes run out: an early renewal, a warning
            clock.offset -= timedelta(days=10)
            early = counter.start(number)
            assert early.renewal_index == month
            codes = {f.code: f for f in counter.findings(early)}
            assert "EARLY_RENEWAL" in codes and not codes["EARLY_RENEWAL"].blocking
            counter.abandon(early)
            clock.offset += timedelta(days=10)
        d = counter.start(number)  # month 4 and 5: past the three months of a first delivery
        (state,) = d.lines
        assert d.renewal_index == month and state.quantity == 1
        d = counter.apply(d, Confirm(state.line_id)).dispensing
        assert counter.findings(d) == [], month
        d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
        assert counter.record(d).transmitted
    fetched = counter.client.fetch(number)
    assert fetched.lines[0].remaining_renewals == 0
    clock.offset = timedelta(days=170)
    _exceptional_months(counter, clock, number)
    clock.offset = timedelta(days=181)  # the six months of treatment are over: the service says so
    with pytest.raises(PrescriptionGone, match="expirée"):
        counter.client.fetch(number)


def _exceptional_months(counter, clock, number: str) -> None:
    """Every renewal delivered: the line is done, but may be continued exceptionally (art.
    L.5125-23-1 CSP) one month at a time, three at most; the fourth is refused in French."""
    informed = Adjustment("continuite_traitement", "Continuité du traitement (art. L.5125-23-1 CSP)",
                          informed_means="messagerie sécurisée", informed_on=clock.local().date())
    for month in range(3):
        clock.offset = timedelta(days=170 + month)
        d = counter.start(number)
        (state,) = d.lines
        assert state.delivered_before and any("exceptionnelle possible" in n for n in d.notices)
        d = counter.apply(d, DispenseExceptionally(state.line_id, informed)).dispensing
        (state,) = d.lines
        assert state.quantity == 1 and state.adjustment_of(AdjustmentKind.EXCEPTIONAL) is not None
        codes = {f.code: f for f in counter.findings(d)}
        assert codes["EXCEPTIONAL_DISPENSING"].severity is Severity.INFO
        assert f"n° {month + 1} sur 3" in codes["EXCEPTIONAL_DISPENSING"].message
        if "EARLY_RENEWAL" in codes:  # the month before has not run out: the pharmacist says why
            d = counter.apply(d, Override(state.line_id, "early_renewal", "départ en vacances")).dispensing
        d = counter.apply(d, Confirm(state.line_id)).dispensing
        d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
        assert counter.record(d).transmitted
    clock.offset = timedelta(days=173)
    with pytest.raises(PrescriptionUnusable, match="limite de trois mois atteinte"):
        counter.start(number)


def test_a_renewed_line_stays_fetchable_until_its_treatment_ends_not_after(renewing):
    clock, counter, prescriber = renewing
    box = next(p for p in counter.catalogue.presentations_of_cis(LEVOTHYROX_75) if p.pack_quantity == 30)
    number = _prescribe(prescriber, box=box, days=30, renewals=3, substitutable=False)  # 120 days
    today = datetime.now(UTC).date()
    d = counter.start(number)
    d = counter.apply(d, Confirm(d.lines[0].line_id)).dispensing
    d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    assert counter.record(d).transmitted
    clock.offset = timedelta(days=118)  # past the three months of a first delivery, within the treatment
    assert counter.client.fetch(number).lines[0].validity_end == today + timedelta(days=119)
    clock.offset = timedelta(days=121)
    with pytest.raises(PrescriptionGone, match="expirée"):
        counter.client.fetch(number)


def test_a_first_delivery_after_three_months_is_refused_by_the_service(renewing):
    clock, counter, prescriber = renewing
    box = next(p for p in counter.catalogue.presentations_of_cis(LEVOTHYROX_75) if p.pack_quantity == 30)
    number = _prescribe(prescriber, box=box, days=30, renewals=5, substitutable=False)
    clock.offset = timedelta(days=95)
    with pytest.raises(PrescriptionGone, match="première délivrance"):
        counter.start(number)


def test_at_a_renewal_the_line_delivered_in_full_is_done_with_no_problem(renewing):
    from tests.workflow.conftest import DOLIPRANE_1000

    clock, counter, prescriber = renewing
    levo = next(p for p in counter.catalogue.presentations_of_cis(LEVOTHYROX_75) if p.pack_quantity == 30)
    doli = counter.catalogue.presentations_of_cis(DOLIPRANE_1000)[0]
    bundle = complete_bundle({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": med_request("a", levo.cip13, levo.name, days=30, renewals=2, substitutable=False)},
        {"resource": med_request("b", doli.cip13, doli.name, per_day=3, days=5)}]},
        prescriber_rpps=DEMO_PRESCRIBER_RPPS)
    number = str(prescriber.submit_prescription(bundle)[0])
    d = counter.start(number)
    for state in d.lines:
        d = counter.apply(d, Confirm(state.line_id)).dispensing
    d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    assert counter.record(d).transmitted
    clock.offset = timedelta(days=30)
    d = counter.start(number)
    levo_state, doli_state = d.lines
    assert d.renewal_index == 1 and levo_state.quantity == 1
    assert doli_state.delivered_before and d.notices == [n for n in d.notices if "Non substituable" in n]
    d = counter.apply(d, Confirm(levo_state.line_id)).dispensing
    assert counter.findings(d) == [] and d.problems() == []
