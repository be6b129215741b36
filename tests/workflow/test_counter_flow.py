"""The whole counter flow on real parts: sandbox service, real client, catalogue, ordonnancier, PDF."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.delivery import Adjustment, DispenseStatus, ScannedBox
from app.domain.dispensing import AdjustmentRequired, ScanRefused
from app.domain.substitution import ChangeKind
from app.storage.models.counter import InvoiceRow, OutboxRow
from app.storage.models.ordonnancier import OrdonnancierRow
from app.wiring import make_counter
from app.workflow.ops import (
    ChooseProduct,
    Confirm,
    Decline,
    IssueBill,
    Override,
    RulesNotMet,
    ScanBox,
    SetQuantity,
)
from tests.workflow.conftest import CLAMOXYL_1G, DOLIPRANE_1000, LEVOTHYROX_75, med_request

S = DispenseStatus


def box(cip13: str, serial: str, expiry: date = date(2028, 12, 31)) -> ScannedBox:
    return ScannedBox(cip13, "LOT42", expiry, serial)


def ids(d) -> tuple[str, str]:
    """The service's line ids of the CLAMOXYL and LEVOTHYROX lines."""
    by_text = {line.medication.text.split()[0]: line.line_id for line in d.prescription.lines}
    return by_text["CLAMOXYL"], by_text["LEVOTHYROX"]


def two_lines(env) -> str:
    clamoxyl = env.catalogue.presentations_of_cis(CLAMOXYL_1G)[0]
    levothyrox = env.catalogue.presentations_of_cis(LEVOTHYROX_75)[0]
    return env.prescribe(
        med_request("amox", clamoxyl.cip13, "CLAMOXYL 1 g cp dispersible", per_day=2, days=6),
        med_request("levo", levothyrox.cip13, "LEVOTHYROX 75 µg cp", days=30, substitutable=False, reason="MTE"),
    )


def test_start_proposes_products_and_quantities(env):
    d = env.counter.start(two_lines(env))
    amox, levo = (d.line(i) for i in ids(d))
    # generics first (the cheapest), the prescribed princeps among the alternatives
    assert amox.change is ChangeKind.GENERIC and amox.substitution is not None
    assert amox.proposal_kinds[amox.proposals[0].cip13] is ChangeKind.GENERIC
    assert any(p.cis == CLAMOXYL_1G and amox.proposal_kinds[p.cip13] is ChangeKind.SAME for p in amox.proposals)
    assert "12 comprimés" in amox.estimate.explanation  # 2 a day × 6 days
    assert amox.quantity == amox.estimate.boxes >= 1  # boxes of the generic's size
    # non substituable (MTE): never a generic proposed
    assert ChangeKind.GENERIC not in levo.proposal_kinds.values()
    assert levo.quantity == 1
    assert any("Non substituable (MTE" in n for n in d.notices)


def test_an_operation_returns_a_new_dispensing_and_leaves_the_given_one_alone(env):
    counter = env.counter
    d = counter.start(two_lines(env))
    amox, _ = ids(d)
    before = d.line(amox).boxes
    applied = counter.apply(d, ScanBox(box(d.line(amox).product.cip13, "N1")))
    assert applied.dispensing is not d and d.line(amox).boxes == before == []  # the caller's object untouched
    assert [b.serial for b in applied.dispensing.line(amox).boxes] == ["N1"]
    assert applied.result == applied.dispensing.line(amox)  # the line it ticked, from the new dispensing
    assert counter.load_unfinished(d.delivery_id) == applied.dispensing  # stored as returned
    with pytest.raises(ScanRefused, match="périmée"):  # refused: nothing stored, nothing changed
        counter.apply(applied.dispensing, ScanBox(box(d.line(amox).product.cip13, "N2", date(2020, 1, 1))))
    assert counter.load_unfinished(d.delivery_id) == applied.dispensing


