"""The risk rule an assessment was made under (issue 18, part 1).

``risk_assessment.rule_version``: the version of the risk rule (data/risk.toml) the
stored level was given under. The floors for present danger came with version 2;
every assessment an older vault holds was made under version 1 (the score bands
alone) and keeps the level it was given: the case screen only says what the current
rule would make of it, and offers a reassessment.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 03:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule_version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.alter_column("rule_version", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.drop_column("rule_version")
