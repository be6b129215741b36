"""Invoice numbers: sequential and without gaps, also when two workstations bill at once."""

from __future__ import annotations

import threading
from datetime import datetime
from decimal import Decimal

import pytest

from app.domain.billing import BillItem, compute_bill
from app.domain.dispensing import Dispensing
from app.storage.db import open_database, transaction
from app.workflow.store import CounterStore
from tests.domain.builders import daily_line, prescription

NOW = datetime(2026, 11, 26, 10, 0)
BILL = compute_bill([BillItem("l1", "3400930000001", "X", 1, Decimal("2.50"), 65)], tiers_payant=True)


def issue(store: CounterStore, delivery_id: str, fail: bool = False) -> str:
    d = Dispensing.begin(delivery_id, prescription(daily_line("l1", "X")), NOW)
    with transaction(store.factory) as session:
        number = store.add_invoice(session, d, BILL, NOW)
        if fail:
            raise RuntimeError("the workstation crashed before committing")
    return number


def test_numbers_follow_and_a_rollback_leaves_no_gap(db_url):
    _, factory = open_database(db_url)
    store = CounterStore(factory)
    first = issue(store, "a")
    with pytest.raises(RuntimeError):
        issue(store, "b", fail=True)
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
