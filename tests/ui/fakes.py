"""Small data helpers and stand-ins with the real interfaces (a catalogue for the search screen, the
scanner bridge's signals); the counter screen's tests run on the real workflow (tests/ui/stack.py)."""

from __future__ import annotations

from decimal import Decimal

from app.domain.catalogue import (
    Condition,
    GenericGroup,
    GenericGroupMember,
    GenericRole,
    Presentation,
)


def presentation(cip13: str, name: str, *, cis: str = "60000001", price: str | None = "2.18", rate: int | None = 65,
                 group: str | None = None, role: GenericRole | None = None,
                 flags: frozenset[Condition] = frozenset(), pack: int = 8) -> Presentation:
    return Presentation(
        cip13=cip13, cip7=cip13[5:12], cis=cis, name=name,
        label=f"plaquette(s) PVC aluminium de {pack} comprimé(s)", pack_quantity=Decimal(pack),
        pack_unit="comprimé", price=Decimal(price) if price else None, rate=rate, flags=flags,
        generic_group_id=group, generic_role=role,
    )


DOLIPRANE = presentation("3400935955838", "DOLIPRANE 1000 mg, comprimé", cis="60234100", group="1",
                         role=GenericRole.PRINCEPS)
PARACETAMOL = presentation("3400936403086", "PARACETAMOL BIOGARAN 1000 mg, comprimé", cis="60000002",
                           price="1.50", group="1", role=GenericRole.GENERIC)
GROUP = GenericGroup("1", "PARACETAMOL 1000 mg - DOLIPRANE 1000 mg, comprimé", (
    GenericGroupMember("60234100", "DOLIPRANE 1000 mg, comprimé", GenericRole.PRINCEPS, 1),
    GenericGroupMember("60000002", "PARACETAMOL BIOGARAN 1000 mg, comprimé", GenericRole.GENERIC, 2),
))


class FakeCatalogue:
    """The two calls the search screen makes, over an in-memory list."""

    def __init__(self, presentations=(DOLIPRANE, PARACETAMOL), groups=(GROUP,)) -> None:
        self.presentations = list(presentations)
        self.groups = {g.group_id: g for g in groups}
        self.queries: list[str] = []

    def find(self, query: str, limit: int = 50) -> list[Presentation]:
        self.queries.append(query)
        q = query.lower()
        return [p for p in self.presentations if q in p.name.lower() or query in (p.cip13, p.cip7, p.cis)][:limit]

    def generic_group(self, code: str) -> GenericGroup | None:
        for p in self.presentations:
            if code in (p.cip13, p.cis) and p.generic_group_id:
                return self.groups.get(p.generic_group_id)
        return None


# --- a prescription as the service hands it over (for the stand-in services of the race tests) -----

from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

from app.domain.identifiers import OrdonnanceNumber  # noqa: E402
from app.domain.prescription import (  # noqa: E402
    Duration,
    MedicationKind,
    MedicationRef,
    Patient,
    Prescriber,
    Prescription,
    PrescriptionLine,
)

NUMBER = OrdonnanceNumber.issue("0123456789ABCDEFGHJ")
IBUPROFENE = presentation("3400930000007", "IBUPROFENE ARROW 400 mg, comprimé", cis="60000003", price="2.00",
                          pack=30)


def prescription(number: str = NUMBER) -> Prescription:
    def line(line_id: str, text: str, code: str, posology: str) -> PrescriptionLine:
        return PrescriptionLine(line_id, MedicationRef(MedicationKind.CIP13, text, code), posology,
                                duration=Duration(Decimal(5), "d"), renewals=0, remaining_quantity=Decimal(2))

    return Prescription(
        number=OrdonnanceNumber(number), authored_on=datetime(2026, 11, 24, 9, 30),
        patient=Patient("Martin", "Claire", None), prescriber=Prescriber("Durand", "Paul", "10003456789"),
        lines=(line("L1", "DOLIPRANE 1000 mg, comprimé", DOLIPRANE.cip13, "1 comprimé 3 fois par jour"),
               line("L2", "IBUPROFENE ARROW 400 mg, comprimé", IBUPROFENE.cip13, "1 comprimé matin et soir")),
    )


# --- the ScannerBridge's signals (app/ui/scanner.py), driven by the tests --------------------------

from PySide6.QtCore import QObject, Signal  # noqa: E402


class Bridge(QObject):
    ordonnance_scanned = Signal(str)
    product_scanned = Signal(object)
    scan_rejected = Signal(str)
    camera_error = Signal(str)


def workflow_screen(qtbot, catalogue_url: str, tmp_path: Path, make_service):
    """A CounterScreen over the real workflow (SQLite with the bundled catalogue) and a stand-in
    service built by ``make_service(catalogue)``; returns (screen, service, counter, catalogue, engine).
    The caller disposes of ``engine`` after ``screen.runner.wait_idle()``."""
    from app.catalogue import Catalogue
    from app.config import Settings
    from app.storage.db import open_database
    from app.ui.counter.screen import CounterScreen
    from app.ui.tasks import TaskRunner
    from app.wiring import make_counter

    settings = Settings()
    settings.database.url = catalogue_url
    settings.printer.pdf_dir = str(tmp_path / "pdf")
    engine, factory = open_database(catalogue_url)
    catalogue = Catalogue(factory)
    service = make_service(catalogue)
    counter = make_counter(settings, factory, catalogue, service)
    runner = TaskRunner()
    screen = CounterScreen(counter, runner, settings, scanner=Bridge())
    qtbot.addWidget(screen)
    screen.show()
    screen.start()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    return screen, service, counter, catalogue, engine
