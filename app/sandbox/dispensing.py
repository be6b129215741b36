"""Reading a prescription with what remains on each line (op 3), recording deliveries (op 6),
and listing them (op 7).

What remains on a line: ``quantity`` boxes per dispensation (``dispenseRequest.quantity``, when the
prescriber gave it) for the first dispensation and each of the ``numberOfRepeatsAllowed`` renewals.
A dispense says which dispensation it belongs to (the renewal-index extension, 0 by default); the
boxes of one dispensation may not exceed ``quantity`` and its index may not exceed the renewals.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, func, select, tuple_
from sqlalchemy.orm import Session

from app.eprescription import systems
from app.sandbox.errors import SandboxError, malformed, unresolvable
from app.sandbox.models import StoredDispense, StoredLine, StoredPrescription
from app.sandbox.store import ActorInfo, LineContent, SandboxStore, aware

DISPENSE_STATUSES = ("completed", "declined", "stopped")
# FHIR R4 dateTime: a time needs a time zone (Z or ±hh:mm); a date alone is allowed.
FHIR_DATETIME = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?")
INCLUDES = {
    "MedicationRequest:subject": "Patient",
    "MedicationRequest:requester": "Practitioner",
    "MedicationRequest:medication": "Medication",
}


def _delivered(session: Session | Connection, number: str) -> dict[tuple[str, int], Decimal]:
    rows = session.execute(
        select(StoredDispense.line_id, StoredDispense.renewal_index, func.sum(StoredDispense.quantity))
        .where(StoredDispense.number == number, StoredDispense.status == "completed")
        .group_by(StoredDispense.line_id, StoredDispense.renewal_index))
    return {(line_id, int(idx)): Decimal(total or 0) for line_id, idx, total in rows}


def _fmt(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def boxes(value: Decimal) -> str:
    """``1 boîte``, ``2 boîtes``, ``0,5 boîte``: French takes the plural from 2 on."""
    return f"{str(_fmt(value)).replace('.', ',')} {'boîtes' if value >= 2 else 'boîte'}"


def remaining_extension(line: StoredLine | LineContent, delivered: dict[tuple[str, int], Decimal]) -> tuple[dict, bool]:
    """The sandbox's "remaining" extension of a line, and whether nothing remains."""
    mine = {idx: total for (line_id, idx), total in delivered.items() if line_id == line.id}
    total = sum(mine.values(), Decimal(0))
    used = max(mine) if mine else -1
    renewals_left = line.renewals - max(used, 0) if mine else line.renewals
    parts: list[dict[str, Any]] = [{"url": "delivered", "valueDecimal": _fmt(total)},
                                   {"url": "renewals", "valueInteger": renewals_left}]
    done = False
    if line.quantity is not None:
        left = max(line.quantity * (1 + line.renewals) - total, Decimal(0))
        parts.insert(0, {"url": "quantity", "valueDecimal": _fmt(left)})
        done = left == 0
    return {"url": systems.REMAINING, "extension": parts}, done


def search(store: SandboxStore, number: str, actor: ActorInfo, includes: list[str], base: str) -> dict[str, Any]:
    """Contract op 3: the lines with what remains, plus the included resources.

    The hot path of the service: plain Core queries for what changes (status, deliveries) and the
    store's cache for what never does once submitted (lines and included resources).
    """
    if not actor.is_pharmacy:
        raise SandboxError(403, "Consultation de l'ordonnance réservée aux pharmacies")
    presc_t, disp_t = StoredPrescription.__table__, StoredDispense.__table__
    joined = presc_t.outerjoin(disp_t, (disp_t.c.number == presc_t.c.number) & (disp_t.c.status == "completed"))
    query = (select(presc_t.c.status, presc_t.c.cancelled_at, presc_t.c.validity_end, disp_t.c.line_id,
                    disp_t.c.renewal_index, func.sum(disp_t.c.quantity))
             .select_from(joined).where(presc_t.c.number == number)
             .group_by(presc_t.c.status, presc_t.c.cancelled_at, presc_t.c.validity_end, disp_t.c.line_id,
                       disp_t.c.renewal_index))
    with store.connect() as conn:  # one round trip for what changes
        rows = conn.execute(query).all()
        if not rows:
            raise SandboxError(404, "Ordonnance introuvable : vérifiez le numéro")
        store.ensure_live(rows[0])
        content = store.content(conn, number)
    delivered = {(r[3], int(r[4])): Decimal(r[5] or 0) for r in rows if r[3] is not None}
    wanted = {INCLUDES[i] for i in includes if i in INCLUDES}
    entries = []
    for line in content.lines:
        resource = json.loads(line.resource_json)
        ext, done = remaining_extension(line, delivered)
        resource.setdefault("extension", []).append(ext)
        if done:
            resource["status"] = "completed"
        entries.append({"fullUrl": f"{base}/MedicationRequest/{resource['id']}", "resource": resource,
                        "search": {"mode": "match"}})
    for res in json.loads(content.included_json):
        if res["resourceType"] in wanted:
            entries.append({"fullUrl": f"{base}/{res['resourceType']}/{res['id']}", "resource": res,
                            "search": {"mode": "include"}})
    return {"resourceType": "Bundle", "type": "searchset", "total": len(content.lines), "entry": entries}


