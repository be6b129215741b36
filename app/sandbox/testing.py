"""Start a real sandbox server for tests and benchmarks, and mint its tokens.

    with running_sandbox(db_url) as (base_url, admin):
        token = admin.pharmacy_token("750000010", "10000000009")
        client = EPrescriptionClient(base_url, token)
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from app.sandbox.ratelimit import RateLimit
from app.sandbox.server import TlsOptions, serve_in_thread
from app.sandbox.store import Clock, SandboxStore
from app.sandbox.values import DEFAULT_TOKEN_DAYS

DEMO_PRESCRIBER_RPPS = "10003456786"


class SandboxAdmin:
    """What an operator of the sandbox does outside the API: minting tokens, declaring an outage."""

    def __init__(self, store: SandboxStore) -> None:
        self.store = store

    def pharmacy_token(self, finess: str, rpps: str, role: str = "pharmacist", *,
                       days: int = DEFAULT_TOKEN_DAYS) -> str:
        return self.store.mint_token("pharmacy", rpps, finess=finess, role=role, days=days)

    def prescriber_token(self, rpps: str = DEMO_PRESCRIBER_RPPS, *, days: int = DEFAULT_TOKEN_DAYS) -> str:
        return self.store.mint_token("prescriber", rpps, days=days)

    def set_unavailable(self, retry_after: int | None = 300) -> None:
        """Answer every request 503 with ``Retry-After: retry_after`` seconds (a maintenance, as the
        counter meets it: the deliveries wait in its outbox); ``None`` ends the outage."""
        self.store.unavailable_for = retry_after


@contextlib.contextmanager
def running_sandbox(db_url: str, *, clock: Clock | None = None,
                    tls: TlsOptions | None = None,
                    rate_limit: RateLimit | str | None = None,
                    rate_clock: Callable[[], float] = time.monotonic) -> Iterator[tuple[str, SandboxAdmin]]:
    """A sandbox on a free loopback port over ``db_url``; ``clock`` replaces the wall clock;
    ``tls`` serves HTTPS (and requires a client certificate when it names a client CA);
    ``rate_limit`` (``"5/s"`` ...) gives each token a request budget (none by default, so that
    tests and benchmarks measure the service, not the limiter), counted on ``rate_clock``."""
    limit = RateLimit.parse(rate_limit) if isinstance(rate_limit, str) else rate_limit
    store = SandboxStore(db_url, clock=clock)
    try:
        with serve_in_thread(store, tls=tls, rate_limit=limit, rate_clock=rate_clock) as base_url:
            yield base_url, SandboxAdmin(store)
    finally:
        store.close()
