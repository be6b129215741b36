"""Making example Bundles loadable: the ANS examples reference a patient (``Patient/14602``) and a
prescriber they do not contain, and carry dates from 2021-2025 that would be long expired.

``complete_bundle`` adds, for every reference the Bundle cannot resolve, a demo Patient or
Practitioner (the latter with the RPPS of the prescriber who posts it, since the service only lets a
prescriber write in their own name), replaces a requester given only by identifier with a reference
to that Practitioner, and, unless told to keep them, shifts every date of the prescription by whole
days so that it was written today.
"""

from __future__ import annotations

import copy
import errno
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.domain.errors import ComptoirError
from app.eprescription import systems

DEMO_PATIENT = {
    "name": [{"family": "DURAND", "given": ["Marie"]}],
    "gender": "female",
    "birthDate": "1956-04-12",
    "identifier": [{"system": systems.NIR, "value": "256047511234526"}],
    "address": [{"line": ["8 rue de la Roquette"], "postalCode": "75011", "city": "Paris"}],
}
DEMO_PRACTITIONER_NAME = [{"family": "MARTIN", "given": ["Claire"], "prefix": ["Dr"]}]
DEMO_PRACTITIONER_EXTRA = {
    "qualification": [{"code": {"text": "Médecin généraliste"}}],
    "address": [{"line": ["12 rue des Lilas"], "postalCode": "75011", "city": "Paris"}],
    "telecom": [{"system": "phone", "value": "01 43 00 00 00"}],
}


_FILE_REASONS = {
    errno.ENOENT: "introuvable", errno.EACCES: "permission refusée", errno.EPERM: "permission refusée",
    errno.EISDIR: "c'est un dossier", errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EROFS: "système de fichiers en lecture seule", errno.ENOSPC: "disque plein",
}


def file_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in French for the user."""
    return _FILE_REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def _present(bundle: dict[str, Any], res: dict[str, Any], ref: str) -> bool:
    if ref.startswith("#"):
        ids = [c.get("id") for c in res.get("contained") or []]
        ids += [e.get("resource", {}).get("id") for e in bundle.get("entry") or []]
        return ref[1:] in ids
    for entry in bundle.get("entry") or []:
        r = entry.get("resource") or {}
        if entry.get("fullUrl") == ref or f"{r.get('resourceType')}/{r.get('id')}" == ref:
            return True
    return False


def _new_id(ref: str, fallback: str) -> str:
    tail = ref.rsplit("/", 1)[-1].lstrip("#")
    return tail or fallback


def complete_bundle(bundle: dict[str, Any], *, prescriber_rpps: str, keep_dates: bool = False,
                    now: datetime | None = None) -> dict[str, Any]:
    """A copy of ``bundle`` that a service resolving every reference accepts (see module doc)."""
    bundle = copy.deepcopy(bundle)
    entries = bundle.setdefault("entry", [])
    requests = [e["resource"] for e in entries
                if isinstance(e, dict) and (e.get("resource") or {}).get("resourceType") == "MedicationRequest"]
    added: dict[str, str] = {}
    for mr in requests:
        subject = (mr.get("subject") or {}).get("reference")
        if isinstance(subject, str) and not _present(bundle, mr, subject) and subject not in added:
            pid = _new_id(subject, "patient")
            entries.append({"fullUrl": f"Patient/{pid}",
                            "resource": {"resourceType": "Patient", "id": pid, **copy.deepcopy(DEMO_PATIENT)}})
            added[subject] = f"Patient/{pid}"
        if subject in added:
            mr["subject"] = {"reference": added[subject]}
        requester = mr.get("requester") or {}
        ref = requester.get("reference")
        if isinstance(ref, str) and _present(bundle, mr, ref):
            continue
        key = ref or "identifier"
        if key not in added:
            rid = _new_id(ref or "", "prescripteur")
            entries.append({"fullUrl": f"Practitioner/{rid}", "resource": {
                "resourceType": "Practitioner", "id": rid,
                "identifier": [{"system": systems.RPPS, "value": prescriber_rpps}],
                "name": copy.deepcopy(DEMO_PRACTITIONER_NAME), **copy.deepcopy(DEMO_PRACTITIONER_EXTRA)}})
            added[key] = f"Practitioner/{rid}"
        mr["requester"] = {"reference": added[key]}
    if not keep_dates:
        _rebase_dates(requests, now or datetime.now(UTC))
    return bundle


def _shift(text: Any, delta: timedelta) -> Any:
    if not isinstance(text, str):
        return text
    try:
        if "T" in text:
            return (datetime.fromisoformat(text.replace("Z", "+00:00")) + delta).isoformat()
        return (datetime.fromisoformat(text) + delta).date().isoformat()
    except ValueError:
        return text


def _rebase_dates(requests: list[dict[str, Any]], now: datetime) -> None:
    written = []
    for mr in requests:
        try:
            written.append(datetime.fromisoformat(str(mr["authoredOn"]).replace("Z", "+00:00")))
        except (KeyError, ValueError):
            continue
    if not written:
        return
    first = min(w if w.tzinfo else w.replace(tzinfo=UTC) for w in written)
    delta = timedelta(days=(now.date() - first.astimezone(UTC).date()).days)
    for mr in requests:
        if "authoredOn" in mr:
            mr["authoredOn"] = _shift(mr["authoredOn"], delta)
        periods = [(d.get("timing") or {}).get("repeat", {}).get("boundsPeriod")
                   for d in mr.get("dosageInstruction") or []]
        periods.append((mr.get("dispenseRequest") or {}).get("validityPeriod"))
        for period in periods:
            if isinstance(period, dict):
                for k in ("start", "end"):
                    if k in period:
                        period[k] = _shift(period[k], delta)


def bundle_files(path: str | Path) -> Iterator[Path]:
    """The ``.json`` files of ``path`` (a file, or a folder read in name order)."""
    path = Path(path)
    if path.is_dir():
        yield from sorted(p for p in path.iterdir() if p.suffix == ".json")
    elif path.exists():
        yield path
    else:
        raise ComptoirError(f"Fichier ou dossier introuvable : {path}")


def read_bundle(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ComptoirError(f"Fichier de prescription illisible : {path.name} ({file_reason(exc)})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ComptoirError(f"Fichier de prescription illisible : {path.name} (JSON UTF-8 attendu)",
                            detail=str(exc)) from exc
    except RecursionError as exc:
        raise ComptoirError(f"Fichier de prescription illisible : {path.name} (JSON trop imbriqué)") from exc
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise ComptoirError(f"{path.name} : un Bundle FHIR est attendu")
    return data
