"""Engines and sessions for any SQLAlchemy URL, and migrating to the latest schema.

SQLite (the embedded default) gets WAL mode, foreign keys and a busy timeout, and its file is created
with mode 0600 (it holds patient data). PostgreSQL is reached with psycopg 3: a plain
``postgresql://`` URL is read as ``postgresql+psycopg://``.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import N_, StorageError
from app.private_files import private_dir, tighten
from app.resources_path import package_path


def normalise_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


_OS_REASONS = {
    errno.ENOENT: N_("dossier introuvable"),
    errno.EACCES: N_("permission refusée"),
    errno.EPERM: N_("permission refusée"),
    errno.EROFS: N_("système de fichiers en lecture seule"),
    errno.ENOSPC: N_("disque plein"),
    errno.ENOTDIR: N_("un élément du chemin n'est pas un dossier"),
}


def safe_url(url: str | URL) -> str:
    """``url`` as it may be shown or logged: the password replaced by ``***``."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except ArgumentError:
        return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", str(url))
    return parsed.render_as_string(hide_password=True)


def _unreachable(url: str | URL, reason: str, exc: BaseException) -> StorageError:
    """The one French message for a database that cannot be opened, naming it without its password."""
    return StorageError(N_("Base de données inaccessible : {url} ({reason})"), detail=repr(exc),
                        values={"url": safe_url(url), "reason": reason})


def _os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def _prepare_sqlite_file(database: str | None) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    else:
        tighten(path)  # a database file left 0644 by an earlier version


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for ``url``; SQLite files are created 0600 and run in WAL mode.

    A URL that cannot be parsed, a database driver that is not installed or a SQLite file that
    cannot be created raise StorageError (French, without the password), not a traceback.
    """
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise _unreachable(url, N_("adresse de base de données invalide"), exc) from exc
    try:
        return _create(url, parsed, **kwargs)
    except OSError as exc:
        raise _unreachable(parsed, _os_reason(exc), exc) from exc
    except (ImportError, NoSuchModuleError) as exc:
        raise _unreachable(parsed, f"pilote « {parsed.drivername} » non installé", exc) from exc
    except ArgumentError as exc:
        raise _unreachable(parsed, N_("adresse de base de données invalide"), exc) from exc


def _create(url: str, parsed: URL, **kwargs) -> Engine:
    if parsed.get_backend_name() == "sqlite":
        _prepare_sqlite_file(parsed.database)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    # Alembic reads its scripts from a real folder, shipped inside this package (frozen too).
    cfg.set_main_option("script_location", str(package_path("app.storage", "migrations")))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the database to the latest schema (every branch head)."""
    try:
        command.upgrade(alembic_config(engine), "heads")
    except OperationalError as exc:
        raise _unreachable(engine.url, N_("connexion impossible ou refusée"), exc) from exc
    except SQLAlchemyError as exc:
        raise _unreachable(engine.url, N_("accès refusé ou schéma illisible"), exc) from exc
    except OSError as exc:  # SQLite: the folder became unwritable after the file was created
        raise _unreachable(engine.url, _os_reason(exc), exc) from exc


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed at the end, or rolled back on any error."""
    with factory() as session, session.begin():
        yield session


def require_existing(url: str) -> None:
    """Refuse a SQLite file that does not exist yet: commands that only read the pharmacy's records
    (the ordonnancier, the outbox) must not create an empty database at a mistyped path and then
    report it as intact."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        return  # make_engine says what is wrong with the URL
    database = parsed.database
    if (parsed.get_backend_name() == "sqlite" and database and database != ":memory:"
            and not database.startswith("file:") and not Path(database).exists()):
        raise StorageError(N_("Base de données introuvable : {database} (vérifiez --db ou le réglage database.url)"),
                           values={"database": database})


def open_database(url: str, *, must_exist: bool = False) -> tuple[Engine, sessionmaker[Session]]:
    """Engine + session factory on ``url``, migrated to the latest schema.

    ``must_exist``: refuse a SQLite file that is not there (see :func:`require_existing`).
    """
    if must_exist:
        require_existing(url)
    engine = make_engine(url)
    migrate(engine)
    return engine, session_factory(engine)
