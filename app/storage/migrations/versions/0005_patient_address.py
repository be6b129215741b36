"""Ordonnancier: the patient's address (CSP R. 5132-10 asks the register to name it).

Adding a column is not an UPDATE: the append-only triggers of 0003 stay in place and fire on
nothing here. Entries written before carry "" and their hashes, which did not cover the field,
still verify (:meth:`app.domain.ordonnancier.OrdonnancierEntry.payload` hashes it only when set).

Revision ID: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ordonnancier_entry",
                  sa.Column("patient_address", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): a batch copy would lose the triggers.
    op.execute("ALTER TABLE ordonnancier_entry DROP COLUMN patient_address")
