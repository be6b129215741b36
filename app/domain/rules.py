"""Regulatory rules checked before a line is handed over (Code de la santé publique, CSP).

Each rule is a named function taking a :class:`LineCheck` (everything the rule needs, gathered by the
workflow) and returning findings. A BLOCKING finding stops the delivery and explains itself; a WARNING
can be overridden by the pharmacist with a reason, which is recorded with the delivery
(``LineDelivery.overrides``). Dates and durations are computed in days; a month is counted as in the
text of each article (3 calendar months, 12 calendar months, 28 days ...).
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from app.domain.quantities import days_covered


class Severity(enum.Enum):
    BLOCKING = "blocking"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one line, in French for the pharmacist."""

    rule: str
    severity: Severity
    message: str
    article: str
    line_id: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCKING


@dataclass(frozen=True)
class LineCheck:
    """The facts the rules look at for one line of one delivery."""

    line_id: str
    prescribed_on: date
    today: date
    listed: str | None = None  # "I", "II" or None
    narcotic: bool = False  # stupéfiant (or assimilé, same dispensing rules)
    boxes: int = 0  # boxes about to be handed over
    units_per_box: Decimal | None = None
    daily_units: Decimal | None = None  # maximum units a day from the posology
    treatment_days: Decimal | None = None  # duration of the line, one delivery period
    renewals_written: int = 0  # renewals the prescriber wrote
    renewal_index: int = 0  # 0: first delivery, n: n-th renewal
    earlier_deliveries: int = 0  # deliveries of this ordonnance already made (any dispensation)
    remaining_boxes: Decimal | None = None  # what the service says is left, boxes
    remaining_renewals: int | None = None
    computed_boxes: int | None = None  # what posology × duration gives
    fraction_days: int | None = None  # stupéfiant: fractioning written by the prescriber
    previous_coverage_end: date | None = None  # stupéfiant: last day covered by an earlier delivery
    overlap_allowed: bool = False  # prescriber's express mention allowing overlap
    pack_days: Decimal | None = field(default=None)  # days one box lasts (derived when possible)

    def covered_days(self) -> Decimal | None:
        """Days the boxes about to be handed over last at the prescribed maximum rate."""
        if not self.boxes:
            return None
        return days_covered(self.boxes, self.units_per_box, self.daily_units)

    def one_box_days(self) -> Decimal | None:
        if self.pack_days is not None:
            return self.pack_days
        return days_covered(1, self.units_per_box, self.daily_units)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when it does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _days(value: Decimal) -> str:
    return f"{value.to_integral_value(rounding=ROUND_CEILING)}"


# --- liste I / liste II ------------------------------------------------------------------------


def first_delivery_within_three_months(c: LineCheck) -> list[Finding]:
    """Liste I/II: the first delivery only on an ordonnance less than three months old.

    Art. R.5132-22 CSP, 1er alinéa: « Le pharmacien ne peut délivrer un médicament ou produit
    relevant des listes I et II que sur présentation d'une ordonnance datant de moins de trois mois ».
    """
    if c.listed is None or c.narcotic or c.renewal_index > 0 or c.earlier_deliveries > 0:
        return []
    limit = add_months(c.prescribed_on, 3)
    if c.today < limit:
        return []
    return [Finding("first_delivery_within_three_months", Severity.BLOCKING,
                    f"Ordonnance du {_fr(c.prescribed_on)} présentée après trois mois (le {_fr(limit)} au plus "
                    f"tard) : un médicament de la liste {c.listed} ne peut plus être délivré.",
                    "R.5132-22", c.line_id)]


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
        return [Finding("treatment_at_most_twelve_months", Severity.BLOCKING,
                        f"Plus de douze mois depuis l'ordonnance du {_fr(c.prescribed_on)} : "
                        "aucune délivrance au-delà de douze mois de traitement.", "R.5132-21", c.line_id)]
    if c.treatment_days is not None and c.treatment_days * (1 + c.renewals_written) > 366:
        return [Finding("treatment_at_most_twelve_months", Severity.WARNING,
                        f"Durée totale prescrite ({_days(c.treatment_days * (1 + c.renewals_written))} jours, "
                        "renouvellements compris) supérieure à douze mois : seuls douze mois peuvent être délivrés.",
                        "R.5132-21", c.line_id)]
    return []


