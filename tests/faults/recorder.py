"""The recording process of the fault-injection run (:func:`main`, in a process of its own).

It dispenses every ordonnance of the plan as a counter does, through the real workflow (the
Counter of :func:`app.wiring.make_counter` on the test database, the real client, the real
outbox), and is killed with SIGKILL at random points by the test, then started again: each time
it goes on from what the database holds, as the app does after a crash:

- an ordonnance with a delivery recorded here already is done (the local history shows it);
- otherwise :meth:`Counter.start` fetches and claims it, and goes on with the dispensing left
  unfinished here if there is one (boxes already scanned stay scanned, a bill stays billed);
- the boxes still missing are scanned, the rules' warnings passed with a reason, the bill issued,
  the delivery recorded (ordonnancier + archive + outbox in one transaction), then sent;
- at the end the outbox is sent until nothing is pending.

A service fault (the proxy's) that the client's retries did not cure is met by trying the same
ordonnance again a moment later. Any other error ends the process with its traceback: the test
fails on it. It tells the test how far it got through ``say``: ``ready``, ``recorded <number>`` and
``done <outbox summary>``, with the CPU time it used so far.

The test starts it from a fork server that has imported the app once (a restart then costs
milliseconds instead of the seconds of importing SQLAlchemy, Alembic and httpx again): a process
of its own all the same, with its own database connections and HTTP client, killed by SIGKILL.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
import traceback
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path


def _complete(counter, d, rng: random.Random):
    """Scan the boxes still missing, pass the warnings, bill: the dispensing, billed."""
    from app.domain.delivery import Adjustment, ScannedBox
    from app.workflow.ops import IssueBill, Override, ScanBox, SetPrice, SetQuantity

    if d.bill is not None:
        return d
    for state in list(d.lines):
        if state.product is not None and state.product.price is None:  # typed by the pharmacist
            d = counter.apply(d, SetPrice(state.line_id, Decimal("3.20"))).dispensing
        if not state.quantity:
            adjustment = Adjustment("adaptation_posologie", "Adaptation de la posologie", "Téléphone",
                                    date.today(), "essai de pannes")
            d = counter.apply(d, SetQuantity(state.line_id, 1, adjustment)).dispensing
        line = d.line(state.line_id)
        for n in range(len(line.boxes), line.quantity):
            box = ScannedBox(line.product.cip13, f"L{rng.randrange(1000)}", date(2030, 12, 31),
                             f"{d.delivery_id[:12]}-{line.line_id}-{n}")
            d = counter.apply(d, ScanBox(box)).dispensing
    for finding in counter.findings(d):
        d = counter.apply(d, Override(finding.line_id, finding.rule, "essai de pannes")).dispensing
    return counter.apply(d, IssueBill(tiers_payant=rng.random() < 0.5)).dispensing


# What the recorder imports: the fork server imports them once.
PRELOAD = ["app.catalogue", "app.config", "app.domain.delivery", "app.eprescription", "app.storage.db",
           "app.storage.counter_store", "app.storage.ordonnancier", "app.wiring", "app.workflow.counter",
           "app.workflow.ops", "tests.faults.recorder"]


def main(plan_path: str, say: Callable[[str], None]) -> None:
    from app.catalogue import Catalogue
    from app.config import load_settings
    from app.domain.errors import ServiceError
    from app.domain.records import SendStatus
    from app.eprescription import EPrescriptionClient
    from app.storage.db import open_database
    from app.wiring import make_counter

    plan = json.loads(Path(plan_path).read_text("utf-8"))
    for name in [n for n in os.environ if n.startswith("COMPTOIR_")]:  # the fork server's, from an earlier test
        del os.environ[name]
    os.environ.update(plan["env"])  # this test's settings dirs, key store and token
    logging.basicConfig(filename=plan["log"], level=logging.INFO,
                        format=f"%(asctime)s {os.getpid()} %(levelname)s %(name)s: %(message)s")
    engine, factory = open_database(plan["db_url"])
    settings = load_settings(overrides={"printer.pdf_dir": plan["pdf_dir"]})
    client = EPrescriptionClient(plan["service_url"], os.environ["COMPTOIR_SERVICE_TOKEN"],
                                 timeout=plan["timeout_s"], retries=2, backoff=0.02)
    counter = make_counter(settings, factory, Catalogue(factory), client)
    say("ready")
    for number in plan["numbers"]:
        rng = random.Random(f"{plan['seed']}-{number}")
        while not counter.store.recorded_for(number):
            try:
                d = _complete(counter, counter.start(number), rng)
                item = counter.record_locally(d)
                counter.finish_send(item, counter.send(item))
            except ServiceError as exc:
                if not exc.retryable:
                    raise
                time.sleep(0.01)
                continue
            say(f"recorded {number} cpu={time.process_time():.3f}")
    while True:
        report = counter.outbox.send_pending(everything=True)
        if report.pending == 0:
            break
        time.sleep(0.01)
    say(f"done sent={counter.store.count(SendStatus.SENT)} failed={report.failed} cpu={time.process_time():.3f}")
    client.close()
    engine.dispose()


def child(plan_path: str, conn) -> None:
    """The process's entry point: :func:`main`, its lines sent on ``conn`` (a pipe's sending end);
    an error goes to the pipe too, with its traceback, then the process exits with status 1."""
    try:
        main(plan_path, conn.send)
    except BaseException:
        conn.send("error " + traceback.format_exc())
        raise
