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
