"""The refusal triggers of the append-only tables, and the check that they are still there, unchanged.

The ordonnancier (``ordonnancier_entry``, ``_checkpoint``, ``_keying``, ``_closing``), the audit trail
(``audit_entry``, ``audit_keying``) and the users (``team_user``, never deleted) are protected in the
database by triggers that refuse to change or remove a row (migrations 0003, 0006, 0007, 0010 and
0015_secfix). The definitions expected are read from those migrations themselves (one source), and
:func:`trigger_problems` compares the database with them:

- **SQLite**: each trigger's stored ``CREATE TRIGGER`` text, whitespace aside: a trigger dropped, or
  recreated under its name with a ``WHEN 0`` or an empty body, is named. The BEFORE INSERT triggers
  of 0015 make INSERT OR REPLACE fail (it deletes the old row without firing DELETE triggers).
- **PostgreSQL**: each trigger is present, ``ENABLE ALWAYS`` (``session_replication_role = replica``
  does not skip it; plain ``ENABLE`` or ``DISABLE`` is named), fires BEFORE the same events at the
  same level, without a WHEN condition, and calls the same function, whose source is the migration's.

What this cannot do: the triggers stop whoever edits the database with ordinary SQL; the database's
owner or a superuser can drop and recreate them at will, and only the seals (HMAC with the key held
outside the database) and the witnesses outside it (anchor files, archive, exports) tell afterwards.
This check names a protection removed and not put back; put back exactly as it was, it sees nothing
(the seals still do).
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from sqlalchemy import text
from sqlalchemy.orm import Session

_VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_MIGRATIONS = ("0003_ordonnancier", "0006_ordonnancier_checkpoint", "0007_ordonnancier_key", "0010_team",
               "0015_secfix_append_only")

ORDONNANCIER_TABLES = ("ordonnancier_entry", "ordonnancier_checkpoint", "ordonnancier_keying",
                       "ordonnancier_closing")
AUDIT_TABLES = ("audit_entry", "audit_keying", "team_user")

# pg_trigger.tgtype bits (PostgreSQL's catalog/pg_trigger.h)
_ROW, _BEFORE, _INSERT, _DELETE, _UPDATE, _TRUNCATE = 1, 2, 4, 8, 16, 32
_EVENTS = {"INSERT": _INSERT, "DELETE": _DELETE, "UPDATE": _UPDATE, "TRUNCATE": _TRUNCATE}


def _flat(sql: str) -> str:
    return " ".join(sql.split())


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"comptoir_migration_{name}", _VERSIONS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class PgTrigger:
    name: str
    table: str
    tgtype: int
    function: str


_PG_TRIGGER = re.compile(r"CREATE TRIGGER (\w+) BEFORE ([A-Z ]+?) ON (\w+) FOR EACH (ROW|STATEMENT) "
                         r"EXECUTE FUNCTION (\w+)\(\)")
_PG_FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (\w+)\(\) RETURNS trigger LANGUAGE plpgsql AS \$\$(.*)\$\$",
                          re.DOTALL)
_SQLITE_TRIGGER = re.compile(r"CREATE TRIGGER (\w+) BEFORE \w+ ON (\w+)")


@cache
def expected_sqlite() -> dict[str, tuple[str, str]]:
    """trigger name -> (table, its CREATE TRIGGER text, whitespace flattened)."""
    out: dict[str, tuple[str, str]] = {}
    for name in _MIGRATIONS:
        for statement in getattr(_load(name), "SQLITE_TRIGGERS", ()):
            match = _SQLITE_TRIGGER.match(_flat(statement))
            assert match, statement
            out[match.group(1)] = (match.group(2), _flat(statement))
    return out


@cache
def expected_postgres() -> tuple[dict[str, PgTrigger], dict[str, str]]:
    """(trigger name -> what it must be, function name -> its source, whitespace flattened)."""
    triggers: dict[str, PgTrigger] = {}
    functions: dict[str, str] = {}
    for name in _MIGRATIONS:
        for statement in getattr(_load(name), "POSTGRES_TRIGGERS", ()):
            flat = _flat(statement)
            if (match := _PG_FUNCTION.match(statement.strip())) is not None:
                functions[match.group(1)] = _flat(match.group(2))
            elif (match := _PG_TRIGGER.match(flat)) is not None:
                tgtype = _BEFORE | (_ROW if match.group(4) == "ROW" else 0)
                for event in match.group(2).split(" OR "):
                    tgtype |= _EVENTS[event]
                triggers[match.group(1)] = PgTrigger(match.group(1), match.group(3), tgtype, match.group(5))
    return triggers, functions


def trigger_problems(session: Session, tables: tuple[str, ...] | set[str]) -> list[str]:
    """Names of the refusal triggers of ``tables`` that are missing, disabled or altered, each with why
    (French: « absent », « désactivé », « modifié »); empty when all are intact."""
    if session.get_bind().dialect.name == "sqlite":
        return _sqlite_problems(session, tables)
    return _postgres_problems(session, tables)


def _sqlite_problems(session: Session, tables) -> list[str]:
    stored = {row.name: row.sql for row in session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))}
    problems = []
    for name, (table, sql) in expected_sqlite().items():
        if table not in tables:
            continue
        if name not in stored:
            problems.append(f"{name} absent")
        elif _flat(stored[name] or "") != sql:
            problems.append(f"{name} modifié")
    return problems


def _postgres_problems(session: Session, tables) -> list[str]:
    triggers, functions = expected_postgres()
    found = {}
    for table in tables:
        for row in session.execute(text(
                "SELECT t.tgname, t.tgenabled, t.tgtype, t.tgqual IS NULL AS unconditional, p.proname, p.prosrc "
                "FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT t.tgisinternal AND t.tgrelid = to_regclass(:t)"), {"t": table}):
            found[(table, row.tgname)] = row
    problems = []
    for name, spec in triggers.items():
        if spec.table not in tables:
            continue
        row = found.get((spec.table, name))
        if row is None:
            problems.append(f"{name} absent")
        elif row.tgenabled != "A":
            problems.append(f"{name} désactivé" if row.tgenabled == "D" else
                            f"{name} désactivé en réplication (ENABLE ALWAYS attendu)")
        elif (int(row.tgtype) != spec.tgtype or not row.unconditional or row.proname != spec.function
              or _flat(row.prosrc or "") != functions.get(spec.function)):
            problems.append(f"{name} modifié")
    return problems
