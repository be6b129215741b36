"""The counter screen on the real stack, for screen tests: the sandbox service on a loopback port with
the 3-line demo ordonnance (DOLIPRANE 1000, TAHOR 20, GLUCOPHAGE 850), the services built by the
composition root (real workflow, SQLite with the bundled catalogue) and a real scanner bridge whose
scans take the path the camera and the serial scanner take (``ScannerBridge.handle_result``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.scanning.classify import classify
from app.ui.counter.screen import CounterScreen
from app.ui.printing import PrintTarget
from app.ui.scanner import ScannerBridge
from app.ui.staging import Stage, box_wedge_text, staged_counter
from app.ui.tasks import TaskRunner
from app.wiring import Services, build_services

DOLIPRANE_8 = "3400935955838"  # line 1, 2 boxes proposed
DOLIPRANE_100 = "3400956369553"  # another box of the same speciality: an adjustment; no price in the catalogue
TAHOR_28 = "3400934306815"  # line 2, 1 box proposed
# A generic of TAHOR 20 mg. The shipped release (2026-05) has none in boxes of 28 any more (the last,
# ATORVASTATINE PFIZER ×28, was withdrawn in June 2022): the pharmacy hands over a box of 30.
ATORVASTATINE_30 = "3400930183052"  # ATORVASTATINE BIOGARAN 20 mg × 30
GLUCOPHAGE_30 = "3400930448021"  # line 3, 2 boxes proposed
NOT_PRESCRIBED = "3400930000014"


@dataclass
class Stack:
    screen: CounterScreen
    services: Services
    runner: TaskRunner
    bridge: ScannerBridge
    stage: Stage
    printed: Path  # what the printer receives (a PDF file)

    def scan_box(self, cip13: str, serial: str, expiry: str = "281231") -> None:
        """A box's GS1 DataMatrix read by a scanner, through the bridge (queued to the GUI thread)."""
        self.bridge.handle_result(classify(box_wedge_text(cip13, expiry=expiry, serial=serial, gs="\x1d")))

    def line_id(self, index: int) -> str:
        return self.screen.dispensing.lines[index].line_id


@contextlib.contextmanager
def counter_stack(qtbot, tmp_path: Path, catalogue_url: str) -> Iterator[Stack]:
    with staged_counter(tmp_path / "stage", db_url=catalogue_url) as stage:
        services = build_services(stage.settings)
        runner = TaskRunner()
        bridge = ScannerBridge(stage.settings.scanner, check_number=stage.settings.service.check_number)
        screen = CounterScreen(services.counter, runner, stage.settings, scanner=bridge)
        printed = tmp_path / "printed.pdf"
        screen.print_target = PrintTarget(output_file=printed)
        qtbot.addWidget(screen)
        screen.show()
        screen.start()
        qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
        try:
            yield Stack(screen, services, runner, bridge, stage, printed)
        finally:
            runner.wait_idle()
            screen.shutdown()
            services.close()


def pdf_text(pdf: Path) -> str:
    """The text of a PDF, its whitespace collapsed."""
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(pdf)).pages).split())


def picture_likeness(printed: Path, source: Path, block: int = 4) -> float:
    """How alike the first page of what a printer received and the PDF it was sent look: the
    correlation of their ink, averaged over ``block`` × ``block`` points (a printed page has no text
    layer, only the picture). The same page scores about 0.96; another delivery's mentions, with
    the same layout, about 0.46; a blank page 0."""
    import numpy as np
    import pypdfium2 as pdfium

    def ink(pdf: Path):
        document = pdfium.PdfDocument(str(pdf))
        try:
            dark = 1 - document[0].render(scale=1, grayscale=True).to_numpy().astype(float) / 255
        finally:
            document.close()
        h, w = dark.shape[0] // block * block, dark.shape[1] // block * block
        return dark[:h, :w].reshape(h // block, block, w // block, block).mean(axis=(1, 3))

    a, b = ink(printed), ink(source)
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    a, b = a[:h, :w].ravel(), b[:h, :w].ravel()
    if not a.any() or not b.any():
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])
