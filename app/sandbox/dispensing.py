"""Reading a prescription with what remains on each line (op 3), recording deliveries (op 6),
and listing them (op 7).

What remains on a line: ``quantity`` boxes per dispensation (``dispenseRequest.quantity``, when the
prescriber gave it) for the first dispensation and each of the ``numberOfRepeatsAllowed`` renewals.
A dispense says which dispensation it belongs to (the renewal-index extension, 0 by default); the
boxes of one dispensation may not exceed ``quantity`` and its index may not exceed the renewals.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select, tuple_
from sqlalchemy.orm import Session

from app.eprescription import systems
from app.sandbox import values
from app.sandbox.errors import SandboxError, malformed, unresolvable
from app.sandbox.intake import PreparedPrescription
from app.sandbox.models import StoredDispense, StoredLine, StoredPrescription
from app.sandbox.store import ActorInfo, LineContent, SandboxStore

DISPENSE_STATUSES = ("completed", "declined", "stopped")
MAX_ENTRIES = 500  # dispenses in one transaction; a real delivery has a few dozen at most
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


def line_end(line: StoredLine | LineContent, delivered: dict[tuple[str, int], Decimal], fallback: date) -> date:
    """The last day ``line`` may be dispensed now: its first delivery's while nothing was handed
    over on it, then its renewals' (the end of its treatment, see :func:`app.sandbox.intake.line_validity`);
    ``fallback`` (the prescription's end) for a line stored before lines had their own."""
    started = any(line_id == line.id and total > 0 for (line_id, _), total in delivered.items())
    end = line.valid_until if started else line.first_until
    return end or fallback


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
                    disp_t.c.renewal_index, func.sum(disp_t.c.quantity), presc_t.c.first_until)
             .select_from(joined).where(presc_t.c.number == number)
             .group_by(presc_t.c.status, presc_t.c.cancelled_at, presc_t.c.validity_end, disp_t.c.line_id,
                       disp_t.c.renewal_index, presc_t.c.first_until))
    with store.connect() as conn:  # one round trip for what changes
        rows = conn.execute(query).all()
        if not rows:
            raise SandboxError(404, "Ordonnance introuvable : vérifiez le numéro")
        store.ensure_live(rows[0], any(r[3] is not None for r in rows))
        content = store.content(conn, number)
    delivered = {(r[3], int(r[4])): Decimal(r[5] or 0) for r in rows if r[3] is not None}
    fallback = rows[0][2]
    wanted = {INCLUDES[i] for i in includes if i in INCLUDES}
    entries = []
    for line in content.lines:
        resource = json.loads(line.resource_json)
        ext, done = remaining_extension(line, delivered)
        resource.setdefault("extension", []).append(ext)
        if done:
            resource["status"] = "completed"
        else:
            end = line_end(line, delivered, fallback)
            request = resource.setdefault("dispenseRequest", {})
            request["validityPeriod"] = {**(request.get("validityPeriod") or {}), "end": end.isoformat()}
        entries.append({"fullUrl": f"{base}/MedicationRequest/{resource['id']}", "resource": resource,
                        "search": {"mode": "match"}})
    for res in json.loads(content.included_json):
        if res["resourceType"] in wanted:
            entries.append({"fullUrl": f"{base}/{res['resourceType']}/{res['id']}", "resource": res,
                            "search": {"mode": "include"}})
    return {"resourceType": "Bundle", "type": "searchset", "total": len(content.lines), "entry": entries}


class _Entry:
    """One MedicationDispense of a posted transaction, checked before any SQL runs (see values)."""

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
        if not values.is_uri(self.system) or not values.is_string(self.value):
            raise malformed(f"{where} : identifiant de délivrance invalide")
        if not any(isinstance(i, dict) and i.get("system") == self.system and i.get("value") == self.value
                   for i in res.get("identifier") or []):
            raise malformed(f"{where} : l'identifiant de ifNoneExist doit figurer dans la délivrance")
        handed = res.get("whenHandedOver")
        if handed is not None:
            try:
                values.fhir_datetime(handed)
            except ValueError as exc:
                raise malformed(f"{where} : date de remise (whenHandedOver) invalide, date FHIR attendue "
                                "avec l'heure et son fuseau horaire (2026-03-14T09:26:53+01:00)") from exc
        self.status = res.get("status")
        if self.status not in DISPENSE_STATUSES:
            raise SandboxError(422, f"{where} : statut de délivrance non accepté « {self.status} »")
        auth = res.get("authorizingPrescription") or []
        ref = auth[0].get("reference") if isinstance(auth, list) and auth and isinstance(auth[0], dict) else None
        if not isinstance(ref, str) or not ref.startswith("MedicationRequest/"):
            raise unresolvable(f"{where} : ligne de prescription (authorizingPrescription) absente")
        self.line_id = ref.split("/", 1)[1]
        if not values.FHIR_ID.fullmatch(self.line_id):
            raise unresolvable(f"{where} : ligne « {self.line_id[:64]} » inconnue")
        qty = res.get("quantity")
        self.quantity = values.quantity(qty.get("value", 0) if isinstance(qty, dict) else 0, f"{where} (quantité)")
        if self.status == "completed" and self.quantity == 0:
            raise SandboxError(422, f"{where} : une délivrance effectuée doit avoir une quantité")
        self.renewal_index = 0
        self.objection = False
        self.exceptional = False
        for ext in res.get("extension") or []:
            if not isinstance(ext, dict):
                continue
            if ext.get("url") == systems.ADJUSTMENT and _exceptional(ext):
                self.exceptional = True
            if ext.get("url") == systems.RENEWAL_INDEX:
                self.renewal_index = values.renewals(ext.get("valueInteger"), f"{where} (renouvellement)")
            elif ext.get("url") == systems.PATIENT_OBJECTION and ext.get("valueBoolean") is True:
                self.objection = True
        self.product = _product(res)


