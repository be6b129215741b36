"""The sandbox's HTTP edge: declared body types (415), a client leaving mid-upload, token expiry
through a request."""

from __future__ import annotations

import json
import logging
import socket
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest

from tests.service.conftest import demo_bundle

MAX_POLLS = 500  # the wait for the server's log line is bounded, whatever the server does


def _outcome(answer: httpx.Response, status: int) -> str:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/fhir+json")
    body = answer.json()
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"][0]["diagnostics"]


@pytest.mark.parametrize(("declared", "shown"), [
    ("text/plain", "text/plain"), ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
    ("application/fhir+xml", "application/fhir+xml"), ("multipart/form-data; boundary=x", "multipart/form-data"),
    ("", "vide"),
])
@pytest.mark.parametrize("path", ["Bundle", ""])
def test_a_body_declared_as_something_else_than_json_is_415(sandbox, declared, shown, path):
    token = sandbox.admin.prescriber_token() if path else sandbox.admin.pharmacy_token("750000010", "10000000009")
    answer = httpx.post(f"{sandbox.base_url}/{path}", content=json.dumps(demo_bundle("demo-1-amoxicilline.json")),
                        headers={"Authorization": f"Bearer {token}", "Content-Type": declared})
    text = _outcome(answer, 415)
    assert text == f"Type de contenu non accepté « {shown} » : application/fhir+json attendu"
    assert answer.json()["issue"][0]["code"] == "not-supported"


@pytest.mark.parametrize("declared", ["application/fhir+json", "application/fhir+json; charset=utf-8; fhirVersion=4.0",
                                      "Application/JSON", "application/json+fhir", None])
def test_json_bodies_are_read_whatever_their_json_type_or_none(sandbox, declared):
    """FHIR servers accept application/json too; without Content-Type the body is examined as JSON
    (RFC 9110, 8.3)."""
    token = sandbox.admin.prescriber_token()
    headers = {"Authorization": f"Bearer {token}"} | ({"Content-Type": declared} if declared else {})
    answer = httpx.post(f"{sandbox.base_url}/Bundle", content=json.dumps(demo_bundle("demo-1-amoxicilline.json")),
                        headers=headers)
    assert answer.status_code == 201, answer.text
    assert answer.json()["identifier"]["value"]


def test_a_client_leaving_mid_upload_is_one_info_line_without_traceback(sandbox, caplog):
    token = sandbox.admin.prescriber_token()
    url = urlsplit(sandbox.base_url)
    caplog.set_level(logging.DEBUG, logger="app.sandbox")
    with socket.create_connection((url.hostname, url.port)) as sock:
        sock.sendall(f"POST /fhir/Bundle HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                     "Content-Type: application/fhir+json\r\nContent-Length: 100000\r\n\r\n{\"resourceType\"".encode())
    # The server notices the closed socket on its own loop: wait (bounded) for its log line, using a
    # request that needs the database as a barrier.
    for _ in range(MAX_POLLS):
        if any("client disconnected" in r.getMessage() for r in caplog.records):
            break
        httpx.get(f"{sandbox.base_url}/metadata")
    sandbox_records = [r for r in caplog.records if r.name.startswith("app.sandbox")]
    assert [(r.levelno, r.getMessage()) for r in sandbox_records] == [
        (logging.INFO, "sandbox: client disconnected during POST /fhir/Bundle")]
    assert all(r.exc_info is None for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_expired_token_is_401_in_french(sandbox, clock):
    token = sandbox.admin.pharmacy_token("750000010", "10000000009", days=1)
    headers = {"Authorization": f"Bearer {token}"}
    number = sandbox.prescriber().submit_prescription(demo_bundle("demo-1-amoxicilline.json"))[0]
    params = {"group-identifier": str(number)}
    assert httpx.get(f"{sandbox.base_url}/MedicationRequest", params=params, headers=headers).status_code == 200
    until = clock() + timedelta(days=1)
    clock.advance(days=1)
    answer = httpx.get(f"{sandbox.base_url}/MedicationRequest", params=params, headers=headers)
    text = _outcome(answer, 401)
    assert text.startswith("Authentification refusée : jeton d'accès expiré le ")
    assert text in {f"Authentification refusée : jeton d'accès expiré le {d:%d/%m/%Y} (demandez-en un nouveau)"
                    for d in (until, until - timedelta(seconds=5))}
    assert answer.json()["issue"][0]["code"] == "login"
