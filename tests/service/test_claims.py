"""Claim and release between two pharmacies, the 30-minute expiry, cancellation and validity."""

from __future__ import annotations

import pytest

from app.domain.errors import ClaimedElsewhere, NotAllowed, PrescriptionGone, PrescriptionNotFound
from tests.service.conftest import PHARMACY_B, delivery_for, demo_bundle, loadable, sandbox_on


@pytest.fixture(scope="module")
def sandbox(module_db_url):
    """This module's rules depend on the storage: its tests run on SQLite and PostgreSQL."""
    with sandbox_on(module_db_url) as running:
        yield running


def test_claim_blocks_the_other_pharmacy_until_released(sandbox, clock, number, pharmacy_client):
    other = sandbox.pharmacy(PHARMACY_B)
    pharmacy_client.claim(number)
    pharmacy_client.claim(number)  # claiming again is harmless
    with pytest.raises(ClaimedElsewhere) as err:
        other.claim(number)
    assert str(err.value) == "Ordonnance en cours de délivrance dans une autre pharmacie"
    with pytest.raises(NotAllowed):
        other.release(number)
    other.fetch(number)  # reading stays possible
    pharmacy_client.release(number)
    other.claim(number)
    with pytest.raises(ClaimedElsewhere):
        pharmacy_client.claim(number)


def test_claim_expires_after_thirty_minutes(sandbox, clock, number, pharmacy_client):
    other = sandbox.pharmacy(PHARMACY_B)
    pharmacy_client.claim(number)
    clock.advance(minutes=29)
    with pytest.raises(ClaimedElsewhere):
        other.claim(number)
    clock.advance(minutes=2)
    other.claim(number)


def test_delivery_refused_while_another_pharmacy_holds_it(sandbox, clock, number, pharmacy_client):
    other = sandbox.pharmacy(PHARMACY_B)
    prescription = pharmacy_client.fetch(number)
    other.claim(number)
    with pytest.raises(ClaimedElsewhere):
        pharmacy_client.record_delivery(delivery_for(prescription))


def test_cancelled_prescription_is_gone(sandbox, number, prescriber_client, pharmacy_client):
    prescription = pharmacy_client.fetch(number)
    with pytest.raises(NotAllowed):
        sandbox.prescriber("10001234566").cancel(number)  # not the one who wrote it
    with pytest.raises(NotAllowed):
        pharmacy_client.cancel(number)
    prescriber_client.cancel(number)
    prescriber_client.cancel(number)  # idempotent
    for call in (pharmacy_client.fetch, pharmacy_client.claim):
        with pytest.raises(PrescriptionGone) as err:
            call(number)
        assert "annulée par le prescripteur" in str(err.value)
    with pytest.raises(PrescriptionGone):
        pharmacy_client.record_delivery(delivery_for(prescription))


def test_expired_prescription_is_gone_with_the_reason(sandbox, clock, prescriber_client, pharmacy_client):
    old, _ = prescriber_client.submit_prescription(loadable("HAS-11-1-Presc-VitamineD.json", keep_dates=True))
    with pytest.raises(PrescriptionGone) as err:
        pharmacy_client.fetch(old)
    # never delivered: the three months of a first delivery (R.5132-22) ran out on 22/10/2025
    assert "expirée" in str(err.value) and "22/10/2025" in str(err.value)

    fresh, _ = prescriber_client.submit_prescription(loadable("HAS-11-1-Presc-VitamineD.json"))
    with sandbox.pharmacy(days=365) as pharmacy:  # a token outliving the prescription's three months
        pharmacy.fetch(fresh)
        clock.advance(days=95)
        with pytest.raises(PrescriptionGone):
            pharmacy.claim(fresh)


def test_validity_period_of_the_prescription_is_honoured(clock, prescriber_client, pharmacy_client):
    bundle = demo_bundle("demo-1-amoxicilline.json")
    mr = bundle["entry"][0]["resource"]
    mr["dispenseRequest"]["validityPeriod"] = {"start": "2020-01-01", "end": "2020-01-31"}
    number, _ = prescriber_client.submit_prescription(bundle)
    with pytest.raises(PrescriptionGone) as err:
        pharmacy_client.fetch(number)
    assert "31/01/2020" in str(err.value)


def test_unknown_number(pharmacy_client):
    with pytest.raises(PrescriptionNotFound) as err:
        pharmacy_client.fetch("0000000000000000000Z")
    assert str(err.value) == "Ordonnance introuvable : vérifiez le numéro"


@pytest.fixture
def paris_time(monkeypatch):
    """The process (and so the in-thread server) in the Europe/Paris time zone, UTC+01:00 or +02:00."""
    import time

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_claim_message_gives_the_local_time_with_its_offset(sandbox, clock, number, paris_time):
    from datetime import timedelta

    import httpx

    token = sandbox.admin.pharmacy_token("750000010", "10000000009")
    answer = httpx.post(f"{sandbox.base_url}/MedicationRequest/$claim", params={"group-identifier": str(number)},
                        headers={"Authorization": f"Bearer {token}"})
    text = answer.json()["issue"][0]["diagnostics"]
    until = (clock() + timedelta(minutes=30)).astimezone()
    offset = "+01:00" if until.utcoffset() == timedelta(hours=1) else "+02:00"
    earlier = until - timedelta(minutes=1)  # the minute may have turned since the claim
    assert text in (f"Ordonnance réservée par votre pharmacie jusqu'à {t:%H:%M} (UTC{offset})"
                    for t in (until, earlier))
    assert "(UTC)" not in text


def test_numbers_are_issued_unique_with_their_check_character(sandbox):
    """Several prescribers submitting at once each get their own valid number, stored whole."""
    from concurrent.futures import ThreadPoolExecutor

    from app.domain.identifiers import SANDBOX_NUMBER_LENGTH, OrdonnanceNumber

    def submit(_: int) -> str:
        with sandbox.prescriber() as client:
            return str(client.submit_prescription(demo_bundle("demo-3-trois-lignes.json"))[0])

    with ThreadPoolExecutor(4) as pool:
        numbers = list(pool.map(submit, range(8)))
    assert len(set(numbers)) == 8
    for number in numbers:
        assert len(number) == SANDBOX_NUMBER_LENGTH and OrdonnanceNumber.parse(number, check=True)
    with sandbox.pharmacy() as pharmacy:
        assert [len(pharmacy.fetch(n).lines) for n in numbers] == [3] * 8
