"""Ordonnancier: the switch to a keyed chain, and the daily closings.

``ordonnancier_keying`` holds one row: the number of the last entry sealed without a key (entries
written before this revision: their SHA-256 chain keeps verifying) and that entry's seal. The first
keyed write fills in the key id and seals the row with the key; from then on the row cannot change
(triggers), so the unkeyed part cannot be rewritten afterwards either. The row is written here, for
an empty register too (0): a register without it has been tampered with.

``ordonnancier_closing`` holds the daily closings (the head of the register at the end of each day,
sealed with the key), append-only like the register; each is also written to the closing
workstation's anchor file, outside the database.

Revision ID: 0007
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
KEYING_REFUSAL = "ordonnancier : point de départ de la clé non modifiable"
CLOSING_REFUSAL = "ordonnancier : clôture non modifiable"

SQLITE_TRIGGERS = (
    # Only the one sealing of a row not sealed yet, without touching what the migration recorded.
    f"""CREATE TRIGGER ordonnancier_keying_no_update BEFORE UPDATE ON ordonnancier_keying
        WHEN OLD.mac IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.legacy_last IS NOT OLD.legacy_last
             OR NEW.legacy_head IS NOT OLD.legacy_head OR NEW.created_at IS NOT OLD.created_at
        BEGIN SELECT RAISE(ABORT, '{KEYING_REFUSAL}'); END""",
    f"""CREATE TRIGGER ordonnancier_keying_no_delete BEFORE DELETE ON ordonnancier_keying
        BEGIN SELECT RAISE(ABORT, '{KEYING_REFUSAL}'); END""",
    f"""CREATE TRIGGER ordonnancier_closing_no_update BEFORE UPDATE ON ordonnancier_closing
        BEGIN SELECT RAISE(ABORT, '{CLOSING_REFUSAL}'); END""",
    f"""CREATE TRIGGER ordonnancier_closing_no_delete BEFORE DELETE ON ordonnancier_closing
        BEGIN SELECT RAISE(ABORT, '{CLOSING_REFUSAL}'); END""",
)

POSTGRES_TRIGGERS = (
    f"""CREATE OR REPLACE FUNCTION ordonnancier_keying_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.mac IS NULL AND NEW.id = OLD.id AND NEW.legacy_last = OLD.legacy_last
               AND NEW.legacy_head = OLD.legacy_head AND NEW.created_at = OLD.created_at THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '{KEYING_REFUSAL} (%)', TG_OP;
        END $$""",
    """CREATE TRIGGER ordonnancier_keying_no_change BEFORE UPDATE OR DELETE ON ordonnancier_keying
        FOR EACH ROW EXECUTE FUNCTION ordonnancier_keying_guard()""",
    # ordonnancier_refuse() comes from 0003: it raises for any UPDATE, DELETE or TRUNCATE.
    """CREATE TRIGGER ordonnancier_keying_no_truncate BEFORE TRUNCATE ON ordonnancier_keying
        FOR EACH STATEMENT EXECUTE FUNCTION ordonnancier_refuse()""",
    """CREATE TRIGGER ordonnancier_closing_no_change BEFORE UPDATE OR DELETE ON ordonnancier_closing
        FOR EACH ROW EXECUTE FUNCTION ordonnancier_refuse()""",
    """CREATE TRIGGER ordonnancier_closing_no_truncate BEFORE TRUNCATE ON ordonnancier_closing
        FOR EACH STATEMENT EXECUTE FUNCTION ordonnancier_refuse()""",
)


def upgrade() -> None:
    keying = op.create_table(
        "ordonnancier_keying",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("legacy_last", sa.Integer(), nullable=False),
        sa.Column("legacy_head", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=True),
        sa.Column("workstation", sa.String(100), nullable=True),
        sa.Column("sealed_at", sa.DateTime(), nullable=True),
        sa.Column("mac", sa.String(64), nullable=True),
        sa.CheckConstraint("id = 1", name="single_row"),
    )
    op.create_table(
        "ordonnancier_closing",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("register", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(64), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("workstation", sa.String(100), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_index("ix_ordonnancier_closing_day", "ordonnancier_closing", ["day"])
    bind = op.get_bind()
    head = bind.execute(sa.text("SELECT number, hash FROM ordonnancier_entry "
                                "ORDER BY number DESC LIMIT 1")).first()
    op.bulk_insert(keying, [{
        "id": 1, "legacy_last": head.number if head else 0, "legacy_head": head.hash if head else GENESIS,
        "created_at": datetime.now(UTC).replace(tzinfo=None, microsecond=0),
    }])
    for statement in SQLITE_TRIGGERS if bind.dialect.name == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table in (("ordonnancier_closing_no_truncate", "ordonnancier_closing"),
                               ("ordonnancier_closing_no_change", "ordonnancier_closing"),
                               ("ordonnancier_keying_no_truncate", "ordonnancier_keying"),
                               ("ordonnancier_keying_no_change", "ordonnancier_keying")):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ordonnancier_keying_guard()")
    op.drop_table("ordonnancier_closing")
    op.drop_table("ordonnancier_keying")
