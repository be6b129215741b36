"""Checking and storing-shape of a prescription Bundle posted by a prescriber (contract op 2).

The posted Bundle may use any reference style the ANS examples use (``#id`` to another entry or a
contained resource, ``Type/id``, ``urn:uuid`` full URLs). The sandbox resolves every reference,
refuses what it cannot resolve (422), gives every resource its own id derived from the number,
rewrites the references to ``Type/id``, and sets the number on every line's ``groupIdentifier``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from app.domain.errors import ComptoirError, InvalidIdentifier
from app.domain.identifiers import Rpps
from app.domain.renewal import FIRST_DELIVERY_MONTHS, MAX_TREATMENT_MONTHS, treatment_end
from app.eprescription import systems
from app.eprescription.fhir_read import BundleIndex, line_of
from app.sandbox import values
from app.sandbox.errors import SandboxError, malformed, unresolvable

BUNDLE_TYPES = ("collection", "transaction", "searchset")
DEFAULT_VALIDITY_MONTHS = 3  # a French prescription is to be presented within three months


@dataclass
class PreparedLine:
    resource: dict[str, Any]
    quantity: Decimal | None
    renewals: int
    first_until: date | None = None  # last day of its first delivery
    valid_until: date | None = None  # last day of its renewals (the end of the treatment)
    prescriber_end: date | None = None  # the prescriber's own validityPeriod.end


@dataclass
class PreparedPrescription:
    number: str
    lines: list[PreparedLine]
    included: list[dict[str, Any]]  # Patient, Practitioner, Medications
    others: list[dict[str, Any]] = field(default_factory=list)  # RequestGroup ... kept, not served
    authored_on: datetime = field(default_factory=lambda: datetime.now(UTC))
    validity_end: date | None = None
    objection: bool = False


def parse_datetime(text: Any, where: str) -> datetime:
    """A FHIR ``date`` or ``dateTime`` (with its time zone, as FHIR requires) as an aware datetime;
    a bare date is midnight UTC. Anything else, a year or a month alone included, is malformed."""
    if not isinstance(text, str):
        raise malformed(f"date attendue pour {where}")
    try:
        value = values.fhir_datetime(text)
        if value is None:
            value = datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
    except ValueError as exc:
        raise malformed(f"date invalide pour {where} : « {text[:40]} »") from exc
    return value


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class _Index:
    """The Bundle's resources, found by every way a reference may point at them."""

    def __init__(self, bundle: dict[str, Any]) -> None:
        self.by_key: dict[str, dict[str, Any]] = {}
        self.resources: list[dict[str, Any]] = []
        for n, entry in enumerate(bundle.get("entry") or []):
            if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
                raise malformed(f"entrée {n + 1} du lot sans ressource")
            res = entry["resource"]
            rtype = res.get("resourceType")
            if not isinstance(rtype, str):
                raise malformed(f"entrée {n + 1} du lot sans resourceType")
            self._add(res, entry.get("fullUrl"))

    def _add(self, res: dict[str, Any], full_url: Any = None) -> None:
        self.resources.append(res)
        rid = res.get("id")
        if isinstance(rid, str) and rid:
            self.by_key.setdefault(f"{res['resourceType']}/{rid}", res)
            self.by_key.setdefault(f"#{rid}", res)
        if isinstance(full_url, str) and full_url:
            self.by_key.setdefault(full_url, res)

    def resolve(self, ref: Any, types: tuple[str, ...], holder: dict[str, Any], where: str) -> dict[str, Any]:
        if not isinstance(ref, dict) or not isinstance(ref.get("reference"), str):
            raise unresolvable(f"{where} : référence absente")
        text = ref["reference"]
        found = None
        if text.startswith("#"):
            for res in holder.get("contained") or []:
                if isinstance(res, dict) and f"#{res.get('id')}" == text:
                    found = res
        found = found or self.by_key.get(text)
        if found is None and "/" in text:  # absolute URL ending in Type/id
            found = self.by_key.get("/".join(text.rstrip("/").split("/")[-2:]))
        if found is None or found.get("resourceType") not in types:
            raise unresolvable(f"{where} « {text} »")
        return found


