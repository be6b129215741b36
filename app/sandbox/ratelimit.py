"""Per-token request budget of the sandbox (contract: 429 rate-limited, with ``Retry-After``).

A token bucket per bearer token (or per client address for requests without one): ``capacity``
requests may come at once, then ``refill`` requests per second. The check runs before the token is
looked up, so a flood of made-up tokens is throttled per address as well as per token, and costs
no database round trip. The buckets live in the server process (one process serves the sandbox).
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from app.domain.errors import ConfigurationError

_UNITS = {"s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0}
_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$", re.ASCII)
MAX_BUCKETS = 10_000  # beyond, the least recently seen keys are forgotten (they start full again)
DEFAULT_RATE = "2000/s"  # far above the benchmark's reads per token (about 1000/s on 2 cores) and the demo


@dataclass(frozen=True)
class RateLimit:
    """``capacity`` requests at once, refilled at ``per_second`` requests a second."""

    capacity: int
    per_second: float

    @classmethod
    def parse(cls, text: str) -> RateLimit | None:
        """``"50/s"``, ``"600/min"``, ``"10/5s"``, ``"3000/h"``; ``"off"`` (or ``0``) for no limit."""
        value = text.strip().lower()
        if value in ("off", "none", "0", "aucune"):
            return None
        match = _PATTERN.match(value)
        if not match or match.group(3) not in _UNITS or int(match.group(1)) <= 0:
            raise ConfigurationError(
                f"Limite de débit invalide : « {text} » (exemples : 50/s, 600/min, off)")
        count = int(match.group(1))
        span = int(match.group(2) or 1) * _UNITS[match.group(3)]
        if span <= 0:
            raise ConfigurationError(f"Limite de débit invalide : « {text} » (durée nulle)")
        return cls(capacity=count, per_second=count / span)

    def __str__(self) -> str:
        return f"{self.capacity} requêtes d'affilée, {self.per_second:g} par seconde ensuite"


class RateLimiter:
    """Token buckets by key; :meth:`acquire` answers 0 (go ahead) or the seconds to wait."""

    def __init__(self, limit: RateLimit, *, clock: Callable[[], float] = time.monotonic,
                 max_buckets: int = MAX_BUCKETS) -> None:
        self.limit = limit
        self.clock = clock
        self.max_buckets = max_buckets
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Spend one request of ``key``'s budget; when empty, the seconds until one is back."""
        now = self.clock()
        cap, rate = float(self.limit.capacity), self.limit.per_second
        with self._lock:
            tokens, at = self._buckets.pop(key, (cap, now))
            tokens = min(cap, tokens + (now - at) * rate)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / rate
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_buckets:
                self._buckets.popitem(last=False)
        return wait


def bucket_key(token: str | None, client_host: str | None) -> str:
    """The budget a request spends: its token's (hashed: no secret kept in memory), else its address's."""
    if token:
        return "t:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:32]
    return "a:" + (client_host or "?")


def retry_after_header(wait: float) -> str:
    """HTTP ``Retry-After`` is whole seconds: never 0, so a client that honours it does not hammer."""
    return str(max(1, math.ceil(wait)))
