"""Benchmark of the e-prescription service on loopback, on SQLite and PostgreSQL.

Starts the sandbox as ONE server process (``comptoir sandbox serve``), seeds prescriptions through
the real client, then prints:
- fetch latency p50/p95 through ``EPrescriptionClient.fetch`` (request + FHIR mapping; goal ≤ 20 ms);
- prescription reads per second on that one process under concurrent clients (goal ≥ 500/s).
The load loop is bounded in count and in time, and talks to 127.0.0.1 only.

PostgreSQL: ``COMPTOIR_BENCH_PG_URL`` or ``COMPTOIR_TEST_PG_URL`` (a throw-away schema is created
and dropped); skipped when unreachable.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import sqlalchemy as sa

from app.cli.demo import free_port, start_sandbox, stop_sandbox
from app.eprescription import systems
from app.eprescription.client import EPrescriptionClient
from app.resources_path import resource
from app.sandbox.store import SandboxStore
from app.sandbox.testing import DEMO_PRESCRIBER_RPPS
from app.storage.db import make_engine, normalise_url

LATENCY_SAMPLES = 300
LOAD_MAX_REQUESTS = 6000
LOAD_MAX_SECONDS = 8.0
LOAD_THREADS = 6
PRESCRIPTIONS = 20


def _seed(base_url: str, db_url: str) -> tuple[list[str], str]:
    store = SandboxStore(db_url)
    prescriber = store.mint_token("prescriber", DEMO_PRESCRIBER_RPPS)
    pharmacy = store.mint_token("pharmacy", "10000000009", finess="750000010", role="pharmacist")
    store.close()
    bundle = json.loads(resource("demo", "demo-3-trois-lignes.json").read_text("utf-8"))
    with EPrescriptionClient(base_url, prescriber) as client:
        numbers = [client.submit_prescription(bundle)[0] for _ in range(PRESCRIPTIONS)]
    return numbers, pharmacy


def _latency(base_url: str, token: str, numbers: list[str]) -> tuple[float, float]:
    with EPrescriptionClient(base_url, token) as client:
        for n in numbers[:5]:
            client.fetch(n)  # warm up
        samples = []
        for i in range(LATENCY_SAMPLES):
            start = time.perf_counter()
            client.fetch(numbers[i % len(numbers)])
            samples.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49], cuts[94]


def _throughput(base_url: str, token: str, numbers: list[str]) -> float:
    count = 0
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + LOAD_MAX_SECONDS

    def worker(offset: int) -> None:
        nonlocal count, errors
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
        with httpx.Client(base_url=base_url + "/", headers=headers, timeout=10) as http:
            i = offset
            while time.monotonic() < deadline:
                with lock:
                    if count + errors >= LOAD_MAX_REQUESTS:
                        return
                group = f"{systems.NUMBER_SYSTEM}|{numbers[i % len(numbers)]}"
                ok = http.get("MedicationRequest", params={"group-identifier": group}).status_code == 200
                with lock:
                    count += ok
                    errors += not ok
                i += 1

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(LOAD_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    if errors:
        print(f"   ({errors} failed reads)")
    return count / elapsed


def run(label: str, db_url: str, workdir: Path) -> None:
    port = free_port(0)
    process = start_sandbox(db_url, port, workdir / f"sandbox-{label}.log")
    try:
        base_url = f"http://127.0.0.1:{port}/fhir"
        numbers, token = _seed(base_url, db_url)
        p50, p95 = _latency(base_url, token, numbers)
        rate = _throughput(base_url, token, numbers)
    finally:
        stop_sandbox(process)
    print(f"{label:<11} fetch latency p50 {p50:6.2f} ms  p95 {p95:6.2f} ms (goal ≤ 20 ms)   "
          f"reads {rate:7.0f}/s on one server process (goal ≥ 500/s)")


def _pg_schema(base: str) -> tuple[str, str, sa.Engine] | None:
    try:
        admin = make_engine(normalise_url(base))
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.SQLAlchemyError as exc:
        print(f"postgresql  skipped ({exc.__class__.__name__})")
        return None
    sep = "&" if "?" in base else "?"
    return schema, f"{normalise_url(base)}{sep}options=-csearch_path%3D{schema}", admin


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.environ.setdefault("COMPTOIR_DATA_DIR", str(workdir / "data"))
        run("sqlite", f"sqlite:///{workdir / 'sandbox.sqlite3'}", workdir)
        pg = os.environ.get("COMPTOIR_BENCH_PG_URL") or os.environ.get("COMPTOIR_TEST_PG_URL") \
            or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        found = _pg_schema(pg)
        if found:
            schema, url, admin = found
            try:
                run("postgresql", url, workdir)
            finally:
                with admin.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
