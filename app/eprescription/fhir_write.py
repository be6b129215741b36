"""Domain :class:`~app.domain.prescription.Prescription` → a FHIR R4 prescription Bundle.

The inverse of :mod:`app.eprescription.fhir_read`, shaped as the ANS ePrescription guide and the
contract (operation 2) expect: one ``collection`` Bundle with the Patient, the Practitioner, any
Medication, and one MedicationRequest per line carrying the ordonnance number in its
``groupIdentifier``. What a prescriber's software writes, what ``comptoir prescribe`` could post,
and what lets a fetched prescription be kept or forwarded as FHIR. Reading the Bundle back gives
an equal :class:`Prescription` (tests/service/test_fhir_write.py checks it on every HAS example).

Written per line: the medication (see :mod:`medication_write`), ``dosageInstruction`` (see
:mod:`dosage_write`), the rendered posology text (R5 ``renderedDosageInstruction`` extension, as
the ANS examples carry it), ``dispenseRequest`` (validity end, renewals, quantity, expected
supply duration = the line's duration), ``substitution`` (``allowedBoolean``; when not
substitutable with a reason, the French MTE/EFG/CIF code and "non substituable (MTE)" as text),
the notes, and the line's unknown extensions, restored as they were read.

Not representable in the domain, so absent from what is written (the reader drops them):
- on a MedicationRequest: ``identifier``, ``priority``, ``category``, ``encounter``,
  ``supportingInformation``, ``reasonCode``, ``basedOn``, ``meta.profile``, a ``note``'s author,
  time and extensions (only its text is kept), each line's own ``authoredOn`` (the prescription
  has one date), and a ``timing.repeat.boundsPeriod`` (kept only as the line's duration);
- the sandbox's ``remaining`` extension: server state, which a prescription never sends;
- on the Patient and Practitioner: everything but names, NIR, RPPS, gender, birth date,
  specialty (as text), one address (as text) and one phone number; their extensions too;
- other resources of the Bundle (RequestGroup ...) and the prescription-level ``notes``, for
  which the guide's Bundle has no MedicationRequest element.
"""

from __future__ import annotations

import json
from typing import Any

from app.domain.errors import ComptoirError
from app.domain.prescription import Patient, Prescriber, Prescription, PrescriptionLine
from app.eprescription import systems
from app.eprescription.coverage import coverage_json
from app.eprescription.dosage import fhir_datetime
from app.eprescription.dosage_write import dosage_json, duration_json, quantity_json, text_concept
from app.eprescription.medication_write import medication_json

PATIENT_ID = "patient"
PRACTITIONER_ID = "prescriber"


class UnwritableLine(ComptoirError):
    """A line that cannot be written as FHIR (an extension kept in an unreadable form)."""


def _name(family: str, given: str) -> list[dict[str, Any]]:
    name: dict[str, Any] = {"use": "official"}
    if family:
        name["family"] = family
    if given.split():
        name["given"] = given.split()
    return [name] if len(name) > 1 else []


def _person(rtype: str, rid: str, system: str, ident: str | None, family: str, given: str) -> dict[str, Any]:
    """A Patient or Practitioner with its national identifier (NIR, RPPS) and official name."""
    res: dict[str, Any] = {"resourceType": rtype, "id": rid}
    if ident:
        res["identifier"] = [{"system": system, "value": str(ident)}]
    if name := _name(family, given):
        res["name"] = name
    return res


def patient_json(patient: Patient) -> dict[str, Any]:
    res = _person("Patient", PATIENT_ID, systems.NIR, patient.nir, patient.family, patient.given)
    if patient.gender:
        res["gender"] = patient.gender
    if patient.birth_date:
        res["birthDate"] = patient.birth_date.isoformat()
    if patient.address:
        res["address"] = [{"text": patient.address}]
    return res


