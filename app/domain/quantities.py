"""How many boxes a prescription line needs: posology × duration ÷ units per box, rounded up.

The result carries a French explanation (shown when the pharmacist hovers the quantity) so that the
number can be checked by hand, and, when it cannot be computed (no duration, a dose in milligrams with
no strength to convert it, a continuous infusion ...), ``boxes`` is None with the reason in French:
the pharmacist then types the quantity. Never a guess presented as a computation.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from app.domain.prescription import Dosage, PrescriptionLine, Quantity, Timing, time_unit

# UCUM time units in days, as in app.domain.prescription (a month is 30 days, a year 365).
_DAYS = {"s": Decimal(1) / 86400, "min": Decimal(1) / 1440, "h": Decimal(1) / 24, "d": Decimal(1),
         "wk": Decimal(7), "mo": Decimal(30), "a": Decimal(365)}
# Words meaning "a box" in a prescribed quantity (dispenseRequest.quantity).
_BOX_WORDS = {"boite", "boites", "bte", "btes", "conditionnement", "conditionnements", "unite de vente",
              "box", "pack"}
# Mass and volume units convertible to each other within their family.
_MASS = {"g": Decimal(1), "mg": Decimal("0.001"), "ug": Decimal("0.000001"), "µg": Decimal("0.000001"),
         "mcg": Decimal("0.000001"), "microgramme": Decimal("0.000001"), "kg": Decimal(1000)}
_VOLUME = {"l": Decimal(1), "ml": Decimal("0.001"), "dl": Decimal("0.1"), "cl": Decimal("0.01")}


@dataclass(frozen=True)
class PackInfo:
    """What the computation needs to know about the box that will be handed over.

    ``unit_strength`` is the amount of active substance in one unit (``10 mg`` per gélule): it turns
    a dose written in milligrams into units to take.
    """

    quantity: Decimal | None  # units in one box (30 comprimés)
    unit: str | None  # "comprimé", "seringue préremplie" ...
    unit_strength: Quantity | None = None


@dataclass(frozen=True)
class BoxEstimate:
    """The computed number of boxes (None when it cannot be computed) and why."""

    boxes: int | None
    explanation: str  # French, for the hover
    units_needed: Decimal | None = None
    days: Decimal | None = None  # treatment days covered by the computation
    daily_units: Decimal | None = None  # units a day (the maximum for ranges / as-needed)
    reason: str | None = None  # French, when boxes is None

    @property
    def computed(self) -> bool:
        return self.boxes is not None


def _fold(text: str | None) -> str:
    """Lower-case, accents removed, plural marks dropped: "Comprimé(s)" → "comprime"."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()
    text = text.replace("(s)", "")
    return text


def _unit_head(text: str | None) -> str:
    """The noun of a unit ("comprimé pelliculé sécable" → "comprime"), singular."""
    words = re.findall(r"[a-z]+", _fold(text))
    if not words:
        return ""
    word = words[0]
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


def same_unit(a: str | None, b: str | None) -> bool:
    """True when two unit words name the same thing (``Comprimé`` and ``comprimé(s) pelliculé(s)``)."""
    head_a, head_b = _unit_head(a), _unit_head(b)
    return bool(head_a) and head_a == head_b


def _fmt(value: Decimal) -> str:
    """French number: ``2,5``; at most 2 decimals."""
    q = value.quantize(Decimal("0.01")).normalize()
    text = f"{q:f}"
    return text.replace(".", ",")


def _plural(value: Decimal, unit: str) -> str:
    unit = unit.lower()
    if value > 1 and unit and not unit.endswith(("s", "x")) and "(" not in unit:
        unit = " ".join(w + "s" if i == 0 else w for i, w in enumerate(unit.split(" ")))
    return f"{_fmt(value)} {unit}".strip()


def _convert_factor(unit_from: str, unit_to: str) -> Decimal | None:
    f, t = _fold(unit_from).replace(" ", ""), _fold(unit_to).replace(" ", "")
    for table in (_MASS, _VOLUME):
        if f in table and t in table:
            return table[f] / table[t]
    if f == t and f:
        return Decimal(1)
    return None


def _dose_in_units(dose: Quantity, pack: PackInfo) -> tuple[Decimal | None, str | None]:
    """A dose as a number of pack units (tablets, syringes ...), or (None, reason)."""
    if not dose.unit or same_unit(dose.unit, pack.unit):
        return dose.value, None
    if pack.unit is None and _convert_factor(dose.unit, "mg") is None and _convert_factor(dose.unit, "ml") is None:
        return dose.value, None  # "1 comprimé" and a box whose unit is not known: count units
    strength = pack.unit_strength
    if strength is not None and strength.value > 0:
        factor = _convert_factor(dose.unit, strength.unit)
        if factor is not None:
            return dose.value * factor / strength.value, None
    if pack.unit is None:
        return None, f"unité de la dose ({dose.unit}) et contenu de la boîte inconnus"
    return None, f"dose exprimée en « {dose.unit} », boîte en « {pack.unit} » : conversion impossible"


