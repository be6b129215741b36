"""Errors the sandbox answers, always as a FHIR OperationOutcome with French diagnostics."""

from __future__ import annotations

from typing import Any

from app.domain.errors import ComptoirError

# HTTP status -> FHIR issue type (http://hl7.org/fhir/issue-type).
_ISSUE_CODE = {
    400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported",
    409: "conflict", 410: "deleted", 413: "too-long", 415: "not-supported", 422: "business-rule",
    429: "throttled", 500: "exception",
}


class SandboxError(ComptoirError):
    """A refusal of the sandbox: HTTP ``status`` and the French text a pharmacist reads.

    A ComptoirError so that one raised outside a request (the ``comptoir sandbox`` commands opening
    the database) is printed as one French line, never a traceback."""

    def __init__(self, status: int, diagnostics: str) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.diagnostics = diagnostics


def operation_outcome(status: int, diagnostics: str, *, severity: str | None = None) -> dict[str, Any]:
    if severity is None:
        severity = "error" if status >= 400 else "information"
    code = _ISSUE_CODE.get(status, "exception" if status >= 500 else "informational")
    if severity == "information":
        code = "informational"
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


def malformed(text: str) -> SandboxError:
    return SandboxError(400, f"Requête mal formée : {text}")


def unresolvable(text: str) -> SandboxError:
    return SandboxError(422, f"Référence non résolue : {text}")