def at_most_one_month_at_once(c: LineCheck) -> list[Finding]:
    """Liste I/II: no more than one month of treatment handed over at once.

    Art. R.5132-22 CSP, 2e alinéa: pas plus de quatre semaines ou trente jours de traitement délivrés
    en une fois, selon le conditionnement (boxes whose count is a multiple of 7 count in weeks, others
    in 30 days); « les médicaments présentés sous un conditionnement correspondant à une durée de
    traitement supérieure à un mois peuvent être délivrés pour cette durée dans la limite de trois
    mois » (large packs: one box, up to three months).
    """
    if c.listed is None or c.narcotic or not c.boxes:
        return []
    one_box = c.one_box_days()
    if one_box is None:
        return []
    month = Decimal(28) if c.units_per_box and c.units_per_box % 7 == 0 else Decimal(30)
    if one_box > month:  # a large pack: one box, within three months
        allowed = 1
        period = "un grand conditionnement (trois mois au plus)"
    else:  # the smallest number of boxes covering the month: more is the limit broken
        allowed = max(1, int((month / one_box).to_integral_value(rounding=ROUND_CEILING)))
        period = "quatre semaines" if month == 28 else "trente jours"
    if c.boxes <= allowed:
        return []
    return [Finding("at_most_one_month_at_once", Severity.BLOCKING,
                    f"Liste {c.listed} : au plus {period} de traitement par délivrance, soit {allowed} "
                    f"boîte{'s' if allowed > 1 else ''} ici ({c.boxes} demandées).", "R.5132-22", c.line_id)]


def liste_one_renewed_only_when_written(c: LineCheck) -> list[Finding]:
    """Liste I: a renewal only when the prescriber wrote it (liste II: unless he forbade it).

    Art. R.5132-22 CSP, 3e alinéa: la délivrance d'un médicament de la liste I ne peut être renouvelée
    que sur indication écrite du prescripteur précisant le nombre de renouvellements.
    """
    if c.renewal_index == 0 or c.listed is None:
        return []
    if c.renewal_index > c.renewals_written:
        who = "la liste I" if c.listed == "I" else "la liste II"
        return [Finding("liste_one_renewed_only_when_written", Severity.BLOCKING,
                        f"Renouvellement n° {c.renewal_index} non prescrit ({c.renewals_written} écrit"
                        f"{'s' if c.renewals_written > 1 else ''}) : médicament de {who}.", "R.5132-22", c.line_id)]
    return []


# --- stupéfiants ---------------------------------------------------------------------------------


def narcotic_at_most_28_days(c: LineCheck) -> list[Finding]:
    """Stupéfiants: a prescription covers at most 28 days, and is never renewed.

    Art. R.5132-30 CSP: « Il est interdit de prescrire des médicaments classés comme stupéfiants pour
    un traitement d'une durée supérieure à vingt-huit jours » (shorter for some, by arrêté); the
    delivery follows the prescription written on an ordonnance sécurisée (R.5132-29), never renewed.
    """
    if not c.narcotic:
        return []
    findings = []
    if c.treatment_days is not None and c.treatment_days > 28:
        findings.append(Finding("narcotic_at_most_28_days", Severity.BLOCKING,
                                f"Stupéfiant prescrit pour {_days(c.treatment_days)} jours : 28 jours au plus.",
                                "R.5132-30", c.line_id))
    covered = c.covered_days()
    if covered is not None and covered > 28 and c.boxes > 1:
        findings.append(Finding("narcotic_at_most_28_days", Severity.BLOCKING,
                                f"Stupéfiant : {c.boxes} boîtes couvrent {_days(covered)} jours, 28 jours au plus.",
                                "R.5132-30", c.line_id))
    if c.renewal_index > 0:
        findings.append(Finding("narcotic_at_most_28_days", Severity.BLOCKING,
                                "Stupéfiant : une ordonnance ne se renouvelle pas.", "R.5132-30", c.line_id))
    return findings


def narcotic_presented_within_three_days(c: LineCheck) -> list[Finding]:
    """Stupéfiants: presented more than three days after its date, only the remaining duration.

    Art. R.5132-33 CSP: l'ordonnance n'est exécutée en totalité que si elle est présentée dans les
    trois jours suivant sa date ou la fin de la fraction précédente; au-delà, elle n'est exécutée que
    pour la durée de traitement restant à courir.
    """
    if not c.narcotic or c.treatment_days is None:
        return []
    start = c.previous_coverage_end or c.prescribed_on
    if (c.today - start).days <= 3:
        return []
    end = c.prescribed_on + timedelta(days=int(c.treatment_days.to_integral_value(rounding=ROUND_CEILING)))
    remaining = Decimal(max(0, (end - c.today).days))
    if remaining <= 0:
        return [Finding("narcotic_presented_within_three_days", Severity.BLOCKING,
                        f"Ordonnance de stupéfiant présentée le {_fr(c.today)}, après la fin du traitement "
                        f"({_fr(end)}) : rien ne peut être délivré.", "R.5132-33", c.line_id)]
    covered = c.covered_days()
    one_box = c.one_box_days()
    if covered is not None and one_box and covered - one_box >= remaining:
        return [Finding("narcotic_presented_within_three_days", Severity.BLOCKING,
                        f"Ordonnance de stupéfiant présentée plus de trois jours après sa date : seuls les "
                        f"{_days(remaining)} jours restants (jusqu'au {_fr(end)}) peuvent être délivrés.",
                        "R.5132-33", c.line_id)]
    return [Finding("narcotic_presented_within_three_days", Severity.WARNING,
                    f"Ordonnance de stupéfiant présentée plus de trois jours après sa date : délivrer pour "
                    f"les {_days(remaining)} jours restants seulement.", "R.5132-33", c.line_id)]


