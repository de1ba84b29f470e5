"""Accountability after an attack (issue 19, part B): the accountability_step table.

Each row is one step after an attack (a complaint filed, an investigation opened,
someone charged, convicted, a remedy or compensation, closed without result), dated,
with who says so and a note, on a threat case or on a civic-space observation (one of
the two, a CHECK). A new table only: no existing row changes, and an older vault's
cases and observations simply have no step yet (Today and the reports then count its
attacks older than the set number of days as without investigation, which is what the
vault knows).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 09:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

STEPS = ("complaint_filed", "investigation_opened", "charged", "convicted", "remedy", "closed_without_result")


def upgrade() -> None:
    op.create_table(
        "accountability_step",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("observation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column(
            "step",
            sa.Enum(*STEPS, name="ck_accountability_step_step_vocab", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.CheckConstraint(
            "(case_id IS NOT NULL) + (observation_id IS NOT NULL) = 1", name=op.f("ck_accountability_step_one_owner")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_accountability_step_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["civic_observation.id"],
            name=op.f("fk_accountability_step_observation_id_civic_observation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_step")),
    )
    op.create_index("ix_accountability_step_case_day", "accountability_step", ["case_id", "on_date"])
    op.create_index("ix_accountability_step_observation_day", "accountability_step", ["observation_id", "on_date"])


def downgrade() -> None:
    op.drop_index("ix_accountability_step_observation_day", "accountability_step")
    op.drop_index("ix_accountability_step_case_day", "accountability_step")
    op.drop_table("accountability_step")
