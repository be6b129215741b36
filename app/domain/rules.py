"""Regulatory rules checked before a line is handed over (Code de la santé publique, CSP).

Each rule is a named function taking a :class:`LineCheck` (everything the rule needs, gathered by the
workflow) and returning findings. A finding has a stable ``code`` (listed in :data:`CODES`), a
``severity`` — BLOCKING stops the delivery and explains itself; WARNING can be overridden by the
pharmacist with a reason, recorded with the delivery (``LineDelivery.overrides``); INFO only informs —
a French ``message`` and the ``article`` it applies.

What a product requires comes from its BDPM conditions (:mod:`app.domain.conditions`): a classed
stupéfiant gets the stupéfiant rules; an "assimilé" (ordonnance sécurisée, not classed) only the rules
its own conditions name (its duration limit, its fractioning, its overlap ban); a hospital-only
product is not sold at the counter. Rules that limit how much one delivery may hold also say so as
:class:`~app.domain.quantities.DeliveryLimit` (:func:`delivery_limits`), so that the quantity proposed
is within them from the start. Dates are computed in days; a month is counted as in the text of each
article (3 calendar months, 12 calendar months, 28 days …).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from app.domain.conditions import PrescriberKind, PrescriberRestriction, ProductConditions, plain
from app.domain.quantities import THREE_MONTHS_DAYS, DeliveryLimit, days_covered, month_count, month_days
from app.domain.renewal import (
    EARLY_TOLERANCE_DAYS,
    NARCOTIC_PRESENTATION_DAYS,
    add_months,
    covered_until,
    fr_date,
    next_delivery_from,
)
from app.domain.substances import is_contraceptive, is_mte, same_substance

__all__ = ["CODES", "RULES", "EarlierDelivery", "Finding", "LineCheck", "Severity", "add_months",
           "check_line", "delivery_limits", "override_key", "unresolved"]


class Severity(enum.Enum):
    BLOCKING = "blocking"
    WARNING = "warning"
    INFO = "info"

    @property
    def level(self) -> str:
        """"block", "warn" or "info": the word of the ``propose --json`` output."""
        return {"blocking": "block", "warning": "warn", "info": "info"}[self.value]


# Stable codes of the findings, each with what it means (the README lists them).
CODES: dict[str, str] = {
    "VALIDITY_FIRST_DELIVERY": "liste I/II : première délivrance plus de trois mois après l'ordonnance (R.5132-22)",
    "PRESCRIPTION_OVER_12_MONTHS": "liste I/II : plus de douze mois de traitement (R.5132-21)",
    "MONTH_PER_DELIVERY": "liste I/II : plus d'un mois de traitement en une délivrance (R.5132-22)",
    "RENEWAL_NOT_PRESCRIBED": "renouvellement que le prescripteur n'a pas écrit (R.5132-22)",
    "RENEWAL_NOT_ALLOWED": "stupéfiant : l'ordonnance ne se renouvelle pas (R.5132-30)",
    "MAX_PRESCRIPTION_DURATION": "durée de prescription au-delà de la limite du produit, 28 jours pour un stupéfiant",
    "FRACTIONED_DELIVERY": "délivrance fractionnée : une fraction à la fois (R.5132-30)",
    "NARCOTIC_PRESENTATION_WINDOW": "stupéfiant présenté plus de trois jours après : durée restante seulement (R.5132-33)",
    "OVERLAP": "chevauchement avec une délivrance précédente de la même substance (R.5132-33)",
    "HOSPITAL_ONLY": "réservé à l'usage hospitalier ou aux pharmacies à usage intérieur (R.5121-82)",
    "RESERVED_USE": "réservé à un autre circuit (usage professionnel, centres de vaccination …)",
    "RESTRICTED_PRESCRIBER": "prescription restreinte : prescripteur ou prescription initiale à vérifier (R.5121-77)",
    "EXCEPTION_DRUG": "médicament d'exception : ordonnance de médicament d'exception (R.163-2 CSS)",
    "DISPENSING_CHECK": "condition de délivrance de l'AMM à vérifier (CIS_CPD)",
    "SPECIAL_MONITORING": "surveillance particulière pendant le traitement (R.5121-93)",
    "NON_SUBSTITUTABLE_UNJUSTIFIED": "« non substituable » sans justification MTE, EFG ou CIF valable (L.5125-23)",
    "EARLY_RENEWAL": "délivrance avant la fin de la précédente (R.5132-14)",
    "BEYOND_REMAINING": "plus que ce qui reste à délivrer sur la ligne (R.5132-14)",
    "QUANTITY_ABOVE_NEED": "quantité supérieure au besoin calculé (R.4235-48)",
}
# The rule functions' names (kept in recorded overrides) → their code.
_RULE_CODES = {
    "first_delivery_within_three_months": "VALIDITY_FIRST_DELIVERY",
    "treatment_at_most_twelve_months": "PRESCRIPTION_OVER_12_MONTHS",
    "at_most_one_month_at_once": "MONTH_PER_DELIVERY",
    "liste_one_renewed_only_when_written": "RENEWAL_NOT_PRESCRIBED",
    "narcotic_not_renewed": "RENEWAL_NOT_ALLOWED",
    "max_prescription_duration": "MAX_PRESCRIPTION_DURATION",
    "fractioned_delivery": "FRACTIONED_DELIVERY",
    "narcotic_presented_within_three_days": "NARCOTIC_PRESENTATION_WINDOW",
    "no_overlap": "OVERLAP",
    "hospital_only": "HOSPITAL_ONLY",
    "reserved_use": "RESERVED_USE",
    "restricted_prescriber": "RESTRICTED_PRESCRIBER",
    "exception_drug": "EXCEPTION_DRUG",
    "dispensing_checks": "DISPENSING_CHECK",
    "special_monitoring": "SPECIAL_MONITORING",
    "non_substitutable_unjustified": "NON_SUBSTITUTABLE_UNJUSTIFIED",
    "early_renewal": "EARLY_RENEWAL",
    "no_delivery_beyond_remaining": "BEYOND_REMAINING",
    "quantity_above_need": "QUANTITY_ABOVE_NEED",
    # names of earlier versions, still found in recorded overrides
    "narcotic_at_most_28_days": "MAX_PRESCRIPTION_DURATION",
    "narcotic_fractioning": "FRACTIONED_DELIVERY",
    "narcotic_no_overlap": "OVERLAP",
}


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one line, in French for the pharmacist.

    ``rule`` is the rule's name (the key of an override); ``code`` its stable code, filled from the
    rule when not given.
    """

    rule: str
    severity: Severity
    message: str
    article: str
    line_id: str | None = None
    code: str = ""
    # What the message says, as values (``variant`` names which message of the rule): a UI in
    # another language renders the finding from its code, variant and values (app.ui.i18n).
    variant: str = ""
    values: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.code:
            object.__setattr__(self, "code", _RULE_CODES.get(self.rule, self.rule.upper()))

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCKING


