"""From a posology to pack units: how many units (tablets, patches, syringes, bags …) a prescription
line uses a day, over which days, and why — in French words that can be checked by hand.

Every dosage of a line counts (art. R.5132-3 CSP: the prescription states the posology and the
duration): several doses at set hours add up, a weekly schedule counts its days, the phases of a
tapering schedule follow each other. FHIR ``Dosage.sequence`` orders them: "la séquence s+1 commence
à la fin de la séquence s ; des séquences de même numéro se déroulent simultanément" (ANS guide
ePrescription, logical model *Posologie*). Dosages without a sequence number are read as simultaneous
(same — absent — number), so "2 comprimés à 7 h, 1 comprimé à 18 h, 5 jours" is 3 a day for 5 days.

A dose written in a measure (mg, ml, UI) becomes units through the pack's strength and content
("10 mg" of 10 mg gélules is one gélule; "20 UI" of a 100 UI/ml insulin in 3 ml cartridges is
1/15 of a cartridge); a dose per kg or per m² through the patient's weight and height when known;
an "if needed" line counts its maximum (per take and per day); a rate (a bag every 12 h, 5 mg/h)
counts what it delivers in a day. What cannot be converted says why, in French.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.domain.prescription import Dosage, Quantity, Timing, time_unit
from app.domain.units import (
    UnitVocabulary,
    default_vocabulary,
    fold,
    household_measure,
    is_measure,
    measure_factor,
)

# UCUM time units in days, as in app.domain.prescription (a month is 30 days, a year 365).
DAYS = {"s": Decimal(1) / 86400, "min": Decimal(1) / 1440, "h": Decimal(1) / 24, "d": Decimal(1),
        "wk": Decimal(7), "mo": Decimal(30), "a": Decimal(365)}
_PER_BODY = re.compile(r"^(?P<num>.+?)\s*/\s*(?P<per>kg|m2|m\^2|m²)(?:\s*/.*)?$")
_RATE_UNIT = re.compile(r"^(?P<num>[^/]+?)\s*/\s*(?P<n>\d+(?:[.,]\d+)?)?\s*(?P<per>[a-zA-Zé]+)\s*$")


@dataclass(frozen=True)
class PackInfo:
    """What the computation needs to know about the box that will be handed over.

    ``unit_strength`` is the active substance in ``strength_per`` (one unit when None: "10 mg" per
    gélule; "100 UI" per "1 ml" of insulin); ``unit_content`` what one unit holds ("3 ml" a cartridge,
    "30 g" a tube, "0,4 ml" a syringe). Both turn a dose in mg, UI or ml into units.
    """

    quantity: Decimal | None  # units in one box (30 comprimés)
    unit: str | None  # "comprimé", "seringue", "dispositif" ...
    unit_strength: Quantity | None = None
    strength_per: Quantity | None = None
    unit_content: Quantity | None = None
    label: str = ""  # the pack label, for the explanation


@dataclass(frozen=True)
class PatientMeasures:
    """The patient's weight and height when the prescription gives them (doses per kg or per m²)."""

    weight_kg: Decimal | None = None
    height_cm: Decimal | None = None

    def body_surface(self) -> Decimal | None:
        """Body surface area in m², Mosteller's formula √(height cm × weight kg / 3600)."""
        if not self.weight_kg or not self.height_cm or self.weight_kg <= 0 or self.height_cm <= 0:
            return None
        return (self.height_cm * self.weight_kg / Decimal(3600)).sqrt().quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Step:
    """One dosage read: units a day, over how many days (None: until the end), as words; or,
    for a dosage with a count of takes ("1 dose unique"), the total units."""

    daily: Decimal
    days: Decimal | None
    text: str
    total: Decimal | None = None


def fmt(value: Decimal) -> str:
    """French number: ``2,5``; at most 2 decimals."""
    q = value.quantize(Decimal("0.01")).normalize()
    return f"{q:f}".replace(".", ",")


def plural(value: Decimal, unit: str) -> str:
    unit = unit or ""
    if is_measure(unit):
        return f"{fmt(value)} {unit}".strip()
    unit = unit.lower()
    if value > 1 and unit and not unit.endswith(("s", "x")) and "(" not in unit:
        unit = " ".join(w + "s" if i == 0 else w for i, w in enumerate(unit.split(" ")))
    return f"{fmt(value)} {unit}".strip()


