"""Benchmark of the team's live shared state and sign-in.

Prints, on SQLite and PostgreSQL:
- how long a change takes to reach another workstation's listener, from the start of the writer's
  transaction to the callback (p50/p95 over ``EVENTS`` events; goal ≤ 1 s), against the baseline of
  that transaction alone measured in the same run (the listener's share is the difference);
- the time of one sign-in by PIN with the app's Argon2id parameters, against a bare Argon2id hash of
  the same parameters (the rest is the database and the audit entry).

The writer is another thread with its own connection: NOTIFY goes through the server either way.
PostgreSQL: ``COMPTOIR_BENCH_PG_URL`` or ``COMPTOIR_TEST_PG_URL`` (a throw-away schema is created and
dropped); skipped when unreachable.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher

from app.register_key_store import RegisterKeyStore
from app.storage.db import make_engine, normalise_url, open_database, transaction
from app.storage.notify import ListenerState, listener_for, publish
from app.storage.ordonnancier_anchors import AnchorFile
from app.storage.ordonnancier_keying import Protection
from app.storage.users import Team

EVENTS = 40
SIGN_INS = 5


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def _latency(url: str, factory) -> tuple[float, float, float]:
    """(p50, p95) from the writer's transaction start to the callback, and the median transaction, in ms."""
    received: dict[int, float] = {}
    arrived = threading.Condition()
    up = threading.Event()

    def on_event(event) -> None:
        with arrived:
            received[event.payload["i"]] = time.perf_counter()
            arrived.notify_all()

    def on_status(status) -> None:
        if status.state is ListenerState.LISTENING:
            up.set()

    sent: dict[int, float] = {}
    commits = []
    pause = random.Random(11)
    with listener_for(url, ["queue"], on_event, on_status, **({"interval": 0.5} if "sqlite" in url else {})):
        if not up.wait(30):
            raise RuntimeError("listener did not start")
        for i in range(EVENTS):
            sent[i] = time.perf_counter()
            with transaction(factory) as session:
                publish(session, "queue", {"i": i})
            commits.append(time.perf_counter() - sent[i])
            with arrived:
                arrived.wait_for(lambda i=i: i in received, 10)
            time.sleep(pause.uniform(0.0, 0.5))  # land anywhere in the SQLite polling period
    delays = [(received[i] - sent[i]) * 1000 for i in sent if i in received]
    if len(delays) < EVENTS:
        raise RuntimeError(f"{EVENTS - len(delays)} event(s) lost")
    p50, p95 = _percentiles(delays)
    return p50, p95, statistics.median(commits) * 1000


def _sign_in(factory, workdir: Path) -> tuple[float, float]:
    """Median sign-in by PIN (ms), and a bare Argon2id hash with the same parameters (ms)."""
    protection = Protection(RegisterKeyStore("file", workdir / "keys"), AnchorFile(workdir / "anchors.jsonl"),
                            "BENCH")
    team = Team(factory, protection)
    user = team.create_first_titulaire("Banc d'essai", "10000000009", "2580")
    logins, hashes = [], []
    hasher = PasswordHasher()
    for _ in range(SIGN_INS):
        start = time.perf_counter()
        team.login(user.id, "2580")
        logins.append(time.perf_counter() - start)
        start = time.perf_counter()
        hasher.verify(hasher.hash("x" * 64), "x" * 64)
        hashes.append((time.perf_counter() - start) / 2)
    return statistics.median(logins) * 1000, statistics.median(hashes) * 1000


def run(label: str, url: str, workdir: Path) -> None:
    engine, factory = open_database(url)
    try:
        p50, p95, commit = _latency(url, factory)
        login, argon = _sign_in(factory, workdir / label)
    finally:
        engine.dispose()
    print(f"{label:<11} change seen by another listener p50 {p50:6.1f} ms  p95 {p95:6.1f} ms (goal ≤ 1000 ms; "
          f"the writer's transaction alone {commit:5.1f} ms)")
    print(f"{label:<11} sign-in by PIN {login:6.0f} ms vs one Argon2id hash {argon:6.0f} ms "
          f"({login / argon:4.2f}×)")


def main() -> int:
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        run("sqlite", f"sqlite:///{workdir / 'team.sqlite3'}", workdir)
        base = os.environ.get("COMPTOIR_BENCH_PG_URL") or os.environ.get("COMPTOIR_TEST_PG_URL") \
            or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        try:
            admin = make_engine(normalise_url(base))
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            with admin.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        except sa.exc.SQLAlchemyError as exc:
            print(f"postgresql  skipped ({exc.__class__.__name__})")
            return 0
        sep = "&" if "?" in base else "?"
        try:
            run("postgresql", f"{normalise_url(base)}{sep}options=-csearch_path%3D{schema}", workdir)
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
