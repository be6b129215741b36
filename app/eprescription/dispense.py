"""Domain :class:`~app.domain.delivery.Delivery` ↔ FHIR R4 ``MedicationDispense``.

One dispense per product handed over (a line with two presentations gives two), identified by
``Delivery.dispense_identifier(line)`` (suffixed ``-2``, ``-3`` for further products) so that
sending the same delivery again creates nothing (``ifNoneExist``). A declined line is one dispense
with status ``declined``, quantity 0 and its reason in ``statusReasonCodeableConcept``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from app.domain.delivery import Adjustment, AdjustmentKind, Delivery, LineDelivery
from app.eprescription import systems
from app.eprescription.dosage import concept_text, fhir_datetime
from app.eprescription.fhir_json import Node

# The French substitution reason sent when the patient refused the generic (art. L.162-16-7 CSS).
GENERIC_REFUSED = "refus-generique-patient"


def _substitution(line: LineDelivery) -> dict[str, Any]:
    sub = line.substitution
    if sub is None and line.generic_refusal is not None:  # the princeps, at the patient's request
        return {"wasSubstituted": False,
                "reason": [{"coding": [{"system": systems.FR_SUBSTITUTION_REASON, "code": GENERIC_REFUSED}],
                            "text": line.generic_refusal.summary}]}
    if sub is None:
        return {"wasSubstituted": False}
    reason_system = (systems.V3_SUBSTITUTION_REASON if sub.reason in systems.V3_REASON_CODES
                     else systems.FR_SUBSTITUTION_REASON)
    return {
        "wasSubstituted": True,
        "type": {"coding": [{"system": systems.V3_SUBSTITUTION_TYPE, "code": sub.type}]},
        "reason": [{"coding": [{"system": reason_system, "code": sub.reason}],
                    "text": f"Prescrit : {sub.prescribed}"}],
    }


def _adjustment(adj: Adjustment) -> dict[str, Any]:
    """One adjustment as the complex extension of the contract: the reason, the agreement's date and
    means, and what the counter adds (its kind, what changed, the agreement's time, the legal basis)."""
    parts: list[dict[str, Any]] = [
        {"url": "reason", "valueCoding": {"system": systems.STATUS_REASON, "code": adj.reason_code,
                                          "display": adj.reason_label}}]
    if adj.kind is not None:
        parts.append({"url": "kind", "valueCode": adj.kind.value})
    if adj.detail:
        parts.append({"url": "detail", "valueString": adj.detail})
    if adj.agreement_date is not None:
        parts.append({"url": "agreementDate", "valueDate": adj.agreement_date.isoformat()})
    if adj.agreement_time is not None:
        parts.append({"url": "agreementTime", "valueTime": adj.agreement_time.isoformat(timespec="seconds")})
    if adj.agreement_means:
        parts.append({"url": "agreementMeans", "valueString": adj.agreement_means})
    if adj.legal_basis_code:
        parts.append({"url": "legalBasis", "valueCoding": {"system": systems.ADJUSTMENT_LEGAL_BASIS,
                                                           "code": adj.legal_basis_code,
                                                           "display": adj.legal_basis or adj.legal_basis_code}})
    if adj.informed_means:  # the prescriber informed of an exceptional dispensing (L.5125-23-1 CSP)
        parts.append({"url": "prescriberInformedMeans", "valueString": adj.informed_means})
    if adj.informed_on is not None:
        parts.append({"url": "prescriberInformedOn", "valueDate": adj.informed_on.isoformat()})
    if adj.comment:
        parts.append({"url": "comment", "valueString": adj.comment})
    return {"url": systems.ADJUSTMENT, "extension": parts}


def _performer(function: str, label: str, rpps: str, name: str) -> dict[str, Any]:
    return {"function": {"coding": [{"system": systems.PERFORMER_FUNCTION, "code": function, "display": label}]},
            "actor": {"identifier": {"system": systems.RPPS, "value": rpps}, "display": name}}


def performers(delivery: Delivery) -> list[dict[str, Any]]:
    """Who performed the delivery (docs/team.md): first the pharmacist responsible (the contract's
    ``performer``, function ``finalchecker``), then the préparateur who prepared it (``packager``)
    when he is someone else and is registered in the RPPS (a student or an unregistered préparateur
    has no number the service could read, and the contract identifies performers by RPPS only)."""
    out = [_performer("finalchecker", "Final Checker", delivery.pharmacist_rpps, delivery.pharmacist_name)]
    prepared = delivery.prepared_by
    if prepared is not None and prepared.rpps and prepared.rpps != delivery.pharmacist_rpps:
        out.append(_performer("packager", "Packager", prepared.rpps, prepared.name))
    return out


def dispenses_of(delivery: Delivery, line: LineDelivery) -> list[dict[str, Any]]:
    """The MedicationDispense resources of one line of ``delivery``."""
    base_id = delivery.dispense_identifier(line)
    items = list(line.items) or [None]
    handed = fhir_datetime(delivery.handed_over_at)
    out = []
    for k, item in enumerate(items):
        extensions = [{"url": systems.RENEWAL_INDEX, "valueInteger": line.renewal_index}]
        extensions += [_adjustment(adj) for adj in line.adjustments]
        if item is not None:
            medication = {"coding": [{"system": systems.CIP13, "code": item.cip13, "display": item.name}],
                          "text": item.name}
            qty = item.quantity
        else:
            medication = {"text": line.prescribed}
            qty = 0
        res: dict[str, Any] = {
            "resourceType": "MedicationDispense",
            "extension": extensions,
            "identifier": [{"system": systems.DISPENSE_ID_SYSTEM,
                            "value": base_id if k == 0 else f"{base_id}-{k + 1}"}],
            "status": line.status.value,
            "medicationCodeableConcept": medication,
            "subject": {"display": delivery.patient.display_name},
            "performer": performers(delivery),
            "location": {"identifier": {"system": systems.FINESS, "value": delivery.pharmacy.finess},
                         "display": delivery.pharmacy.name},
            "authorizingPrescription": [{"reference": f"MedicationRequest/{line.line_id}"}],
            "quantity": {"value": qty, "unit": "boîte"},
            "whenHandedOver": handed,
            "dosageInstruction": [{"text": line.posology}] if line.posology else [],
            "substitution": _substitution(line),
        }
        if delivery.patient.nir:
            res["subject"]["identifier"] = {"system": systems.NIR, "value": str(delivery.patient.nir)}
        if line.status.value == "declined" or line.decline_reason:
            res["statusReasonCodeableConcept"] = {"text": line.decline_reason or "Ligne non délivrée"}
        if not res["dosageInstruction"]:
            del res["dosageInstruction"]
        out.append(res)
    return out


def transaction_bundle(delivery: Delivery) -> dict[str, Any]:
    """The ``transaction`` Bundle of contract op 6 for ``delivery``."""
    entries = []
    for line in delivery.lines:
        for res in dispenses_of(delivery, line):
            ident = res["identifier"][0]
            entries.append({"resource": res, "request": {
                "method": "POST", "url": "MedicationDispense",
                "ifNoneExist": f"identifier={ident['system']}|{ident['value']}"}})
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


@dataclass(frozen=True)
class AdjustmentRecord:
    """One adjustment of a dispense as the service reports it (every one, in the order made)."""

    reason_code: str | None
    reason_label: str | None
    kind: AdjustmentKind | None = None
    detail: str | None = None
    agreement_date: date | None = None
    agreement_time: str | None = None  # "HH:MM:SS", as sent
    agreement_means: str | None = None
    legal_basis: str | None = None
    comment: str | None = None
    informed_means: str | None = None  # the prescriber informed of an exceptional dispensing (L.5125-23-1)
    informed_on: date | None = None


def _adjustment_record(ext: Node) -> AdjustmentRecord:
    none = Node(None, f"{ext.path}.extension")
    parts = {e.get("url").string(): e for e in ext.get("extension").objects()}
    reason = parts.get("reason", none).get("valueCoding")
    kind = parts.get("kind", none).get("valueCode").string()
    agreed = parts.get("agreementDate", none).get("valueDate").datetime()
    basis = parts.get("legalBasis", none).get("valueCoding")
    informed = parts.get("prescriberInformedOn", none).get("valueDate").datetime()
    return AdjustmentRecord(
        reason_code=reason.get("code").string(), reason_label=reason.get("display").string(),
        kind=AdjustmentKind(kind) if kind in {k.value for k in AdjustmentKind} else None,
        detail=parts.get("detail", none).get("valueString").string(),
        agreement_date=agreed.date() if agreed else None,
        agreement_time=parts.get("agreementTime", none).get("valueTime").string(),
        agreement_means=parts.get("agreementMeans", none).get("valueString").string(),
        legal_basis=basis.get("display").string() or basis.get("code").string(),
        comment=parts.get("comment", none).get("valueString").string(),
        informed_means=parts.get("prescriberInformedMeans", none).get("valueString").string(),
        informed_on=informed.date() if informed else None)


@dataclass(frozen=True)
class DispenseRecord:
    """A delivery as the service reports it (contract op 7)."""

    identifier: str
    line_id: str | None
    status: str
    medication: str
    cip13: str | None
    quantity: Decimal
    handed_over_at: datetime | None
    pharmacist_rpps: str | None
    finess: str | None
    substituted: bool
    substitution_type: str | None
    substitution_reason: str | None
    decline_reason: str | None
    renewal_index: int
    adjustment_reason: str | None  # the first adjustment's (see ``adjustments`` for every one)
    agreement_date: date | None
    agreement_means: str | None
    adjustments: tuple[AdjustmentRecord, ...] = ()


def _first_code(concept: Node) -> str | None:
    return next((code for code in (c.get("code").string() for c in concept.get("coding").objects()) if code), None)


def dispense_record(res: Any) -> DispenseRecord:
    """Read one MedicationDispense; an element of the wrong JSON type is a MalformedResponse naming it."""
    node = Node.of(res)
    ident = next((v for v in (i.get("value").string() for i in node.get("identifier").objects()) if v), "")
    auths = node.get("authorizingPrescription").objects()
    ref = auths[0].get("reference").string() if auths else None
    med = node.get("medicationCodeableConcept")
    cip13 = next((c.get("code").string() for c in med.get("coding").objects()
                  if c.get("system").string() == systems.CIP13), None)
    performers = node.get("performer").objects()
    actor = performers[0].get("actor") if performers else Node(None, f"{node.path}.performer")
    sub = node.get("substitution")
    reasons = sub.get("reason").objects()
    extensions = node.get("extension").objects()
    exts = {e.get("url").string(): e for e in extensions}
    none = Node(None, f"{node.path}.extension")
    adjustments = tuple(_adjustment_record(e) for e in extensions if e.get("url").string() == systems.ADJUSTMENT)
    first = adjustments[0] if adjustments else AdjustmentRecord(None, None)
    return DispenseRecord(
        identifier=ident,
        line_id=ref.split("/", 1)[1] if ref is not None and "/" in ref else None,
        status=node.get("status").string() or "unknown",
        medication=concept_text(med) or "",
        cip13=cip13,
        quantity=node.get("quantity").get("value").number() or Decimal(0),
        handed_over_at=node.get("whenHandedOver").datetime(),
        pharmacist_rpps=actor.get("identifier").get("value").string(),
        finess=node.get("location").get("identifier").get("value").string(),
        substituted=sub.get("wasSubstituted").boolean() is True,
        substitution_type=_first_code(sub.get("type")),
        substitution_reason=_first_code(reasons[0]) if reasons else None,
        decline_reason=concept_text(node.get("statusReasonCodeableConcept")),
        renewal_index=exts.get(systems.RENEWAL_INDEX, none).get("valueInteger").integer() or 0,
        adjustment_reason=first.reason_code, agreement_date=first.agreement_date,
        agreement_means=first.agreement_means, adjustments=adjustments,
    )
