"""Invoice numbers: sequential and without gaps, also when two workstations bill at once; the number,
the invoice and the billed dispensing are stored together or not at all."""

from __future__ import annotations

import threading
from datetime import datetime
from decimal import Decimal

import pytest

from app.domain.billing import BillItem, compute_bill
from app.domain.dispensing import Dispensing
from app.domain.errors import StorageError
from app.domain.records import Stage
from app.storage.counter_store import CounterStore
from app.storage.db import open_database
from tests.domain.builders import daily_line, prescription

NOW = datetime(2026, 11, 26, 10, 0)
BILL = compute_bill([BillItem("l1", "3400930000001", "X", 1, Decimal("2.50"), 65)], tiers_payant=True)


def issue(store: CounterStore, delivery_id: str) -> str:
    d = Dispensing.begin(delivery_id, prescription(daily_line("l1", "X")), NOW)
    d.bill = BILL
    return store.bill(d, NOW)


def test_numbers_follow_and_a_rollback_leaves_no_gap(db_url, monkeypatch):
    _, factory = open_database(db_url)
    store = CounterStore(factory)
    first = issue(store, "a")
    assert store.load("a")[0].invoice_number == first and store.stage("a") is Stage.BILLED

    def crash(*_args):  # the dispensing's state cannot be written after the number was taken
        from sqlalchemy.exc import OperationalError

        raise OperationalError("UPDATE counter_dispensing", {}, Exception("disk I/O error"))

    monkeypatch.setattr(CounterStore, "_save", staticmethod(crash))
    with pytest.raises(StorageError, match="facture n'a pas pu être enregistrée"):
        issue(store, "b")
    monkeypatch.undo()
    assert store.stage("b") is None
    second = issue(store, "c")
    assert (first, second) == ("F00000001", "F00000002")
    assert store.invoice(second) == BILL


def test_two_workstations_at_once(db_url):
    engine, factory = open_database(db_url)
    stores = [CounterStore(factory), CounterStore(factory)]
    numbers: list[str] = []
    errors: list[Exception] = []

    def bill_many(store: CounterStore, prefix: str) -> None:
        try:
            for i in range(10):
                numbers.append(issue(store, f"{prefix}{i}"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=bill_many, args=(s, p)) for s, p in zip(stores, "xy", strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"F{n:08d}" for n in range(1, 21)]
