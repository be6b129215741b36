"""The products proposed for a prescription line, found in the catalogue.

A presentation line proposes its box (then the speciality's other boxes, which are adjustments); a
speciality line its boxes; a common-name (DC), UCD or text line the presentations matching its
substance, dosage and form or its name. When substitution is allowed, the generic group's other
members follow; when the line is "non substituable" they are never proposed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from app.domain.catalogue import Presentation, Speciality
from app.domain.errors import InvalidIdentifier
from app.domain.prescription import Ingredient, MedicationKind, PrescriptionLine, Quantity
from app.domain.quantities import PackInfo, month_count
from app.domain.renewal import prescribed_days
from app.domain.substitution import ChangeKind, Prescribed, classify, order_alternatives, substitution_allowed
from app.workflow.ports import CataloguePort

MAX_PROPOSALS = 40
# Abbreviations of the UCD labels ("DAFALGAN CODEINE CPR") that are no word of a speciality's name.
_NOISE = {"cpr", "cp", "gelu", "gel", "fl", "sol", "buv", "inj", "amp", "ser", "sach", "pdr", "susp", "sir",
          "pell", "eff", "orodisp", "lp", "mg", "ml", "ui", "g", "µg", "mcg"}


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _numbers(text: str) -> set[str]:
    """Strengths written in a text ("4 000 UI", "200 mg", "2,5") as bare numbers."""
    joined = re.sub(r"(?<=\d)[\s\u202f\u00a0](?=\d{3}\b)", "", text)
    return {n.replace(",", ".").rstrip("0").rstrip(".") if "," in n or "." in n else n
            for n in re.findall(r"\d+(?:[.,]\d+)?", joined)}


def _search_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z\-]+", fold(text)) if w not in _NOISE and len(w) >= 3]


def unit_strength(speciality: Speciality | None) -> Quantity | None:
    """The active substance in one unit ("10 mg" per gélule), from the first composition."""
    if speciality is None or not speciality.compositions:
        return None
    match = re.match(r"\s*([\d\s.,]+)\s*([a-zA-Zµ]+)", speciality.compositions[0].dosage or "")
    if not match:
        return None
    try:
        value = Decimal(re.sub(r"\s", "", match.group(1)).replace(",", "."))
    except InvalidOperation:
        return None
    return Quantity(value, match.group(2))


def pack_info(product: Presentation, catalogue: CataloguePort,
              strengths: dict[str, Quantity | None] | None = None) -> PackInfo:
    """The box as the quantity computation sees it; ``strengths`` caches the lookups by CIS (the
    proposals of a line are often many boxes of few specialities)."""
    strengths = {} if strengths is None else strengths
    if product.cis not in strengths:
        strengths[product.cis] = unit_strength(catalogue.speciality(product.cis))
    return PackInfo(product.pack_quantity, product.pack_unit, strengths[product.cis])


def _unique(products: Iterable[Presentation]) -> list[Presentation]:
    seen: dict[str, Presentation] = {}
    for p in products:
        seen.setdefault(p.cip13, p)
    return list(seen.values())


def _by_text(catalogue: CataloguePort, text: str) -> list[Presentation]:
    """Search by name, dropping trailing words until something matches (at least one word)."""
    words = _search_words(text)
    for end in range(len(words), 0, -1):
        found = catalogue.find(" ".join(words[:end]))
        if found:
            return found
    return []


def _matching_strength(line: PrescriptionLine, products: list[Presentation]) -> list[Presentation]:
    """Keep the products whose name carries the strengths written on the line, if any do."""
    wanted = _numbers(line.medication.text)
    for ingredient in line.medication.ingredients:
        if ingredient.strength is not None:
            wanted |= _numbers(f"{ingredient.strength.value.normalize():f}")
    if not wanted:
        return products
    kept = [p for p in products if wanted & _numbers(f"{p.name} {p.label}")]
    return kept or products


def _matching_form(line: PrescriptionLine, products: list[Presentation]) -> list[Presentation]:
    if not line.medication.form:
        return products
    head = fold(line.medication.form).split()[0] if line.medication.form.split() else ""
    kept = [p for p in products if head and head in fold(f"{p.form} {p.name}")]
    return kept or products


def _dosage_text(ingredient: Ingredient) -> str | None:
    """"1000 mg" for a strength per unit; None for a concentration (4000 UI / 0,4 mL) or none."""
    strength, per = ingredient.strength, ingredient.strength_per
    if strength is None or not strength.unit:
        return None
    if per is not None and (per.value != 1 or _search_words(per.unit or "")):
        return None
    return f"{strength.value.normalize():f} {strength.unit}"


def _by_substance(line: PrescriptionLine, catalogue: CataloguePort) -> list[Presentation]:
    """A common-name line: the single-substance presentations of its substance, at its dosage and
    form when the catalogue can compare them, else filtered on the numbers and form written."""
    med = line.medication
    actives = [i for i in med.ingredients if i.is_active] or [Ingredient(med.text)]
    products: list[Presentation] = []
    for ingredient in actives:
        dosage = _dosage_text(ingredient)
        found = catalogue.by_substance(ingredient.text, dosage=dosage, form=med.form) if dosage else []
        products += found or catalogue.by_substance(ingredient.text)
    return _matching_form(line, _matching_strength(line, products))


def prescribed_products(line: PrescriptionLine, catalogue: CataloguePort) -> tuple[Prescribed, list[Presentation]]:
    """What the line names, as the set of allowed specialities and the matching presentations."""
    med = line.medication
    products: list[Presentation] = []
    exact: frozenset[str] = frozenset()
    try:
        if med.kind is MedicationKind.CIP13 and med.code:
            box = catalogue.by_cip13(med.code)
            if box is not None:
                exact = frozenset({box.cip13})
                products = [box, *catalogue.presentations_of_cis(box.cis)]
        elif med.kind is MedicationKind.CIS and med.code:
            products = list(catalogue.presentations_of_cis(med.code))
    except InvalidIdentifier:  # a malformed code on the prescription: look for its name instead
        products = []
    if med.kind is MedicationKind.SUBSTANCE:
        products = _by_substance(line, catalogue)
    if not products and med.text:  # UCD, text, compound, or a code the catalogue does not know
        products = _matching_form(line, _matching_strength(line, _by_text(catalogue, med.text)))
    products = _unique(products)
    groups = frozenset(p.generic_group_id for p in products if p.generic_group_id)
    if exact:
        cis = frozenset(p.cis for p in products if p.cip13 in exact)
    else:
        cis = frozenset(p.cis for p in products)
    return Prescribed(cis=cis, generic_groups=groups, cip13=exact), products


def group_members(products: Iterable[Presentation], catalogue: CataloguePort) -> list[Presentation]:
    """Every marketed presentation of the generic groups of ``products`` with the same unit, whatever
    its pack size: a generic of the same group and dosage in boxes of 30 for a prescribed box of 28
    is a substitution, its count recomputed (a generic group is one substance at one dosage in one
    pharmaceutical form, CSP art. R.5121-5)."""
    found: list[Presentation] = []
    seen_groups: set[str] = set()
    for product in products:
        group_id = product.generic_group_id
        if group_id is None or group_id in seen_groups:
            continue
        seen_groups.add(group_id)
        group = catalogue.generic_group(product.cip13)
        if group is None:
            found += catalogue.substitutes(product.cip13)
            continue
        for member in group.members:
            found += [p for p in catalogue.presentations_of_cis(member.cis)
                      if p.active and p.generic_group_id == group_id and p.pack_unit == product.pack_unit]
    return found


def proposals_for(line: PrescriptionLine, catalogue: CataloguePort, *, allowed: bool | None = None,
                  preferred_labs: Sequence[str] = (), holders: Mapping[str, str] | None = None,
                  needed_units: Decimal | None = None,
                  daily_units: Decimal | None = None) -> list[tuple[Presentation, ChangeKind]]:
    """The products offered for ``line``, best first, each with what choosing it means.

    Where substitution is allowed (``allowed``: the verdict for this patient, else the line's own
    mention), the generics of the group come first, cheapest first then the pharmacy's preferred
    laboratories, the princeps among the alternatives (:func:`~app.domain.substitution.order_alternatives`);
    where it is not, the prescribed product first and no generic. ``needed_units`` (the line's need)
    prices each box for the need, so that a box of 90 does not pass for the cheapest answer to a
    box of 28; with ``daily_units``, a three-month box comes first for a treatment of three months
    or more (L.5125-23, last paragraph).
    """
    prescribed, products = prescribed_products(line, catalogue)
    may_substitute = substitution_allowed(line) if allowed is None else allowed
    candidates = list(products)
    if may_substitute:
        candidates += group_members(products[:5], catalogue)
    candidates = _unique(candidates)
    total = prescribed_days(line)
    large = frozenset(p.cip13 for p in candidates
                      if total is not None and total >= 84 and daily_units and p.pack_quantity
                      and month_count(p.pack_quantity / daily_units) == 3)
    offered = order_alternatives(line, prescribed, candidates, allowed=may_substitute,
                                 preferred_labs=preferred_labs, holders=holders, needed_units=needed_units,
                                 large_packs=large)
    found = [(a.product, a.change) for a in offered]
    if not may_substitute:
        found = [(p, kind) for p, kind in found if kind is not ChangeKind.GENERIC]
    return found[:MAX_PROPOSALS]


def kinds_for(line: PrescriptionLine, catalogue: CataloguePort,
              line_has_proposals: bool) -> Callable[[Presentation], ChangeKind]:
    """What handing a product over means for ``line`` (the line's prescribed set looked up once).

    A line the catalogue could not match takes the product the pharmacist identifies as the one
    prescribed: no change.
    """
    if not line_has_proposals:
        return lambda _product: ChangeKind.SAME
    prescribed, _ = prescribed_products(line, catalogue)
    return lambda product: classify(line, prescribed, product)
