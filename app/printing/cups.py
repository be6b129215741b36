"""Printing through CUPS, the print service of Linux and macOS, with its own command-line tools.

``lp`` submits the PDF, ``lpstat`` and ``lpoptions`` read the queue (does it exist, is it stopped,
out of paper, unreachable?) and the job, ``cancel`` withdraws a job that cannot print. The outcome
is a French message naming the printer, so that the document goes on the « à réimprimer » list
(:mod:`app.printing.reprints`) rather than printing by surprise an hour later: a job that cannot print
within ``job_timeout_s`` is cancelled.

Why the command-line tools rather than pycups: pycups is a C extension with no wheels, built against
libcups at install time (a compiler and libcups2-dev on every workstation, and in the installer), while
``lp``/``lpstat``/``lpoptions``/``cancel`` come with every CUPS (Debian's cups-client, built into macOS)
and speak to whatever server CUPS is configured for (``CUPS_SERVER``, client.conf). They are run with
``LC_ALL=C`` because their messages are translated otherwise; what is parsed is small and stable
(the ``request id is QUEUE-N`` line, ``key=value`` attributes, the job list). Measured on the shared
2-core development machine under load: a queue check (lpstat + lpoptions) 0.12 s median, a whole
print to a cups-pdf queue until CUPS reports the job done 1.6 s — off the GUI thread, and nothing next
to the printer itself.

The printer's state reasons are the IPP keywords (RFC 8011 §5.4.12, PWG 5100.9): a keyword ending in
``-error`` stops printing, ``-warning`` and ``-report`` inform — except ``offline-report``, which CUPS
sets when the printer does not answer; a known fault keyword without suffix (``paused``...) stops it too.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.errors import ComptoirError

IDLE, PROCESSING, STOPPED = 3, 4, 5
COMMAND_TIMEOUT_S = 15.0
POLL_S = 0.5

# What the pharmacist reads after « Imprimante « X » … », per IPP printer-state-reason (suffix removed).
REASONS = {
    "media-empty": "n'a plus de papier",
    "media-needed": "attend du papier",
    "media-jam": "a un bourrage papier",
    "input-tray-missing": "n'a pas son bac à papier",
    "door-open": "a une porte ouverte",
    "cover-open": "a son capot ouvert",
    "toner-empty": "n'a plus de toner",
    "marker-supply-empty": "n'a plus d'encre ou de toner",
    "offline": "est hors ligne (éteinte ou débranchée ?)",
    "shutdown": "est éteinte",
    "timed-out": "ne répond pas (éteinte ou débranchée ?)",
    "connecting-to-device": "est injoignable (éteinte ou débranchée ?)",
    "paused": "est arrêtée (mise en pause dans le service d'impression)",
    "stopped": "est arrêtée",
    "spool-area-full": "a sa file d'attente pleine",
    "cups-missing-filter": "n'a pas le pilote qu'il faut pour ce document",
}
# Job state reasons (RFC 8011 §5.3.8) that mean the job will not, or did not, print.
FAILED_JOB_REASONS = ("job-canceled", "aborted-by-system", "job-completed-with-errors", "job-aborted",
                      "document-format-error", "document-unprintable-error", "unsupported-document-format")
# What the CUPS backends say while they cannot reach the printer (printer-state-message, in C locale).
UNREACHABLE_MESSAGES = ("may not exist or is unavailable", "not responding", "unable to connect",
                        "waiting for printer to become available", "unable to locate printer",
                        "connection refused", "host is down", "no route to host")

Runner = Callable[[Sequence[str]], subprocess.CompletedProcess]


class PrinterProblem(ComptoirError):
    """The print service refused or could not print a document; ``printer`` names the queue."""

    def __init__(self, message: str, *, printer: str = "", detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.printer = printer


@dataclass(frozen=True)
class QueueState:
    """A CUPS queue as ``lpoptions``/``lpstat`` describe it."""

    name: str
    exists: bool
    state: int = IDLE
    accepting: bool = True
    reasons: tuple[str, ...] = ()
    message: str = ""  # printer-state-message (the reason given to cupsdisable, a backend's complaint)


@dataclass(frozen=True)
class JobStatus:
    """A submitted job: still in the queue (``pending``) or done, with its state reasons."""

    job_id: str
    pending: bool
    reasons: tuple[str, ...] = ()
    message: str = ""

    @property
    def failed(self) -> bool:
        return any(r.startswith(FAILED_JOB_REASONS) for r in self.reasons)


def _base_reason(reason: str) -> str:
    for suffix in ("-error", "-warning", "-report"):
        if reason.endswith(suffix):
            return reason[: -len(suffix)]
    return reason


def blocking_reasons(reasons: Sequence[str]) -> list[str]:
    """The reasons that stop printing: any ``-error``, a known fault without suffix (``paused``,
    ``media-empty``...) and ``offline-report``. CUPS's own unsuffixed keywords
    (``cups-waiting-for-job-completed``, ``moving-to-paused``...) only inform."""
    out = []
    for reason in reasons:
        base = _base_reason(reason)
        if base == "connecting-to-device":
            continue  # set for a moment before every job: a problem only if the job stays stuck
        if reason.endswith("-error") or reason == "offline-report" or (reason == base and base in REASONS):
            out.append(reason)
    return out


def describe(reason: str) -> str:
    base = _base_reason(reason)
    return REASONS.get(base, f"signale un problème ({reason})")


def queue_problem(queue: QueueState) -> str | None:
    """Why nothing can print on ``queue`` now (French), or None when it can print."""
    name = queue.name
    if not queue.exists:
        return (f"Imprimante « {name} » introuvable dans le service d'impression : choisissez-en une autre "
                "(Imprimer… dans l'historique) ou vérifiez son installation")
    blocking = blocking_reasons(queue.reasons)
    if blocking:
        text = f"Imprimante « {name} » : " + ", ".join(dict.fromkeys(describe(r) for r in blocking))
        return text + (f" — {queue.message}" if queue.message else "")
    if queue.state == STOPPED:
        return f"Imprimante « {name} » arrêtée dans le service d'impression" + (
            f" ({queue.message})" if queue.message else " : réactivez-la (cupsenable)")
    if not queue.accepting:
        return f"Imprimante « {name} » : elle refuse les nouveaux travaux (cupsaccept pour les accepter)"
    return None


def stuck_problem(queue: QueueState, job: JobStatus) -> str:
    """Why a job still waits after the timeout: the printer's complaint when there is one."""
    problem = queue_problem(queue)
    if problem:
        return problem
    said = f"{queue.message} {job.message}".lower()
    if ("connecting-to-device" in {_base_reason(r) for r in queue.reasons}
            or any(m in said for m in UNREACHABLE_MESSAGES)):
        return f"Imprimante « {queue.name} » injoignable : est-elle allumée et branchée ?"
    return (f"Imprimante « {queue.name} » : le document attend toujours dans la file d'impression "
            "(imprimante occupée, éteinte ou en erreur ?)")


