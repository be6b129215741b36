"""A box named the way a pharmacist writes it: "TAHOR 20 mg, comprimé pelliculé — boîte de 28".

Why: the BDPM's pack label describes the packaging material ("plaquette(s) polyamide aluminium
PVC-Aluminium de 28 comprimé(s)"), which nobody needs on the ordonnance or the invoice. The speciality's
name already says the name, dosage and form; the pack size comes from the pack quantity and unit the
catalogue parsed from that label, and the content of one container ("flacon de 100 ml") from the label.
"""

from __future__ import annotations

from decimal import Decimal

from app.domain.quantities import unit_content
from app.domain.units import fold

# Units that are containers rather than doses: one of them is named with its content.
CONTAINERS = frozenset({"flacon", "tube", "ampoule", "seringue", "stylo", "cartouche", "poche", "recipient",
                        "sachet", "pot", "bouteille", "pilulier", "inhalateur", "applicateur", "dispositif",
                        "flacon-pompe", "sachet-dose", "recipient unidose"})


def _number(value: Decimal) -> str:
    value = value.normalize()
    return f"{value:f}".replace(".", ",")


def _units(count: Decimal, unit: str) -> str:
    """"20 ampoules", "30 sachets-doses", "1 flacon"."""
    if count > 1:
        unit = "-".join(w if w.endswith(("s", "x", "z")) else w + "s" for w in unit.split("-"))
    return f"{_number(count)} {unit}"


def _implied_by(unit: str, name: str) -> bool:
    """The unit is the form the speciality's name already gives ("comprimé" in "…, comprimé pelliculé")."""
    root = fold(unit).split("-")[0].split(" ")[0]
    return bool(root) and root in fold(name)


def pack_size(pack_quantity: Decimal | None, pack_unit: str | None, label: str = "", name: str = "") -> str:
    """The pack size in words: "boîte de 28", "boîte de 20 ampoules de 20 ml", "flacon de 100 ml";
    "" when the catalogue could not read it."""
    unit = (pack_unit or "").strip()
    content = unit_content(label) if label else None
    inside = f" de {_number(content.value)} {content.unit}" if content is not None else ""
    if not pack_quantity or pack_quantity <= 0:
        return ""
    if not unit:
        return f"boîte de {_number(pack_quantity)}"
    is_container = fold(unit) in CONTAINERS or fold(unit).split("-")[0] in CONTAINERS
    if is_container and pack_quantity == 1:
        return f"{unit}{inside}"
    if not is_container and _implied_by(unit, name):
        return f"boîte de {_number(pack_quantity)}"
    return f"boîte de {_units(pack_quantity, unit)}{inside if is_container else ''}"


def product_label(name: str, pack_quantity: Decimal | None, pack_unit: str | None, label: str = "") -> str:
    """The speciality's name (name, dosage, form) and the pack size; the raw pack label only when the
    catalogue could not read the pack at all."""
    size = pack_size(pack_quantity, pack_unit, label, name)
    if size:
        return f"{name} — {size}"
    return f"{name} — {label}" if label else name
