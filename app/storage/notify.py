"""Live shared state: tell the pharmacy's other workstations that something changed, within a second.

A writer calls :func:`publish` inside its own transaction: the event leaves only if the transaction
commits, and then reaches every :class:`Listener` of the pharmacy's database, in its own thread, as
an :class:`Event` handed to a callback (the UI turns it into a Qt signal and reloads what changed
from the database: an event says *what* changed, never the whole new state).

- **PostgreSQL**: ``pg_notify`` in the writer's transaction (delivered at commit), and a listener on
  a dedicated psycopg connection in autocommit, in its own thread, waiting with
  ``Connection.notifies(timeout=…)`` so that it can stop. Channels are named after the database
  schema (``<schema>.queue``), so two pharmacies in two schemas of one server do not hear each
  other. A dropped connection (server restarted, cable pulled: TCP keepalives and a periodic
  ``SELECT 1`` notice it) is reported (:class:`ListenerStatus`) and retried with a growing delay;
  once back, the status says ``resumed``: events may have been missed, reload everything.
- **SQLite** (one workstation, or several processes on one machine): the event is a row of
  ``team_event``, whose id only grows; the listener polls for rows after the last id it saw every
  half second. Only the last :data:`KEEP_EVENTS` rows are kept.

Channels (:data:`CHANNELS`): ``queue`` (preparation queue), ``claims`` (who has which ordonnance
open), ``deliveries``, ``users``. Payloads are small JSON objects of ids, never patient data (checked
like the audit trail's details).
"""

from __future__ import annotations

import enum
import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.audit import check_details
from app.storage.db import make_engine, normalise_url, safe_url
from app.storage.models.team import TeamEventRow

log = logging.getLogger(__name__)

CHANNELS = ("queue", "claims", "deliveries", "users")
KEEP_EVENTS = 10_000  # SQLite: events kept for readers that fell behind
_PRUNE_EVERY = 100


@dataclass(frozen=True)
class Event:
    channel: str
    payload: dict[str, object]
    id: int | None = None  # SQLite: the row id; PostgreSQL: None


class ListenerState(enum.Enum):
    CONNECTING = "connecting"
    LISTENING = "listening"
    DISCONNECTED = "disconnected"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ListenerStatus:
    """What the listener is doing, for a status bar. ``resumed``: listening again after a break, so
    events may have been missed and the screen should reload. ``message``: French."""

    state: ListenerState
    message: str = ""
    resumed: bool = False


def _check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r} (one of {', '.join(CHANNELS)})")
    return channel


def publish(session: Session, channel: str, payload: Mapping[str, object] | None = None) -> None:
    """Tell the other workstations that ``channel`` changed, when ``session``'s transaction commits."""
    body = check_details(payload)  # JSON, small, no patient data
    _check_channel(channel)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(current_schema() || '.' || :channel, :payload)"),
                        {"channel": channel, "payload": body})
        return
    new_id = session.execute(insert(TeamEventRow).values(
        channel=channel, payload=body, created_at=datetime.now(UTC).replace(tzinfo=None))).inserted_primary_key[0]
    if new_id % _PRUNE_EVERY == 0:
        session.execute(delete(TeamEventRow).where(TeamEventRow.id <= new_id - KEEP_EVENTS))


def _decode(channel: str, body: str, event_id: int | None = None) -> Event | None:
    try:
        payload = json.loads(body) if body else {}
    except ValueError:
        log.warning("event on %s with a payload that is not JSON ignored", channel)
        return None
    return Event(channel, payload if isinstance(payload, dict) else {"value": payload}, event_id)


