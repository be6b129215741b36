"""The one client of the e-prescription service (contract: shared/docs/eprescription-api.md).

One ``httpx.Client`` per instance (connection reuse), explicit timeouts, TLS verification on by
default, optional client certificate (the real service authenticates CPS cards over mutual TLS).
Only idempotent requests are retried, with exponential back-off and full jitter (a random wait
between 0 and the back-off, so that the workstations of a pharmacy, or of every pharmacy, do not
retry in step after an outage): reads, claim/release/cancel (repeating them changes nothing) and
the delivery transaction (``ifNoneExist`` makes it idempotent); creating a prescription is never
retried. When the service says how long to wait
(``Retry-After`` on a 429 or 503), the retry waits at least that long, unless it is longer than
``max_retry_wait``: then the request fails at once as "service indisponible" (the outbox sends
it later) rather than blocking its worker thread. Every failure raises a
:class:`app.domain.errors.ServiceError` subclass whose text a pharmacist can read; an answer that is
not the FHIR expected is a :class:`MalformedResponse` from the readers themselves (they check every
type), so a bug of a reader is never re-labelled as a service fault: it propagates as itself.
"""

from __future__ import annotations

import logging
import random
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from app.config import Settings
from app.domain.delivery import Delivery
from app.domain.errors import (
    ConfigurationError,
    InvalidIdentifier,
    MalformedResponse,
    NotAuthenticated,
    ServiceError,
    ServiceUnavailable,
    for_status,
)
from app.domain.identifiers import SANDBOX_NUMBER_LENGTH, OrdonnanceNumber
from app.domain.prescription import Prescription
from app.eprescription import systems
from app.eprescription.dispense import DispenseRecord, dispense_record, transaction_bundle
from app.eprescription.fhir_json import Node
from app.eprescription.fhir_read import prescription_from_bundle

log = logging.getLogger(__name__)

INCLUDES = ("MedicationRequest:subject", "MedicationRequest:requester", "MedicationRequest:medication")
UNAVAILABLE = ServiceUnavailable.default_message
FHIR_JSON = "application/fhir+json"


@dataclass(frozen=True)
class RecordResult:
    """The answer to a delivery transaction: how many dispenses were new, how many already known."""

    created: int
    existing: int
    locations: tuple[str, ...]


def number_of(number: OrdonnanceNumber | str, *, check: bool = False) -> OrdonnanceNumber:
    """The number, validated before any request; with ``check``, a 20-character number (the
    sandbox's format) must also carry a right MOD 37,36 check character."""
    parsed = number if isinstance(number, OrdonnanceNumber) else OrdonnanceNumber.parse(number)
    if check and len(parsed) == SANDBOX_NUMBER_LENGTH:
        OrdonnanceNumber.parse(parsed, check=True)
    return parsed


def _diagnostics(response: httpx.Response) -> str | None:
    """The first non-blank ``diagnostics`` of an OperationOutcome answer (at most 300 characters)."""
    try:
        body = response.json()
    except (ValueError, RecursionError):  # not JSON, or nested past what the parser takes
        return None
    if not isinstance(body, dict) or body.get("resourceType") != "OperationOutcome":
        return None
    issues = body.get("issue")
    for issue in issues if isinstance(issues, list) else []:
        text = issue.get("diagnostics") if isinstance(issue, dict) else None
        if isinstance(text, str) and text.strip():
            return text.strip()[:300]
    return None


def error_for(response: httpx.Response) -> ServiceError:
    """The domain error for a non-2xx answer (the status table is :func:`app.domain.errors.for_status`)."""
    status = response.status_code
    said = _diagnostics(response)
    detail = f"HTTP {status}" + (f": {said}" if said else "")
    cls = for_status(status)
    if cls is ServiceError:
        return ServiceError(said or f"Réponse inattendue du service (HTTP {status})", detail=detail, status=status)
    message = cls.default_message if cls.fixed_message or not said else said
    return cls(message, detail=detail, status=status)


