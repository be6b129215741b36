"""What the team's multi-process tests run in their child processes (spawned: importable functions)."""

from __future__ import annotations

from pathlib import Path


def _factory(url: str):
    from app.storage.db import make_engine, session_factory

    engine = make_engine(url)
    return engine, session_factory(engine)


def audit_writer(url: str, key_dir: str, name: str, count: int, barrier) -> None:
    """Record ``count`` actions as workstation ``name`` (the pharmacy's key read from ``key_dir``)."""
    from app.domain.audit import AuditAction
    from app.domain.team import Actor, Role
    from app.register_key_store import RegisterKeyStore
    from app.storage import audit
    from app.storage.db import transaction
    from app.storage.ordonnancier_anchors import AnchorFile
    from app.storage.ordonnancier_keying import Protection

    engine, factory = _factory(url)
    station = Protection(RegisterKeyStore("file", Path(key_dir)), AnchorFile(Path(key_dir) / f"{name}.jsonl"), name)
    actor = Actor(1, "Marie Curie", Role.TITULAIRE, "10000000009", name)
    barrier.wait(60)
    for i in range(count):
        with transaction(factory) as session:
            audit.record(session, AuditAction.SCAN, actor, protection=station, object_ref=f"{name}-{i}")
    engine.dispose()


def claim_racer(url: str, holder: str, numbers: list[str], barrier, results) -> None:
    """Open each of ``numbers`` as ``holder``, in step with the other racer; report who won."""
    from app.storage.workstation_claims import WorkstationClaims

    engine, factory = _factory(url)
    claims = WorkstationClaims(factory, workstation=holder, holder=holder)
    won = []
    for number in numbers:
        barrier.wait(60)
        won.append(claims.open(number, None).granted)
    results.put((holder, won))
    engine.dispose()


def publisher(url: str, channel: str, payload: dict, ready, go) -> None:
    """Publish one event on ``channel`` once told to (the listener of the other process is up)."""
    from app.storage.db import transaction
    from app.storage.notify import publish

    engine, factory = _factory(url)
    ready.set()
    go.wait(60)
    with transaction(factory) as session:
        publish(session, channel, payload)
    engine.dispose()
