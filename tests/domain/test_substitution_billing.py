"""Substitution versus adjustment; invoice arithmetic to the cent."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from app.domain.billing import BillingError, BillItem, bill_item, compute_bill
from app.domain.prescription import MedicationKind, NonSubstitutionReason
from app.domain.substitution import (
    ChangeKind,
    Prescribed,
    classify,
    generic_substitution,
    non_substitution_text,
    substitution_allowed,
)
from tests.domain.builders import daily_line, presentation

PRINCEPS = presentation(1, cis="60000001", name="PRINCEPS", group="G1")
PRINCEPS_90 = presentation(2, cis="60000001", name="PRINCEPS", pack=90, group="G1")
GENERIC = presentation(3, cis="60000002", name="GENERIQUE", group="G1")
OTHER = presentation(4, cis="60000003", name="AUTRE", group="G2")
ALLOWED = Prescribed(cis=frozenset({"60000001"}), generic_groups=frozenset({"G1"}))


def test_classify_on_a_speciality_line():
    line = daily_line("l1", "PRINCEPS")
    assert classify(line, ALLOWED, PRINCEPS) is ChangeKind.SAME
    assert classify(line, ALLOWED, PRINCEPS_90) is ChangeKind.SAME
    assert classify(line, ALLOWED, GENERIC) is ChangeKind.GENERIC
    assert classify(line, ALLOWED, OTHER) is ChangeKind.ADJUSTMENT


@pytest.mark.parametrize("reason", list(NonSubstitutionReason))
def test_non_substituable_makes_a_generic_an_adjustment(reason):
    line = daily_line("l1", "PRINCEPS", substitution_allowed=False, non_substitution_reason=reason)
    assert not substitution_allowed(line)
    assert classify(line, ALLOWED, GENERIC) is ChangeKind.ADJUSTMENT
    assert reason.value in non_substitution_text(line)


def test_presentation_line_other_box_is_an_adjustment():
    line = daily_line("l1", "PRINCEPS 30", kind=MedicationKind.CIP13, code=PRINCEPS.cip13)
    prescribed = dataclasses.replace(ALLOWED, cip13=frozenset({PRINCEPS.cip13}))
    assert classify(line, prescribed, PRINCEPS) is ChangeKind.SAME
    assert classify(line, prescribed, PRINCEPS_90) is ChangeKind.ADJUSTMENT
    assert classify(line, prescribed, GENERIC) is ChangeKind.GENERIC


def test_generic_substitution_record():
    sub = generic_substitution(daily_line("l1", "PRINCEPS 1 mg"))
    assert (sub.type, sub.reason, sub.prescribed) == ("G", "RR", "PRINCEPS 1 mg")
    assert non_substitution_text(daily_line("l1", "X")) is None


def test_bill_rounds_each_line_half_up():
    line = bill_item(BillItem("l1", "c", "X", 3, Decimal("1.15"), 65))
    assert line.total == Decimal("3.45")
    assert line.amo_share == Decimal("2.24")  # 2.2425
    assert line.patient_share == Decimal("1.21")
    bill = compute_bill([BillItem("l1", "c", "X", 3, Decimal("1.15"), 65),
                         BillItem("l2", "d", "Y", 1, Decimal("10.05"), 30),
                         BillItem("l3", "e", "Z", 2, Decimal("4.99"), None),
                         BillItem("l4", "f", "declined", 0, None, 65)], tiers_payant=True)
    assert bill.total == Decimal("3.45") + Decimal("10.05") + Decimal("9.98")
    assert bill.amo_share == Decimal("2.24") + Decimal("3.02")  # 3.015 → 3.02
    assert bill.patient_share == bill.total - bill.amo_share
    assert bill.due_now == bill.patient_share
    assert dataclasses.replace(bill, tiers_payant=False).due_now == bill.total
    assert len(bill.lines) == 3


@pytest.mark.parametrize("item, words", [
    (BillItem("l1", "c", "X", 1, None, 65), "Prix inconnu"),
    (BillItem("l1", "c", "X", 1, Decimal("-1"), 65), "Prix négatif"),
    (BillItem("l1", "c", "X", 1, Decimal("1"), 120), "Taux"),
    (BillItem("l1", "c", "X", -1, Decimal("1"), 65), "négative"),
])
def test_bill_refuses_impossible_lines(item, words):
    with pytest.raises(BillingError, match=words):
        bill_item(item)


def test_presentation_list_and_narcotic_facts():
    from decimal import Decimal

    from app.domain.catalogue import Condition, Presentation

    def box(*flags: Condition) -> Presentation:
        return Presentation("3400949497294", "4949729", "60002283", "X", "boîte de 30", Decimal(30), "comprimé",
                            None, None, flags=frozenset(flags))

    assert box(Condition.LISTE_I).list_level == "I" and box(Condition.LISTE_II).list_level == "II"
    assert box(Condition.LISTE_I, Condition.LISTE_II).list_level == "I"  # the stricter
    assert box().list_level is None and not box(Condition.LISTE_I).is_narcotic
    assert box(Condition.STUPEFIANT).is_narcotic and box(Condition.ASSIMILE_STUPEFIANT).is_narcotic
