"""What the counter's use cases need from the other areas, as small Protocols (ports).

Why: the workflow is written and tested while the catalogue, the service client, the ordonnancier and
printing are built by others; the real classes (``app.catalogue.Catalogue``,
``app.eprescription.EPrescriptionClient``, ``app.storage.ordonnancier``, ``app.printing``) satisfy
these structurally, and the tests use them as soon as they exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from app.domain.catalogue import Presentation, Speciality
from app.domain.delivery import Delivery
from app.domain.prescription import Prescription


class CataloguePort(Protocol):
    def by_cip13(self, cip13: str) -> Presentation | None: ...
    def presentations_of_cis(self, cis: str) -> list[Presentation]: ...
    def substitutes(self, cip13: str) -> list[Presentation]: ...
    def by_substance(self, substance: str, dosage: str | None = None, form: str | None = None) -> list[Presentation]:
        ...
    def find(self, text: str) -> list[Presentation]: ...
    def speciality(self, cis: str) -> Speciality | None: ...


class ServicePort(Protocol):
    """The e-prescription service client; every failure is an ``app.domain.errors.ServiceError``."""

    def fetch(self, number: str) -> Prescription: ...
    def claim(self, number: str) -> object: ...
    def release(self, number: str) -> object: ...
    def record_delivery(self, delivery: Delivery) -> object: ...


class OrdonnancierPort(Protocol):
    """Writes the register entries of a delivery inside the caller's transaction."""

    def append_delivery(self, session: Session, delivery: Delivery) -> Delivery: ...


class PrinterPort(Protocol):
    """Renders the annotated ordonnance (and the patient's copy) of a delivery into PDF files."""

    def print_delivery(self, delivery: Delivery, prescription: Prescription | None, pdf_dir: Path) -> list[Path]:
        ...