class _Entry:
    """One MedicationDispense of a posted transaction, checked."""

    def __init__(self, n: int, entry: Any) -> None:
        where = f"entrée {n}"
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            raise malformed(f"{where} sans ressource")
        res = self.resource = entry["resource"]
        if res.get("resourceType") != "MedicationDispense":
            raise malformed(f"{where} : seules des délivrances (MedicationDispense) sont acceptées")
        request = entry.get("request") or {}
        if not isinstance(request, dict) or request.get("method") != "POST":
            raise malformed(f"{where} : request.method POST attendu")
        cond = request.get("ifNoneExist")
        if not isinstance(cond, str) or not cond.startswith("identifier=") or "|" not in cond:
            raise malformed(f"{where} : request.ifNoneExist « identifier=système|valeur » attendu")
        self.system, self.value = cond[len("identifier="):].split("|", 1)
        if not self.system or not self.value or len(self.system) > 255 or len(self.value) > 255:
            raise malformed(f"{where} : identifiant de délivrance invalide")
        if not any(isinstance(i, dict) and i.get("system") == self.system and i.get("value") == self.value
                   for i in res.get("identifier") or []):
            raise malformed(f"{where} : l'identifiant de ifNoneExist doit figurer dans la délivrance")
        handed = res.get("whenHandedOver")
        if handed is not None and not (isinstance(handed, str) and FHIR_DATETIME.fullmatch(handed)):
            raise malformed(f"{where} : date de remise (whenHandedOver) invalide, fuseau horaire requis")
        self.status = res.get("status")
        if self.status not in DISPENSE_STATUSES:
            raise SandboxError(422, f"{where} : statut de délivrance non accepté « {self.status} »")
        auth = res.get("authorizingPrescription") or []
        ref = auth[0].get("reference") if auth and isinstance(auth[0], dict) else None
        if not isinstance(ref, str) or not ref.startswith("MedicationRequest/"):
            raise unresolvable(f"{where} : ligne de prescription (authorizingPrescription) absente")
        self.line_id = ref.split("/", 1)[1]
        qty = (res.get("quantity") or {}).get("value", 0) if isinstance(res.get("quantity"), dict) else 0
        try:
            self.quantity = Decimal(str(qty))
        except (InvalidOperation, ValueError) as exc:
            raise malformed(f"{where} : quantité illisible") from exc
        if not self.quantity.is_finite() or self.quantity < 0:
            raise SandboxError(422, f"{where} : quantité négative")
        if self.status == "completed" and self.quantity == 0:
            raise SandboxError(422, f"{where} : une délivrance effectuée doit avoir une quantité")
        self.renewal_index = 0
        self.objection = False
        for ext in res.get("extension") or []:
            if not isinstance(ext, dict):
                continue
            if ext.get("url") == systems.RENEWAL_INDEX:
                idx = ext.get("valueInteger")
                if not isinstance(idx, int) or isinstance(idx, bool) or idx < 0:
                    raise malformed(f"{where} : numéro de renouvellement invalide")
                self.renewal_index = idx
            elif ext.get("url") == systems.PATIENT_OBJECTION and ext.get("valueBoolean") is True:
                self.objection = True


