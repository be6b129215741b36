"""Rules on how long a line may run and how it is handed over: the product's own duration limit,
fractioned deliveries, a stupéfiant presented late, overlapping deliveries (CSP R.5132-21 to -33);
each a named rule of :data:`app.domain.rules.RULES`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from app.domain.findings import (
    EarlierDelivery,
    Finding,
    LineCheck,
    Severity,
    _days,
    _f,
)
from app.domain.quantities import month_count
from app.domain.renewal import (
    NARCOTIC_PRESENTATION_DAYS,
    fr_date,
)
from app.domain.substances import same_substance


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
                           f"à {written}.", duration_article(c), c, "total_renewals" if c.renewals_written else "total",
                           product=c.product_label, days=_days(total), limit=limit))
    covered = c.covered_days()
    one_box = c.one_box_days()
    if covered is not None and one_box is not None and c.boxes > 1 and covered - one_box >= limit:
        findings.append(_f("max_prescription_duration", Severity.BLOCKING,
                           f"{c.boxes} boîtes couvrent {_days(covered)} jours : prescription limitée à {written}.",
                           duration_article(c), c, "boxes", boxes=c.boxes, days=_days(covered), limit=limit))
    return findings


def _same_months(c: LineCheck, total: Decimal, limit: int) -> bool:
    """"1 mois" against "4 semaines": the same month, counted as the pack counts it."""
    written = month_count(total)
    return c.duration_in_months and written is not None and written == month_count(Decimal(limit))


def duration_article(c: LineCheck) -> str:
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
    ends: list[tuple[date, str, EarlierDelivery | None]] = []
    if c.previous_coverage_end is not None and c.today <= c.previous_coverage_end:
        ends.append((c.previous_coverage_end, "une délivrance précédente de cette ligne", None))
    for earlier in c.earlier:
        if earlier.ordonnance == c.ordonnance or earlier.covered_until is None or c.today > earlier.covered_until:
            continue
        if same_substance(earlier.substances, c.substances):
            ends.append((earlier.covered_until, f"l'ordonnance {earlier.ordonnance}"
                                                f"{f' ({earlier.label})' if earlier.label else ''}", earlier))
    if not ends:
        return []
    end, what, other = max(ends, key=lambda e: (e[0], e[1]))
    message = (f"Chevauchement interdit : {what} couvre le traitement jusqu'au {fr_date(end)} inclus. Délivrable "
               f"à partir du {fr_date(end + timedelta(days=1))}, ou avant si le prescripteur porte sur l'ordonnance "
               "une mention expresse autorisant le chevauchement (art. R.5132-33).")
    if other is None:
        return [_f("no_overlap", Severity.BLOCKING, message, "R.5132-33", c, "line",
                   end=fr_date(end), due=fr_date(end + timedelta(days=1)))]
    if other.label:
        return [_f("no_overlap", Severity.BLOCKING, message, "R.5132-33", c, "ordonnance_labelled",
                   ordonnance=other.ordonnance, label=other.label, end=fr_date(end), due=fr_date(end + timedelta(days=1)))]
    return [_f("no_overlap", Severity.BLOCKING, message, "R.5132-33", c, "ordonnance", ordonnance=other.ordonnance,
               end=fr_date(end), due=fr_date(end + timedelta(days=1)))]
