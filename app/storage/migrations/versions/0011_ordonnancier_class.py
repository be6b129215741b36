"""Ordonnancier: each entry's list class (liste I, liste II, stupéfiant, assimilé stupéfiant) and, for a
stupéfiant, the bearer's identity when not the patient (CSP R. 5132-10, R. 5132-35).

Adding columns is not an UPDATE: the append-only triggers of 0003 stay in place and fire on nothing
here. Entries written before carry "" and their hashes, which did not cover the fields, still verify
(:meth:`app.domain.ordonnancier.OrdonnancierEntry.payload` hashes them only when set).

Revision ID: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ordonnancier_entry", sa.Column("list_class", sa.String(40), nullable=False, server_default=""))
    op.add_column("ordonnancier_entry", sa.Column("bearer", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): a batch copy would lose the triggers.
    op.execute("ALTER TABLE ordonnancier_entry DROP COLUMN bearer")
    op.execute("ALTER TABLE ordonnancier_entry DROP COLUMN list_class")
