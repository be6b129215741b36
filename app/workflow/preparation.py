"""The preparation queue's use cases: what the counter and the preparer's screen call.

A counter sends the dispensing it started (the ordonnance fetched and claimed, lines proposed) to
preparation (:meth:`PreparationDesk.send`); the preparer's screen lists the queue
(:meth:`~PreparationDesk.queue`), takes one (:meth:`~PreparationDesk.take`), acts on its lines with the
counter's own operations (``Counter.apply``: one way to act on a dispensing) and marks it ready
(:meth:`~PreparationDesk.mark_ready`); a pharmacist validates it or sends it back with a comment
(:meth:`~PreparationDesk.validate`, :meth:`~PreparationDesk.send_back`); the counter, told by the
``queue`` event, resumes the dispensing, bills and records it (``Counter.record_locally`` checks the
validation and names who prepared, validated and handed over). The law behind each step is in
:mod:`app.domain.preparation`.

Every method is one or two database transactions (run it on the database worker, never the GUI
thread); each write carries its audit trace and tells the other workstations.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from app.domain.audit import AuditAction
from app.domain.delivery import Delivery, TeamMember
from app.domain.dispensing import Dispensing
from app.domain.preparation import (
    PreparationEntry,
    PreparationError,
    PrepState,
    Urgency,
    fingerprint,
    mark_ready,
    member,
    send_back,
    take,
    take_back,
    validate,
)
from app.domain.team import Actor, Permission
from app.workflow.ports import CounterStorePort, PreparationStorePort


def _validated(entry: PreparationEntry | None, d: Dispensing) -> bool:
    return (entry is not None and entry.state in (PrepState.VALIDATED, PrepState.DONE)
            and entry.validated_by is not None and entry.fingerprint == fingerprint(d))


def with_team(delivery: Delivery, d: Dispensing, actor: Actor | None, entry: PreparationEntry | None) -> Delivery:
    """``delivery`` naming who prepared, validated and handed it over, and its pharmacist responsible.

    The pharmacist responsible (the ordonnancier's, R. 5132-10; the MedicationDispense's performer) is
    the pharmacist who validated the preparation — his analysis of the ordonnance (R. 4235-48) is the
    pharmaceutical act — else the pharmacist handing over; nobody signed in: the settings' pharmacist,
    as before the team existed.
    """
    handed = member(actor) if actor is not None else None
    validated = entry.validated_by if _validated(entry, d) else None
    if validated is None and actor is not None and actor.is_pharmacist:
        validated = handed
    prepared = entry.prepared_by if entry is not None and entry.prepared_by is not None else handed
    responsible: TeamMember | None = validated if validated is not None and validated.rpps else None
    changes: dict[str, object] = {"prepared_by": prepared, "validated_by": validated, "handed_over_by": handed,
                                  "validation_comment": entry.comment if _validated(entry, d) and entry else ""}
    if responsible is not None:
        changes.update(pharmacist_name=responsible.name, pharmacist_rpps=responsible.rpps)
    return dataclasses.replace(delivery, **changes)


@dataclass(frozen=True)
class Opened:
    """A preparation and its dispensing, as the preparer's screen shows them."""

    entry: PreparationEntry
    dispensing: Dispensing