def _rpps_of(res: dict[str, Any]) -> str | None:
    for ident in res.get("identifier") or []:
        if isinstance(ident, dict) and ident.get("system") == systems.RPPS and ident.get("value"):
            try:
                return Rpps.parse(str(ident["value"]), check_key=False)
            except InvalidIdentifier as exc:
                raise SandboxError(422, f"Numéro RPPS du prescripteur invalide : {exc}") from exc
    return None


def _objects(res: dict[str, Any]) -> bool:
    return any(isinstance(e, dict) and e.get("url") == systems.PATIENT_OBJECTION and e.get("valueBoolean") is True
               for e in res.get("extension") or [])


class _Builder:
    def __init__(self, number: str, index: _Index) -> None:
        self.number = number
        self.index = index
        self.new_ids: dict[int, str] = {}  # id(original resource) -> new id
        self.included: list[dict[str, Any]] = []
        self.clones: dict[str, dict[str, Any]] = {}  # new id -> stored copy
        self.med_count = 0

    def adopt(self, res: dict[str, Any], new_id: str) -> str:
        if id(res) not in self.new_ids:
            self.new_ids[id(res)] = new_id
            clone = copy.deepcopy(res)
            clone["id"] = new_id
            clone.pop("meta", None)
            self.included.append(clone)
            self.clones[new_id] = clone
        return f"{res['resourceType']}/{self.new_ids[id(res)]}"

    def medication(self, res: dict[str, Any], holder: dict[str, Any]) -> str:
        if id(res) in self.new_ids:
            return f"Medication/{self.new_ids[id(res)]}"
        self.med_count += 1
        ref = self.adopt(res, f"{self.number}-med{self.med_count}")
        clone = self.clones[ref.split("/", 1)[1]]
        for n, ing in enumerate(clone.get("ingredient") or []):
            if isinstance(ing, dict) and "itemReference" in ing:
                item = self.index.resolve(ing["itemReference"], ("Medication", "Substance"), res,
                                          f"composant {n + 1} du médicament")
                ing["itemReference"] = {"reference": self.medication(item, res)}
        return ref


def prepare(bundle: Any, *, number: str, number_system: str, prescriber_rpps: str,
            now: datetime) -> PreparedPrescription:
    """Check ``bundle`` and shape it for storage under ``number``; raise :class:`SandboxError`.

    Only the fields the service relies on are checked one by one; any other element of an
    unexpected JSON type that trips the preparation makes the request malformed (400).
    """
    try:
        return _prepare(bundle, number=number, number_system=number_system, prescriber_rpps=prescriber_rpps,
                        now=now)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
        raise malformed(f"structure FHIR inattendue ({exc.__class__.__name__})") from exc


