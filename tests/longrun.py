"""How big the ``long`` runs are (``make test-long``, which CI runs on two cores with a time budget).

The defaults are CI's sizes. ``COMPTOIR_LONG_SCALE`` multiplies them for a developer's full run:
``COMPTOIR_LONG_SCALE=10`` gives ≥ 1,000 recordings per database in the fault-injection run and
≥ 100,000 cases per property-based family (see the figures each test prints); ``0.1`` a quick look.
"""

from __future__ import annotations

import os

SCALE = float(os.environ.get("COMPTOIR_LONG_SCALE", "1"))


def scaled(ci: int) -> int:
    """``ci`` (the size CI runs) times the scale, at least 1."""
    return max(1, round(ci * SCALE))
