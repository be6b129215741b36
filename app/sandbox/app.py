"""The sandbox's HTTP face: a Starlette ASGI app under ``/fhir`` (contract operations 1-8).

Bodies are read with a hard 1 MiB limit (413), every answer is FHIR JSON, and every error is an
OperationOutcome with French diagnostics: an unexpected exception is logged here and answered as a
bare 500, never with its traceback or SQL. A body that is not UTF-8, not JSON, or whose JSON holds a
lone surrogate (``"\\ud800"``: valid JSON, but no text a database or a UTF-8 answer can hold) is a
400. The rate limit (:func:`_spend`) applies per token, and per address to every request whose token
is not known yet; its buckets are bounded (:data:`app.sandbox.ratelimit.MAX_BUCKETS`, least recently
seen forgotten). What it cannot do: many addresses (a botnet) each get their own budget.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.sandbox import dispensing
from app.sandbox.errors import SandboxError, malformed, operation_outcome
from app.sandbox.openapi import openapi_document
from app.sandbox.ratelimit import RateLimit, RateLimiter, bucket_key, retry_after_header
from app.sandbox.store import ActorInfo, SandboxStore, parse_number

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
FHIR_JSON = "application/fhir+json"


class FhirResponse(Response):
    media_type = FHIR_JSON

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def error_response(status: int, diagnostics: str, headers: dict[str, str] | None = None) -> FhirResponse:
    return FhirResponse(operation_outcome(status, diagnostics), status_code=status, headers=headers)


def throttled(wait: float) -> FhirResponse:
    """429 with ``Retry-After``: the request was not processed at all, so repeating it is safe."""
    seconds = retry_after_header(wait)
    return error_response(429, f"Trop de requêtes envoyées au service : réessayez dans {seconds} s",
                          headers={"Retry-After": seconds})


# What a body the sandbox reads may be declared as: FHIR JSON (R4's ``application/fhir+json``, the
# older ``application/json+fhir``) or plain JSON, which FHIR servers accept too.
JSON_TYPES = ("application/fhir+json", "application/json", "application/json+fhir")


def check_content_type(request: Request) -> None:
    """415 for a body declared as something else than JSON (a form, XML, text).

    A request WITHOUT Content-Type is read as JSON: RFC 9110 (8.3) lets the recipient examine the
    data when no type is given, and the body must then parse as JSON (400 otherwise)."""
    declared = request.headers.get("content-type")
    if declared is None:
        return
    media = declared.split(";", 1)[0].strip().lower()
    if media not in JSON_TYPES:
        shown = media[:60] or "vide"
        raise SandboxError(415, f"Type de contenu non accepté « {shown} » : application/fhir+json attendu")


async def read_json(request: Request) -> Any:
    check_content_type(request)
    declared = request.headers.get("content-length")
    if declared and declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY:
        raise SandboxError(413, "Requête trop volumineuse (1 Mio au plus)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise SandboxError(413, "Requête trop volumineuse (1 Mio au plus)")
        chunks.append(chunk)
    try:
        text = b"".join(chunks).decode("utf-8")
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError) as exc:  # bad UTF-8, bad JSON, NaN/Infinity, absurd nesting
        raise malformed("le corps n'est pas du JSON lisible") from exc
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        # "\ud800" alone is valid JSON but no Unicode text: no database column or UTF-8 answer takes it
        raise malformed("le corps contient un caractère Unicode invalide (demi-paire de substitution isolée)")
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(value: Any) -> bool:
    """Whether a string (key or value) of the parsed body holds a lone surrogate."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/fhir"


Handler = Callable[[Request, ActorInfo], Awaitable[tuple[int, Any]]]


def _spend(limiter: RateLimiter, store: SandboxStore, token: str | None, host: str | None) -> float:
    """Spend the request's budgets (0: go ahead, else the seconds to wait). A token this process
    knows and trusts (:meth:`SandboxStore.cached_actor`, no database read) spends its own budget only:
    a pharmacy's workstations behind one address are not slowed down by each other. A request
    without a token, or with a token not known yet (made up, or read again after the cache's few
    seconds), spends its address's budget first: a flood of invented tokens from one address is
    throttled there before any of them reaches the database."""
    if token and store.cached_actor(token) is not None:
        return limiter.acquire(bucket_key(token, host))
    wait = limiter.acquire(bucket_key(None, host))
    if wait > 0 or not token:
        return wait
    return limiter.acquire(bucket_key(token, host))