def parse_attributes(text: str) -> dict[str, str]:
    """``lpoptions -p`` output (``key=value`` words, shell-quoted) as a dict."""
    out: dict[str, str] = {}
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    for word in words:
        key, sep, value = word.partition("=")
        out[key] = value if sep else ""
    return out


_JOB_LINE = re.compile(r"^(\S+-\d+)\s")


def parse_jobs(text: str) -> dict[str, JobStatus]:
    """``lpstat -l -o`` output: each job with its ``Status:`` message and ``Alerts:`` reasons."""
    jobs: dict[str, dict] = {}
    current = None
    for line in text.splitlines():
        match = _JOB_LINE.match(line)
        if match:
            current = jobs.setdefault(match.group(1), {"reasons": (), "message": ""})
            continue
        if current is None:
            continue
        stripped = line.strip()
        if stripped.startswith("Alerts:"):
            current["reasons"] = tuple(r for r in stripped[len("Alerts:"):].replace(",", " ").split() if r)
        elif stripped.startswith("Status:"):
            current["message"] = stripped[len("Status:"):].strip()
    return {job_id: JobStatus(job_id, True, **info) for job_id, info in jobs.items()}


_REQUEST_ID = re.compile(r"request id is (\S+-\d+)")


@dataclass
class Cups:
    """The CUPS client. ``run``, ``sleep`` and ``clock`` are injectable (tests of the waiting logic)."""

    run: Runner | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    poll_s: float = POLL_S
    env: dict[str, str] = field(default_factory=dict)

    # --- the commands -----------------------------------------------------------------------------
    def _run(self, *args: str) -> subprocess.CompletedProcess:
        if self.run is not None:
            return self.run(list(args))
        env = {**os.environ, **self.env, "LC_ALL": "C", "LANG": "C"}
        try:
            return subprocess.run(list(args), capture_output=True, text=True, env=env,
                                  timeout=COMMAND_TIMEOUT_S, check=False)
        except FileNotFoundError as exc:
            raise PrinterProblem("Service d'impression introuvable : la commande « "
                                 f"{args[0]} » de CUPS n'est pas installée", detail=repr(exc)) from exc
        except subprocess.TimeoutExpired as exc:
            raise PrinterProblem("Le service d'impression (CUPS) ne répond pas", detail=repr(exc)) from exc

    @staticmethod
    def installed() -> bool:
        """The CUPS client commands are on this machine (Linux and macOS; not Windows)."""
        return all(shutil.which(c) for c in ("lp", "lpstat", "lpoptions", "cancel"))

    def running(self) -> bool:
        return self._run("lpstat", "-r").returncode == 0

    def destinations(self) -> list[str]:
        out = self._run("lpstat", "-e")
        return [line.strip() for line in out.stdout.splitlines() if line.strip()] if out.returncode == 0 else []

    def default_destination(self) -> str | None:
        out = self._run("lpstat", "-d")
        match = re.search(r"system default destination:\s*(\S+)", out.stdout)
        return match.group(1) if match else None

    def queue(self, name: str) -> QueueState:
        """The state of the queue ``name`` (``exists`` False when CUPS does not know it)."""
        listed = self._run("lpstat", "-p", name)
        if listed.returncode != 0 or not listed.stdout.strip():
            if not self.running():
                raise PrinterProblem(f"Imprimante « {name} » introuvable : le service d'impression (CUPS) "
                                     "ne fonctionne pas sur ce poste", printer=name, detail=listed.stderr.strip())
            return QueueState(name, exists=False)
        message = " ".join(line.strip() for line in listed.stdout.splitlines()[1:] if line.strip())
        attrs = parse_attributes(self._run("lpoptions", "-p", name).stdout)
        try:
            state = int(attrs.get("printer-state", IDLE))
        except ValueError:
            state = IDLE
        reasons = tuple(r for r in attrs.get("printer-state-reasons", "none").split(",") if r and r != "none")
        return QueueState(name, True, state, attrs.get("printer-is-accepting-jobs", "true") != "false",
                          reasons, message)

    def submit(self, pdf: Path, queue: str, *, title: str, copies: int = 1, media: str | None = None) -> str:
        """Send ``pdf`` to ``queue`` at its own scale (the mentions must land where they were laid out)."""
        args = ["lp", "-d", queue, "-n", str(max(1, copies)), "-t", title, "-o", "print-scaling=none"]
        if media:
            args += ["-o", f"media={media}"]
        out = self._run(*args, "--", str(pdf))
        match = _REQUEST_ID.search(out.stdout)
        if out.returncode != 0 or not match:
            raise PrinterProblem(f"Imprimante « {queue} » : le service d'impression a refusé le document",
                                 printer=queue, detail=(out.stderr or out.stdout).strip())
        return match.group(1)

    def job(self, job_id: str, queue: str) -> JobStatus:
        pending = parse_jobs(self._run("lpstat", "-l", "-W", "not-completed", "-o", queue).stdout)
        if job_id in pending:
            return pending[job_id]
        done = parse_jobs(self._run("lpstat", "-l", "-W", "completed", "-o", queue).stdout)
        found = done.get(job_id, JobStatus(job_id, False))
        return JobStatus(job_id, False, found.reasons, found.message)

    def cancel(self, job_id: str) -> None:
        self._run("cancel", job_id)

    # --- printing a document ----------------------------------------------------------------------
    def resolve(self, name: str) -> str:
        """``name``, or the system's default printer when it is empty."""
        if name:
            return name
        default = self.default_destination()
        if default is None:
            if not self.running():
                raise PrinterProblem("Le service d'impression (CUPS) est arrêté : aucune impression possible")
            raise PrinterProblem("Aucune imprimante par défaut : choisissez une imprimante (Imprimer…)")
        return default

    def print_file(self, pdf: Path, printer: str, *, title: str, copies: int = 1, media: str | None = None,
                   timeout_s: float = 60.0) -> str:
        """Print ``pdf`` on ``printer`` and wait until CUPS has handed it over; returns the job id.

        Raises :class:`PrinterProblem` (French, naming the printer) when the queue is missing, stopped,
        refusing jobs or reporting a fault, when the job fails, or when it is still waiting after
        ``timeout_s`` — the job is then cancelled, so that it does not print later by surprise.
        """
        queue = self.resolve(printer)
        problem = queue_problem(self.queue(queue))
        if problem:
            raise PrinterProblem(problem, printer=queue)
        job_id = self.submit(pdf, queue, title=title, copies=copies, media=media)
        deadline = self.clock() + timeout_s
        while True:
            job = self.job(job_id, queue)
            if not job.pending and not job.failed:
                return job_id
            state = self.queue(queue) if job.pending else QueueState(queue, exists=True)
            problem = queue_problem(state)
            if job.failed or problem or self.clock() >= deadline:
                if job.pending:
                    self.cancel(job_id)
                message = _failed_job(queue, job) if job.failed else problem or stuck_problem(state, job)
                raise PrinterProblem(message, printer=queue,
                                     detail=f"{job_id}: job {' '.join(job.reasons)} {job.message!r}; "
                                            f"printer {state.state} {' '.join(state.reasons)} {state.message!r}")
            self.sleep(self.poll_s)


def _failed_job(queue: str, job: JobStatus) -> str:
    return f"Imprimante « {queue} » : l'impression a échoué" + (f" ({job.message})" if job.message else "")
