"""Generic substitution on the real TAHOR 20 mg and LEVOTHYROX groups: order of the offer, other pack
sizes, the "non substituable" mention and its justifications, the patient's refusal of the generic."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from app.domain.prescription import MedicationKind, NonSubstitutionReason
from app.domain.substitution import (
    ChangeKind,
    OfferKind,
    Prescribed,
    boxes_for,
    classify,
    generic_refusal,
    non_substitution_text,
    order_alternatives,
    substitution_allowed,
    substitution_verdict,
)
from tests.domain import bdpm
from tests.domain.builders import daily_line

D = Decimal
TODAY = date(2026, 11, 20)
TAHOR_20 = "69902323"
LEVOTHYROX_100 = "68416845"


def tahor_line(**kw):
    return daily_line("l1", "TAHOR 20 mg cp", code=TAHOR_20, days=28, **kw)


def prescribed(cis: str) -> Prescribed:
    boxes = bdpm.boxes_of(cis)
    return Prescribed(cis=frozenset({cis}), generic_groups=frozenset({boxes[0].generic_group_id}))


def test_generics_first_by_price_then_preferred_labs_then_the_princeps():
    group = [p for p in bdpm.group_of(TAHOR_20) if p.active]
    offer = order_alternatives(tahor_line(), prescribed(TAHOR_20), group, needed_units=D(28),
                               preferred_labs=("SANDOZ", "BIOGARAN"))
    kinds = [a.kind for a in offer]
    first_princeps = kinds.index(OfferKind.PRINCEPS)
    assert set(kinds[:first_princeps]) == {OfferKind.GENERIC} and set(kinds[first_princeps:]) == {OfferKind.PRINCEPS}
    assert offer[0].product.pack_quantity == 28 and offer[0].cost == D("3.93")  # the cheapest for 28 tablets
    priced_30 = [a.product.name for a in offer if a.cost == D("4.19")]
    assert priced_30[0].startswith("ATORVASTATINE SANDOZ") and priced_30[1].startswith("ATORVASTATINE BIOGARAN")
    assert all(a.change is ChangeKind.GENERIC for a in offer if a.kind is OfferKind.GENERIC)
    assert [a.product.pack_quantity for a in offer if a.kind is OfferKind.PRINCEPS] == [28, 90]


def test_non_substitutable_line_offers_the_prescribed_product_first():
    line = daily_line("l1", "LEVOTHYROX 100", code=LEVOTHYROX_100, substitution_allowed=False,
                      non_substitution_reason=NonSubstitutionReason.MTE)
    offer = order_alternatives(line, prescribed(LEVOTHYROX_100), bdpm.group_of(LEVOTHYROX_100))
    assert offer[0].product.name.startswith("LEVOTHYROX")
    assert [a.change for a in offer if a.product.name.startswith("THYROFIX")] == [ChangeKind.ADJUSTMENT] * 2


def test_a_generic_of_another_pack_size_is_accepted_and_recounted():
    tahor_28 = bdpm.box(TAHOR_20, 28)
    biogaran_30 = next(p for p in bdpm.group_of(TAHOR_20) if p.name.startswith("ATORVASTATINE BIOGARAN")
                       and p.pack_quantity == 30 and p.price)
    line = daily_line("l1", "TAHOR 20 mg ×28", kind=MedicationKind.CIP13, code=tahor_28.cip13)
    rx = Prescribed(cis=frozenset({TAHOR_20}), generic_groups=frozenset({"914"}), cip13=frozenset({tahor_28.cip13}))
    assert classify(line, rx, biogaran_30) is ChangeKind.GENERIC
    assert boxes_for(D(28), biogaran_30)[0] == 1
    assert boxes_for(D(84), biogaran_30)[0] == 3
    assert boxes_for(D(84), bdpm.box(TAHOR_20, 90))[0] == 1


def test_other_pack_of_the_prescribed_box_can_count_as_the_same():
    tahor_28, tahor_90 = bdpm.box(TAHOR_20, 28), bdpm.box(TAHOR_20, 90)
    line = daily_line("l1", "TAHOR 20 mg ×28", kind=MedicationKind.CIP13, code=tahor_28.cip13)
    rx = Prescribed(cis=frozenset({TAHOR_20}), generic_groups=frozenset({"914"}), cip13=frozenset({tahor_28.cip13}))
    assert classify(line, rx, tahor_90) is ChangeKind.ADJUSTMENT
    assert classify(line, rx, tahor_90, other_pack_same=True) is ChangeKind.SAME


def test_unjustified_non_substituable_does_not_count():
    line = tahor_line(substitution_allowed=False)
    assert substitution_allowed(line)
    assert "sans effet" in non_substitution_text(line)
    verdict = substitution_verdict(line, on=TODAY)
    assert verdict.allowed and verdict.unjustified
    assert classify(line, prescribed(TAHOR_20), bdpm.box("67762488", 30)) is ChangeKind.GENERIC


def test_efg_holds_only_under_six():
    line = tahor_line(substitution_allowed=False, non_substitution_reason=NonSubstitutionReason.EFG)
    child = substitution_verdict(line, on=TODAY, patient_birth_date=date(2022, 5, 1))
    assert not child.allowed and child.justification is NonSubstitutionReason.EFG
    older = substitution_verdict(line, on=TODAY, patient_birth_date=date(2016, 5, 1))
    assert older.allowed and "10 ans" in older.reason
    assert not substitution_verdict(line, on=TODAY).allowed  # age unknown: the prescriber is taken at his word
    generic = bdpm.box("67762488", 30)
    assert classify(line, prescribed(TAHOR_20), generic, allowed=older.allowed) is ChangeKind.GENERIC
    assert classify(line, prescribed(TAHOR_20), generic) is ChangeKind.ADJUSTMENT


def test_mte_holds_for_levothyroxine_not_for_atorvastatine():
    levo = daily_line("l1", "LEVOTHYROX", code=LEVOTHYROX_100, substitution_allowed=False,
                      non_substitution_reason=NonSubstitutionReason.MTE)
    verdict = substitution_verdict(levo, on=TODAY, substances=bdpm.substances(LEVOTHYROX_100))
    assert not verdict.allowed and verdict.mte_substance == "lévothyroxine"
    assert verdict.pharmacist_may_keep_princeps
    tahor = tahor_line(substitution_allowed=False, non_substitution_reason=NonSubstitutionReason.MTE)
    assert substitution_verdict(tahor, on=TODAY, substances=bdpm.substances(TAHOR_20)).allowed
    # an allowed line of an MTE substance: the pharmacist may still keep the princeps (MTE-PH)
    plain = daily_line("l1", "LEVOTHYROX", code=LEVOTHYROX_100)
    assert substitution_verdict(plain, on=TODAY, substances=bdpm.substances(LEVOTHYROX_100)).pharmacist_may_keep_princeps


def test_mte_list_additions_are_dated():
    line = daily_line("l1", "VIMPAT", substitution_allowed=False, non_substitution_reason=NonSubstitutionReason.MTE)
    assert not substitution_verdict(line, on=date(2022, 8, 1), substances=("LACOSAMIDE",)).allowed
    assert substitution_verdict(line, on=date(2022, 7, 1), substances=("LACOSAMIDE",)).allowed


def test_refusing_the_generic_turns_tiers_payant_off_for_the_line():
    group = bdpm.group_of(TAHOR_20)
    tahor_28 = bdpm.box(TAHOR_20, 28)
    refusal = generic_refusal(substitution_verdict(tahor_line(), on=TODAY), tahor_28, group)
    assert not refusal.tiers_payant and refusal.article == "L.162-16-7 CSS"
    assert refusal.reimbursement_base == D("3.93")  # the dearest generic of 28 tablets
    levo = daily_line("l1", "LEVOTHYROX", code=LEVOTHYROX_100, substitution_allowed=False,
                      non_substitution_reason=NonSubstitutionReason.MTE)
    verdict = substitution_verdict(levo, on=TODAY, substances=bdpm.substances(LEVOTHYROX_100))
    kept = generic_refusal(verdict, bdpm.box(LEVOTHYROX_100, 30), bdpm.group_of(LEVOTHYROX_100))
    assert kept.tiers_payant and "MTE" in kept.message
    assert generic_refusal(substitution_verdict(tahor_line(), on=TODAY), tahor_28, group, tfr_group=True).tiers_payant


def test_no_cheaper_generic_keeps_tiers_payant():
    """Boxes compare by unit price: a generic ×90 at 12,26 € is cheaper than TAHOR ×28 at 4,65 €."""
    tahor_28 = bdpm.box(TAHOR_20, 28)
    verdict = substitution_verdict(tahor_line(), on=TODAY)
    nineties = [p for p in bdpm.group_of(TAHOR_20) if p.price is not None and p.pack_quantity == 90]
    assert not generic_refusal(verdict, tahor_28, nineties).tiers_payant
    dearer = [dataclasses.replace(p, price=D("15.00")) for p in nineties]  # 0,167 € a tablet against 0,166 €
    assert generic_refusal(verdict, tahor_28, dearer).tiers_payant
