"""Client of the e-prescription service (FHIR R4 over HTTPS): httpx, FHIR mapping, outbox."""

from app.eprescription.client import EPrescriptionClient, RecordResult
from app.eprescription.dispense import DispenseRecord

__all__ = ["EPrescriptionClient", "RecordResult", "DispenseRecord"]
