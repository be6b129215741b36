"""The pharmacy team: users, the audit trail, events for the other workstations, open ordonnances.

``audit_entry`` and ``audit_keying`` are append-only like the ordonnancier: triggers refuse UPDATE
and DELETE (and TRUNCATE on PostgreSQL). A user is never deleted, only disabled (the audit trail
names him): DELETE on ``team_user`` is refused too.

Revision ID: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0001"
branch_labels = ("team",)
depends_on = None

AUDIT_REFUSAL = "journal d''audit : entrée non modifiable"
USER_REFUSAL = "utilisateur : désactivez-le, il ne peut pas être supprimé"

SQLITE_TRIGGERS = (
    *(f"""CREATE TRIGGER {table}_no_{op_name.lower()} BEFORE {op_name} ON {table}
          BEGIN SELECT RAISE(ABORT, '{AUDIT_REFUSAL}'); END"""
      for table in ("audit_entry", "audit_keying") for op_name in ("UPDATE", "DELETE")),
    f"""CREATE TRIGGER team_user_no_delete BEFORE DELETE ON team_user
        BEGIN SELECT RAISE(ABORT, '{USER_REFUSAL}'); END""",
)

POSTGRES_TRIGGERS = (
    f"""CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{AUDIT_REFUSAL} (%)', TG_OP; END $$""",
    f"""CREATE OR REPLACE FUNCTION team_user_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{USER_REFUSAL} (%)', TG_OP; END $$""",
    *(stmt for table in ("audit_entry", "audit_keying") for stmt in (
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION audit_refuse()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse()""")),
    """CREATE TRIGGER team_user_no_delete BEFORE DELETE ON team_user
        FOR EACH ROW EXECUTE FUNCTION team_user_refuse()""",
    """CREATE TRIGGER team_user_no_truncate BEFORE TRUNCATE ON team_user
        FOR EACH STATEMENT EXECUTE FUNCTION team_user_refuse()""",
)


def upgrade() -> None:
    op.create_table(
        "team_user",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("rpps", sa.String(11), nullable=True),
        sa.Column("pin_hash", sa.String(200), nullable=False),
        sa.Column("badge_hash", sa.String(64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.UniqueConstraint("badge_hash", name="uq_team_user_badge_hash"),
    )
    op.create_index("ix_team_user_role", "team_user", ["role"])
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("workstation", sa.String(100), nullable=False),
        sa.Column("object_ref", sa.String(64), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    for column in ("at", "action", "user_id"):
        op.create_index(f"ix_audit_entry_{column}", "audit_entry", [column])
    op.create_table(
        "audit_keying",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("workstation", sa.String(100), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_keying_single_row"),
    )
    op.create_table(
        "team_event",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "workstation_claim",
        sa.Column("ordonnance_number", sa.String(40), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("workstation", sa.String(100), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_workstation_claim_heartbeat_at", "workstation_claim", ["heartbeat_at"])
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("audit_entry", "audit_keying"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER IF EXISTS team_user_no_delete ON team_user")
        op.execute("DROP TRIGGER IF EXISTS team_user_no_truncate ON team_user")
        op.execute("DROP FUNCTION IF EXISTS audit_refuse()")
        op.execute("DROP FUNCTION IF EXISTS team_user_refuse()")
    for table in ("workstation_claim", "team_event", "audit_keying", "audit_entry", "team_user"):
        op.drop_table(table)