def _prepare(bundle: Any, *, number: str, number_system: str, prescriber_rpps: str,
             now: datetime) -> PreparedPrescription:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise malformed("un Bundle FHIR est attendu")
    if bundle.get("type") not in BUNDLE_TYPES:
        raise malformed(f"type de Bundle non accepté : « {bundle.get('type')} »")
    index = _Index(bundle)
    requests = [r for r in index.resources if r["resourceType"] == "MedicationRequest"]
    if not requests:
        raise SandboxError(422, "Le lot ne contient aucune ligne de prescription (MedicationRequest)")
    builder = _Builder(number, index)
    patient_ref = practitioner_ref = None
    lines: list[PreparedLine] = []
    authored: list[datetime] = []
    validity: list[date] = []
    objection = False
    for pos, original in enumerate(requests, start=1):
        where = f"ligne {pos}"
        mr = copy.deepcopy(original)
        patient = index.resolve(mr.get("subject"), ("Patient",), original, f"{where} : patient")
        ref = builder.adopt(patient, f"{number}-pat")
        if patient_ref not in (None, ref):
            raise SandboxError(422, "Toutes les lignes d'une ordonnance doivent concerner le même patient")
        patient_ref = ref
        objection = objection or _objects(patient) or _objects(mr)
        mr["subject"] = {"reference": ref}
        practitioner = _practitioner(index, mr, original, where)
        rpps = _rpps_of(practitioner)
        if rpps is not None and rpps != prescriber_rpps:
            raise SandboxError(403, "Le prescripteur de l'ordonnance doit être le titulaire du jeton (RPPS différent)")
        ref = builder.adopt(practitioner, f"{number}-pra")
        stored = builder.clones[f"{number}-pra"]
        if not isinstance(stored.get("identifier", []), list):
            raise malformed("Practitioner.identifier doit être une liste")
        if _rpps_of(stored) is None:  # identified by the token: the RPPS is written on the copy kept
            stored.setdefault("identifier", []).append({"system": systems.RPPS, "value": prescriber_rpps})
        if practitioner_ref not in (None, ref):
            raise SandboxError(422, "Toutes les lignes d'une ordonnance doivent avoir le même prescripteur")
        practitioner_ref = ref
        mr["requester"] = {"reference": ref}
        if "medicationReference" in mr:
            med = index.resolve(mr["medicationReference"], ("Medication",), original, f"{where} : médicament")
            mr["medicationReference"] = {"reference": builder.medication(med, original)}
        elif not isinstance(mr.get("medicationCodeableConcept"), dict):
            raise SandboxError(422, f"{where} : médicament absent")
        reasons = _reason_observations(index, mr, original, where)
        mr.pop("contained", None)
        mr.pop("meta", None)
        if reasons:  # the line's coverage (ALD, AT/MP) travels with it, contained
            mr["contained"] = reasons
            mr["reasonReference"] = [{"reference": f"#{obs['id']}"} for obs in reasons]
        else:
            mr.pop("reasonReference", None)
        _drop_server_state(mr)
        if mr.get("status", "active") != "active":
            raise SandboxError(422, f"{where} : seule une ligne active peut être prescrite")
        old_group = mr.get("groupIdentifier")
        if isinstance(old_group, dict) and old_group.get("system") != number_system:
            mr.setdefault("identifier", []).append(old_group)
        mr["groupIdentifier"] = {"system": number_system, "value": number}
        mr["id"] = f"{number}-{pos}"
        mr["status"] = "active"
        mr.setdefault("intent", "order")
        if "authoredOn" in mr:
            authored.append(parse_datetime(mr["authoredOn"], f"{where} (authoredOn)"))
        quantity, renewals, end = _dispense_request(mr.get("dispenseRequest"), where)
        lines.append(PreparedLine(mr, quantity, renewals, prescriber_end=end))
    authored_on = min(authored) if authored else now
    for line in lines:
        line.resource.setdefault("authoredOn", authored_on.isoformat())
        line.first_until, line.valid_until = line_validity(line.resource, authored_on.date(), line.prescriber_end)
        validity.append(line.valid_until)
    default_end = add_months(authored_on.date(), DEFAULT_VALIDITY_MONTHS)
    others = [copy.deepcopy(r) for r in index.resources
              if r["resourceType"] not in ("MedicationRequest", "Patient", "Practitioner", "Medication")]
    return PreparedPrescription(number, lines, builder.included, others, authored_on,
                                max(validity) if validity else default_end, objection)


def line_validity(mr: dict[str, Any], prescribed_on: date, prescriber_end: date | None) -> tuple[date, date]:
    """Until when a line may be dispensed: its first delivery, then its renewals.

    The first delivery within three months of the date (art. R.5132-22 CSP for liste I/II; the
    service does not know the product's list, so it applies the three months to every line's first
    delivery — an unlisted line not collected in three months is rare, and the counter knows the list
    and applies :func:`app.domain.renewal.line_validity` itself). Once delivered, a line stays
    fetchable until the end of its prescribed treatment — duration × (1 + renewals) — twelve months at
    most (R.5132-21, R.5132-22), so that "1 mois, à renouveler 5 fois" is collected for six months;
    twelve months when it states no duration. A validity period the prescriber wrote caps both.
    """
    first = add_months(prescribed_on, FIRST_DELIVERY_MONTHS) - timedelta(days=1)
    try:
        line = line_of(mr, BundleIndex({"resourceType": "Bundle", "entry": [{"resource": mr}]}))
        until = treatment_end(prescribed_on, line)
    except (ComptoirError, TypeError, ValueError, AttributeError, ArithmeticError):  # unreadable: 12 months
        until = add_months(prescribed_on, MAX_TREATMENT_MONTHS) - timedelta(days=1)
    until = max(until, first)
    if prescriber_end is not None:
        first, until = min(first, prescriber_end), min(until, prescriber_end)
    return first, until


