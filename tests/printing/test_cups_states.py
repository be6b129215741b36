"""The CUPS states a cups-pdf queue cannot produce (out of paper, jam, offline), read from the command
output CUPS gives for them, and the per-kind printers and the « à réimprimer » list, without CUPS.

The scripted runner answers ``lp``/``lpstat``/``lpoptions``/``cancel`` as CUPS 2.4 does (outputs
captured from a real cupsd, in the C locale), so the waiting logic runs on its real input; the clock
and the sleep are injected, nothing waits.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from app.config import PrinterSettings
from app.printing.cups import (
    Cups,
    PrinterProblem,
    QueueState,
    blocking_reasons,
    parse_attributes,
    parse_jobs,
    queue_problem,
)
from app.printing.reprints import failed_prints, mark_failed
from app.printing.spool import MENTIONS, PATIENT_COPY, media_for, print_kept, printer_for, set_printer_for

IDLE_OPTIONS = ("copies=1 device-uri=cups-pdf:/ finishings=3 job-cancel-after=10800 printer-info=Comptoir "
                "printer-is-accepting-jobs=true printer-location printer-make-and-model='Generic CUPS-PDF "
                "Printer (w/ options)' printer-state=3 printer-state-change-time=1795950594 "
                "printer-state-reasons=none printer-type=8450124")
JOBS = """Comptoir-7              root              3072   Sun Nov 29 11:10:24 2026
\tStatus: The printer may not exist or is unavailable at this time.
\tAlerts: job-printing
\tqueued for Comptoir
Comptoir-8              root              3072   Sun Nov 29 11:10:25 2026
\tAlerts: none
\tqueued for Comptoir
"""


def test_lpoptions_and_lpstat_output_are_read():
    attrs = parse_attributes(IDLE_OPTIONS)
    assert attrs["printer-make-and-model"] == "Generic CUPS-PDF Printer (w/ options)"
    assert (attrs["printer-state"], attrs["printer-state-reasons"], attrs["printer-location"]) == ("3", "none", "")
    jobs = parse_jobs(JOBS)
    assert jobs["Comptoir-7"].reasons == ("job-printing",) and "unavailable" in jobs["Comptoir-7"].message
    assert jobs["Comptoir-8"].pending and not jobs["Comptoir-8"].failed


@pytest.mark.parametrize(("reasons", "said"), [
    (("media-empty-error",), "n'a plus de papier"),
    (("media-jam-error", "toner-low-warning"), "a un bourrage papier"),
    (("offline-report",), "hors ligne"),
    (("cover-open",), "capot ouvert"),
    (("marker-supply-empty-error",), "plus d'encre ou de toner"),
    (("com.vendor-weird-error",), "signale un problème (com.vendor-weird-error)"),
])
def test_each_printer_fault_is_said_in_french(reasons, said):
    problem = queue_problem(QueueState("Accueil", True, 4, True, reasons))
    assert problem.startswith("Imprimante « Accueil » : ") and said in problem


def test_warnings_and_reports_do_not_stop_printing():
    assert blocking_reasons(["toner-low-warning", "cups-waiting-for-job-completed", "connecting-to-device",
                             "none"]) == []
    assert queue_problem(QueueState("Accueil", True, 3, True, ("toner-low-warning",))) is None
    stopped = queue_problem(QueueState("Accueil", True, 5, True, (), "Bac vide"))
    assert stopped == "Imprimante « Accueil » arrêtée dans le service d'impression (Bac vide)"
    assert "refuse les nouveaux travaux" in queue_problem(QueueState("Accueil", True, 3, False))


class ScriptedCups:
    """Answers the CUPS commands as a queue whose printer runs out of paper once the job is sent."""

    def __init__(self, paper_runs_out_after: int) -> None:
        self.polls = 0
        self.paper_runs_out_after = paper_runs_out_after
        self.calls: list[list[str]] = []
        self.cancelled: list[str] = []

    def __call__(self, args) -> subprocess.CompletedProcess:
        self.calls.append(list(args))
        out = ""
        if args[:2] == ["lpstat", "-p"]:
            out = "printer Comptoir now printing Comptoir-9.  enabled since Sun Nov 29 11:10:24 2026\n"
        elif args[0] == "lpoptions":
            out = IDLE_OPTIONS
            if self.polls > self.paper_runs_out_after:
                out = out.replace("printer-state-reasons=none", "printer-state-reasons=media-empty-error")
        elif args[0] == "lp":
            out = "request id is Comptoir-9 (1 file(s))\n"
        elif args[:4] == ["lpstat", "-l", "-W", "not-completed"]:
            self.polls += 1
            out = "" if self.cancelled else JOBS.replace("Comptoir-7", "Comptoir-9")
        elif args[0] == "cancel":
            self.cancelled.append(args[1])
        return subprocess.CompletedProcess(args, 0, out, "")


def test_paper_running_out_while_the_job_waits_cancels_it_and_says_so(tmp_path):
    script = ScriptedCups(paper_runs_out_after=2)
    now = [0.0]
    cups = Cups(run=script, sleep=lambda s: now.__setitem__(0, now[0] + s), clock=lambda: now[0])
    with pytest.raises(PrinterProblem) as raised:
        cups.print_file(tmp_path / "m.pdf", "Comptoir", title="m.pdf", media="A5", timeout_s=60)
    assert raised.value.message == "Imprimante « Comptoir » : n'a plus de papier"
    assert raised.value.printer == "Comptoir" and script.cancelled == ["Comptoir-9"]
    lp = next(c for c in script.calls if c[0] == "lp")
    assert lp[-2:] == ["--", str(tmp_path / "m.pdf")]
    assert "media=A5" in lp and "print-scaling=none" in lp  # its own paper, never scaled


def test_a_job_still_waiting_at_the_timeout_is_withdrawn(tmp_path):
    script = ScriptedCups(paper_runs_out_after=10**6)
    now = [0.0]
    cups = Cups(run=script, sleep=lambda s: now.__setitem__(0, now[0] + s), clock=lambda: now[0])
    with pytest.raises(PrinterProblem, match="Imprimante « Comptoir » injoignable"):
        cups.print_file(tmp_path / "m.pdf", "Comptoir", title="m.pdf", timeout_s=5)
    assert script.cancelled == ["Comptoir-9"] and now[0] == pytest.approx(5, abs=cups.poll_s)


def test_each_document_kind_has_its_printer_and_paper():
    printer = PrinterSettings(name="Ordonnances", paper="a5")
    assert (printer_for(printer, MENTIONS), printer_for(printer, PATIENT_COPY)) == ("Ordonnances", "")
    assert set_printer_for(printer, PATIENT_COPY, "Laser A4") and not set_printer_for(printer, PATIENT_COPY, "Laser A4")
    assert (printer.name, printer.copy_name) == ("Ordonnances", "Laser A4")
    assert (media_for(printer, MENTIONS), media_for(printer, PATIENT_COPY)) == ("A5", "A4")
    with pytest.raises(ValueError):
        printer_for(printer, "etiquette")


def test_the_reprint_list_keeps_what_failed_until_it_prints(tmp_path):
    pdf_dir = tmp_path / "pdf"
    source = tmp_path / "elsewhere" / "copie.pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.4 specimen")

    def offline(_kept: Path) -> int:
        raise PrinterProblem("Imprimante « Laser » : est hors ligne", printer="Laser")

    with pytest.raises(PrinterProblem):
        print_kept(source, pdf_dir, offline, kind=PATIENT_COPY)
    [failed] = failed_prints(pdf_dir)
    assert failed.pdf == pdf_dir / "copie.pdf" and failed.pdf.read_bytes() == source.read_bytes()
    assert (failed.reason, failed.kind, failed.printer) == ("Imprimante « Laser » : est hors ligne", PATIENT_COPY,
                                                            "Laser")
    assert isinstance(failed.failed_at, datetime)

    def crash(_kept: Path) -> int:
        raise RuntimeError("driver crashed")

    other = pdf_dir / "mentions.pdf"
    other.write_bytes(b"%PDF-1.4")
    with pytest.raises(RuntimeError):
        print_kept(other, pdf_dir, crash, printer="Ordonnances")
    assert [(f.pdf.name, f.printer) for f in failed_prints(pdf_dir)] == [("copie.pdf", "Laser"),
                                                                         ("mentions.pdf", "Ordonnances")]
    assert "RuntimeError" in failed_prints(pdf_dir)[1].reason

    assert print_kept(failed.pdf, pdf_dir, lambda kept: 2, kind=PATIENT_COPY) == 2
    assert [f.pdf.name for f in failed_prints(pdf_dir)] == ["mentions.pdf"]


def test_a_marker_of_an_earlier_version_is_still_listed(tmp_path):
    (tmp_path / "old.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "old.pdf.echec").write_text("Imprimante « X » introuvable", encoding="utf-8")
    (tmp_path / "gone.pdf.echec").write_text("its PDF was removed", encoding="utf-8")
    mark_failed(tmp_path / "new.pdf", "never kept")  # a marker without its PDF is not listed
    assert failed_prints(tmp_path) == [(tmp_path / "old.pdf", "Imprimante « X » introuvable", "", "", None)]