@dataclass(frozen=True)
class EarlierDelivery:
    """A delivery already made to the same patient (this ordonnance or another), as the rules see it."""

    ordonnance: str
    line_id: str
    delivered_on: date
    covered_until: date | None  # last day the boxes last (None: unknown)
    substances: tuple[str, ...] = ()  # substance codes or names, to recognise the same substance
    label: str = ""


@dataclass(frozen=True)
class LineCheck:
    """The facts the rules look at for one line of one delivery.

    ``conditions`` are the product's BDPM conditions; when not given they are derived from
    ``listed``/``narcotic`` (then a narcotic is read as a classed stupéfiant), and ``listed`` and
    ``narcotic`` follow ``conditions`` when it is given.
    """

    line_id: str
    prescribed_on: date
    today: date
    listed: str | None = None  # "I", "II" or None
    narcotic: bool = False  # classed stupéfiant
    boxes: int = 0  # boxes about to be handed over
    units_per_box: Decimal | None = None
    daily_units: Decimal | None = None  # maximum units a day from the posology
    treatment_days: Decimal | None = None  # duration of the line, one delivery period
    renewals_written: int = 0  # renewals the prescriber wrote
    renewal_index: int = 0  # 0: first delivery, n: n-th renewal
    earlier_deliveries: int = 0  # deliveries of this ordonnance already made (any dispensation)
    line_deliveries: int | None = None  # deliveries of this line already made (None: not known)
    remaining_boxes: Decimal | None = None  # what the service says is left, boxes
    remaining_renewals: int | None = None
    computed_boxes: int | None = None  # what posology × duration gives
    fraction_days: int | None = None  # fractioning written by the prescriber
    previous_coverage_end: date | None = None  # last day covered by an earlier delivery of this line
    overlap_allowed: bool = False  # prescriber's express mention allowing overlap
    pack_days: Decimal | None = field(default=None)  # days one box lasts (derived when possible)
    conditions: ProductConditions | None = None
    duration_in_months: bool = False  # the line's duration is written in months ("1 mois")
    single_delivery: bool = False  # prescriber's "délivrance en une seule fois" (no fractioning)
    product_label: str = ""
    prescriber_specialty: str | None = None
    patient_birth_date: date | None = None
    non_substitutable: bool = False  # the prescriber wrote "non substituable"
    non_substitution_reason: str | None = None  # "MTE", "EFG", "CIF" or None
    substances: tuple[str, ...] = ()  # the product's active substances (codes or names)
    ordonnance: str | None = None
    earlier: tuple[EarlierDelivery, ...] = ()  # the patient's earlier deliveries (any ordonnance)
    tolerance_days: int = EARLY_TOLERANCE_DAYS

    def __post_init__(self) -> None:
        if self.conditions is None:
            object.__setattr__(self, "conditions", ProductConditions(list_level=self.listed, narcotic=self.narcotic,
                                                                     secure_prescription=self.narcotic))
        else:
            object.__setattr__(self, "listed", self.conditions.list_level)
            object.__setattr__(self, "narcotic", self.conditions.narcotic)

    @property
    def product(self) -> ProductConditions:
        assert self.conditions is not None  # set in __post_init__
        return self.conditions

    def covered_days(self) -> Decimal | None:
        """Days the boxes about to be handed over last at the prescribed maximum rate."""
        if not self.boxes:
            return None
        return days_covered(self.boxes, self.units_per_box, self.daily_units)

    def one_box_days(self) -> Decimal | None:
        if self.pack_days is not None:
            return self.pack_days
        return days_covered(1, self.units_per_box, self.daily_units)

    def fraction(self) -> int | None:
        """The fraction to deliver at once: the prescriber's, else the product's (none when the
        prescriber wrote "délivrance en une seule fois", art. R.5132-30)."""
        if self.single_delivery:
            return None
        return self.fraction_days or self.product.fraction_days

    def patient_age_on(self, day: date) -> int | None:
        born = self.patient_birth_date
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _days(value: Decimal) -> str:
    return f"{value.to_integral_value(rounding=ROUND_CEILING)}"


def _f(rule: str, severity: Severity, message: str, article: str, c: LineCheck, variant: str = "",
       **values: object) -> Finding:
    return Finding(rule, severity, message, article, c.line_id, variant=variant,
                   values=tuple((key, str(value)) for key, value in values.items()))


# --- liste I / liste II ------------------------------------------------------------------------


