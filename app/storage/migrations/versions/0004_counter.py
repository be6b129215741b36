"""Counter: dispensings in progress, invoices and their sequence, the outbox to the service, and the
adjustment reasons and agreement means seeded as data (French and English labels).

Revision ID: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = ("counter",)
depends_on = None

REASONS = [
    # code, label_fr, label_en, needs_text
    ("substitution_generique", "Substitution générique", "Generic substitution", False),
    ("rupture_stock", "Rupture de stock", "Out of stock", False),
    ("adaptation_posologie", "Adaptation de posologie", "Dosage adjustment", False),
    ("conditionnement_inadapte", "Conditionnement inadapté", "Unsuitable pack size", False),
    ("erreur_prescription", "Erreur de prescription", "Prescription error", False),
    ("refus_patient", "Refus du patient", "Patient refused", False),
    ("deja_en_possession", "Déjà en possession du patient", "Patient already has it", False),
    ("interaction", "Interaction ou contre-indication", "Interaction or contraindication", False),
    ("allergie", "Allergie ou intolérance", "Allergy or intolerance", False),
    ("arret_commercialisation", "Arrêt de commercialisation", "Withdrawn from the market", False),
    ("continuite_traitement", "Continuité du traitement", "Continuity of treatment", False),
    ("autre", "Autre (préciser)", "Other (specify)", True),
]

MEANS = [
    ("telephone", "Téléphone", "Telephone"),
    ("messagerie_securisee", "Messagerie sécurisée de santé", "Secure health messaging"),
    ("courrier_fax", "Courrier ou fax", "Letter or fax"),
    ("en_presence", "En présence du prescripteur", "In person"),
    ("teleconsultation", "Téléconsultation", "Teleconsultation"),
    ("autre", "Autre", "Other"),
]


def upgrade() -> None:
    op.create_table(
        "counter_dispensing",
        sa.Column("delivery_id", sa.String(64), primary_key=True),
        sa.Column("ordonnance_number", sa.String(40), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "counter_invoice",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("sequence", sa.Integer(), nullable=False, unique=True),
        sa.Column("delivery_id", sa.String(64), nullable=False, unique=True),
        sa.Column("ordonnance_number", sa.String(40), nullable=False, index=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("tiers_payant", sa.Boolean(), nullable=False),
        sa.Column("total", sa.Numeric(12, 2), nullable=False),
        sa.Column("amo_share", sa.Numeric(12, 2), nullable=False),
        sa.Column("patient_share", sa.Numeric(12, 2), nullable=False),
        sa.Column("bill", sa.Text(), nullable=False),
    )
    sequence = op.create_table(
        "counter_sequence",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.bulk_insert(sequence, [{"name": "invoice", "value": 0}])
    op.create_table(
        "counter_outbox",
        sa.Column("delivery_id", sa.String(64), primary_key=True),
        sa.Column("ordonnance_number", sa.String(40), nullable=False, index=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
    )
    reasons = op.create_table(
        "counter_adjustment_reason",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("label_fr", sa.String(200), nullable=False),
        sa.Column("label_en", sa.String(200), nullable=False),
        sa.Column("needs_text", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.bulk_insert(reasons, [
        {"code": c, "label_fr": fr, "label_en": en, "needs_text": text, "sort_order": i * 10, "active": True}
        for i, (c, fr, en, text) in enumerate(REASONS)
    ])
    means = op.create_table(
        "counter_agreement_means",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("label_fr", sa.String(200), nullable=False),
        sa.Column("label_en", sa.String(200), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.bulk_insert(means, [
        {"code": c, "label_fr": fr, "label_en": en, "sort_order": i * 10, "active": True}
        for i, (c, fr, en) in enumerate(MEANS)
    ])


def downgrade() -> None:
    for table in ("counter_agreement_means", "counter_adjustment_reason", "counter_outbox",
                  "counter_sequence", "counter_invoice", "counter_dispensing"):
        op.drop_table(table)
