"""The post's own owners and due days for planned actions (issue 19, part F).

``plan_setting``: one row per threat-template item whose owner or due days the post
has set itself (None keeps the template's suggestion). An older vault has none: its
cases keep the actions they were planned with, and new cases plan with the
templates' suggestions until the post says otherwise.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 09:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_setting",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("template_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("item_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("due_days", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "due_days IS NULL OR (due_days >= 0 AND due_days <= 3650)", name=op.f("ck_plan_setting_due")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_setting")),
        sa.UniqueConstraint("template_id", "item_id", name=op.f("uq_plan_setting_template_item")),
    )


def downgrade() -> None:
    op.drop_table("plan_setting")
