"""An abandon's release runs on a network thread after the local abandon; if the pharmacist scans the
same ordonnance again meanwhile, the late release must not free the new dispensing's claim (another
pharmacy could then take the ordonnance). A claim and a release of one number reach the service in
the order they were decided."""

from __future__ import annotations

import threading

import pytest

from app.domain.errors import ClaimedElsewhere
from app.eprescription import EPrescriptionClient
from app.wiring import make_counter
from tests.workflow.conftest import PHARMACIST_RPPS, PHARMACY_FINESS
from tests.workflow.test_counter_edges import one_line, other_counter


class GatedReleaseClient(EPrescriptionClient):
    """The real client, whose release waits for the test's go (a slow service)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate, self.releasing = threading.Event(), threading.Event()
        self.calls: list[str] = []

    def claim(self, number) -> None:
        self.calls.append("claim")
        super().claim(number)

    def release(self, number) -> None:
        self.calls.append("release")
        self.releasing.set()
        assert self.gate.wait(10)
        super().release(number)


@pytest.fixture
def gated(env):
    client = GatedReleaseClient(env.base_url, env.admin.pharmacy_token(PHARMACY_FINESS, PHARMACIST_RPPS), retries=0)
    counter = make_counter(env.settings, env.factory, env.catalogue, client)
    yield counter, client
    client.gate.set()
    client.close()


def test_a_slow_release_then_a_new_start_keeps_the_new_claim(env, gated):
    counter, client = gated
    number = one_line(env)
    ticket = counter.abandon_locally(counter.start(number))
    releaser = threading.Thread(target=counter.release_claim, args=(ticket,))
    releaser.start()
    assert client.releasing.wait(5)
    started: list = []
    starter = threading.Thread(target=lambda: started.append(counter.start(number)))
    starter.start()
    starter.join(0.5)
    assert not started  # the new claim waits for the release already on its way
    client.gate.set()
    releaser.join(10)
    starter.join(10)
    assert started and client.calls == ["claim", "release", "claim"]
    with pytest.raises(ClaimedElsewhere):
        other_counter(env, finess="130000011").start(number)


def test_a_release_arriving_after_the_new_start_is_skipped(env, gated):
    counter, client = gated
    client.gate.set()
    number = one_line(env)
    ticket = counter.abandon_locally(counter.start(number))
    counter.start(number)  # scanned again before the queued release ran
    counter.release_claim(ticket)
    assert client.calls == ["claim", "claim"]
    with pytest.raises(ClaimedElsewhere):
        other_counter(env, finess="130000011").start(number)
