"""Alembic environment: the engine is handed over by ``app.storage.db.migrate``."""

from __future__ import annotations

from alembic import context

import app.storage.models  # noqa: F401  (registers every table on Base.metadata)
from app.storage.base import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` command line: build one from the URL in the config
    from app.storage.db import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url"))

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
