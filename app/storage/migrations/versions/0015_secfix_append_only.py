"""Append-only tables: close the two ways around their refusal triggers.

- **SQLite, INSERT OR REPLACE** (and REPLACE INTO, and ``INSERT … ON CONFLICT REPLACE``): to make
  room for the new row, SQLite deletes the old one *without firing the DELETE triggers* (they fire
  only with ``PRAGMA recursive_triggers = ON``, off by default and per connection). A row of the
  register or of the audit trail could so be swapped for another. A BEFORE INSERT trigger per table
  now refuses an insert that would collide with an existing row (its primary key, or for
  ``team_user`` its badge too: REPLACE would otherwise delete another user, whom DELETE protects).
- **PostgreSQL, session_replication_role = replica**: ordinary (``ENABLE``) triggers do not fire in
  a session in that role, which any superuser (and, on a managed server, the replication role) can
  set. The refusal triggers are now ``ENABLE ALWAYS``: they fire in every role.

And ``team_user.version``: raised by each change an administrator makes, so that two of them editing
one user from two workstations do not silently overwrite each other (app/storage/users.py).

``verify`` (ordonnancier and audit) checks every refusal trigger is there with its original
definition and, on PostgreSQL, still ALWAYS (app/storage/append_only.py).

Revision ID: 0015_secfix
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_secfix"
# It needs the register's tables (0007) and the team's (0010): it joins the two branches (a
# ``depends_on`` would leave 0010 a head in the scripts but not in the database's alembic_version).
down_revision = ("0011", "0012")
branch_labels = None
depends_on = None

REPLACE_REFUSAL = "table en ajout seul : une ligne existante ne peut pas être remplacée"

# table -> the condition that makes an insert collide with an existing row
_COLLISIONS = {
    "ordonnancier_entry": "EXISTS (SELECT 1 FROM ordonnancier_entry WHERE number = NEW.number)",
    "ordonnancier_checkpoint": "EXISTS (SELECT 1 FROM ordonnancier_checkpoint WHERE seq = NEW.seq)",
    "ordonnancier_keying": "EXISTS (SELECT 1 FROM ordonnancier_keying WHERE id = NEW.id)",
    "ordonnancier_closing": "EXISTS (SELECT 1 FROM ordonnancier_closing WHERE seq = NEW.seq)",
    "audit_entry": "EXISTS (SELECT 1 FROM audit_entry WHERE seq = NEW.seq)",
    "audit_keying": "EXISTS (SELECT 1 FROM audit_keying WHERE id = NEW.id)",
    "team_user": "EXISTS (SELECT 1 FROM team_user WHERE id = NEW.id OR "
                 "(NEW.badge_hash IS NOT NULL AND badge_hash = NEW.badge_hash))",
}

SQLITE_TRIGGERS = tuple(
    f"""CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table}
        WHEN {condition}
        BEGIN SELECT RAISE(ABORT, '{REPLACE_REFUSAL}'); END"""
    for table, condition in _COLLISIONS.items())

# Every refusal trigger of migrations 0003, 0006, 0007 and 0010 on PostgreSQL.
POSTGRES_ALWAYS = (
    ("ordonnancier_entry", "ordonnancier_no_change"), ("ordonnancier_entry", "ordonnancier_no_truncate"),
    ("ordonnancier_checkpoint", "ordonnancier_checkpoint_no_change"),
    ("ordonnancier_checkpoint", "ordonnancier_checkpoint_no_truncate"),
    ("ordonnancier_keying", "ordonnancier_keying_no_change"), ("ordonnancier_keying", "ordonnancier_keying_no_truncate"),
    ("ordonnancier_closing", "ordonnancier_closing_no_change"),
    ("ordonnancier_closing", "ordonnancier_closing_no_truncate"),
    ("audit_entry", "audit_entry_no_change"), ("audit_entry", "audit_entry_no_truncate"),
    ("audit_keying", "audit_keying_no_change"), ("audit_keying", "audit_keying_no_truncate"),
    ("team_user", "team_user_no_delete"), ("team_user", "team_user_no_truncate"),
)
POSTGRES_TRIGGERS = tuple(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}" for table, name in POSTGRES_ALWAYS)


def upgrade() -> None:
    op.add_column("team_user", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _COLLISIONS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        with op.batch_alter_table("team_user") as batch:
            batch.drop_column("version")
        return
    else:
        for table, name in POSTGRES_ALWAYS:
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
        op.drop_column("team_user", "version")