def practitioner_json(prescriber: Prescriber) -> dict[str, Any]:
    res = _person("Practitioner", PRACTITIONER_ID, systems.RPPS, prescriber.rpps, prescriber.family,
                  prescriber.given)
    if prescriber.phone:
        res["telecom"] = [{"system": "phone", "value": prescriber.phone}]
    if prescriber.address:
        res["address"] = [{"text": prescriber.address}]
    if prescriber.specialty:
        res["qualification"] = [{"code": text_concept(prescriber.specialty)}]
    return res


def _extensions(line: PrescriptionLine) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if line.posology_text.strip():
        out.append({"url": systems.RENDERED_DOSAGE, "valueMarkdown": line.posology_text})
    for text in line.extensions:
        try:
            ext = json.loads(text)
        except ValueError:
            ext = None
        if not isinstance(ext, dict) or not isinstance(ext.get("url"), str):
            raise UnwritableLine(f"Ligne {line.line_id} : extension FHIR illisible, l'ordonnance ne peut pas être écrite",
                                 detail=text[:200])
        out.append(ext)
    return out


def _dispense_request(line: PrescriptionLine) -> dict[str, Any] | None:
    req: dict[str, Any] = {}
    if line.validity_end is not None:
        req["validityPeriod"] = {"end": line.validity_end.isoformat()}
    if line.renewals:
        req["numberOfRepeatsAllowed"] = line.renewals
    if line.quantity is not None:
        req["quantity"] = quantity_json(line.quantity)
    if line.duration is not None:
        req["expectedSupplyDuration"] = duration_json(line.duration)
    return req or None


def _substitution(line: PrescriptionLine) -> dict[str, Any]:
    sub: dict[str, Any] = {"allowedBoolean": line.substitution_allowed}
    reason = line.non_substitution_reason
    if reason is not None:
        sub["reason"] = {"coding": [{"system": systems.NON_SUBSTITUTION_REASON, "code": reason.value,
                                     "display": reason.label}],
                         "text": f"non substituable ({reason.value})"}
    return sub


def request_json(line: PrescriptionLine, prescription: Prescription, med_id: str, *,
                 number_system: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One line's MedicationRequest and the Medication resources it references."""
    mr: dict[str, Any] = {"resourceType": "MedicationRequest", "id": line.line_id}
    contained, reasons, coverage_extensions = coverage_json(prescription.line_coverage(line.line_id))
    if contained:
        mr["contained"] = contained
    if extensions := _extensions(line) + coverage_extensions:
        mr["extension"] = extensions
    mr["status"] = line.status.value
    mr["intent"] = "order"
    medication, resources = medication_json(line.medication, med_id)
    mr.update(medication)
    mr["subject"] = {"reference": f"Patient/{PATIENT_ID}"}
    mr["authoredOn"] = fhir_datetime(prescription.authored_on)
    mr["requester"] = {"reference": f"Practitioner/{PRACTITIONER_ID}"}
    mr["groupIdentifier"] = {"system": number_system, "value": str(prescription.number)}
    if line.notes:
        mr["note"] = [{"text": n} for n in line.notes]
    if line.dosages:
        mr["dosageInstruction"] = [dosage_json(d) for d in line.dosages]
    if (request := _dispense_request(line)) is not None:
        mr["dispenseRequest"] = request
    mr["substitution"] = _substitution(line)
    if reasons:
        mr["reasonReference"] = reasons
    return mr, resources


def prescription_to_bundle(prescription: Prescription, *, number_system: str = systems.NUMBER_SYSTEM) -> dict:
    """The prescription as a FHIR R4 ``collection`` Bundle (plain JSON-ready dicts).

    Raises :class:`UnwritableLine` when a line's kept extension is not a JSON object with a URL.
    """
    resources: list[dict[str, Any]] = [patient_json(prescription.patient),
                                       practitioner_json(prescription.prescriber)]
    requests = []
    for n, line in enumerate(prescription.lines, start=1):
        mr, meds = request_json(line, prescription, f"med-{n}", number_system=number_system)
        resources.extend(meds)
        requests.append(mr)
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": res} for res in (*resources, *requests)]}