def retry_after(response: httpx.Response) -> float | None:
    """The seconds a 429/503 answer asks to wait (``Retry-After``: seconds or an HTTP date), or None."""
    if response.status_code not in (429, 503):
        return None
    raw = response.headers.get("retry-after", "").strip()
    if not raw:
        return None
    if raw.isascii() and raw.isdigit():  # "²".isdigit() is True, float("²") raises
        return float(raw)
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _record_result(answer: Any) -> RecordResult:
    """Count a ``transaction-response``: one entry per dispense, ``201`` created, ``200`` already known."""
    bundle = Node.of(answer, "Bundle")
    if not isinstance(answer, dict) or bundle.get("type").string() != "transaction-response":
        raise MalformedResponse("Réponse inattendue du service à l'envoi de la délivrance",
                                detail="not a transaction-response")
    created = existing = 0
    locations = []
    for entry in bundle.get("entry").objects():
        response = entry.get("response")
        status = response.get("status").string() or ""
        if status.startswith("201"):
            created += 1
        elif status.startswith("200"):
            existing += 1
        else:
            raise MalformedResponse("Réponse inattendue du service à l'envoi de la délivrance",
                                    detail=f"{entry.path} status {status[:20]!r}")
        locations.append(response.get("location").string() or "")
    return RecordResult(created, existing, tuple(locations))


def tls_context(verify: bool | str, cert: tuple[str, str] | None) -> ssl.SSLContext | bool:
    """The TLS settings: system CAs (or ``verify``'s CA file) and the optional client certificate."""
    if verify is False and cert is None:
        return False
    try:
        context = ssl.create_default_context(cafile=verify if isinstance(verify, str) else None)
        if verify is False:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if cert is not None:
            context.load_cert_chain(cert[0], cert[1])
    except (OSError, ssl.SSLError) as exc:
        raise ConfigurationError("Certificats du service illisibles : vérifiez les réglages (AC, certificat client)",
                                 detail=repr(exc)) from exc
    return context


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it was raised from: httpx wraps httpcore's error, which wraps ssl's."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def transport_failure(exc: httpx.TransportError) -> ServiceError:
    """A network failure: a TLS refusal will not cure itself (no retry), anything else may.

    Told apart by the exception types under httpx's (``ssl.SSLCertVerificationError``: the service's
    certificate is not trusted; any other ``ssl.SSLError``: the handshake was refused, typically our
    client certificate), never by the words of their messages, which change with OpenSSL versions.
    """
    causes = list(_causes(exc))
    name = exc.__class__.__name__
    if any(isinstance(c, ssl.SSLCertVerificationError) for c in causes):
        return ServiceError("Connexion refusée : le certificat du service n'est pas reconnu", detail=name)
    ssl_error = next((c for c in causes if isinstance(c, ssl.SSLError)), None)
    if ssl_error is not None:
        return NotAuthenticated("Connexion sécurisée refusée : certificat client (carte CPS) absent ou refusé",
                                detail=f"{name}: {ssl_error.__class__.__name__} {getattr(ssl_error, 'reason', None) or ''}".strip())
    return ServiceUnavailable(UNAVAILABLE, detail=name)


