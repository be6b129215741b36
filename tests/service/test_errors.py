"""Every refusal is an OperationOutcome with French diagnostics (never a traceback nor SQL), and the
client turns each into the matching domain error; a malformed answer is an error, not a crash."""

from __future__ import annotations

import httpx
import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome

from app.domain.errors import (
    BadRequest,
    ClaimedElsewhere,
    InvalidIdentifier,
    MalformedResponse,
    NotAllowed,
    NotAuthenticated,
    PayloadTooLarge,
    PrescriptionGone,
    PrescriptionNotFound,
    RuleViolation,
    ServiceError,
    ServiceUnavailable,
)
from app.eprescription.client import EPrescriptionClient
from tests.service.conftest import demo_bundle, example


def _raw(sandbox, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=sandbox.base_url + "/", headers=headers)


def _outcome(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    OperationOutcome.model_validate(body)
    text = body["issue"][0]["diagnostics"]
    for leak in ("Traceback", "sqlalchemy", "SELECT", "File \""):
        assert leak not in text
    return text


def test_401_without_or_with_an_unknown_token(sandbox):
    with _raw(sandbox) as http:
        assert "jeton" in _outcome(http.get("MedicationRequest?group-identifier=ABCDEFGH12"), 401)
    with _raw(sandbox, "not-a-token") as http:
        assert "inconnu" in _outcome(http.post("Bundle", json={}), 401)
    with sandbox.client(None) as client, pytest.raises(NotAuthenticated):
        client.fetch("ABCDEFGH12")


def test_403_outside_the_actor_rights(sandbox, pharmacy_client, prescriber_client):
    with pytest.raises(NotAllowed):
        pharmacy_client.submit_prescription(demo_bundle("demo-1-amoxicilline.json"))
    number, _ = prescriber_client.submit_prescription(demo_bundle("demo-1-amoxicilline.json"))
    with pytest.raises(NotAllowed):
        prescriber_client.fetch(number)
    with pytest.raises(NotAllowed):
        prescriber_client.claim(number)
    other = sandbox.prescriber("10001234566")
    bundle = demo_bundle("demo-1-amoxicilline.json")
    practitioner = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Practitioner")
    practitioner["identifier"] = [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "10003456786"}]
    with pytest.raises(NotAllowed) as err:
        other.submit_prescription(bundle)  # writing in someone else's name
    assert "RPPS" in str(err.value)


def test_400_malformed_requests(sandbox):
    token = sandbox.admin.prescriber_token()
    with _raw(sandbox, token) as http:
        _outcome(http.post("Bundle", content=b"{not json", headers={"Content-Type": "application/fhir+json"}), 400)
        _outcome(http.post("Bundle", json={"resourceType": "Patient"}), 400)
        _outcome(http.post("Bundle", json={"resourceType": "Bundle", "type": "document", "entry": []}), 400)
    pharmacy = sandbox.admin.pharmacy_token("750000010", "10000000009")
    with _raw(sandbox, pharmacy) as http:
        _outcome(http.get("MedicationRequest?group-identifier=abc'%3B--"), 400)
        _outcome(http.get("MedicationRequest"), 400)
        _outcome(http.post("", json={"resourceType": "Bundle", "type": "transaction",
                                     "entry": [{"resource": {"resourceType": "MedicationDispense"}}]}), 400)
        assert _outcome(http.get("Patient"), 404) == "Adresse inconnue du service"
        _outcome(http.delete("MedicationRequest"), 405)


def test_413_body_over_one_mebibyte(sandbox, prescriber_client):
    big = demo_bundle("demo-1-amoxicilline.json")
    big["entry"][0]["resource"]["note"] = [{"text": "x" * (1024 * 1024)}]
    with pytest.raises(PayloadTooLarge):
        prescriber_client.submit_prescription(big)
    token = sandbox.admin.prescriber_token()

    def chunks():  # no Content-Length: the limit holds while streaming
        for _ in range(20):
            yield b" " * 65536

    with _raw(sandbox, token) as http:
        _outcome(http.post("Bundle", content=chunks()), 413)


def test_422_unresolvable_references(prescriber_client):
    with pytest.raises(RuleViolation) as err:
        prescriber_client.submit_prescription(example("HAS-11-1-Presc-VitamineD.json"))  # Patient/14602 absent
    assert "Patient/14602" in str(err.value)
    bundle = demo_bundle("demo-4-kardegic-cis.json")
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationRequest"]
    with pytest.raises(RuleViolation):
        prescriber_client.submit_prescription(bundle)
    with pytest.raises(RuleViolation) as err:
        prescriber_client.submit_prescription({"resourceType": "Bundle", "type": "collection", "entry": [
            {"resource": {"resourceType": "Patient", "id": "p"}}]})
    assert "aucune ligne" in str(err.value)


