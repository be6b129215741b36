"""The ordonnancier (legal dispensing register): its entries, the keyed chain that seals them, and the
witnesses a chain is checked against.

Why in the domain: what an entry holds, how it is sealed and how a register is checked are rules,
independent of the database that stores them.

The law (Code de la santé publique, R. 5132-9): a computerised register must be a system "ne
permettant aucune modification des données qu'il contient après validation de leur enregistrement",
whose data sit "sur un support garantissant leur pérennité et leur intégrité" and are "dupliquées
sur deux supports distincts". R. 5132-10 lists what each entry names and asks for one order number
per product delivered. So:

- Each entry is sealed by **HMAC-SHA256 with the pharmacy's key**, a secret kept outside the
  database (OS keyring or a private file on each workstation), over its fields and the seal of the
  entry before it: whoever edits the database without the key can neither change an entry nor
  reseal the chain after an edit (plain SHA-256 could be recomputed by anyone: ``seal(entry, None)``
  is how registers were sealed before the key, and is kept only to verify them).
- A register written before the key keeps its SHA-256 chain up to :attr:`KeyingStart.legacy_last`;
  the switch itself (that number and the seal of that entry) is sealed with the key, so the unkeyed
  part cannot be rewritten afterwards either (its head would no longer match).
- A chain cannot tell that its last entries were removed. **Witnesses** kept elsewhere can: the
  checkpoints written with each entry, the daily closings (sealed with the key) and their copy in
  each workstation's anchor file, the rows of an earlier export. Each says "entry n existed, with
  this seal"; the register must still show every one of them.

What this cannot do: someone holding the key, the database and every witness can rewrite history
consistently. See README, "Ordonnancier".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime

from app.domain.delivery import AdjustmentKind, DeliveredItem, Delivery, LineDelivery
from app.domain.errors import ComptoirError
from app.domain.notices import Notice

GENESIS_HASH = "0" * 64
KEY_BYTES = 32
_ADDED_WHEN_PRESENT = frozenset({"patient_address", "list_class", "bearer", "mention"})  # fields hashed only when not empty
_KEY_TEXT_PREFIX = "comptoir-ordonnancier-cle-v1"


def _canonical(payload: dict[str, object]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def digest(payload: dict[str, object], key: bytes | None) -> str:
    """HMAC-SHA256 of the canonical JSON of ``payload`` with ``key``; plain SHA-256 when ``key`` is None
    (registers written before the key)."""
    data = _canonical(payload)
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two seals."""
    return a is not None and b is not None and hmac.compare_digest(a, b)


# --- the key ---------------------------------------------------------------------------------------