def test_full_delivery_with_a_substitution_and_an_adjustment(env):
    number = two_lines(env)
    counter = env.counter
    d = counter.start(number)
    AMOX, LEVO = ids(d)
    generic = next(p for p in d.line(AMOX).proposals
                   if d.line(AMOX).proposal_kinds[p.cip13] is ChangeKind.GENERIC and p.pack_quantity == 6)
    # scanning the generic's box substitutes it inside the group
    applied = counter.apply(d, ScanBox(box(generic.cip13, "A1")))
    d, state = applied.dispensing, applied.result
    assert state.product == generic and state.substitution.type == "G"
    d = counter.apply(d, ScanBox(box(generic.cip13, "A2"))).dispensing
    assert d.line(AMOX).status is S.COMPLETED
    with pytest.raises(ScanRefused, match="Une boîte de trop"):
        counter.apply(d, ScanBox(box(generic.cip13, "A3")))
    with pytest.raises(ScanRefused, match="périmée"):
        counter.apply(d, ScanBox(box(d.line(LEVO).product.cip13, "L0", date(2020, 1, 1))))
    # the prescriber, called, raises the dose: two boxes instead of one (an adjustment)
    levo = d.line(LEVO)
    with pytest.raises(AdjustmentRequired):
        counter.apply(d, SetQuantity(LEVO, 2))
    reasons = {r.code: r for r in counter.reasons()}
    means = {m.code: m for m in counter.agreement_means()}
    adjustment = Adjustment("adaptation_posologie", reasons["adaptation_posologie"].label,
                            means["telephone"].label, date.today(), "dose augmentée par le médecin")
    d = counter.apply(d, SetQuantity(LEVO, 2, adjustment)).dispensing
    d = counter.apply(d, ScanBox(box(levo.product.cip13, "L1"))).dispensing
    d = counter.apply(d, ScanBox(box(levo.product.cip13, "L2"))).dispensing
    # liste II: two boxes of 30 days is more than a month at once — blocking, billing refused
    found = counter.findings(d)
    assert [f.rule for f in found] == ["at_most_one_month_at_once", "quantity_above_need"]
    with pytest.raises(RulesNotMet, match="trente jours"):
        counter.apply(d, IssueBill(tiers_payant=True))
    # the 90-tablet box instead (another box of the prescribed speciality: an adjustment), one box
    big = next(p for p in levo.proposals if p.pack_quantity == 90)
    assert levo.proposal_kinds[big.cip13] is ChangeKind.ADJUSTMENT
    d = counter.apply(d, ChooseProduct(LEVO, big, adjustment)).dispensing
    assert d.line(LEVO).boxes == [] and d.line(LEVO).quantity == 2  # the 30-tablet boxes are not this one
    d = counter.apply(d, SetQuantity(LEVO, 1)).dispensing
    d = counter.apply(d, ScanBox(box(big.cip13, "L3"))).dispensing
    # a three-month box for 30 days prescribed (R.5132-22): a warning, passed with the prescriber's change
    (warning,) = counter.findings(d)
    assert warning.rule == "at_most_one_month_at_once" and not warning.blocking
    d = counter.apply(d, Override(LEVO, warning.rule, "posologie modifiée par le prescripteur")).dispensing
    billed = counter.apply(d, IssueBill(tiers_payant=True))
    d = billed.dispensing
    assert billed.result == d.bill and d.invoice_number.startswith("F") and d.bill.total > 0
    assert d.bill.patient_share + d.bill.amo_share == d.bill.total
    assert counter.apply(d, IssueBill(tiers_payant=False)).dispensing.invoice_number == d.invoice_number  # F9 twice
    recorded = counter.record(d)
    assert recorded.transmitted, recorded.message
    delivery = recorded.delivery
    assert [line.ordonnancier_numbers != () for line in delivery.lines] == [True, True]
    # the service stored the dispenses, with the substitution and the adjustment
    stored = env.client.deliveries(number)
    assert len(stored) == 2
    with env.factory() as session:
        rows = session.scalars(select(OrdonnancierRow).where(
            OrdonnancierRow.delivery_id == delivery.delivery_id)).all()
        assert sorted(r.cip13 for r in rows) == sorted([generic.cip13, big.cip13])
        assert session.get(OutboxRow, delivery.delivery_id).status == "sent"
        assert session.get(InvoiceRow, d.invoice_number).delivery_id == delivery.delivery_id
    # recording again (a retry after a crash) sends what was recorded, nothing new
    again = counter.record(d)
    assert again.transmitted and again.delivery == delivery
    assert len(env.client.deliveries(number)) == 2
    notes = counter.print_delivery(delivery, d.prescription)
    assert notes.exists() and notes.parent == env.settings.pdf_dir
    assert (notes.parent / notes.name.replace("mentions", "copie-patient")).exists()
    assert counter.pending() == []


def test_a_dispensing_in_progress_is_found_again(env):
    number = two_lines(env)
    d = env.counter.start(number)
    AMOX, _ = ids(d)
    d = env.counter.apply(d, ScanBox(box(d.line(AMOX).product.cip13, "R1"))).dispensing
    # the app is closed: a new counter on the same database finds it
    again = make_counter(env.settings, env.factory, env.catalogue, env.client)
    (pending,) = again.pending()
    assert pending.number == number and pending.delivery_id == d.delivery_id
    resumed = again.start(number)
    assert resumed.delivery_id == d.delivery_id
    assert [b.serial for b in resumed.line(AMOX).boxes] == ["R1"]
    assert resumed == again.resume(d.delivery_id) == d


def test_billing_first_then_record(env):
    d = env.counter.start(two_lines(env))
    with pytest.raises(Exception, match="Facturez"):
        env.counter.record(d)
    with pytest.raises(Exception, match="ligne"):
        env.counter.apply(d, IssueBill(tiers_payant=False))  # lines not scanned nor confirmed


def test_invoice_numbers_follow_each_other(env):
    numbers = []
    for _ in range(2):
        d = env.counter.start(two_lines(env))
        AMOX, LEVO = ids(d)
        d = env.counter.apply(d, Confirm(AMOX)).dispensing
        d = env.counter.apply(d, Decline(LEVO, Adjustment("deja_en_possession", "Déjà en possession du patient"))
                              ).dispensing
        d = env.counter.apply(d, IssueBill(tiers_payant=False)).dispensing
        assert d.bill.due_now == d.bill.total
        numbers.append(int(d.invoice_number[1:]))
    assert numbers[1] == numbers[0] + 1


def test_a_warning_is_overridden_with_a_reason_recorded(env):
    box8 = env.catalogue.presentations_of_cis(DOLIPRANE_1000)[0]  # 8 tablets
    number = env.prescribe(med_request("p", box8.cip13, "DOLIPRANE 1000 mg", per_day=1, days=8))
    counter = env.counter
    d = counter.start(number)
    (line_id,) = [s.line_id for s in d.lines]
    d = counter.apply(d, SetQuantity(line_id, 2, Adjustment("autre", "Autre (préciser)", comment="voyage"))).dispensing
    d = counter.apply(d, Confirm(line_id)).dispensing
    (warning,) = counter.findings(d)
    assert warning.rule == "quantity_above_need" and not warning.blocking
    with pytest.raises(RulesNotMet):
        counter.apply(d, IssueBill(tiers_payant=True))
    d = counter.apply(d, Override(line_id, warning.rule, "départ à l'étranger")).dispensing
    d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
    recorded = counter.record(d)
    assert recorded.delivery.lines[0].overrides == ("quantity_above_need : départ à l'étranger",)
