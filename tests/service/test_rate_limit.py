"""429 rate limiting: the sandbox's per-token budget (OperationOutcome in French, Retry-After) and the
client that honours Retry-After within its back-off, for idempotent requests only."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome

from app.cli import main
from app.cli.demo import free_port, stop_sandbox
from app.domain.errors import ConfigurationError, ServiceUnavailable
from app.eprescription import systems
from app.eprescription.client import EPrescriptionClient, retry_after
from app.sandbox.ratelimit import RateLimit, RateLimiter, bucket_key, retry_after_header
from app.sandbox.store import SandboxStore
from app.sandbox.testing import running_sandbox
from tests.service.conftest import PHARMACY_A, PHARMACY_B, loadable


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("text", "capacity", "per_second"), [
    ("50/s", 50, 50.0), ("600/min", 600, 10.0), ("10/5s", 10, 2.0), (" 3600 / h ", 3600, 1.0),
])
def test_rate_syntax(text, capacity, per_second):
    assert RateLimit.parse(text) == RateLimit(capacity, per_second)


@pytest.mark.parametrize("text", ["", "abc", "50", "50/jour", "-1/s", "0/s", "5/0s"])
def test_bad_rate_is_said_in_french(text):
    with pytest.raises(ConfigurationError, match="Limite de débit invalide"):
        RateLimit.parse(text)


def test_rate_off():
    assert RateLimit.parse("off") is None and RateLimit.parse("0") is None


def test_token_bucket_spends_refills_and_keeps_keys_apart():
    ticks = Ticks()
    limiter = RateLimiter(RateLimit(3, 2.0), clock=ticks, max_buckets=2)
    assert [limiter.acquire("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.acquire("a") == pytest.approx(0.5)  # one request back every half second
    assert limiter.acquire("b") == 0  # another token has its own budget
    ticks.now += 0.5
    assert limiter.acquire("a") == 0
    assert limiter.acquire("a") == pytest.approx(0.5)
    ticks.now += 100
    assert [limiter.acquire("a") for _ in range(4)][-1] > 0  # refilled up to capacity, not beyond
    limiter.acquire("c")  # a third key evicts the least recently seen one ("b"), which starts full again
    assert len(limiter._buckets) == 2


def test_bucket_key_and_header():
    assert bucket_key("secret", "127.0.0.1").startswith("t:") and "secret" not in bucket_key("secret", None)
    assert bucket_key(None, "127.0.0.1") == "a:127.0.0.1"
    assert [retry_after_header(w) for w in (0.01, 1.0, 1.2)] == ["1", "1", "2"]


def test_retry_after_forms():
    def answer(status: int, value: str | None) -> httpx.Response:
        # raw bytes, as a server may send them (httpx refuses a non-ASCII str header)
        return httpx.Response(status, headers=[(b"Retry-After", value.encode())] if value is not None else [])

    assert retry_after(answer(429, "3")) == 3.0
    assert retry_after(answer(503, "Wed, 21 Oct 2015 07:28:00 GMT")) == 0.0  # a date in the past: now
    assert retry_after(answer(429, "later")) is None
    assert retry_after(answer(429, "\u00b2")) is None  # "²".isdigit() is True; ASCII digits only
    assert retry_after(answer(429, "\u0663")) is None  # ARABIC-INDIC DIGIT THREE
    assert retry_after(answer(429, None)) is None
    assert retry_after(answer(404, "3")) is None


class Sleeps:
    """The client's sleep: what it asks to sleep is recorded and moves the server's rate clock by as
    much, so that no test waits and each asserts what was asked."""

    def __init__(self, ticks: Ticks) -> None:
        self.ticks = ticks
        self.asked: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.asked.append(seconds)
        self.ticks.now += seconds


@pytest.fixture
def ticks():
    return Ticks()


@pytest.fixture
def sleeps(ticks):
    return Sleeps(ticks)


class NoJitter:
    """The client's random source drawing the low end: the wait is exactly what the server asked
    (the jitter added on top is tested with the client, tests/service/test_errors.py)."""

    def uniform(self, low: float, _high: float) -> float:
        return low


def client_for(base_url: str, token: str, sleeps: Sleeps, **options) -> EPrescriptionClient:
    return EPrescriptionClient(base_url, token, sleep=sleeps.sleep, rng=NoJitter(), **options)


@pytest.fixture
def limited(tmp_path, ticks):
    """A sandbox where each token may make 3 requests at once, then 3 a second of ``ticks``."""
    with running_sandbox(f"sqlite:///{tmp_path / 'sandbox.sqlite3'}", rate_limit="3/s", rate_clock=ticks) as running:
        yield running


@pytest.fixture
def stingy(tmp_path, ticks):
    """A sandbox where each token may make 2 requests a minute (a Retry-After of 30 s)."""
    with running_sandbox(f"sqlite:///{tmp_path / 'sandbox.sqlite3'}", rate_limit="2/min", rate_clock=ticks) as running:
        yield running


def _number(base_url, admin, ticks) -> str:
    with EPrescriptionClient(base_url, admin.prescriber_token(), retries=0) as prescriber:
        number = prescriber.submit_prescription(loadable("HAS-11-1-Presc-VitamineD.json"))[0]
    ticks.now += 3600  # the prescriber's request is forgotten: every budget is full again
    return number


def test_the_sandbox_answers_429_per_token(limited, ticks):
    base_url, admin = limited
    number = _number(base_url, admin, ticks)
    params = {"group-identifier": f"{systems.NUMBER_SYSTEM}|{number}"}
    token = admin.pharmacy_token(*PHARMACY_A)
    with httpx.Client(base_url=base_url + "/", headers={"Authorization": f"Bearer {token}"}) as http:
        answers = [http.get("MedicationRequest", params=params) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        answer = answers[-1]
        assert answer.headers["retry-after"] == "1"
        assert answer.headers["content-type"].startswith("application/fhir+json")
        outcome = OperationOutcome.model_validate(answer.json())
        assert outcome.issue[0].code == "throttled"
        assert outcome.issue[0].diagnostics == "Trop de requêtes envoyées au service : réessayez dans 1 s"
        other = admin.pharmacy_token(*PHARMACY_B)  # another pharmacy is not slowed down by this one
        assert http.get("MedicationRequest", params=params,
                        headers={"Authorization": f"Bearer {other}"}).status_code == 200
        ticks.now += 1 / 3  # one request back
        assert [http.get("MedicationRequest", params=params).status_code for _ in range(2)] == [200, 429]
    assert httpx.get(base_url + "/metadata").status_code == 200  # without a token: the address's own budget


def test_the_client_waits_as_told_then_succeeds(limited, ticks, sleeps):
    base_url, admin = limited
    number = _number(base_url, admin, ticks)
    token = admin.pharmacy_token(*PHARMACY_A)
    with client_for(base_url, token, sleeps, retries=2, backoff=0.01) as client:
        for _ in range(3):
            client.fetch(number)  # the whole budget at once
        assert sleeps.asked == []
        assert client.fetch(number).number == number  # 429, Retry-After: 1, waited, fetched
    assert sleeps.asked == [1.0]  # the server's second, not the 10 ms back-off


def test_the_client_gives_up_at_once_when_told_to_wait_too_long(stingy, ticks, sleeps):
    base_url, admin = stingy
    number = _number(base_url, admin, ticks)
    token = admin.pharmacy_token(*PHARMACY_A)
    with client_for(base_url, token, sleeps, retries=3, backoff=0.01, max_retry_wait=5) as client:
        client.fetch(number)
        client.claim(number)
        with pytest.raises(ServiceUnavailable, match="Service indisponible") as caught:
            client.fetch(number)  # Retry-After: 30 > 5 s: no retry, the caller keeps the work for later
    assert sleeps.asked == []
    assert caught.value.status == 429 and caught.value.retryable
    assert "réessayez dans 30 s" in caught.value.detail


def test_creating_a_prescription_is_not_retried_on_429(stingy, ticks, sleeps):
    base_url, admin = stingy
    with client_for(base_url, admin.prescriber_token(), sleeps, retries=3, backoff=0.01,
                             max_retry_wait=60) as prescriber:
        prescriber.submit_prescription(loadable("HAS-11-1-Presc-VitamineD.json"))
        prescriber.submit_prescription(loadable("HAS-11-1-Presc-VitamineD.json"))
        with pytest.raises(ServiceUnavailable) as caught:
            prescriber.submit_prescription(loadable("HAS-11-1-Presc-VitamineD.json"))
    assert sleeps.asked == []  # a repeat would create a second prescription: not retried, even told 30 s
    assert caught.value.status == 429


def test_serve_refuses_a_bad_rate(capsys):
    assert main(["sandbox", "serve", "--port", "0", "--rate", "beaucoup"]) == 2
    assert "Limite de débit invalide : « beaucoup »" in capsys.readouterr().err


def test_serve_applies_its_rate_option(tmp_path):
    db = f"sqlite:///{tmp_path / 'sbx.sqlite3'}"
    store = SandboxStore(db)
    token = store.mint_token("pharmacy", PHARMACY_A[1], finess=PHARMACY_A[0], role="pharmacist")
    store.close()
    port = free_port(0)
    command = [sys.executable, "-m", "app", "sandbox", "serve", "--port", str(port), "--db", db,
               "--rate", "3/min", "--exit-with-parent"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/fhir/metadata"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # poll without a token: the address's budget, not the token's
            try:
                httpx.get(url, timeout=1.0)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        headers = {"Authorization": f"Bearer {token}"}  # an operation that reads the token: its own budget
        read = f"http://127.0.0.1:{port}/fhir/MedicationRequest"
        statuses = [httpx.get(read, params={"group-identifier": "x"}, headers=headers).status_code for _ in range(4)]
        assert [s == 429 for s in statuses] == [False, False, False, True], statuses
        assert int(httpx.get(read, headers=headers).headers["retry-after"]) > 10  # one request per 20 s
    finally:
        stop_sandbox(process)


def test_made_up_tokens_from_one_address_spend_its_budget(limited, ticks):
    """Each request with a token nobody issued spends the address's budget: changing the token at every
    request does not get round the limit (nor reach the database beyond it)."""
    base_url, admin = limited
    ticks.now += 3600
    answers = [httpx.get(base_url + "/MedicationRequest", params={"group-identifier": "x"},
                         headers={"Authorization": f"Bearer invented-{n}"}).status_code for n in range(5)]
    assert answers[:3] == [401, 401, 401] and answers[3:] == [429, 429]
    token = admin.pharmacy_token(*PHARMACY_A)  # a real token, first seen now, is held back by its address too
    assert httpx.get(base_url + "/metadata", headers={"Authorization": f"Bearer {token}"}).status_code == 429
    ticks.now += 1  # the address's budget back: the real token is read once, then spends its own budget
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [httpx.get(base_url + "/MedicationRequest", params={"group-identifier": "x"}, headers=headers)
                .status_code for _ in range(3)]
    assert 429 not in statuses and 401 not in statuses, statuses
    assert httpx.get(base_url + "/metadata").status_code == 200  # the address spent one of its three only


def test_the_buckets_stay_bounded_under_a_flood_of_keys():
    ticks = [0.0]
    limiter = RateLimiter(RateLimit(2, 1.0), clock=lambda: ticks[0], max_buckets=100)
    for n in range(10_000):
        limiter.acquire(f"t:{n}")
    assert len(limiter._buckets) == 100
