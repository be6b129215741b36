"""The dispensation supplémentaire exceptionnelle of an expired ordonnance (art. L.5125-23-1 CSP).

Two schemes, each a rule on one line (:class:`~app.domain.findings.LineCheck`):

- **Chronic treatment** (L.5125-23-1, 1st paragraph, version in force since 21 May 2023, loi
  n° 2023-378; R.5123-2-1): when a renewable ordonnance has expired, to avoid an interruption harmful
  to the patient, the pharmacist may dispense, within the posology initially prescribed, what
  continues the treatment, "dans la limite de trois mois, par période d'un mois"; the prescriber is
  informed by secure means; the exceptional dispensing is written on the ordonnance (or sent to the
  service) as "dispensation supplémentaire exceptionnelle" with the boxes handed over.
- **Oral contraceptives** (L.5125-23-1, 2nd paragraph; R.5134-4-1 to R.5134-4-3): an ordonnance
  less than one year old whose validity expired allows an additional, non-renewable period of six
  months, three months at most at once.

What the law leaves to the reader, and what Comptoir chose:

- *Expired*: the line can no longer be dispensed on the ordonnance — its validity (treatment end,
  twelve months at most) passed, or every dispensation the prescriber wrote was delivered. The day
  it expired (``LineCheck.expired_on``) is the day after its validity or, when every dispensation
  was delivered, the day after the last boxes run out (the treatment stops that day).
- *Chronic*: R.5123-2-1 1° asks for a prescription "permettant une durée totale de traitement d'au
  moins trois mois"; the total is the line's duration × (1 + renewals written), compared with three
  months of four weeks (84 days, the pack convention used everywhere here). A treatment whose length
  is unknown is refused: nothing shows that it is chronic.
- *First within a month*: R.5123-2-1 3° — only the first exceptional dispensing of the line must fall
  in the month after the expiry; the next ones follow one month at a time.
- *One month*: the boxes of one period are the fewest covering a month at the prescribed rate (28 or
  30 days as the pack counts, :func:`~app.domain.quantities.month_days`); a box lasting more than a
  month is refused (R.5123-2-1: "le conditionnement ... compatible avec ... une durée d'un mois").
- *Six months of contraception*: counted in cycles (blisters of 21 or 28) handed over exceptionally
  on this ordonnance; at most three at once (R.5134-4-2 1°), so six months take two visits.
- *Oral*: a contraceptive (substances in ``resources/contraceptives.json``) whose BDPM form is a
  tablet or capsule or whose route is oral; a patch, a ring or an implant is not (the chronic scheme
  still applies to it).
- *Excluded*: the categories of the ministerial arrêté, as dated rows of
  ``resources/exceptional/dispensing.json`` (stupéfiants and assimilés, meddispar), never code.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import cache
from typing import Any

from app.domain.findings import Finding, LineCheck, Severity, _days
from app.domain.quantities import DeliveryLimit, contraceptive_cycles, month_count, month_days
from app.domain.renewal import add_months, fr_date
from app.domain.substances import is_contraceptive
from app.domain.units import fold
from app.resources_path import resource

RESOURCE = ("exceptional", "dispensing.json")
ARTICLE = "L.5125-23-1"
MENTION = "Dispensation supplémentaire exceptionnelle (art. L.5125-23-1 CSP)"
CONTRACEPTIVE_MENTION = "Dispensation supplémentaire de contraceptifs oraux (art. L.5125-23-1, R.5134-4-2 CSP)"
CYCLE_DAYS = 28  # a month of contraception: one blister of 21 or 28


class ExceptionalKind(enum.Enum):
    CHRONIC = "chronic"
    CONTRACEPTIVE = "contraceptive"


@dataclass(frozen=True)
class Terms:
    """The figures of both schemes and the excluded categories in force on a day."""

    period_months: int
    max_periods: int
    min_treatment_days: Decimal
    first_within_months: int
    contraceptive_months: int
    contraceptive_at_once: int
    contraceptive_age_months: int
    excluded: tuple[tuple[str, str, frozenset[str]], ...]  # (category, French label, schemes)


def _in_force(row: dict[str, Any], on: date) -> bool:
    start, end = row.get("effective_from"), row.get("effective_to")
    return (not start or date.fromisoformat(start) <= on) and (not end or on <= date.fromisoformat(end))


@cache
def _data() -> dict[str, Any]:
    return json.loads(resource(*RESOURCE).read_text(encoding="utf-8"))


def terms(on: date) -> Terms:
    data = _data()
    chronic, pill = data["chronic"], data["contraceptive"]
    return Terms(chronic["period_months"], chronic["max_periods"] if _in_force(chronic, on) else 0,
                 Decimal(chronic["min_treatment_days"]), chronic["first_within_months"],
                 pill["max_months"] if _in_force(pill, on) else 0, pill["max_months_at_once"],
                 pill["max_prescription_age_months"],
                 tuple((r["category"], r["label"], frozenset(r["applies_to"]))
                       for r in data["excluded"] if _in_force(r, on)))


def is_oral(form: str, routes: tuple[str, ...]) -> bool:
    """A tablet or a capsule, or a product taken by mouth (BDPM form and routes)."""
    folded = fold(form)
    return any(word in folded for word in ("comprime", "gelule")) or any(fold(r).strip() == "orale" for r in routes)


def exceptional_kind(c: LineCheck) -> ExceptionalKind:
    """An oral contraceptive has its own scheme (L.5125-23-1, 2nd paragraph); everything else is a
    chronic treatment's."""
    if is_contraceptive(c.substances) and is_oral(c.pharmaceutical_form, c.routes):
        return ExceptionalKind.CONTRACEPTIVE
    return ExceptionalKind.CHRONIC


