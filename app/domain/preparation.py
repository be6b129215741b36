"""The preparation queue and the pharmaceutical validation, as pharmacy law shapes them.

A counter sends a scanned ordonnance to **preparation** (a large order, products to fetch, items to
order); a member of the team prepares it (chooses products, scans boxes, proposes quantities and
adjustments) and marks it ready. What a préparateur or a student prepared is then **validated** by a
pharmacist — the "contrôle effectif d'un pharmacien" under which they work (CSP L. 4241-1,
L. 4241-10) made a step of its own, with its comment: the pharmacist's analysis of the ordonnance
(R. 4235-48). Only then may someone who is not a pharmacist record and hand it over
(:func:`app.domain.team.may_record_delivery`).

The validation lists the **points** the pharmacist must look at, those a préparateur may not decide
alone (:func:`validation_points`): a stupéfiant to hand over (L. 4241-1, R. 4235-13), a change agreed
with the prescriber (L. 5125-23), a rule's warning passed (R. 4235-61). Each point names the
permission the validating pharmacist must hold.

A validation covers the dispensing **as validated**: its :func:`fingerprint` (products, quantities,
what is delivered or not, adjustments, overrides, posologies) is kept with it; if the lines change
afterwards the validation no longer covers them and recording is refused until a pharmacist
validates again. Scanning the boxes of the validated products, and billing, change nothing of it.

Choice: a préparateur's preparation always goes to validation (even with no point to look at): the
law puts every délivrance by a préparateur under a pharmacist's effective control, and a step that
is skipped "when nothing special" is a step nobody trusts. A pharmacist's own preparation is
validated by himself as he marks it ready.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime

from app.domain.codec import to_jsonable
from app.domain.delivery import DispenseStatus, TeamMember
from app.domain.dispensing import Dispensing
from app.domain.errors import N_
from app.domain.team import (
    RULES,
    Actor,
    Permission,
    PermissionRefused,
    TeamError,
    may_record_delivery,
)

S = DispenseStatus


class PrepState(enum.StrEnum):
    WAITING = "waiting"  # sent by the counter, nobody on it yet
    PREPARING = "preparing"
    TO_VALIDATE = "to_validate"  # ready, waits for a pharmacist's validation
    VALIDATED = "validated"  # ready to hand over
    DONE = "done"  # recorded at the counter
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    PrepState.WAITING: "en attente",
    PrepState.PREPARING: "en préparation",
    PrepState.TO_VALIDATE: "à valider",
    PrepState.VALIDATED: "prête",
    PrepState.DONE: "délivrée",
    PrepState.CANCELLED: "annulée",
}
OPEN_STATES = (PrepState.WAITING, PrepState.PREPARING, PrepState.TO_VALIDATE, PrepState.VALIDATED)


class Urgency(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"  # the patient waits at the counter

    @property
    def label(self) -> str:
        return "urgent" if self is Urgency.URGENT else "normal"


class PreparationError(TeamError):
    """A step of the preparation refused (French): wrong state, validation missing or void."""


class InPreparation(PreparationError):
    """The dispensing asked for at the counter is in the preparation queue and not ready yet: the
    counter shows ``entry`` (its state, who prepares it, since when) instead of a dispensing of its own
    (one dispensing per ordonnance: the preparer's)."""

    def __init__(self, entry: PreparationEntry) -> None:
        who = f" par {entry.prepared_by.name}" if entry.prepared_by is not None else ""
        message = (f"Ordonnance en préparation ({entry.state.label}{who}) : reprenez-la au comptoir quand elle "
                   "sera prête.")
        if entry.prepared_by is not None:
            super().__init__(message, detail=f"preparation {entry.id}", code="in_preparation_by",
                             state=entry.state.value, name=entry.prepared_by.name)
        else:
            super().__init__(message, detail=f"preparation {entry.id}", code="in_preparation",
                             state=entry.state.value)
        self.entry = entry


def member(actor: Actor) -> TeamMember:
    return TeamMember(actor.user_id, actor.display_name, actor.role.value, actor.rpps)


@dataclass(frozen=True)
class ValidationPoint:
    """Something the validating pharmacist must look at, and the permission it takes."""

    line_id: str
    permission: Permission
    text: str  # French


def validation_points(d: Dispensing) -> tuple[ValidationPoint, ...]:
    """What a préparateur may not decide alone in ``d`` (see the module's doc), line by line."""
    points = []
    for state in d.lines:
        if state.status in (S.CANCELLED, S.STOPPED):
            continue
        text = d.prescribed(state.line_id).medication.text
        if state.product is not None and state.product.is_narcotic and state.status not in (S.DECLINED, S.ON_HOLD):
            points.append(ValidationPoint(state.line_id, Permission.VALIDATE_NARCOTIC,
                                          f"« {text} » : stupéfiant à délivrer"))
        for adjustment in state.adjustments:
            if adjustment.agreed:
                points.append(ValidationPoint(state.line_id, Permission.ACCEPT_PRESCRIBER_AGREEMENT,
                                              f"« {text} » : modification avec l'accord du prescripteur "
                                              f"({adjustment.reason_label}, {adjustment.agreement_means})"))
        for rule, reason in sorted(state.overrides.items()):
            points.append(ValidationPoint(state.line_id, Permission.OVERRIDE_RULE,
                                          f"« {text} » : règle {rule} passée outre ({reason})"))
    return tuple(points)


def fingerprint(d: Dispensing) -> str:
    """What a validation covers of ``d`` (see the module's doc), as a SHA-256 hex digest."""
    lines = []
    for state in sorted(d.lines, key=lambda s: s.line_id):
        delivered = state.status not in (S.DECLINED, S.ON_HOLD, S.STOPPED, S.CANCELLED)
        lines.append({"line": state.line_id, "delivered": delivered,
                      "product": state.product.cip13 if state.product and delivered else None,
                      "quantity": state.quantity if delivered else 0,
                      "adjustments": to_jsonable(list(state.adjustments)), "overrides": dict(sorted(state.overrides.items())),
                      "posology": state.posology, "decline": state.decline_reason,
                      "price": str(state.unit_price) if state.unit_price is not None else None})
    text = json.dumps({"delivery": d.delivery_id, "lines": lines}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PreparationEntry:
    """One ordonnance in the queue. Times are naive UTC (as stored); ``version`` grows with every
    change (a change made on an older version is refused: someone else acted meanwhile)."""

    id: int
    delivery_id: str
    number: str
    patient: str  # as the screens show it (never in the audit trail nor the live events)
    state: PrepState
    urgency: Urgency
    note: str
    sent_by: TeamMember | None
    sent_at: datetime
    workstation: str  # where it was sent from
    prepared_by: TeamMember | None = None
    taken_at: datetime | None = None  # when ``prepared_by`` took it
    ready_at: datetime | None = None
    points: tuple[str, ...] = ()  # what the pharmacist must look at (French), set when marked ready
    validated_by: TeamMember | None = None
    validated_at: datetime | None = None
    comment: str = ""  # the validation's comment, or why the preparation was sent back
    fingerprint: str = ""  # of the dispensing validated
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


# --- the steps ------------------------------------------------------------------------------------


def _expect(entry: PreparationEntry, *states: PrepState) -> None:
    if entry.state not in states:
        raise PreparationError(f"Ordonnance {entry.state.label} : action impossible à ce stade "
                               f"(attendu : {', '.join(s.label for s in states)})")


def take(entry: PreparationEntry, actor: Actor, now: datetime | None = None) -> PreparationEntry:
    """``actor`` starts preparing (or takes over a preparation sent back to him or left by another),
    at ``now`` (kept: since when he prepares it)."""
    actor.require(Permission.PREPARE)
    _expect(entry, PrepState.WAITING, PrepState.PREPARING)
    return replace(entry, state=PrepState.PREPARING, prepared_by=member(actor), taken_at=now or entry.taken_at)


TAKE_BACK_STATES = (PrepState.WAITING, PrepState.PREPARING, PrepState.TO_VALIDATE)


def take_back(entry: PreparationEntry, actor: Actor | None) -> PreparationEntry:
    """The counter takes the dispensing back from the queue (the patient will not wait; the counter
    goes on with it): the preparation ends, cancelled; what was prepared stays in the dispensing. A
    validated one is not taken back but handed over as validated. Who hands it over afterwards is held
    to :func:`check_record` as anyone at the counter (no validation covers it any more)."""
    if actor is not None:
        actor.require(Permission.PREPARE)
    _expect(entry, *TAKE_BACK_STATES)
    return replace(entry, state=PrepState.CANCELLED)


def mark_ready(entry: PreparationEntry, d: Dispensing, actor: Actor, now: datetime) -> PreparationEntry:
    """The preparation is done: to a pharmacist's validation, or validated at once when ``actor`` is a
    pharmacist (his own analysis; the points are kept for the record)."""
    actor.require(Permission.PREPARE)
    _expect(entry, PrepState.WAITING, PrepState.PREPARING)
    problems = d.problems()
    if problems:
        raise PreparationError("Préparation incomplète :\n" + "\n".join(problems))
    points = tuple(p.text for p in validation_points(d))
    done = replace(entry, prepared_by=member(actor), ready_at=now, points=points, comment="")
    if actor.is_pharmacist:
        return replace(done, state=PrepState.VALIDATED, validated_by=member(actor), validated_at=now,
                       fingerprint=fingerprint(d))
    return replace(done, state=PrepState.TO_VALIDATE, validated_by=None, validated_at=None, fingerprint="")


def check_validator(d: Dispensing, actor: Actor) -> None:
    """Refuse (:class:`PermissionRefused`, naming the article) a validator who lacks the validation
    or the permission one of its points takes."""
    actor.require(Permission.VALIDATE)
    for point in validation_points(d):
        if not actor.may(point.permission):
            raise PermissionRefused(RULES[point.permission].refusal(actor.role),
                                    detail=f"user {actor.user_id} cannot validate {point.permission}")


def validate(entry: PreparationEntry, d: Dispensing, actor: Actor, comment: str, now: datetime) -> PreparationEntry:
    """The pharmaceutical validation of what was prepared, with its comment."""
    check_validator(d, actor)
    _expect(entry, PrepState.TO_VALIDATE)
    return replace(entry, state=PrepState.VALIDATED, validated_by=member(actor), validated_at=now,
                   comment=" ".join(comment.split()), fingerprint=fingerprint(d),
                   points=tuple(p.text for p in validation_points(d)))


def send_back(entry: PreparationEntry, actor: Actor, comment: str) -> PreparationEntry:
    """The pharmacist does not validate: back to preparation, with why (required)."""
    actor.require(Permission.VALIDATE)
    _expect(entry, PrepState.TO_VALIDATE, PrepState.VALIDATED)
    text = " ".join(comment.split())
    if not text:
        raise PreparationError(N_("Indiquez au préparateur ce qui est à reprendre."))
    return replace(entry, state=PrepState.PREPARING, comment=text, validated_by=None, validated_at=None,
                   fingerprint="")


def check_record(actor: Actor | None, d: Dispensing, entry: PreparationEntry | None) -> None:
    """Refuse recording ``d`` by ``actor`` when the law does not let him (French, naming the article).

    Nobody signed in (a counter without a team): the settings' pharmacist records, as before.
    A pharmacist records on his own responsibility, except a preparation waiting for its validation
    (the step is the pharmacist's to take, with its comment: take it first). Anyone else records
    only what a pharmacist validated, unchanged since (:func:`fingerprint`); a student never does.
    """
    if entry is not None and entry.state is PrepState.TO_VALIDATE:
        raise PreparationError(N_("Validation pharmaceutique en attente : un pharmacien doit valider la "
                                  "préparation avant l'enregistrement."))
    validated = (entry is not None and entry.state is PrepState.VALIDATED and entry.validated_by is not None
                 and entry.fingerprint == fingerprint(d))
    changed = entry is not None and entry.state is PrepState.VALIDATED and not validated
    if changed and (actor is None or not actor.is_pharmacist):
        raise PreparationError(N_("La délivrance a changé depuis la validation pharmaceutique : faites-la "
                                  "valider de nouveau."))
    if actor is None:
        return
    if not may_record_delivery(actor.role, validated_by_pharmacist=validated):
        if not actor.may(Permission.HAND_OVER):
            raise PermissionRefused(RULES[Permission.HAND_OVER].refusal(actor.role))
        raise PermissionRefused(RULES[Permission.RECORD_DELIVERY].refusal(actor.role))
