"""Fault injection (issue 13, point 18): recordings through a proxy that drops, delays, truncates and
answers 5xx at random, by a recording process killed with SIGKILL at random points and started again,
on SQLite and PostgreSQL: every delivery on the service exactly once, the ordonnancier exactly once,
``verify`` intact (see :mod:`tests.faults.harness`).

Sizes: the smoke test in the normal suite (a few seconds); the ``long`` run records 100 ordonnances
per database with 20 kills in CI (its time budget on two cores); ``COMPTOIR_LONG_SCALE=10`` runs the
full figure, 1,000 recordings and 200 kills per database. The figures are printed at the end of the
session; the seed too, and in a failure's output: ``COMPTOIR_FAULT_SEED`` runs again with the same
draws (ordonnances, faults in order, kill schedule; where a kill lands in time still varies).
"""

from __future__ import annotations

import os
import random

import pytest

from tests.faults import harness
from tests.faults.conftest import FIGURES
from tests.longrun import scaled


def _seed() -> int:
    seed = int(os.environ.get("COMPTOIR_FAULT_SEED") or random.SystemRandom().randrange(2 ** 32))
    print(f"fault injection seed {seed} (COMPTOIR_FAULT_SEED={seed} to run it again)")
    return seed


def _report(figures: harness.Figures) -> None:
    print(figures)
    FIGURES.append(str(figures))


def test_a_few_recordings_survive_faults_and_a_kill(sqlite_url, bdpm_subset, tmp_path):
    figures = harness.run(sqlite_url, bdpm_subset, tmp_path, recordings=4, seed=_seed(), kills=1, fault_rate=0.3)
    _report(figures)
    # the kill is drawn at a random time into a recording: on a fast run it may find the work over
    # (harness._record_all); the long run asserts the kills landed
    assert figures.recordings == 4 and figures.kills <= 1 and figures.starts == figures.kills + 1


@pytest.mark.long
@pytest.mark.timeout(7200)
def test_randomized_recordings_survive_faults_and_kills(db_url, bdpm_subset, tmp_path):
    recordings = scaled(100)
    figures = harness.run(db_url, bdpm_subset, tmp_path, recordings=recordings, seed=_seed(),
                          kills=scaled(20), fault_rate=0.3)
    _report(figures)
    # A kill drawn after the last recording may find the run over (see harness._record_all).
    assert figures.recordings == recordings and figures.kills >= scaled(20) * 0.8
