"""A fault-injecting HTTP proxy on 127.0.0.1, put between the service client and the sandbox.

Each request the client sends is read whole, then given a fault drawn from a seeded RNG:

- ``pass``: forwarded, the answer given back as it came;
- ``delay``: the same, after a short random wait;
- ``drop_before``: the connection closed before the request reaches the service;
- ``drop_after``: the request reaches the service (which acts on it), the connection is closed
  before the answer: the client cannot know whether it was done;
- ``truncate``: the service's answer cut at a random byte, then the connection closed;
- ``error_before``: a 5xx answered by the proxy, the service never sees the request;
- ``error_after``: the service acts on the request, the client gets a 5xx instead of its answer;
- ``stall``: the answer held longer than the client's timeout (the service has acted).

One request per client connection (the request is forwarded with ``Connection: close`` and the
answer given back with it), so that a fault never spills over to the next request.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

FAULTS = ("drop_before", "drop_after", "truncate", "error_before", "error_after", "delay", "stall")
# Relative weights of the faults (a fault is drawn for a share ``rate`` of the requests).
WEIGHTS = {"drop_before": 3, "drop_after": 4, "truncate": 3, "error_before": 3, "error_after": 3, "delay": 3,
           "stall": 1}
ERRORS = (500, 502, 503, 504)


@dataclass
class FaultPlan:
    """What the proxy does: ``rate`` of the requests get a fault; ``stall_s`` is longer than the
    client's timeout; ``delay_s`` bounds the short delays."""

    seed: int
    rate: float = 0.3
    delay_s: float = 0.05
    stall_s: float = 1.5
    weights: dict[str, int] = field(default_factory=lambda: dict(WEIGHTS))


def _read_request(conn: socket.socket) -> bytes | None:
    """One whole HTTP/1.1 request (head and ``Content-Length`` body), or None when the client left."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


def _error_answer(status: int) -> bytes:
    body = (b'{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient",'
            b'"diagnostics":"injected by the fault proxy"}]}')
    return (f"HTTP/1.1 {status} Injected\r\nContent-Type: application/fhir+json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


class FaultProxy:
    """``with FaultProxy(("127.0.0.1", port), FaultPlan(seed)) as proxy:`` then ``proxy.base_url``."""

    def __init__(self, upstream: tuple[str, int], plan: FaultPlan, path: str = "/fhir") -> None:
        self.upstream, self.plan, self.path = upstream, plan, path
        self.counts: Counter[str] = Counter()
        self._rng = random.Random(plan.seed)
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fault-proxy", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}{self.path}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        with socket.create_connection(self._listener.getsockname(), timeout=5):
            pass  # wakes the accept() (closing the socket from here would not)
        self._thread.join(5)
        self._listener.close()

    def _draw(self) -> tuple[str, random.Random]:
        """The fault of the next request, and an RNG of its own for its details (thread-safe)."""
        with self._lock:
            fault = "pass"
            if self._rng.random() < self.plan.rate:
                kinds = list(self.plan.weights)
                fault = self._rng.choices(kinds, [self.plan.weights[k] for k in kinds])[0]
            self.counts[fault] += 1
            return fault, random.Random(self._rng.getrandbits(64))

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            if self._stopping.is_set():
                conn.close()
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=60) as up:
            up.sendall(request)
            answer = b""
            while chunk := up.recv(65536):
                answer += chunk
            return answer

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = _read_request(conn)
                if request is None:
                    return
                fault, rng = self._draw()
                if fault == "drop_before":
                    return
                if fault == "error_before":
                    conn.sendall(_error_answer(rng.choice(ERRORS)))
                    return
                if fault == "delay":
                    time.sleep(rng.uniform(0, self.plan.delay_s))
                answer = self._forward(request)
                if fault == "drop_after":
                    return
                if fault == "error_after":
                    conn.sendall(_error_answer(rng.choice(ERRORS)))
                    return
                if fault == "truncate":
                    conn.sendall(answer[:rng.randrange(max(len(answer) - 1, 1))])
                    return
                if fault == "stall":
                    time.sleep(self.plan.stall_s)
                conn.sendall(answer)
            except OSError:  # the client gave up (its timeout) or went away (killed): nothing to answer
                return