def test_bad_number_is_caught_before_any_request():
    def refuse(request):  # pragma: no cover - must not be called
        raise AssertionError("no request expected")

    client = EPrescriptionClient("http://service.invalid/fhir", "t", transport=httpx.MockTransport(refuse))
    with pytest.raises(InvalidIdentifier):
        client.fetch("AB/../../admin")


# --- a misbehaving server, played by an httpx transport -------------------------------------


def _client(handler, **kwargs) -> EPrescriptionClient:
    return EPrescriptionClient("https://service.example/fhir", "tok", transport=httpx.MockTransport(handler),
                               backoff=0.001, **kwargs)


@pytest.mark.parametrize("body", [b"<html>proxy error</html>", b'{"resourceType": "Patient"}',
                                  b'{"resourceType": "Bundle", "type": "searchset"}',
                                  b'{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": '
                                  b'"MedicationRequest", "id": "x"}}]}',
                                  b"[1, 2, 3]"])
def test_malformed_answers_are_errors(body):
    client = _client(lambda request: httpx.Response(200, content=body))
    with pytest.raises(MalformedResponse) as err:
        client.fetch("ABCDEFGH12")
    assert "illisible" in str(err.value)
    with pytest.raises(MalformedResponse):
        client.submit_prescription({"resourceType": "Bundle"})


def test_idempotent_requests_are_retried_and_others_not():
    calls = []

    def flaky(request):
        calls.append(request.method)
        if len(calls) < 3:
            return httpx.Response(503, json={"resourceType": "OperationOutcome", "issue": []})
        return httpx.Response(200, json={"resourceType": "OperationOutcome", "issue": []})

    client = _client(flaky)
    client.claim("ABCDEFGH12")
    assert calls == ["POST"] * 3
    calls.clear()
    with pytest.raises(ServiceUnavailable) as err:
        client.submit_prescription({"resourceType": "Bundle"})
    assert calls == ["POST"]
    assert str(err.value) == "Service indisponible — la délivrance sera transmise plus tard"
    assert err.value.retryable


def test_network_down_is_service_unavailable():
    def down(request):
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ServiceUnavailable):
        _client(down, retries=1).fetch("ABCDEFGH12")


def test_request_shape_seen_by_the_server():
    seen = []

    def record(request):
        seen.append(request)
        return httpx.Response(400, json={"resourceType": "OperationOutcome",
                                         "issue": [{"severity": "error", "code": "invalid",
                                                    "diagnostics": "Numéro refusé"}]})

    with pytest.raises(BadRequest) as err:
        _client(record, number_system="urn:test").fetch("abcd-efgh-12")
    assert str(err.value) == "Numéro refusé"
    request = seen[0]
    assert request.headers["authorization"] == "Bearer tok"
    assert request.url.params["group-identifier"] == "ABCDEFGH12"  # the contract: the bare number
    assert request.url.params.get_list("_include") == [
        "MedicationRequest:subject", "MedicationRequest:requester", "MedicationRequest:medication"]


@pytest.mark.parametrize("operation", ["fetch", "claim", "release", "cancel", "deliveries"])
def test_the_number_is_sent_bare_or_qualified_only_on_request(operation):
    seen = []

    def record(request):
        seen.append(request)
        return httpx.Response(404)

    for qualified in (False, True):
        with pytest.raises(PrescriptionNotFound):
            getattr(_client(record, number_system="urn:test", qualified_number=qualified), operation)("ABCDEFGH12")
    bare, qualified_request = (r.url.query.decode() for r in seen)
    assert "group-identifier=ABCDEFGH12" in bare
    assert "group-identifier=urn%3Atest%7CABCDEFGH12" in qualified_request  # always URL-encoded


def test_an_internal_fault_is_a_bare_500(tmp_path, monkeypatch):
    from app.sandbox import dispensing
    from app.sandbox.testing import running_sandbox

    def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM sbx_prescription -- boom")

    monkeypatch.setattr(dispensing, "search", broken)
    with running_sandbox(f"sqlite:///{tmp_path / 'sbx.sqlite3'}") as (base_url, admin):
        token = admin.pharmacy_token("750000010", "10000000009")
        response = httpx.get(base_url + "/MedicationRequest?group-identifier=ABCDEFGH12",
                             headers={"Authorization": f"Bearer {token}"})
        assert _outcome(response, 500) == "Erreur interne du service"
        assert "secret" not in response.text
        with EPrescriptionClient(base_url, token, backoff=0.001) as client, pytest.raises(ServiceUnavailable):
            client.fetch("ABCDEFGH12")