class Listener:
    """Delivers the events of ``channels`` to ``on_event`` from its own thread, and its status changes
    to ``on_status``. A callback that raises is logged; the listener goes on."""

    def __init__(self, channels: Iterable[str], on_event: Callable[[Event], None],
                 on_status: Callable[[ListenerStatus], None] | None = None) -> None:
        self.channels = tuple(_check_channel(c) for c in channels)
        self._on_event = on_event
        self._on_status = on_status
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.status = ListenerStatus(ListenerState.STOPPED)

    def start(self) -> Listener:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._guarded_run, name=f"comptoir-{type(self).__name__}",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> Listener:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _guarded_run(self) -> None:
        try:
            self._run()
        except BaseException:  # noqa: BLE001 - reported; a bug here must not pass silently
            log.exception("listener %s stopped by an unexpected error", type(self).__name__)
            self._report(ListenerStatus(ListenerState.STOPPED, "Mises à jour en direct arrêtées (erreur interne)"))
            raise
        self._report(ListenerStatus(ListenerState.STOPPED))

    def _run(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _report(self, status: ListenerStatus) -> None:
        self.status = status
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # noqa: BLE001 - a subscriber's bug must not stop the listener
                log.exception("listener status callback failed")

    def _deliver(self, event: Event | None) -> None:
        if event is None or event.channel not in self.channels:
            return
        try:
            self._on_event(event)
        except Exception:  # noqa: BLE001 - a subscriber's bug must not stop the listener
            log.exception("listener callback failed on %s", event.channel)


@dataclass(frozen=True)
class Backoff:
    """Delays between reconnection attempts: ``first``, doubled each time, at most ``longest``."""

    first: float = 0.5
    longest: float = 30.0

    def delay(self, attempt: int) -> float:
        return min(self.first * (2 ** max(attempt - 1, 0)), self.longest)


def psycopg_params(url: str) -> dict[str, object]:
    """libpq connection parameters of a SQLAlchemy PostgreSQL URL (query options such as
    ``options=-csearch_path=…`` kept), with TCP keepalives so that a pulled cable is noticed."""
    parsed = make_url(normalise_url(url))
    params: dict[str, object] = dict(parsed.translate_connect_args(username="user", database="dbname"))
    params.update(parsed.query)
    # keepalives: an idle connection whose cable was pulled is noticed in about 25 s; tcp_user_timeout:
    # so is one with a query outstanding (the heartbeat), instead of the system's retransmission timeout.
    for name, value in (("connect_timeout", 5), ("keepalives", 1), ("keepalives_idle", 10),
                        ("keepalives_interval", 5), ("keepalives_count", 3), ("tcp_user_timeout", 20_000)):
        params.setdefault(name, value)
    return params


class PostgresListener(Listener):
    """LISTEN on a dedicated connection (see the module's doc). ``poll`` bounds how long the thread
    waits before looking at its stop flag; ``heartbeat``: seconds without a notification before a
    ``SELECT 1`` checks the connection."""

    def __init__(self, url: str, channels: Iterable[str], on_event: Callable[[Event], None],
                 on_status: Callable[[ListenerStatus], None] | None = None, *, backoff: Backoff = Backoff(),
                 poll: float = 0.5, heartbeat: float = 15.0) -> None:
        super().__init__(channels, on_event, on_status)
        self._params = psycopg_params(url)
        self._where = safe_url(normalise_url(url))
        self._backoff, self._poll, self._heartbeat = backoff, poll, heartbeat
        self.backend_pid: int | None = None

    def _run(self) -> None:
        import psycopg
        from psycopg import sql

        failures = 0
        while not self._stop.is_set():
            self._report(ListenerStatus(ListenerState.CONNECTING, "Connexion au serveur de la pharmacie…"))
            try:
                with psycopg.connect(**self._params, autocommit=True) as conn:
                    schema = conn.execute("SELECT current_schema()").fetchone()[0]
                    for channel in self.channels:
                        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(f"{schema}.{channel}")))
                    self.backend_pid = conn.info.backend_pid
                    self._report(ListenerStatus(ListenerState.LISTENING, "Mises à jour en direct actives",
                                                resumed=failures > 0))
                    failures = 0
                    self._listen(conn, f"{schema}.")
            except psycopg.Error as exc:
                failures += 1
                delay = self._backoff.delay(failures)
                log.warning("listener on %s lost (%s: %s); retry in %.1f s", self._where, type(exc).__name__,
                            str(exc).strip()[:200], delay)
                self._report(ListenerStatus(
                    ListenerState.DISCONNECTED, "Serveur de la pharmacie injoignable : mises à jour en direct "
                    f"suspendues, nouvel essai dans {delay:.0f} s"))
                self._stop.wait(delay)
            finally:
                self.backend_pid = None

    def _listen(self, conn, prefix: str) -> None:
        quiet = 0.0
        while not self._stop.is_set():
            heard = False
            for note in conn.notifies(timeout=self._poll):
                heard = True
                if note.channel.startswith(prefix):
                    self._deliver(_decode(note.channel[len(prefix):], note.payload))
            quiet = 0.0 if heard else quiet + self._poll
            if quiet >= self._heartbeat:
                conn.execute("SELECT 1")
                quiet = 0.0


