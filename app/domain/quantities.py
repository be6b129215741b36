"""How many boxes a prescription line needs, and how many to hand over now.

:func:`compute_boxes` gives the need of one dispensation: the prescribed quantity when the prescriber
wrote one, else posology × duration ÷ units per box, rounded up (every dosage of the line counts, see
:mod:`app.domain.dose`). When it cannot be computed (no duration, a cream "1 application", a dose per
kg without the weight …) ``boxes`` is None with the reason in French.

**A month is counted the way the pack counts it.** The pharmacist hands over "quatre semaines ou
trente jours de traitement selon le conditionnement" (art. R.5132-22 CSP): a box of 28 to 31 units
taken once a day *is* a month, a box of 84 to 93 three months. So a treatment of k months (a duration
of 28k to 31k days, or written in months) is counted as k × 28 days with boxes holding a multiple of 7
units (weekly blisters) and k × 30 days otherwise, never more days than written: "1 comprimé par jour
pendant 1 mois" with boxes of 28 is 28 tablets, one box — not 30 tablets, two boxes.

:func:`propose_quantity` turns the need into what is handed over now: never 0 boxes. Where the need
cannot be computed it proposes one box — the smallest pack is chosen among the presentations by
:func:`choose_pack` — and says why; where a rule limits one delivery (a month for liste I/II, the
fraction of a stupéfiant, the days left …) the limits given by :func:`app.domain.rules.delivery_limits`
lower it, each with its reason. The whole computation is explained in French (``why``).
"""

from __future__ import annotations

import dataclasses
import enum
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TypeVar

from app.domain.dose import (
    DoseReader,
    PackInfo,
    PatientMeasures,
    Step,
    administrations_per_day,
    fmt,
    phases,
    plural,
)
from app.domain.prescription import Duration, PrescriptionLine, Quantity
from app.domain.units import UnitVocabulary, default_vocabulary, fold, is_measure, parse_amount

__all__ = ["BoxEstimate", "DeliveryLimit", "PackInfo", "PatientMeasures", "ProposalBasis", "QuantityProposal",
           "THREE_MONTHS_DAYS", "administrations_per_day", "boxes_for_units", "choose_pack", "compute_boxes", "days_covered",
           "month_count", "pack_info", "propose_quantity", "same_unit"]

# Words meaning "a box" in a prescribed quantity (dispenseRequest.quantity).
_BOX_WORDS = {"boite", "boites", "bte", "btes", "conditionnement", "conditionnements", "unite de vente",
              "box", "pack"}
MAX_MONTHS = 12  # a prescription covers twelve months at most (art. R.5132-21 CSP)
# A treatment of "three months or more" (L.5125-23, R.5132-22), counted as the packs count it: twelve
# weeks (three boxes of 28) is three months.
THREE_MONTHS_DAYS = Decimal(84)
T = TypeVar("T")


@dataclass(frozen=True)
class BoxEstimate:
    """The computed number of boxes (None when it cannot be computed) and why."""

    boxes: int | None
    explanation: str  # French, for the hover
    units_needed: Decimal | None = None
    days: Decimal | None = None  # treatment days covered by the computation
    daily_units: Decimal | None = None  # units a day (the maximum for ranges / as-needed)
    reason: str | None = None  # French, when boxes is None
    months: int | None = None  # the treatment in months, when it is counted in months

    @property
    def computed(self) -> bool:
        return self.boxes is not None


def same_unit(a: str | None, b: str | None, vocabulary: UnitVocabulary | None = None) -> bool:
    """True when two unit words name the same thing (``Comprimé`` and ``comprimé(s) pelliculé(s)``,
    ``patch`` and ``dispositif(s) transdermique(s)``)."""
    return (vocabulary or default_vocabulary()).same(a, b)


def month_count(days: Decimal | None) -> int | None:
    """k when ``days`` is k months by the pack convention (28k to 31k days, k ≤ 12), else None."""
    if days is None or days <= 0:
        return None
    for k in range(1, MAX_MONTHS + 1):
        if 28 * k <= days <= 31 * k:
            return k
    return None


