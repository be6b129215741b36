"""How big the ``long`` runs are (``make test-long``, which CI runs on two cores within a time budget).

The defaults are CI's sizes. ``COMPTOIR_LONG_SCALE`` multiplies them for a developer's full run:
``COMPTOIR_LONG_SCALE=10`` gives 1,000 recordings per database in the fault-injection run and
≥ 100,000 cases for each property family that runs 10,000 in CI; ``0.1`` a quick look at the long
run itself.

Property-based tests (hypothesis) come in pairs made by :func:`quick_and_long`: the normal suite runs
a couple of hundred examples; the long run draws its cases in batches (a list of cases per
hypothesis example: the engine's own cost per example, larger than most properties' work, is then
paid once per batch; a failing batch shrinks to the failing case all the same).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

SCALE = float(os.environ.get("COMPTOIR_LONG_SCALE", "1"))
QUICK = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def scaled(ci: int) -> int:
    """``ci`` (the size CI runs) times the scale, at least 1."""
    return max(1, round(ci * SCALE))


def long_settings(cases: int, batch: int) -> settings:
    """About ``scaled(cases)`` cases in examples of ``batch`` cases."""
    return settings(max_examples=max(1, scaled(cases) // batch), deadline=None, database=None,
                    suppress_health_check=list(HealthCheck),
                    # no "explain" phase: its tracing makes a failing batch take minutes to report
                    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])


def quick_and_long(*strategies: st.SearchStrategy, cases: int, batch: int = 20,
                   quick: settings = QUICK) -> Callable[[Callable], tuple[Callable, Callable]]:
    """The property as two tests: ``test_x`` (``quick``) and ``test_x_long`` (marked ``long``: about
    ``scaled(cases)`` cases, ``batch`` per hypothesis example)."""
    def wrap(prop: Callable) -> tuple[Callable, Callable]:
        def each(batch_of_cases: list[tuple]) -> None:
            for case in batch_of_cases:
                prop(*case)

        many = st.lists(st.tuples(*strategies), min_size=batch, max_size=batch)
        long = pytest.mark.long(long_settings(cases, batch)(given(many)(each)))
        return quick(given(*strategies)(prop)), long
    return wrap