def _category(c: LineCheck, name: str) -> bool:
    return {"stupefiant": c.product.narcotic, "assimile": c.product.assimilated}.get(name, False)


def excluded_category(c: LineCheck, kind: ExceptionalKind) -> tuple[str, str] | None:
    """The arrêté's category the product belongs to (its code and French label), or None."""
    for name, label, schemes in terms(c.today).excluded:
        if kind.value in schemes and _category(c, name):
            return name, label
    return None


def _prescribed_total(c: LineCheck) -> Decimal | None:
    return None if c.treatment_days is None else c.treatment_days * (1 + max(c.renewals_written, 0))


def _ceil(value: Decimal) -> int:
    return int(value.quantize(Decimal("0.001")).to_integral_value(rounding=ROUND_CEILING))


def allowance(c: LineCheck) -> tuple[int, int] | None:
    """(boxes, months) this exceptional dispensing may hold: one month for a chronic treatment, what
    is left of the six months of a contraceptive, three at most; None when the pack or the posology
    does not allow counting it (see :func:`refusal`)."""
    if exceptional_kind(c) is ExceptionalKind.CONTRACEPTIVE:
        t = terms(c.today)
        months = min(t.contraceptive_at_once, t.contraceptive_months - c.exceptional_months)
        cycles = contraceptive_cycles(c.units_per_box)
        if cycles is not None:
            boxes = months // cycles
            return (boxes, boxes * cycles) if boxes > 0 else None
        one_box = c.one_box_days()
        if not one_box:
            return None
        boxes = int((Decimal(months * CYCLE_DAYS) / one_box).quantize(Decimal("0.001")).to_integral_value(ROUND_FLOOR))
        return (boxes, months) if boxes > 0 else None
    one_box = c.one_box_days()
    if not one_box:
        return None
    if one_box > 31 and (month_count(one_box) or 2) > 1:
        return None
    return max(1, _ceil(month_days(c.units_per_box, c.daily_units) / one_box)), 1


def refusal(c: LineCheck) -> tuple[str, str, dict[str, object]] | None:
    """Why the line may not be dispensed exceptionally: (variant, French reason, values), or None."""
    kind = exceptional_kind(c)
    t = terms(c.today)
    excluded = excluded_category(c, kind)
    if excluded is not None:
        category, label = excluded
        return "excluded", f"{label} : exclu de la dispensation exceptionnelle par arrêté", {"category": category}
    if kind is ExceptionalKind.CONTRACEPTIVE:
        year = add_months(c.prescribed_on, t.contraceptive_age_months)
        if c.today >= year:
            return ("too_old", f"contraceptif oral sur une ordonnance du {fr_date(c.prescribed_on)}, d'un an ou plus",
                    {"date": fr_date(c.prescribed_on)})
        if c.exceptional_months >= t.contraceptive_months:
            return ("contraceptive_limit", f"les {t.contraceptive_months} mois de dispensation supplémentaire de ce contraceptif "
                    "sont déjà délivrés (non renouvelable)", {"months": t.contraceptive_months})
    else:
        total = _prescribed_total(c)
        if total is None:
            return "unknown_duration", "durée du traitement inconnue : rien n'indique un traitement chronique", {}
        if total < t.min_treatment_days:
            return ("not_chronic", f"traitement prescrit pour {_days(total)} jours renouvellements compris, moins de "
                    "trois mois : pas un traitement chronique (art. R.5123-2-1)", {"days": _days(total)})
        if c.exceptional_periods >= t.max_periods:
            return ("limit", f"{t.max_periods} dispensations exceptionnelles d'un mois déjà faites sur cette ligne : "
                    "limite de trois mois atteinte", {"periods": t.max_periods})
        expired = c.expiry()
        if c.exceptional_periods == 0 and expired is not None:
            last = add_months(expired, t.first_within_months) - timedelta(days=1)
            if c.today > last:
                return ("late", f"ordonnance expirée le {fr_date(expired)} : la première dispensation "
                        f"exceptionnelle devait avoir lieu au plus tard le {fr_date(last)} (art. R.5123-2-1)",
                        {"expired": fr_date(expired), "last": fr_date(last)})
    if allowance(c) is None:
        if c.one_box_days() is None:
            return "posology_unknown", "posologie inconnue : la quantité d'un mois ne peut être calculée", {}
        return ("pack_too_large", f"une boîte couvre {_days(c.one_box_days() or Decimal(0))} jours, plus que la "
                "période permise : choisissez un conditionnement plus petit", {"days": _days(c.one_box_days() or Decimal(0))})
    return None


