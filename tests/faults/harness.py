"""The fault-injection run: randomized ordonnances on the sandbox, recorded by a process that is
killed with SIGKILL at random points and started again, through a proxy that drops, delays,
truncates and answers 5xx at random; then every delivery is checked on both sides.

What must hold at the end (:func:`check`):

- on the service, every line of every ordonnance delivered exactly once, by the dispense
  identifiers of the one delivery recorded here for it (nothing lost, nothing doubled);
- here, one recorded dispensing per ordonnance, its outbox row sent, nothing pending or put aside;
- the ordonnancier: each delivery's entries exactly those its lines carry (once each), every line
  handed over registered, and ``verify`` (chain, checkpoints, archive and outbox cross-checks) intact.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.context
import os
import random
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from app.catalogue import Catalogue, import_release
from app.config import load_settings
from app.domain.delivery_codec import delivery_from_json
from app.domain.ordonnancier import registered_item
from app.eprescription import EPrescriptionClient
from app.eprescription.dispense import transaction_bundle
from app.sandbox.loader import complete_bundle
from app.sandbox.models import StoredDispense
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS, running_sandbox
from app.storage.db import open_database
from app.storage.models.counter import DispensingRow, OutboxRow
from app.storage.models.ordonnancier import OrdonnancierRow
from app.storage.ordonnancier import verify_chain
from app.storage.ordonnancier_keying import Protection
from tests.faults import recorder
from tests.faults.proxy import FaultPlan, FaultProxy
from tests.workflow.conftest import (
    CLAMOXYL_1G,
    DAFALGAN_CODEINE,
    DOLIPRANE_1000,
    LEVOTHYROX_75,
    PARACETAMOL_OTHERS,
    PHARMACIST_RPPS,
    PHARMACY_FINESS,
    med_request,
)

# Listed (liste I, liste II) and unlisted specialities.
SPECIALITIES = (DOLIPRANE_1000, DAFALGAN_CODEINE, CLAMOXYL_1G, LEVOTHYROX_75, *sorted(PARACETAMOL_OTHERS))


@dataclass
class Figures:
    seed: int
    backend: str
    recordings: int = 0
    lines: int = 0
    starts: int = 0
    kills: int = 0
    kills_mid_run: int = 0  # killed with recordings still to make (not while draining the outbox)
    ordonnancier_entries: int = 0
    service_dispenses: int = 0
    faults: Counter = field(default_factory=Counter)
    seconds: float = 0.0  # in all: the ordonnances written, recorded under faults, then checked
    recording_s: float = 0.0  # of which recording (the recorder's starts included)
    recorder_cpu_s: float = 0.0  # CPU time of the recording processes (up to each one's last line)
    test_cpu_s: float = 0.0  # CPU time of the test's process: the sandbox, the proxy, the checks

    def __str__(self) -> str:
        injected = sum(n for kind, n in self.faults.items() if kind != "pass")
        return (f"fault injection ({self.backend}, seed {self.seed}): {self.recordings} recordings, "
                f"{self.lines} lines, {self.starts} recorder starts, {self.kills} kill -9 "
                f"({self.kills_mid_run} mid-recording), {sum(self.faults.values())} requests through the proxy, "
                f"{injected} faults {dict(sorted(self.faults.items()))}; service: {self.service_dispenses} "
                f"dispenses, each once; ordonnancier: {self.ordonnancier_entries} entries, each once, "
                f"verify intact; {self.seconds:.1f} s ({self.recording_s:.1f} s recording), CPU "
                f"{self.recorder_cpu_s:.1f} s recorder + {self.test_cpu_s:.1f} s sandbox, proxy and checks")


def _prescriptions(catalogue: Catalogue, rng: random.Random, count: int) -> list[list[dict]]:
    """``count`` ordonnances of 1 to 3 lines: random specialities, presentations, posologies, and
    substitution allowed or not."""
    presentations = {cis: [p for p in catalogue.presentations_of_cis(cis) if p.price is not None and p.pack_unit]
                     for cis in SPECIALITIES}
    usable = sorted(cis for cis, found in presentations.items() if found)
    out = []
    for _ in range(count):
        lines = []
        for i, cis in enumerate(rng.sample(usable, rng.randint(1, 3))):
            product = rng.choice(presentations[cis])
            lines.append(med_request(f"l{i}", product.cip13, product.label, per_day=rng.randint(1, 2),
                                     days=rng.randint(3, 28), substitutable=rng.random() < 0.7,
                                     unit=product.pack_unit))
        out.append(lines)
    return out


class _Recorder:
    """One run of the recording process (:func:`tests.faults.recorder.child`), forked from a fork
    server that imported the app once; its lines come through a pipe."""

    _context: multiprocessing.context.ForkServerContext | None = None

    def __init__(self, plan: Path) -> None:
        if _Recorder._context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(recorder.PRELOAD)
            _Recorder._context = context
        self._lines, sending = _Recorder._context.Pipe(duplex=False)
        self.proc = _Recorder._context.Process(target=recorder.child, args=(str(plan), sending), daemon=True)
        self.proc.start()
        sending.close()

    def next_line(self, timeout: float) -> str | None:
        """The next line (None: the process ended); TimeoutError when none came within ``timeout``."""
        if not self._lines.poll(max(timeout, 0.0)):
            raise TimeoutError
        try:
            return self._lines.recv()
        except EOFError:
            return None

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.join(30)

    def close(self) -> int | None:
        self.proc.join(60)
        self._lines.close()
        return self.proc.exitcode


def run(db_url: str, bdpm: Path, work: Path, *, recordings: int, seed: int, kills: int,
        fault_rate: float = 0.3, deadline_s: float = 3600) -> Figures:
    """Record ``recordings`` randomized ordonnances on ``db_url`` under faults, about ``kills`` of them
    interrupted by a kill -9; returns the figures once :func:`check` passed."""
    started, cpu = time.monotonic(), time.process_time()
    rng = random.Random(seed)
    figures = Figures(seed, db_url.split(":", 1)[0].split("+", 1)[0])
    engine, factory = open_database(db_url)
    import_release(factory, bdpm, release="2022-06")
    catalogue = Catalogue(factory)
    with running_sandbox(f"sqlite:///{work / 'sandbox.sqlite3'}") as (base_url, admin):
        with EPrescriptionClient(base_url, admin.prescriber_token(), retries=0) as prescriber:
            numbers = []
            for lines in _prescriptions(catalogue, rng, recordings):
                bundle = complete_bundle({"resourceType": "Bundle", "type": "collection",
                                          "entry": [{"resource": r} for r in lines]},
                                         prescriber_rpps=DEMO_PRESCRIBER_RPPS)
                numbers.append(str(prescriber.submit_prescription(bundle)[0]))
        upstream = urlsplit(base_url)
        plan = FaultPlan(seed=rng.getrandbits(32), rate=fault_rate)
        env = {**{k: v for k, v in os.environ.items() if k.startswith("COMPTOIR_")},
               "COMPTOIR_SERVICE_TOKEN": admin.pharmacy_token(PHARMACY_FINESS, PHARMACIST_RPPS)}
        with FaultProxy((upstream.hostname or "127.0.0.1", upstream.port or 80), plan) as proxy:
            plan_file = work / "plan.json"
            plan_file.write_text(json.dumps({"db_url": db_url, "service_url": proxy.base_url, "numbers": numbers,
                                             "seed": seed, "pdf_dir": str(work / "pdf"),
                                             "timeout_s": plan.stall_s / 2, "env": env,
                                             "log": str(work / "recorder.log")}), "utf-8")
            recording = time.monotonic()
            _record_all(figures, plan_file, rng, recordings, kills, started + deadline_s)
            figures.recording_s = time.monotonic() - recording
            figures.faults = Counter(proxy.counts)
        check(figures, numbers, factory, admin.store)
    engine.dispose()
    figures.seconds = time.monotonic() - started
    figures.test_cpu_s = time.process_time() - cpu
    return figures


def _record_all(figures: Figures, plan: Path, rng: random.Random, recordings: int, kills: int,
                deadline: float) -> None:
    """Run the recorder until it says ``done``, killing it ``kills`` times at random points, spread
    over the run: each kill lets a random number of recordings through (none, often: kills then also
    fall on the recorder's start), then strikes at a random time into the next one. A kill drawn
    once every ordonnance is recorded may find the run over (the outbox drained): fewer kills then."""
    recorded, per_recording, gaps = 0, 0.5, []
    while True:
        assert time.monotonic() < deadline, f"the fault-injection run took too long (log: {plan.parent})"
        proc = _Recorder(plan)
        figures.starts += 1
        kill = figures.kills < kills
        # recordings to let through: on average what is left per kill left, less the one struck
        spacing = max(recordings - recorded, 0) / max(kills - figures.kills, 1) - 1
        # two left at least after it, so that the kill lands before the run is over
        let_through = max(min(rng.randint(0, max(int(2 * spacing), 0)), recordings - recorded - 2), 0)
        kill_at, seen, began, killed, done, run_cpu = None, 0, time.monotonic(), False, False, 0.0
        try:
            while True:
                if kill and kill_at is None and seen >= let_through:
                    kill_at = time.monotonic() + rng.uniform(0, per_recording)
                try:
                    line = proc.next_line(120 if kill_at is None else kill_at - time.monotonic())
                except TimeoutError:
                    assert kill_at is not None, "the recorder hangs"
                    proc.kill()
                    figures.kills += 1
                    figures.kills_mid_run += recorded < recordings
                    killed = True
                    break
                if line is None:
                    break
                assert not line.startswith("error"), f"{line}\n(recorder log in {plan.parent})"
                if "cpu=" in line:
                    run_cpu = float(line.rsplit("cpu=", 1)[1])
                if line == "ready":
                    began = time.monotonic()
                elif line.startswith("recorded "):
                    recorded, seen = recorded + 1, seen + 1
                    if seen > 1:  # a run's first recording is slower (cold caches): not counted
                        gaps.append(time.monotonic() - began)
                        per_recording = sum(gaps[-50:]) / len(gaps[-50:])
                    began = time.monotonic()
                elif line.startswith("done"):
                    assert "failed=0" in line, line
                    done = True
        finally:
            code = proc.close()
            figures.recorder_cpu_s += run_cpu
        if not killed:
            assert code == 0 and done, f"the recorder ended with status {code} without saying done"
            return


def check(figures: Figures, numbers: list[str], factory, sandbox_store) -> None:
    """Everything delivered exactly once on the service and in the ordonnancier; ``verify`` intact."""
    with factory() as session:
        recorded = session.execute(select(DispensingRow.ordonnance_number, DispensingRow.delivery_id)
                                   .where(DispensingRow.status == "recorded")).all()
        outbox = {row.delivery_id: row for row in session.scalars(select(OutboxRow))}
        entries = session.scalars(select(OrdonnancierRow)).all()
        verified = verify_chain(session, protection=Protection.from_settings(load_settings()))
    per_number = Counter(number for number, _ in recorded)
    assert sorted(per_number) == sorted(numbers) and set(per_number.values()) == {1}, \
        f"ordonnances recorded other than once here: {[n for n in numbers if per_number[n] != 1]}"
    assert {status for status in (row.status for row in outbox.values())} == {"sent"}, \
        Counter(row.status for row in outbox.values())
    deliveries = {row.delivery_id: delivery_from_json(row.payload) for row in outbox.values()}
    assert set(deliveries) == {delivery_id for _, delivery_id in recorded}

    by_delivery: dict[str, list[int]] = {}
    for entry in entries:
        by_delivery.setdefault(entry.delivery_id, []).append(entry.number)
    assert set(by_delivery) <= set(deliveries), "ordonnancier entries of a delivery not recorded"
    for delivery_id, delivery in deliveries.items():
        carried = sorted(n for line in delivery.lines for n in line.ordonnancier_numbers)
        # every line handed over that the register takes (liste I, II, stupéfiants: R.5132-10) is numbered
        assert all(line.ordonnancier_numbers for line in delivery.lines
                   if line.delivered and any(registered_item(i) for i in line.items)), delivery_id
        assert sorted(by_delivery.get(delivery_id, [])) == carried, f"ordonnancier of {delivery_id}"
    assert len({e.number for e in entries}) == len(entries)
    assert verified.ok, verified.findings

    with sandbox_store.read() as session:
        stored = session.execute(select(StoredDispense.number, StoredDispense.identifier_value,
                                        StoredDispense.line_id)).all()
    on_service = Counter((number, ident) for number, ident, _ in stored)
    assert set(on_service.values()) == {1}
    for number, delivery_id in recorded:
        sent = {e["resource"]["identifier"][0]["value"] for e in transaction_bundle(deliveries[delivery_id])["entry"]}
        here = {ident for (n, ident) in on_service if n == number}
        assert here == sent, f"ordonnance {number}: on the service {sorted(here)}, recorded here {sorted(sent)}"
    per_line = Counter((number, line_id) for number, _, line_id in stored)
    assert set(per_line.values()) == {1}, "a line delivered twice on the service"
    figures.recordings = len(recorded)
    figures.lines = sum(len(d.lines) for d in deliveries.values())
    figures.ordonnancier_entries = len(entries)
    figures.service_dispenses = len(stored)
    assert figures.ordonnancier_entries > 0 and figures.service_dispenses == figures.lines
