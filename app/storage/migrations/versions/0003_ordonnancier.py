"""Ordonnancier (append-only, hash-chained register) and delivery archive.

The database itself refuses UPDATE and DELETE on the register (and TRUNCATE on PostgreSQL): a
correction is a new entry referencing the old one.

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = ("ordonnancier",)
depends_on = None

REFUSAL = "ordonnancier : écriture non modifiable (ajoutez une rectification)"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER ordonnancier_no_update BEFORE UPDATE ON ordonnancier_entry
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER ordonnancier_no_delete BEFORE DELETE ON ordonnancier_entry
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
)

POSTGRES_TRIGGERS = (
    f"""CREATE OR REPLACE FUNCTION ordonnancier_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{REFUSAL} (%)', TG_OP; END $$""",
    """CREATE TRIGGER ordonnancier_no_change BEFORE UPDATE OR DELETE ON ordonnancier_entry
        FOR EACH ROW EXECUTE FUNCTION ordonnancier_refuse()""",
    """CREATE TRIGGER ordonnancier_no_truncate BEFORE TRUNCATE ON ordonnancier_entry
        FOR EACH STATEMENT EXECUTE FUNCTION ordonnancier_refuse()""",
)


def upgrade() -> None:
    op.create_table(
        "ordonnancier_entry",
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("delivery_id", sa.String(64), nullable=False),
        sa.Column("ordonnance_number", sa.String(40), nullable=False),
        sa.Column("line_id", sa.String(64), nullable=False),
        sa.Column("patient_name", sa.String(200), nullable=False),
        sa.Column("patient_birth_date", sa.Date(), nullable=True),
        sa.Column("prescriber_name", sa.String(200), nullable=False),
        sa.Column("prescriber_rpps", sa.String(20), nullable=False),
        sa.Column("prescription_date", sa.Date(), nullable=False),
        sa.Column("product_name", sa.Text(), nullable=False),
        sa.Column("cip13", sa.String(13), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("pharmacist_name", sa.String(200), nullable=False),
        sa.Column("pharmacist_rpps", sa.String(20), nullable=False),
        sa.Column("corrects", sa.Integer(), sa.ForeignKey("ordonnancier_entry.number"), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("prescriber_address", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_ordonnancier_entry_delivered_on", "ordonnancier_entry", ["delivered_on"])
    op.create_index("ix_ordonnancier_entry_delivery_id", "ordonnancier_entry", ["delivery_id"])
    op.create_index("ix_ordonnancier_entry_ordonnance_number", "ordonnancier_entry", ["ordonnance_number"])
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)

    op.create_table(
        "delivery_archive",
        sa.Column("delivery_id", sa.String(64), primary_key=True),
        sa.Column("ordonnance_number", sa.String(40), nullable=False),
        sa.Column("patient_name", sa.String(200), nullable=False),
        sa.Column("patient_key", sa.String(200), nullable=False),
        sa.Column("handed_over_at", sa.DateTime(), nullable=False),
        sa.Column("handed_over_on", sa.Date(), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=False),
        sa.Column("delivery_json", sa.Text(), nullable=False),
        sa.Column("prescription_json", sa.Text(), nullable=True),
    )
    op.create_index("ix_delivery_archive_ordonnance_number", "delivery_archive", ["ordonnance_number"])
    op.create_index("ix_delivery_archive_patient_key", "delivery_archive", ["patient_key"])
    op.create_index("ix_delivery_archive_handed_over_on", "delivery_archive", ["handed_over_on"])


def downgrade() -> None:
    op.drop_table("delivery_archive")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ordonnancier_no_truncate ON ordonnancier_entry")
        op.execute("DROP TRIGGER IF EXISTS ordonnancier_no_change ON ordonnancier_entry")
        op.execute("DROP FUNCTION IF EXISTS ordonnancier_refuse()")
    op.drop_table("ordonnancier_entry")
