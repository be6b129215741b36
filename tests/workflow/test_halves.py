"""The network halves of the counter's steps touch no database (one owner per resource: the database
worker writes it), and the database halves ask nothing of the service."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.config import Settings
from app.domain.dispensing import Dispensing
from app.domain.errors import ServiceUnavailable
from app.domain.records import OutboxItem, SendStatus
from app.printing.specimen import specimen_delivery
from app.workflow.counter import ClaimTicket, Counter
from tests.domain.builders import daily_line, prescription

NOW = datetime(2026, 11, 26, 10, 0)


class Untouchable:
    """Stands for the database (or the service) where a step must not reach it."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __getattr__(self, name: str):
        raise AssertionError(f"{self.what} reached: {name}")


class Service:
    """The service client's interface, in memory; ``down`` makes it unreachable."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.down = False

    def _call(self, what: str) -> None:
        self.calls.append(what)
        if self.down:
            raise ServiceUnavailable("Service indisponible")

    def fetch(self, number):
        self._call("fetch")
        return prescription(daily_line("l1", "DOLIPRANE 1000 mg"), number=str(number))

    def claim(self, number):
        self._call("claim")

    def release(self, number):
        self._call("release")

    def record_delivery(self, delivery):
        self._call("record")


def counter(store, client) -> Counter:
    return Counter(settings=Settings(), store=store, catalogue=Untouchable("the catalogue"), client=client,
                   clock=lambda: NOW)


def test_the_network_halves_reach_only_the_service():
    service = Service()
    offline_db = counter(Untouchable("the database"), service)
    claimed = offline_db.fetch_and_claim("0123456789ABCDEFGHJ")
    assert service.calls == ["fetch", "claim"] and claimed.ticket.generation == 1
    d = Dispensing.begin("d1", claimed.prescription, NOW)
    assert offline_db.claim_again(d) is d
    offline_db.release_claim(claimed.ticket)  # claimed again since: skipped
    offline_db.release_claim(ClaimTicket(claimed.ticket.number, 2))  # the claim now held
    item = OutboxItem(specimen_delivery(lines=1), SendStatus.PENDING, 0)
    assert offline_db.send(item).sent
    assert service.calls == ["fetch", "claim", "claim", "release", "record", "release"]
    service.down = True  # offline, resuming goes on without the claim: the new dispensing says so
    again = offline_db.claim_again(d)
    assert again is not d and d.notices == [] and "réservation" in again.notices[-1]


def test_the_database_halves_ask_nothing_of_the_service():
    offline = counter(Untouchable("the database"), Untouchable("the service"))
    with pytest.raises(AssertionError, match="the database reached: unfinished_for"):
        offline.unfinished_offline("0123456789ABCDEFGHJ")  # the database, not the service
    with pytest.raises(AssertionError, match="the database reached"):
        offline.abandon_locally(Dispensing.begin("d1", prescription(daily_line("l1", "X")), NOW))
