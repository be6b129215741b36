"""Logging to a rotating file in the platform's log dir, and the error report of an unexpected failure.

No patient name or NIR is ever logged: code logs identifiers of records, never people, and a filter
masks anything shaped like a NIR (13 to 15 characters starting with a sex digit) as a second guard;
access tokens (``Bearer …``, ``token=…``) are masked the same way. The masking applies to the whole
formatted record, tracebacks included, and to the error report (:func:`error_report`).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
from pathlib import Path
from types import TracebackType

from app import __version__
from app.config import log_dir
from app.private_files import private_dir

# CIP13 codes (3400...) are not NIRs: they are logged as they are.
_NIR_LIKE = r"\b(?!3\s?400)[12378]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2A|2B)\s?\d{3}\s?\d{3}(?:\s?\d{2})?\b"

# A bearer token in a header or its repr, or a token given as a parameter (token=…, "token": "…").
_TOKEN_LIKE = r"(?i)(\bbearer\s+|\btoken[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9._~+/=-]{8,}"

_HANDLER_NAME = "comptoir-file"


@functools.cache
def _masks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The two patterns, compiled at the first record (not at import: the window's start logs nothing
    before its first paint, and compiling them costs it milliseconds)."""
    return re.compile(_NIR_LIKE), re.compile(_TOKEN_LIKE)


def redact(text: str) -> str:
    """``text`` with NIR-shaped numbers and tokens masked."""
    nir, token = _masks()
    return token.sub(r"\1[jeton masqué]", nir.sub("[NIR masqué]", text))


class RedactNir(logging.Filter):
    """Masks NIRs and tokens in a record's message (the formatter below masks the traceback too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg = masked
            record.args = ()
        return True


class RedactingFormatter(logging.Formatter):
    """Masks NIR-shaped text in the whole formatted record: the message AND any traceback.

    The filter above only sees the message; an exception's text (``exc_info``, often the repr of
    a row or a request) is formatted later, here, and would otherwise reach the file unmasked.
    """

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))



class PrivateRotatingFileHandler(logging.FileHandler):
    """A log file rotated by size — at ``max_bytes`` it becomes ``.1``, ``.1`` becomes ``.2``… and the
    ``backup_count``-th older one is dropped — readable by its owner only (0600), rotated ones included.

    Why not ``logging.handlers.RotatingFileHandler``: importing ``logging.handlers`` (socket, pickle,
    queue and their enums) is a third of what logging costs the window's start, before its first paint
    (issue 14); the rotation it would bring is these few lines.
    """

    def __init__(self, filename: Path, max_bytes: int, backup_count: int, encoding: str = "utf-8") -> None:
        super().__init__(filename, mode="a", encoding=encoding)
        self.max_bytes = max_bytes
        self.backup_count = backup_count

    def _open(self):  # noqa: ANN202 (logging's own signature)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)  # a file left by an earlier version may have been created 0644
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.should_rotate(record):
                self.doRollover()
        except Exception:  # noqa: BLE001 - logging never raises into the app (handleError reports it)
            self.handleError(record)
            return
        super().emit(record)

    def should_rotate(self, record: logging.LogRecord) -> bool:
        """Would ``record`` take the file past ``max_bytes``? (A file never rotates empty; with no backup
        to keep, as with the standard handler, it never rotates.)"""
        if self.max_bytes <= 0 or self.backup_count <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        size = self.stream.seek(0, os.SEEK_END)
        return size > 0 and size + len(self.format(record).encode(self.encoding or "utf-8")) + 1 >= self.max_bytes

    def doRollover(self) -> None:  # noqa: N802 (logging's name)
        """The current file becomes ``.1`` (each older one moves up, the last is dropped); a new file starts."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        for n in range(self.backup_count - 1, 0, -1):
            older = f"{self.baseFilename}.{n}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{n + 1}")
        if self.backup_count > 0 and os.path.exists(self.baseFilename):
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


def setup_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    """Send the app's logs to ``comptoir.log`` (5 × 2 MiB, rotating); returns the file's path."""
    folder = directory or log_dir()
    private_dir(folder)
    path = folder / "comptoir.log"
    handler = PrivateRotatingFileHandler(path, max_bytes=2 * 1024 * 1024, backup_count=5)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactNir())
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(previous)  # set up again (another folder): one file at a time
        previous.close()
    root.addHandler(handler)
    root.setLevel(level)
    return path


def log_file() -> Path | None:
    """The file the app logs to now, or None when logging to a file could not be set up."""
    for handler in logging.getLogger().handlers:
        if handler.get_name() == _HANDLER_NAME and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def error_report(exc_info: ExcInfo, *, where: str = "") -> str:
    """The report of an unexpected error, to copy into a support request: version, platform, where it
    happened and the traceback, masked like the log. Tracebacks carry code and exception messages, not
    the values of variables; the masking is the guard against a NIR or a token in a message."""
    import platform  # here: only a failure needs them, and they cost the window's start
    import traceback
    from datetime import datetime

    lines = [
        f"Comptoir {__version__} — rapport d'erreur du {datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z}",
        f"Système : {platform.platform()} ; Python {platform.python_version()}"
        + (" (application empaquetée)" if getattr(sys, "frozen", False) else ""),
    ]
    if where:
        lines.append(f"Où : {where}")
    lines += ["", *traceback.format_exception(*exc_info)]
    return redact("\n".join(line.rstrip("\n") for line in lines)) + "\n"
