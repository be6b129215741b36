"""The archive of deliveries, for history and reprints: each Delivery as JSON text plus search columns.

Why JSON and not tables: a reprint must show exactly what was handed over, with the record's shape
of that day; the search only needs the ordonnance number, the patient's name and the date.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.delivery import Delivery
from app.domain.delivery_codec import (
    delivery_from_json,
    delivery_to_json,
    prescription_from_json,
    prescription_to_json,
)
from app.domain.errors import ComptoirError, StorageError
from app.domain.identifiers import OrdonnanceNumber
from app.domain.prescription import Prescription
from app.storage.models.ordonnancier import ArchivedDeliveryRow


class DeliveryNotFound(ComptoirError):
    """No archived delivery matches."""


@dataclass(frozen=True)
class ArchivedDelivery:
    """One search hit: enough to list it; :func:`load_delivery` gives the full record."""

    delivery_id: str
    ordonnance_number: str
    patient_name: str
    handed_over_at: datetime


_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "-": " ", "'": " ",
                            "’": " "})


def search_key(name: str) -> str:
    """Upper case without accents, ligatures, hyphens or extra spaces:
    « Dupré-Lœwenthal  Zoé » → « DUPRE LOEWENTHAL ZOE »."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_LIGATURES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.upper().split())


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _wall_time(moment: datetime) -> datetime:
    """The time as read at the counter, without zone (so both databases store the same value)."""
    return moment.replace(tzinfo=None)


def archive_delivery(session: Session, delivery: Delivery, prescription: Prescription | None = None) -> None:
    """Store ``delivery`` (and the prescription it served, when known) for reprints.

    Archiving again the same ``delivery_id`` replaces the stored text: the counter archives once
    the ordonnancier numbers are known, and may archive again after a correction of the record.
    """
    row = session.get(ArchivedDeliveryRow, delivery.delivery_id) or ArchivedDeliveryRow(
        delivery_id=delivery.delivery_id)
    row.ordonnance_number = str(delivery.number)
    row.patient_name = delivery.patient.display_name
    row.patient_key = search_key(delivery.patient.display_name)
    row.handed_over_at = _wall_time(delivery.handed_over_at)
    row.handed_over_on = delivery.handed_over_at.date()
    row.archived_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    row.delivery_json = delivery_to_json(delivery)
    row.prescription_json = prescription_to_json(prescription) if prescription is not None else None
    try:
        session.add(row)
        session.flush()
    except SQLAlchemyError as exc:
        raise StorageError("La délivrance n'a pas pu être archivée", detail=str(exc)) from exc


def find_deliveries(session: Session, number: str | None = None, patient: str | None = None,
                    on: date | None = None, limit: int = 200, box: str | None = None) -> list[ArchivedDelivery]:
    """Deliveries matching every criterion given, most recent first.

    ``number``: the ordonnance number (spaces and dashes ignored); ``patient``: words of the name,
    in any order, case and accents ignored; ``on``: the day of the delivery; ``box``: text found in
    the stored record, narrowed to a box serial or lot number by :func:`handed_over_box` (recalls).
    """
    query = select(ArchivedDeliveryRow.delivery_id, ArchivedDeliveryRow.ordonnance_number,
                   ArchivedDeliveryRow.patient_name, ArchivedDeliveryRow.handed_over_at)
    if number:
        query = query.where(ArchivedDeliveryRow.ordonnance_number == OrdonnanceNumber.normalise(number))
    for word in search_key(patient or "").split():  # every word, in any order
        query = query.where(ArchivedDeliveryRow.patient_key.like(_like(word), escape="\\"))
    if on is not None:
        query = query.where(ArchivedDeliveryRow.handed_over_on == on)
    if box:
        query = query.where(ArchivedDeliveryRow.delivery_json.ilike(_like(box), escape="\\"))
    query = query.order_by(ArchivedDeliveryRow.handed_over_at.desc()).limit(limit)
    return [ArchivedDelivery(**row._asdict()) for row in session.execute(query)]


def load_delivery(session: Session, delivery_id: str) -> Delivery:
    """The archived delivery ``delivery_id`` as it was stored."""
    row = session.get(ArchivedDeliveryRow, delivery_id)
    if row is None:
        raise DeliveryNotFound(f"Délivrance introuvable dans l'historique : {delivery_id}")
    return delivery_from_json(row.delivery_json)


def load_prescription(session: Session, delivery_id: str) -> Prescription | None:
    """The prescription archived with delivery ``delivery_id``, or None when none was stored."""
    row = session.get(ArchivedDeliveryRow, delivery_id)
    if row is None:
        raise DeliveryNotFound(f"Délivrance introuvable dans l'historique : {delivery_id}")
    return prescription_from_json(row.prescription_json) if row.prescription_json else None


def handed_over_box(delivery: Delivery, code: str) -> bool:
    """A box of serial or lot number ``code`` (case ignored) was handed over in ``delivery``: what a
    recall (a lot) or a serialisation query (a serial) asks for."""
    wanted = code.strip().upper()
    return any(wanted in ((b.serial or "").upper(), (b.lot or "").upper())
               for line in delivery.lines for item in line.items for b in item.boxes)


class DeliveryArchive:
    """The archive over a session factory, for the workflow's history (``app.workflow.ports.ArchivePort``):
    each call opens its own short session."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def search(self, number: str | None = None, patient: str | None = None, on: date | None = None,
               limit: int = 200, box: str | None = None) -> list[Delivery]:
        """The deliveries :func:`find_deliveries` finds, in full, most recent first; with ``box``,
        only those where a box of that serial or lot number was handed over."""
        box = (box or "").strip() or None
        with self.factory() as session:
            hits = find_deliveries(session, number=number, patient=patient, on=on, limit=limit, box=box)
            found = [load_delivery(session, hit.delivery_id) for hit in hits]
        return [d for d in found if box is None or handed_over_box(d, box)]

    def load(self, delivery_id: str) -> tuple[Delivery, Prescription | None]:
        """The delivery and the prescription it served (None when that was not archived)."""
        with self.factory() as session:
            return load_delivery(session, delivery_id), load_prescription(session, delivery_id)
