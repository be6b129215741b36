"""Client of the e-prescription service (FHIR R4 over HTTPS): httpx, FHIR mapping, outbox."""

from app.eprescription.client import EPrescriptionClient, RecordResult
from app.eprescription.dispense import DispenseRecord
from app.eprescription.fhir_read import prescription_from_bundle
from app.eprescription.fhir_write import UnwritableLine, prescription_to_bundle

__all__ = ["EPrescriptionClient", "RecordResult", "DispenseRecord", "prescription_from_bundle",
           "prescription_to_bundle", "UnwritableLine"]