def create_app(store: SandboxStore, rate_limit: RateLimit | None = None, *,
               rate_clock: Callable[[], float] = time.monotonic) -> Starlette:
    """The ASGI app over ``store`` (one store per process); ``rate_limit`` is each token's request
    budget (None: unlimited), spent before anything else is done with the request, on the seconds
    of ``rate_clock``."""
    limiter = RateLimiter(rate_limit, clock=rate_clock) if rate_limit is not None else None

    def endpoint(handler: Handler, *, public: bool = False):
        async def run(request: Request) -> Response:
            try:
                if store.unavailable_for is not None:
                    return error_response(503, "Service en maintenance, réessayez plus tard",
                                          {"Retry-After": str(store.unavailable_for)})
                token = _bearer(request)
                if limiter is not None:
                    wait = _spend(limiter, store, token, request.client.host if request.client else None)
                    if wait > 0:
                        return throttled(wait)
                actor = None
                if not public:
                    actor = store.cached_actor(token) or await run_in_threadpool(store.authenticate, token)
                status, body = await handler(request, actor)
                return FhirResponse(body, status_code=status)
            except SandboxError as exc:
                return error_response(exc.status, exc.diagnostics)
            except ClientDisconnect:  # the client went away mid-upload: nobody reads an answer
                log.info("sandbox: client disconnected during %s %s", request.method, request.url.path)
                return error_response(400, "Requête interrompue par le client")
            except Exception:  # never a traceback in an answer
                log.exception("sandbox: unexpected error on %s %s", request.method, request.url.path)
                return error_response(500, "Erreur interne du service")
        return run

    async def metadata(request: Request, _actor: Any) -> tuple[int, Any]:
        return 200, capability_statement(store)

    async def submit(request: Request, actor: ActorInfo) -> tuple[int, Any]:
        if actor.kind != "prescriber":
            raise SandboxError(403, "Seul un prescripteur peut créer une ordonnance")
        body = await read_json(request)
        return 201, await run_in_threadpool(store.submit, body, actor)

    async def search(request: Request, actor: ActorInfo) -> tuple[int, Any]:
        number = parse_number(request.query_params.get("group-identifier"))
        includes = request.query_params.getlist("_include")
        return 200, await run_in_threadpool(dispensing.search, store, number, actor, includes, _base(request))

    def operation(name: str) -> Handler:
        async def run(request: Request, actor: ActorInfo) -> tuple[int, Any]:
            number = parse_number(request.query_params.get("group-identifier"))
            return 200, await run_in_threadpool(getattr(store, name), number, actor)
        return run

    async def transaction(request: Request, actor: ActorInfo) -> tuple[int, Any]:
        if not actor.is_pharmacy:
            raise SandboxError(403, "Opération réservée aux pharmacies")
        body = await read_json(request)
        return 200, await run_in_threadpool(dispensing.record, store, body, actor)

    async def dispenses(request: Request, actor: ActorInfo) -> tuple[int, Any]:
        number = parse_number(request.query_params.get("group-identifier"))
        return 200, await run_in_threadpool(dispensing.dispenses, store, number, actor, _base(request))

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if status == 405:
            return error_response(405, "Opération non prise en charge sur cette adresse")
        return error_response(404, "Adresse inconnue du service")

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("sandbox: unhandled %s", exc.__class__.__name__)
        return error_response(500, "Erreur interne du service")

    document = openapi_document()

    async def openapi(request: Request) -> Response:
        """The OpenAPI description of the operations below (app.sandbox.openapi)."""
        return JSONResponse(document)

    routes = [
        Route("/fhir/openapi.json", openapi, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/fhir/metadata", endpoint(metadata, public=True), methods=["GET"]),
        Route("/fhir/Bundle", endpoint(submit), methods=["POST"]),
        Route("/fhir/MedicationRequest", endpoint(search), methods=["GET"]),
        Route("/fhir/MedicationRequest/$claim", endpoint(operation("claim")), methods=["POST"]),
        Route("/fhir/MedicationRequest/$release", endpoint(operation("release")), methods=["POST"]),
        Route("/fhir/MedicationRequest/$cancel", endpoint(operation("cancel")), methods=["POST"]),
        Route("/fhir", endpoint(transaction), methods=["POST"]),
        Route("/fhir/", endpoint(transaction), methods=["POST"]),
        Route("/fhir/MedicationDispense", endpoint(dispenses), methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found, Exception: server_error})
    app.state.store = store
    app.state.limiter = limiter
    return app


def capability_statement(store: SandboxStore) -> dict[str, Any]:
    group = {"name": "group-identifier", "type": "token",
             "documentation": "Numéro de l'ordonnance numérique"}
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": datetime.now(UTC).date().isoformat(),
        "publisher": "Comptoir (service bac à sable)",
        "kind": "instance",
        "software": {"name": "Comptoir sandbox e-prescription service"},
        "implementation": {"description": "Service d'ordonnance numérique de démonstration et de formation"},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [{
            "mode": "server",
            "security": {"description": "Jeton Bearer par acteur (pharmacie ou prescripteur); "
                                        "certificat client TLS possible"},
            "interaction": [{"code": "transaction"}],
            "resource": [
                {"type": "Bundle", "interaction": [{"code": "create"}]},
                {"type": "MedicationRequest", "interaction": [{"code": "search-type"}],
                 "searchInclude": list(dispensing.INCLUDES),
                 "searchParam": [group],
                 "operation": [
                     {"name": "claim", "definition": "https://comptoir.example/fhir/OperationDefinition/claim"},
                     {"name": "release", "definition": "https://comptoir.example/fhir/OperationDefinition/release"},
                     {"name": "cancel", "definition": "https://comptoir.example/fhir/OperationDefinition/cancel"},
                 ]},
                {"type": "MedicationDispense", "interaction": [{"code": "create"}, {"code": "search-type"}],
                 "conditionalCreate": True, "searchParam": [group]},
            ],
        }],
    }