class EPrescriptionClient:
    """Fetch, claim, release, record deliveries; for prescribers, submit and cancel."""

    def __init__(self, base_url: str, token: str | None, *, timeout: float = 10.0, verify: bool | str = True,
                 cert: tuple[str, str] | None = None, number_system: str = systems.NUMBER_SYSTEM,
                 transport: httpx.BaseTransport | None = None, retries: int = 2,
                 backoff: float = 0.2, check_number: bool = False, max_retry_wait: float = 5.0,
                 qualified_number: bool = False, rng: random.Random | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        headers = {"Accept": FHIR_JSON, "User-Agent": "Comptoir"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.number_system = number_system
        self.check_number = check_number
        self.qualified_number = qualified_number
        self.retries = retries
        self.backoff = backoff
        self.max_retry_wait = max_retry_wait
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._http = httpx.Client(base_url=base_url.rstrip("/") + "/", headers=headers,
                                  timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                                  verify=tls_context(verify, cert), transport=transport)

    @classmethod
    def from_settings(cls, settings: Settings) -> EPrescriptionClient:
        svc = settings.service
        verify: bool | str = (svc.ca_bundle or True) if svc.verify_tls else False
        cert = (svc.client_cert, svc.client_key) if svc.client_cert and svc.client_key else None
        return cls(svc.base_url, settings.service_token(), timeout=svc.timeout_s, verify=verify, cert=cert,
                   number_system=svc.number_system, check_number=svc.check_number)

    @property
    def base_url(self) -> str:
        return str(self._http.base_url).rstrip("/")

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> EPrescriptionClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transport ----------------------------------------------------------------------------

    def retry_delay(self, attempt: int, asked: float | None) -> float:
        """The wait before retry ``attempt`` (0 for the first): "full jitter", a uniform draw between 0
        and the exponential back-off (capped at ``max_retry_wait``), after the wait the service asked
        for (``Retry-After``) if any. Random so that workstations do not all come back at once."""
        ceiling = min(self.backoff * (2 ** attempt), self.max_retry_wait)
        return (asked or 0.0) + self._rng.uniform(0.0, ceiling)

    def _request(self, method: str, path: str, *, idempotent: bool, json: Any = None,
                 params: dict[str, Any] | None = None) -> Any:
        attempt = 0
        while True:
            asked: float | None = None
            try:
                response = self._http.request(method, path, json=json, params=params,
                                              headers={"Content-Type": FHIR_JSON} if json is not None else None)
            except httpx.TransportError as exc:
                failure: ServiceError = transport_failure(exc)
            else:
                if response.is_success:
                    try:
                        return response.json()
                    except (ValueError, RecursionError) as exc:  # RecursionError: JSON nested too deep
                        raise MalformedResponse("Réponse illisible du service (JSON attendu)",
                                                detail=f"{method} {path}") from exc
                failure = error_for(response)
                asked = retry_after(response)
            too_long = asked is not None and asked > self.max_retry_wait
            if too_long or not (idempotent and failure.retryable and attempt < self.retries):
                log.warning("service %s %s failed: %s%s", method, path, failure.detail,
                            f" (retry after {asked:g} s)" if asked is not None else "")
                raise failure
            self._sleep(self.retry_delay(attempt, asked))
            attempt += 1

    def _group(self, number: OrdonnanceNumber | str) -> dict[str, str]:
        """The ``group-identifier`` query parameter as the contract says: the bare number; ``system|number``
        (the FHIR token form) only with ``qualified_number``, for a service that wants it. httpx
        URL-encodes it."""
        checked = number_of(number, check=self.check_number)
        return {"group-identifier": f"{self.number_system}|{checked}" if self.qualified_number else str(checked)}

    # --- operations ---------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        return self._request("GET", "metadata", idempotent=True)

    def fetch(self, number: OrdonnanceNumber | str) -> Prescription:
        """Contract op 3: the prescription with its lines, patient, prescriber and medications."""
        num = number_of(number, check=self.check_number)
        bundle = self._request("GET", "MedicationRequest", params={**self._group(num), "_include": list(INCLUDES)},
                               idempotent=True)
        return prescription_from_bundle(bundle, num, number_system=self.number_system)

    def claim(self, number: OrdonnanceNumber | str) -> None:
        self._request("POST", "MedicationRequest/$claim", params=self._group(number), idempotent=True)

    def release(self, number: OrdonnanceNumber | str) -> None:
        self._request("POST", "MedicationRequest/$release", params=self._group(number), idempotent=True)

    def cancel(self, number: OrdonnanceNumber | str) -> None:
        self._request("POST", "MedicationRequest/$cancel", params=self._group(number), idempotent=True)

    def record_delivery(self, delivery: Delivery) -> RecordResult:
        """Contract op 6: one transaction; sending it again creates nothing new."""
        return _record_result(self._request("POST", "", json=transaction_bundle(delivery), idempotent=True))

    def deliveries(self, number: OrdonnanceNumber | str) -> list[DispenseRecord]:
        """Contract op 7: the deliveries recorded for this prescription."""
        answer = self._request("GET", "MedicationDispense", params=self._group(number), idempotent=True)
        bundle = Node.of(answer, "Bundle")
        if not isinstance(answer, dict) or bundle.get("resourceType").string() != "Bundle":
            raise MalformedResponse("Réponse inattendue du service (liste des délivrances)", detail="not a Bundle")
        resources = (entry.get("resource") for entry in bundle.get("entry").objects())
        return [dispense_record(res) for res in resources
                if res.get("resourceType").string() == "MedicationDispense"]

    def submit_prescription(self, bundle: dict[str, Any]) -> tuple[OrdonnanceNumber, dict[str, Any]]:
        """Contract op 2 (prescriber): never retried, since a repeat would create a second one."""
        stored = self._request("POST", "Bundle", json=bundle, idempotent=False)
        answer = Node.of(stored, "Bundle")
        if answer.has("identifier"):
            value = answer.get("identifier").get("value").string()
        else:
            value = next((res.get("groupIdentifier").get("value").string()
                          for res in (e.get("resource") for e in answer.get("entry").objects())
                          if res.get("resourceType").string() == "MedicationRequest"), None)
        try:
            return OrdonnanceNumber.parse(value or ""), stored
        except InvalidIdentifier as exc:
            raise MalformedResponse("Accusé de réception illisible : numéro d'ordonnance absent",
                                    detail="no valid ordonnance number in the stored Bundle") from exc
