"""Installer benchmark: the size of the built app folder, and its start to first window against the
source run's, measured in the same run.

Why these two: a pharmacy downloads and installs the folder (issue 12's goal: at most 250 MB), and a
frozen app must not open slower than the source (goal: at most 1.5 × the source run's time from
process start to the main window painted).

Start to first window: ``comptoir --self-test`` prints its "main window" line the moment the window
is painted; the time from starting the process to reading that line is taken, for the built app
(dist/comptoir/comptoir) and for the source run (this interpreter, ``-m app``), alternately, each run
in a fresh temporary HOME, and the process is stopped there. One warm-up run of each is discarded;
medians are compared.

Usage: ``python benchmarks/installer.py [--runs N] [--build]`` (``--build`` rebuilds the folder first;
without it, the folder is built only when absent).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_DIR = ROOT / "dist" / "comptoir"
SIZE_GOAL_MB = 250.0
START_GOAL = 1.5
SHOWN = ("OK     Fenêtre principale", "FAILED", "ÉCHEC")


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def largest(path: Path, count: int = 8) -> list[tuple[float, str]]:
    """The biggest top-level parts of the app's library folder, in MB."""
    internal = path / "_internal"
    parts = []
    for item in internal.iterdir():
        if item.is_symlink():  # PyInstaller links top-level copies of libraries to their package's
            continue
        size = folder_mb(item) if item.is_dir() else item.stat().st_size / 1e6
        parts.append((size, item.name))
    return sorted(parts, reverse=True)[:count]


def time_to_window(command: list[str], cwd: Path) -> float:
    """Seconds from starting ``command`` (a self-test) to its main-window line; then it is stopped."""
    with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPTOIR_", "XDG_"))}
        env.update(HOME=tmp, TMPDIR=tmp)
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True, start_new_session=True)
        try:
            for line in process.stdout:
                if line.startswith(SHOWN):
                    elapsed = time.perf_counter() - started
                    if not line.startswith(SHOWN[0]):
                        raise SystemExit(f"the window did not open: {line.strip()}")
                    return elapsed
            raise SystemExit(f"{command[0]} ended (code {process.wait()}) before its window line")
        finally:
            if process.poll() is None:
                if os.name == "posix":
                    os.killpg(process.pid, signal.SIGTERM)  # the self-test and its worker threads
                else:
                    process.terminate()
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build", action="store_true", help="rebuild dist/comptoir first")
    args = parser.parse_args()
    if args.build or not (APP_DIR / "comptoir").exists():
        subprocess.run([sys.executable, str(ROOT / "build_installer.py"), "--no-packages"], cwd=ROOT, check=True)
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")

    size = folder_mb(APP_DIR)
    print(f"app folder: {size:.1f} MB (goal <= {SIZE_GOAL_MB:.0f} MB) {'OK' if size <= SIZE_GOAL_MB else 'OVER'}")
    for part_size, name in largest(APP_DIR):
        print(f"  {part_size:7.1f} MB  _internal/{name}")

    frozen_cmd = [str(APP_DIR / "comptoir"), "--self-test"]
    source_cmd = [sys.executable, "-m", "app", "--self-test"]
    with tempfile.TemporaryDirectory() as neutral:
        frozen, source = [], []
        for run in range(args.runs + 1):
            f = time_to_window(frozen_cmd, Path(neutral))
            s = time_to_window(source_cmd, ROOT)
            if run:  # the first of each only warms the page cache
                frozen.append(f)
                source.append(s)
    ratio = statistics.median(frozen) / statistics.median(source)
    print(f"start to first window, median of {args.runs}: built app {statistics.median(frozen) * 1000:.0f} ms, "
          f"source run {statistics.median(source) * 1000:.0f} ms: {ratio:.2f}x "
          f"(goal <= {START_GOAL}x) {'OK' if ratio <= START_GOAL else 'OVER'}")
    return 0 if size <= SIZE_GOAL_MB and ratio <= START_GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
