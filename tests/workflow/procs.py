"""What the workflow's multi-process tests run in their child processes (spawned: importable functions)."""

from __future__ import annotations


def record_racer(url: str, delivery_ids: list[str], barrier, results) -> None:
    """Record each of ``delivery_ids`` (billed dispensings of the shared database), in step with the
    other racer; report the ordonnancier numbers each recording returned."""
    from app.config import load_settings
    from app.storage.counter_store import CounterStore
    from app.storage.db import make_engine, session_factory
    from app.storage.ordonnancier_keying import Protection
    from app.workflow.counter import Counter

    engine = make_engine(url)
    settings = load_settings()
    store = CounterStore(session_factory(engine), Protection.from_settings(settings))
    counter = Counter(settings=settings, store=store, catalogue=None, client=None)
    numbers = []
    for delivery_id in delivery_ids:
        d, _stage = store.load(delivery_id)
        barrier.wait(60)
        item = counter.record_locally(d)
        numbers.append([n for line in item.delivery.lines for n in line.ordonnancier_numbers])
    results.put(numbers)
    engine.dispose()
