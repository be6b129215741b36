"""The pharmacy team: who works at the counter, what each role may do, and the rules of signing in.

Why in the domain: who may hand over, validate or override is French pharmacy law, independent of
the screens and the database that apply it. Each permission is DATA (:data:`RULES`: the roles that
hold it, the article that says so, the French refusal) read through one named function per action
(:func:`may_hand_over`, :func:`may_validate_narcotic` ...), whose docstring says what was chosen
and why where the law leaves room.

The roles (Code de la santé publique):

- **pharmacien titulaire**: owns and runs the officine and "doit exercer personnellement sa
  profession" (L. 5125-20); exercising personally means doing the professional acts oneself "ou à
  en surveiller attentivement l'exécution" (R. 4235-13).
- **pharmacien adjoint**: a pharmacist who assists the titulaire (L. 5125-20, number set by
  turnover) and may replace him (L. 5125-21); same pharmaceutical prerogatives at the counter.
- **préparateur en pharmacie**: "seuls autorisés à seconder le titulaire de l'officine et les
  pharmaciens qui l'assistent dans la préparation et la délivrance au public des médicaments" ;
  "ils assument leurs tâches sous la responsabilité et le contrôle effectif d'un pharmacien"
  (L. 4241-1); they "ne peuvent, en aucun cas, se substituer à la personne du pharmacien quant aux
  prérogatives attachées au diplôme" (L. 4241-3).
- **étudiant en pharmacie** (3rd year, after the introductory placement): L. 4241-10 lets them
  perform the préparateur's operations under the same effective control. The issue asks for a
  stricter pharmacy policy, kept here: a student **prepares but does not hand over** (a
  pharmacist or a préparateur hands over what the student prepared).

RPPS: pharmacists are registered in the RPPS by the Ordre at their inscription, so the number is
required for both pharmacist roles (the ordonnancier names the pharmacist responsible, R. 5132-10,
and the service's MedicationDispense names its performer). Since 18 July 2023 préparateurs may
also be registered in the RPPS (by the titulaire, on the RPPS+ portal, to get their e-CPS): the
number is optional for a préparateur and kept when given; a student has none. Every number given is
checked (11 digits, Luhn key).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.errors import N_, ComptoirError
from app.domain.identifiers import Rpps


class Role(enum.StrEnum):
    TITULAIRE = "titulaire"
    ADJOINT = "adjoint"
    PREPARATEUR = "preparateur"
    ETUDIANT = "etudiant"

    @property
    def label(self) -> str:
        """The role as a pharmacist reads it (French)."""
        return ROLE_LABELS[self]

    @property
    def is_pharmacist(self) -> bool:
        return self in PHARMACISTS

    @classmethod
    def parse(cls, text: str) -> Role:
        """A role from its code or its French name, case and accents aside (``préparateur``,
        ``pharmacien adjoint``, ``adjoint``)."""
        folded = " ".join(_fold(text).replace("-", " ").split())
        for role in cls:
            if folded in (role.value, _fold(role.label), *ROLE_ALIASES[role]):
                return role
        raise TeamError(N_("Rôle inconnu : « {text} » (attendu : {roles})"),
                        values={"text": text, "roles": ", ".join(r.value for r in cls)})


ROLE_LABELS = {
    Role.TITULAIRE: "pharmacien titulaire",
    Role.ADJOINT: "pharmacien adjoint",
    Role.PREPARATEUR: "préparateur",
    Role.ETUDIANT: "étudiant en pharmacie",
}
ROLE_ALIASES = {
    Role.TITULAIRE: ("pharmacien titulaire", "titulaire"),
    Role.ADJOINT: ("pharmacien adjoint", "adjoint", "pharmacien assistant"),
    Role.PREPARATEUR: ("preparateur en pharmacie", "preparatrice", "preparatrice en pharmacie"),
    Role.ETUDIANT: ("etudiant en pharmacie", "etudiante", "etudiante en pharmacie"),
}
PHARMACISTS = frozenset({Role.TITULAIRE, Role.ADJOINT})
EVERYONE = frozenset(Role)


def _fold(text: str) -> str:
    table = str.maketrans("éèêëàâîïôöûüç", "eeeeaaiioouuc")
    return text.strip().lower().translate(table)


class TeamError(ComptoirError):
    """A user, a role or a PIN refused (French message)."""


class PermissionRefused(TeamError):
    """The signed-in user's role does not allow the action (the message names the article)."""


class LoginRefused(TeamError):
    """Wrong PIN, unknown badge, disabled or locked account."""


# --- permissions -----------------------------------------------------------------------------------


class Permission(enum.StrEnum):
    PREPARE = "prepare"
    HAND_OVER = "hand_over"
    VALIDATE = "validate"
    VALIDATE_NARCOTIC = "validate_narcotic"
    ACCEPT_PRESCRIBER_AGREEMENT = "accept_prescriber_agreement"
    OVERRIDE_RULE = "override_rule"
    RECORD_DELIVERY = "record_delivery"
    MANAGE_USERS = "manage_users"
    EXPORT_REGISTERS = "export_registers"
    KEEP_REGISTER = "keep_register"


