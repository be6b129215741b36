"""Parsing the values found in BDPM cells: prices, rates, pack labels, prescribing conditions.

Each parser raises ``ValueError`` with a French reason on a value it cannot read; the caller turns it
into a rejected row (file, line, reason).
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.domain.catalogue import Condition
from app.domain.conditions import parse_conditions

# [0-9], never \d: Decimal() and int() would read Arabic-Indic or fullwidth digits as numbers.
_PRICE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*,[0-9]{2}|[0-9]+(?:,[0-9]+)?")
_RATE = re.compile(r"([0-9]{1,3})\s*%")


def parse_price(text: str) -> Decimal | None:
    """Euros from "33,48", or "1,234,56" (the ANSM separates thousands with a comma too)."""
    if not text:
        return None
    if not _PRICE.fullmatch(text):
        raise ValueError(f"prix illisible « {text} »")
    head, _, cents = text.rpartition(",")
    if not head:  # no decimal part at all: "12"
        return Decimal(text)
    return Decimal(head.replace(",", "") + "." + cents)


def parse_rate(text: str) -> int | None:
    """Reimbursement rate in percent from "65%" or "65 %"."""
    if not text:
        return None
    match = _RATE.fullmatch(text)
    if not match or int(match.group(1)) > 100:
        raise ValueError(f"taux de remboursement illisible « {text} »")
    return int(match.group(1))


def to_cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def from_cents(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


# --- pack labels ----------------------------------------------------------------------------------

# Units a posology counts in: "de 30 comprimé(s)" means 30 of them.
COUNTABLE = frozenset({
    "comprime", "gelule", "capsule", "dispositif", "dose", "suppositoire", "pastille", "gomme",
    "ovule", "lyophilisat", "emplatre", "compresse", "film", "anneau", "implant", "pansement",
    "baton", "cartouche", "eponge", "tampon", "insert", "seringue", "stylo", "sachet", "granule",
    "unite", "cone", "bouffee", "piece", "ampoule", "patch", "recipient", "flacon", "applicateur",
})
_ACCENTS = str.maketrans("éèêëàâîïôöûùç", "eeeeaaiioouuc")
# "(4 x 7)", "(2 × 2)", "(14 x 4 x 1)": how a multipack or a set of blisters is made up.
_GROUPING = r"\(\s*[0-9]+(?:\s*[x×*]\s*[0-9]+)+\s*\)"
_CONTENT = re.compile(r"\bde\s*([0-9]+(?:,[0-9]+)?)(?:\s*[x*×]\s*([0-9]+))?(?:\s*\([^)]*\))?\s+"
                      r"([^\s0-9(),.;*-]+(?:\s*\((?:s|x)\))?)", re.IGNORECASE)
_MEASURES = frozenset({"ml", "l", "g", "mg", "kg", "ui", "x", "mbq", "gbq", "cm", "litre", "microgramme"})
_LEADING = re.compile(r"^\s*([0-9]+)\s+(?:" + _GROUPING + r"\s*)?"
                      r"([^\s0-9(),.;]+(?:\((?:s|x)\))?(?:-[^\s(]+(?:\(s\))?)?)")
_FIRST_WORD = re.compile(r"^\s*([^\s0-9(),.;]+(?:\((?:s|x)\))?(?:-[^\s(]+(?:\(s\))?)?)")
# Containers named without a count hold one content: "tube(s) aluminium de 15 g" is one tube.
_SINGLE_CONTAINERS = frozenset({"tube", "poche", "pot", "bouteille", "flacon", "sac", "recipient"})
# Blisters and other holders of the counted units: the units are counted inside them.
_HOLDERS = frozenset({"plaquette", "pilulier", "etui", "boite"})
# "(3x28 comprimés", "(14 x 4 x 1) comprimés": a product of counts before a counted unit.
_PRODUCT = re.compile(r"\(?\s*([0-9]+(?:\s*[x×*]\s*[0-9]+)+)\s*\)?\s*([^\s0-9(),.;:*-]+(?:\((?:s|x)\))?)",
                      re.IGNORECASE)
# "21 comprimés bleus et 7 comprimés vert clair", "8 comprimés": counted units anywhere in the label.
_COUNTED = re.compile(r"(?<![0-9,])([0-9]+)\s*([^\s0-9(),.;:*-]+(?:\((?:s|x)\))?)", re.IGNORECASE)
# "... de 30" at the very end: the units of the speciality's own form.
_BARE_COUNT = re.compile(r"\bde\s+([0-9]+)\s*$", re.IGNORECASE)


def singular(word: str) -> str:
    """"comprimé(s)" → "comprimé", "gélules" → "gélule", "sachet(s)-dose(s)" → "sachet-dose"."""
    parts = []
    for part in word.lower().split("-"):
        part = re.sub(r"\s*\((?:s|x)\)$", "", part)
        if len(part) > 3 and part.endswith(("s", "x")) and not part.endswith(("ss", "us")):
            part = part[:-1]
        parts.append(part)
    return "-".join(parts)


def _key(unit: str) -> str:
    return unit.split("-")[0].translate(_ACCENTS)


# The materials the BDPM names after a container ("sachet(s) polytéréphtalate (PET) aluminium").
_MATERIALS = ("polyt", "polye", "polyé", "polyp", "polya", "polyc", "polyv", "alumin", "papier", "pvc", "verre",
              "carton", "plastique", "thermoform", "pet ")
_GLUED = re.compile(r"\b([A-Za-zéèêàç]+?)(\(s\)|s)([A-Za-zéèêàç]{4,})")


def repair_label(label: str) -> str:
    """The BDPM label with a container glued to its material split again.

    Why: the source file itself has a few such labels ("8 sachetspolytéréphtalate (PET) aluminium
    polyéthylène de 12 ml", BDPM 2026-05, CIP7 3022961), which the screens, the command line and the
    pack reading would otherwise show and parse as one word. Only a countable container followed by a
    known packaging material is split; every other word is left as the BDPM wrote it.
    """
    def split(match: re.Match) -> str:
        container, plural, rest = match.groups()
        if _key(singular(container)) in COUNTABLE and (rest.lower() + " ").startswith(_MATERIALS):
            return f"{container}{plural} {rest}"
        return match.group(0)

    return _GLUED.sub(split, label)


def _product(numbers: str) -> int:
    total = 1
    for n in re.split(r"\s*[x×*]\s*", numbers.strip()):
        total *= int(n)
    return total


_HOLDER_WORDS = r"(?:plaquette|pilulier|bo[iî]te|[eé]tui)"
# Where a label stops counting the box and starts describing a holder or its colours.
_DESCRIPTION = re.compile(r"\bcontenant\b|\bchaque\b|\.\s", re.IGNORECASE)
_NEXT_HOLDER = re.compile(r"\s*-\s*(?=[0-9]+\s+" + _HOLDER_WORDS + r")", re.IGNORECASE)
_NUMBERED_ASIDE = re.compile(r"\([^()]*[0-9][^()]*\)")


def _segment_units(segment: str) -> tuple[int | None, str | None]:
    """Units in one "N plaquette(s) … de M comprimés" part: a product of counts ("(3x28 comprimés",
    "(14 x 4 x 1) comprimés") is the whole part when its first factor or its result is N, else per
    holder ("3 plaquettes de 10 x 1 comprimé": 30); plain counts are per holder and add up ("de 21
    comprimés roses et de 7 comprimés blancs": 28), the asides in brackets aside ("(21 actifs + 7
    placebo)", "(56 gélules)") — they repeat what the label already counted."""
    leading = _LEADING.match(segment)
    holders = int(leading.group(1)) if leading else 1
    body = segment[leading.end():] if leading else segment
    for match in _PRODUCT.finditer(body):
        unit = singular(match.group(2))
        if _key(unit) in COUNTABLE:
            product = _product(match.group(1))
            first = int(re.split(r"\s*[x×*]\s*", match.group(1).strip())[0])
            return (product if holders in (first, product) else product * holders), unit
    while _NUMBERED_ASIDE.search(body):
        body = _NUMBERED_ASIDE.sub(" ", body)
    counted = [(int(m.group(1)), singular(m.group(2))) for m in _COUNTED.finditer(body)
               if _key(singular(m.group(2))) in COUNTABLE]
    if not counted or len({u for _, u in counted}) != 1:
        return None, None
    return sum(n for n, _ in counted) * holders, counted[0][1]


def _inside_holders(text: str) -> tuple[int | None, str | None]:
    """Units counted inside blisters, pill boxes or a dispenser box, over every part of the label
    ("1 plaquette(s) de 3 comprimé(s) - 1 plaquette(s) de 28 comprimé(s)": 31); (None, None) when a
    part does not count its units."""
    text = _DESCRIPTION.split(text, maxsplit=1)[0]
    total, unit = 0, None
    for segment in _NEXT_HOLDER.split(text):
        units, name = _segment_units(segment)
        if units is None or (unit is not None and name != unit):
            return None, None
        total, unit = total + units, name
    return (total, unit) if unit is not None else (None, None)


def parse_pack(label: str) -> tuple[int | None, str | None]:
    """Units in the box and their name, read from the label; (None, None) when it does not say.

    "plaquette(s) PVC de 30 comprimé(s)" → (30, "comprimé"); "3 pilulier(s) de 30 comprimé(s)" →
    (90, "comprimé"); "20 ampoule(s) en verre de 5 ml" → (20, "ampoule"): a volume or a mass is not
    what a posology counts, the container is. "28 (4 x 7) sachet(s)" → (28, "sachet"); "tube(s) de
    15 g" → (1, "tube"); "plaquette(s) PVC aluminium de 30" → (30, None): the units of the speciality's
    form, which the label does not name; "28 plaquette(s) … pour délivrance à l'unité" → (28, None):
    unit-dose blisters of one unit each.
    """
    text = " ".join(repair_label(label).split())
    leading = _LEADING.match(text)
    count = int(leading.group(1)) if leading else None
    container = singular(leading.group(2)) if leading else None
    if container and _key(container) in _HOLDERS:
        inside, unit = _inside_holders(text)
        if inside is not None:
            return inside, unit
        if count is not None and "unite" in text.translate(_ACCENTS).lower() and "de " not in text:
            return count, None  # "28 plaquette(s) … pour délivrance à l'unité"
    if container and _key(container) in COUNTABLE and not _CONTENT.search(text):
        return count, container  # "30 comprimés", "28 sachet(s)-dose(s) ... aluminium"
    content = _CONTENT.search(text)
    if content:
        unit = singular(content.group(3))
        if _key(unit) in COUNTABLE:
            number, times = content.group(1), content.group(2)
            if "," in number:
                return None, None
            return int(number) * int(times or 1) * (count or 1), unit
    if container and _key(container) in COUNTABLE:
        return count, container
    if count is None:
        first = _FIRST_WORD.match(text)
        first_unit = singular(first.group(1)) if first else ""
        if first and _key(first_unit) in _HOLDERS:
            inside, unit = _inside_holders(text)
            if inside is not None:
                return inside, unit
            bare = _BARE_COUNT.search(text)
            if bare:
                return int(bare.group(1)), None  # "plaquette(s) PVC aluminium de 30"
        if first and content and (_key(first_unit) in COUNTABLE or _key(first_unit) in _SINGLE_CONTAINERS):
            return 1, first_unit  # "flacon(s) de 100 ml", "tube(s) aluminium de 15 g"
    if count is not None and container and len(container) > 2 and _key(container) not in _MEASURES:
        return count, container  # "1 tube(s) aluminium de 30 g", "2 poche(s) de 1 l"
    return None, None


# --- prescribing conditions (CIS_CPD) ---------------------------------------------------------------
# The texts are read by the domain (app.domain.conditions); the catalogue stores their coarse flags.


def condition_of(text: str) -> Condition:
    """The condition one CIS_CPD text states; ``OTHER`` for the many informative ones."""
    flags = parse_conditions([text]).flags() - {Condition.ASSIMILE_STUPEFIANT}
    return next(iter(flags)) if len(flags) == 1 else Condition.OTHER


def flags_of(texts: list[str] | tuple[str, ...]) -> frozenset[Condition]:
    """The conditions of a speciality from all its CIS_CPD texts.

    The BDPM has no "assimilé stupéfiant" line: that regime is recognised as a secure prescription
    ("ordonnance sécurisée") on a product that is not itself a stupéfiant (zolpidem, buprénorphine…).
    """
    return parse_conditions(texts).flags()


def encode_flags(flags: frozenset[Condition]) -> str:
    return ",".join(sorted(f.name for f in flags))


def decode_flags(text: str) -> frozenset[Condition]:
    return frozenset(Condition[name] for name in text.split(",") if name)
