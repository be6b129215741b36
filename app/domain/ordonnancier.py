"""The ordonnancier (legal dispensing register): its entries and the hash chain that seals them.

Why in the domain: what an entry holds, how its hash is computed and how a chain is checked are
rules, independent of the database that stores them. The storage layer keeps the rows append-only;
this module makes any edit made behind its back detectable (each hash covers the previous one).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime

from app.domain.delivery import Delivery

GENESIS_HASH = "0" * 64
_ADDED_WHEN_PRESENT = frozenset({"patient_address"})  # fields hashed only when not empty


@dataclass(frozen=True)
class OrdonnancierEntry:
    """One line of the register: one product handed over (or a correction of an earlier entry)."""

    number: int  # sequential, without gaps, from 1
    recorded_at: datetime  # when the entry was written
    delivered_on: date  # date of the delivery it registers
    delivery_id: str
    ordonnance_number: str
    line_id: str
    patient_name: str
    patient_birth_date: date | None
    prescriber_name: str
    prescriber_rpps: str
    prescription_date: date
    product_name: str
    cip13: str
    quantity: int
    pharmacist_name: str
    pharmacist_rpps: str
    corrects: int | None = None  # number of the entry this one corrects
    reason: str = ""  # why the correction was made
    prescriber_address: str = ""  # the register names the prescriber's address (CSP R. 5132-10)
    patient_address: str = ""  # and the patient's (R. 5132-10); added later: see payload()
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def payload(self) -> dict[str, object]:
        """Every field but ``hash``, as JSON-able values: what the hash covers.

        ``patient_address`` is covered only when present: the entries written before the register
        kept it have none, and their hashes (computed without the field) must still verify. An
        address added behind the register's back to such an entry changes its payload, hence is
        detected like any other edit.
        """
        out: dict[str, object] = {}
        for f in fields(self):
            if f.name == "hash" or (f.name in _ADDED_WHEN_PRESENT and not getattr(self, f.name)):
                continue
            value = getattr(self, f.name)
            out[f.name] = value.isoformat() if isinstance(value, date | datetime) else value
        return out

    def compute_hash(self) -> str:
        """SHA-256 of the canonical JSON of :meth:`payload` (``prev_hash`` included: the chain)."""
        text = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def is_correction(self) -> bool:
        return self.corrects is not None


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of checking the chain: ``ok``, how many entries were checked, the first broken one."""

    ok: bool
    checked: int
    broken_number: int | None = None
    reason: str = ""

    def message(self) -> str:
        """One French sentence for the pharmacist (or an inspector)."""
        if self.ok:
            return f"Ordonnancier intègre : {self.checked} écriture(s) vérifiée(s)."
        return (f"Ordonnancier altéré : écriture n° {self.broken_number} — {self.reason} "
                f"({self.checked} écriture(s) intègre(s) avant elle).")


@dataclass(frozen=True)
class Checkpoint:
    """The register's head as written at one time: its number and hash, kept apart from the entries.

    Why: a hash chain cannot tell that its last entries were removed (what is left is still a
    valid chain), nor that they were removed and replaced by new ones. The heads recorded at each
    write can: the register must still contain every one of them, with the same hash.
    """

    number: int
    hash: str


def verify_entries(entries: Iterable[OrdonnancierEntry],
                   checkpoints: Iterable[Checkpoint] = ()) -> VerifyResult:
    """Check numbering (1, 2, 3 ... without gaps), links and hashes; stop at the first broken entry.

    ``entries`` must come in ascending number order, and ``checkpoints`` too (generators are fine:
    nothing is kept). Each checkpoint must match the entry of its number: entries deleted from the
    end are reported as missing, entries replaced after such a deletion as altered.
    """
    marks = iter(checkpoints)
    mark = next(marks, None)
    expected_number = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in entries:
        if entry.number != expected_number:
            return VerifyResult(False, checked, expected_number if entry.number > expected_number
                                else entry.number,
                                f"numérotation rompue (n° {expected_number} attendu, n° {entry.number} trouvé)")
        if entry.prev_hash != prev_hash:
            return VerifyResult(False, checked, entry.number, "le lien vers l'écriture précédente est rompu")
        if entry.compute_hash() != entry.hash:
            return VerifyResult(False, checked, entry.number, "le contenu a été modifié après son inscription")
        if entry.corrects is not None and not (1 <= entry.corrects < entry.number):
            return VerifyResult(False, checked, entry.number, "rectifie une écriture inexistante")
        while mark is not None and mark.number <= entry.number:
            if mark.number == entry.number and mark.hash != entry.hash:
                return VerifyResult(False, checked, entry.number,
                                    "remplace l'écriture enregistrée sous ce numéro (point de contrôle)")
            mark = next(marks, None)
        prev_hash = entry.hash
        expected_number += 1
        checked += 1
    if mark is not None:
        last = mark.number
        for mark in marks:
            last = max(last, mark.number)
        missing = f"n° {expected_number}" if expected_number == last else f"n° {expected_number} à {last}"
        return VerifyResult(False, checked, expected_number,
                            f"écriture(s) {missing} manquante(s) : supprimée(s) de la fin du registre, "
                            f"qui en comptait {last}")
    return VerifyResult(True, checked)


def entries_for_delivery(delivery: Delivery, *, first_number: int, prev_hash: str,
                         recorded_at: datetime) -> list[OrdonnancierEntry]:
    """The sealed entries registering ``delivery``: one per product handed over, numbered from
    ``first_number`` and chained from ``prev_hash``. Lines not delivered are not registered.
    """
    entries: list[OrdonnancierEntry] = []
    number, link = first_number, prev_hash
    for line in delivery.lines:
        if not line.delivered:
            continue
        for item in line.items:
            if item.quantity <= 0:
                continue
            entry = seal(OrdonnancierEntry(
                number=number, recorded_at=recorded_at, delivered_on=delivery.handed_over_at.date(),
                delivery_id=delivery.delivery_id, ordonnance_number=str(delivery.number),
                line_id=line.line_id, patient_name=delivery.patient.display_name,
                patient_birth_date=delivery.patient.birth_date,
                prescriber_name=delivery.prescriber.display_name,
                prescriber_rpps=delivery.prescriber.rpps or "",
                prescriber_address=delivery.prescriber.address or "",
                patient_address=delivery.patient.address,
                prescription_date=delivery.prescription_date, product_name=item.name, cip13=item.cip13,
                quantity=item.quantity, pharmacist_name=delivery.pharmacist_name,
                pharmacist_rpps=delivery.pharmacist_rpps, prev_hash=link,
            ))
            entries.append(entry)
            number, link = number + 1, entry.hash
    return entries


def seal(entry: OrdonnancierEntry) -> OrdonnancierEntry:
    """``entry`` with its hash filled in."""
    return replace(entry, hash=entry.compute_hash())