@dataclass(frozen=True)
class PermissionRule:
    """Who holds a permission, which article says so, and what a refused user reads (French)."""

    roles: frozenset[Role]
    article: str
    action: str  # French, completes "… est réservé(e) à …": what is refused

    def refusal(self, role: Role) -> str:
        holders = ", ".join(ROLE_LABELS[r] for r in Role if r in self.roles)
        return f"{self.action[0].upper()}{self.action[1:]} : réservé au {holders} ({self.article}) ; " \
               f"votre rôle : {role.label}"


RULES: dict[Permission, PermissionRule] = {
    Permission.PREPARE: PermissionRule(
        EVERYONE, "CSP L. 4241-1 et L. 4241-10", "préparer une ordonnance"),
    Permission.HAND_OVER: PermissionRule(
        frozenset({Role.TITULAIRE, Role.ADJOINT, Role.PREPARATEUR}), "CSP L. 4241-1 ; règle de la pharmacie "
        "pour les étudiants", "remettre les médicaments au patient"),
    Permission.VALIDATE: PermissionRule(
        PHARMACISTS, "CSP R. 4235-48 et L. 4241-1", "la validation pharmaceutique"),
    Permission.VALIDATE_NARCOTIC: PermissionRule(
        PHARMACISTS, "CSP L. 4241-1 et R. 4235-13", "valider la délivrance d'un stupéfiant"),
    Permission.ACCEPT_PRESCRIBER_AGREEMENT: PermissionRule(
        PHARMACISTS, "CSP L. 5125-23", "accepter une modification soumise à l'accord du prescripteur"),
    Permission.OVERRIDE_RULE: PermissionRule(
        PHARMACISTS, "CSP R. 4235-61 et R. 4235-13", "passer outre une règle bloquante ou un avertissement"),
    Permission.RECORD_DELIVERY: PermissionRule(
        PHARMACISTS, "CSP L. 4241-1 et R. 4235-13", "inscrire une délivrance sans validation pharmaceutique"),
    Permission.MANAGE_USERS: PermissionRule(
        frozenset({Role.TITULAIRE}), "CSP L. 5125-20 et R. 4235-13", "gérer les utilisateurs"),
    Permission.EXPORT_REGISTERS: PermissionRule(
        PHARMACISTS, "CSP R. 5132-9 et R. 5132-10", "exporter les registres"),
    # Closing the days and correcting an entry write to the register (a new entry, a sealed head): what
    # a pharmacist does, as recording a delivery without validation is (CSP R. 5132-9, L. 4241-1).
    Permission.KEEP_REGISTER: PermissionRule(
        PHARMACISTS, "CSP R. 5132-9 et L. 4241-1", "clôturer ou rectifier l'ordonnancier"),
}


def allowed(role: Role, permission: Permission) -> bool:
    return role in RULES[permission].roles


def may_prepare(role: Role) -> bool:
    """Everyone of the team prepares: préparateurs "secondent … dans la préparation" (L. 4241-1),
    students perform the same operations (L. 4241-10), pharmacists hold the monopoly (L. 4211-1)."""
    return allowed(role, Permission.PREPARE)


def may_hand_over(role: Role) -> bool:
    """Pharmacists and préparateurs hand over (L. 4241-1: "la délivrance au public", under a
    pharmacist's effective control). Students do not: L. 4241-10 would let them, under the same
    control, but the pharmacy's policy asked in the issue is stricter and is kept."""
    return allowed(role, Permission.HAND_OVER)


def may_validate(role: Role) -> bool:
    """The pharmaceutical validation (analyse pharmaceutique of the ordonnance, R. 4235-48) is the
    pharmacist's own act; it is what "contrôle effectif d'un pharmacien" (L. 4241-1) means for what
    a préparateur or a student prepared."""
    return allowed(role, Permission.VALIDATE)


def may_validate_narcotic(role: Role) -> bool:
    """A stupéfiant is validated by a pharmacist. A préparateur may execute a stupéfiant ordonnance,
    but under a pharmacist's control (L. 4241-1); we make that control an explicit pharmacist's
    validation because the stakes are the highest (secured prescription, fractioned deliveries; the
    stupéfiants register is written only by the persons R. 5132-76 names, the titulaire at an
    officine) and R. 4235-13 asks the pharmacist to "surveiller attentivement l'exécution" of what he
    does not do himself."""
    return allowed(role, Permission.VALIDATE_NARCOTIC)


def may_accept_prescriber_agreement(role: Role) -> bool:
    """Handing over something else than prescribed needs "l'accord exprès et préalable du
    prescripteur" obtained by "le pharmacien" (L. 5125-23); a préparateur cannot take a pharmacist's
    prerogative (L. 4241-3)."""
    return allowed(role, Permission.ACCEPT_PRESCRIBER_AGREEMENT)


