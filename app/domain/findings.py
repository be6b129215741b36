"""What a regulatory rule finds (:mod:`app.domain.rules`): severities, stable codes, the finding,
and :class:`LineCheck`, everything a rule needs about one line, gathered by the workflow."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal

from app.domain.conditions import ProductConditions
from app.domain.quantities import days_covered
from app.domain.renewal import (
    EARLY_TOLERANCE_DAYS,
    MAX_TREATMENT_MONTHS,
    add_months,
)


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
    "ORDONNANCE_EXPIRED": "ordonnance expirée : dispensation supplémentaire exceptionnelle possible (L.5125-23-1)",
    "EXCEPTIONAL_DISPENSING_REFUSED": "dispensation supplémentaire exceptionnelle impossible (L.5125-23-1)",
    "EXCEPTIONAL_DISPENSING": "dispensation supplémentaire exceptionnelle (L.5125-23-1)",
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
    "expired_ordonnance": "ORDONNANCE_EXPIRED",
    "exceptional_dispensing": "EXCEPTIONAL_DISPENSING",
    # names of earlier versions, still found in recorded overrides
    "narcotic_at_most_28_days": "MAX_PRESCRIPTION_DURATION",
    "narcotic_fractioning": "FRACTIONED_DELIVERY",
    "narcotic_no_overlap": "OVERLAP",
}


@dataclass(frozen=True)
class Part:
    """One of the things a finding lists, as a variant and values (its French is in the message)."""

    code: str
    variant: str
    values: tuple[tuple[str, str], ...] = ()


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
    # A finding listing several things (the restrictions of a product, the checks its AMM asks): each
    # part's variant and values, rendered one by one and joined in the message's ``{parts}``.
    parts: tuple[Part, ...] = ()

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
    # The dispensation supplémentaire exceptionnelle (art. L.5125-23-1, app.domain.exceptional):
    expired_on: date | None = None  # the line can no longer be dispensed on the ordonnance since that day
    exceptional: bool = False  # the pharmacist chose the exceptional dispensing for this line
    exceptional_periods: int = 0  # exceptional dispensings of this line already made on this ordonnance
    exceptional_months: int = 0  # months of treatment they covered
    pharmaceutical_form: str = ""  # the speciality's form, from the BDPM ("comprimé pelliculé")
    routes: tuple[str, ...] = ()  # its routes of administration ("orale")

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

    def expiry(self) -> date | None:
        """The day the line expired: the workflow's (``expired_on``), else for liste I/II the end of
        the twelve months of R.5132-21; None while it may still be dispensed.

        Choice (L.5125-23-1): a line whose written dispensations are all delivered counts as expired
        from then, even while its last boxes still cover a few days: the patient comes before running
        out, as for a renewal, and :func:`~app.domain.rules.early_renewal` then asks the pharmacist why
        (an override with its reason, recorded), as it does for a renewal given early."""
        if self.expired_on is not None:
            return self.expired_on
        if self.listed is not None:
            limit = add_months(self.prescribed_on, MAX_TREATMENT_MONTHS)
            if self.today >= limit:
                return limit
        return None

    def patient_age_on(self, day: date) -> int | None:
        born = self.patient_birth_date
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _days(value: Decimal) -> str:
    return f"{value.to_integral_value(rounding=ROUND_CEILING)}"


def _values(values: dict[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple((key, str(value)) for key, value in values.items())


def _f(rule: str, severity: Severity, message: str, article: str, c: LineCheck, variant: str = "", *,
       parts: tuple[Part, ...] = (), **values: object) -> Finding:
    return Finding(rule, severity, message, article, c.line_id, variant=variant, values=_values(values),
                   parts=parts)


def _part(rule: str, variant: str, **values: object) -> Part:
    """One part of ``rule``'s finding (``rule`` names whose part it is: the English templates are keyed
    by the rule's code, ``CODE:variant``)."""
    return Part(_RULE_CODES[rule], variant, _values(values))


# --- liste I / liste II ------------------------------------------------------------------------
