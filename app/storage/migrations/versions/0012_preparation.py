"""The preparation queue: ordonnances sent by a counter to preparation, and their pharmaceutical
validation (app.domain.preparation).

Revision ID: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preparation",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("delivery_id", sa.String(64), nullable=False, unique=True),
        sa.Column("ordonnance_number", sa.String(40), nullable=False),
        sa.Column("patient", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sent_by", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("workstation", sa.String(100), nullable=False),
        sa.Column("prepared_by", sa.Text(), nullable=True),
        sa.Column("ready_at", sa.DateTime(), nullable=True),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("validated_by", sa.Text(), nullable=True),
        sa.Column("validated_at", sa.DateTime(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_preparation_ordonnance_number", "preparation", ["ordonnance_number"])
    op.create_index("ix_preparation_state", "preparation", ["state"])


def downgrade() -> None:
    op.drop_table("preparation")