class InvalidRegisterKey(ComptoirError):
    """A key text that is not a register key (typing error, truncated copy)."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_id(key: bytes) -> str:
    """A short name for ``key`` (16 hex digits), stored in the database: it says which key seals the
    register without revealing it (an HMAC of a constant)."""
    return hmac.new(key, b"comptoir/ordonnancier/key-id", hashlib.sha256).hexdigest()[:16]


def key_to_text(key: bytes) -> str:
    """One line to carry the key to another workstation: prefix, key id, key in base64url."""
    return f"{_KEY_TEXT_PREFIX}:{key_id(key)}:{base64.urlsafe_b64encode(key).decode('ascii')}"


def key_from_text(text: str) -> bytes:
    """The key in ``text`` (as written by :func:`key_to_text`); the key id is its checksum."""
    parts = "".join(text.split()).split(":")
    if len(parts) != 3 or parts[0] != _KEY_TEXT_PREFIX:
        raise InvalidRegisterKey("Clé du registre invalide : le texte ne commence pas par "
                                 f"« {_KEY_TEXT_PREFIX}: » (copiez la ligne entière)")
    try:
        key = base64.urlsafe_b64decode(parts[2].encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise InvalidRegisterKey("Clé du registre invalide : texte tronqué ou modifié") from exc
    if len(key) != KEY_BYTES or key_id(key) != parts[1]:
        raise InvalidRegisterKey("Clé du registre invalide : texte tronqué ou modifié")
    return key


# --- entries ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrdonnancierEntry:
    """One line of the register: one product handed over (or a correction of an earlier entry)."""

    number: int  # sequential, without gaps, from 1
    recorded_at: datetime  # when the entry was written (UTC, naive)
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
    list_class: str = ""  # "liste I", "liste II", "stupéfiant", "assimilé stupéfiant"; "" written before it was kept
    bearer: str = ""  # who took a stupéfiant away when not the patient (R. 5132-35): name, address, document
    mention: str = ""  # how it was dispensed: "Dispensation supplémentaire exceptionnelle …" (L.5125-23-1)
    prev_hash: str = GENESIS_HASH
    hash: str = ""  # the seal: HMAC with the pharmacy's key (SHA-256 for entries before the key)

    def payload(self) -> dict[str, object]:
        """Every field but ``hash``, as JSON-able values: what the seal covers.

        ``patient_address``, ``list_class``, ``bearer`` and ``mention`` are covered only when present: the entries
        written before the register kept them have none, and their hashes (computed without the
        fields) must still verify. A value added behind the register's back to such an entry changes
        its payload, hence is detected like any other edit.
        """
        out: dict[str, object] = {}
        for name in _ENTRY_FIELDS:
            value = getattr(self, name)
            if name in _ADDED_WHEN_PRESENT and not value:
                continue
            out[name] = value.isoformat() if isinstance(value, date) else value  # datetime is a date
        return out

    def compute_hash(self, key: bytes | None = None) -> str:
        """The seal of :meth:`payload` (``prev_hash`` included: the chain): HMAC-SHA256 with ``key``,
        SHA-256 without (how entries were sealed before the key)."""
        return digest(self.payload(), key)

    @property
    def is_correction(self) -> bool:
        return self.corrects is not None


_ENTRY_FIELDS = tuple(f.name for f in fields(OrdonnancierEntry) if f.name != "hash")


def seal(entry: OrdonnancierEntry, key: bytes | None) -> OrdonnancierEntry:
    """``entry`` with its seal filled in; ``key`` None only for the unkeyed registers of old."""
    return replace(entry, hash=entry.compute_hash(key))


NARCOTIC = "stupéfiant"
REGISTERED_CLASSES = ("liste I", "liste II", NARCOTIC, "assimilé stupéfiant")


def registered_item(item: DeliveredItem) -> bool:
    """Whether the ordonnancier takes the product: "les médicaments relevant des listes I et II et les
    stupéfiants" and what follows their rules (art. R.5132-10 CSP; an "assimilé stupéfiant" is a
    liste I medicine under part of the stupéfiant rules, R.5132-39). A product the list class of
    which is unknown (a record written before it was kept) is registered, as everything was then."""
    return item.quantity > 0 and (item.register_class is None or item.register_class in REGISTERED_CLASSES)


def bearer_of(delivery: Delivery, item: DeliveredItem) -> str:
    """Who took a stupéfiant (or an assimilé) away when not the patient, as the register writes it
    (art. R.5132-35 CSP: "les nom et adresse du porteur" with his identity document); "" otherwise: the
    bearer of the other products of the delivery is not the register's business."""
    if delivery.bearer is None or item.register_class not in (NARCOTIC, "assimilé stupéfiant"):
        return ""
    return delivery.bearer.text()


def mention_of(line: LineDelivery) -> str:
    """What the register says of how a line was dispensed: the exceptional dispensing of an expired
    ordonnance (art. L.5125-23-1 CSP; R.5134-4-2 2° asks it registered for contraceptives), "" else."""
    return "; ".join(a.detail for a in line.adjustments if a.kind is AdjustmentKind.EXCEPTIONAL and a.detail)


def entries_for_delivery(delivery: Delivery, *, first_number: int, prev_hash: str, recorded_at: datetime,
                         key: bytes | None) -> list[OrdonnancierEntry]:
    """The sealed entries registering ``delivery``: one per product handed over that the register
    takes (:func:`registered_item`), numbered from ``first_number`` and chained from ``prev_hash``.
    Lines not delivered and products of no list are not registered.
    """
    entries: list[OrdonnancierEntry] = []
    number, link = first_number, prev_hash
    for line in delivery.lines:
        if not line.delivered:
            continue
        for item in line.items:
            if not registered_item(item):
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
                pharmacist_rpps=delivery.pharmacist_rpps, list_class=item.register_class or "",
                bearer=bearer_of(delivery, item), mention=mention_of(line), prev_hash=link,
            ), key)
            entries.append(entry)
            number, link = number + 1, entry.hash
    return entries


def registers_something(delivery: Delivery) -> bool:
    """Whether :func:`entries_for_delivery` writes at least one entry for ``delivery``."""
    return any(line.delivered and any(registered_item(i) for i in line.items) for line in delivery.lines)


