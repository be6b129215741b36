"""Small stand-ins with the real interfaces, for screen tests that must not need the full catalogue."""

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


# --- the counter port over the real domain, in memory ---------------------------------------------

from dataclasses import replace  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

from app.domain.billing import compute_bill  # noqa: E402
from app.domain.delivery import Adjustment, Delivery, PharmacyIdentity, ScannedBox  # noqa: E402
from app.domain.dispensing import Dispensing, LineState, Proposal  # noqa: E402
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
from app.domain.quantities import BoxEstimate  # noqa: E402
from app.domain.substitution import ChangeKind  # noqa: E402
from app.ui.counter.adjustment_dialog import MeansChoice, ReasonChoice  # noqa: E402
from app.ui.counter.port import Pending, Recorded  # noqa: E402

NUMBER = OrdonnanceNumber.issue("0123456789ABCDEFGHJ")
NO_PRICE = presentation("3400930000021", "CREME SANS PRIX, crème", cis="60000004", price=None, rate=None)
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


class MemoryCounter:
    """The CounterPort's interface over the real Dispensing, without service or database."""

    def __init__(self, *, online: bool = True, pdf_dir: Path | None = None) -> None:
        self.online = online
        self.pdf_dir = pdf_dir
        self.store: dict[str, Dispensing] = {}
        self.recorded: list[Recorded] = []
        self.abandoned: list[str] = []
        self.released: list[str] = []
        self.local: dict[str, Delivery] = {}  # recorded locally, not yet sent
        self.warnings: list = []  # findings the rules report (tests set them)

    def pending(self) -> list[Pending]:
        return [Pending(d.delivery_id, str(d.prescription.number), d.prescription.patient.display_name,
                        d.started_at) for d in self.store.values() if d.bill is None]

    def resume(self, delivery_id: str) -> Dispensing:
        return self.store[delivery_id]

    def start(self, number: str, cancelled=None) -> Dispensing:
        from app.domain.errors import PrescriptionNotFound

        if number != NUMBER:
            raise PrescriptionNotFound("Ordonnance introuvable : vérifiez le numéro")
        d = Dispensing.begin(f"D{len(self.store) + 1}", prescription(number), datetime(2026, 11, 26, 10, 0))
        estimate = BoxEstimate(2, "3 comprimés par jour × 5 jours = 15 comprimés ÷ 8 par boîte → 2 boîtes")
        d.set_proposals("L1", [Proposal(DOLIPRANE, ChangeKind.SAME, estimate, 2),
                               Proposal(PARACETAMOL, ChangeKind.GENERIC, estimate, 2),
                               Proposal(IBUPROFENE, ChangeKind.ADJUSTMENT)])
        d.set_proposals("L2", [Proposal(IBUPROFENE, ChangeKind.SAME, BoxEstimate(1, "10 comprimés ÷ 30 → 1 boîte"), 1)])
        self.store[d.delivery_id] = d
        return d

    def abandon(self, dispensing: Dispensing) -> None:
        self.release_claim(self.abandon_locally(dispensing))

    def abandon_locally(self, dispensing: Dispensing) -> str:
        dispensing.cancel()
        self.abandoned.append(self.store.pop(dispensing.delivery_id).delivery_id)
        return str(dispensing.prescription.number)

    def discard(self, delivery_id: str) -> str:
        return self.abandon_locally(self.store[delivery_id])

    def release_claim(self, number: str) -> None:
        self.released.append(number)

    def reasons(self) -> list[ReasonChoice]:
        return [ReasonChoice("rupture", "Rupture de stock"), ReasonChoice("adaptation_posologie", "Adaptation de posologie"),
                ReasonChoice("autre", "Autre", requires_comment=True)]

    def agreement_means(self) -> list[MeansChoice]:
        return [MeansChoice("telephone", "téléphone")]

    def choose_product(self, d, line_id, product, adjustment: Adjustment | None = None):
        d.choose_product(line_id, product, adjustment=adjustment)
        return d

    def set_quantity(self, d, line_id, quantity, adjustment=None):
        d.set_quantity(line_id, quantity, adjustment=adjustment)
        return d

    def search_products(self, d, line_id, text):
        found = [p for p in (DOLIPRANE, PARACETAMOL, IBUPROFENE, NO_PRICE) if text.lower() in p.name.lower()]
        d.add_proposals(line_id, [Proposal(p, ChangeKind.ADJUSTMENT) for p in found])
        return found

    def set_price(self, d, line_id, price):
        d.set_price(line_id, price)
        return d

    def unscan(self, d, line_id, index):
        d.unscan(line_id, index)
        return d

    def scan_box(self, d, box: ScannedBox) -> LineState:
        return d.scan(box, datetime(2026, 11, 26).date())

    def change_posology(self, d, line_id, posology, adjustment):
        d.change_posology(line_id, posology, adjustment)
        return d

    def decline(self, d, line_id, adjustment):
        d.decline(line_id, adjustment)
        return d

    def confirm(self, d, line_id):
        d.confirm(line_id)
        return d

    def hold(self, d, line_id):
        d.hold(line_id)
        return d

    def resume_line(self, d, line_id):
        d.resume_line(line_id)
        return d

    def findings(self, d):
        return list(self.warnings)

    def override(self, d, line_id, rule, reason):
        d.override(line_id, rule, reason)
        return d

    def bill(self, d, tiers_payant):
        from app.domain.dispensing import DispensingError
        from app.domain.rules import override_key, unresolved

        overrides = {override_key(s.line_id, r): why for s in d.lines for r, why in s.overrides.items()}
        left = unresolved(self.warnings, overrides)
        if left:
            raise DispensingError("\n".join(f.message for f in left))
        d.bill = compute_bill(d.bill_items(), tiers_payant=tiers_payant)
        d.invoice_number = f"F{len(self.recorded) + 1:06d}"
        return d

    def record(self, d) -> Recorded:
        return self.send_recorded(self.record_locally(d).delivery_id)

    def record_locally(self, d) -> Delivery:
        delivery = d.to_delivery(pharmacy=PharmacyIdentity("Pharmacie", "Paris", "750000010"),
                                 pharmacist_name="Ph", pharmacist_rpps="10000000009",
                                 handed_over_at=datetime(2026, 11, 26, 10, 5))
        self.store.pop(d.delivery_id, None)
        self.local[delivery.delivery_id] = delivery
        return delivery

    def send_recorded(self, delivery_id: str) -> Recorded:
        delivery = self.local[delivery_id]
        result = Recorded(delivery, self.online, "" if self.online else "Service indisponible")
        self.recorded.append(result)
        return result

    def send_pending(self):
        return None

    def print_delivery(self, delivery) -> Path:
        from reportlab.pdfgen.canvas import Canvas

        path = (self.pdf_dir or Path(".")) / f"{delivery.delivery_id}.pdf"
        canvas = Canvas(str(path))
        canvas.drawString(72, 720, f"Délivrance {delivery.delivery_id}")
        canvas.save()
        return path


def renamed(p: Presentation, **changes) -> Presentation:
    return replace(p, **changes)


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
    from app.ui.counter.workflow_port import WorkflowPort
    from app.ui.tasks import TaskRunner
    from app.workflow.counter import Counter

    settings = Settings()
    settings.database.url = catalogue_url
    settings.printer.pdf_dir = str(tmp_path / "pdf")
    engine, factory = open_database(catalogue_url)
    catalogue = Catalogue(factory)
    service = make_service(catalogue)
    counter = Counter(settings=settings, session_factory=factory, catalogue=catalogue, client=service)
    runner = TaskRunner()
    screen = CounterScreen(WorkflowPort(counter), runner, settings, scanner=Bridge())
    qtbot.addWidget(screen)
    screen.show()
    screen.start()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    return screen, service, counter, catalogue, engine
