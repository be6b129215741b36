"""The fee tables as shipped: dated rows with their sources, read strictly; the coverage rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.domain.catalogue import Condition
from app.domain.coverage import fee_rate, line_rate, share, split
from app.domain.fees import (
    FeeTable,
    default_fee_table,
    default_franchise_table,
    default_specific_list,
)
from app.domain.prescription import Coverage

HEADER = "code,label,amount,reimbursement,conditions,effective_from,effective_to,source\n"


def test_every_shipped_row_says_where_it_comes_from():
    table = default_fee_table()
    assert {row.code for row in table.rows} == {"HD", "HG", "HDR", "HDA", "HDE", "HC"}
    for row in table.rows:
        assert row.source and row.label and row.conditions
    amounts = {(code, on): table.fee(code, on).cents for code, on in [
        ("HD", date(2015, 6, 1)), ("HD", date(2022, 6, 1)), ("HG", date(2015, 6, 1)), ("HG", date(2022, 6, 1)),
        ("HDR", date(2019, 1, 1)), ("HDR", date(2025, 1, 8)), ("HDA", date(2019, 12, 31)), ("HDA", date(2020, 1, 1)),
        ("HDA", date(2026, 1, 1)), ("HDE", date(2019, 6, 1)), ("HDE", date(2020, 1, 1)), ("HC", date(2015, 1, 1)),
        ("HC", date(2020, 1, 1)), ("HC", date(2020, 2, 4))]}
    assert amounts == {("HD", date(2015, 6, 1)): 82, ("HD", date(2022, 6, 1)): 102, ("HG", date(2015, 6, 1)): 221,
                       ("HG", date(2022, 6, 1)): 276, ("HDR", date(2019, 1, 1)): 51, ("HDR", date(2025, 1, 8)): 61,
                       ("HDA", date(2019, 12, 31)): 51, ("HDA", date(2020, 1, 1)): 158,
                       ("HDA", date(2026, 1, 1)): 168, ("HDE", date(2019, 6, 1)): 204,
                       ("HDE", date(2020, 1, 1)): 357, ("HC", date(2015, 1, 1)): 51, ("HC", date(2020, 1, 1)): 102,
                       ("HC", date(2020, 2, 4)): 31}
    assert table.fee("HDR", date(2018, 12, 31)) is None
    assert default_franchise_table().rate(date(2007, 12, 31)) is None


def test_the_pack_decides_the_box_fee_code_only_when_the_amount_is_unknown():
    table = default_fee_table()
    on = date(2022, 6, 1)
    assert table.box_fee_code(276, on, Decimal(28)) == "HG"  # the amount is the CEPS's word
    assert table.box_fee_code(102, on, Decimal(90)) == "HD"
    assert table.box_fee_code(133, on, Decimal(90)) == "HG"  # an overseas majoration: the pack decides
    assert table.box_fee_code(133, on, Decimal(84)) == "HG"
    assert table.box_fee_code(133, on, Decimal(90), Decimal(3)) == "HD"  # 90 tablets, 3 a day: a month
    assert table.box_fee_code(133, on, Decimal(30)) == "HD"
    assert table.box_fee_code(None, on, Decimal(90)) is None


@pytest.mark.parametrize("row, words", [
    ('HDR,x,0.5x,70,"c",2019-01-01,,"s"', "ligne 2"),
    ('HDR,x,0.505,70,"c",2019-01-01,,"s"', "centime"),
    ('HDR,x,0.51,170,"c",2019-01-01,,"s"', "taux"),
    ('HDR,x,0.51,70,"c",,,"s"', "date de début"),
    ('HDR,x,0.51,70,"c",2019-13-01,,"s"', "ligne 2"),
])
def test_a_malformed_row_is_refused_in_french(row, words):
    with pytest.raises(ValueError, match=words):
        FeeTable.from_csv(HEADER + row + "\n")


def test_specific_list_matches_substances_conditions_and_codes():
    specifics = default_specific_list()
    assert specifics.match(substances=["CHLORHYDRATE DE METFORMINE"]) == "antidiabétiques"
    assert specifics.match(substances=["AMOXICILLINE TRIHYDRATÉE"]) == "antibiotiques"
    assert specifics.match(substances=["PARACÉTAMOL"]) is None
    assert specifics.match(substances=["AMOXICILLINE"], on=date(2018, 12, 31)) is None
    assert specifics.match(substances=["X"], flags=[Condition.EXCEPTION]) == "médicament d'exception"
    assert "non exhaustif" in specifics.source


def test_shares_round_half_up_and_add_up():
    assert share(345, 65) == 224 and share(1005, 30) == 302 and share(209, 65) == 136
    parts = split(567, 65, 50)
    assert (parts.amo, parts.amc, parts.patient) == (369, 99, 99)
    assert split(980, 0, 100).amc == 0  # nothing from a complementary on what the AMO does not reimburse
    assert split(1000, 65, None, amo_base_cents=600).amo == 390  # the base of the dearest generic
    with pytest.raises(ValueError):
        share(100, 120)


def test_coverage_rates():
    assert line_rate(65) == 65 and line_rate(None, Coverage.ALD) == 0 and line_rate(0, Coverage.MATERNITY) == 0
    assert line_rate(30, Coverage.ALD) == 100 and line_rate(15, Coverage.ALD) == 15
    assert line_rate(15, Coverage.WORK_ACCIDENT) == 100 and line_rate(15, Coverage.MATERNITY) == 100
    assert fee_rate(70, exempt=False) == 70 and fee_rate(70, exempt=True) == 100
    assert fee_rate(70, exempt=False, irreplaceable=True) == 100 and fee_rate(100, exempt=False) == 100
