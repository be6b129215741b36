"""Counter workflow benchmark (no Qt): what each use case costs on the real stack.

Why: the screens call the workflow off the GUI thread, but the pharmacist waits for each answer; every
step also writes the whole dispensing to the database (so that nothing is lost on a crash), and that
cost grows with the proposals a line carries. Measured here on the bundled BDPM catalogue (full size)
and the sandbox service on a loopback port, for a 3-line ordonnance (a liste I antibiotic with 27
proposals, a non-substitutable liste II, a liste I analgesic): start (fetch + claim + proposals),
one box scanned, billing (each an operation through ``Counter.apply``), recording (ordonnancier +
archive + outbox, then send). Goals: start ≤ 100 ms, a scan
≤ 30 ms, record ≤ 150 ms (medians).

Usage: ``python benchmarks/workflow.py [--runs N] [--db URL]`` (default: a temporary SQLite file).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.catalogue import Catalogue, ensure_bundled_catalogue  # noqa: E402
from app.config import load_settings  # noqa: E402
from app.domain.delivery import ScannedBox  # noqa: E402
from app.eprescription import EPrescriptionClient, systems  # noqa: E402
from app.sandbox.loader import complete_bundle  # noqa: E402
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS, running_sandbox  # noqa: E402
from app.storage.db import open_database  # noqa: E402
from app.wiring import make_counter  # noqa: E402
from app.workflow.ops import IssueBill, Override, ScanBox  # noqa: E402

LINES = (("64539416", 2, 6), ("62080626", 1, 30), ("66003374", 2, 5))  # CIS, per day, days


def request(rid: str, cip13: str, per_day: int, days: int, substitutable: bool) -> dict:
    mr = {"resourceType": "MedicationRequest", "id": rid, "status": "active", "intent": "order",
          "subject": {"reference": "Patient/p"}, "requester": {"reference": "Practitioner/d"},
          "authoredOn": datetime.now(UTC).isoformat(),
          "medicationCodeableConcept": {"coding": [{"system": systems.CIP13, "code": cip13}]},
          "dosageInstruction": [{"timing": {"repeat": {"frequency": per_day, "period": 1, "periodUnit": "d",
                                                       "boundsDuration": {"value": days, "code": "d"}}},
                                 "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "comprimé"}}]}]}
    if not substitutable:
        mr["substitution"] = {"allowedBoolean": False, "reason": {"text": "MTE"}}
    return mr


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", help="database URL (default: temporary SQLite)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="comptoir-bench-"))
    url = args.db or f"sqlite:///{work / 'counter.sqlite3'}"
    engine, factory = open_database(url)
    started = time.perf_counter()
    ensure_bundled_catalogue(factory)
    print(f"catalogue ready in {time.perf_counter() - started:.1f} s ({engine.dialect.name})")
    catalogue = Catalogue(factory)
    settings = load_settings(overrides={"printer.pdf_dir": str(work / "pdf")})
    boxes = [catalogue.presentations_of_cis(cis)[0].cip13 for cis, _, _ in LINES]
    timings: dict[str, list[float]] = {"start": [], "scan": [], "bill": [], "record": []}
    with running_sandbox(f"sqlite:///{work / 'sandbox.sqlite3'}") as (base_url, admin):
        prescriber = EPrescriptionClient(base_url, admin.prescriber_token())
        client = EPrescriptionClient(base_url, admin.pharmacy_token("750000010", "10000000009"))
        counter = make_counter(settings, factory, catalogue, client)
        for run in range(args.runs):
            entries = [{"resource": request(f"l{i}", box, per_day, days, i != 1)}
                       for i, (box, (_, per_day, days)) in enumerate(zip(boxes, LINES, strict=True))]
            bundle = complete_bundle({"resourceType": "Bundle", "type": "collection", "entry": entries},
                                     prescriber_rpps=DEMO_PRESCRIBER_RPPS)
            number, _ = prescriber.submit_prescription(bundle)
            t = time.perf_counter()
            d = counter.start(str(number))
            timings["start"].append(time.perf_counter() - t)
            for state in list(d.lines):
                for n in range(state.quantity):
                    t = time.perf_counter()
                    box = ScannedBox(state.product.cip13, "LOT", None, f"S{run}-{state.line_id}-{n}")
                    d = counter.apply(d, ScanBox(box)).dispensing
                    timings["scan"].append(time.perf_counter() - t)
            for finding in counter.findings(d):
                d = counter.apply(d, Override(finding.line_id, finding.rule, "benchmark")).dispensing
            t = time.perf_counter()
            d = counter.apply(d, IssueBill(tiers_payant=True)).dispensing
            timings["bill"].append(time.perf_counter() - t)
            t = time.perf_counter()
            recorded = counter.record(d)
            timings["record"].append(time.perf_counter() - t)
            assert recorded.transmitted, recorded.message
        proposals = [len(s.proposals) for s in d.lines]
    goals = {"start": 100, "scan": 30, "bill": 50, "record": 150}
    print(f"3-line ordonnance, proposals per line {proposals}, {args.runs} runs, medians:")
    ok = True
    for step, values in timings.items():
        value = median_ms(values)
        ok &= value <= goals[step]
        print(f"  {step:<7} {value:7.1f} ms  (goal ≤ {goals[step]} ms, max {max(values) * 1000:.1f} ms)")
    engine.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
