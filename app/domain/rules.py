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

The module holds the liste I/II, substitution and quantity rules, :data:`RULES` and the delivery
limits; the finding types live in :mod:`app.domain.findings`, the duration, fractioning, presentation
and overlap rules in :mod:`app.domain.duration_rules`, those of a product's own conditions in
:mod:`app.domain.product_rules` (all re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from app.domain.conditions import ProductConditions
from app.domain.duration_rules import (
    duration_article,
    fractioned_delivery,
    max_prescription_duration,
    narcotic_not_renewed,
    narcotic_presented_within_three_days,
    narcotic_remaining,
    no_overlap,
)
from app.domain.exceptional import exceptional_dispensing, exceptional_limit, expired_ordonnance, refusal
from app.domain.findings import (
    CODES,
    EarlierDelivery,
    Finding,
    LineCheck,
    Severity,
    _days,
    _f,
)
from app.domain.product_rules import (
    dispensing_checks,
    exception_drug,
    hospital_only,
    reserved_use,
    restricted_prescriber,
    special_monitoring,
)
from app.domain.quantities import (
    THREE_MONTHS_DAYS,
    DeliveryLimit,
    contraceptive_cycles,
    days_covered,
    month_count,
    month_days,
)
from app.domain.renewal import (
    add_months,
    covered_until,
    fr_date,
    next_delivery_from,
)
from app.domain.substances import is_contraceptive, is_mte

__all__ = ["CODES", "RULES", "EarlierDelivery", "Finding", "LineCheck", "Severity", "add_months",
           "check_line", "delivery_limits", "override_key", "unresolved"]




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
    if c.listed is None or c.product.narcotic or line_delivered_before(c) or c.expired_on is not None:
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
    is delivered (blocking); a prescription written for more (duration × renewals) is flagged. A line
    the workflow knows expired is judged by :func:`~app.domain.exceptional.expired_ordonnance` (which
    says whether it may be dispensed exceptionally, art. L.5125-23-1).
    """
    if c.listed is None or c.expired_on is not None:
        return []
    limit = add_months(c.prescribed_on, 12)
    if c.today >= limit:
        if c.exceptional or refusal(c) is None:
            return []  # may be dispensed exceptionally: expired_ordonnance / exceptional_dispensing say it
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


# How much one liste I/II delivery may hold (art. R.5132-22), by the code a finding carries.
_PERIODS = {
    "four_weeks": "quatre semaines",
    "thirty_days": "trente jours",
    "large_pack": "un grand conditionnement (trois mois au plus)",
    "contraceptive": "trois mois (contraceptif)",
    "short_treatment": "un mois : le grand conditionnement n'est permis que pour un traitement d'au moins trois mois",
}


def _contraceptive_allowance(c: LineCheck) -> tuple[int, str] | None:
    """Boxes of a contraceptive one delivery may hold: three months (R.5132-22), counted in cycles for
    pills, else in days at the prescribed rate (three times 28 days)."""
    if not is_contraceptive(c.substances):
        return None
    cycles = contraceptive_cycles(c.units_per_box)
    if cycles is not None:
        return max(1, CONTRACEPTIVE_MONTHS // cycles), "contraceptive"
    one_box = c.one_box_days()
    if one_box is None:
        return None
    days = Decimal(28 * CONTRACEPTIVE_MONTHS)
    return max(1, int((days / one_box).quantize(Decimal("0.001")).to_integral_value(rounding=ROUND_CEILING))), \
        "contraceptive"


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
            return 0, "short_treatment"
        return 1, "large_pack"
    allowed = max(1, int((month / one_box).quantize(Decimal("0.001")).to_integral_value(rounding=ROUND_CEILING)))
    return allowed, "four_weeks" if month == 28 else "thirty_days"


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
        box_days, total = _days(c.one_box_days() or Decimal(0)), _days(_prescribed_total(c) or Decimal(0))
        return [_f("at_most_one_month_at_once", Severity.WARNING,
                   f"Liste {c.listed} : boîte de {box_days} jours de traitement pour une prescription de {total} "
                   f"jours, renouvellements compris ; au plus {_PERIODS[period]} (art. R.5132-22, L.5125-23).",
                   "R.5132-22", c, "large_pack", listed=c.listed, box_days=box_days, total=total)]
    return [_f("at_most_one_month_at_once", Severity.BLOCKING,
               f"Liste {c.listed} : au plus {_PERIODS[period]} de traitement par délivrance, soit {allowed} "
               f"boîte{'s' if allowed > 1 else ''} ici ({c.boxes} demandées).", "R.5132-22", c, "boxes",
               listed=c.listed, period=period, allowed=allowed, boxes=c.boxes)]


def liste_one_renewed_only_when_written(c: LineCheck) -> list[Finding]:
    """Liste I: a renewal only when the prescriber wrote it; liste II: unless he forbade it.

    Art. R.5132-22 CSP: la délivrance d'un médicament de la liste I ne peut être renouvelée que sur
    indication écrite du prescripteur précisant le nombre de renouvellements ou la durée du traitement
    (blocking); celle d'un médicament de la liste II peut l'être lorsque le prescripteur ne l'a pas
    expressément interdit. An e-prescription states its renewals, and an unwritten renewal of liste II
    is the pharmacist's call, so it is a warning (within twelve months, R.5132-21).
    """
    if c.renewal_index == 0 or c.listed is None or c.product.narcotic or c.expired_on is not None:
        return []
    if c.renewal_index <= c.renewals_written:
        return []
    written = f"{c.renewals_written} écrit{'s' if c.renewals_written > 1 else ''}"
    if c.listed == "II":
        return [_f("liste_one_renewed_only_when_written", Severity.WARNING,
                   f"Renouvellement n° {c.renewal_index} non prescrit ({written}) : médicament de la liste II, "
                   "renouvelable sauf interdiction du prescripteur, dans la limite de douze mois.", "R.5132-22", c,
                   "listed_two", index=c.renewal_index, written=c.renewals_written)]
    return [_f("liste_one_renewed_only_when_written", Severity.BLOCKING,
               f"Renouvellement n° {c.renewal_index} non prescrit ({written}) : médicament de la liste I.",
               "R.5132-22", c, "listed_one", index=c.renewal_index, written=c.renewals_written)]


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
        return [_f("non_substitutable_unjustified", Severity.WARNING,
                   _not_applying("sans justification MTE, EFG ou CIF"), "L.5125-23", c, "none")]
    if reason == "EFG":
        age = c.patient_age_on(c.today)
        if age is None or age < 6:
            return []
        return [_f("non_substitutable_unjustified", Severity.WARNING,
                   _not_applying(f"EFG pour un patient de {age} ans (réservé aux enfants de moins de 6 ans)"),
                   "L.5125-23", c, "efg", age=age)]
    if reason == "MTE" and c.substances and not is_mte(c.substances):
        return [_f("non_substitutable_unjustified", Severity.WARNING,
                   _not_applying("MTE pour une substance absente de la liste des médicaments à marge thérapeutique "
                                 "étroite"), "L.5125-23", c, "mte")]
    return []


def _not_applying(why: str) -> str:
    return (f"« Non substituable » {why} : la mention ne s'applique pas, la substitution reste possible "
            "(arrêté du 12 novembre 2019).")


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
    deducted from what was prescribed) and R.4235-48 (dispensation of what is prescribed). An expired
    line (nothing left on it) is judged by :func:`~app.domain.exceptional.expired_ordonnance`.
    """
    findings: list[Finding] = []
    if c.expired_on is not None:
        return findings
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
    expired_ordonnance,
    exceptional_dispensing,
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
                                    duration_article(c), days=Decimal(limit)))
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
    exceptional = exceptional_limit(c)
    if exceptional is not None:
        limits.append(exceptional)
    elif c.remaining_boxes is not None and c.remaining_boxes >= 1:
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
