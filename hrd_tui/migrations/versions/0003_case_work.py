"""Case work: like-minded missions on a case, the consent gate on referrals,
two more kinds of timeline entry (coordination, sources), and the indexes the
case list reads.

Referrals already past the draft when this runs rested on nothing the vault
recorded; they get a justification saying so, rather than a consent the
defender may never have given.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 19:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD_TIMELINE = ("event", "action", "referral", "assessment", "feedback", "status")
NEW_TIMELINE = (*OLD_TIMELINE, "coordination", "source")
BACKFILL = "Recorded before referrals asked for consent; check with the defender."


def _timeline_kinds(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.drop_constraint("ck_timeline_event_kind_vocab", type_="check")
        batch_op.alter_column(
            "kind",
            existing_nullable=False,
            type_=sa.Enum(*kinds, name="ck_timeline_event_kind_vocab", native_enum=False, create_constraint=True),
        )


def upgrade() -> None:
    op.create_table(
        "case_coordination",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "engaged",
                "joint_statement",
                "demarche",
                name="ck_case_coordination_kind_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("missions", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_case_coordination_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_coordination")),
    )
    with op.batch_alter_table("case_coordination", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_coordination_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_record_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "emergency_justification",
                sqlmodel.sql.sqltypes.AutoString(length=100000),
                nullable=False,
                server_default="",
            )
        )
    op.execute(
        sa.text("UPDATE referral SET emergency_justification = :why WHERE status != 'draft'").bindparams(why=BACKFILL)
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.alter_column("emergency_justification", server_default=None)
        batch_op.create_index(batch_op.f("ix_referral_consent_record_id"), ["consent_record_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_referral_consent_record_id_consent_record"),
            "consent_record",
            ["consent_record_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint(
            "ck_referral_consent_gate",
            sa.text(
                "status = 'draft' OR (status = 'withdrawn' AND sent_on IS NULL) OR consent_record_id IS NOT NULL "
                "OR length(trim(emergency_justification)) > 0"
            ),
        )
    _timeline_kinds(NEW_TIMELINE)
    # The case list's per-case lookups (latest assessment, last activity) from the index alone.
    op.create_index("ix_risk_assessment_latest", "risk_assessment", ["case_id", "assessed_on", "created_at"])
    op.create_index("ix_timeline_event_case_time", "timeline_event", ["case_id", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_timeline_event_case_time", "timeline_event")
    op.drop_index("ix_risk_assessment_latest", "risk_assessment")
    op.execute(sa.text("DELETE FROM timeline_event WHERE kind IN ('coordination', 'source')"))
    _timeline_kinds(OLD_TIMELINE)
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_constraint("ck_referral_consent_gate", type_="check")
        batch_op.drop_constraint("fk_referral_consent_record_id_consent_record", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_referral_consent_record_id"))
        batch_op.drop_column("emergency_justification")
        batch_op.drop_column("consent_record_id")
    op.drop_table("case_coordination")
