"""Code systems, identifier systems and extension URLs of the service contract.

Shared by the client's mapping and the sandbox server: both sides of one contract
(``shared/docs/eprescription-api.md``), so they must agree on every URL.
"""

from __future__ import annotations

NUMBER_SYSTEM = "https://comptoir.example/fhir/sid/ordonnance-numerique"
DISPENSE_ID_SYSTEM = "https://comptoir.example/fhir/sid/delivery-line"

RPPS = "urn:oid:1.2.250.1.71.4.2.1"
# FHIR R4 MedicationDispense.performer.function (docs/team.md: who the performers are)
PERFORMER_FUNCTION = "http://terminology.hl7.org/CodeSystem/medicationdispense-performer-function"
NIR = "urn:oid:1.2.250.1.213.1.4.8"
FINESS = "urn:oid:1.2.250.1.71.4.2.2"

CIP13 = "http://data.esante.gouv.fr/ansm/medicament/Presentation"
CIS = "http://data.esante.gouv.fr/ansm/medicament/SpecialitePharmaceutique"
UCD = "http://data.esante.gouv.fr/ansm/medicament/UCD"
SUBSTANCE = "http://data.esante.gouv.fr/ansm/medicament/substance"
SUBSTANCE_SMS = "http://data.esante.gouv.fr/ansm/medicament/codeSMS"  # used by the ANS examples
EDQM = "http://standardterms.edqm.eu"
UCUM = "http://unitsofmeasure.org"

V3_SUBSTITUTION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-substanceAdminSubstitution"
V3_SUBSTITUTION_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
V3_REASON_CODES = frozenset({"CT", "FP", "OS", "RR"})

_SD = "https://comptoir.example/fhir/StructureDefinition/"
RENDERED_DOSAGE = (
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-MedicationRequest.renderedDosageInstruction"
)
# What remains to deliver on a line, as the sandbox counts it (complex extension).
REMAINING = _SD + "remaining"
# French reason codes for a line's "non substituable" (MTE, EFG, CIF) and for a pharmacist's substitution.
NON_SUBSTITUTION_REASON = "https://comptoir.example/fhir/CodeSystem/non-substitution-reason"
FR_SUBSTITUTION_REASON = "https://comptoir.example/fhir/CodeSystem/substitution-reason"
# The patient objects to the prescriber seeing the deliveries (on a MedicationRequest, Patient or dispense).
PATIENT_OBJECTION = _SD + "patient-objection"
# A line changed at the counter, one per adjustment (complex: reason, kind, detail, agreementDate, agreementTime,
# agreementMeans, legalBasis, comment).
ADJUSTMENT = _SD + "dispense-adjustment"
# The provision that allowed another product without the prescriber's agreement (resources/adjustments).
ADJUSTMENT_LEGAL_BASIS = "https://comptoir.example/fhir/CodeSystem/adjustment-legal-basis"
# Which dispensation of the line this is: 0 the first, n the n-th renewal.
RENEWAL_INDEX = _SD + "dispense-renewal-index"
STATUS_REASON = "https://comptoir.example/fhir/CodeSystem/dispense-status-reason"


# A line's coverage as the ANS IG "FR Document Core" carries it: MedicationRequest.reasonReference to an
# Observation with the CI-SIS code "en rapport avec une ALD" (MED-574) or "en rapport avec un accident du
# travail / une maladie professionnelle" (GEN-180) and valueBoolean true (docs/coverage.md).
CISIS = "https://smt.esante.gouv.fr/fhir/CodeSystem/terminologie-cisis"
ALD_CODE = "MED-574"
WORK_ACCIDENT_CODE = "GEN-180"
_ANS_SD = "https://interop.esante.gouv.fr/ig/fhir/document-core/StructureDefinition/"
ALD_PROFILE = _ANS_SD + "fr-observation-ald-document"
WORK_ACCIDENT_PROFILE = _ANS_SD + "fr-observation-work-related-accident-document"
# The guides carry no maternity element on a line: the sandbox's own extension (valueCode "maternity").
INSURANCE_SITUATION = _SD + "insurance-situation"

# Read into fields of the line; any other extension (the patient objection too) is kept on the line as is.
KNOWN_REQUEST_EXTENSIONS = frozenset({RENDERED_DOSAGE, REMAINING, INSURANCE_SITUATION})
