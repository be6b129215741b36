"""Catalogue (BDPM): specialities, presentations, compositions, conditions, generic groups, search.

On SQLite an FTS5 table ``catalogue_fts`` is added when the library has FTS5 (the search falls back
to ``catalogue_search_word`` otherwise, as on PostgreSQL).

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = ("catalogue",)
depends_on = None

FTS5 = ("CREATE VIRTUAL TABLE catalogue_fts USING fts5(cis UNINDEXED, name, substances, "
        "prefix='1 2 3', tokenize='unicode61 remove_diacritics 2')")


def upgrade() -> None:
    op.create_table(
        "catalogue_speciality",
        sa.Column("cis", sa.String(8), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_folded", sa.Text(), nullable=False),
        sa.Column("form", sa.Text(), nullable=False),
        sa.Column("routes", sa.Text(), nullable=False),
        sa.Column("amm_status", sa.Text(), nullable=False),
        sa.Column("procedure", sa.Text(), nullable=False),
        sa.Column("commercial_state", sa.Text(), nullable=False),
        sa.Column("amm_date", sa.String(10), nullable=False),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.Column("surveillance", sa.Boolean(), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("generic_group_id", sa.String(10), nullable=True),
        sa.Column("generic_role", sa.Integer(), nullable=True),
        sa.Column("in_release", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("cis", name="pk_catalogue_speciality"),
    )
    op.create_table(
        "catalogue_presentation",
        sa.Column("cip13", sa.String(13), nullable=False),
        sa.Column("cip7", sa.String(7), nullable=False),
        sa.Column("cis", sa.String(8), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("commercial_state", sa.Text(), nullable=False),
        sa.Column("commercial_date", sa.String(10), nullable=False),
        sa.Column("collectivity", sa.Boolean(), nullable=True),
        sa.Column("rate", sa.Integer(), nullable=True),
        sa.Column("price_cents", sa.Integer(), nullable=True),
        sa.Column("price_with_fee_cents", sa.Integer(), nullable=True),
        sa.Column("fee_cents", sa.Integer(), nullable=True),
        sa.Column("reimbursement_text", sa.Text(), nullable=False),
        sa.Column("pack_quantity", sa.Integer(), nullable=True),
        sa.Column("pack_unit", sa.String(40), nullable=True),
        sa.Column("in_release", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("cip13", name="pk_catalogue_presentation"),
        sa.ForeignKeyConstraint(["cis"], ["catalogue_speciality.cis"],
                                name="fk_catalogue_presentation_cis_catalogue_speciality"),
    )
    op.create_index("ix_catalogue_presentation_cip7", "catalogue_presentation", ["cip7"])
    op.create_index("ix_catalogue_presentation_cis", "catalogue_presentation", ["cis"])
    op.create_table(
        "catalogue_composition",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cis", sa.String(8), nullable=False),
        sa.Column("element", sa.Text(), nullable=False),
        sa.Column("substance_code", sa.String(10), nullable=False),
        sa.Column("substance", sa.Text(), nullable=False),
        sa.Column("substance_folded", sa.Text(), nullable=False),
        sa.Column("dosage", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("nature", sa.String(4), nullable=False),
        sa.Column("link", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalogue_composition"),
        sa.ForeignKeyConstraint(["cis"], ["catalogue_speciality.cis"],
                                name="fk_catalogue_composition_cis_catalogue_speciality"),
    )
    op.create_index("ix_catalogue_composition_cis", "catalogue_composition", ["cis"])
    op.create_index("ix_catalogue_composition_substance_folded", "catalogue_composition",
                    ["substance_folded"])
    op.create_table(
        "catalogue_condition",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cis", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalogue_condition"),
        sa.ForeignKeyConstraint(["cis"], ["catalogue_speciality.cis"],
                                name="fk_catalogue_condition_cis_catalogue_speciality"),
    )
    op.create_index("ix_catalogue_condition_cis", "catalogue_condition", ["cis"])
    op.create_table(
        "catalogue_generic_group",
        sa.Column("group_id", sa.String(10), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", name="pk_catalogue_generic_group"),
    )
    op.create_table(
        "catalogue_generic_member",
        sa.Column("group_id", sa.String(10), nullable=False),
        sa.Column("cis", sa.String(8), nullable=False),
        sa.Column("role", sa.Integer(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "cis", name="pk_catalogue_generic_member"),
        sa.ForeignKeyConstraint(["group_id"], ["catalogue_generic_group.group_id"],
                                name="fk_catalogue_generic_member_group_id_catalogue_generic_group"),
    )
    op.create_index("ix_catalogue_generic_member_cis", "catalogue_generic_member", ["cis"])
    word = sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql")
    op.create_table(
        "catalogue_search_word",
        sa.Column("field", sa.Integer(), nullable=False),
        sa.Column("word", word, nullable=False),
        sa.Column("cis", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("field", "word", "cis", name="pk_catalogue_search_word"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        try:
            with bind.begin_nested():
                bind.exec_driver_sql(FTS5)
        except sa.exc.OperationalError:  # SQLite built without FTS5: the word table serves
            pass


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS catalogue_fts")
    for table in ("catalogue_search_word", "catalogue_generic_member", "catalogue_generic_group",
                  "catalogue_condition", "catalogue_composition", "catalogue_presentation",
                  "catalogue_speciality"):
        op.drop_table(table)
