"""Errors of the domain, each with a message fit to show a pharmacist (French)."""

from __future__ import annotations


class ComptoirError(Exception):
    """Base of every error meant for the user. ``str(error)`` is the message to display."""

    exit_code = 2

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail  # technical detail for the log, never patient data


class InvalidIdentifier(ComptoirError, ValueError):
    """A code (CIP13, RPPS, NIR, FINESS, ordonnance number ...) that does not validate."""


class CatalogueError(ComptoirError):
    """The drug catalogue cannot answer (missing, unreadable or not imported)."""


class StorageError(ComptoirError):
    """The local database cannot be reached or refused a write."""


class ConfigurationError(ComptoirError):
    """A setting is missing or wrong."""


# --- the e-prescription service ---------------------------------------------------------------
# Every failure of the service client becomes one of these; ``str()`` is what the pharmacist reads.


class ServiceError(ComptoirError):
    """The e-prescription service refused or failed a request."""

    status: int | None = None
    retryable = False  # True: keep the request for sending later (outbox)

    def __init__(self, message: str, *, detail: str | None = None, status: int | None = None) -> None:
        super().__init__(message, detail=detail)
        if status is not None:
            self.status = status


class ServiceUnavailable(ServiceError):
    """Network down, timeout, 5xx or 429: "Service indisponible — la délivrance sera transmise plus tard"."""

    retryable = True


class MalformedResponse(ServiceError):
    """The service answered something that is not the FHIR expected."""

    retryable = True


class BadRequest(ServiceError):
    status = 400


class NotAuthenticated(ServiceError):
    status = 401


class NotAllowed(ServiceError):
    status = 403


class PrescriptionNotFound(ServiceError):
    """404: "Ordonnance introuvable : vérifiez le numéro"."""

    status = 404


class ClaimedElsewhere(ServiceError):
    """409: "Ordonnance en cours de délivrance dans une autre pharmacie"."""

    status = 409


class PrescriptionGone(ServiceError):
    """410: cancelled by the prescriber or expired (the message says which)."""

    status = 410


class PayloadTooLarge(ServiceError):
    status = 413


class RuleViolation(ServiceError):
    """422: a rule of the service was broken (e.g. more than remains to deliver)."""

    status = 422
