"""Local storage: SQLAlchemy 2 typed ORM, Alembic migrations, SQLite by default, PostgreSQL by URL."""