def line_delivered_before(c: LineCheck) -> bool:
    """Whether this line (not merely the ordonnance) was already delivered: a renewal, a fraction or a
    month already handed over. Known from ``line_deliveries`` when given, else from the earlier
    deliveries of this ordonnance that name their line, else (nothing per line known) from the
    ordonnance's deliveries."""
    if c.renewal_index > 0 or c.previous_coverage_end is not None:
        return True
    if c.line_deliveries is not None:
        return c.line_deliveries > 0
    same = [e for e in c.earlier if c.ordonnance is not None and e.ordonnance == c.ordonnance]
    if same:
        return any(e.line_id == c.line_id for e in same)
    return c.earlier_deliveries > 0


def first_delivery_within_three_months(c: LineCheck) -> list[Finding]:
    """Liste I/II: the first delivery only on an ordonnance less than three months old.

    Art. R.5132-22 CSP, 1er alinéa: les pharmaciens ne sont autorisés à effectuer la première
    délivrance de ces médicaments que sur présentation d'une ordonnance datant de moins de trois mois.
    "Ces médicaments": the first delivery is that of each medicine, so the window is checked per line —
    an ordonnance whose other lines were delivered does not open it for a line never delivered
    (:func:`line_delivered_before`). A classed stupéfiant has its own, shorter window (R.5132-33); an
    "assimilé" of liste I keeps this one.
    """
    if c.listed is None or c.product.narcotic or line_delivered_before(c):
        return []
    limit = add_months(c.prescribed_on, 3)
    if c.today < limit:
        return []
    return [_f("first_delivery_within_three_months", Severity.BLOCKING,
               f"Ordonnance du {fr_date(c.prescribed_on)} présentée après trois mois (le {fr_date(limit - timedelta(days=1))} "
               f"au plus tard) : première délivrance de ce médicament de la liste {c.listed} impossible.",
               "R.5132-22", c, "", date=fr_date(c.prescribed_on), last=fr_date(limit - timedelta(days=1)), listed=c.listed)]


def treatment_at_most_twelve_months(c: LineCheck) -> list[Finding]:
    """Liste I/II: a prescription covers at most twelve months of treatment.

    Art. R.5132-21 CSP: la prescription d'un médicament des listes I et II « ne peut être faite pour
    une durée de traitement supérieure à douze mois ». Beyond twelve months from the date nothing more
    is delivered (blocking); a prescription written for more (duration × renewals) is flagged.
    """
    if c.listed is None:
        return []
    limit = add_months(c.prescribed_on, 12)
    if c.today >= limit:
        return [_f("treatment_at_most_twelve_months", Severity.BLOCKING,
                   f"Plus de douze mois depuis l'ordonnance du {fr_date(c.prescribed_on)} : "
                   "aucune délivrance au-delà de douze mois de traitement.", "R.5132-21", c, "past", date=fr_date(c.prescribed_on))]
    if c.treatment_days is not None and c.treatment_days * (1 + c.renewals_written) > 366:
        return [_f("treatment_at_most_twelve_months", Severity.WARNING,
                   f"Durée totale prescrite ({_days(c.treatment_days * (1 + c.renewals_written))} jours, "
                   "renouvellements compris) supérieure à douze mois : seuls douze mois peuvent être délivrés.",
                   "R.5132-21", c, "total", days=_days(c.treatment_days * (1 + c.renewals_written)))]
    return []


CONTRACEPTIVE_MONTHS = 3  # R.5132-22: contraceptives may be delivered for three months at once


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