def administrations_per_day(timing: Timing) -> Decimal | None:
    """Average number of administrations a day (the maximum when a range is given), or None.

    ``frequency`` per ``period`` ``periodUnit`` is the FHIR rule; ``dayOfWeek`` restricts it to some
    days (Mon-Fri: 5 days out of 7) and ``timeOfDay``/``when`` list the daily takes.
    """
    frequency = timing.frequency_max or timing.frequency
    per_take_day = Decimal(max(len(timing.time_of_day), len(timing.when), 1))
    if timing.day_of_week:
        days_on = Decimal(len(set(timing.day_of_week)))
        unit_days = DAYS.get(timing.period_unit or "wk", Decimal(7))
        if frequency and unit_days >= 7:
            # "5 times a week on Mon..Fri": one take on each listed day.
            period = (timing.period or Decimal(1)) * unit_days
            return max(Decimal(frequency), days_on * per_take_day) / period
        if frequency and unit_days == 1:
            per_take_day = max(per_take_day, Decimal(frequency))
        return per_take_day * days_on / 7
    if timing.period and timing.period > 0 and timing.period_unit in DAYS:
        # The shortest period allowed gives the most takes: the maximum a day.
        per_period = Decimal(frequency or 1) / (timing.period * DAYS[timing.period_unit])
        if timing.period * DAYS[timing.period_unit] == 1 and (timing.time_of_day or timing.when):
            return max(per_period, per_take_day)  # "once a day" at 8:00 and 20:00 is twice
        return per_period
    if timing.time_of_day or timing.when:
        return per_take_day
    if frequency:
        return Decimal(frequency)
    return None


def rhythm(per_day: Decimal) -> str:
    """"2 par jour", "1 par semaine", "1 par mois": the rhythm in the words of the prescription."""
    for factor, word in ((1, "jour"), (7, "semaine"), (30, "mois")):
        value = (per_day * factor).quantize(Decimal("0.001"))
        if value >= 1 and value == value.to_integral_value():
            return f"{fmt(value)} par {word}"
    return f"{fmt(per_day)} par jour"


