"""Fixtures of the team's tests: a database (SQLite and PostgreSQL), this workstation's protection
(key folder, name, clock) and the team's use cases with light Argon2 parameters."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from app.domain.team import Role
from app.storage.db import open_database
from app.storage.users import Team
from tests.ordonnancier.protect import Clock, pg_triggers_aside, workstation

TITULAIRE_RPPS = "10000000009"
ADJOINT_RPPS = "10000000017"
PREPARATEUR_RPPS = "10000000025"


def light_hasher() -> PasswordHasher:
    """Argon2id still, with parameters that keep a test run short (the app uses the defaults)."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def db(db_url):
    engine, factory = open_database(db_url)
    yield engine, factory
    engine.dispose()


@pytest.fixture
def station(tmp_path, clock):
    return workstation(tmp_path, "POSTE-A", clock)


def server_clock(clock):
    """The database's clock following the test's ``clock`` (lockouts are timed by the database)."""
    from datetime import UTC

    return lambda session: clock().astimezone(UTC).replace(tzinfo=None, microsecond=0)


@pytest.fixture
def team(db, station, clock):
    return Team(db[1], station, hasher=light_hasher(), server_clock=server_clock(clock))


@pytest.fixture
def staff(team):
    """A pharmacy set up: titulaire (PIN 2580), adjoint (3691), préparateur (4826), étudiant (7315)."""
    titulaire = team.create_first_titulaire("Marie Curie", TITULAIRE_RPPS, "2580")
    boss = team.login(titulaire.id, "2580")
    adjoint = team.add_user(boss, "Louis Pasteur", Role.ADJOINT, ADJOINT_RPPS, "3691")
    preparateur = team.add_user(boss, "Jean Prép", Role.PREPARATEUR, None, "4826")
    etudiant = team.add_user(boss, "Eva Étudiante", Role.ETUDIANT, None, "7315")
    return {"titulaire": titulaire, "adjoint": adjoint, "preparateur": preparateur, "etudiant": etudiant,
            "boss": boss}


def behind_triggers(engine, *statements: str) -> None:
    """Edit the database as an intruder with full access would: every refusal trigger out of the way."""
    import sqlalchemy as sa

    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            for name in conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all():
                conn.execute(sa.text(f'DROP TRIGGER "{name}"'))
        for statement in pg_triggers_aside(conn, statements):
            conn.execute(sa.text(statement))
