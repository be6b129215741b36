"""The one client of the e-prescription service (contract: shared/docs/eprescription-api.md).

One ``httpx.Client`` per instance (connection reuse), explicit timeouts, TLS verification on by
default, optional client certificate (the real service authenticates CPS cards over mutual TLS).
Only idempotent requests are retried, with exponential back-off: reads, claim/release/cancel
(repeating them changes nothing) and the delivery transaction (``ifNoneExist`` makes it
idempotent); creating a prescription is never retried. When the service says how long to wait
(``Retry-After`` on a 429 or 503), the retry waits at least that long, unless it is longer than
``max_retry_wait``: then the request fails at once as "service indisponible" (the outbox sends
it later) rather than blocking its worker thread. Every failure raises a
:class:`app.domain.errors.ServiceError` subclass whose text a pharmacist can read.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from app.config import Settings
from app.domain.delivery import Delivery
from app.domain.errors import (
    BadRequest,
    ClaimedElsewhere,
    ConfigurationError,
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
from app.domain.identifiers import SANDBOX_NUMBER_LENGTH, OrdonnanceNumber
from app.domain.prescription import Prescription
from app.eprescription import systems
from app.eprescription.dispense import DispenseRecord, dispense_record, transaction_bundle
from app.eprescription.fhir_read import prescription_from_bundle

log = logging.getLogger(__name__)
T = TypeVar("T")

INCLUDES = ("MedicationRequest:subject", "MedicationRequest:requester", "MedicationRequest:medication")
UNAVAILABLE = "Service indisponible — la délivrance sera transmise plus tard"
_DEFAULT_MESSAGES: dict[int, tuple[type[ServiceError], str]] = {
    400: (BadRequest, "Requête refusée par le service (données invalides)"),
    401: (NotAuthenticated, "Accès au service refusé : jeton absent ou invalide, vérifiez les réglages"),
    403: (NotAllowed, "Opération non autorisée pour ce poste"),
    404: (PrescriptionNotFound, "Ordonnance introuvable : vérifiez le numéro"),
    409: (ClaimedElsewhere, "Ordonnance en cours de délivrance dans une autre pharmacie"),
    410: (PrescriptionGone, "Ordonnance annulée ou expirée"),
    413: (PayloadTooLarge, "Envoi trop volumineux pour le service"),
    422: (RuleViolation, "Le service a refusé l'opération (règle non respectée)"),
}
# Messages the contract fixes whatever the server says; others show the server's diagnostics.
_FIXED = {404, 409}
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
    try:
        body = response.json()
        issues = body.get("issue") if body.get("resourceType") == "OperationOutcome" else None
        texts = [i.get("diagnostics") for i in issues or [] if isinstance(i, dict)]
        text = next((t for t in texts if isinstance(t, str) and t.strip()), None)
    except (ValueError, AttributeError, RecursionError):
        return None
    return text.strip()[:300] if text else None


def error_for(response: httpx.Response) -> ServiceError:
    """The domain error for a non-2xx answer."""
    status = response.status_code
    said = _diagnostics(response)
    detail = f"HTTP {status}" + (f": {said}" if said else "")
    if status in _DEFAULT_MESSAGES:
        cls, default = _DEFAULT_MESSAGES[status]
        message = default if status in _FIXED or not said else said
        return cls(message, detail=detail, status=status)
    if status == 429 or status >= 500:
        return ServiceUnavailable(UNAVAILABLE, detail=detail, status=status)
    return ServiceError(said or f"Réponse inattendue du service (HTTP {status})", detail=detail, status=status)


def retry_after(response: httpx.Response) -> float | None:
    """The seconds a 429/503 answer asks to wait (``Retry-After``: seconds or an HTTP date), or None."""
    if response.status_code not in (429, 503):
        return None
    raw = response.headers.get("retry-after", "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return float(raw)
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


_SHAPE_ERRORS = (TypeError, AttributeError, KeyError, IndexError, ValueError, RecursionError)


def _mapped(convert: Callable[[], T], what: str) -> T:
    """Run a FHIR → domain conversion; an answer of the wrong shape is a MalformedResponse."""
    try:
        return convert()
    except ServiceError:
        raise
    except _SHAPE_ERRORS as exc:
        raise MalformedResponse(f"Réponse du service illisible ({what})",
                                detail=f"{exc.__class__.__name__}: {exc}") from exc


def _record_result(answer: dict[str, Any]) -> RecordResult:
    created = existing = 0
    locations = []
    for entry in answer.get("entry") or []:
        response = entry.get("response") if isinstance(entry, dict) else None
        status = str((response or {}).get("status", ""))
        if status.startswith("201"):
            created += 1
        elif status.startswith("200"):
            existing += 1
        else:
            raise MalformedResponse("Réponse inattendue du service à l'envoi de la délivrance",
                                    detail=f"entry status {status!r}")
        locations.append(str(response.get("location", "")))
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


def transport_failure(exc: httpx.TransportError) -> ServiceError:
    """A network failure: a TLS refusal will not cure itself (no retry), anything else may."""
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return ServiceError("Connexion refusée : le certificat du service n'est pas reconnu",
                            detail=exc.__class__.__name__)
    if isinstance(exc.__context__ or exc.__cause__, ssl.SSLError) or "SSL" in text or "TLSV" in text:
        return NotAuthenticated("Connexion sécurisée refusée : certificat client (carte CPS) absent ou refusé",
                                detail=exc.__class__.__name__)
    return ServiceUnavailable(UNAVAILABLE, detail=exc.__class__.__name__)


class EPrescriptionClient:
    """Fetch, claim, release, record deliveries; for prescribers, submit and cancel."""

    def __init__(self, base_url: str, token: str | None, *, timeout: float = 10.0, verify: bool | str = True,
                 cert: tuple[str, str] | None = None, number_system: str = systems.NUMBER_SYSTEM,
                 transport: httpx.BaseTransport | None = None, retries: int = 2,
                 backoff: float = 0.2, check_number: bool = False, max_retry_wait: float = 5.0,
                 qualified_number: bool = False) -> None:
        headers = {"Accept": FHIR_JSON, "User-Agent": "Comptoir"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.number_system = number_system
        self.check_number = check_number
        self.qualified_number = qualified_number
        self.retries = retries
        self.backoff = backoff
        self.max_retry_wait = max_retry_wait
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

    def _request(self, method: str, path: str, *, idempotent: bool, json: Any = None) -> Any:
        attempt = 0
        while True:
            asked: float | None = None
            try:
                response = self._http.request(method, path, json=json,
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
                log.warning("service %s %s failed: %s%s", method, path.split("?")[0], failure.detail,
                            f" (retry after {asked:g} s)" if asked is not None else "")
                raise failure
            time.sleep(max(self.backoff * (2 ** attempt), asked or 0.0))
            attempt += 1

    def _query(self, number: OrdonnanceNumber | str) -> str:
        """``group-identifier={number}`` as the contract says; ``system|number`` (the FHIR token
        form) only with ``qualified_number``, for a service that wants it. Always URL-encoded."""
        checked = number_of(number, check=self.check_number)
        value = f"{self.number_system}|{checked}" if self.qualified_number else str(checked)
        return "group-identifier=" + quote(value, safe="")

    # --- operations ---------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        return self._request("GET", "metadata", idempotent=True)

    def fetch(self, number: OrdonnanceNumber | str) -> Prescription:
        """Contract op 3: the prescription with its lines, patient, prescriber and medications."""
        num = number_of(number, check=self.check_number)
        includes = "".join(f"&_include={quote(i, safe='')}" for i in INCLUDES)
        bundle = self._request("GET", f"MedicationRequest?{self._query(num)}{includes}", idempotent=True)
        return _mapped(lambda: prescription_from_bundle(bundle, num, number_system=self.number_system),
                       "ordonnance")

    def claim(self, number: OrdonnanceNumber | str) -> None:
        self._request("POST", f"MedicationRequest/$claim?{self._query(number)}", idempotent=True)

    def release(self, number: OrdonnanceNumber | str) -> None:
        self._request("POST", f"MedicationRequest/$release?{self._query(number)}", idempotent=True)

    def cancel(self, number: OrdonnanceNumber | str) -> None:
        self._request("POST", f"MedicationRequest/$cancel?{self._query(number)}", idempotent=True)

    def record_delivery(self, delivery: Delivery) -> RecordResult:
        """Contract op 6: one transaction; sending it again creates nothing new."""
        answer = self._request("POST", "", json=transaction_bundle(delivery), idempotent=True)
        if not isinstance(answer, dict) or answer.get("type") != "transaction-response":
            raise MalformedResponse("Réponse inattendue du service à l'envoi de la délivrance")
        return _mapped(lambda: _record_result(answer), "envoi de la délivrance")

    def deliveries(self, number: OrdonnanceNumber | str) -> list[DispenseRecord]:
        """Contract op 7: the deliveries recorded for this prescription."""
        bundle = self._request("GET", f"MedicationDispense?{self._query(number)}", idempotent=True)
        if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
            raise MalformedResponse("Réponse inattendue du service (liste des délivrances)")
        records = []
        for entry in bundle.get("entry") or []:
            res = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(res, dict) and res.get("resourceType") == "MedicationDispense":
                records.append(_mapped(lambda res=res: dispense_record(res), "délivrances"))
        return records

    def submit_prescription(self, bundle: dict[str, Any]) -> tuple[OrdonnanceNumber, dict[str, Any]]:
        """Contract op 2 (prescriber): never retried, since a repeat would create a second one."""
        stored = self._request("POST", "Bundle", json=bundle, idempotent=False)
        try:
            value = stored["identifier"]["value"] if "identifier" in stored else next(
                e["resource"]["groupIdentifier"]["value"] for e in stored["entry"]
                if e["resource"]["resourceType"] == "MedicationRequest")
            return OrdonnanceNumber.parse(value), stored
        except (KeyError, TypeError, StopIteration, ServiceError, ValueError) as exc:
            raise MalformedResponse("Accusé de réception illisible : numéro d'ordonnance absent") from exc