def _reason_observations(index: _Index, mr: dict[str, Any], original: dict[str, Any],
                         where: str) -> list[dict[str, Any]]:
    """The Observations the line gives as its reasons (``reasonReference``: "en rapport avec une ALD",
    "… un accident du travail", as the ANS IG carries them), copied to be stored contained in the line
    under ids of their own; a reason that is no Observation (a Condition) is not kept, an unresolvable
    one is refused (422)."""
    refs = mr.get("reasonReference")
    if refs is None:
        return []
    if not isinstance(refs, list):
        raise malformed("MedicationRequest.reasonReference doit être une liste")
    kept = []
    for n, ref in enumerate(refs, start=1):
        res = index.resolve(ref, ("Observation", "Condition"), original, f"{where} : motif {n}")
        if res.get("resourceType") == "Observation":
            obs = copy.deepcopy(res)
            obs["id"] = f"reason{n}"
            obs.pop("contained", None)
            kept.append(obs)
    return kept


def _drop_server_state(mr: dict[str, Any]) -> None:
    """What remains to deliver is the service's count: a posted ``remaining`` extension (a fetched
    prescription sent back, or a forged one) is dropped, never believed."""
    extensions = mr.get("extension")
    if extensions is not None and not isinstance(extensions, list):  # op 3 appends the remaining one to it
        raise malformed("MedicationRequest.extension doit être une liste")
    if isinstance(extensions, list):
        kept = [e for e in extensions if not (isinstance(e, dict) and e.get("url") == systems.REMAINING)]
        if kept:
            mr["extension"] = kept
        else:
            mr.pop("extension")


def _practitioner(index: _Index, mr: dict[str, Any], original: dict[str, Any], where: str) -> dict[str, Any]:
    requester = mr.get("requester")
    if isinstance(requester, dict) and "reference" in requester:
        found = index.resolve(requester, ("Practitioner", "PractitionerRole"), original, f"{where} : prescripteur")
        if found["resourceType"] == "PractitionerRole":
            found = index.resolve(found.get("practitioner"), ("Practitioner",), found, f"{where} : prescripteur")
        return found
    if isinstance(requester, dict) and isinstance(requester.get("identifier"), dict):
        wanted = requester["identifier"]
        for res in index.resources:
            if res["resourceType"] == "Practitioner" and any(
                    isinstance(i, dict) and i.get("system") == wanted.get("system") and i.get("value") == wanted.get("value")
                    for i in res.get("identifier") or []):
                return res
    raise unresolvable(f"{where} : prescripteur absent du lot (une ressource Practitioner est attendue)")


def _dispense_request(req: Any, where: str) -> tuple[Decimal | None, int, date | None]:
    if req is None:
        return None, 0, None
    if not isinstance(req, dict):
        raise malformed(f"{where} : dispenseRequest invalide")
    quantity = None
    if isinstance(req.get("quantity"), dict) and "value" in req["quantity"]:
        quantity = values.quantity(req["quantity"]["value"], f"{where} (quantité)")
    renewals = values.renewals(req.get("numberOfRepeatsAllowed", 0), where)
    end = None
    period = req.get("validityPeriod")
    if isinstance(period, dict) and period.get("end"):
        end = parse_datetime(period["end"], f"{where} (fin de validité)").date()
    return quantity, renewals, end
