"""The bill on real BDPM rows: boxes at their price including the dispensing fee, the per-ordonnance
fees of the convention at the amounts in force on the delivery date, coverage, AMC, tiers payant."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path

import pytest

from app.catalogue.records import CIP_FILE, parse_file
from app.domain.billing import Bill, BillingContext, BillingError, BillItem, compute_bill
from app.domain.codec import decode, to_jsonable
from app.domain.fees import FeeTable, default_fee_table
from app.domain.prescription import Coverage
from tests.domain.bdpm import by_cip13, find_cis, substances

DOLIPRANE_8 = "3400935955838"  # DOLIPRANE 1000 mg, comprimé B/8: 1,07 € + 1,02 € = 2,09 € (2022-06)
TAHOR_28 = "3400934306815"  # TAHOR 20 mg ×28: 5,67 € incl. 1,02 €
TAHOR_90 = "3400937199384"  # TAHOR 20 mg ×90: 17,48 € incl. 2,76 € (three-month pack)
LEVOTHYROX_30 = "3400930065785"  # lévothyroxine: a "spécifique" (HDE)
LEVOTHYROX_90 = "3400930121405"  # 90 tablets, yet the BDPM gives the standard fee 1,02 €
KARDEGIC = "3400934744198"
SPASFON_LYOC = "3400941686245"  # 15 %
ACTISKENAN_10 = "3400934990007"  # morphine: a "spécifique" and a stupéfiant
HUMEX = "3400939393216"  # not reimbursable: no BDPM price
FIXTURE_2026 = Path(__file__).resolve().parents[1] / "fixtures" / "bdpm-2026-05"

JUNE_2022 = date(2022, 6, 15)
MAY_2026 = date(2026, 5, 20)


def item(cip13: str, boxes: int = 1, line_id: str | None = None, **kw) -> BillItem:
    product = by_cip13(cip13)
    return BillItem.of(line_id or f"l-{cip13}", product, boxes, substances=substances(product.cis), **kw)


def context(on: date = JUNE_2022, **kw) -> BillingContext:
    return BillingContext(on=on, **kw)


def bill(*items: BillItem, tiers_payant: bool = True, **kw) -> Bill:
    return compute_bill(list(items), tiers_payant=tiers_payant, context=context(**kw))


def codes(b: Bill) -> list[str]:
    return [f.code for f in b.fees]


def test_doliprane_is_billed_at_the_bdpm_price_including_its_fee():
    b = bill(item(DOLIPRANE_8))
    (line,) = b.lines
    assert line.unit_price_cents == 209 and line.unit_price == Decimal("2.09")
    assert (line.fee_code, line.fee_cents, line.rate) == ("HD", 102, 65)
    assert line.label == "DOLIPRANE 1000 mg, comprimé — boîte de 8"
    assert (line.total_cents, line.amo_cents, line.patient_cents) == (209, 136, 73)  # 135,85 → 136
    assert codes(b) == ["HDR"] and b.fee("HDR").cents == 51  # 2022: 0,51 €
    assert b.total_cents == 260 and b.amo_cents == 136 + 36 and b.patient_cents == 73 + 15  # HDR at 70 %


@cache
def release_2026() -> dict:
    return {row.cip13: row for _, row in parse_file(FIXTURE_2026 / CIP_FILE, CIP_FILE, [])}


def test_doliprane_in_the_2026_release_costs_2_18_and_the_fees_of_2026():
    row = release_2026()[DOLIPRANE_8]
    product = by_cip13(DOLIPRANE_8)
    product = dataclasses.replace(product, price=Decimal(row.price_cents) / 100,
                                  price_with_fee=Decimal(row.price_with_fee_cents) / 100,
                                  fee=Decimal(row.fee_cents) / 100)
    b = compute_bill([BillItem.of("l1", product, 1)], tiers_payant=True,
                     context=context(MAY_2026, birth_date=date(1949, 3, 2)))
    assert b.lines[0].unit_price_cents == 218 and b.lines[0].fee_code == "HD"
    assert {f.code: f.cents for f in b.fees} == {"HDR": 61, "HDA": 168}  # avenant n° 1: 2025 and 2026


def test_tahor_three_month_pack_carries_the_large_pack_fee():
    b = bill(item(TAHOR_90))
    (line,) = b.lines
    assert (line.unit_price_cents, line.fee_code, line.fee_cents) == (1748, "HG", 276)
    assert line.label == "TAHOR 20 mg, comprimé pelliculé — boîte de 90"
    assert bill(item(TAHOR_28)).lines[0].fee_code == "HD"


def test_the_fee_amount_decides_the_code_not_the_pack_count():
    # 90 tablets taken once a day would last three months, but the CEPS gave this box the standard fee
    line = bill(item(LEVOTHYROX_90)).lines[0]
    assert (line.fee_code, line.fee_cents) == ("HD", 102)


def test_an_ald_line_is_paid_at_100_percent_and_so_are_the_ordonnance_fees():
    b = bill(item(TAHOR_28, line_id="l1", coverage=Coverage.ALD), item(DOLIPRANE_8, line_id="l2"))
    ald, common = b.lines
    assert (ald.rate, ald.amo_cents, ald.patient_cents) == (100, 567, 0)
    assert (common.rate, common.amo_cents) == (65, 136)
    hdr = b.fee("HDR")
    assert (hdr.rate, hdr.amo_cents, hdr.patient_cents) == (100, 51, 0)


def test_maternity_and_work_accident_cover_the_whole_ordonnance():
    for coverage in (Coverage.MATERNITY, Coverage.WORK_ACCIDENT):
        b = bill(item(DOLIPRANE_8), item(SPASFON_LYOC), coverage=coverage)
        assert [line.rate for line in b.lines] == [100, 100]
        assert b.patient_cents == 0 and b.amo_cents == b.total_cents


def test_a_low_rate_medicine_keeps_15_percent_on_an_ald_line():
    line = bill(item(SPASFON_LYOC, coverage=Coverage.ALD)).lines[0]
    assert (line.rate, line.product_rate) == (15, 15)


@pytest.mark.parametrize("on, cents", [(date(2019, 1, 1), 51), (date(2022, 6, 15), 51), (date(2025, 1, 7), 51),
                                       (date(2025, 1, 8), 61), (date(2026, 5, 20), 61)])
@pytest.mark.parametrize("cip13", [DOLIPRANE_8, TAHOR_90, KARDEGIC, SPASFON_LYOC])
def test_every_ordonnance_of_reimbursable_medicines_earns_hdr_at_the_amount_of_its_day(cip13, on, cents):
    b = bill(item(cip13), on=on)
    assert b.fee("HDR").cents == cents
    assert b.fee("HDR").label.startswith("Honoraire de dispensation pour l'exécution d'une ordonnance")


def test_no_ordonnance_fee_before_the_convention_created_it():
    assert codes(bill(item(DOLIPRANE_8), on=date(2018, 12, 31))) == []


def five_lines(**kw) -> list[BillItem]:
    return [item(cip, line_id=f"l{n}", **kw) for n, cip in
            enumerate((DOLIPRANE_8, TAHOR_28, KARDEGIC, SPASFON_LYOC, LEVOTHYROX_30), start=1)]


def test_five_reimbursable_lines_delivered_at_once_earn_hc():
    b = bill(*five_lines())
    assert codes(b) == ["HDR", "HDE", "HC"]
    hc = b.fee("HC")
    # 0,31 € since the avenant n° 19 (JO of 4 February 2020); 1,02 € (avenant n° 11) only from 1 January 2020
    assert (hc.cents, hc.rate, hc.amo_cents) == (31, 100, 31)
    assert bill(*five_lines(), on=date(2020, 2, 3)).fee("HC").cents == 102
    assert bill(*five_lines(), on=date(2020, 2, 4)).fee("HC").cents == 31
    assert bill(*five_lines(), on=date(2019, 6, 1)).fee("HC").cents == 51


def test_no_hc_on_a_partial_delivery_nor_under_five_lines():
    assert "HC" not in codes(bill(*five_lines(), partial=True))
    lines = five_lines()
    lines[2] = BillItem.of("l3", by_cip13(KARDEGIC), 1, partial=True)
    assert "HC" not in codes(bill(*lines))
    assert "HC" not in codes(bill(*five_lines()[:4]))
    # five items but two on one line: four lines
    same_line = five_lines()[:4] + [item(TAHOR_90, line_id="l2")]
    assert "HC" not in codes(bill(*same_line))
    # a non-reimbursable fifth line does not count
    humex = BillItem.of("l5", by_cip13(HUMEX), 1, unit_price=Decimal("4.90"))
    assert "HC" not in codes(bill(*five_lines()[:4], humex))


@pytest.mark.parametrize("born, on, expected", [
    (date(1945, 2, 1), JUNE_2022, 158),  # aged 77
    (date(2020, 1, 10), JUNE_2022, 158),  # aged 2
    (date(1949, 3, 2), MAY_2026, 168),  # aged 77 in 2026
    (date(1952, 6, 15), JUNE_2022, 158),  # 70 on the day
    (date(2019, 6, 15), JUNE_2022, None),  # 3 on the day
    (date(1952, 6, 16), JUNE_2022, None),  # 69
    (date(1980, 5, 4), JUNE_2022, None),
    (None, JUNE_2022, None),
    (date(1945, 2, 1), date(2019, 3, 1), 51),  # 0,51 € in 2019
])
def test_hda_for_the_very_young_and_the_old(born, on, expected):
    fee = bill(item(DOLIPRANE_8), on=on, birth_date=born).fee("HDA")
    assert (fee.cents if fee else None) == expected


def test_hde_once_for_an_ordonnance_holding_a_specific_medicine():
    b = bill(item(LEVOTHYROX_30, line_id="l1"), item(ACTISKENAN_10, line_id="l2"))
    assert codes(b) == ["HDR", "HDE"] and b.fee("HDE").cents == 357
    assert bill(item(LEVOTHYROX_30), on=date(2019, 5, 1)).fee("HDE").cents == 204
    assert "HDE" not in codes(bill(item(DOLIPRANE_8), item(TAHOR_28)))


def test_a_complementary_pays_its_share_of_what_remains():
    full = bill(item(DOLIPRANE_8), amc_rate=100)
    line, hdr = full.lines[0], full.fee("HDR")
    assert (line.amo_cents, line.amc_cents, line.patient_cents) == (136, 73, 0)
    assert (hdr.amo_cents, hdr.amc_cents, hdr.patient_cents) == (36, 15, 0)
    half = bill(item(TAHOR_28), amc_rate=50).lines[0]  # 567: AMO 369 (368,55), remains 198
    assert (half.amo_cents, half.amc_cents, half.patient_cents) == (369, 99, 99)
    assert full.to_pay_cents == 0 and full.amc_cents == 88


def test_a_refused_generic_takes_its_line_out_of_tiers_payant():
    b = bill(item(TAHOR_28, line_id="l1", tiers_payant=False), item(DOLIPRANE_8, line_id="l2"))
    refused, kept = b.lines
    assert not refused.tiers_payant and kept.tiers_payant
    assert b.to_pay_cents == refused.total_cents + kept.patient_cents + b.fee("HDR").patient_cents
    assert compute_bill([item(TAHOR_28)], tiers_payant=False, context=context()).to_pay_cents == 567 + 51


def test_non_reimbursable_products_earn_no_fee_and_are_paid_whole():
    humex = BillItem.of("l1", by_cip13(HUMEX), 2, unit_price=Decimal("4.90"))
    b = bill(humex, birth_date=date(1940, 1, 1), amc_rate=100)
    (line,) = b.lines
    assert (line.rate, line.fee_code, line.amo_cents, line.amc_cents, line.patient_cents) == (0, None, 0, 0, 980)
    assert b.fees == () and b.franchise is None and b.to_pay_cents == 980


def test_the_franchise_is_shown_not_collected():
    b = bill(item(DOLIPRANE_8, boxes=2), item(TAHOR_28))
    assert (b.franchise.boxes, b.franchise.cents_per_box, b.franchise.cents) == (3, 50, 150)
    assert b.to_pay_cents == b.patient_cents  # nothing added at the counter
    assert bill(item(DOLIPRANE_8), on=date(2024, 3, 31)).franchise.cents_per_box == 100
    assert bill(item(DOLIPRANE_8), on=date(2024, 3, 30)).franchise.cents_per_box == 50
    child = bill(item(DOLIPRANE_8), birth_date=date(2010, 1, 1)).franchise
    assert (child.cents, child.exempt) == (0, "patient de moins de 18 ans")
    assert bill(item(DOLIPRANE_8), coverage=Coverage.MATERNITY).franchise.exempt == "assurance maternité"


def test_the_shared_form_is_in_cents_and_reads_back():
    b = bill(item(TAHOR_90, line_id="l1", coverage=Coverage.ALD), item(DOLIPRANE_8, line_id="l2", tiers_payant=False),
             birth_date=date(1945, 2, 1), amc_rate=100)
    data = json.loads(json.dumps(b.to_json()))
    for line in data["lines"]:
        assert {"cip13", "label", "boxes", "unit_price_cents", "rate", "total_cents", "amo_cents", "amc_cents",
                "patient_cents"} <= set(line)
        assert all(isinstance(line[k], int) for k in ("unit_price_cents", "total_cents", "amo_cents", "amc_cents",
                                                      "patient_cents"))
    for fee in data["fees"]:
        assert {"code", "label", "cents", "amo_cents", "patient_cents"} <= set(fee)
    assert {"total_cents", "amo_cents", "amc_cents", "patient_cents", "to_pay_cents"} <= set(data)
    assert data["total_cents"] == data["amo_cents"] + data["amc_cents"] + data["patient_cents"]
    assert Bill.from_json(data) == b
    assert decode(Bill, to_jsonable(b)) == b  # the codec stores it in that very form


def test_a_bill_stored_before_the_fees_still_loads():
    legacy = {"lines": [{"line_id": "l1", "cip13": "3400930000001", "label": "X", "boxes": 3, "unit_price": "1.15",
                         "rate": 65, "total": "3.45", "amo_share": "2.24", "patient_share": "1.21"}],
              "tiers_payant": True, "total": "3.45", "amo_share": "2.24", "patient_share": "1.21"}
    b = decode(Bill, legacy)
    assert (b.total, b.amo_share, b.patient_share, b.due_now) == (Decimal("3.45"), Decimal("2.24"),
                                                                  Decimal("1.21"), Decimal("1.21"))
    assert b.fees == () and b.lines[0].unit_price_cents == 115


def test_a_bill_whose_parts_do_not_add_up_is_refused():
    data = bill(item(DOLIPRANE_8)).to_json()
    data["lines"][0]["patient_cents"] += 1
    with pytest.raises(BillingError, match="incohérente"):
        Bill.from_json(data)
    data = bill(item(DOLIPRANE_8)).to_json()
    data["total_cents"] += 5
    with pytest.raises(BillingError, match="incohérente"):
        Bill.from_json(data)
    with pytest.raises(BillingError, match="illisible"):
        Bill.from_json({"lines": [{"cip13": "x"}]})


def test_without_a_context_the_bill_is_what_callers_had_before():
    b = compute_bill([item(DOLIPRANE_8)], tiers_payant=True)
    assert b.fees == () and b.franchise is None and b.total == Decimal("2.09")


def test_a_new_amount_is_a_new_row():
    text = files("app.resources").joinpath("fees/dispensing_fees.csv").read_text(encoding="utf-8")
    amended = text.replace(',2025-01-08,,"Avenant n° 1', ',2025-01-08,2026-12-31,"Avenant n° 1') + (
        'HDR,Honoraire de dispensation pour l\'exécution d\'une ordonnance de médicaments remboursables,0.66,70,'
        '"x",2027-01-01,,"test"\n')
    table = FeeTable.from_csv(amended)
    assert table != default_fee_table()
    on_2027 = compute_bill([item(DOLIPRANE_8)], tiers_payant=True,
                           context=BillingContext(on=date(2027, 3, 1), fees=table))
    assert on_2027.fee("HDR").cents == 66
    with pytest.raises(ValueError, match="deux montants de HDR"):
        FeeTable.from_csv(text + 'HDR,x,0.70,70,"x",2026-01-01,,"overlap"\n')


def test_levothyrox_is_recognised_from_its_substance():
    cis = find_cis("LEVOTHYROX 75")
    assert BillItem.of("l1", by_cip13(LEVOTHYROX_30), 1, substances=substances(cis)).specific == \
        "médicaments de la thyroïde"
    assert BillItem.of("l1", by_cip13(DOLIPRANE_8), 1, substances=("PARACÉTAMOL",)).specific is None


def test_a_dispensing_and_a_delivery_stored_with_the_old_bill_still_load():
    from datetime import datetime

    from app.domain.delivery_codec import ArchiveUnreadable, delivery_from_json, delivery_to_json
    from app.domain.dispensing import Dispensing
    from app.printing.specimen import specimen_delivery
    from tests.domain.builders import daily_line, prescription

    legacy_bill = {"lines": [{"line_id": "l1", "cip13": "3400930000001", "label": "X", "boxes": 1,
                              "unit_price": "2.50", "rate": 65, "total": "2.50", "amo_share": "1.63",
                              "patient_share": "0.87"}],
                   "tiers_payant": True, "total": "2.50", "amo_share": "1.63", "patient_share": "0.87"}
    d = Dispensing.begin("D1", prescription(daily_line("l1", "X")), datetime(2026, 11, 26, 10, 0))
    data = to_jsonable(d)
    data["bill"] = legacy_bill
    assert decode(Dispensing, data).bill.patient_share == Decimal("0.87")
    old = json.loads(delivery_to_json(specimen_delivery(2)))
    old["data"].pop("bill")  # written before Delivery had one
    assert delivery_from_json(json.dumps(old)).bill is None
    old["data"]["bill"] = dict(legacy_bill, total="9.99")  # a bill that does not add up: refused, in French
    with pytest.raises(ArchiveUnreadable):
        delivery_from_json(json.dumps(old))