def _finding(rule: str, code: str, severity: Severity, message: str, c: LineCheck, variant: str,
             values: dict[str, object]) -> Finding:
    return Finding(rule, severity, message, ARTICLE, c.line_id, code=code, variant=variant,
                   values=tuple((k, str(v)) for k, v in values.items()))


def _refused(rule: str, c: LineCheck, found: tuple[str, str, dict[str, object]]) -> list[Finding]:
    variant, reason, values = found
    return [_finding(rule, "EXCEPTIONAL_DISPENSING_REFUSED", Severity.BLOCKING,
                     f"Dispensation supplémentaire exceptionnelle impossible : {reason}.", c, variant, values)]


def expired_ordonnance(c: LineCheck) -> list[Finding]:
    """A line past its ordonnance's validity, or whose written dispensations were all delivered:
    nothing more is dispensed on it (Art. R.5132-21, R.5132-14 CSP), except exceptionally (art. L.5125-23-1
    CSP): the finding says whether it may be, and how many boxes. A liste I/II line past its twelve
    months that may not be is left to :func:`~app.domain.rules.treatment_at_most_twelve_months`."""
    expired = c.expiry()
    if expired is None or c.exceptional:
        return []
    found = refusal(c)
    if found is not None:
        return [] if c.expired_on is None else _refused("expired_ordonnance", c, found)
    boxes, months = allowance(c) or (0, 0)
    return [_finding("expired_ordonnance", "ORDONNANCE_EXPIRED", Severity.BLOCKING,
                     f"Ordonnance expirée (le {fr_date(expired)}) : dispensation supplémentaire exceptionnelle "
                     f"possible, {boxes} boîte(s) pour {months} mois, le prescripteur informé (art. L.5125-23-1 CSP).",
                     c, "eligible", {"date": fr_date(expired), "boxes": boxes, "months": months})]


def exceptional_dispensing(c: LineCheck) -> list[Finding]:
    """Art. L.5125-23-1 CSP: the exceptional dispensing chosen, refused when the line is not eligible, blocked beyond its
    boxes (one month, or the months of contraception left), else said (information)."""
    if not c.exceptional:
        return []
    found = refusal(c)
    if found is not None:
        return _refused("exceptional_dispensing", c, found)
    boxes, months = allowance(c) or (0, 0)
    if c.boxes > boxes:
        return [_finding("exceptional_dispensing", "EXCEPTIONAL_DISPENSING", Severity.BLOCKING,
                         f"Dispensation supplémentaire exceptionnelle : {boxes} boîte(s) au plus ({months} mois), "
                         f"{c.boxes} demandées.", c, "boxes", {"allowed": boxes, "months": months, "boxes": c.boxes})]
    if exceptional_kind(c) is ExceptionalKind.CONTRACEPTIVE:
        left = terms(c.today).contraceptive_months - c.exceptional_months
        text = (f"Dispensation supplémentaire de contraceptif oral : {months} mois sur les {left} restants, non "
                "renouvelable au-delà de six mois ; conseillez une consultation.")
        return [_finding("exceptional_dispensing", "EXCEPTIONAL_DISPENSING", Severity.INFO, text, c, "contraceptive",
                         {"months": months, "left": left})]
    number = c.exceptional_periods + 1
    return [_finding("exceptional_dispensing", "EXCEPTIONAL_DISPENSING", Severity.INFO,
                     f"Dispensation supplémentaire exceptionnelle n° {number} sur {terms(c.today).max_periods} "
                     "(un mois) : informez le prescripteur.", c, "chronic",
                     {"number": number, "max": terms(c.today).max_periods})]


def exceptional_limit(c: LineCheck) -> DeliveryLimit | None:
    """The boxes an expired line may hold when dispensed exceptionally (the quantity proposed)."""
    if c.expiry() is None or refusal(c) is not None:
        return None
    boxes, months = allowance(c) or (0, 0)
    return DeliveryLimit("EXCEPTIONAL_DISPENSING", f"dispensation supplémentaire exceptionnelle : {months} mois "
                         "(art. L.5125-23-1)", ARTICLE, boxes=Decimal(boxes))


def months_handed_over(quantity: int, units_per_box: Decimal | None, daily_units: Decimal | None) -> int:
    """Months of contraception an exceptional dispensing covered (cycles, else days of 28)."""
    cycles = contraceptive_cycles(units_per_box)
    if cycles is not None:
        return quantity * cycles
    if units_per_box and daily_units:
        return _ceil(quantity * units_per_box / daily_units / CYCLE_DAYS)
    return 0


def mention(kind: ExceptionalKind, boxes: int, months: int) -> str:
    """What the ordonnance and the service say of it (R.5123-2-1, R.5134-4-2 3°)."""
    if kind is ExceptionalKind.CONTRACEPTIVE:
        return f"{CONTRACEPTIVE_MENTION} : {boxes} boîte(s), durée {months} mois"
    return f"{MENTION} : {boxes} boîte(s), {months} mois"