def missing_register_items(delivery: Delivery) -> list[str]:
    """What the register must name and the delivery lacks (French warnings shown at recording): the
    prescriber's and the patient's addresses (art. R.5132-10 CSP), for a delivery that registers
    something. The entry is written all the same — the product was handed over — and the pharmacist
    completes the paper side."""
    if not registers_something(delivery):
        return []
    missing = []
    if not (delivery.prescriber.address or "").strip():
        missing.append(Notice("Ordonnancier : l'adresse du prescripteur manque (art. R.5132-10 CSP), "
                              "complétez-la sur l'ordonnance.", "register_no_prescriber_address"))
    if not delivery.patient.address.strip():
        missing.append(Notice("Ordonnancier : l'adresse du patient manque (art. R.5132-10 CSP), demandez-la au "
                              "patient.", "register_no_patient_address"))
    return missing


# --- the switch to the key, and the daily closings -------------------------------------------------


@dataclass(frozen=True)
class KeyingStart:
    """Where the keyed chain starts: entries up to ``legacy_last`` were sealed without a key (written
    before this version), the others with the key ``key_id``. ``legacy_head`` is the seal of entry
    ``legacy_last`` (GENESIS for a register started with the key). Sealed with the key at the first
    keyed write (``mac``); until then ``key_id`` and ``mac`` are empty."""

    legacy_last: int
    legacy_head: str
    created_at: datetime  # when the migration recorded the switch
    key_id: str | None = None
    workstation: str = ""
    sealed_at: datetime | None = None
    mac: str | None = None

    @property
    def sealed(self) -> bool:
        return self.mac is not None

    def payload(self) -> dict[str, object]:
        return {"kind": "keying", "legacy_last": self.legacy_last, "legacy_head": self.legacy_head,
                "created_at": _jsonable(self.created_at), "register": self.key_id,
                "workstation": self.workstation, "sealed_at": _jsonable(self.sealed_at)}

    def compute_mac(self, key: bytes) -> str:
        return digest(self.payload(), key)


@dataclass(frozen=True)
class Closing:
    """A daily closing: at the end of ``day`` the register's last entry was ``number``, sealed ``head``.

    Written in the database and, as the same sealed line, in the anchor file of the workstation that
    closed (and copied to the others' files): the register's head, kept outside the database.
    """

    register: str  # key id of the register
    day: date
    number: int
    head: str
    closed_at: datetime  # UTC, naive
    workstation: str
    mac: str = ""

    def payload(self) -> dict[str, object]:
        return {"kind": "closing", "register": self.register, "day": self.day.isoformat(),
                "number": self.number, "head": self.head, "closed_at": _jsonable(self.closed_at),
                "workstation": self.workstation}

    def compute_mac(self, key: bytes) -> str:
        return digest(self.payload(), key)

    def sealed(self, key: bytes) -> Closing:
        return replace(self, mac=self.compute_mac(key))


def days_to_close(recorded: Iterable[tuple[int, date]], *, through: date) -> list[tuple[date, int]]:
    """(day, last number of that day) for every day up to ``through`` (included) that has entries.

    ``recorded``: (number, local day it was written) of the entries not yet closed, in number order.
    A day's head is the highest number written that day or before (a workstation's clock slightly
    behind does not move a closed head back).
    """
    heads: dict[date, int] = {}
    for number, day in recorded:
        if day <= through:
            heads[day] = max(heads.get(day, 0), number)
    out: list[tuple[date, int]] = []
    top = 0
    for day in sorted(heads):
        top = max(top, heads[day])
        out.append((day, top))
    return out


# --- checking --------------------------------------------------------------------------------------


def fr_day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


@dataclass(frozen=True)
class Witness:
    """What a record kept apart from the entries says: entry ``number`` existed, sealed ``hash``
    (None: it existed, seal unknown). ``source`` names the record in French for the message."""

    number: int
    hash: str | None
    source: str = "point de contrôle"
    on: date | None = None


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the register: the entry concerned (when there is one), its date, what.

    ``root``: a break that makes the rest unreliable (a table of the register dropped, the switch to
    the key erased): named first, before the entries it makes look broken.
    """

    number: int | None
    reason: str
    on: date | None = None
    root: bool = False

    def sort_key(self) -> tuple[int, int, int]:
        """Root causes first, then entries by number, then what concerns no entry."""
        return (0 if self.root else 1, 0 if self.number is not None else 1, self.number or 0)


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of a check: ``ok``, how many entries were checked, what is wrong (first first)."""

    ok: bool
    checked: int
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()  # what the register was compared with (French)

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    @property
    def broken_number(self) -> int | None:
        return self.first.number if self.first else None

    @property
    def broken_on(self) -> date | None:
        return self.first.on if self.first else None

    @property
    def reason(self) -> str:
        return self.first.reason if self.first else ""

    def message(self) -> str:
        """One French sentence for the pharmacist (or an inspector): the first break."""
        if self.ok:
            return f"Ordonnancier intègre : {self.checked} écriture(s) vérifiée(s)."
        return "Ordonnancier altéré : " + describe(self.first, self.checked)

    def with_findings(self, more: Iterable[Finding], notes: Iterable[str] = ()) -> VerifyResult:
        """This result with ``more`` findings, sorted (:meth:`Finding.sort_key`)."""
        found = sorted((*self.findings, *more), key=Finding.sort_key)
        return VerifyResult(not found, self.checked, tuple(found), (*self.notes, *notes))