def _contraceptive_allowance(c: LineCheck) -> tuple[int, str] | None:
    """Boxes of a contraceptive one delivery may hold: three months (R.5132-22), counted in cycles for
    pills, else in days at the prescribed rate (three times 28 days)."""
    if not is_contraceptive(c.substances):
        return None
    cycles = contraceptive_cycles(c.units_per_box)
    if cycles is not None:
        return max(1, CONTRACEPTIVE_MONTHS // cycles), "trois mois (contraceptif)"
    one_box = c.one_box_days()
    if one_box is None:
        return None
    days = Decimal(28 * CONTRACEPTIVE_MONTHS)
    return max(1, int((days / one_box).quantize(Decimal("0.001")).to_integral_value(rounding=ROUND_CEILING))), \
        "trois mois (contraceptif)"


def _prescribed_total(c: LineCheck) -> Decimal | None:
    """The whole prescribed treatment in days, renewals included (None when unknown)."""
    return None if c.treatment_days is None else c.treatment_days * (1 + max(c.renewals_written, 0))


def _month_allowance(c: LineCheck) -> tuple[int, str] | None:
    """Boxes one delivery of a liste I/II line may hold: a month, one large pack (3 months), or three
    months of a contraceptive."""
    contraceptive = _contraceptive_allowance(c)
    if contraceptive is not None:
        return contraceptive
    one_box = c.one_box_days()
    if one_box is None:
        return None
    month = month_days(c.units_per_box, c.daily_units)
    if one_box > month and month_count(one_box) != 1:
        total = _prescribed_total(c)
        if total is not None and total < THREE_MONTHS_DAYS:
            return 0, "un mois : le grand conditionnement n'est permis que pour un traitement d'au moins trois mois"
        return 1, "un grand conditionnement (trois mois au plus)"
    allowed = max(1, int((month / one_box).quantize(Decimal("0.001")).to_integral_value(rounding=ROUND_CEILING)))
    return allowed, "quatre semaines" if month == 28 else "trente jours"


def at_most_one_month_at_once(c: LineCheck) -> list[Finding]:
    """Liste I/II: no more than one month of treatment handed over at once.

    Art. R.5132-22 CSP: pas plus de quatre semaines ou trente jours de traitement délivrés en une fois,
    selon le conditionnement (boxes whose count is a multiple of 7 count in weeks, others in 30 days);
    les médicaments présentés sous un conditionnement trimestriel peuvent être délivrés pour cette
    durée dans la limite de trois mois (ordre des pharmaciens, fiche « Délivrance en officine des
    médicaments relevant des listes I et II »): one large pack at once, for a treatment of three months
    or more (renewals included; L.5125-23 ties the large pack to such a treatment) — a three-month box
    for a one-month prescription is three months at once: a warning, which the pharmacist passes only
    with a reason (the prescriber's agreement to a changed posology, recorded as an adjustment) —
    blocking would leave no way to serve a patient whose prescriber changed the dose. The contraceptives (listed by
    substance in ``resources/contraceptives.json``) may be delivered for three months (same article;
    art. R.5134-4-2 keeps three months at once for the pharmacist's supplementary dispensation):
    three blisters, whether in three boxes of one or one box of three. Classed stupéfiants follow
    their own limits.
    """
    if c.listed is None or c.product.narcotic or not c.boxes:
        return []
    allowance = _month_allowance(c)
    if allowance is None:
        return []
    allowed, period = allowance
    if c.boxes <= allowed:
        return []
    if allowed == 0:
        return [_f("at_most_one_month_at_once", Severity.WARNING,
                   f"Liste {c.listed} : boîte de {_days(c.one_box_days() or Decimal(0))} jours de traitement pour "
                   f"une prescription de {_days(_prescribed_total(c) or Decimal(0))} jours, renouvellements compris ; "
                   f"au plus {period} (art. R.5132-22, L.5125-23).", "R.5132-22", c)]
    return [_f("at_most_one_month_at_once", Severity.BLOCKING,
               f"Liste {c.listed} : au plus {period} de traitement par délivrance, soit {allowed} "
               f"boîte{'s' if allowed > 1 else ''} ici ({c.boxes} demandées).", "R.5132-22", c, "boxes", listed=c.listed, allowed=allowed, boxes=c.boxes)]


def liste_one_renewed_only_when_written(c: LineCheck) -> list[Finding]:
    """Liste I: a renewal only when the prescriber wrote it; liste II: unless he forbade it.

    Art. R.5132-22 CSP: la délivrance d'un médicament de la liste I ne peut être renouvelée que sur
    indication écrite du prescripteur précisant le nombre de renouvellements ou la durée du traitement
    (blocking); celle d'un médicament de la liste II peut l'être lorsque le prescripteur ne l'a pas
    expressément interdit. An e-prescription states its renewals, and an unwritten renewal of liste II
    is the pharmacist's call, so it is a warning (within twelve months, R.5132-21).
    """
    if c.renewal_index == 0 or c.listed is None or c.product.narcotic:
        return []
    if c.renewal_index <= c.renewals_written:
        return []
    written = f"{c.renewals_written} écrit{'s' if c.renewals_written > 1 else ''}"
    if c.listed == "II":
        return [_f("liste_one_renewed_only_when_written", Severity.WARNING,
                   f"Renouvellement n° {c.renewal_index} non prescrit ({written}) : médicament de la liste II, "
                   "renouvelable sauf interdiction du prescripteur, dans la limite de douze mois.", "R.5132-22", c)]
    return [_f("liste_one_renewed_only_when_written", Severity.BLOCKING,
               f"Renouvellement n° {c.renewal_index} non prescrit ({written}) : médicament de la liste I.",
               "R.5132-22", c, "listed_one", index=c.renewal_index)]


# --- duration, fractioning, presentation, overlap ------------------------------------------------


def max_prescription_duration(c: LineCheck) -> list[Finding]:
    """The product's own prescription limit; 28 days for a classed stupéfiant without one.

    Art. R.5132-30 CSP: « il est interdit de prescrire des médicaments classés comme stupéfiants pour
    un traitement d'une durée supérieure à vingt-huit jours », shorter for some by arrêté; art.
    R.5132-21: the twelve months of liste I/II are reduced by arrêté for some (hypnotics 4 weeks,
    anxiolytics 12 weeks). The BDPM states each product's limit ("prescription limitée à 12
    semaines"), which applies to the whole prescription, renewals included. An assimilé without such a
    text gets no 28-day cap.

    A duration written in months meets a limit written in weeks as the pack counts: "1 mois" is four
    weeks (R.5132-22); the delivery is then held to the limit (see :func:`delivery_limits`).
    """
    limit = c.product.duration_limit_days()
    if limit is None:
        return []
    findings = []
    written = c.product.max_prescription.text if c.product.max_prescription else "28 jours"
    total = None if c.treatment_days is None else c.treatment_days * (1 + max(c.renewals_written, 0))
    if total is not None and total > limit and not _same_months(c, total, limit):
        findings.append(_f("max_prescription_duration", Severity.BLOCKING,
                           f"{c.product_label or 'Produit'} prescrit pour {_days(total)} jours"
                           f"{' renouvellements compris' if c.renewals_written else ''} : prescription limitée "
                           f"à {written}.", _duration_article(c), c))
    covered = c.covered_days()
    one_box = c.one_box_days()
    if covered is not None and one_box is not None and c.boxes > 1 and covered - one_box >= limit:
        findings.append(_f("max_prescription_duration", Severity.BLOCKING,
                           f"{c.boxes} boîtes couvrent {_days(covered)} jours : prescription limitée à {written}.",
                           _duration_article(c), c, "boxes", boxes=c.boxes, days=_days(covered)))
    return findings


def _same_months(c: LineCheck, total: Decimal, limit: int) -> bool:
    """"1 mois" against "4 semaines": the same month, counted as the pack counts it."""
    written = month_count(total)
    return c.duration_in_months and written is not None and written == month_count(Decimal(limit))


def _duration_article(c: LineCheck) -> str:
    return "R.5132-30" if c.product.narcotic else "R.5132-21"


def narcotic_not_renewed(c: LineCheck) -> list[Finding]:
    """A classed stupéfiant is never renewed: its prescription covers 28 days at most (Art. R.5132-30
    CSP), and
    "de la durée maximale de prescription découle l'interdiction du renouvellement" (meddispar)."""
    if not c.product.narcotic or c.renewal_index <= 0:
        return []
    return [_f("narcotic_not_renewed", Severity.BLOCKING, "Stupéfiant : une ordonnance ne se renouvelle pas.",
               "R.5132-30", c, "")]


def fractioned_delivery(c: LineCheck) -> list[Finding]:
    """A fractioned delivery: one fraction at a time.

    Art. R.5132-30 CSP: for the products an arrêté names (the BDPM's "délivrance fractionnée de 7
    jours": methadone, buprénorphine …) and when the prescriber writes it, each delivery covers one
    fraction, whose duration the prescriber writes on the ordonnance; he may exclude it with
    « délivrance en une seule fois ». The fraction is information; more than a fraction at once blocks.
    """
    fraction = c.fraction()
    if not fraction:
        return []
    covered = c.covered_days()
    one_box = c.one_box_days()
    if covered is not None and one_box is not None and c.boxes > 1 and covered - one_box >= fraction:
        return [_f("fractioned_delivery", Severity.BLOCKING,
                   f"Délivrance fractionnée par {fraction} jours : {c.boxes} boîtes couvrent {_days(covered)} jours.",
                   "R.5132-30", c, "boxes", fraction=fraction, boxes=c.boxes, days=_days(covered))]
    return [_f("fractioned_delivery", Severity.INFO,
               f"Délivrance fractionnée par {fraction} jours : délivrer une fraction, la suivante à sa fin.",
               "R.5132-30", c, "info", fraction=fraction)]


def narcotic_remaining(c: LineCheck) -> tuple[Decimal, date] | None:
    """For a classed stupéfiant presented more than three days after its date (or after the end of the
    previous fraction): the days of treatment still to run and the day after the last one; None when
    presented in time or when the treatment's length is unknown.

    The treatment is counted from the prescription's date (a 28-day treatment written on the 1st ends
    on the 28th), a fraction from the day after the previous one ran out: "elle n'est exécutée que
    pour la durée de la prescription ou de la fraction de traitement restant à courir" (R.5132-33).
    """
    if not c.product.narcotic or c.treatment_days is None:
        return None
    start = c.previous_coverage_end or c.prescribed_on
    if (c.today - start).days <= NARCOTIC_PRESENTATION_DAYS:
        return None
    end = c.prescribed_on + timedelta(days=int(c.treatment_days.to_integral_value(rounding=ROUND_CEILING)))
    fraction = c.fraction()
    if c.previous_coverage_end is not None and fraction:
        end = min(end, c.previous_coverage_end + timedelta(days=1 + fraction))
    return Decimal(max(0, (end - c.today).days)), end


def narcotic_presented_within_three_days(c: LineCheck) -> list[Finding]:
    """Stupéfiants: presented more than three days after its date, only the remaining duration.

    Art. R.5132-33 CSP: l'ordonnance n'est exécutée en totalité que si elle est présentée dans les
    trois jours suivant sa date ou la fin de la fraction précédente; au-delà, elle n'est exécutée que
    pour la durée de traitement (or of the fraction) restant à courir (:func:`narcotic_remaining`).
    Assimilés are not subject to it (meddispar: no "délai de carence" for zolpidem).
    """
    late = narcotic_remaining(c)
    if late is None:
        return []
    remaining, end = late
    last = end - timedelta(days=1)
    if remaining <= 0:
        return [_f("narcotic_presented_within_three_days", Severity.BLOCKING,
                   f"Ordonnance de stupéfiant présentée le {fr_date(c.today)}, après la fin du traitement "
                   f"({fr_date(last)}) : rien ne peut être délivré.", "R.5132-33", c, "ended", date=fr_date(c.today), last=fr_date(last))]
    covered = c.covered_days()
    one_box = c.one_box_days()
    if covered is not None and one_box and covered - one_box >= remaining:
        return [_f("narcotic_presented_within_three_days", Severity.BLOCKING,
                   f"Ordonnance de stupéfiant présentée plus de trois jours après sa date : seuls les "
                   f"{_days(remaining)} jours restants (jusqu'au {fr_date(last)} inclus) peuvent être délivrés.",
                   "R.5132-33", c, "blocked", days=_days(remaining), last=fr_date(last))]
    return [_f("narcotic_presented_within_three_days", Severity.WARNING,
               f"Ordonnance de stupéfiant présentée plus de trois jours après sa date : délivrer pour "
               f"les {_days(remaining)} jours restants seulement (jusqu'au {fr_date(last)} inclus).", "R.5132-33", c, "warning", days=_days(remaining), last=fr_date(last))]


def no_overlap(c: LineCheck) -> list[Finding]:
    """No delivery for a period already covered by an earlier one, unless the prescriber wrote it.

    Art. R.5132-33 CSP, dernier alinéa: une nouvelle ordonnance (of a classed stupéfiant) ne peut être
    ni établie ni exécutée par les mêmes praticiens pendant la période déjà couverte par une
    précédente ordonnance prescrivant de tels médicaments, sauf si le prescripteur en décide autrement
    par une mention expresse portée sur l'ordonnance; the BDPM says the same of some assimilés
    ("chevauchement interdit sauf mention expresse du prescripteur portée sur l'ordonnance": zolpidem,
    clonazepam). The patient's deliveries of the same substance on other ordonnances count, and an
    earlier fraction of this line still running. The message names the last day covered, the first day
    a delivery is possible, and what lifts the ban: the prescriber's express mention of the overlap
    ("chevauchement autorisé"; "pas de chevauchement" is no such mention, see
    :func:`app.domain.line_plan.prescriber_mentions`).
    """
    if not (c.product.narcotic or c.product.overlap_forbidden) or c.overlap_allowed:
        return []
    ends: list[tuple[date, str]] = []
    if c.previous_coverage_end is not None and c.today <= c.previous_coverage_end:
        ends.append((c.previous_coverage_end, "une délivrance précédente de cette ligne"))
    for earlier in c.earlier:
        if earlier.ordonnance == c.ordonnance or earlier.covered_until is None or c.today > earlier.covered_until:
            continue
        if same_substance(earlier.substances, c.substances):
            ends.append((earlier.covered_until, f"l'ordonnance {earlier.ordonnance}"
                                                f"{f' ({earlier.label})' if earlier.label else ''}"))
    if not ends:
        return []
    end, what = max(ends)
    return [_f("no_overlap", Severity.BLOCKING,
               f"Chevauchement interdit : {what} couvre le traitement jusqu'au {fr_date(end)} inclus. Délivrable "
               f"à partir du {fr_date(end + timedelta(days=1))}, ou avant si le prescripteur porte sur l'ordonnance "
               "une mention expresse autorisant le chevauchement (art. R.5132-33).", "R.5132-33", c)]


# --- restricted products ---------------------------------------------------------------------------


def hospital_only(c: LineCheck) -> list[Finding]:
    """Réservé à l'usage hospitalier (Art. R.5121-82 CSP: prescribed, dispensed and administered in
    a health establishment only), or dispensed by hospital pharmacies (pharmacies à usage intérieur,
    art. L.5126-6): never over the counter of a town pharmacy."""
    if not c.product.hospital_only:
        return []
    return [_f("hospital_only", Severity.BLOCKING,
               f"{c.product_label or 'Ce médicament'} est réservé à l'usage hospitalier ou délivré par les "
               "pharmacies à usage intérieur : pas de délivrance en officine.", "R.5121-82", c)]


def reserved_use(c: LineCheck) -> list[Finding]:
    """A product reserved to another channel (professional use of a dentist, vaccination centres,
    military use, dialysis centres): not handed over to a patient on a prescription (AMM conditions,
    Art. R.5121-77 s. CSP; professional orders, R.5132-6)."""
    if not c.product.reserved_use:
        return []
    return [_f("reserved_use", Severity.BLOCKING,
               f"{c.product_label or 'Ce médicament'} : « {c.product.reserved_use} » — pas de délivrance au "
               "patient sur ordonnance.", "R.5121-77", c)]


_MONTHS_WORD = {12: "annuelle", 6: "semestrielle", 3: "trimestrielle"}


def _restriction_text(r: PrescriberRestriction, specialty: str | None) -> str | None:
    names = ", ".join(r.specialties)
    period = f" {_MONTHS_WORD[r.renewal_months]}" if r.renewal_months in _MONTHS_WORD else ""
    within = f" de moins de {r.renewal_months} mois" if r.renewal_months else ""
    if r.kind is PrescriberKind.HOSPITAL:
        return ("prescription hospitalière (R.5121-84) : l'ordonnance doit émaner d'un médecin exerçant dans un "
                "établissement de santé")
    if r.kind is PrescriberKind.INITIAL_HOSPITAL:
        return (f"prescription initiale hospitalière{period} (R.5121-87) : présenter aussi la prescription initiale "
                f"d'un établissement de santé{within}")
    if r.kind is PrescriberKind.SPECIALIST:
        if specialty and _matches(specialty, r.specialties):
            return None
        seen = f" (prescripteur : {specialty})" if specialty else ""
        return f"prescription réservée aux spécialistes en {names} (R.5121-90) : vérifier le prescripteur{seen}"
    if r.kind is PrescriberKind.INITIAL_SPECIALIST:
        if specialty and _matches(specialty, r.specialties):
            return None
        who = names or "certains spécialistes"
        return (f"prescription initiale{period} réservée aux {who} (R.5121-91) : si le prescripteur n'en est pas, "
                f"présenter aussi la prescription initiale{within}")
    if r.kind is PrescriberKind.RENEWAL_SPECIALIST:
        if specialty and _matches(specialty, r.specialties):
            return None
        return f"renouvellement de la prescription réservé aux spécialistes en {names} : vérifier le prescripteur"
    return f"{r.text} : vérifier le prescripteur"


def _matches(specialty: str, names: tuple[str, ...]) -> bool:
    mine = plain(specialty)
    return any(plain(n) in mine or mine in plain(n) for n in names if n)


def restricted_prescriber(c: LineCheck) -> list[Finding]:
    """Médicaments à prescription restreinte (Art. R.5121-77 CSP): prescription hospitalière
    (R.5121-84), initiale hospitalière (R.5121-87, renewed by any doctor within its period),
    réservée à certains spécialistes (R.5121-90) or initiale réservée (R.5121-91). The counter cannot
    see the prescriber's practice everywhere: it says what the pharmacist must check, one warning
    listing every condition; a specialty that matches removes its condition."""
    texts = [t for t in (_restriction_text(r, c.prescriber_specialty) for r in c.product.restrictions) if t]
    if not texts:
        return []
    return [_f("restricted_prescriber", Severity.WARNING,
               "Prescription restreinte — " + " ; ".join(texts) + ".", "R.5121-77", c)]


def exception_drug(c: LineCheck) -> list[Finding]:
    """Médicament d'exception: reimbursed only when prescribed on the « ordonnance de médicament
    d'exception » (cerfa n° 12708), following its fiche d'information thérapeutique (Art. R.163-2 CSS,
    arrêté du 26 juin 2006; the CSP's R.5121-77 s. classify the product)."""
    if not c.product.exception_drug:
        return []
    return [_f("exception_drug", Severity.WARNING,
               "Médicament d'exception : vérifier l'ordonnance de médicament d'exception (cerfa n° 12708), "
               "sans laquelle il n'est pas remboursé.", "R.163-2 CSS", c, "")]


def dispensing_checks(c: LineCheck) -> list[Finding]:
    """What the AMM asks the pharmacist to verify before handing over (Art. R.5121-77 s. CSP,
    conditions of the AMM as the BDPM publishes them in CIS_CPD: "délivrance après
    vérification du recueil de l'accord de soins", "ordonnance avec NFL datée …", "la délivrance ne
    peut se faire qu'après avoir vérifié la présence de cette mention" …): one warning listing them."""
    if not c.product.checks:
        return []
    return [_f("dispensing_checks", Severity.WARNING,
               "À vérifier avant la délivrance : " + " ; ".join(c.product.checks) + ".", "R.5121-77", c)]


def special_monitoring(c: LineCheck) -> list[Finding]:
    """Médicament nécessitant une surveillance particulière pendant le traitement (Art. R.5121-93
    CSP): the prescriber states the monitoring; the counter reminds it."""
    if not c.product.special_monitoring:
        return []
    return [_f("special_monitoring", Severity.INFO,
               "Médicament nécessitant une surveillance particulière pendant le traitement.", "R.5121-93", c, "")]


# --- substitution ----------------------------------------------------------------------------------


def non_substitutable_unjustified(c: LineCheck) -> list[Finding]:
    """A "non substituable" that does not count: substitution stays possible.

    Art. L.5125-23 CSP (LFSS 2019) and arrêté du 12 novembre 2019: since 1 January 2020 the mention
    must carry one of three justifications — MTE (a substance of the arrêté's list, the patient
    stabilised), EFG (a child under six, no generic of a suitable form), CIF (a formal
    contra-indication to an excipient). Without one, or with EFG for a patient of six or more, or MTE
    for a substance not on the list, the pharmacist may substitute; he says so (warning).
    """
    if not c.non_substitutable:
        return []
    reason = (c.non_substitution_reason or "").upper()
    if not reason:
        why = "sans justification MTE, EFG ou CIF"
    elif reason == "EFG":
        age = c.patient_age_on(c.today)
        if age is None or age < 6:
            return []
        why = f"EFG pour un patient de {age} ans (réservé aux enfants de moins de 6 ans)"
    elif reason == "MTE":
        if not c.substances or is_mte(c.substances):
            return []
        why = "MTE pour une substance absente de la liste des médicaments à marge thérapeutique étroite"
    else:
        return []
    return [_f("non_substitutable_unjustified", Severity.WARNING,
               f"« Non substituable » {why} : la mention ne s'applique pas, la substitution reste possible "
               "(arrêté du 12 novembre 2019).", "L.5125-23", c)]


# --- renewals and quantities -------------------------------------------------------------------------


def early_renewal(c: LineCheck) -> list[Finding]:
    """A delivery of this line before the previous one runs out (minus a few days' tolerance).

    Art. R.5132-14 CSP: « le renouvellement de la délivrance … ne peut avoir lieu qu'après un délai
    déterminé résultant de la posologie et des quantités précédemment délivrées ». The tolerance
    (:data:`~app.domain.renewal.EARLY_TOLERANCE_DAYS`) is Comptoir's choice, the law sets none; it is
    at most a quarter of the period the previous delivery covered, so that a three-day treatment
    renewed the day it was handed over is early too.
    """
    dues: list[tuple[date, date]] = []  # (coverage end, first day not early)
    for e in c.earlier:
        if e.covered_until is None or e.line_id != c.line_id or (c.ordonnance is not None
                                                                   and e.ordonnance != c.ordonnance):
            continue
        period = (e.covered_until - e.delivered_on).days + 1
        dues.append((e.covered_until, next_delivery_from(e.covered_until, min(c.tolerance_days, period // 4))))
    if c.previous_coverage_end is not None and not any(end == c.previous_coverage_end for end, _ in dues):
        dues.append((c.previous_coverage_end, next_delivery_from(c.previous_coverage_end, c.tolerance_days)))
    if not dues:
        return []
    end, due = max(dues, key=lambda pair: pair[1])
    if c.today >= due:
        return []
    return [_f("early_renewal", Severity.WARNING,
               f"La délivrance précédente couvre le traitement jusqu'au {fr_date(end)} : la suivante est prévue "
               f"à partir du {fr_date(due)}.", "R.5132-14", c, "", end=fr_date(end), due=fr_date(due))]


def no_delivery_beyond_remaining(c: LineCheck) -> list[Finding]:
    """Never more than what remains to deliver on the line, nor a renewal not left.

    Art. R.5132-14 CSP (the pharmacist records on the ordonnance the quantities delivered, which are
    deducted from what was prescribed) and R.4235-48 (dispensation of what is prescribed).
    """
    findings = []
    if c.remaining_boxes is not None and c.boxes > c.remaining_boxes:
        findings.append(_f("no_delivery_beyond_remaining", Severity.BLOCKING,
                           f"Il ne reste que {c.remaining_boxes.normalize():f} boîte(s) à délivrer sur "
                           f"cette ligne ({c.boxes} demandées).", "R.5132-14", c, "remaining", remaining=f"{c.remaining_boxes.normalize():f}", boxes=c.boxes))
    if c.listed is None and not c.product.narcotic and c.renewal_index > c.renewals_written:
        # (listed and narcotic medicines have their own rule, with its own article)
        findings.append(_f("no_delivery_beyond_remaining", Severity.BLOCKING,
                           f"Renouvellement n° {c.renewal_index} : l'ordonnance n'en prévoit que "
                           f"{c.renewals_written}.", "R.5132-14", c, "renewal", index=c.renewal_index, written=c.renewals_written))
    return findings


def quantity_above_need(c: LineCheck) -> list[Finding]:
    """More boxes than posology × duration requires: allowed with a recorded reason.

    Art. R.4235-48 CSP: the pharmacist dispenses what the prescription requires, adapting the
    quantity to the posology and the duration; a larger quantity must be justified.
    """
    if c.computed_boxes is None or c.boxes <= c.computed_boxes:
        return []
    return [_f("quantity_above_need", Severity.WARNING,
               f"{c.boxes} boîtes pour un besoin calculé de {c.computed_boxes} : justifiez la quantité.",
               "R.4235-48", c, "", boxes=c.boxes, need=c.computed_boxes)]


# Earlier names, kept for callers (app.workflow.checks imports them).
narcotic_at_most_28_days = max_prescription_duration
narcotic_fractioning = fractioned_delivery
narcotic_no_overlap = no_overlap

RULES: tuple[Callable[[LineCheck], list[Finding]], ...] = (
    hospital_only,
    reserved_use,
    first_delivery_within_three_months,
    treatment_at_most_twelve_months,
    at_most_one_month_at_once,
    liste_one_renewed_only_when_written,
    narcotic_not_renewed,
    max_prescription_duration,
    narcotic_presented_within_three_days,
    fractioned_delivery,
    no_overlap,
    restricted_prescriber,
    exception_drug,
    dispensing_checks,
    special_monitoring,
    non_substitutable_unjustified,
    early_renewal,
    no_delivery_beyond_remaining,
    quantity_above_need,
)
_ORDER = {Severity.BLOCKING: 0, Severity.WARNING: 1, Severity.INFO: 2}


def check_line(c: LineCheck, rules: Iterable[Callable[[LineCheck], list[Finding]]] = RULES) -> list[Finding]:
    """Every rule on one line: blocking findings first, then warnings, then information."""
    findings = [f for rule in rules for f in rule(c)]
    return sorted(findings, key=lambda f: _ORDER[f.severity])


def unresolved(findings: Iterable[Finding], overrides: dict[str, str]) -> list[Finding]:
    """What still stops the delivery: blocking findings, and warnings with no override reason
    (information never stops it).

    ``overrides`` maps ``"<line_id>:<rule>"`` to the pharmacist's reason.
    """
    return [f for f in findings if f.blocking or (
        f.severity is Severity.WARNING and not overrides.get(override_key(f.line_id, f.rule), "").strip())]


def override_key(line_id: str | None, rule: str) -> str:
    return f"{line_id or ''}:{rule}"


# --- limits on one delivery, for the quantity proposed ----------------------------------------------


def delivery_limits(c: LineCheck) -> list[DeliveryLimit]:
    """What one delivery of this line may hold, as the rules above count it (for
    :func:`app.domain.quantities.propose_quantity`): a month for liste I/II (a three-month pack for a
    treatment of three months or more), the product's duration limit, the fraction, the days left
    of a stupéfiant presented late, the boxes left on the line."""
    limits: list[DeliveryLimit] = []
    product = c.product
    if c.listed is not None and not product.narcotic:
        total = _prescribed_total(c)
        one_box = c.one_box_days()
        large = (one_box is not None and month_count(one_box) == 3 and total is not None
                 and total >= THREE_MONTHS_DAYS)
        contraceptive = _contraceptive_allowance(c)
        if contraceptive is not None:
            limits.append(DeliveryLimit("MONTH_PER_DELIVERY", f"liste {c.listed}, contraceptif : trois mois de "
                                        "traitement par délivrance (art. R.5132-22)", "R.5132-22",
                                        boxes=Decimal(contraceptive[0])))
        elif not large:
            limits.append(DeliveryLimit("MONTH_PER_DELIVERY", f"liste {c.listed} : un mois de traitement par "
                                        "délivrance (art. R.5132-22)", "R.5132-22", months=1))
    limit = product.duration_limit_days()
    if limit is not None:
        written = product.max_prescription.text if product.max_prescription else "28 jours"
        limits.append(DeliveryLimit("MAX_PRESCRIPTION_DURATION", f"prescription limitée à {written}",
                                    _duration_article(c), days=Decimal(limit)))
    fraction = c.fraction()
    if fraction:
        limits.append(DeliveryLimit("FRACTIONED_DELIVERY", f"délivrance fractionnée par {fraction} jours "
                                    "(art. R.5132-30)", "R.5132-30", days=Decimal(fraction)))
    late = narcotic_remaining(c)
    if late is not None:
        remaining = max(Decimal(1), late[0])
        limits.append(DeliveryLimit("NARCOTIC_PRESENTATION_WINDOW", f"ordonnance présentée plus de trois "
                                    f"jours après : {_days(remaining)} jours restants (art. R.5132-33)",
                                    "R.5132-33", days=remaining))
    if c.remaining_boxes is not None and c.remaining_boxes >= 1:
        limits.append(DeliveryLimit("BEYOND_REMAINING", f"il ne reste que {c.remaining_boxes.normalize():f} "
                                    "boîte(s) à délivrer sur la ligne", "R.5132-14", boxes=c.remaining_boxes))
    return limits


def coverage_end(delivered_on: date, boxes: int, units_per_box: Decimal | None,
                 daily_units: Decimal | None) -> date | None:
    """The last day a delivery of ``boxes`` boxes lasts (for :class:`EarlierDelivery`)."""
    return covered_until(delivered_on, days_covered(boxes, units_per_box, daily_units))


def bearer_identity_required(conditions: ProductConditions) -> bool:
    """A stupéfiant, or a medicine under the stupéfiant rules (ordonnance sécurisée): when the bearer
    of the ordonnance is not the patient, the pharmacist records the bearer's identity (art. R.5132-35
    CSP: "le pharmacien … demande une justification d'identité" to a bearer he does not know, and keeps
    it with the delivery)."""
    return conditions.narcotic or conditions.secure_prescription
