"""Migration 0010 builds exactly the tables the models describe (on SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.storage.base import Base

TEAM_TABLES = {"team_user", "audit_entry", "audit_keying", "team_event", "workstation_claim"}


def _touches_team(diff) -> bool:
    items = diff if isinstance(diff, list) else [diff]
    for item in items:
        for part in item:
            name = getattr(part, "name", None) or getattr(getattr(part, "table", None), "name", None)
            if name in TEAM_TABLES or getattr(getattr(part, "table", None), "name", None) in TEAM_TABLES:
                return True
            if isinstance(part, str) and part in TEAM_TABLES:
                return True
    return False


def test_migration_matches_the_models(db):
    engine, _ = db
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, Base.metadata) if _touches_team(d)]
    assert diffs == []


def test_the_team_branch_has_its_label():
    from alembic.script import ScriptDirectory

    from app.storage.db import alembic_config, make_engine

    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    revision = script.get_revision("team")
    assert (revision.revision, revision.down_revision) == ("0010", "0001")
