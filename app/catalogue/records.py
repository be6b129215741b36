"""The five BDPM files, row by row, as typed records (one parser per file).

A row whose identifiers or values cannot be read is rejected with its file, line and a French reason;
the rest of the file is kept. Columns are described in resources/bdpm/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, NamedTuple

from app.catalogue.fields import parse_pack, parse_price, parse_rate, to_cents
from app.catalogue.reader import FileLayout, read_rows
from app.catalogue.report import Rejection
from app.domain.errors import InvalidIdentifier
from app.domain.identifiers import Cip13

CIS_FILE = "CIS_bdpm.txt"
CIP_FILE = "CIS_CIP_bdpm.txt"
GENER_FILE = "CIS_GENER_bdpm.txt"
COMPO_FILE = "CIS_COMPO_bdpm.txt"
CPD_FILE = "CIS_CPD_bdpm.txt"

# ASCII digits only ([0-9], not \d: that also matches Arabic-Indic and other digits, which int() takes)
_CIS = re.compile(r"[0-9]{8}")
_CIP7 = re.compile(r"[0-9]{7}")
_INT = re.compile(r"[0-9]{1,9}")
# The catalogue's integer columns are 32-bit (PostgreSQL ``integer``; SQLite refuses a Python int past
# 64 bits with OverflowError): a price or a pack count beyond that is a corrupted row, rejected here
# rather than failing the whole import at the INSERT. The dearest medicine of the BDPM costs about
# 2 million euros (2e8 cents), a hundred times below the bound.
INT_MAX = 2 ** 31 - 1


class SpecialityRow(NamedTuple):
    cis: str
    name: str
    form: str
    routes: str  # ';'-separated, as in the file
    amm_status: str
    procedure: str
    commercial_state: str
    amm_date: str
    holder: str
    surveillance: bool


class PresentationRow(NamedTuple):
    cip13: str
    cip7: str
    cis: str
    label: str
    status: str
    commercial_state: str
    commercial_date: str
    collectivity: bool | None
    rate: int | None
    price_cents: int | None
    price_with_fee_cents: int | None
    fee_cents: int | None
    reimbursement_text: str
    pack_quantity: int | None
    pack_unit: str | None


class CompositionRow(NamedTuple):
    cis: str
    element: str
    substance_code: str
    substance: str
    dosage: str
    reference: str
    nature: str
    link: int


class ConditionRow(NamedTuple):
    cis: str
    text: str


class GenericRow(NamedTuple):
    group_id: str
    label: str
    cis: str
    role: int
    sort_order: int


def _cis(value: str) -> str:
    if not _CIS.fullmatch(value):
        raise ValueError(f"code CIS invalide « {value} »")
    return value


def _int(value: str, what: str) -> int:
    if not _INT.fullmatch(value):
        raise ValueError(f"{what} illisible « {value} »")
    return int(value)


def _speciality(c: list[str]) -> SpecialityRow:
    if not c[1]:
        raise ValueError("dénomination vide")
    return SpecialityRow(_cis(c[0]), c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[10],
                         c[11].lower() == "oui")


def _presentation(c: list[str]) -> PresentationRow:
    try:
        cip13 = Cip13.parse(c[6])
    except InvalidIdentifier as exc:
        raise ValueError(str(exc)) from exc
    if not _CIP7.fullmatch(c[1]):
        raise ValueError(f"code CIP7 invalide « {c[1]} »")
    quantity, unit = parse_pack(c[2])
    if quantity is not None and quantity > INT_MAX:
        raise ValueError(f"nombre d'unités de la boîte hors limites « {c[2][:80]} »")
    collectivity = {"oui": True, "non": False}.get(c[7].lower())
    return PresentationRow(
        str(cip13), c[1], _cis(c[0]), c[2], c[3], c[4], c[5], collectivity, parse_rate(c[8]),
        _cents(c[9]), _cents(c[10]), _cents(c[11]), c[12], quantity, unit,
    )


def _cents(text: str) -> int | None:
    cents = to_cents(parse_price(text))
    if cents is not None and cents > INT_MAX:
        raise ValueError(f"prix hors limites « {text[:40]} »")
    return cents


def _composition(c: list[str]) -> CompositionRow:
    if not c[3]:
        raise ValueError("substance vide")
    return CompositionRow(_cis(c[0]), c[1], c[2], c[3], c[4], c[5], c[6], _int(c[7] or "0", "numéro de lien"))


def _condition(c: list[str]) -> ConditionRow:
    if not c[1]:
        raise ValueError("condition vide")
    return ConditionRow(_cis(c[0]), c[1])


def _generic(c: list[str]) -> GenericRow:
    role = _int(c[3], "type de générique")
    if role not in (0, 1, 2, 4):
        raise ValueError(f"type de générique inconnu « {c[3]} »")
    return GenericRow(str(_int(c[0], "identifiant de groupe")), c[1], _cis(c[2]), role,
                      _int(c[4], "numéro d'ordre"))


class FileSpec(NamedTuple):
    layout: FileLayout
    parse: Callable[[list[str]], NamedTuple]
    key: Callable[[NamedTuple], str] | None = None  # files with one row per code


FILES: dict[str, FileSpec] = {
    CIS_FILE: FileSpec(FileLayout(CIS_FILE, 12), _speciality, lambda r: r.cis),
    CIP_FILE: FileSpec(FileLayout(CIP_FILE, 13), _presentation, lambda r: r.cip13),
    GENER_FILE: FileSpec(FileLayout(GENER_FILE, 5, gap_after=1), _generic),
    COMPO_FILE: FileSpec(FileLayout(COMPO_FILE, 8, gap_after=3), _composition),
    CPD_FILE: FileSpec(FileLayout(CPD_FILE, 2), _condition),
}


def parse_file(source: Path | Traversable, name: str, rejected: list[Rejection]) -> list[tuple[int, Any]]:
    """(line, record) of every readable row of the file ``name``; bad rows go to ``rejected``.

    In a file with one row per code (CIS, CIP13) a repeated code keeps the first row.
    """
    spec = FILES[name]
    records = []
    seen: set[str] = set()
    for number, cells in read_rows(source, spec.layout, rejected):
        try:
            record = spec.parse(cells)
        except ValueError as exc:
            rejected.append(Rejection(name, number, str(exc)))
            continue
        if spec.key is not None:
            key = spec.key(record)
            if key in seen:
                rejected.append(Rejection(name, number, f"doublon du code {key}"))
                continue
            seen.add(key)
        records.append((number, record))
    return records