def may_override_rule(role: Role) -> bool:
    """Going past a blocking rule or a warning is a pharmaceutical decision: refusing or accepting to
    dispense in the patient's interest is the pharmacist's (R. 4235-61), as is the watch over what
    others execute (R. 4235-13)."""
    return allowed(role, Permission.OVERRIDE_RULE)


def may_record_delivery(role: Role, *, validated_by_pharmacist: bool = False) -> bool:
    """Recording a delivery (service + ordonnancier) commits it. A pharmacist records on his own
    responsibility; a préparateur records only what a pharmacist validated (the "contrôle effectif",
    L. 4241-1, made a step of the workflow); a student, who does not hand over, never records."""
    if allowed(role, Permission.RECORD_DELIVERY):
        return True
    return validated_by_pharmacist and may_hand_over(role)


def may_manage_users(role: Role) -> bool:
    """Adding, disabling users and resetting their PIN is the titulaire's: he answers for the
    officine and everyone who works in it (L. 5125-20, R. 4235-13). A pharmacy with several
    titulaires (associates) registers each of them as titulaire."""
    return allowed(role, Permission.MANAGE_USERS)


def may_export_registers(role: Role) -> bool:
    """The registers (ordonnancier, audit trail) name patients and are the pharmacy's legal record
    (R. 5132-9, R. 5132-10): exported by a pharmacist, for an inspection or a check."""
    return allowed(role, Permission.EXPORT_REGISTERS)


# --- users -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    """A member of the team. Times are naive UTC (as stored); ``locked_until`` set while a run of
    wrong PINs keeps the account locked."""

    id: int
    display_name: str
    role: Role
    rpps: str | None
    active: bool
    created_at: datetime
    disabled_at: datetime | None = None
    has_badge: bool = False
    failed_attempts: int = 0
    locked_until: datetime | None = None
    version: int = 1  # raised by each change an administrator makes (optimistic lock)

    def locked_at(self, now_utc: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now_utc


@dataclass(frozen=True)
class Actor:
    """Who acts, where: what a signed-in session stamps on each action (audit, who prepared,
    validated, handed over). Built by signing in (``Team.login``), never from a settings file."""

    user_id: int
    display_name: str
    role: Role
    rpps: str | None
    workstation: str

    def may(self, permission: Permission) -> bool:
        return allowed(self.role, permission)

    def require(self, permission: Permission) -> None:
        """Raise :class:`PermissionRefused` (French, naming the article) when the role lacks it."""
        if not self.may(permission):
            raise PermissionRefused(RULES[permission].refusal(self.role),
                                    detail=f"user {self.user_id} role {self.role} lacks {permission}")

    @property
    def is_pharmacist(self) -> bool:
        return self.role.is_pharmacist


def actor_of(user: User, workstation: str) -> Actor:
    return Actor(user.id, user.display_name, user.role, user.rpps, workstation)


def check_display_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise TeamError(N_("Nom refusé : indiquez le nom de la personne"))
    if len(cleaned) > 200:
        raise TeamError(N_("Nom refusé : 200 caractères au plus"))
    return cleaned


def check_rpps(role: Role, rpps: str | None) -> str | None:
    """The RPPS kept for a user of ``role``: required (and valid) for pharmacists, optional (valid when
    given) for préparateurs, refused for students (they have none: a number given is a mistake)."""
    text = (rpps or "").strip()
    if not text:
        if role.is_pharmacist:
            raise TeamError(f"RPPS obligatoire pour un {role.label} (inscrit au RPPS par l'Ordre)")
        return None
    if role is Role.ETUDIANT:
        raise TeamError(N_("Un étudiant en pharmacie n'a pas de numéro RPPS : ne l'indiquez pas"))
    return str(Rpps.parse(text))


# --- PINs and locking ------------------------------------------------------------------------------

PIN_MIN, PIN_MAX = 4, 12
_PIN = re.compile(r"\d+")


def check_pin(pin: str) -> str:
    """A new PIN: 4 to 12 digits, not all the same digit nor a straight run (1234, 9876)."""
    if not _PIN.fullmatch(pin or ""):
        raise TeamError(N_("PIN refusé : chiffres uniquement"))
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        raise TeamError(N_("PIN refusé : {least} à {most} chiffres"), values={"least": PIN_MIN, "most": PIN_MAX})
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({0}, {1}, {9}):
        raise TeamError(N_("PIN refusé : trop facile à deviner (chiffres identiques ou qui se suivent)"))
    return pin


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``threshold`` wrong PINs in a row the account locks for ``first_lock``; each further
    wrong PIN (once the lock is over) locks it again for twice as long, up to ``longest``. A right
    PIN resets the count. The count lives in the database: every workstation shares it."""

    threshold: int = 5
    first_lock: timedelta = timedelta(minutes=1)
    longest: timedelta = timedelta(hours=1)

    def lock_for(self, failures: int) -> timedelta | None:
        """How long the account locks after its ``failures``-th wrong PIN in a row (None: not yet)."""
        if failures < self.threshold:
            return None
        return min(self.first_lock * (2 ** (failures - self.threshold)), self.longest)

    def left_before_lock(self, failures: int) -> int:
        return max(self.threshold - failures, 0)