def test_other_answers_validate_as_fhir(sandbox, prescriber_client, pharmacy_client):
    from fhir.resources.R4B.bundle import Bundle

    from app.eprescription.dispense import transaction_bundle
    from tests.service.conftest import delivery_for

    number, _ = prescriber_client.submit_prescription(demo_bundle("demo-3-trois-lignes.json"))
    token = sandbox.admin.pharmacy_token("750000010", "10000000009")
    group = {"group-identifier": number}
    with _raw(sandbox, token) as http:
        OperationOutcome.model_validate(http.post("MedicationRequest/$claim", params=group).json())
        tx = transaction_bundle(delivery_for(pharmacy_client.fetch(number)))
        Bundle.model_validate(http.post("", json=tx).json())
        Bundle.model_validate(http.get("MedicationDispense", params=group).json())
        OperationOutcome.model_validate(http.post("MedicationRequest/$release", params=group).json())


@pytest.mark.parametrize("status", [200, 400])
@pytest.mark.parametrize("operation", ["fetch", "deliveries"])
def test_json_nested_too_deep_is_a_malformed_answer_or_a_plain_error(operation, status):
    deep = ("[" * 100_000 + "]" * 100_000).encode()

    def answer(request):
        return httpx.Response(status, content=deep, headers={"Content-Type": "application/fhir+json"})

    expected = MalformedResponse if status == 200 else BadRequest
    with pytest.raises(expected):
        getattr(_client(answer), operation)("ABCDEFGH12")


# --- a bug is a bug: never re-labelled as the service's fault ------------------------------


def test_a_bug_in_the_reader_propagates_as_itself(monkeypatch):
    """A programming error in the FHIR reader must surface with its traceback, not as "Réponse du
    service illisible" (which the outbox would retry forever and nobody would ever debug)."""
    from app.eprescription import fhir_read

    def broken(res):
        raise AttributeError("'NoneType' object has no attribute 'family'")

    monkeypatch.setattr(fhir_read, "patient_of", broken)
    bundle = demo_bundle("demo-1-amoxicilline.json")
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "MedicationRequest":
            entry["resource"]["groupIdentifier"] = {"system": "urn:test", "value": "ABCDEFGH12"}
    with pytest.raises(AttributeError, match="family"):
        _client(lambda request: httpx.Response(200, json=bundle)).fetch("ABCDEFGH12")


# --- retries: jitter, the service's own wait ---------------------------------------------------


class Draws:
    """A stand-in for ``random.Random``: records the ranges asked for and answers their middle."""

    def __init__(self) -> None:
        self.ranges: list[tuple[float, float]] = []

    def uniform(self, low: float, high: float) -> float:
        self.ranges.append((low, high))
        return (low + high) / 2


def _flaky(failures: int, *, headers: dict[str, str] | None = None):
    calls = []

    def answer(request):
        calls.append(request)
        if len(calls) <= failures:
            return httpx.Response(503, headers=headers or {}, json={"resourceType": "OperationOutcome", "issue": []})
        return httpx.Response(200, json={"resourceType": "OperationOutcome", "issue": []})

    return answer, calls


def test_retries_wait_a_random_share_of_the_exponential_backoff():
    answer, calls = _flaky(3)
    draws, slept = Draws(), []
    client = EPrescriptionClient("https://service.example/fhir", "tok", transport=httpx.MockTransport(answer),
                                 retries=3, backoff=0.2, rng=draws, sleep=slept.append)
    client.claim("ABCDEFGH12")
    assert len(calls) == 4
    assert draws.ranges == [(0.0, 0.2), (0.0, 0.4), (0.0, 0.8)]  # full jitter: anywhere from 0 to the back-off
    assert slept == pytest.approx([0.1, 0.2, 0.4])


def test_the_backoff_is_capped_and_the_service_wait_comes_first():
    answer, _ = _flaky(2, headers={"Retry-After": "2"})
    draws, slept = Draws(), []
    client = EPrescriptionClient("https://service.example/fhir", "tok", transport=httpx.MockTransport(answer),
                                 retries=2, backoff=4, max_retry_wait=5, rng=draws, sleep=slept.append)
    client.release("ABCDEFGH12")
    assert draws.ranges == [(0.0, 4.0), (0.0, 5.0)]  # 8 s capped at max_retry_wait
    assert slept == pytest.approx([2 + 2.0, 2 + 2.5])  # Retry-After, then the jitter on top