def contraceptive_cycles(units_per_box: Decimal | None) -> int | None:
    """Cycles (months of contraception) in one box of pills: a blister of 28 (or 21 taken over four
    weeks) is one cycle — "3 plaquettes de 21" is three months; None when the box does not count in
    blisters of 21 or 28 (a patch, a ring, an implant: counted in days)."""
    if not units_per_box or units_per_box != units_per_box.to_integral_value():
        return None
    units = int(units_per_box)
    for cycle in (28, 21):
        if units % cycle == 0:
            return units // cycle
    return None


def month_days(pack_quantity: Decimal | None, daily_units: Decimal | None = None) -> Decimal:
    """Days a month of treatment is counted for a pack: 28 for weekly blisters (a multiple of 7
    units), or for a box lasting whole four-week months at the prescribed rate (4 tablets taken once a
    week: four weeks; 12: twelve weeks); 30 otherwise (a box of 30 taken five days a week lasts six
    weeks, not months of four weeks) (R.5132-22: "quatre semaines ou trente jours selon le
    conditionnement")."""
    if pack_quantity and pack_quantity == pack_quantity.to_integral_value() and int(pack_quantity) % 7 == 0:
        return Decimal(28)
    if pack_quantity and daily_units and 0 < daily_units < 1:
        days = (pack_quantity / daily_units).quantize(Decimal("0.001"))
        if days == days.to_integral_value() and int(days) % 28 == 0:
            return Decimal(28)
    return Decimal(30)


def _box_text(units: Decimal, pack: PackInfo, boxes: int) -> str:
    exact = units / pack.quantity  # type: ignore[operator]
    return (f"boîte de {plural(pack.quantity, pack.unit or 'unité')} → {fmt(units)} ÷ {fmt(pack.quantity)}"  # type: ignore[arg-type]
            f" = {fmt(exact)}, arrondi au supérieur : {boxes} boîte{'s' if boxes > 1 else ''}")


def boxes_for_units(units: Decimal, pack: PackInfo) -> tuple[int | None, str]:
    """Boxes of ``pack`` holding at least ``units`` (another pack size of the same product, a generic
    of another size: the count is recomputed), with the computation in words."""
    if not pack.quantity or pack.quantity <= 0:
        return None, "contenu de la boîte inconnu"
    boxes = int((units / pack.quantity).to_integral_value(rounding=ROUND_CEILING))
    boxes = max(boxes, 1) if units > 0 else 0
    return boxes, _box_text(units, pack, boxes)


def is_box_unit(unit: str | None) -> bool:
    """A prescribed quantity counted in boxes ("2 boîtes", "1 conditionnement")."""
    folded = fold(unit or "").strip("{}[] ")  # UCUM annotations: "{boîte}"
    return folded in _BOX_WORDS or folded.split(" ")[0].rstrip("s") in {"boite", "bte", "conditionnement"}


def quantity_in_units(line: PrescriptionLine, pack: PackInfo) -> PrescriptionLine:
    """``line`` with a quantity written in boxes of ``pack`` (the presentation it names) restated in
    units: "1 boîte" of TAHOR ×28 is 28 tablets, and a generic in boxes of 30 (or a three-month box)
    is counted from those 28 tablets, not from one of its own boxes (art. L.5125-23 CSP: the
    substitute is handed over for the quantity prescribed)."""
    q = line.quantity
    if q is None or q.value <= 0 or not is_box_unit(q.unit) or not pack.quantity:
        return line
    return replace(line, quantity=Quantity(q.value * pack.quantity, pack.unit or "unité"))


