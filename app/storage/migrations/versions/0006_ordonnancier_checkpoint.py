"""Ordonnancier: an append-only checkpoint of the register's head (last number and hash).

Why: the hash chain proves that no entry was edited and none removed from the middle, but the LAST
entries can be deleted (with the refusal triggers out of the way) and the chain left still verifies.
Each write to the register now also appends its new head here, in the same transaction; verifying
checks that the register still reaches the last checkpoint, with the same hash. This table is
protected by the same triggers as the register, so removing entries undetected takes two tables
tampered with instead of one.

Revision ID: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

REFUSAL = "ordonnancier : point de contrôle non modifiable"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER ordonnancier_checkpoint_no_update BEFORE UPDATE ON ordonnancier_checkpoint
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER ordonnancier_checkpoint_no_delete BEFORE DELETE ON ordonnancier_checkpoint
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
)

POSTGRES_TRIGGERS = (
    # ordonnancier_refuse() comes from 0003: it raises for any UPDATE, DELETE or TRUNCATE.
    """CREATE TRIGGER ordonnancier_checkpoint_no_change BEFORE UPDATE OR DELETE ON ordonnancier_checkpoint
        FOR EACH ROW EXECUTE FUNCTION ordonnancier_refuse()""",
    """CREATE TRIGGER ordonnancier_checkpoint_no_truncate BEFORE TRUNCATE ON ordonnancier_checkpoint
        FOR EACH STATEMENT EXECUTE FUNCTION ordonnancier_refuse()""",
)


def upgrade() -> None:
    op.create_table(
        "ordonnancier_checkpoint",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_ordonnancier_checkpoint_number", "ordonnancier_checkpoint", ["number"])
    # A register written before this revision: its current head is the first checkpoint.
    op.execute("""INSERT INTO ordonnancier_checkpoint (number, hash, recorded_at)
                  SELECT number, hash, recorded_at FROM ordonnancier_entry
                  WHERE number = (SELECT MAX(number) FROM ordonnancier_entry)""")
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ordonnancier_checkpoint_no_truncate ON ordonnancier_checkpoint")
        op.execute("DROP TRIGGER IF EXISTS ordonnancier_checkpoint_no_change ON ordonnancier_checkpoint")
    op.drop_table("ordonnancier_checkpoint")
