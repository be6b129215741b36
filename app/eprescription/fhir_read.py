"""A fetched ``searchset`` Bundle → domain :class:`~app.domain.prescription.Prescription`.

A Bundle that is not the FHIR expected (no lines, a line without medication, an unresolvable
patient) raises :class:`MalformedResponse`; optional fields of the wrong shape are skipped.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from app.domain.errors import InvalidIdentifier, MalformedResponse
from app.domain.identifiers import Nir, OrdonnanceNumber, Rpps
from app.domain.prescription import (
    Duration,
    LineStatus,
    NonSubstitutionReason,
    Patient,
    Prescriber,
    Prescription,
    PrescriptionLine,
    PrescriptionStatus,
)
from app.eprescription import systems
from app.eprescription.dosage import concept_text, decimal, dosage, duration, parse_datetime, quantity
from app.eprescription.medication import medication_ref
from app.eprescription.posology import posology_words


def _bad(text: str) -> MalformedResponse:
    return MalformedResponse("Réponse du service illisible : l'ordonnance reçue est incomplète", detail=text)


class BundleIndex:
    """Resources of a Bundle by ``Type/id``, full URL and ``#id``."""

    def __init__(self, bundle: Any) -> None:
        if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
            raise _bad("not a Bundle")
        self.resources: list[dict[str, Any]] = []
        self.by_key: dict[str, dict[str, Any]] = {}
        for entry in bundle.get("entry") or []:
            res = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(res, dict) or not isinstance(res.get("resourceType"), str):
                continue
            self.resources.append(res)
            key = f"{res['resourceType']}/{res.get('id')}"
            self.by_key.setdefault(key, res)
            self.by_key.setdefault(f"#{res.get('id')}", res)
            if isinstance(entry.get("fullUrl"), str):
                self.by_key.setdefault(entry["fullUrl"], res)

    def of_type(self, rtype: str) -> list[dict[str, Any]]:
        return [r for r in self.resources if r["resourceType"] == rtype]

    def get(self, ref: Any) -> dict[str, Any] | None:
        text = ref.get("reference") if isinstance(ref, dict) else None
        if not isinstance(text, str):
            return None
        return self.by_key.get(text) or self.by_key.get("/".join(text.rstrip("/").split("/")[-2:]))


def _name(res: dict[str, Any]) -> tuple[str, str]:
    names = [n for n in res.get("name") or [] if isinstance(n, dict)]
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    family = official.get("family") or official.get("text") or ""
    given = " ".join(g for g in official.get("given") or [] if isinstance(g, str))
    return str(family), given


def _identifier(res: dict[str, Any], system: str) -> str | None:
    for ident in res.get("identifier") or []:
        if isinstance(ident, dict) and ident.get("system") == system and isinstance(ident.get("value"), str):
            return ident["value"]
    return None


def address_of(res: dict[str, Any]) -> str | None:
    """The first postal address of a Patient or Practitioner as one line: its ``text``, else
    ``line``, postal code and city ("12 rue des Lilas, 75011 Paris"); None when there is none."""
    for addr in res.get("address") or []:
        if isinstance(addr, dict):
            if isinstance(addr.get("text"), str) and addr["text"].strip():
                return addr["text"].strip()
            lines = [str(x) for x in addr.get("line") or [] if isinstance(x, str | int)]
            city = " ".join(str(addr[k]) for k in ("postalCode", "city") if addr.get(k))
            return ", ".join(part for part in [*lines, city] if part.strip()) or None
    return None


def patient_of(res: dict[str, Any]) -> Patient:
    family, given = _name(res)
    nir = None
    raw = _identifier(res, systems.NIR)
    if raw:
        try:
            nir = Nir.parse(raw)
        except InvalidIdentifier:
            nir = None
    birth = parse_datetime(res.get("birthDate"))
    return Patient(family=family, given=given, birth_date=birth.date() if birth else None, nir=nir,
                   gender=res.get("gender") if isinstance(res.get("gender"), str) else None,
                   address=address_of(res) or "")


def prescriber_of(res: dict[str, Any] | None, requester: Any) -> Prescriber:
    raw = _identifier(res, systems.RPPS) if res else None
    if raw is None and isinstance(requester, dict) and isinstance(requester.get("identifier"), dict):
        raw = requester["identifier"].get("value")
    rpps = None
    if isinstance(raw, str):
        try:
            rpps = Rpps.parse(raw, check_key=False)
        except InvalidIdentifier:
            rpps = None
    if res is None:
        return Prescriber(family="", rpps=rpps)
    family, given = _name(res)
    specialty = next((concept_text(q.get("code")) for q in res.get("qualification") or []
                      if isinstance(q, dict) and concept_text(q.get("code"))), None)
    address = address_of(res)
    phone = next((t.get("value") for t in res.get("telecom") or []
                  if isinstance(t, dict) and t.get("system") == "phone"), None)
    return Prescriber(family=family, given=given, rpps=rpps, specialty=specialty, address=address, phone=phone)


def _remaining(mr: dict[str, Any]) -> tuple[Any, int | None]:
    for ext in mr.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == systems.REMAINING:
            parts = {e.get("url"): e for e in ext.get("extension") or [] if isinstance(e, dict)}
            qty = decimal((parts.get("quantity") or {}).get("valueDecimal"))
            ren = (parts.get("renewals") or {}).get("valueInteger")
            return qty, ren if isinstance(ren, int) else None
    return None, None