def _explicit_quantity(line: PrescriptionLine, reader: DoseReader) -> BoxEstimate | None:
    """The prescribed quantity (FHIR dispenseRequest.quantity), when the prescriber wrote one."""
    q = line.quantity
    pack = reader.pack
    if q is None or q.value <= 0:
        return None
    if is_box_unit(q.unit):
        boxes = int(q.value.to_integral_value(rounding=ROUND_CEILING))
        return BoxEstimate(boxes, f"Quantité prescrite : {boxes} boîte{'s' if boxes > 1 else ''}",
                           units_needed=None if not pack.quantity else boxes * pack.quantity)
    units, reason, _ = reader.units(q)
    if units is None:
        return BoxEstimate(None, f"Quantité prescrite : {q}", reason=reason)
    boxes, box_text = boxes_for_units(units, pack)
    if boxes is None:
        return BoxEstimate(None, f"Quantité prescrite : {q}", units_needed=units, reason=box_text)
    return BoxEstimate(boxes, f"Quantité prescrite : {q} ; {box_text}", units_needed=units)


@dataclass
class _Schedule:
    """The line read as consecutive phases: units, days, words."""

    units: Decimal
    days: Decimal
    parts: list[str]
    constant_daily: Decimal | None  # one phase of one rate: units a day (for the month count)


def _schedule(line: PrescriptionLine, reader: DoseReader) -> tuple[_Schedule | None, str | None, Decimal | None, str]:
    """(schedule, None, None, "") or (None, reason, units a day when known, their words)."""
    groups = phases(line.dosages)
    line_days = line.duration.days() if line.duration is not None else None
    units = Decimal(0)
    days_total = Decimal(0)
    parts: list[str] = []
    dailies: list[Decimal] = []
    for index, group in enumerate(groups):
        steps: list[Step] = []
        for dosage in group:
            step, reason = reader.step(dosage)
            if step is None:
                return None, reason, None, ""
            steps.append(step)
        bounds = [s.days for s in steps if s.days is not None]
        group_days = max(bounds) if bounds else None
        if group_days is None and line_days is not None and index == len(groups) - 1:
            group_days = line_days - days_total  # the last phase goes on until the end of the treatment
        daily = sum((s.daily for s in steps), Decimal(0))
        totals = [s for s in steps if s.total is not None]
        if group_days is None or group_days <= 0:
            if totals and len(totals) == len(steps):  # "1 dose unique": no duration needed
                units += sum((s.total for s in totals), Decimal(0))  # type: ignore[misc]
                parts.append(" + ".join(s.text for s in steps))
                continue
            return None, "durée du traitement non précisée", daily or None, " + ".join(s.text for s in steps)
        for step in steps:
            step_days = step.days if step.days is not None else group_days
            units += step.total if step.total is not None else step.daily * step_days
        words = " + ".join(s.text for s in steps)
        parts.append(f"({words}) × {fmt(group_days)} jours" if len(steps) > 1 else f"{words} × {fmt(group_days)} jours")
        days_total += group_days
        dailies.append(daily)
    constant = dailies[0] if len(groups) == 1 and len(dailies) == 1 else None
    return _Schedule(units, days_total, parts, constant), None, None, ""


_QSP = re.compile(r"\bq\.?\s?s\.?\s?p\.?\s*:?\s*(\d+(?:[.,]\d+)?)\s*(jours?|j|semaines?|sem|mois|ans?)\b",
                  re.IGNORECASE)
_QSP_UNITS = {"jour": "d", "jours": "d", "j": "d", "semaine": "wk", "semaines": "wk", "sem": "wk", "mois": "mo",
              "an": "a", "ans": "a"}


def qsp_duration(line: PrescriptionLine) -> Duration | None:
    """The duration a "QSP" (quantité suffisante pour) written on the line gives — "QSP 3 mois",
    "qsp 28 jours" — when the line states no duration of its own; None otherwise. QSP asks for the
    quantity covering that duration, so it is a duration, not a count of boxes."""
    if line.duration is not None or any(d.timing.bounds_duration is not None for d in line.dosages):
        return None
    text = " ".join((line.posology_text, *line.notes, *(d.text or "" for d in line.dosages)))
    match = _QSP.search(text)
    if not match:
        return None
    return Duration(Decimal(match.group(1).replace(",", ".")), _QSP_UNITS[match.group(2).lower()])


