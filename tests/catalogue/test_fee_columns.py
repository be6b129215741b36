"""The catalogue hands the domain the BDPM's price including the dispensing fee and the fee itself,
and follows them when a release changes them (2022-06 → 2026-05)."""

from __future__ import annotations

from decimal import Decimal

DOLIPRANE_8 = "3400935955838"
TAHOR_90 = "3400937199384"
HUMEX = "3400939393216"


def test_price_with_fee_and_fee_reach_the_presentation(release_2022):
    box = release_2022.catalogue.by_cip13(DOLIPRANE_8)
    assert (box.price, box.price_with_fee, box.fee, box.retail_price) == (
        Decimal("1.07"), Decimal("2.09"), Decimal("1.02"), Decimal("2.09"))
    tahor = release_2022.catalogue.by_cip13(TAHOR_90)
    assert (tahor.price_with_fee, tahor.fee) == (Decimal("17.48"), Decimal("2.76"))
    humex = release_2022.catalogue.by_cip13(HUMEX)
    assert (humex.price_with_fee, humex.fee, humex.retail_price) == (None, None, None)


def test_an_update_brings_the_new_price_with_fee(updated_2026):
    box = updated_2026.catalogue.by_cip13(DOLIPRANE_8)
    assert (box.price, box.price_with_fee, box.fee) == (Decimal("1.16"), Decimal("2.18"), Decimal("1.02"))
