"""A fetched ``searchset`` Bundle → domain :class:`~app.domain.prescription.Prescription`.

Total over any JSON: a Bundle that is not the FHIR expected (no lines, a line without medication,
an unresolvable patient) or an element of the wrong JSON type anywhere (see
:mod:`app.eprescription.fhir_json`) raises :class:`MalformedResponse` naming what is wrong; any
other exception is a bug of the reader and propagates as itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from app.domain.errors import InvalidIdentifier, MalformedResponse
from app.domain.identifiers import Nir, OrdonnanceNumber, Rpps
from app.domain.prescription import (
    Coverage,
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
from app.eprescription.coverage import coverage_of
from app.eprescription.dosage import concept_text, dosage, duration, quantity
from app.eprescription.fhir_json import Node
from app.eprescription.medication import medication_ref
from app.eprescription.posology import posology_words


def _bad(missing: str, detail: str) -> MalformedResponse:
    """The prescription received lacks something it cannot do without; ``missing`` says what, in French."""
    return MalformedResponse(f"Réponse du service illisible : l'ordonnance reçue est incomplète ({missing})",
                             detail=detail)


class BundleIndex:
    """Resources of a Bundle by ``Type/id``, full URL and ``#id``."""

    def __init__(self, bundle: Any) -> None:
        if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
            raise MalformedResponse("Réponse du service illisible : un Bundle FHIR était attendu",
                                    detail="not a Bundle")
        self.resources: list[dict[str, Any]] = []
        self.by_key: dict[str, dict[str, Any]] = {}
        for entry in Node(bundle, "Bundle").get("entry").objects():
            resource = entry.get("resource")
            res = resource.mapping()
            if not res:
                continue
            rtype, rid = resource.get("resourceType").string(), resource.get("id").string()
            if rtype is None:
                raise _bad(f"{entry.path}.resource sans resourceType", "resource without resourceType")
            self.resources.append(res)
            if rid is not None:
                self.by_key.setdefault(f"{rtype}/{rid}", res)
                self.by_key.setdefault(f"#{rid}", res)
            full_url = entry.get("fullUrl").string()
            if full_url is not None:
                self.by_key.setdefault(full_url, res)

    def of_type(self, rtype: str) -> list[dict[str, Any]]:
        return [r for r in self.resources if r["resourceType"] == rtype]

    def get(self, ref: Any) -> dict[str, Any] | None:
        """The resource a Reference points to; None when it points to nothing in the Bundle."""
        text = Node.of(ref, "Reference").get("reference").string()
        if text is None:
            return None
        return self.by_key.get(text) or self.by_key.get("/".join(text.rstrip("/").split("/")[-2:]))


def _name(res: Node) -> tuple[str, str]:
    names = res.get("name").objects() or [Node(None, f"{res.path}.name")]
    official = next((n for n in names if n.get("use").string() == "official"), names[0])
    family = official.get("family").string() or official.get("text").string() or ""
    return family, " ".join(official.get("given").strings())


def _identifier(res: Node, system: str) -> str | None:
    for ident in res.get("identifier").objects():
        if ident.get("system").string() == system:
            value = ident.get("value").string()
            if value is not None:
                return value
    return None


def address_of(res: Any) -> str | None:
    """The first postal address of a Patient or Practitioner as one line: its ``text``, else
    ``line``, postal code and city ("12 rue des Lilas, 75011 Paris"); None when there is none."""
    for addr in Node.of(res).get("address").objects():
        text = addr.get("text").text()
        if text:
            return text
        lines = addr.get("line").strings()
        city = " ".join(part for part in (addr.get(k).string() for k in ("postalCode", "city")) if part)
        return ", ".join(part for part in [*lines, city] if part.strip()) or None
    return None


def patient_of(res: Any) -> Patient:
    node = Node.of(res)
    family, given = _name(node)
    nir = None
    raw = _identifier(node, systems.NIR)
    if raw:
        try:
            nir = Nir.parse(raw)
        except InvalidIdentifier:
            nir = None
    birth = node.get("birthDate").datetime()
    return Patient(family=family, given=given, birth_date=birth.date() if birth else None, nir=nir,
                   gender=node.get("gender").string(), address=address_of(node) or "")


def prescriber_of(res: dict[str, Any] | None, requester: Any) -> Prescriber:
    node = Node.of(res) if res is not None else None
    raw = _identifier(node, systems.RPPS) if node is not None else None
    if raw is None:
        raw = Node.of(requester, "MedicationRequest.requester").get("identifier").get("value").string()
    rpps = None
    if raw is not None:
        try:
            rpps = Rpps.parse(raw, check_key=False)
        except InvalidIdentifier:
            rpps = None
    if node is None:
        return Prescriber(family="", rpps=rpps)
    family, given = _name(node)
    specialty = next((t for t in (concept_text(q.get("code")) for q in node.get("qualification").objects()) if t),
                     None)
    phone = next((t.get("value").string() for t in node.get("telecom").objects()
                  if t.get("system").string() == "phone"), None)
    return Prescriber(family=family, given=given, rpps=rpps, specialty=specialty, address=address_of(node),
                      phone=phone)


def _remaining(mr: Node) -> tuple[Decimal | None, int | None]:
    for ext in mr.get("extension").objects():
        if ext.get("url").string() == systems.REMAINING:
            parts = {e.get("url").string(): e for e in ext.get("extension").objects()}
            none = Node(None, f"{ext.path}.extension")
            qty = parts.get("quantity", none).get("valueDecimal").number()
            return qty, parts.get("renewals", none).get("valueInteger").integer()
    return None, None