def administrations_per_day(timing: Timing) -> Decimal | None:
    """Average number of administrations a day (the maximum when a range is given), or None.

    ``frequency`` per ``period`` ``periodUnit`` is the FHIR rule; ``dayOfWeek`` restricts it to some
    days (Mon-Fri: 5 days out of 7) and ``timeOfDay``/``when`` list the daily takes.
    """
    frequency = timing.frequency_max or timing.frequency
    per_take_day = Decimal(max(len(timing.time_of_day), len(timing.when), 1))
    if timing.day_of_week:
        days_on = Decimal(len(timing.day_of_week))
        unit_days = _DAYS.get(timing.period_unit or "wk", Decimal(7))
        if frequency and unit_days >= 7:
            # "5 times a week on Mon..Fri": one take on each listed day.
            period = (timing.period or Decimal(1)) * unit_days
            return Decimal(frequency) / period
        if frequency and unit_days == 1:
            per_take_day = max(per_take_day, Decimal(frequency))
        return per_take_day * days_on / 7
    if timing.period and timing.period_unit in _DAYS:
        # The shortest period allowed gives the most takes: the maximum a day.
        per_period = Decimal(frequency or 1) / (timing.period * _DAYS[timing.period_unit])
        if timing.period * _DAYS[timing.period_unit] == 1 and (timing.time_of_day or timing.when):
            return max(per_period, per_take_day)  # "once a day" at 8:00 and 20:00 is twice
        return per_period
    if timing.time_of_day or timing.when:
        return per_take_day
    if frequency:
        return Decimal(frequency)
    return None


def _max_per_day(dosage: Dosage, pack: PackInfo) -> tuple[Decimal | None, str | None]:
    """The ceiling "maximum N per period" of a dosage, in units a day."""
    if dosage.max_dose_per_period is None:
        return None, None
    numerator, denominator = dosage.max_dose_per_period
    unit = time_unit(denominator.code, denominator.unit)
    if unit is None or denominator.value <= 0:
        return None, None
    units, reason = _dose_in_units(numerator, pack)
    if units is None:
        return None, reason
    per_day = units / (denominator.value * _DAYS[unit])
    return per_day, f"maximum {_plural(numerator.value, numerator.unit)} par {_fmt(denominator.value)} {denominator.unit}"


@dataclass(frozen=True)
class _Step:
    daily: Decimal
    days: Decimal | None
    text: str


def _rhythm(per_day: Decimal) -> str:
    """"2 par jour", "1 par semaine", "1 par mois": the rhythm in the words of the prescription."""
    for factor, word in ((1, "jour"), (7, "semaine"), (30, "mois")):
        value = (per_day * factor).quantize(Decimal("0.001"))
        if value >= 1 and value == value.to_integral_value():
            return f"{_fmt(value)} par {word}"
    return f"{_fmt(per_day)} par jour"


def _same_amount_unit(a: Quantity, b: Quantity) -> bool:
    return same_unit(a.unit, b.unit) or (a.code is not None and a.code == b.code)


def _dosage_step(dosage: Dosage, pack: PackInfo) -> tuple[_Step | None, str | None]:
    """Units a day for one dosage instruction (the largest dose of a range), or a reason."""
    if dosage.rate is not None and dosage.dose is None and dosage.dose_high is None:
        return None, "débit continu (perfusion, pompe) : quantité à saisir"
    ceiling, ceiling_text = _max_per_day(dosage, pack)
    dose = dosage.max_dose()
    per_take = dosage.max_dose_per_administration
    if dosage.as_needed and per_take is not None and (
            dose is None or (_same_amount_unit(per_take, dose) and per_take.value > dose.value)):
        # "1 comprimé si douleur, au maximum 2 par prise": count the maximum per take.
        dose = per_take
    per_day = administrations_per_day(dosage.timing)
    daily: Decimal | None = None
    text = ""
    if dose is not None and per_day is not None:
        units, reason = _dose_in_units(dose, pack)
        if units is None:
            return None, reason
        daily = units * per_day
        dose_text = _plural(dose.value, dose.unit or (pack.unit or "unité"))
        if dosage.dose_high is not None and dosage.dose_low is not None:
            dose_text = f"jusqu'à {dose_text} (dose maximale)"
        text = f"{dose_text} × {_rhythm(per_day)}"
        if units != dose.value:
            text += f" (= {_plural(units, pack.unit or 'unité')} par prise)"
    if ceiling is not None and (daily is None or ceiling < daily):
        daily, text = ceiling, ceiling_text
    if daily is None:
        if dose is None:
            return None, "posologie sans dose chiffrée"
        return None, "rythme des prises non précisé"
    if dosage.as_needed and ceiling is None and dosage.max_dose_per_administration is None:
        text += " (si besoin, au maximum)"
    bound = dosage.timing.bounds_duration.days() if dosage.timing.bounds_duration is not None else None
    return _Step(daily=daily, days=bound, text=text), None


