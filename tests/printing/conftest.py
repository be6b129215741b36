"""A real CUPS queue backed by cups-pdf, and the PDFs it writes (``cups_output``).

The queue is named by ``COMPTOIR_TEST_CUPS_QUEUE`` (``.ci/cups.sh`` sets CUPS up with it). Without it,
or when the queue is not there, the CUPS tests are skipped on a developer's machine and FAIL in CI
(``CI=true``): a missing print service is never a silent skip there.

Where cups-pdf writes: ``COMPTOIR_TEST_CUPS_PDF_DIR`` when set (as ``.ci/cups.sh`` names it), else what
the queue's cups-pdf settings say — ``/etc/cups/cups-pdf-<instance>.conf`` for a device
``cups-pdf:/<instance>``, else ``/etc/cups/cups-pdf.conf`` (``Out``, ``${HOME}`` being the home of the
user printing, and ``AnonDirName``) — else the Debian defaults. A print is recognised as the PDF that appears there after it was sent (tests run one
at a time).
"""

from __future__ import annotations

import os
import pwd
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.printing.cups import Cups, PrinterProblem, parse_attributes

# Read at import: the autouse fixture of tests/conftest.py clears COMPTOIR_* variables for each test.
QUEUE = os.environ.get("COMPTOIR_TEST_CUPS_QUEUE", "")
OUTPUT = os.environ.get("COMPTOIR_TEST_CUPS_PDF_DIR", "")
IN_CI = os.environ.get("CI", "").lower() == "true"
CUPS_CONF_DIR = Path("/etc/cups")
OUTPUT_WAIT_S = 30.0


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CUPS is required in CI: {reason}")
    pytest.skip(reason)


def _conf_value(text: str, key: str) -> str | None:
    match = re.search(rf"^\s*{key}\s+(\S+)", text, re.MULTILINE)
    return match.group(1) if match else None


def output_dirs(device_uri: str) -> list[Path]:
    """Every folder cups-pdf may write a job of this user into, for a queue on ``device_uri``."""
    if OUTPUT:
        return [Path(OUTPUT)]
    user = pwd.getpwuid(os.getuid())
    instance = device_uri.removeprefix("cups-pdf:").strip("/")
    conf = CUPS_CONF_DIR / (f"cups-pdf-{instance}.conf" if instance else "cups-pdf.conf")
    if not conf.exists():
        conf = CUPS_CONF_DIR / "cups-pdf.conf"
    text = conf.read_text(encoding="utf-8", errors="replace") if conf.exists() else ""
    out = _conf_value(text, "Out") or "/var/spool/cups-pdf/${USER}"
    anon = _conf_value(text, "AnonDirName") or "/var/spool/cups-pdf/ANONYMOUS"
    expanded = out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name)
    return [Path(expanded), Path(anon), Path(user.pw_dir) / "PDF", Path("/var/spool/cups-pdf") / user.pw_name,
            Path("/var/spool/cups-pdf/comptoir")]


def _pdfs(dirs: list[Path]) -> dict[Path, float]:
    found = {}
    for folder in dirs:
        try:
            found.update({p: p.stat().st_mtime for p in folder.glob("*.pdf")})
        except OSError:
            continue
    return found


@dataclass
class Capture:
    dirs: list[Path]
    before: dict[Path, float]

    def pdf(self) -> bytes:
        """The PDF cups-pdf wrote since the capture began (waits for it to appear and be complete)."""
        deadline = time.monotonic() + OUTPUT_WAIT_S
        while True:
            new = [p for p, mtime in _pdfs(self.dirs).items() if p not in self.before or mtime != self.before[p]]
            if new:
                path = max(new, key=lambda p: p.stat().st_mtime)
                data = path.read_bytes()
                if data.rstrip().endswith(b"%%EOF"):
                    return data
            if time.monotonic() > deadline:
                raise AssertionError(f"cups-pdf wrote no PDF into {', '.join(map(str, self.dirs))}")
            time.sleep(0.2)


@dataclass
class CupsOutput:
    """The test queue and a way to read what it printed."""

    queue: str
    cups: Cups
    dirs: list[Path]

    @contextmanager
    def capture(self) -> Iterator[Capture]:
        yield Capture(self.dirs, _pdfs(self.dirs))


@pytest.fixture
def cups_output() -> CupsOutput:
    if not QUEUE:
        _unavailable("COMPTOIR_TEST_CUPS_QUEUE is not set (run .ci/cups.sh)")
    if not Cups.installed():
        _unavailable("the CUPS client commands (lp, lpstat, lpoptions, cancel) are not installed")
    cups = Cups()
    try:
        queue = cups.queue(QUEUE)
    except PrinterProblem as exc:
        _unavailable(f"CUPS does not answer: {exc}")
    if not queue.exists:
        _unavailable(f"CUPS has no queue named {QUEUE!r}")
    device = parse_attributes(subprocess.run(["lpoptions", "-p", QUEUE], capture_output=True, text=True,
                                             check=False).stdout).get("device-uri", "")
    return CupsOutput(QUEUE, cups, output_dirs(device))
