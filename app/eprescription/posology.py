"""Posology in French words, built from the structured dosage when the prescription carries no
rendered text (the ``renderedDosageInstruction`` extension): "1 à 2 comprimés toutes les 12 heures
pendant 10 jours, maximum 4 comprimés par jour".
"""

from __future__ import annotations

from decimal import Decimal

from app.domain.prescription import Dosage, Duration, Quantity, Timing

_PERIOD = {"s": ("seconde", "secondes"), "min": ("minute", "minutes"), "h": ("heure", "heures"),
           "d": ("jour", "jours"), "wk": ("semaine", "semaines"), "mo": ("mois", "mois"), "a": ("an", "ans")}
_DAYS = {"mon": "lundi", "tue": "mardi", "wed": "mercredi", "thu": "jeudi", "fri": "vendredi",
         "sat": "samedi", "sun": "dimanche"}
_WHEN = {
    "MORN": "le matin", "MORN.early": "tôt le matin", "MORN.late": "en fin de matinée", "NOON": "à midi",
    "AFT": "l'après-midi", "EVE": "le soir", "NIGHT": "la nuit", "PHS": "après le coucher",
    "HS": "au coucher", "WAKE": "au réveil", "C": "pendant les repas", "CM": "au petit-déjeuner",
    "CD": "au déjeuner", "CV": "au dîner", "AC": "avant les repas", "ACM": "avant le petit-déjeuner",
    "ACD": "avant le déjeuner", "ACV": "avant le dîner", "PC": "après les repas",
    "PCM": "après le petit-déjeuner", "PCD": "après le déjeuner", "PCV": "après le dîner",
}
_INVARIABLE = {"mg", "g", "µg", "mcg", "ml", "l", "ui", "mmol", "%", "gouttes", "mois"}


def number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def amount(q: Quantity) -> str:
    unit = q.unit.strip()
    if q.value > 1 and unit and unit.lower() not in _INVARIABLE and unit.isalpha() and len(unit) > 2 \
            and not unit.endswith(("s", "x")):
        unit += "s"
    return f"{number(q.value)} {unit.lower() if unit[:1].isupper() and unit[1:].islower() else unit}".strip()


def _period_words(value: Decimal | None, unit: str | None) -> str:
    one, many = _PERIOD.get(unit or "", (unit or "", unit or ""))
    if value is None or value == 1:
        return f"par {one}" if unit in ("d", "wk", "mo", "a") else f"toutes les {many}"
    return f"toutes les {number(value)} {many}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def timing_words(t: Timing) -> list[str]:
    parts = []
    if t.day_of_week:
        days = [_DAYS.get(d, d) for d in t.day_of_week]
        parts.append(("le " if len(days) == 1 else "les ") + _join(days))
    if t.time_of_day:
        parts.append("à " + _join([s[:5].replace(":", "h") for s in t.time_of_day]))
    if t.when:
        parts.append(_join([_WHEN.get(w, w) for w in t.when]))
    moments = len(t.when) or len(t.time_of_day)
    implied = (moments and t.period_unit == "d" and (t.period or 1) == 1 and t.frequency in (None, 1, moments)
               and not t.frequency_max) or (t.day_of_week and t.period_unit == "wk" and (t.period or 1) == 1
                                            and t.frequency in (None, len(t.day_of_week)))
    if t.period_unit and not implied:  # a period in a unit not understood is left out, not "toutes les"
        every = _period_words(t.period, t.period_unit)
        if t.frequency_max and not t.frequency:
            parts.append(f"au plus {t.frequency_max} fois {every}")
        elif t.frequency and t.frequency > 1:
            upto = f" à {t.frequency_max}" if t.frequency_max else ""
            parts.append(f"{t.frequency}{upto} fois {every}")
        elif not t.day_of_week:
            parts.append(every if every.startswith("toutes") else f"1 fois {every}")
    if t.bounds_duration is not None:
        parts.append(f"pendant {duration_words(t.bounds_duration)}")
    if t.count:
        parts.append(f"{t.count} prise{'s' if t.count > 1 else ''} en tout")
    return parts


def duration_words(d: Duration) -> str:
    return str(d).replace(".", ",")


def dosage_words(d: Dosage) -> str:
    """One dosage instruction in words (its own ``text`` when it has one)."""
    if d.text:
        return d.text
    head: list[str] = []
    if d.dose_low and d.dose_high:
        head.append(f"{number(d.dose_low.value)} à {amount(d.dose_high)}")
    elif d.dose or d.dose_low or d.dose_high:
        head.append(amount(d.dose or d.dose_low or d.dose_high))  # type: ignore[arg-type]
    if d.rate is not None:
        head.append(f"débit de {number(d.rate.value)} {d.rate.unit}")
    head.extend(timing_words(d.timing))
    tail: list[str] = []
    if d.as_needed:
        reason = (d.as_needed_text or "besoin").strip().lower()
        tail.append(reason if reason.startswith("si ") else f"si {reason}")
    if d.route:
        tail.append(d.route[:1].lower() + d.route[1:])
    if d.max_dose_per_administration is not None:
        tail.append(f"maximum {amount(d.max_dose_per_administration)} par prise")
    if d.max_dose_per_period is not None:
        num, den = d.max_dose_per_period
        per = _PERIOD.get(den.code or "", (den.unit, den.unit))
        span = per[0] if den.value == 1 else f"{number(den.value)} {per[1]}"
        tail.append(f"maximum {amount(num)} par {span.lower()}")
    text = ", ".join(p for p in (" ".join(head), *tail) if p)
    extra = [i for i in d.additional_instructions if i]
    if extra:
        text += ". " + ". ".join(e[:1].upper() + e[1:] for e in extra)
    return text.strip()


def posology_words(dosages: tuple[Dosage, ...]) -> str:
    """The whole posology of a line: sequential instructions joined by "puis"."""
    ordered = sorted(dosages, key=lambda d: d.sequence or 0)
    sequential = len({d.sequence for d in ordered if d.sequence is not None}) > 1
    return (" puis " if sequential else " ; ").join(dosage_words(d) for d in ordered if dosage_words(d))
