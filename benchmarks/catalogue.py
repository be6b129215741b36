"""Catalogue benchmark: full BDPM import, CIP13 lookup and name search latencies.

    python benchmarks/catalogue.py [--pg URL] [--rounds N]

Runs on a fresh SQLite file, and on a fresh PostgreSQL schema when ``--pg`` or
COMPTOIR_TEST_PG_URL is given. Goals (2-core machine): import <= 15 s, lookup <= 1 ms,
search p95 <= 10 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.catalogue import Catalogue, import_release  # noqa: E402
from app.storage.db import make_engine, normalise_url, open_database  # noqa: E402

RELEASE_2022 = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "bdpm-2022-06"  # complete, as published
RELEASE_2026 = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "bdpm-2026-05"
# What pharmacists type, prefixes as typed; accents and case vary on purpose.
QUERIES = ["dol", "doli", "amox", "parac", "levoth 75", "Doliprane 1000", "lévothyrox", "ibup",
           "spasf", "kardég", "metform 850", "amoxicilline acide", "smecta", "VENTOL", "augm",
           "cétiriz", "oméprazole 20", "tram", "xanax", "dafalgan codé"]
GOALS = {"import": 15.0, "lookup": 1.0, "search": 10.0}


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(url: str, rounds: int) -> dict[str, float]:
    engine, factory = open_database(url)
    try:
        started = time.perf_counter()
        first = import_release(factory, RELEASE_2022, release="2022-06")
        figures = {"import": time.perf_counter() - started}
        started = time.perf_counter()
        again = import_release(factory, RELEASE_2022, release="2022-06")
        figures["reimport"] = time.perf_counter() - started
        started = time.perf_counter()
        update = import_release(factory, RELEASE_2026, release="2026-05")
        figures["update"] = time.perf_counter() - started
        assert first.first_import and again.unchanged and update.added, "import went wrong"

        catalogue = Catalogue(factory)
        with factory() as session:
            codes = list(session.scalars(sa.text("SELECT cip13 FROM catalogue_presentation ORDER BY cip13")))
        sample = random.Random(7).sample(codes, 1000)
        catalogue.by_cip13(sample[0])  # warm the pool and caches
        lookups = []
        for code in sample * rounds:
            t = time.perf_counter()
            catalogue.by_cip13(code)
            lookups.append((time.perf_counter() - t) * 1000)
        searches = []
        hits = {}
        for q in QUERIES:
            catalogue.find(q)
        for _ in range(max(5, rounds * 5)):
            for q in QUERIES:
                t = time.perf_counter()
                hits[q] = len(catalogue.find(q))
                searches.append((time.perf_counter() - t) * 1000)
        figures.update(lookup_p50=statistics.median(lookups), lookup_p95=percentile(lookups, 0.95),
                       search_p50=statistics.median(searches), search_p95=percentile(searches, 0.95),
                       search_max=max(searches))
        figures["hits"] = hits
        return figures
    finally:
        engine.dispose()


def pg_schema(base: str) -> tuple[str, str, sa.Engine]:
    admin = make_engine(normalise_url(base))
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = normalise_url(base)
    return schema, f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}", admin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("COMPTOIR_TEST_PG_URL"), help="PostgreSQL URL")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["SQLite"] = run(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.rounds)
    if args.pg:
        schema, url, admin = pg_schema(args.pg)
        try:
            results["PostgreSQL"] = run(url, args.rounds)
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    rows = [
        ("full import 2022-06 (s)", "import", GOALS["import"]),
        ("re-import, unchanged (s)", "reimport", None),
        ("update to 2026-05 (s)", "update", None),
        ("CIP13 lookup p50 (ms)", "lookup_p50", None),
        ("CIP13 lookup p95 (ms)", "lookup_p95", GOALS["lookup"]),
        ("name search p50 (ms)", "search_p50", None),
        ("name search p95 (ms)", "search_p95", GOALS["search"]),
        ("name search max (ms)", "search_max", None),
    ]
    backends = list(results)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Catalogue benchmark — {os.cpu_count()} CPUs, load average {load:.1f} at the end "
          "(other processes inflate the figures)")
    print(f"{'measure':<28}" + "".join(f"{b:>14}" for b in backends) + f"{'goal':>10}  verdict")
    print("-" * (28 + 14 * len(backends) + 20))
    failed = False
    for title, key, goal in rows:
        values = [results[b][key] for b in backends]
        verdict = ""
        if goal is not None:
            ok = all(v <= goal for v in values)
            failed |= not ok
            verdict = "ok" if ok else "MISSED"
        goal_text = f"{goal:>10g}" if goal is not None else " " * 10
        print(f"{title:<28}" + "".join(f"{v:>14.3f}" for v in values) + f"{goal_text}  {verdict}")
    print(f"\nqueries ({len(QUERIES)}, results each on SQLite): "
          + ", ".join(f"{q!r}:{n}" for q, n in results["SQLite"]["hits"].items()))
    if failed:
        print("\nA goal was missed (figures depend on the machine's load: rerun on an idle machine).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
