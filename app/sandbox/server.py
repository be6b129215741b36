"""Running the sandbox: in the foreground (``comptoir sandbox serve``) or in a thread (tests, bench)."""

from __future__ import annotations

import contextlib
import errno
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import uvicorn

from app.config import data_dir
from app.domain.errors import ConfigurationError
from app.sandbox.app import create_app
from app.sandbox.ratelimit import RateLimit
from app.sandbox.store import SandboxStore

DEFAULT_PORT = 8787
_BIND_REASONS = {
    errno.EADDRINUSE: "port déjà utilisé par un autre programme",
    errno.EACCES: "permission refusée : port réservé, choisissez-en un au-dessus de 1024",
    errno.EADDRNOTAVAIL: "adresse absente de ce poste",
}


def default_db_url() -> str:
    """The sandbox's own SQLite file, next to (never inside) the app's database."""
    return f"sqlite:///{data_dir() / 'sandbox.sqlite3'}"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port)."""
    # proto=IPPROTO_TCP: asyncio then sets TCP_NODELAY on accepted connections (it checks the proto);
    # without it every response pays Nagle + delayed ACK, about 40 ms on loopback.
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = "adresse inconnue" if isinstance(exc, socket.gaierror) else \
            _BIND_REASONS.get(exc.errno or 0, exc.strerror or exc.__class__.__name__)
        raise ConfigurationError(f"Impossible d'écouter sur {host}:{port} ({reason})", detail=repr(exc)) from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@dataclass(frozen=True)
class TlsOptions:
    """HTTPS for the sandbox; with ``client_ca``, mutual TLS: a client certificate signed by that CA
    is required (as the real service requires the CPS card's)."""

    certfile: str
    keyfile: str
    client_ca: str | None = None


def _config(store: SandboxStore, *, log_level: str = "warning", tls: TlsOptions | None = None,
            rate_limit: RateLimit | None = None, rate_clock: Callable[[], float] = time.monotonic) -> uvicorn.Config:
    extra: dict = {}
    if tls is not None:
        extra = {"ssl_certfile": tls.certfile, "ssl_keyfile": tls.keyfile}
        if tls.client_ca:
            extra.update(ssl_ca_certs=tls.client_ca, ssl_cert_reqs=ssl.CERT_REQUIRED)
    return uvicorn.Config(create_app(store, rate_limit, rate_clock=rate_clock), log_level=log_level, access_log=False,
                          limit_concurrency=256, timeout_keep_alive=30, lifespan="off", **extra)


def serve(db_url: str, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, log_level: str = "info",
          tls: TlsOptions | None = None, exit_on_stdin_eof: bool = False,
          rate_limit: RateLimit | None = None, ready: Callable[[], None] | None = None) -> None:
    """Serve until interrupted; with ``exit_on_stdin_eof``, also when standard input closes (the
    parent that holds the other end of the pipe has exited, however it ended). ``rate_limit``:
    each token's request budget (429 beyond it), None for none. ``ready`` is called once the
    database is open and the port bound, so that nothing announces a service that cannot start."""
    store = SandboxStore(db_url)
    try:
        sock = bind(host, port)
    except BaseException:
        store.close()
        raise
    if ready is not None:
        ready()
    server = uvicorn.Server(_config(store, log_level=log_level, tls=tls, rate_limit=rate_limit))
    if exit_on_stdin_eof:
        def watch() -> None:
            while sys.stdin.buffer.read(1024):
                pass
            server.should_exit = True

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        store.close()


@contextlib.contextmanager
def serve_in_thread(store: SandboxStore, host: str = "127.0.0.1", port: int = 0, *,
                    tls: TlsOptions | None = None, rate_limit: RateLimit | None = None,
                    rate_clock: Callable[[], float] = time.monotonic) -> Iterator[str]:
    """Serve ``store`` from a background thread; yields the base URL (``http://host:port/fhir``).
    ``rate_clock``: the seconds the rate limiter counts (tests move them by hand)."""
    sock = bind(host, port)
    server = uvicorn.Server(_config(store, tls=tls, rate_limit=rate_limit, rate_clock=rate_clock))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # not the main thread
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="sandbox", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    actual = sock.getsockname()[1]
    try:
        yield f"{'https' if tls else 'http'}://{host}:{actual}/fhir"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
