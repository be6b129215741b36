"""Errors of the scanning adapter, each with a message a pharmacist can act on (French)."""

from __future__ import annotations

from app.domain.errors import ComptoirError


class ScannerError(ComptoirError):
    """A decoder backend, a camera, a serial port or an image file that cannot be used."""


class BackendUnavailable(ScannerError):
    """The decoding library chosen in the settings is not installed on this workstation."""


class SourceUnavailable(ScannerError):
    """A camera, video file, image folder or serial port that cannot be opened or read."""
