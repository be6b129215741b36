"""Active substances: recognising the same one across products, and the narrow-therapeutic-margin
(MTE) list, which is dated data (``resources/mte_substances.json``, arrêté du 12 novembre 2019 as
amended) read once through the installed package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from app.domain.units import fold
from app.resources_path import resource

RESOURCE = "mte_substances.json"


def substance_key(text: str) -> str:
    """A substance name as compared: folded, salt words and punctuation dropped ("CHLORHYDRATE DE
    BUPRÉNORPHINE" and "buprénorphine" give the same key; a code is kept as it is)."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    salts = {"chlorhydrate", "sulfate", "de", "d", "du", "sodique", "sodium", "potassique", "anhydre", "base",
             "hydrochloride", "monohydrate", "dihydrate", "trihydrate", "hemihydrate", "tartrate", "citrate",
             "maleate", "fumarate", "mesilate", "besilate", "succinate", "acetate", "phosphate", "bromhydrate",
             "calcique", "magnesien", "la", "le", "l", "des"}
    kept = [w for w in words if w not in salts]
    return " ".join(kept or words)


def same_substance(a: Iterable[str], b: Iterable[str]) -> bool:
    """True when two products share an active substance (by code or by name)."""
    keys_a = {substance_key(x) for x in a if x and x.strip()}
    keys_b = {substance_key(x) for x in b if x and x.strip()}
    return bool(keys_a & keys_b)


@dataclass(frozen=True)
class MteList:
    """The MTE substances: each listed name with the BDPM names that designate it, from when."""

    entries: tuple[tuple[str, tuple[str, ...], date | None], ...]
    source: str = ""

    @classmethod
    def from_json(cls, text: str) -> MteList:
        """Read ``resources/mte_substances.json``; ValueError (French) when malformed."""
        try:
            data = json.loads(text)
            entries = tuple((item["name"], tuple(fold(n) for n in item.get("bdpm", [item["name"]])),
                             date.fromisoformat(item["since"]) if item.get("since") else None)
                            for item in data["substances"])
            source = "; ".join(data.get("sources", []))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"liste des médicaments à marge thérapeutique étroite illisible : {exc}") from exc
        return cls(entries, source)

    def match(self, substances: Iterable[str], on: date | None = None) -> str | None:
        """The listed name one of ``substances`` falls under (in force on ``on``), or None."""
        folded = [fold(s) for s in substances if s]
        for name, designations, since in self.entries:
            if on is not None and since is not None and on < since:
                continue
            if any(d in s for s in folded for d in designations):
                return name
        return None


@cache
def default_mte_list() -> MteList:
    return MteList.from_json(resource(RESOURCE).read_text(encoding="utf-8"))


def is_mte(substances: Iterable[str], on: date | None = None, mte: MteList | None = None) -> bool:
    """True when a substance is on the MTE list (arrêté du 12 novembre 2019, annexe, as amended)."""
    return (mte or default_mte_list()).match(substances, on) is not None


CONTRACEPTIVES = "contraceptives.json"


@dataclass(frozen=True)
class ContraceptiveList:
    """Substances that make a product a hormonal contraceptive (``resources/contraceptives.json``)."""

    alone: tuple[str, ...]
    with_estradiol: tuple[str, ...]
    source: str = ""

    @classmethod
    def from_json(cls, text: str) -> ContraceptiveList:
        """Read ``resources/contraceptives.json``; ValueError (French) when malformed."""
        try:
            data = json.loads(text)
            alone = tuple(fold(n) for n in data["alone"])
            with_estradiol = tuple(fold(n) for n in data["with_estradiol"])
            source = "; ".join(data.get("sources", []))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"liste des contraceptifs illisible : {exc}") from exc
        return cls(alone, with_estradiol, source)

    def match(self, substances: Iterable[str]) -> bool:
        keys = [substance_key(s) for s in substances if s and s.strip()]
        words = {w for k in keys for w in k.split()}
        if any(name in k for k in keys for name in self.alone):
            return True
        return "estradiol" in words and any(name in k for k in keys for name in self.with_estradiol)


@cache
def default_contraceptives() -> ContraceptiveList:
    return ContraceptiveList.from_json(resource(CONTRACEPTIVES).read_text(encoding="utf-8"))


def is_contraceptive(substances: Iterable[str], table: ContraceptiveList | None = None) -> bool:
    """True for a hormonal contraceptive (the pill, a patch, a ring, an implant), from its substances:
    they may be delivered three months at a time (art. R.5132-22 CSP)."""
    return (table or default_contraceptives()).match(substances)