def _posology_rate(line: PrescriptionLine, reader: DoseReader) -> Decimal | None:
    """Units a day the posology gives (the average over its phases), or None when it cannot be read."""
    if not line.dosages:
        return None
    schedule, _, daily_known, _ = _schedule(line, reader)
    if schedule is None:
        return daily_known
    if schedule.days:
        return schedule.units / schedule.days
    return schedule.constant_daily


def compute_boxes(line: PrescriptionLine, pack: PackInfo, *, patient: PatientMeasures | None = None,
                  vocabulary: UnitVocabulary | None = None) -> BoxEstimate:
    """Boxes for ``line`` with boxes like ``pack``: the prescribed quantity, else posology × duration
    (the duration written, or the one of a "QSP", :func:`qsp_duration`).

    The prescriber's quantity ("1 boîte", "2 boîtes", "60 comprimés") replaces the computation: the
    pharmacist hands over what is prescribed (art. R.4235-48 CSP), and the legal limits of one delivery
    still lower it (:func:`propose_quantity`). Never raises: a posology that cannot be read gives
    ``boxes`` None and the reason.
    """
    qsp = qsp_duration(line)
    if qsp is not None:
        line = dataclasses.replace(line, duration=qsp)
    reader = DoseReader(pack, patient, vocabulary)
    explicit = _explicit_quantity(line, reader)
    if explicit is not None:
        # the posology's rate still tells how long the boxes last, for the limits of one delivery
        rate = _posology_rate(line, reader)
        return dataclasses.replace(explicit, daily_units=rate) if rate else explicit
    if not line.dosages:
        return BoxEstimate(None, "", reason="posologie non structurée")
    schedule, reason, daily_known, words = _schedule(line, reader)
    if schedule is None:
        return BoxEstimate(None, words, daily_units=daily_known, reason=reason)
    units, days = schedule.units, schedule.days
    parts = schedule.parts
    months = month_count(days) if schedule.constant_daily else None
    if months is not None and pack.quantity and schedule.constant_daily:
        month = month_days(pack.quantity, schedule.constant_daily)
        counted = min(days, month * months)  # never more days than written
        if counted != days:
            units = schedule.constant_daily * counted
            parts = [f"{parts[0]}, soit {months} mois compté{'s' if months > 1 else ''} {fmt(counted)} jours "
                     f"(boîte de {fmt(pack.quantity)} : un mois = "
                     f"{'quatre semaines' if month == 28 else 'trente jours'}, art. R.5132-22)"]
            days = counted
    units = units.quantize(Decimal("0.001"))  # 2 × 1/7 × 28 must give 8, not 8.000…1 rounded up to 9
    if units <= 0:
        return BoxEstimate(None, "", reason="dose nulle ou négative")
    units = Decimal(math.ceil(units))
    unit_word = pack.unit or "unité"
    text = " + ".join(parts) + f" = {plural(units, unit_word)}"
    daily = units / days if days else schedule.constant_daily
    boxes, box_text = boxes_for_units(units, pack)
    if boxes is None:
        return BoxEstimate(None, text, units_needed=units, days=days or None, daily_units=daily, reason=box_text,
                           months=months)
    return BoxEstimate(boxes, f"{text} ; {box_text}", units_needed=units, days=days or None, daily_units=daily,
                       months=months)


def days_covered(boxes: int | Decimal, units_per_box: Decimal | None, daily_units: Decimal | None) -> Decimal | None:
    """How many days ``boxes`` boxes of ``units_per_box`` last at ``daily_units`` a day, or None."""
    if not daily_units or daily_units <= 0 or not units_per_box:
        return None
    return boxes * units_per_box / daily_units


