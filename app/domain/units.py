"""Counted units and measures: which words of a posology and of a pack name the same thing.

A dose of "1 patch" and a box of "5 dispositif(s)" count the same unit; "1 Seringue" (EDQM 15052000)
and "seringue(s) préremplie(s)" too. The synonyms are data (``resources/unit_synonyms.json``, with
its sources), read once through the installed package; a caller may pass its own
:class:`UnitVocabulary` (tests, a newer file). Measures (mg, ml, UI …) convert within their family.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from app.domain.prescription import Quantity
from app.resources_path import resource

RESOURCE = "unit_synonyms.json"

# Mass, volume and international units, each to its family's base (g, l, UI).
_MASS = {"g": Decimal(1), "mg": Decimal("0.001"), "ug": Decimal("0.000001"), "mcg": Decimal("0.000001"), "microgramme": Decimal("0.000001"),
         "microgrammes": Decimal("0.000001"), "milligramme": Decimal("0.001"), "milligrammes": Decimal("0.001"),
         "gramme": Decimal(1), "grammes": Decimal(1), "kg": Decimal(1000), "ng": Decimal("0.000000001")}
_VOLUME = {"l": Decimal(1), "ml": Decimal("0.001"), "dl": Decimal("0.1"), "cl": Decimal("0.01"),
           "litre": Decimal(1), "litres": Decimal(1), "millilitre": Decimal("0.001"),
           "millilitres": Decimal("0.001"), "ul": Decimal("0.000001")}
_INTERNATIONAL = {"ui": Decimal(1), "u": Decimal(1), "unite": Decimal(1), "unites": Decimal(1),
                  "[iu]": Decimal(1), "iu": Decimal(1), "mui": Decimal(1000000), "kui": Decimal(1000)}
_MEASURES = (_MASS, _VOLUME, _INTERNATIONAL)


# Household spoons, in millilitres: the volumes the ANSM and the Pharmacopée use in patient leaflets
# ("une cuillère à café = 5 ml, une cuillère à dessert = 10 ml, une cuillère à soupe = 15 ml"; ANSM,
# recommandations sur les dispositifs d'administration des solutions buvables, 2008). A measuring
# device supplied with the product (cuillère-mesure, pipette, seringue pour administration orale,
# godet, graduations of a dose-weight pipette) holds what its own label says: its volume counts only
# when the dose names it ("cuillère-mesure de 5 ml").
_SPOONS = ((re.compile(r"^(?:cuilleres? a (?:cafe|the)|c\.? ?a\.? ?c\.?|cac)$"), Decimal(5)),
           (re.compile(r"^cuilleres? a dessert$"), Decimal(10)),
           (re.compile(r"^(?:cuilleres? a soupe|c\.? ?a\.? ?s\.?|cas)$"), Decimal(15)))
_DEVICE = re.compile(r"^(?:cuilleres?[- ](?:mesures?|doseuses?)|mesures?|mesurettes?|pipettes?(?: doseuses?)?|"
                     r"seringues? (?:doseuses?|graduees?|pour administration orale)|godets?(?: doseurs?)?|"
                     r"gobelets? doseurs?|graduations?)(?: (?:graduee?s? )?(?:de|a) (?P<ml>\d+(?:[.,]\d+)?) ?ml)?$")


def household_measure(unit: str | None) -> tuple[Decimal | None, str] | None:
    """A spoon or a measuring device as a dose unit: (millilitres one holds, or None when only the
    device's own label says, and the word); None when ``unit`` is neither."""
    key = fold(unit)
    for pattern, ml in _SPOONS:
        if pattern.match(key):
            return ml, key
    match = _DEVICE.match(key)
    if match:
        return (Decimal(match.group("ml").replace(",", ".")) if match.group("ml") else None), key
    return None


def fold(text: str | None) -> str:
    """Lower case, accents removed, "(s)" plural marks dropped, spaces collapsed."""
    if not text:
        return ""
    text = text.replace("µ", "u").replace("μ", "u")  # micro sign and Greek mu: "µg" → "ug"
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\((?:s|x)\)", "", text)
    return " ".join(text.split())


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def _words(text: str | None) -> list[str]:
    """The folded words of a unit, each singular ("seringues préremplies" → seringue, preremplie)."""
    return [_singular(w) for w in re.findall(r"[a-z]+(?:-[a-z]+)*", fold(text))]


def measure_factor(unit_from: str | None, unit_to: str | None) -> Decimal | None:
    """How many ``unit_to`` make one ``unit_from`` (mg → g: 0.001), or None across families."""
    f = fold(unit_from).replace(" ", "")
    t = fold(unit_to).replace(" ", "")
    if not f or not t:
        return None
    for table in _MEASURES:
        if f in table and t in table:
            return table[f] / table[t]
    return None


def is_measure(unit: str | None) -> bool:
    """True for a mass, a volume or an international unit (not a counted unit like a tablet)."""
    key = fold(unit).replace(" ", "")
    return any(key in table for table in _MEASURES)


@dataclass(frozen=True)
class UnitVocabulary:
    """Forms (folded, singular words joined by spaces) → canonical unit, and EDQM codes → unit."""

    forms: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    source: str = ""

    @classmethod
    def from_json(cls, text: str) -> UnitVocabulary:
        """Read the JSON of ``resources/unit_synonyms.json``; ValueError (French) when malformed."""
        try:
            data = json.loads(text)
            forms: dict[str, str] = {}
            codes: dict[str, str] = {}
            for group in data["units"]:
                canonical = " ".join(_words(group["unit"]))
                for form in [group["unit"], *group.get("forms", [])]:
                    forms[" ".join(_words(form))] = canonical
                for code in group.get("edqm", []):
                    codes[str(code)] = canonical
            source = "; ".join(data.get("sources", []))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"fichier des unités illisible : {exc}") from exc
        return cls(forms, codes, source)

    def canonical(self, unit: str | None, code: str | None = None) -> str:
        """The canonical name of a counted unit ("dispositif(s) transdermique(s)" → "patch").

        The longest known phrase at the start of the words wins ("seringue préremplie" before
        "seringue"); an unknown word stands for itself (its first noun, singular).
        """
        if code and code in self.codes:
            return self.codes[code]
        words = _words(unit)
        for end in range(len(words), 0, -1):
            phrase = " ".join(words[:end])
            if phrase in self.forms:
                return self.forms[phrase]
        return words[0] if words else ""

    def same(self, a: str | None, b: str | None, *, code_a: str | None = None, code_b: str | None = None) -> bool:
        """True when two units count the same thing (``Comprimé`` and ``comprimé(s) pelliculé(s)``)."""
        ca, cb = self.canonical(a, code_a), self.canonical(b, code_b)
        return bool(ca) and ca == cb


@cache
def default_vocabulary() -> UnitVocabulary:
    """The vocabulary shipped in ``resources/unit_synonyms.json`` (read once)."""
    text = resource(RESOURCE).read_text(encoding="utf-8")
    return UnitVocabulary.from_json(text)


def parse_amount(text: str | None) -> Quantity | None:
    """"4 000 UI" → 4000 UI, "0,4 ml" → 0.4 ml, "75 microgrammes" → 75 microgrammes; None if no number."""
    if not text:
        return None
    joined = re.sub(r"(?<=\d)[\s\u202f\u00a0](?=\d{3}\b)", "", text)
    match = re.search(r"(\d+(?:[.,]\d+)?)\s*([^\d\s(),;/]+)?", joined)
    if not match:
        return None
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None
    return Quantity(value, (match.group(2) or "").strip())
