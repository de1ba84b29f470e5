"""Report layouts as data (issue 19, part E).

PLACEHOLDER: no schema change yet. The part that owns this revision fills it in,
or says here why it needs none.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:30:00
"""

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