class PollingListener(Listener):
    """Reads ``team_event`` every ``interval`` seconds (SQLite; see the module's doc)."""

    def __init__(self, url_or_engine: str | Engine, channels: Iterable[str], on_event: Callable[[Event], None],
                 on_status: Callable[[ListenerStatus], None] | None = None, *, interval: float = 0.5) -> None:
        super().__init__(channels, on_event, on_status)
        self._owns_engine = isinstance(url_or_engine, str)
        self._engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
        self._interval = interval
        self.last_id: int | None = None

    def poll_once(self) -> list[Event]:
        """Deliver the events written since the last poll (the first poll only notes where the trail
        of events is: what happened before the listener started is not replayed); return them."""
        with self._engine.connect() as conn:
            if self.last_id is None:
                self.last_id = conn.execute(select(func.coalesce(func.max(TeamEventRow.id), 0))).scalar_one()
                return []
            rows = conn.execute(select(TeamEventRow.id, TeamEventRow.channel, TeamEventRow.payload)
                                .where(TeamEventRow.id > self.last_id, TeamEventRow.channel.in_(self.channels))
                                .order_by(TeamEventRow.id)).all()
            oldest = None
            if rows and rows[0].id > self.last_id + 1:  # other channels' events, or pruned ones?
                oldest = conn.execute(select(func.min(TeamEventRow.id))).scalar()
        if oldest is not None and oldest > self.last_id + 1:
            self._report(ListenerStatus(ListenerState.LISTENING, "Des mises à jour ont été perdues : rechargement",
                                        resumed=True))
        events = []
        for row in rows:
            event = _decode(row.channel, row.payload, row.id)
            self.last_id = row.id
            if event is not None:
                events.append(event)
                self._deliver(event)
        return events

    def _run(self) -> None:
        failures = 0
        try:
            while not self._stop.is_set():
                try:
                    self.poll_once()
                    if failures or self.status.state is not ListenerState.LISTENING:
                        self._report(ListenerStatus(ListenerState.LISTENING, "Mises à jour en direct actives",
                                                    resumed=failures > 0))
                    failures = 0
                except SQLAlchemyError as exc:
                    failures += 1
                    log.warning("event polling failed (%s)", type(exc).__name__, exc_info=True)
                    self._report(ListenerStatus(ListenerState.DISCONNECTED, "Base de données injoignable : mises "
                                                                            "à jour en direct suspendues"))
                self._stop.wait(self._interval)
        finally:
            if self._owns_engine:
                self._engine.dispose()


def listener_for(url: str, channels: Iterable[str], on_event: Callable[[Event], None],
                 on_status: Callable[[ListenerStatus], None] | None = None, **options) -> Listener:
    """The listener that suits the database at ``url``: LISTEN/NOTIFY on PostgreSQL, polling elsewhere."""
    if make_url(normalise_url(url)).get_backend_name() == "postgresql":
        return PostgresListener(url, channels, on_event, on_status, **options)
    return PollingListener(url, channels, on_event, on_status, **options)


class Notifier:
    """One listener for the app, and its subscribers per channel: ``subscribe("queue", callback)``
    returns a function that unsubscribes. Callbacks run on the listener's thread (the UI hands them
    to the GUI thread). ``publish`` is :func:`publish`."""

    publish = staticmethod(publish)

    def __init__(self, url: str, channels: Iterable[str] = CHANNELS, **options) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[Callable[[Event], None]]] = {c: [] for c in channels}
        self._status_subscribers: list[Callable[[ListenerStatus], None]] = []
        self.listener = listener_for(url, tuple(self._subscribers), self._dispatch, self._status, **options)

    def subscribe(self, channel: str, callback: Callable[[Event], None]) -> Callable[[], None]:
        with self._lock:
            self._subscribers[_check_channel(channel)].append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers[channel]:
                    self._subscribers[channel].remove(callback)
        return unsubscribe

    def on_status(self, callback: Callable[[ListenerStatus], None]) -> None:
        with self._lock:
            self._status_subscribers.append(callback)

    def start(self) -> Notifier:
        self.listener.start()
        return self

    def stop(self) -> None:
        self.listener.stop()

    def _dispatch(self, event: Event) -> None:
        with self._lock:
            callbacks = list(self._subscribers.get(event.channel, ()))
        for callback in callbacks:
            try:
                callback(event)
            except Exception:  # noqa: BLE001 - one subscriber's bug does not starve the others
                log.exception("subscriber of %s failed", event.channel)

    def _status(self, status: ListenerStatus) -> None:
        with self._lock:
            callbacks = list(self._status_subscribers)
        for callback in callbacks:
            try:
                callback(status)
            except Exception:  # noqa: BLE001
                log.exception("status subscriber failed")
