"""The audit trail: who did what, where and when, sealed in one chain like the ordonnancier.

Each entry names the action (a code of :class:`AuditAction`), the user (id and name at the time),
the workstation, the time, the object (an ordonnance number, a delivery or user id) and details as
JSON. It never holds a patient's name or NIR: objects are named by ids, and :func:`check_details`
refuses details with a key naming patient data or a value holding a valid NIR (a programming error,
raised before anything is written).

Entries are numbered 1, 2, 3 … without gaps and sealed by HMAC-SHA256 with the pharmacy's key (the
ordonnancier's, :func:`app.domain.ordonnancier.digest`) over their fields and the seal of the entry
before: whoever edits the database without the key can neither change an entry nor reseal the chain.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, tzinfo

from app.domain.errors import InvalidIdentifier
from app.domain.identifiers import Nir
from app.domain.ordonnancier import GENESIS_HASH, digest, same
from app.domain.team import Actor


class AuditAction(enum.StrEnum):
    """What happened. The code is stored; the label is what a pharmacist reads."""

    LOGIN = "login"
    LOGOUT = "logout"
    LOGIN_FAILED = "login.failed"
    ACCOUNT_LOCKED = "account.locked"
    SESSION_LOCKED = "session.locked"
    SCAN = "scan"
    ADJUSTMENT = "adjustment"
    OVERRIDE = "override"
    BILL = "bill"
    RECORD = "record"
    PRINT = "print"
    REPRINT = "reprint"
    EXPORT = "export"
    VALIDATION = "validation"
    PREPARATION_SENT = "preparation.sent"
    PREPARATION_READY = "preparation.ready"
    PREPARATION_TAKEN = "preparation.taken"
    PREPARATION_CANCELLED = "preparation.cancelled"
    USER_CREATED = "user.created"
    USER_DISABLED = "user.disabled"
    PIN_CHANGED = "user.pin"
    BADGE_CHANGED = "user.badge"
    SERVER_INIT = "server.init"
    REGISTER_VERIFY = "register.verify"
    REGISTER_CLOSE = "register.close"
    REGISTER_CORRECT = "register.correct"
    AUDIT_READ = "audit.read"
    AUDIT_VERIFY = "audit.verify"
    KEY_EXPORT = "register.key_export"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    AuditAction.LOGIN: "connexion",
    AuditAction.LOGOUT: "déconnexion",
    AuditAction.LOGIN_FAILED: "échec de connexion",
    AuditAction.ACCOUNT_LOCKED: "compte verrouillé (trop d'essais)",
    AuditAction.SESSION_LOCKED: "session verrouillée (inactivité)",
    AuditAction.SCAN: "lecture d'un code",
    AuditAction.ADJUSTMENT: "adaptation",
    AuditAction.OVERRIDE: "passage outre une règle",
    AuditAction.BILL: "facturation",
    AuditAction.RECORD: "inscription de la délivrance",
    AuditAction.PRINT: "impression",
    AuditAction.REPRINT: "réimpression",
    AuditAction.EXPORT: "export",
    AuditAction.VALIDATION: "validation pharmaceutique",
    AuditAction.PREPARATION_SENT: "envoi en préparation",
    AuditAction.PREPARATION_READY: "préparation prête",
    AuditAction.PREPARATION_TAKEN: "prise en préparation",
    AuditAction.PREPARATION_CANCELLED: "préparation annulée",
    AuditAction.USER_CREATED: "utilisateur créé",
    AuditAction.USER_DISABLED: "utilisateur désactivé",
    AuditAction.PIN_CHANGED: "PIN modifié",
    AuditAction.BADGE_CHANGED: "badge modifié",
    AuditAction.SERVER_INIT: "mise en service de la pharmacie",
    AuditAction.REGISTER_VERIFY: "vérification de l'ordonnancier",
    AuditAction.REGISTER_CLOSE: "clôture de l'ordonnancier",
    AuditAction.REGISTER_CORRECT: "rectification d'une écriture de l'ordonnancier",
    AuditAction.AUDIT_READ: "consultation du journal d'audit",
    AuditAction.AUDIT_VERIFY: "vérification du journal d'audit",
    AuditAction.KEY_EXPORT: "export de la clé de la pharmacie",
}

# Keys that name patient data; NIR candidates (15 characters once spaces are removed).
_PATIENT_KEYS = re.compile(r"(^|_)(nir|ins|patient|birth|naissance|adresse|address)($|_)", re.I)
_NIR_CANDIDATE = re.compile(r"[12378]\d{4}(?:\d{2}|2A|2B)\d{8}")
MAX_DETAILS = 4000  # characters of canonical JSON


def canonical_details(details: Mapping[str, object] | None) -> str:
    """``details`` as the canonical JSON stored and sealed (sorted keys, no spaces)."""
    return json.dumps(dict(details or {}), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def check_details(details: Mapping[str, object] | None) -> str:
    """The canonical JSON of ``details``, refused (ValueError: a bug of the caller) when it holds what
    the trail must never keep: a key naming patient data, a value shaped like a NIR, or more than
    :data:`MAX_DETAILS` characters."""
    try:
        text = canonical_details(details)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"audit details must be JSON: {exc}") from exc

    def walk(value: object, where: str) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                if _PATIENT_KEYS.search(str(key)):
                    raise ValueError(f"audit details must not name patient data (key {where}{key!r})")
                walk(inner, f"{where}{key}.")
        elif isinstance(value, list | tuple):
            for inner in value:
                walk(inner, where)
        elif isinstance(value, str) and _holds_nir(value):
            raise ValueError(f"audit details must not hold a NIR (value under {where.rstrip('.') or 'top level'})")

    walk(dict(details or {}), "")
    if len(text) > MAX_DETAILS:
        raise ValueError(f"audit details too long ({len(text)} > {MAX_DETAILS} characters)")
    return text


def _holds_nir(text: str) -> bool:
    """Whether ``text`` holds a valid NIR (right key), spaces and dashes aside: a CIP13, a serial
    number or an amount that merely looks like one is not refused."""
    squeezed = re.sub(r"[\s.\-]", "", text).upper()
    for start in range(max(len(squeezed) - 14, 0)):
        if _NIR_CANDIDATE.fullmatch(squeezed, start, start + 15):
            try:
                Nir.parse(squeezed[start:start + 15])
            except InvalidIdentifier:
                continue
            return True
    return False


@dataclass(frozen=True)
class Trace:
    """An action to append to the trail in the same transaction as the change it traces (a store's
    write takes one): the change and its trace commit or vanish together."""

    action: AuditAction
    actor: Actor | None
    object_ref: str = ""
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    """One action. ``at``: naive UTC (as stored and sealed); :meth:`local_time` for display."""

    seq: int
    at: datetime
    action: str
    user_id: int | None
    user_name: str
    workstation: str
    object_ref: str = ""
    details: str = "{}"  # canonical JSON (check_details)
    key_id: str = ""
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def payload(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": "audit"}
        for f in fields(self):
            if f.name != "hash":
                value = getattr(self, f.name)
                out[f.name] = value.isoformat() if isinstance(value, datetime) else value
        return out

    def compute_hash(self, key: bytes) -> str:
        return digest(self.payload(), key)

    def sealed(self, key: bytes) -> AuditEntry:
        return replace(self, hash=self.compute_hash(key))

    def local_time(self, zone: tzinfo | None = None) -> datetime:
        """``at`` as an aware time of ``zone`` (default: this machine's)."""
        return self.at.replace(tzinfo=UTC).astimezone(zone)

    @property
    def details_dict(self) -> dict[str, object]:
        try:
            value = json.loads(self.details)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    @property
    def label(self) -> str:
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action


@dataclass(frozen=True)
class TrailKeying:
    """Where the audit trail starts: written with its first entry, sealed with the pharmacy's key.

    Names the key (``key_id``) every entry must be sealed with, and witnesses that the trail had at
    least one entry (an emptied trail shows). Never changed afterwards (database triggers)."""

    key_id: str
    workstation: str
    sealed_at: datetime  # naive UTC
    mac: str = ""

    def payload(self) -> dict[str, object]:
        return {"kind": "audit-keying", "register": self.key_id, "workstation": self.workstation,
                "sealed_at": self.sealed_at.isoformat()}

    def compute_mac(self, key: bytes) -> str:
        return digest(self.payload(), key)

    def sealed(self, key: bytes) -> TrailKeying:
        return replace(self, mac=self.compute_mac(key))


@dataclass(frozen=True)
class AuditFinding:
    """One thing wrong with the trail: the entry concerned (when there is one), its time, what.
    ``root``: a break that makes the rest unreliable (the trail's start edited), named first."""

    seq: int | None
    reason: str
    at: datetime | None = None
    root: bool = False

    def sort_key(self) -> tuple[int, int, int]:
        return (0 if self.root else 1, 0 if self.seq is not None else 1, self.seq or 0)


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of checking the trail: how many entries are intact, the first break (French)."""

    checked: int
    findings: tuple[AuditFinding, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.findings

    def message(self, zone: tzinfo | None = None) -> str:
        if self.ok:
            return f"Journal d'audit intègre : {self.checked} entrée(s) vérifiée(s)."
        first = self.findings[0]
        if first.seq is None:
            return f"Journal d'audit altéré : {first.reason}."
        when = ""
        if first.at is not None:
            when = f" du {first.at.replace(tzinfo=UTC).astimezone(zone).strftime('%d/%m/%Y %H:%M:%S')}"
        before = min(self.checked, first.seq - 1)
        return (f"Journal d'audit altéré : entrée n° {first.seq}{when} — {first.reason} "
                f"({before} entrée(s) intègre(s) avant elle).")


def verify_trail(entries: Iterable[AuditEntry], key: bytes | None, key_id: str) -> AuditCheck:
    """Numbering (1, 2, 3 … without gaps), links, seals and key id; stop at the first broken entry.

    ``entries`` in ascending ``seq`` (a generator is fine). ``key`` None: the trail is expected empty
    (an entry then was written without the key this database names).
    """
    expected, prev, checked = 1, GENESIS_HASH, 0
    for entry in entries:
        reason = None
        if entry.seq != expected:
            number = expected if entry.seq > expected else entry.seq
            return AuditCheck(checked, (AuditFinding(number, f"numérotation rompue (n° {expected} attendu, "
                                                             f"n° {entry.seq} trouvé)"),))
        if entry.prev_hash != prev:
            reason = "le lien vers l'entrée précédente est rompu"
        elif key is None or entry.key_id != key_id:
            reason = "entrée scellée avec une autre clé que celle de la pharmacie"
        elif not same(entry.compute_hash(key), entry.hash):
            reason = "le contenu a été modifié après son inscription (sceau invalide)"
        if reason:
            return AuditCheck(checked, (AuditFinding(entry.seq, reason, entry.at),))
        expected, prev, checked = expected + 1, entry.hash, checked + 1
    return AuditCheck(checked)