# --- what is handed over now -------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryLimit:
    """A rule's cap on one delivery, in days of treatment, in months (counted as the pack counts
    them), or in boxes; with the rule's code, article and French reason."""

    code: str
    reason: str
    article: str
    days: Decimal | None = None
    months: int | None = None
    boxes: Decimal | None = None

    def max_boxes(self, pack: PackInfo, daily_units: Decimal | None) -> int | None:
        """The most boxes this limit lets through (at least one: a box is the smallest delivery),
        None when it cannot tell (pack or rate unknown)."""
        candidates: list[int] = []
        if self.boxes is not None:
            candidates.append(max(1, int(self.boxes.to_integral_value(rounding=ROUND_FLOOR))))
        days = self.days
        if self.months is not None:
            month = month_days(pack.quantity, daily_units)
            days = month * self.months if days is None else min(days, month * self.months)
        if days is not None and pack.quantity and daily_units and daily_units > 0:
            # the smallest number of boxes covering the days: one more would break the limit
            needed = (days * daily_units / pack.quantity).quantize(Decimal("0.001"))
            candidates.append(max(1, int(needed.to_integral_value(rounding=ROUND_CEILING))))
        return min(candidates) if candidates else None


class ProposalBasis(enum.Enum):
    PRESCRIBED = "prescribed"  # the quantity the prescriber wrote
    COMPUTED = "computed"  # posology × duration
    SMALLEST_PACK = "smallest_pack"  # not computable: one box, the reason shown


@dataclass(frozen=True)
class QuantityProposal:
    """What the counter proposes to hand over now for one line and one pack: at least one box."""

    boxes: int
    why: str  # French: the computation, the caps, or why one box
    basis: ProposalBasis
    need: BoxEstimate  # the whole dispensation's need
    units: Decimal | None = None  # units handed over (boxes × pack)
    days_covered: Decimal | None = None
    limited_by: tuple[str, ...] = ()  # codes of the limits that lowered the count

    @property
    def complete(self) -> bool:
        """True when these boxes cover the whole need of the dispensation."""
        return self.need.boxes is not None and self.boxes >= self.need.boxes


def propose_quantity(line: PrescriptionLine, pack: PackInfo, *, limits: Sequence[DeliveryLimit] = (),
                     patient: PatientMeasures | None = None,
                     vocabulary: UnitVocabulary | None = None) -> QuantityProposal:
    """The boxes to hand over now: the need, lowered by every limit, never below one box."""
    need = compute_boxes(line, pack, patient=patient, vocabulary=vocabulary)
    daily = need.daily_units
    if need.boxes is None or need.boxes <= 0:
        container = pack.unit or "boîte"
        reason = need.reason or "quantité non calculable"
        lasts = days_covered(1, pack.quantity, daily)
        content = plural(pack.quantity, container) if pack.quantity else container
        if lasts is not None:
            content += f", {fmt(lasts)} jour{'s' if lasts > 1 else ''} de traitement"
        why = f"{reason} : une boîte proposée (le plus petit conditionnement, {content}), à ajuster avec le patient"
        if need.explanation:
            why = f"{need.explanation} ; {why}"
        boxes, basis, capped = 1, ProposalBasis.SMALLEST_PACK, ()
    else:
        boxes = need.boxes
        basis = ProposalBasis.PRESCRIBED if line.quantity is not None and line.quantity.value > 0 \
            else ProposalBasis.COMPUTED
        why = need.explanation
        lowered: list[str] = []
        for limit in limits:
            allowed = limit.max_boxes(pack, daily)
            if allowed is not None and allowed < boxes:
                boxes = allowed
                lowered.append(limit.code)
                why += f". Proposé : {boxes} boîte{'s' if boxes > 1 else ''} — {limit.reason}"
        capped = tuple(lowered)
    units = boxes * pack.quantity if pack.quantity else None
    return QuantityProposal(boxes, why, basis, need, units, days_covered(boxes, pack.quantity, daily), capped)