def _exceptional(adjustment: dict[str, Any]) -> bool:
    """An adjustment extension of kind ``exceptional``: the dispensation supplémentaire exceptionnelle
    of an expired line (art. L.5125-23-1 CSP)."""
    return any(isinstance(p, dict) and p.get("url") == "kind" and p.get("valueCode") == "exceptional"
               for p in adjustment.get("extension") or [])


MAX_EXCEPTIONAL = 3  # art. L.5125-23-1 CSP: three months, one at a time (the counter checks the rest)


def _check_exceptional(session: Session, line: StoredLine, n: int) -> None:
    """An exceptional dispensing is beyond what the line prescribed: the service takes it on a line
    delivered in full, three at most per line (a contraceptive's six months take two)."""
    stored = session.scalars(select(StoredDispense.resource_json).where(
        StoredDispense.line_id == line.id, StoredDispense.status == "completed")).all()
    done = sum(1 for text in stored if any(isinstance(e, dict) and e.get("url") == systems.ADJUSTMENT
                                           and _exceptional(e) for e in json.loads(text).get("extension") or []))
    if done >= MAX_EXCEPTIONAL:
        raise SandboxError(422, f"entrée {n} : {MAX_EXCEPTIONAL} dispensations exceptionnelles déjà enregistrées "
                                "sur cette ligne (art. L.5125-23-1 CSP)")


def _product(resource: dict[str, Any]) -> frozenset[tuple[Any, Any]]:
    """What was handed over, as its codings: part of what makes two dispenses the same one."""
    concept = resource.get("medicationCodeableConcept")
    codings = concept.get("coding") if isinstance(concept, dict) else None
    return frozenset((c.get("system"), c.get("code")) for c in codings or [] if isinstance(c, dict)
                     and isinstance(c.get("system"), str) and isinstance(c.get("code"), str))


def same_dispense(found: StoredDispense, entry: _Entry, actor: ActorInfo) -> bool:
    """Whether ``entry`` repeats the dispense already recorded under its identifier.

    A repeat is what the outbox sends again when the answer to the first send was lost: the same
    pharmacy, line, dispensation, status, boxes and product. The rest of the resource (texts, the
    order of extensions, how the time is written) may differ between two versions of the pharmacy
    software sending the same delivery, so it is not compared: those fields do not change what the
    service counts."""
    return (found.finess == actor.finess and found.line_id == entry.line_id and found.status == entry.status
            and Decimal(found.quantity) == entry.quantity and found.renewal_index == entry.renewal_index
            and _product(json.loads(found.resource_json)) == entry.product)


def record(store: SandboxStore, bundle: Any, actor: ActorInfo) -> dict[str, Any]:
    """Contract op 6: all or nothing; an identifier already recorded creates nothing new.

    Repeating a recorded dispense (same identifier, :func:`same_dispense`) answers ``200 OK`` with
    its location, whatever happened to the prescription since (claim released, cancelled): the
    answer to a repeat is the answer to the first send. The same identifier on a different dispense
    (another pharmacy's, or other boxes) is refused with 422: the contract makes the identifier
    unique and keeps 409 for "claimed elsewhere"; answering 200 would tell the sender its delivery
    is stored when it is not. A new dispense needs the recording pharmacy's claim
    (:meth:`SandboxStore.check_recorder`).

    Two identical transactions racing both succeed: the prescriptions are locked BEFORE the
    identifiers are looked up, so the second one sees the first one's rows once it gets the lock.
    The same identifier racing on two different prescriptions (two locks) makes one insert fail on
    the unique constraint; the transaction is then run again, and sees the winner's row.
    """
    if not actor.is_pharmacy:
        raise SandboxError(403, "Opération réservée aux pharmacies")
    if actor.role != "pharmacist":
        raise SandboxError(403, "Seul un pharmacien peut valider une délivrance")
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
        raise malformed("un Bundle de type transaction est attendu")
    raw = bundle.get("entry")
    if not isinstance(raw, list) or not raw:
        raise malformed("transaction vide")
    if len(raw) > MAX_ENTRIES:  # one query names every identifier: bounded below SQLite's variable limit
        raise SandboxError(422, f"Transaction trop longue : {MAX_ENTRIES} délivrances au plus par envoi")
    try:
        entries = [_Entry(n, e) for n, e in enumerate(raw, start=1)]
    except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
        raise malformed(f"structure FHIR inattendue ({exc.__class__.__name__})") from exc
    return store.write_retrying(lambda session: _record(store, session, entries, actor))


