"""Client of the e-prescription service (FHIR R4 over HTTPS): httpx, FHIR mapping, outbox."""