def record(store: SandboxStore, bundle: Any, actor: ActorInfo) -> dict[str, Any]:
    """Contract op 6: all or nothing; an identifier already recorded creates nothing new."""
    if not actor.is_pharmacy:
        raise SandboxError(403, "Opération réservée aux pharmacies")
    if actor.role != "pharmacist":
        raise SandboxError(403, "Seul un pharmacien peut valider une délivrance")
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
        raise malformed("un Bundle de type transaction est attendu")
    raw = bundle.get("entry")
    if not isinstance(raw, list) or not raw:
        raise malformed("transaction vide")
    try:
        entries = [_Entry(n, e) for n, e in enumerate(raw, start=1)]
    except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
        raise malformed(f"structure FHIR inattendue ({exc.__class__.__name__})") from exc
    now = store.clock()
    answers: list[dict[str, Any]] = []
    with store.write() as session:
        keys = list({(e.system, e.value) for e in entries})
        existing = {(d.identifier_system, d.identifier_value): d for d in session.scalars(
            select(StoredDispense).where(tuple_(StoredDispense.identifier_system,
                                                StoredDispense.identifier_value).in_(keys)))}
        checked: dict[str, tuple[StoredPrescription, StoredLine, dict]] = {}
        for n, entry in enumerate(entries, start=1):
            found = existing.get((entry.system, entry.value))
            if found is not None:
                answers.append({"response": {"status": "200 OK",
                                             "location": f"MedicationDispense/md{found.id}/_history/1"}})
                continue
            if entry.line_id not in checked:
                line = session.get(StoredLine, entry.line_id)
                if line is None:
                    raise unresolvable(f"entrée {n} : ligne « {entry.line_id} » inconnue")
                presc = store.lock_prescription(session, line.number)
                store.ensure_live(presc)
                expires = aware(presc.claim_expires_at)
                if presc.claim_finess not in (None, actor.finess) and expires and expires > now:
                    raise SandboxError(409, "Ordonnance en cours de délivrance dans une autre pharmacie")
                checked[entry.line_id] = (presc, line, _delivered(session, line.number))
            presc, line, delivered = checked[entry.line_id]
            if entry.status == "completed":
                _check_quantity(line, entry, delivered, n)
                key = (line.id, entry.renewal_index)
                delivered[key] = delivered.get(key, Decimal(0)) + entry.quantity
            if entry.objection:
                presc.patient_objection = True
            row = StoredDispense(identifier_system=entry.system, identifier_value=entry.value,
                                 number=line.number, line_id=line.id, finess=actor.finess, status=entry.status,
                                 quantity=entry.quantity, renewal_index=entry.renewal_index,
                                 resource_json="{}", recorded_at=now)
            session.add(row)
            session.flush()
            entry.resource["id"] = f"md{row.id}"
            row.resource_json = json.dumps(entry.resource)
            existing[(entry.system, entry.value)] = row
            answers.append({"response": {"status": "201 Created",
                                         "location": f"MedicationDispense/md{row.id}/_history/1"}})
    return {"resourceType": "Bundle", "type": "transaction-response", "entry": answers}


def _check_quantity(line: StoredLine, entry: _Entry, delivered: dict, n: int) -> None:
    if entry.renewal_index > line.renewals:
        raise SandboxError(422, f"entrée {n} : plus aucun renouvellement autorisé sur cette ligne "
                                f"({line.renewals} {'prévus' if line.renewals >= 2 else 'prévu'})")
    if line.quantity is None:
        return
    already = delivered.get((line.id, entry.renewal_index), Decimal(0))
    left = line.quantity - already
    if entry.quantity > left:
        raise SandboxError(422, f"entrée {n} : quantité supérieure à ce qui reste à délivrer "
                                f"(reste {boxes(max(left, Decimal(0)))})")


def dispenses(store: SandboxStore, number: str, actor: ActorInfo, base: str) -> dict[str, Any]:
    """Contract op 7: a pharmacy, or the prescriber who wrote it unless the patient objected."""
    with store.read() as session:
        presc = session.get(StoredPrescription, number)
        if presc is None:
            raise SandboxError(404, "Ordonnance introuvable : vérifiez le numéro")
        if not actor.is_pharmacy:
            if presc.prescriber_rpps != actor.rpps:
                raise SandboxError(403, "Seul le prescripteur de l'ordonnance peut en voir les délivrances")
            if presc.patient_objection:
                raise SandboxError(403, "Le patient s'est opposé à la consultation de ses délivrances "
                                        "par le prescripteur")
        rows = session.scalars(select(StoredDispense).where(StoredDispense.number == number)
                               .order_by(StoredDispense.id)).all()
        resources = [json.loads(r.resource_json) for r in rows]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(resources),
            "entry": [{"fullUrl": f"{base}/MedicationDispense/{r['id']}", "resource": r,
                       "search": {"mode": "match"}} for r in resources]}