def _record(store: SandboxStore, session: Session, entries: list[_Entry], actor: ActorInfo) -> dict[str, Any]:
    now = store.clock()
    line_ids = sorted({e.line_id for e in entries})
    lines = {line.id: line for line in session.scalars(select(StoredLine).where(StoredLine.id.in_(line_ids)))}
    for n, entry in enumerate(entries, start=1):
        if entry.line_id not in lines:
            raise unresolvable(f"entrée {n} : ligne « {entry.line_id} » inconnue")
    prescriptions = {number: store.lock_prescription(session, number)  # sorted: no deadlock between two
                     for number in sorted({line.number for line in lines.values()})}
    keys = list({(e.system, e.value) for e in entries})
    existing = {(d.identifier_system, d.identifier_value): d for d in session.scalars(
        select(StoredDispense).where(tuple_(StoredDispense.identifier_system,
                                            StoredDispense.identifier_value).in_(keys)))}
    checked: dict[str, dict[tuple[str, int], Decimal]] = {}  # number -> delivered so far
    answers: list[dict[str, Any]] = []
    for n, entry in enumerate(entries, start=1):
        if entry.exceptional:  # beyond the prescription: counted as its last dispensation, never a renewal more
            entry.renewal_index = min(entry.renewal_index, lines[entry.line_id].renewals)
        found = existing.get((entry.system, entry.value))
        if found is not None:
            if not same_dispense(found, entry, actor):
                raise SandboxError(422, f"entrée {n} : identifiant de délivrance « {entry.value[:80]} » déjà "
                                        "utilisé pour une autre délivrance ; rien n'a été enregistré")
            answers.append({"response": {"status": "200 OK",
                                         "location": f"MedicationDispense/md{found.id}/_history/1"}})
            continue
        line = lines[entry.line_id]
        presc = prescriptions[line.number]
        if line.number not in checked:
            checked[line.number] = _delivered(session, line.number)
            store.ensure_live(presc, any(total > 0 for total in checked[line.number].values()))
            store.check_recorder(presc, actor, now)
        delivered = checked[line.number]
        if entry.status == "completed":
            end = line_end(line, delivered, presc.validity_end)
            if now.date() > end:
                raise SandboxError(410, f"entrée {n} : ligne expirée, sa délivrance devait avoir lieu au plus tard "
                                        f"le {end:%d/%m/%Y}")
            if entry.exceptional:
                _check_exceptional(session, line, n)
            else:
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
        resource = dict(entry.resource, id=f"md{row.id}")
        row.resource_json = json.dumps(resource)
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



def as_served(prepared: PreparedPrescription) -> dict[str, Any]:
    """The searchset op 3 would answer for a prescription just submitted (nothing delivered yet):
    its lines with what remains and their validity, and the included resources. ``comptoir propose
    FILE`` reads a prescriber's Bundle through it, so that the counter sees it as fetched."""
    entries = []
    for line in prepared.lines:
        content = LineContent(line.resource["id"], "", line.quantity, line.renewals, line.first_until,
                              line.valid_until)
        resource = json.loads(json.dumps(line.resource))
        ext, _ = remaining_extension(content, {})
        resource.setdefault("extension", []).append(ext)
        end = line_end(content, {}, prepared.validity_end or line.valid_until or date.max)
        request = resource.setdefault("dispenseRequest", {})
        request["validityPeriod"] = {**(request.get("validityPeriod") or {}), "end": end.isoformat()}
        entries.append({"fullUrl": f"MedicationRequest/{resource['id']}", "resource": resource,
                        "search": {"mode": "match"}})
    for res in prepared.included:
        entries.append({"fullUrl": f"{res['resourceType']}/{res['id']}", "resource": res, "search": {"mode": "include"}})
    return {"resourceType": "Bundle", "type": "searchset", "total": len(prepared.lines), "entry": entries}
