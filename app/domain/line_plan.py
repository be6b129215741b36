"""One call for the counter: what to hand over for a prescription line, how many boxes, and what the
rules say — pure, from the line, the product (and its speciality), the dates and the patient's earlier
deliveries.

The workflow gathers a :class:`LineContext` once per line (dates, renewal index, the patient's earlier
deliveries, the prescriber's specialty); then :func:`plan_line` gives, for one product, the boxes to
propose now (:class:`~app.domain.quantities.QuantityProposal`, with its French ``why``) and the findings
at that quantity (:class:`~app.domain.rules.Finding`, with stable codes); :func:`check_delivery` gives
the findings for the quantity actually chosen; :func:`plan_offer` orders the products offered
(generics first) and plans the first. The prescriber's own words on the line count: a fraction he
wrote, « délivrance en une seule fois », a mention allowing an overlap (:func:`prescriber_mentions`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from app.domain.catalogue import Composition, Presentation, Speciality
from app.domain.conditions import ProductConditions, parse_conditions
from app.domain.prescription import PrescriptionLine
from app.domain.quantities import (
    THREE_MONTHS_DAYS,
    BoxEstimate,
    PackInfo,
    PatientMeasures,
    QuantityProposal,
    compute_boxes,
    month_count,
    pack_info,
    propose_quantity,
)
from app.domain.renewal import prescribed_days
from app.domain.rules import (
    EarlierDelivery,
    Finding,
    LineCheck,
    bearer_identity_required,
    check_line,
    delivery_limits,
)
from app.domain.substitution import (
    Alternative,
    Prescribed,
    SubstitutionVerdict,
    order_alternatives,
    substitution_verdict,
)
from app.domain.units import UnitVocabulary, fold, parse_amount

_FRACTION = re.compile(r"fraction\w*\D{0,40}?(\d{1,2})\s*(?:j\b|jours?)", re.IGNORECASE)
_SINGLE = re.compile(r"d[ée]livr\w*\s+en\s+une\s+(?:seule\s+)?fois", re.IGNORECASE)
_OVERLAP = re.compile(r"chevauchement", re.IGNORECASE)
_OVERLAP_DENIED = re.compile(r"(?:pas de|sans|aucun|non|ni)\s+(?:\w+\s+){0,2}chevauchement|chevauchement\s+"
                             r"(?:\w+\s+){0,2}(?:interdit|non autoris|refus|proscrit|impossible)", re.IGNORECASE)


@dataclass(frozen=True)
class Mentions:
    """What the prescriber wrote on the line that changes the dispensing rules."""

    fraction_days: int | None = None  # "délivrance fractionnée par 7 jours"
    single_delivery: bool = False  # "délivrance en une seule fois" (R.5132-30)
    overlap_allowed: bool = False  # an express mention allowing an overlap (R.5132-33)


def _texts(line: PrescriptionLine) -> str:
    return " ".join((line.posology_text, *line.notes, *(d.text or "" for d in line.dosages),
                     *(i for d in line.dosages for i in d.additional_instructions)))


def prescriber_mentions(line: PrescriptionLine) -> Mentions:
    """The fraction, "délivrance en une seule fois" and an overlap mention written on the line.

    An overlap counts as allowed when the words speak of it without denying it ("chevauchement
    autorisé", "en chevauchement de l'ordonnance du …"); "pas de chevauchement", "chevauchement
    interdit" allow nothing.
    """
    text = _texts(line)
    fraction = _FRACTION.search(text)
    overlap = bool(_OVERLAP.search(text)) and not _OVERLAP_DENIED.search(text)
    return Mentions(int(fraction.group(1)) if fraction else None, bool(_SINGLE.search(text)), overlap)


def duration_in_months(line: PrescriptionLine) -> bool:
    """The duration is written in months ("pendant 1 mois"), on the line or on its dosages."""
    if line.duration is not None:
        return line.duration.unit in ("mo", "a")
    return any(d.timing.bounds_duration is not None and d.timing.bounds_duration.unit in ("mo", "a")
               for d in line.dosages)


@dataclass(frozen=True)
class LineContext:
    """What the counter knows around one line: dates, this dispensation, the patient, the prescriber."""

    prescribed_on: date
    today: date
    ordonnance: str | None = None
    renewal_index: int = 0  # 0: first dispensation, n: n-th renewal
    earlier_deliveries: int = 0  # deliveries of this ordonnance already made
    line_deliveries: int | None = None  # deliveries of this line already made (None: not known)
    earlier: tuple[EarlierDelivery, ...] = ()  # the patient's earlier deliveries, any ordonnance
    previous_coverage_end: date | None = None  # last day covered by an earlier delivery of this line
    patient_birth_date: date | None = None
    patient: PatientMeasures | None = None  # weight and height, when the prescription gives them
    prescriber_specialty: str | None = None
    # An expired line (app.domain.exceptional): since when, whether the pharmacist chose the
    # exceptional dispensing, and the exceptional dispensings of the line already made.
    expired_on: date | None = None
    exceptional: bool = False
    exceptional_periods: int = 0
    exceptional_months: int = 0


def conditions_of(product: Presentation, speciality: Speciality | None) -> ProductConditions:
    """The product's conditions from its speciality's texts, else from its stored flags."""
    if speciality is not None and speciality.conditions:
        return parse_conditions(speciality.conditions)
    return ProductConditions.from_flags(product.flags)


def substances_of(speciality: Speciality | None) -> tuple[str, ...]:
    """The active substances of a speciality (names and codes), to compare products."""
    if speciality is None:
        return ()
    found: list[str] = []
    for c in speciality.compositions:
        if c.nature.upper() in ("SA", "FT", ""):
            found += [c.substance.strip(), c.substance_code.strip()]
    return tuple(s for s in found if s)


def _amount_key(text: str) -> tuple[Decimal, str] | None:
    amount = parse_amount(text)
    if amount is None or not amount.unit:
        return None
    return amount.value.normalize(), fold(amount.unit)


def strength_composition(speciality: Speciality | None) -> Composition | None:
    """The composition row whose dosage is the speciality's strength, the one a prescription in mg
    refers to.

    CIS_COMPO gives a salt as the active substance (SA, "ATORVASTATINE CALCIQUE TRIHYDRATÉE 21,69 mg",
    often with no dosage at all) and its therapeutic fraction (FT, "ATORVASTATINE 20 mg"), the base the
    strength in the name ("TAHOR 20 mg") and the prescription (DCI prescribing, art. R.5125-55 CSP:
    substance, strength) are stated in. So: the first row with a dosage written in the speciality's name;
    else the first FT with a dosage; else the first SA with a dosage ("OXYNORM 10 mg/ml" names the
    hydrochloride: its SA matches the name). None when no row has a dosage.
    """
    rows = [c for c in (speciality.compositions if speciality else ()) if _amount_key(c.dosage)]
    if not rows:
        return None
    name = fold(speciality.name) if speciality else ""
    named = [amount for amount in (_amount_key(m.group(0)) for m in
                                   re.finditer(r"\d+(?:[.,]\d+)?\s*[a-z]+", name)) if amount]
    for row in rows:
        if _amount_key(row.dosage) in named:
            return row
    return next((c for c in rows if c.nature.upper() == "FT"), rows[0])


def pack_of(product: Presentation, speciality: Speciality | None) -> PackInfo:
    """The box as the quantity computation sees it: units, unit content, strength of the active
    substance (:func:`strength_composition`) and its reference."""
    first = strength_composition(speciality)
    return pack_info(product.pack_quantity, product.pack_unit, product.label,
                     dosage=first.dosage if first else None, reference=first.reference if first else None)


def facts(line: PrescriptionLine, product: Presentation, speciality: Speciality | None, ctx: LineContext, *,
          boxes: int, estimate: BoxEstimate | None = None) -> LineCheck:
    """The :class:`LineCheck` of ``boxes`` boxes of ``product`` for ``line``."""
    mentions = prescriber_mentions(line)
    conditions = conditions_of(product, speciality)
    reason = line.non_substitution_reason.value if line.non_substitution_reason else None
    return LineCheck(
        line_id=line.line_id, prescribed_on=ctx.prescribed_on, today=ctx.today, boxes=boxes,
        units_per_box=product.pack_quantity, daily_units=estimate.daily_units if estimate else None,
        treatment_days=line.treatment_days() or (estimate.days if estimate else None),
        renewals_written=line.renewals, renewal_index=ctx.renewal_index, earlier_deliveries=ctx.earlier_deliveries,
        line_deliveries=ctx.line_deliveries,
        remaining_boxes=line.remaining_quantity, remaining_renewals=line.remaining_renewals,
        computed_boxes=estimate.boxes if estimate else None, fraction_days=mentions.fraction_days,
        previous_coverage_end=ctx.previous_coverage_end, overlap_allowed=mentions.overlap_allowed,
        conditions=conditions, duration_in_months=duration_in_months(line), single_delivery=mentions.single_delivery,
        product_label=product.name, prescriber_specialty=ctx.prescriber_specialty,
        patient_birth_date=ctx.patient_birth_date, non_substitutable=not line.substitution_allowed,
        non_substitution_reason=reason, substances=substances_of(speciality), ordonnance=ctx.ordonnance,
        earlier=ctx.earlier, expired_on=ctx.expired_on, exceptional=ctx.exceptional,
        exceptional_periods=ctx.exceptional_periods, exceptional_months=ctx.exceptional_months,
        pharmaceutical_form=speciality.form if speciality else "", routes=speciality.routes if speciality else ())


@dataclass(frozen=True)
class LinePlan:
    """For one line and one product: the boxes to propose now, the findings at that quantity, the
    product's conditions, and whether the bearer's identity is asked (stupéfiants and assimilés)."""

    product: Presentation
    proposal: QuantityProposal
    findings: tuple[Finding, ...]
    conditions: ProductConditions
    bearer_identity: bool

    @property
    def blocked(self) -> bool:
        return any(f.blocking for f in self.findings)


def plan_line(line: PrescriptionLine, product: Presentation, speciality: Speciality | None, ctx: LineContext,
              *, vocabulary: UnitVocabulary | None = None) -> LinePlan:
    """The boxes of ``product`` to propose now for ``line`` and what the rules say of them."""
    pack = pack_of(product, speciality)
    draft = propose_quantity(line, pack, patient=ctx.patient, vocabulary=vocabulary)
    base = facts(line, product, speciality, ctx, boxes=draft.boxes, estimate=draft.need)
    proposal = propose_quantity(line, pack, limits=delivery_limits(base), patient=ctx.patient, vocabulary=vocabulary)
    found = check_line(replace(base, boxes=proposal.boxes))
    return LinePlan(product, proposal, tuple(found), base.product, bearer_identity_required(base.product))


def check_delivery(line: PrescriptionLine, product: Presentation, speciality: Speciality | None, ctx: LineContext,
                   boxes: int, *, vocabulary: UnitVocabulary | None = None) -> list[Finding]:
    """The findings for ``boxes`` boxes of ``product`` (the quantity the pharmacist chose)."""
    need = propose_quantity(line, pack_of(product, speciality), patient=ctx.patient, vocabulary=vocabulary).need
    return check_line(facts(line, product, speciality, ctx, boxes=boxes, estimate=need))


def verdict_for(line: PrescriptionLine, speciality: Speciality | None, ctx: LineContext) -> SubstitutionVerdict:
    """Whether a generic may replace what ``line`` prescribes, for this patient, on ``ctx.today``."""
    return substitution_verdict(line, on=ctx.today, substances=substances_of(speciality),
                                patient_birth_date=ctx.patient_birth_date)


@dataclass(frozen=True)
class LineOffer:
    """The products offered for a line, best first, and the plan of the first."""

    alternatives: tuple[Alternative, ...]
    verdict: SubstitutionVerdict
    plan: LinePlan | None


def plan_offer(line: PrescriptionLine, prescribed: Prescribed, candidates: Sequence[Presentation],
               specialities: Mapping[str, Speciality], ctx: LineContext, *, preferred_labs: Sequence[str] = (),
               vocabulary: UnitVocabulary | None = None) -> LineOffer:
    """Order ``candidates`` (generics first when substitution is allowed, a three-month pack first for a
    treatment of three months or more, then by cost for the need, then the pharmacy's preferred
    laboratories) and plan the first one. ``specialities`` maps a CIS to its
    speciality (conditions, compositions, holder)."""
    prescribed_spec = next((specialities.get(cis) for cis in sorted(prescribed.cis) if cis in specialities), None)
    verdict = verdict_for(line, prescribed_spec, ctx)
    needed: Decimal | None = None
    large: set[str] = set()
    total = prescribed_days(line)
    for product in candidates:
        estimate = compute_boxes(line, pack_of(product, specialities.get(product.cis)), patient=ctx.patient,
                                 vocabulary=vocabulary)
        if estimate.units_needed and needed is None:
            needed = estimate.units_needed
        if (total is not None and total >= THREE_MONTHS_DAYS and estimate.daily_units and product.pack_quantity
                and month_count(product.pack_quantity / estimate.daily_units) == 3):
            large.add(product.cip13)
    holders = {cis: s.holder for cis, s in specialities.items()}
    offered = order_alternatives(line, prescribed, candidates, allowed=verdict.allowed, preferred_labs=preferred_labs,
                                 holders=holders, needed_units=needed, large_packs=frozenset(large))
    if not offered:
        return LineOffer((), verdict, None)
    best = offered[0].product
    return LineOffer(tuple(offered), verdict, plan_line(line, best, specialities.get(best.cis), ctx,
                                                        vocabulary=vocabulary))
