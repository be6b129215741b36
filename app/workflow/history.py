"""The history use case: find past deliveries in the archive and regenerate their PDFs.

Every call blocks (database, reportlab, the disk): the history screen (``app.ui.history_view``) runs
:meth:`DeliveryHistory.search` and :meth:`DeliveryHistory.load` on the database worker and
:meth:`DeliveryHistory.render` on the I/O pool. The archive comes through :class:`ArchivePort`.
The PDFs are regenerated from the archived record (what was handed over that day), never from
today's catalogue, and written into ``settings.pdf_dir`` next to the counter's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.config import Settings
from app.domain.audit import AuditAction
from app.domain.delivery import Delivery
from app.domain.errors import ComptoirError
from app.domain.identifiers import OrdonnanceNumber
from app.domain.prescription import Prescription
from app.domain.team import Actor
from app.private_files import private_dir
from app.workflow.ports import ArchivePort, AuditPort

MENTIONS = "mentions"
PATIENT_COPY = "copie"
SEARCH_LIMIT = 200


@dataclass(frozen=True)
class HistoryRow:
    """One past delivery as the results table lists it."""

    delivery_id: str
    handed_over_at: datetime
    number: OrdonnanceNumber
    patient: str
    prescriber: str
    lines_delivered: int
    lines_total: int
    ordonnancier_numbers: tuple[int, ...]


@dataclass(frozen=True)
class HistoryRecord:
    """A past delivery in full, with the prescription it served when that was archived too."""

    delivery: Delivery
    prescription: Prescription | None


def _row(delivery: Delivery) -> HistoryRow:
    return HistoryRow(
        delivery_id=delivery.delivery_id, handed_over_at=delivery.handed_over_at, number=delivery.number,
        patient=delivery.patient.display_name, prescriber=delivery.prescriber.display_name,
        lines_delivered=sum(1 for line in delivery.lines if line.delivered), lines_total=len(delivery.lines),
        ordonnancier_numbers=tuple(n for line in delivery.lines for n in line.ordonnancier_numbers),
    )


def reprint_path(pdf_dir: Path, delivery: Delivery, kind: str) -> Path:
    """``<number>-<date>-<kind>.pdf`` as at the first print (:func:`app.printing.names.delivery_pdf_name`),
    with the next free ``-2``, ``-3`` … when that name is taken: a reprint never overwrites a file; the
    name ``comptoir reprint`` uses too."""
    from app.printing import names

    taken = {p.name for p in pdf_dir.iterdir()} if pdf_dir.is_dir() else set()
    return pdf_dir / names.delivery_pdf_name(delivery, names.PATIENT_COPY if kind == PATIENT_COPY else names.MENTIONS,
                                             taken)


class DeliveryHistory:
    """The archive of deliveries, for the history screen and reprints."""

    def __init__(self, archive: ArchivePort, settings: Settings, audit: AuditPort | None = None) -> None:
        self.archive = archive
        self.settings = settings
        self.audit = audit
        self.actor: Actor | None = None  # who is signed in at this window (replaced on the GUI thread)

    def trace_reprint(self, record: HistoryRecord, kind: str, actor: Actor | None = None) -> None:
        """Database: a reprint in the audit trail (nobody signed in: nothing to trace)."""
        actor = actor or self.actor
        if actor is None or self.audit is None:
            return
        self.audit.record(AuditAction.REPRINT, actor, object_ref=str(record.delivery.number),
                          details={"delivery": record.delivery.delivery_id, "kind": kind})

    def search(self, number: str = "", patient: str = "", on: date | None = None, box: str = "") -> list[HistoryRow]:
        """Deliveries matching every criterion given (none: the latest ones), most recent first;
        ``box``: a box's serial or lot number (a recall: who received it).

        A malformed ordonnance number is refused in French rather than matching nothing.
        """
        parsed = OrdonnanceNumber.parse(number) if number.strip() else None
        found = self.archive.search(number=str(parsed) if parsed else None, patient=patient.strip() or None, on=on,
                                    limit=SEARCH_LIMIT, box=box.strip() or None)
        return [_row(delivery) for delivery in found]

    def load(self, delivery_id: str) -> HistoryRecord:
        return HistoryRecord(*self.archive.load(delivery_id))

    def render(self, record: HistoryRecord, kind: str) -> Path:
        """Write the PDF of ``kind`` (:data:`MENTIONS` or :data:`PATIENT_COPY`) into the PDF folder."""
        from app.printing import render_delivery_notes, render_patient_copy

        if kind not in (MENTIONS, PATIENT_COPY):
            raise ValueError(kind)
        pdf_dir = self.settings.pdf_dir
        path = reprint_path(pdf_dir, record.delivery, kind)
        try:
            private_dir(pdf_dir)
            if kind == MENTIONS:
                render_delivery_notes(record.delivery, self.settings.printer, path)
            else:
                render_patient_copy(record.delivery, record.prescription, path)
        except OSError as exc:
            raise ComptoirError(f"Réimpression impossible dans {pdf_dir} : {exc.strerror or exc}",
                                detail=repr(exc)) from exc
        return path
