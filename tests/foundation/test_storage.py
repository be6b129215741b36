import os
import stat

import sqlalchemy as sa

from app.storage.db import make_engine, migrate, normalise_url, open_database, transaction
from app.storage.models.meta import MetaEntry


def test_migrates_and_round_trips(db_url):
    engine, factory = open_database(db_url)
    with transaction(factory) as session:
        session.add(MetaEntry(key="k", value="v"))
    with factory() as session:
        assert session.get(MetaEntry, "k").value == "v"
    migrate(engine)  # idempotent
    tables = set(sa.inspect(engine).get_table_names())
    assert {"app_meta", "alembic_version"} <= tables
    engine.dispose()


def test_transaction_rolls_back_on_error(db_url):
    engine, factory = open_database(db_url)
    try:
        with transaction(factory) as session:
            session.add(MetaEntry(key="gone", value="v"))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with factory() as session:
        assert session.get(MetaEntry, "gone") is None
    engine.dispose()


def test_sqlite_file_private_and_wal(tmp_path):
    path = tmp_path / "sub" / "c.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    engine.dispose()


def test_plain_postgresql_url_uses_psycopg3():
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x") == "sqlite:///x"
