"""The preparation queue: when the one preparing took it (``taken_at``), so that a counter scanning an
ordonnance in preparation reads who prepares it and since when (app.ui.team.at_counter).

Revision ID: 0016_taken_at
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_taken_at"
down_revision = "0015_secfix"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("preparation", sa.Column("taken_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("preparation") as batch:
        batch.drop_column("taken_at")
