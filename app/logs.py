"""Logging to a rotating file in the platform's log dir.

No patient name or NIR is ever logged: code logs identifiers of records, never people, and a filter
masks anything shaped like a NIR (13 to 15 characters starting with a sex digit) as a second guard.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

from app.config import log_dir

# CIP13 codes (3400...) are not NIRs: they are logged as they are.
_NIR_LIKE = re.compile(r"\b(?!3\s?400)[12378]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2A|2B)\s?\d{3}\s?\d{3}(?:\s?\d{2})?\b")


_HANDLER_NAME = "comptoir-file"


class RedactNir(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _NIR_LIKE.search(message):
            record.msg = _NIR_LIKE.sub("[NIR masqué]", message)
            record.args = ()
        return True


class RedactingFormatter(logging.Formatter):
    """Masks NIR-shaped text in the whole formatted record: the message AND any traceback.

    The filter above only sees the message; an exception's text (``exc_info``, often the repr of
    a row or a request) is formatted later, here, and would otherwise reach the file unmasked.
    """

    def format(self, record: logging.LogRecord) -> str:
        return _NIR_LIKE.sub("[NIR masqué]", super().format(record))



class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are readable by their owner only (0600), rotated ones included."""

    def _open(self):  # noqa: ANN202 (logging's own signature)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)  # a file left by an earlier version may have been created 0644
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    """Send the app's logs to ``comptoir.log`` (5 × 2 MiB, rotating); returns the file's path."""
    folder = directory or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "comptoir.log"
    handler = PrivateRotatingFileHandler(path, maxBytes=2 * 1024 * 1024, backupCount=5,
                                                   encoding="utf-8")
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