class DoseReader:
    """Reads doses and dosages against one pack, for one patient, with one unit vocabulary."""

    def __init__(self, pack: PackInfo, patient: PatientMeasures | None = None,
                 vocabulary: UnitVocabulary | None = None) -> None:
        self.pack = pack
        self.patient = patient or PatientMeasures()
        self.vocabulary = vocabulary or default_vocabulary()

    # --- one amount -> units ------------------------------------------------------------------

    def units(self, dose: Quantity) -> tuple[Decimal | None, str | None, str]:
        """A dose as pack units: (units, None, note) or (None, French reason, "").

        The note explains a conversion ("10 mg/kg × 20 kg = 200 mg ; 200 mg ÷ 100 mg = 2 comprimés").
        """
        pack = self.pack
        if not dose.unit and not dose.code:
            return dose.value, None, ""
        if self.vocabulary.same(dose.unit, pack.unit, code_a=dose.code):
            return dose.value, None, ""
        body = _PER_BODY.match(fold(dose.unit).replace(" ", ""))
        if body:
            return self._per_body(dose, body.group("num"), body.group("per"))
        household = household_measure(dose.unit)
        if household is not None and not is_measure(dose.unit):
            return self._household(dose, household[0])
        if not is_measure(dose.unit):
            if pack.unit is None:
                return dose.value, None, ""  # "1 comprimé" and a box whose unit is not known: count units
            return None, (f"dose exprimée en « {dose.unit} », boîte en « {pack.unit} » : "
                          "conversion impossible"), ""
        return self._measure(dose)

    def _household(self, dose: Quantity, ml: Decimal | None) -> tuple[Decimal | None, str | None, str]:
        """A dose in spoons (5, 10 or 15 ml) or in a measuring device whose volume the dose states,
        through millilitres; a device of unknown volume is not guessed (its own label says)."""
        if ml is None:
            return None, (f"dose en « {dose.unit} » : contenance de la mesure fournie avec le produit non "
                          "précisée sur l'ordonnance, à vérifier sur la notice"), ""
        volume = Quantity(dose.value * ml, "ml")
        units, reason, note = self._measure(volume)
        if units is None:
            return None, reason, ""
        text = f"{fmt(dose.value)} {dose.unit} = {fmt(volume.value)} ml"
        return units, None, f"{text} ; {note}" if note else text

    def _per_body(self, dose: Quantity, numerator: str, per: str) -> tuple[Decimal | None, str | None, str]:
        if per == "kg":
            factor, what, measure = self.patient.weight_kg, "kg", "poids du patient"
        else:
            factor, what, measure = self.patient.body_surface(), "m²", "taille et poids du patient"
        if not factor:
            return None, f"dose de {fmt(dose.value)} {dose.unit} : {measure} non renseigné(s)", ""
        absolute = Quantity(dose.value * factor, numerator)
        units, reason, note = self._measure(absolute) if is_measure(numerator) else self.units(absolute)
        if units is None:
            return None, reason, ""
        text = f"{fmt(dose.value)} {dose.unit} × {fmt(factor)} {what} = {plural(absolute.value, numerator)}"
        return units, None, f"{text} ; {note}" if note else text

    def _measure(self, dose: Quantity) -> tuple[Decimal | None, str | None, str]:
        """A dose in a measure (mg, ml, g, UI) as units.

        A dose in the unit of the active substance goes through the strength ("60 mg" of a 1,33 mg/ml
        syrup is 45 ml); a dose in the unit of the preparation through what one unit holds ("5 ml" of a
        150 ml bottle). A dose of a w/w or v/v concentration (a cream at 0,05 g per 100 g) in that same
        unit is an amount of the preparation ("1 g de crème"), never of the substance.
        """
        pack = self.pack
        content = pack.unit_content
        strength = pack.unit_strength
        per = pack.strength_per
        unit_word = pack.unit or "unité"
        concentration = (strength is not None and per is not None and is_measure(per.unit)
                         and measure_factor(strength.unit, per.unit) is not None)
        if strength is not None and strength.value > 0 and not (
                concentration and measure_factor(dose.unit, per.unit) is not None):  # type: ignore[union-attr]
            factor = measure_factor(dose.unit, strength.unit)
            if factor is not None:
                references = dose.value * factor / strength.value
                if per is None or self.vocabulary.same(per.unit, pack.unit) or not is_measure(per.unit):
                    return references, None, (f"{plural(dose.value, dose.unit)} ÷ {plural(strength.value, strength.unit)}"
                                              f" par {unit_word}")
                amount = references * per.value
                to_content = measure_factor(per.unit, content.unit) if content is not None else None
                if content is None or content.value <= 0 or to_content is None:
                    return None, (f"dose de {plural(dose.value, dose.unit)} ({plural(amount, per.unit)}) : contenu "
                                  f"d'une unité de la boîte ({unit_word}) inconnu"), ""
                units = amount * to_content / content.value
                return units, None, (f"{plural(dose.value, dose.unit)} à {fmt(strength.value)} {strength.unit} pour "
                                     f"{plural(per.value, per.unit)} = {plural(amount, per.unit)} ÷ "
                                     f"{plural(content.value, content.unit)} par {unit_word}")
        if content is not None and content.value > 0:
            factor = measure_factor(dose.unit, content.unit)
            if factor is not None:
                units = dose.value * factor / content.value
                return units, None, f"{plural(dose.value, dose.unit)} ÷ {plural(content.value, content.unit)} par {unit_word}"
        if pack.unit is None:
            return None, f"unité de la dose ({dose.unit}) et contenu de la boîte inconnus", ""
        return None, f"dose exprimée en « {dose.unit} », boîte en « {pack.unit} » : conversion impossible", ""

    # --- one dosage -> units a day ---------------------------------------------------------------

    def max_per_day(self, dosage: Dosage) -> tuple[Decimal | None, str | None, str]:
        """The ceiling "maximum N per period" of a dosage, in units a day: (units, reason, words)."""
        if dosage.max_dose_per_period is None:
            return None, None, ""
        numerator, denominator = dosage.max_dose_per_period
        unit = time_unit(denominator.code, denominator.unit)
        if unit is None or denominator.value <= 0:
            return None, None, ""
        units, reason, _ = self.units(numerator)
        if units is None:
            return None, reason, ""
        per_day = units / (denominator.value * DAYS[unit])
        return per_day, None, (f"maximum {plural(numerator.value, numerator.unit)} par "
                               f"{fmt(denominator.value)} {denominator.unit}")

    def rate_per_day(self, rate: Quantity) -> tuple[Decimal | None, str | None, str]:
        """A rate ("1 Poche/12 h", "5 mg/h") as units a day."""
        match = _RATE_UNIT.match(rate.unit or "")
        if not match:
            return None, f"débit « {rate} » illisible", ""
        per = time_unit(None, match.group("per")) or time_unit(match.group("per"))
        if per is None:
            return None, f"débit « {rate} » illisible", ""
        try:
            span = Decimal((match.group("n") or "1").replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            return None, f"débit « {rate} » illisible", ""
        if span <= 0:
            return None, f"débit « {rate} » illisible", ""
        per_day_amount = rate.value / (span * DAYS[per])
        units, reason, note = self.units(Quantity(per_day_amount, match.group("num").strip()))
        if units is None:
            return None, f"débit continu ({rate}) : {reason}", ""
        text = f"débit de {fmt(rate.value)} {rate.unit} = {plural(per_day_amount, match.group('num').strip())} par jour"
        return units, None, f"{text} ({note})" if note else text

    def step(self, dosage: Dosage) -> tuple[Step | None, str | None]:
        """Units a day for one dosage instruction (the largest dose of a range), or a reason."""
        timing = dosage.timing
        bound = timing.bounds_duration.days() if timing.bounds_duration is not None else None
        dose = dosage.max_dose()
        if dosage.rate is not None and dose is None:
            daily, reason, text = self.rate_per_day(dosage.rate)
            if daily is None:
                return None, reason
            return Step(daily, bound, text), None
        ceiling, ceiling_reason, ceiling_text = self.max_per_day(dosage)
        per_take = dosage.max_dose_per_administration
        if dosage.as_needed and per_take is not None and (dose is None or (
                self._same_amount_unit(per_take, dose) and per_take.value > dose.value)):
            dose = per_take  # "1 comprimé si douleur, au maximum 2 par prise": the maximum per take
        per_day = administrations_per_day(timing)
        if dose is not None and timing.count and per_day is None:
            units, reason, note = self.units(dose)
            if units is None:
                return None, reason
            total = units * timing.count
            text = f"{plural(dose.value, dose.unit or (self.pack.unit or 'unité'))} × {timing.count} prise(s)"
            return Step(Decimal(0), bound, text + (f" ({note})" if note else ""), total=total), None
        daily: Decimal | None = None
        text = ""
        if dose is not None and per_day is not None:
            units, reason, note = self.units(dose)
            if units is None:
                return None, reason
            daily = units * per_day
            dose_text = plural(dose.value, dose.unit or (self.pack.unit or "unité"))
            if dosage.dose_high is not None and dosage.dose_low is not None:
                dose_text = f"jusqu'à {dose_text} (dose maximale)"
            text = f"{dose_text} × {rhythm(per_day)}"
            if note:
                text += f" ({note})"
            elif units != dose.value:
                text += f" (= {plural(units, self.pack.unit or 'unité')} par prise)"
        if ceiling is not None and (daily is None or ceiling < daily):
            daily, text = ceiling, ceiling_text
        if daily is None:
            if ceiling_reason:
                return None, ceiling_reason
            if dose is None:
                return None, "posologie sans dose chiffrée"
            if dosage.as_needed:
                return None, "prise « si besoin » sans maximum par jour"
            return None, "rythme des prises non précisé"
        if dosage.as_needed and ceiling is None and dosage.max_dose_per_administration is None:
            text += " (si besoin, au maximum)"
        if timing.count and per_day:
            count_days = Decimal(timing.count) / per_day
            bound = count_days if bound is None else min(bound, count_days)
        return Step(daily=daily, days=bound, text=text), None

    def _same_amount_unit(self, a: Quantity, b: Quantity) -> bool:
        return self.vocabulary.same(a.unit, b.unit, code_a=a.code, code_b=b.code) or (
            a.code is not None and a.code == b.code)


def phases(dosages: Sequence[Dosage]) -> list[list[Dosage]]:
    """Dosages grouped by sequence number, in order: a group runs its members simultaneously and
    starts when the previous group ends. Dosages without a number form one group (placed first)."""
    groups: dict[Decimal, list[Dosage]] = {}
    for dosage in dosages:
        key = Decimal(dosage.sequence) if dosage.sequence is not None else Decimal(-1)
        groups.setdefault(key, []).append(dosage)
    return [groups[key] for key in sorted(groups)]