def narcotic_fractioning(c: LineCheck) -> list[Finding]:
    """Stupéfiants: a fractioned prescription is handed over one fraction at a time.

    Art. R.5132-30 CSP: le prescripteur peut, pour des motifs tenant à la situation du patient, exiger
    que la délivrance soit fractionnée (and some substances must be, by arrêté); each fraction covers
    the days he wrote.
    """
    if not c.narcotic or not c.fraction_days:
        return []
    covered = c.covered_days()
    one_box = c.one_box_days()
    if covered is None or one_box is None or covered - one_box < c.fraction_days:
        return []
    return [Finding("narcotic_fractioning", Severity.BLOCKING,
                    f"Délivrance fractionnée par {c.fraction_days} jours : {c.boxes} boîtes couvrent "
                    f"{_days(covered)} jours.", "R.5132-30", c.line_id)]


def narcotic_no_overlap(c: LineCheck) -> list[Finding]:
    """Stupéfiants: no delivery for a period already covered by a previous one, unless written.

    Art. R.5132-33 CSP, dernier alinéa: une nouvelle ordonnance ne peut être exécutée pendant la
    période déjà couverte par une précédente ordonnance prescrivant de tels médicaments, sauf si le
    prescripteur en décide autrement par une mention expresse portée sur l'ordonnance.
    """
    if not c.narcotic or c.previous_coverage_end is None or c.overlap_allowed:
        return []
    if c.today > c.previous_coverage_end:
        return []
    return [Finding("narcotic_no_overlap", Severity.BLOCKING,
                    f"Une délivrance précédente couvre le traitement jusqu'au {_fr(c.previous_coverage_end)} "
                    "et l'ordonnance ne mentionne pas de chevauchement.", "R.5132-33", c.line_id)]


# --- every medicine ------------------------------------------------------------------------------


def no_delivery_beyond_remaining(c: LineCheck) -> list[Finding]:
    """Never more than what remains to deliver on the line, nor a renewal not left.

    Art. R.5132-14 CSP (the pharmacist records on the ordonnance the quantities delivered, which are
    deducted from what was prescribed) and R.4235-48 (dispensation of what is prescribed).
    """
    findings = []
    if c.remaining_boxes is not None and c.boxes > c.remaining_boxes:
        findings.append(Finding("no_delivery_beyond_remaining", Severity.BLOCKING,
                                f"Il ne reste que {c.remaining_boxes.normalize():f} boîte(s) à délivrer sur "
                                f"cette ligne ({c.boxes} demandées).", "R.5132-14", c.line_id))
    if c.listed is None and not c.narcotic and c.renewal_index > c.renewals_written:
        # (listed and narcotic medicines have their own rule, with its own article)
        findings.append(Finding("no_delivery_beyond_remaining", Severity.BLOCKING,
                                f"Renouvellement n° {c.renewal_index} : l'ordonnance n'en prévoit que "
                                f"{c.renewals_written}.", "R.5132-14", c.line_id))
    return findings


def quantity_above_need(c: LineCheck) -> list[Finding]:
    """More boxes than posology × duration requires: allowed with a recorded reason.

    Art. R.4235-48 CSP: the pharmacist dispenses what the prescription requires, adapting the
    quantity to the posology and the duration; a larger quantity must be justified.
    """
    if c.computed_boxes is None or c.boxes <= c.computed_boxes:
        return []
    return [Finding("quantity_above_need", Severity.WARNING,
                    f"{c.boxes} boîtes pour un besoin calculé de {c.computed_boxes} : justifiez la quantité.",
                    "R.4235-48", c.line_id)]


RULES: tuple[Callable[[LineCheck], list[Finding]], ...] = (
    first_delivery_within_three_months,
    treatment_at_most_twelve_months,
    at_most_one_month_at_once,
    liste_one_renewed_only_when_written,
    narcotic_at_most_28_days,
    narcotic_presented_within_three_days,
    narcotic_fractioning,
    narcotic_no_overlap,
    no_delivery_beyond_remaining,
    quantity_above_need,
)


def check_line(c: LineCheck) -> list[Finding]:
    """Every rule on one line, blocking findings first."""
    findings = [f for rule in RULES for f in rule(c)]
    return sorted(findings, key=lambda f: f.severity is not Severity.BLOCKING)


def unresolved(findings: Iterable[Finding], overrides: dict[str, str]) -> list[Finding]:
    """What still stops the delivery: blocking findings, and warnings with no override reason.

    ``overrides`` maps ``"<line_id>:<rule>"`` to the pharmacist's reason.
    """
    return [f for f in findings
            if f.blocking or not overrides.get(override_key(f.line_id, f.rule), "").strip()]


def override_key(line_id: str | None, rule: str) -> str:
    return f"{line_id or ''}:{rule}"