def describe(finding: Finding, checked: int) -> str:
    if finding.number is None:
        return f"{finding.reason}."
    when = f" du {fr_day(finding.on)}" if finding.on else ""
    before = min(checked, finding.number - 1)
    return (f"écriture n° {finding.number}{when} — {finding.reason} "
            f"({before} écriture(s) intègre(s) avant elle).")


def _missing(expected: int, first: Witness, last: Witness) -> Finding:
    """Entries ``expected`` .. ``last.number`` are gone; ``first``, the lowest witness among them, dates it."""
    missing = f"n° {expected}" if expected == last.number else f"n° {expected} à {last.number}"
    return Finding(expected, f"écriture(s) {missing} manquante(s) : supprimée(s) de la fin du registre, "
                             f"qui en comptait {last.number} ({last.source})", first.on)


def verify_entries(entries: Iterable[OrdonnancierEntry], witnesses: Iterable[Witness] = (), *,
                   key: bytes | None = None, start: KeyingStart | None = None) -> VerifyResult:
    """Check numbering (1, 2, 3 ... without gaps), links and seals; stop at the first broken entry.

    ``entries`` and ``witnesses`` come in ascending number order (generators are fine: nothing is
    kept). Entries after ``start.legacy_last`` must be sealed with ``key``; without ``start`` every
    entry is checked as unkeyed SHA-256 (registers of old). Each witness must match the entry of its
    number: entries deleted from the end are reported as missing, entries replaced as altered.
    """
    legacy_last = start.legacy_last if start is not None else None
    marks = iter(witnesses)
    mark = next(marks, None)
    expected, prev_hash, checked = 1, GENESIS_HASH, 0
    for entry in entries:
        finding = _check_entry(entry, expected, prev_hash, key, legacy_last)
        if finding is None and start is not None and entry.number == start.legacy_last \
                and not same(entry.hash, start.legacy_head):
            finding = Finding(entry.number, f"les écritures scellées sans clé (n° 1 à {entry.number}) ont été "
                                            "réécrites : la dernière ne porte plus le sceau relevé au passage "
                                            "à la clé", entry.delivered_on)
        while finding is None and mark is not None and mark.number <= entry.number:
            if mark.number == entry.number and mark.hash is not None and not same(mark.hash, entry.hash):
                finding = Finding(entry.number, f"remplace l'écriture enregistrée sous ce numéro ({mark.source})",
                                  entry.delivered_on)
            mark = next(marks, None)
        if finding is not None:
            return VerifyResult(False, checked, (finding,))
        prev_hash, expected, checked = entry.hash, expected + 1, checked + 1
    if mark is not None:
        first = last = mark
        for mark in marks:
            last = mark if mark.number >= last.number else last
        return VerifyResult(False, checked, (_missing(expected, first, last),))
    return VerifyResult(True, checked)


def _check_entry(entry: OrdonnancierEntry, expected: int, prev_hash: str, key: bytes | None,
                 legacy_last: int | None) -> Finding | None:
    on = entry.delivered_on
    if entry.number != expected:
        number = expected if entry.number > expected else entry.number
        return Finding(number, f"numérotation rompue (n° {expected} attendu, n° {entry.number} trouvé)")
    if entry.prev_hash != prev_hash:
        return Finding(entry.number, "le lien vers l'écriture précédente est rompu", on)
    keyed = legacy_last is not None and entry.number > legacy_last
    if keyed and key is None:
        return Finding(entry.number, "écriture inscrite sans la clé du registre", on)
    if not same(entry.compute_hash(key if keyed else None), entry.hash):
        return Finding(entry.number, "le contenu a été modifié après son inscription (sceau invalide)", on)
    if entry.corrects is not None and not (1 <= entry.corrects < entry.number):
        return Finding(entry.number, "rectifie une écriture inexistante", on)
    return None
