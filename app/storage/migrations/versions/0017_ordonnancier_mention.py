"""Ordonnancier: a mention of how the product was dispensed, registered with its entry — the
dispensation supplémentaire exceptionnelle of an expired ordonnance (art. L.5125-23-1 CSP), which the
register shows beside the product it concerns.

Adding a column is not an UPDATE: the append-only triggers stay in place and fire on nothing here.
Entries written before carry "" and their hashes, which did not cover the field, still verify
(:meth:`app.domain.ordonnancier.OrdonnancierEntry.payload` hashes it only when set).

Revision ID: 0017_mention
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_mention"
down_revision = "0016_taken_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ordonnancier_entry", sa.Column("mention", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): a batch copy would lose the triggers.
    op.execute("ALTER TABLE ordonnancier_entry DROP COLUMN mention")
