"""Errors of the domain, each with a message fit to show a pharmacist (French).

A message the command line may say in another language is written ``N_("... {name} ...")`` with its
``values`` apart: the French stays what is shown, logged and kept; ``app.i18n.error_text`` finds the
template in the translators' catalogue (``lupdate`` extracts ``N_`` as ``QT_TR_NOOP``) and fills it.
"""

from __future__ import annotations

from collections.abc import Mapping


class Marked(str):
    """French text marked for translation (:func:`N_`); a ``str`` in every other respect."""

    __slots__ = ()


def N_(text: str) -> Marked:  # noqa: N802 - the name lupdate is told about (-tr-function-alias)
    """Mark ``text`` (French) for the translators' catalogue without translating it: the core never
    translates; whoever prints a refusal in another language does (``app.i18n.error_text``)."""
    return Marked(text)


class ComptoirError(Exception):
    """Base of every error meant for the user. ``str(error)`` is the message to display.

    ``values``: what fills the fields of ``message`` (``str.format``), kept apart with the template so
    that the message can be said in another language; a :class:`Marked` value is translated too.
    """

    exit_code = 2

    def __init__(self, message: str, *, detail: str | None = None, values: Mapping[str, object] | None = None) -> None:
        text = str(message.format(**values) if values else message)
        super().__init__(text)
        self.message = text
        self.template = str(message)
        self.values = dict(values or {})
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
# Each class that stands for an HTTP status carries it and its default message: the one table of
# statuses (``for_status``), which the client reads.


class ServiceError(ComptoirError):
    """The e-prescription service refused or failed a request."""

    status: int | None = None
    retryable = False  # True: keep the request for sending later (outbox)
    default_message = N_("Réponse inattendue du service")
    # True: the contract fixes the message whatever the server's diagnostics say.
    fixed_message = False

    def __init__(self, message: str, *, detail: str | None = None, status: int | None = None,
                 values: Mapping[str, object] | None = None) -> None:
        super().__init__(message, detail=detail, values=values)
        if status is not None:
            self.status = status


class ServiceUnavailable(ServiceError):
    """Network down, timeout, 5xx or 429: "Service indisponible — la délivrance sera transmise plus tard"."""

    retryable = True
    default_message = N_("Service indisponible — la délivrance sera transmise plus tard")
    fixed_message = True


class MalformedResponse(ServiceError):
    """The service answered something that is not the FHIR expected."""

    retryable = True
    default_message = N_("Réponse du service illisible")


class BadRequest(ServiceError):
    status = 400
    default_message = N_("Requête refusée par le service (données invalides)")


class NotAuthenticated(ServiceError):
    status = 401
    default_message = N_("Accès au service refusé : jeton absent ou invalide, vérifiez les réglages")


class NotAllowed(ServiceError):
    status = 403
    default_message = N_("Opération non autorisée pour ce poste")


class PrescriptionNotFound(ServiceError):
    """404: "Ordonnance introuvable : vérifiez le numéro"."""

    status = 404
    default_message = N_("Ordonnance introuvable : vérifiez le numéro")
    fixed_message = True


class ClaimedElsewhere(ServiceError):
    """409: "Ordonnance en cours de délivrance dans une autre pharmacie"."""

    status = 409
    default_message = N_("Ordonnance en cours de délivrance dans une autre pharmacie")
    fixed_message = True


class PrescriptionGone(ServiceError):
    """410: cancelled by the prescriber or expired (the message says which)."""

    status = 410
    default_message = N_("Ordonnance annulée ou expirée")


class PayloadTooLarge(ServiceError):
    status = 413
    default_message = N_("Envoi trop volumineux pour le service")


class RuleViolation(ServiceError):
    """422: a rule of the service was broken (e.g. more than remains to deliver)."""

    status = 422
    default_message = N_("Le service a refusé l'opération (règle non respectée)")


_BY_STATUS: dict[int, type[ServiceError]] = {
    cls.status: cls for cls in (BadRequest, NotAuthenticated, NotAllowed, PrescriptionNotFound,
                                ClaimedElsewhere, PrescriptionGone, PayloadTooLarge, RuleViolation)
    if cls.status is not None
}


def for_status(status: int) -> type[ServiceError]:
    """The error class of an HTTP error status: its own class, :class:`ServiceUnavailable` for 429 and
    5xx (a retry may cure them), else the plain :class:`ServiceError`."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status == 429 or status >= 500:
        return ServiceUnavailable
    return ServiceError
