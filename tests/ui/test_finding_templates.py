"""Issue 14 point 7: every finding the rules can emit reads in English. The rules' calls are read from
their source (every ``_f``/``_part`` call of app/domain, so a new rule or a new variant is seen without
a list to keep): each (code, variant) must have a template in resources/translations/findings_en.json
whose placeholders are exactly the values the call gives the finding, and no template is left that no
rule emits."""

from __future__ import annotations

import ast
import json
import string
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import app.domain
from app.domain import findings
from app.domain.conditions import PrescriberKind, PrescriberRestriction, ProductConditions
from app.domain.duration_rules import no_overlap
from app.domain.findings import EarlierDelivery, LineCheck
from app.domain.rules import RULES
from app.resources_path import resource_path
from app.ui.i18n import finding_text

TEMPLATES = json.loads(resource_path("translations", "findings_en.json").read_text(encoding="utf-8"))


def _strings(node: ast.expr, where: str) -> list[str]:
    """The variant a call passes: a literal, or either side of a conditional of literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, where) + _strings(node.orelse, where)
    raise AssertionError(f"{where}: the variant must be written out (a literal), not computed")


def _dict_names(node: ast.expr, where: str) -> set[str]:
    assert isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys), \
        f"{where}: the values must be a dict written out"
    return {k.value for k in node.keys}


def _exceptional(node: ast.AST, path: Path) -> list[tuple[str, set[str]]]:
    """The exceptional dispensing's findings (app/domain/exceptional.py): its ``_finding(rule, CODE, …,
    variant, {values})`` calls, and the (variant, French, {values}) refusals that
    EXCEPTIONAL_DISPENSING_REFUSED carries."""
    where = f"{path.name}:{getattr(node, 'lineno', 0)}"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_finding":
        code = node.args[1]
        assert isinstance(code, ast.Constant), where
        if code.value == "EXCEPTIONAL_DISPENSING_REFUSED":  # its variants and values: the refusals, read below
            return []
        return [(f"{code.value}/{v}" if v else code.value, _dict_names(node.args[6], where))
                for v in _strings(node.args[5], where)]
    if isinstance(node, ast.FunctionDef) and node.name == "refusal" and path.name == "exceptional.py":
        out = []
        for ret in ast.walk(node):
            if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Tuple):
                variant, _french, values = ret.value.elts
                out += [(f"EXCEPTIONAL_DISPENSING_REFUSED/{v}", _dict_names(values, where))
                        for v in _strings(variant, where)]
        assert out, f"{where}: no refusal read"
        return out
    return []


def emitted() -> dict[str, set[str]]:
    """Template key ("CODE", "CODE/variant", "CODE:part") → the names of the values the call carries,
    with "parts" for a finding made of parts."""
    found: dict[str, set[str]] = {}
    root = Path(app.domain.__file__).parent
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for key, names in _exceptional(node, path):
                assert found.setdefault(key, names) == names, f"{path.name}:{node.lineno}: {key} carries other values"
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_f", "_part")):
                continue
            where = f"{path.name}:{node.lineno}"
            rule = node.args[0]
            assert isinstance(rule, ast.Constant) and rule.value in findings._RULE_CODES, where
            code = findings._RULE_CODES[rule.value]
            assert all(k.arg is not None for k in node.keywords), f"{where}: values must be named, not **unpacked"
            names = {k.arg for k in node.keywords if k.arg not in ("parts", "variant")}
            if node.func.id == "_part":
                keys = [f"{code}:{v}" for v in _strings(node.args[1], where)]
            else:
                given = node.args[5] if len(node.args) > 5 else next(
                    (k.value for k in node.keywords if k.arg == "variant"), ast.Constant(""))
                keys = [f"{code}/{v}" if v else code for v in _strings(given, where)]
                if any(k.arg == "parts" for k in node.keywords):
                    names.add("parts")
            for key in keys:
                assert found.setdefault(key, names) == names, f"{where}: {key} carries other values elsewhere"
    return found


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_finding_the_rules_emit_has_an_english_template_with_its_values():
    found = emitted()
    assert len(found) > 30  # the reading sees the rules (it would pass vacuously otherwise)
    assert {findings._RULE_CODES[r.__name__] for r in RULES} <= {k.split("/")[0].split(":")[0] for k in found}
    missing = sorted(key for key in found if key not in TEMPLATES)
    assert missing == [], f"no English template for {missing}"
    wrong = {key: (sorted(placeholders(TEMPLATES[key])), sorted(names)) for key, names in found.items()
             if placeholders(TEMPLATES[key]) != names}
    assert wrong == {}, "template placeholders ≠ the finding's values: " + repr(wrong)
    stale = sorted(key for key in TEMPLATES if not key.startswith("_") and key not in found)
    assert stale == [], f"templates no rule emits: {stale}"


def test_the_value_words_name_values_the_rules_carry():
    found = emitted()
    carried = set().union(*found.values())
    assert set(TEMPLATES["_values"]) <= carried


TODAY = date(2026, 11, 20)


def _check(**kw) -> LineCheck:
    return LineCheck(line_id="L1", prescribed_on=TODAY - timedelta(days=2), today=TODAY, **kw)


def test_findings_read_in_english(english):
    restrictions = (PrescriberRestriction(PrescriberKind.INITIAL_HOSPITAL, renewal_months=6),
                    PrescriberRestriction(PrescriberKind.SPECIALIST, specialties=("cardiologie",)))
    product = ProductConditions(hospital_only=True, restrictions=restrictions, checks=("recueil de l'accord de soins",))
    shown = {f.code: finding_text(f) for rule in RULES
             for f in rule(_check(conditions=product, product_label="", prescriber_specialty="dermatologie"))}
    assert shown["HOSPITAL_ONLY"].startswith("This medicine is reserved for hospital use")
    assert shown["RESTRICTED_PRESCRIBER"] == (
        "Restricted prescription — initial hospital prescription (R.5121-87): also present the initial prescription "
        "of a health establishment, less than 6 months old; prescription reserved for specialists in cardiologie "
        "(R.5121-90): check the prescriber (prescriber: dermatologie).")
    assert shown["DISPENSING_CHECK"] == "To check before dispensing: recueil de l'accord de soins."

    earlier = EarlierDelivery("GQ5ND7PAM9WB", "L9", TODAY - timedelta(days=5), TODAY + timedelta(days=3),
                              ("morphine",), "SKENAN")
    narcotic = ProductConditions(narcotic=True, secure_prescription=True)
    overlap = no_overlap(_check(conditions=narcotic, substances=("morphine",), ordonnance="OTHER",
                                earlier=(earlier,)))
    assert [finding_text(f) for f in overlap] == [
        f"Overlap forbidden: prescription GQ5ND7PAM9WB (SKENAN) covers the treatment up to "
        f"{(TODAY + timedelta(days=3)).strftime('%d/%m/%Y')} included. It can be dispensed from "
        f"{(TODAY + timedelta(days=4)).strftime('%d/%m/%Y')}, or earlier if the prescriber writes on the "
        "prescription an express mention allowing the overlap (art. R.5132-33)."]


@pytest.mark.parametrize("boxes,period", [(3, "four weeks")])
def test_a_month_per_delivery_names_its_period_in_english(english, boxes, period):
    from app.domain.rules import at_most_one_month_at_once

    found = at_most_one_month_at_once(_check(listed="I", boxes=boxes, units_per_box=Decimal(28),
                                             daily_units=Decimal(1), treatment_days=Decimal(28)))
    assert [finding_text(f) for f in found] == [
        f"List I: at most {period} of treatment per dispensing, i.e. 1 box(es) here ({boxes} requested)."]
    assert "quatre semaines" in found[0].message  # the record keeps the French