def test_workstations_do_not_retry_in_step():
    import random

    delays = []
    for seed in range(20):  # twenty workstations after the same outage
        client = EPrescriptionClient("https://service.example/fhir", "tok", rng=random.Random(seed),
                                     sleep=lambda s: None)
        delays.append(tuple(client.retry_delay(attempt, None) for attempt in range(3)))
    assert len(set(delays)) == 20
    for first, second, third in delays:
        assert 0 <= first <= 0.2 and 0 <= second <= 0.4 and 0 <= third <= 0.8


# --- TLS failures by type, not by the words of OpenSSL ------------------------------------


def _failing(cause: BaseException, message: str = "connection failed"):
    def handler(request):
        raise httpx.ConnectError(message, request=request) from cause
    return handler


def test_an_untrusted_service_certificate_is_not_retried():
    import ssl

    cause = ssl.SSLCertVerificationError(1, "certificate verify failed: self-signed certificate")
    with pytest.raises(ServiceError) as caught:
        _client(_failing(cause, "handshake failed")).fetch("ABCDEFGH12")
    assert str(caught.value) == "Connexion refusée : le certificat du service n'est pas reconnu"
    assert not caught.value.retryable and not isinstance(caught.value, NotAuthenticated)


def test_a_refused_client_certificate_is_not_authenticated():
    import ssl

    cause = ssl.SSLError(1, "tlsv13 alert certificate required")
    with pytest.raises(NotAuthenticated, match="carte CPS"):
        _client(_failing(cause)).fetch("ABCDEFGH12")


def test_a_message_that_mentions_ssl_is_still_a_network_failure():
    calls = []

    def handler(request):
        calls.append(request)
        raise httpx.ConnectError("SSL proxy unreachable (TLSV1 tunnel): CERTIFICATE_VERIFY_FAILED", request=request)

    with pytest.raises(ServiceUnavailable):
        _client(handler, retries=1).fetch("ABCDEFGH12")
    assert len(calls) == 2  # retried: nothing says the TLS handshake itself failed


# --- one status table -------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "cls"), [
    (400, BadRequest), (401, NotAuthenticated), (403, NotAllowed), (404, PrescriptionNotFound),
    (409, ClaimedElsewhere), (410, PrescriptionGone), (413, PayloadTooLarge), (422, RuleViolation),
    (429, ServiceUnavailable), (500, ServiceUnavailable), (503, ServiceUnavailable), (418, ServiceError),
])
def test_each_status_has_one_class_and_one_default_message(status, cls):
    from app.domain.errors import for_status
    from app.eprescription.client import error_for

    assert for_status(status) is cls
    bare = error_for(httpx.Response(status))
    assert type(bare) is cls and bare.status == status
    expected = cls.default_message if cls is not ServiceError else f"Réponse inattendue du service (HTTP {status})"
    assert str(bare) == expected
    said = error_for(httpx.Response(status, json={"resourceType": "OperationOutcome",
                                                  "issue": [{"diagnostics": "Motif précis du service"}]}))
    assert str(said) == (cls.default_message if cls.fixed_message else "Motif précis du service")
    assert said.detail == f"HTTP {status}: Motif précis du service"


def test_an_outage_the_operator_declares_is_a_503_with_retry_after(tmp_path):
    """`SandboxAdmin.set_unavailable`: every request answers 503 with its Retry-After (as the national
    service does during a maintenance), the client calls it « service indisponible » with the
    service's words in its detail, and the same request succeeds once the outage ends."""
    from tests.service.conftest import sandbox_on

    with sandbox_on(f"sqlite:///{tmp_path / 'outage.sqlite3'}") as sandbox:
        prescriber = sandbox.prescriber()
        written = prescriber.submit_prescription(demo_bundle("demo-1-amoxicilline.json"))[0]
        pharmacy = sandbox.pharmacy()
        sandbox.admin.set_unavailable(300)
        with _raw(sandbox) as raw:
            response = raw.get("metadata")
            assert "maintenance" in _outcome(response, 503)
            assert response.headers["retry-after"] == "300"
        with pytest.raises(ServiceUnavailable) as caught:
            pharmacy.fetch(written)
        assert "503" in caught.value.detail and "maintenance" in caught.value.detail
        sandbox.admin.set_unavailable(None)
        assert str(pharmacy.fetch(written).number) == str(written)
