"""The composition root: the app's services opened once, and the workflow wired to the real adapters.

Why a module of its own: the workflow knows only its ports (:mod:`app.workflow.ports`) and the UI
knows only the workflow (import contracts in pyproject.toml); this is the one place that knows both
sides — the SQLAlchemy stores, the catalogue, the service client — and plugs them together. The
window (``app.ui.startup``), the command line, the benchmarks and the tests build through it.
No Qt here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.config import Settings

if TYPE_CHECKING:  # imported where used: the window imports this module before its first paint
    from app.workflow.counter import Counter
    from app.workflow.history import DeliveryHistory
    from app.workflow.outbox import Outbox
    from app.workflow.preparation import PreparationDesk

log = logging.getLogger(__name__)


def make_counter(settings: Settings, session_factory: Any, catalogue: Any, client: Any, **options: Any) -> Counter:
    """The counter's use cases over the database of ``session_factory`` (``options``: clock, printer,
    submitter, as :class:`Counter` takes them)."""
    from app.storage.counter_store import CounterStore
    from app.storage.ordonnancier_keying import Protection
    from app.storage.preparations import PreparationStore
    from app.storage.users import Team
    from app.workflow.counter import Counter

    protection = Protection.from_settings(settings)
    store = CounterStore(session_factory, protection)
    options.setdefault("audit", Team(session_factory, protection))
    options.setdefault("preparations", PreparationStore(session_factory, protection))
    return Counter(settings=settings, store=store, catalogue=catalogue, client=client, **options)


def make_desk(counter: Counter) -> PreparationDesk:
    """The preparation queue's use cases over the counter's stores (one database, one workstation)."""
    from app.workflow.preparation import PreparationDesk

    return PreparationDesk(counter.preparations, counter.store, workstation=counter.settings.workstation_name)


def make_history(settings: Settings, session_factory: Any) -> DeliveryHistory:
    from app.storage.delivery_archive import DeliveryArchive
    from app.storage.ordonnancier_keying import Protection
    from app.storage.users import Team
    from app.workflow.history import DeliveryHistory

    return DeliveryHistory(DeliveryArchive(session_factory), settings,
                           Team(session_factory, Protection.from_settings(settings)))


def make_outbox(session_factory: Any, client: Any, clock: Callable[[], datetime] = datetime.now) -> Outbox:
    from app.storage.counter_store import CounterStore
    from app.workflow.outbox import Outbox

    return Outbox(CounterStore(session_factory), client, clock)


@dataclass
class Services:
    """What the screens work with, built once at start and handed to them (no global window)."""

    settings: Settings
    engine: Any
    session_factory: Any
    catalogue: Any  # app.catalogue.Catalogue
    client: Any = None  # app.eprescription.EPrescriptionClient, None when not configured
    counter: Counter | None = None
    history: DeliveryHistory | None = None
    team: Any = None  # app.storage.users.Team: signing in, the audit trail
    desk: PreparationDesk | None = None  # the preparation queue
    notifier: Any = None  # app.storage.notify.Notifier, started by the window that listens
    claims: Any = None  # app.storage.workstation_claims.WorkstationClaims: this window's open ordonnances

    def close(self) -> None:
        if self.notifier is not None:
            self.notifier.stop()
        for resource in (self.client, self.engine):
            closer = getattr(resource, "close", None) or getattr(resource, "dispose", None)
            if closer is not None:
                try:
                    closer()
                except Exception:  # noqa: BLE001 - closing at exit must not raise
                    log.warning("closing %s failed", type(resource).__name__, exc_info=True)


def build_services(settings: Settings, progress: Callable[[int, int, str], None] | None = None) -> Services:
    """Open and migrate the database, import the bundled catalogue if empty, build the client and
    the use cases. Slow: the window runs it on its database worker; ``progress(done, total,
    message)`` reports the catalogue import."""
    from app.catalogue import Catalogue, ensure_bundled_catalogue
    from app.eprescription import EPrescriptionClient
    from app.storage.db import open_database
    from app.storage.ordonnancier import close_previous_days
    from app.storage.ordonnancier_keying import Protection

    engine, factory = open_database(settings.db_url)
    ensure_bundled_catalogue(factory, progress=progress)
    close_previous_days(factory, Protection.from_settings(settings))  # never raises: logged
    catalogue = Catalogue(factory)
    client = EPrescriptionClient.from_settings(settings)
    counter = make_counter(settings, factory, catalogue, client)
    from app.storage.notify import Notifier
    from app.storage.workstation_claims import WorkstationClaims

    return Services(settings=settings, engine=engine, session_factory=factory, catalogue=catalogue, client=client,
                    counter=counter, history=make_history(settings, factory), team=counter.audit,
                    desk=make_desk(counter), notifier=Notifier(settings.db_url),
                    claims=WorkstationClaims(factory, workstation=settings.workstation_name))