def _substitution(mr: dict[str, Any]) -> tuple[bool, NonSubstitutionReason | None]:
    sub = mr.get("substitution")
    if not isinstance(sub, dict):
        return True, None
    allowed = True
    if isinstance(sub.get("allowedBoolean"), bool):
        allowed = sub["allowedBoolean"]
    elif isinstance(sub.get("allowedCodeableConcept"), dict):
        codes = [c.get("code") for c in sub["allowedCodeableConcept"].get("coding") or [] if isinstance(c, dict)]
        allowed = "N" not in codes
    reason = None
    codes = [c.get("code") for c in (sub.get("reason") or {}).get("coding") or [] if isinstance(c, dict)]
    texts = [concept_text(sub.get("reason")) or ""]
    for candidate in [*codes, *texts]:
        if isinstance(candidate, str) and candidate.strip().upper() in NonSubstitutionReason.__members__:
            reason = NonSubstitutionReason[candidate.strip().upper()]
            break
    return allowed, reason


def _duration_of(mr: dict[str, Any], dosages: list[dict[str, Any]]) -> Duration | None:
    supply = duration((mr.get("dispenseRequest") or {}).get("expectedSupplyDuration"))
    if supply is not None:
        return supply
    starts, ends = [], []
    for d in dosages:
        period = ((d.get("timing") or {}).get("repeat") or {}).get("boundsPeriod")
        if isinstance(period, dict):
            start, end = parse_datetime(period.get("start")), parse_datetime(period.get("end"))
            if start and end:
                starts.append(start)
                ends.append(end)
    if starts:
        seconds = (max(ends) - min(starts)).total_seconds()
        return Duration(decimal(round(seconds / 86400)) or decimal(0), "d")  # type: ignore[arg-type]
    return None


def line_of(mr: dict[str, Any], index: BundleIndex) -> PrescriptionLine:
    line_id = mr.get("id")
    if not isinstance(line_id, str) or not line_id:
        raise _bad("MedicationRequest without id")
    raw_dosages = [d for d in mr.get("dosageInstruction") or [] if isinstance(d, dict)]
    dosages = tuple(dosage(d) for d in raw_dosages)
    rendered = next((e.get("valueMarkdown") or e.get("valueString") for e in mr.get("extension") or []
                     if isinstance(e, dict) and e.get("url") == systems.RENDERED_DOSAGE), None)
    posology = rendered if isinstance(rendered, str) and rendered.strip() else posology_words(dosages)
    request = mr.get("dispenseRequest") if isinstance(mr.get("dispenseRequest"), dict) else {}
    renewals = request.get("numberOfRepeatsAllowed")
    validity = parse_datetime((request.get("validityPeriod") or {}).get("end"))
    allowed, reason = _substitution(mr)
    remaining_qty, remaining_ren = _remaining(mr)
    try:
        status = LineStatus(mr.get("status"))
    except ValueError:
        status = LineStatus.UNKNOWN
    unknown = tuple(json.dumps(e, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                    for e in mr.get("extension") or []
                    if isinstance(e, dict) and e.get("url") not in systems.KNOWN_REQUEST_EXTENSIONS)
    return PrescriptionLine(
        line_id=line_id,
        medication=medication_ref(mr, index.get),
        posology_text=posology,
        dosages=dosages,
        duration=_duration_of(mr, raw_dosages),
        quantity=quantity(request.get("quantity")),
        renewals=renewals if isinstance(renewals, int) and not isinstance(renewals, bool) else 0,
        substitution_allowed=allowed,
        non_substitution_reason=reason,
        notes=tuple(n["text"] for n in mr.get("note") or [] if isinstance(n, dict) and isinstance(n.get("text"), str)),
        status=status,
        validity_end=validity.date() if validity else None,
        remaining_quantity=remaining_qty,
        remaining_renewals=remaining_ren,
        extensions=unknown,
    )


def prescription_from_bundle(bundle: Any, number: OrdonnanceNumber | None = None, *,
                             number_system: str = systems.NUMBER_SYSTEM) -> Prescription:
    """The prescription ``number`` in ``bundle`` (every line when ``number`` is None)."""
    index = BundleIndex(bundle)
    requests = index.of_type("MedicationRequest")
    if number is not None:  # only the lines of the number asked for (never another prescription's)
        requests = [r for r in requests if (r.get("groupIdentifier") or {}).get("value") == number]
    if not requests:
        raise _bad("no MedicationRequest")
    first = requests[0]
    if number is None:
        group = first.get("groupIdentifier") or {}
        try:
            number = OrdonnanceNumber.parse(str(group.get("value", "")))
        except InvalidIdentifier as exc:
            raise _bad("no ordonnance number") from exc
    patient_res = index.get(first.get("subject"))
    if patient_res is None or patient_res.get("resourceType") != "Patient":
        raise _bad("patient not included")
    practitioner = index.get(first.get("requester"))
    if practitioner is not None and practitioner.get("resourceType") == "PractitionerRole":
        practitioner = index.get(practitioner.get("practitioner"))
    authored = parse_datetime(first.get("authoredOn")) or datetime.now(UTC)
    lines = tuple(line_of(mr, index) for mr in requests)
    statuses = {line.status for line in lines}
    if statuses == {LineStatus.CANCELLED}:
        status = PrescriptionStatus.CANCELLED
    elif statuses and statuses <= {LineStatus.COMPLETED}:
        status = PrescriptionStatus.COMPLETED
    else:
        status = PrescriptionStatus.ACTIVE
    return Prescription(number=number, authored_on=authored, patient=patient_of(patient_res),
                        prescriber=prescriber_of(practitioner, first.get("requester")), lines=lines,
                        status=status)