def _boxes_for(units: Decimal, pack: PackInfo) -> tuple[int | None, str]:
    if not pack.quantity or pack.quantity <= 0:
        return None, "contenu de la boîte inconnu"
    exact = units / pack.quantity
    boxes = int(exact.to_integral_value(rounding=ROUND_CEILING))
    box_word = "boîte" if boxes <= 1 else "boîtes"
    text = (f"boîte de {_plural(pack.quantity, pack.unit or 'unité')} → {_fmt(units)} ÷ {_fmt(pack.quantity)}"
            f" = {_fmt(exact)}, arrondi au supérieur : {boxes} {box_word}")
    return boxes, text


def _explicit_quantity(line: PrescriptionLine, pack: PackInfo) -> BoxEstimate | None:
    """The prescribed quantity (FHIR dispenseRequest.quantity), when the prescriber wrote one."""
    q = line.quantity
    if q is None or q.value <= 0:
        return None
    if _fold(q.unit) in _BOX_WORDS or _unit_head(q.unit) in {"boite", "bte", "conditionnement"}:
        boxes = int(q.value.to_integral_value(rounding=ROUND_CEILING))
        return BoxEstimate(boxes, f"Quantité prescrite : {boxes} boîte{'s' if boxes > 1 else ''}",
                           units_needed=None if not pack.quantity else boxes * pack.quantity)
    units, reason = _dose_in_units(q, pack)
    if units is None:
        return BoxEstimate(None, f"Quantité prescrite : {q}", reason=reason)
    boxes, box_text = _boxes_for(units, pack)
    if boxes is None:
        return BoxEstimate(None, f"Quantité prescrite : {q}", units_needed=units, reason=box_text)
    return BoxEstimate(boxes, f"Quantité prescrite : {q} ; {box_text}", units_needed=units)


def compute_boxes(line: PrescriptionLine, pack: PackInfo) -> BoxEstimate:
    """Boxes for ``line`` with boxes like ``pack``: explicit quantity, else posology × duration.

    Sequential dosages (6 mg for 2 days, then 4 mg ...) add up, each over its own duration; a dose
    range counts its maximum; an as-needed dosage counts its "maximum per day" when there is one.
    """
    explicit = _explicit_quantity(line, pack)
    if explicit is not None:
        return explicit
    if not line.dosages:
        return BoxEstimate(None, "", reason="posologie non structurée : quantité à saisir")
    steps: list[_Step] = []
    for dosage in line.dosages:
        step, reason = _dosage_step(dosage, pack)
        if step is None:
            return BoxEstimate(None, "", reason=reason)
        steps.append(step)
    line_days = line.duration.days() if line.duration is not None else None
    parts: list[str] = []
    units = Decimal(0)
    days_total = Decimal(0)
    for index, step in enumerate(steps):
        days = step.days
        if days is None and line_days is not None and index == len(steps) - 1:
            days = line_days - days_total  # the last dosage goes on until the end of the treatment
        if days is None or days <= 0:
            return BoxEstimate(None, "", daily_units=step.daily,
                               reason="durée du traitement non précisée : quantité à saisir")
        units += step.daily * days
        days_total += days
        parts.append(f"{step.text} × {_fmt(days)} jours")
    if units <= 0:
        return BoxEstimate(None, "", reason="dose nulle ou négative : quantité à saisir")
    units = units.quantize(Decimal("0.001"))  # 2 × 1/7 × 28 must give 8, not 8.000…1 rounded up to 9
    units = Decimal(math.ceil(units))
    unit_word = pack.unit or "unité"
    text = " + ".join(parts) + f" = {_plural(units, unit_word)}"
    boxes, box_text = _boxes_for(units, pack)
    daily = units / days_total if days_total else None
    if boxes is None:
        return BoxEstimate(None, text, units_needed=units, days=days_total, daily_units=daily, reason=box_text)
    return BoxEstimate(boxes, f"{text} ; {box_text}", units_needed=units, days=days_total, daily_units=daily)


def days_covered(boxes: int | Decimal, units_per_box: Decimal | None, daily_units: Decimal | None) -> Decimal | None:
    """How many days ``boxes`` boxes of ``units_per_box`` last at ``daily_units`` a day, or None."""
    if not daily_units or daily_units <= 0 or not units_per_box:
        return None
    return boxes * units_per_box / daily_units