class PreparationDesk:
    """The queue's use cases over the queue's store and the counter's dispensings (see the module)."""

    def __init__(self, store: PreparationStorePort, dispensings: CounterStorePort, *, workstation: str) -> None:
        self.store = store
        self.dispensings = dispensings
        self.workstation = workstation

    # --- the counter -------------------------------------------------------------------------------

    def send(self, d: Dispensing, actor: Actor | None, *, urgency: Urgency = Urgency.NORMAL,
             note: str = "") -> PreparationEntry:
        """Send the dispensing ``d`` (stored by the counter already) to preparation."""
        if d.bill is not None:
            raise PreparationError("Délivrance déjà facturée : enregistrez-la au comptoir.", code="prep_billed")
        if self.dispensings.stage(d.delivery_id) is None:
            raise PreparationError("Délivrance inconnue de la base : scannez l'ordonnance de nouveau.",
                                   code="prep_unknown")
        return self.store.add(delivery_id=d.delivery_id, number=str(d.prescription.number),
                              patient=d.prescription.patient.display_name, urgency=urgency,
                              note=" ".join(note.split())[:500], sent_by=member(actor) if actor else None,
                              actor=actor, workstation=actor.workstation if actor else self.workstation)

    def ready_for_counter(self) -> list[PreparationEntry]:
        """What the counter may take back: validated preparations."""
        return [e for e in self.store.open_entries() if e.state is PrepState.VALIDATED]

    def entry_for(self, delivery_id: str) -> PreparationEntry | None:
        return self.store.for_delivery(delivery_id)

    # --- the preparer ------------------------------------------------------------------------------

    def queue(self) -> list[PreparationEntry]:
        """Every open preparation: urgent first, then the oldest."""
        return self.store.open_entries()

    def open(self, entry_id: int) -> Opened:
        entry = self.store.get(entry_id)
        d, _stage = self.dispensings.load(entry.delivery_id)
        return Opened(entry, d)

    def take(self, entry: PreparationEntry, actor: Actor) -> Opened:
        """``actor`` prepares ``entry`` (refused if someone changed it meanwhile)."""
        taken = self.store.change(take(entry, actor, self.store.now()), action=AuditAction.PREPARATION_TAKEN,
                                  actor=actor)
        d, _stage = self.dispensings.load(entry.delivery_id)
        return Opened(taken, d)

    def still_preparing(self, entry: PreparationEntry) -> PreparationEntry:
        """``entry`` as it is now, refused (French) when it left preparation meanwhile (taken back by the
        counter, cancelled, ready): the preparer's screen asks before each operation on the lines, so
        that it never changes a dispensing the counter goes on with."""
        current = self.store.get(entry.id)
        if current.state is not PrepState.PREPARING:
            raise PreparationError(f"Préparation {current.state.label} entre-temps sur un autre poste : "
                                   "ses lignes ne se modifient plus ici.")
        return current

    def mark_ready(self, entry: PreparationEntry, d: Dispensing, actor: Actor) -> PreparationEntry:
        """The preparation is done (the dispensing ``d`` as prepared, stored already)."""
        ready = mark_ready(entry, d, actor, self.store.now())
        return self.store.change(ready, action=AuditAction.PREPARATION_READY, actor=actor,
                                 details={"points": len(ready.points), "validated": ready.state is PrepState.VALIDATED})

    # --- the pharmacist ----------------------------------------------------------------------------

    def validate(self, entry: PreparationEntry, d: Dispensing, actor: Actor, comment: str = "") -> PreparationEntry:
        """The pharmaceutical validation (refused to whoever may not validate it, naming the article)."""
        done = validate(entry, d, actor, comment, self.store.now())
        return self.store.change(done, action=AuditAction.VALIDATION, actor=actor,
                                 details={"outcome": "validated", "points": len(done.points),
                                          "commented": bool(done.comment)})

    def send_back(self, entry: PreparationEntry, actor: Actor, comment: str) -> PreparationEntry:
        """Not validated: back to the preparer with what to change."""
        back = send_back(entry, actor, comment)
        return self.store.change(back, action=AuditAction.VALIDATION, actor=actor,
                                 details={"outcome": "sent back"})

    def take_back(self, entry: PreparationEntry, actor: Actor | None) -> PreparationEntry:
        """The counter goes on with the dispensing itself (:func:`app.domain.preparation.take_back`),
        decided on ``entry`` as the counter showed it: refused when the queue changed it since."""
        return self.store.change(take_back(entry, actor), action=AuditAction.PREPARATION_CANCELLED, actor=actor,
                                 details={"taken_back": True})

    def cancel(self, entry: PreparationEntry, actor: Actor | None) -> PreparationEntry:
        """Out of the queue without a delivery (the patient left; the counter abandons the dispensing)."""
        if entry.state is PrepState.DONE:
            raise PreparationError("Préparation déjà délivrée", code="prep_delivered")
        if actor is not None:
            actor.require(Permission.PREPARE)
        return self.store.change(dataclasses.replace(entry, state=PrepState.CANCELLED),
                                 action=AuditAction.PREPARATION_CANCELLED, actor=actor)
