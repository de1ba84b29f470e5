"""The post's own resources (issue 19, part D).

PLACEHOLDER: no schema change yet. The part that owns this revision fills it in,
or says here why it needs none.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:30:00
"""

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