def _substitution(mr: Node) -> tuple[bool, NonSubstitutionReason | None]:
    sub = mr.get("substitution")
    if sub.absent:
        return True, None
    allowed = sub.get("allowedBoolean").boolean()
    if allowed is None:
        codes = [c.get("code").string() for c in sub.get("allowedCodeableConcept").get("coding").objects()]
        allowed = "N" not in codes
    reason_concept = sub.get("reason")
    candidates = [c.get("code").string() for c in reason_concept.get("coding").objects()]
    candidates.append(concept_text(reason_concept))
    for candidate in candidates:
        if candidate and candidate.strip().upper() in NonSubstitutionReason.__members__:
            return allowed, NonSubstitutionReason[candidate.strip().upper()]
    return allowed, None


def _duration_of(mr: Node, dosages: list[Node]) -> Duration | None:
    supply = duration(mr.get("dispenseRequest").get("expectedSupplyDuration"))
    if supply is not None:
        return supply
    starts, ends = [], []
    for d in dosages:
        period = d.get("timing").get("repeat").get("boundsPeriod")
        start, end = period.get("start").datetime(), period.get("end").datetime()
        if start and end:
            starts.append(start)
            ends.append(end)
    if starts:
        seconds = (max(ends) - min(starts)).total_seconds()
        return Duration(Decimal(round(seconds / 86400)), "d")
    return None


def _rendered_posology(mr: Node) -> str | None:
    for ext in mr.get("extension").objects():
        if ext.get("url").string() == systems.RENDERED_DOSAGE:
            return ext.get("valueMarkdown").text() or ext.get("valueString").text()
    return None


def line_of(mr: Any, index: BundleIndex) -> PrescriptionLine:
    line = Node.of(mr)
    line_id = line.get("id").string()
    if not line_id:
        raise _bad(f"{line.path} sans id", "MedicationRequest without id")
    raw_dosages = line.get("dosageInstruction").objects()
    dosages = tuple(dosage(d) for d in raw_dosages)
    posology = _rendered_posology(line) or posology_words(dosages)
    request = line.get("dispenseRequest")
    validity = request.get("validityPeriod").get("end").datetime()
    allowed, reason = _substitution(line)
    remaining_qty, remaining_ren = _remaining(line)
    try:
        status = LineStatus(line.get("status").string())
    except ValueError:
        status = LineStatus.UNKNOWN
    unknown = tuple(e.canonical() for e in line.get("extension").objects()
                    if e.get("url").string() not in systems.KNOWN_REQUEST_EXTENSIONS)
    return PrescriptionLine(
        line_id=line_id,
        medication=medication_ref(line, index.get),
        posology_text=posology,
        dosages=dosages,
        duration=_duration_of(line, raw_dosages),
        quantity=quantity(request.get("quantity")),
        renewals=request.get("numberOfRepeatsAllowed").integer() or 0,
        substitution_allowed=allowed,
        non_substitution_reason=reason,
        notes=tuple(t for t in (n.get("text").string() for n in line.get("note").objects()) if t is not None),
        status=status,
        validity_end=validity.date() if validity else None,
        remaining_quantity=remaining_qty,
        remaining_renewals=remaining_ren,
        extensions=unknown,
        coverage=coverage_of(line, index.get),
    )


def prescription_from_bundle(bundle: Any, number: OrdonnanceNumber | None = None, *,
                             number_system: str = systems.NUMBER_SYSTEM) -> Prescription:
    """The prescription ``number`` in ``bundle`` (every line when ``number`` is None)."""
    index = BundleIndex(bundle)
    requests = [Node.of(r) for r in index.of_type("MedicationRequest")]
    if number is not None:  # only the lines of the number asked for (never another prescription's)
        requests = [r for r in requests if r.get("groupIdentifier").get("value").string() == number]
    if not requests:
        raise _bad("aucune ligne MedicationRequest" + (f" du numéro {number}" if number else ""),
                   "no MedicationRequest")
    first = requests[0]
    if number is None:
        try:
            number = OrdonnanceNumber.parse(first.get("groupIdentifier").get("value").string() or "")
        except InvalidIdentifier as exc:
            raise _bad(f"numéro d'ordonnance absent ou invalide dans {first.path}.groupIdentifier",
                       "no ordonnance number") from exc
    patient_res = index.get(first.get("subject"))
    if patient_res is None or patient_res.get("resourceType") != "Patient":
        raise _bad(f"patient de {first.path}.subject absent du Bundle", "patient not included")
    requester = first.get("requester")
    practitioner = index.get(requester)
    if practitioner is not None and practitioner.get("resourceType") == "PractitionerRole":
        practitioner = index.get(Node.of(practitioner).get("practitioner"))
    authored = first.get("authoredOn").datetime() or datetime.now(UTC)
    lines = tuple(line_of(mr, index) for mr in requests)
    statuses = {line.status for line in lines}
    if statuses == {LineStatus.CANCELLED}:
        status = PrescriptionStatus.CANCELLED
    elif statuses and statuses <= {LineStatus.COMPLETED}:
        status = PrescriptionStatus.COMPLETED
    else:
        status = PrescriptionStatus.ACTIVE
    # Maternity is the patient's insurance situation: carried on a line, it covers the whole ordonnance.
    coverage = Coverage.MATERNITY if any(line.coverage is Coverage.MATERNITY for line in lines) else Coverage.COMMON
    return Prescription(number=number, authored_on=authored, patient=patient_of(patient_res),
                        prescriber=prescriber_of(practitioner, requester), lines=lines, status=status,
                        coverage=coverage)
