"""What the counter keeps besides a dispensing's own state: where each dispensing stands, the items
of the outbox to the service, and the rows of the reasons and agreement means tables.

Why in the domain: the workflow decides with these and storage keeps them; neither may import the
other, so the plain types they exchange live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.delivery import AdjustmentKind, Delivery


class Stage(StrEnum):
    """Where a stored dispensing stands (the values are what the database holds)."""

    ACTIVE = "active"
    BILLED = "billed"
    RECORDED = "recorded"
    ABANDONED = "abandoned"


UNFINISHED = (Stage.ACTIVE, Stage.BILLED)


class SendStatus(StrEnum):
    """Where a recorded delivery stands with the service."""

    PENDING = "pending"  # to send (again), at ``next_attempt_at``
    SENT = "sent"
    FAILED = "failed"  # refused by the service, or given up after too many attempts: sent again only on request


@dataclass(frozen=True)
class OutboxItem:
    """A recorded delivery in the outbox; ``last_error`` says in French why it is not sent yet."""

    delivery: Delivery
    status: SendStatus
    attempts: int
    last_error: str = ""
    since: datetime | None = None  # when it was recorded (waiting for the service since then)


@dataclass(frozen=True)
class Reason:
    """One row of the adjustment reasons table (``requires_comment``: "autre", the comment says what).

    ``label`` is French: it is what the ordonnancier, the service and the printouts record;
    ``label_en`` is only for showing in an English UI.
    """

    code: str
    label: str
    label_en: str = ""
    requires_comment: bool = False
    kinds: frozenset[AdjustmentKind] = frozenset()  # the actions it is a reason for (empty: any)

    def applies_to(self, kind: AdjustmentKind) -> bool:
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True)
class LegalBasis:
    """A provision that allows another product than the one prescribed without the prescriber's
    agreement (resources/adjustments/legal_bases.json), same labels as :class:`Reason`."""

    code: str
    label: str
    label_en: str = ""


@dataclass(frozen=True)
class Means:
    """How the prescriber's agreement was obtained (téléphone, messagerie sécurisée …), same labels."""

    code: str
    label: str
    label_en: str = ""