def choose_pack(line: PrescriptionLine, packs: Sequence[tuple[T, PackInfo]], *,
                patient: PatientMeasures | None = None,
                vocabulary: UnitVocabulary | None = None) -> tuple[T, str] | None:
    """Among boxes of the same product, the one to hand over, and why (French).

    - A treatment of three months or more ("3 mois", or a month renewed twice) takes a three-month
      pack when one exists: "lorsqu'un traitement est prescrit pour une durée d'au moins trois mois, y
      compris au moyen du renouvellement multiple d'un traitement mensuel, et qu'un grand
      conditionnement est disponible …, le pharmacien doit délivrer ledit conditionnement" (art.
      L.5125-23 CSP, last paragraph, LFSS 2008 art. 53).
    - Otherwise the pack whose boxes fit the need best (fewest units left over, then fewest boxes).
    - When the need cannot be computed, the smallest pack.
    """
    if not packs:
        return None
    estimates = [(item, pack, compute_boxes(line, pack, patient=patient, vocabulary=vocabulary))
                 for item, pack in packs]
    total_days = _total_days(line, estimates)
    if total_days is not None and total_days >= THREE_MONTHS_DAYS:
        large = [(item, pack, est) for item, pack, est in estimates
                 if est.daily_units and pack.quantity and month_count(pack.quantity / est.daily_units) == 3]
        if large:
            item, pack, _ = min(large, key=lambda x: x[1].quantity)  # type: ignore[arg-type,return-value]
            return item, (f"traitement de {fmt(total_days)} jours : grand conditionnement de "
                          f"{plural(pack.quantity, pack.unit or 'unité')} (art. L.5125-23)")  # type: ignore[arg-type]
    computed = [(item, pack, est) for item, pack, est in estimates if est.boxes and pack.quantity]
    if computed:
        def waste(entry):
            _, pack, est = entry
            return (est.boxes * pack.quantity - (est.units_needed or 0), est.boxes, pack.quantity)
        item, pack, est = min(computed, key=waste)
        return item, f"boîte de {plural(pack.quantity, pack.unit or 'unité')} : la plus proche du besoin"  # type: ignore[arg-type]
    known = [(item, pack) for item, pack, _ in estimates if pack.quantity]
    item, pack = min(known, key=lambda x: x[1].quantity) if known else (packs[0][0], packs[0][1])  # type: ignore[arg-type,return-value]
    return item, "quantité non calculable : le plus petit conditionnement"


def _total_days(line: PrescriptionLine, estimates) -> Decimal | None:
    """The whole prescribed treatment in days, renewals included."""
    days = line.treatment_days()
    if days is None:
        days = next((est.days for _, _, est in estimates if est.days), None)
    if days is None:
        return None
    return days * (1 + max(line.renewals, 0))


# --- the pack as the computation sees it, from the catalogue's words ---------------------------

_CONTENT = re.compile(r"\bde\s+(\d+(?:[.,]\d+)?)\s*(ml|l|g|mg)\b", re.IGNORECASE)


def unit_content(label: str) -> Quantity | None:
    """What one unit of a pack holds, from its label: "5 cartouche(s) en verre de 3 ml" → 3 ml,
    "1 tube(s) aluminium de 30 g" → 30 g; None when the label counts units only."""
    text = " ".join((label or "").split())
    match = _CONTENT.search(text)
    if not match:
        return None
    return parse_amount(f"{match.group(1)} {match.group(2)}")


def strength_reference(reference: str) -> Quantity | None:
    """The reference of a BDPM strength: "1 ml de la solution injectable" → 1 ml, "100 g de crème" →
    100 g; None for one unit ("un comprimé", "une seringue pré-remplie de 0,4 ml")."""
    text = fold(reference)
    if re.match(r"^(?:un|une)\b", text):
        return None
    amount = parse_amount(reference)
    if amount is None or not amount.unit:
        return None
    return amount if is_measure(amount.unit) else None


def pack_info(quantity: Decimal | None, unit: str | None, label: str = "", *, dosage: str | None = None,
              reference: str | None = None) -> PackInfo:
    """A :class:`PackInfo` from catalogue words: the pack's units, its label (for the content of one
    unit) and the first composition's dosage and reference ("100 UI" for "1 ml de la solution")."""
    strength = parse_amount(dosage) if dosage else None
    if strength is not None and not strength.unit:
        strength = None
    return PackInfo(quantity, unit, strength, strength_reference(reference or "") if strength else None,
                    unit_content(label), label)
