"""The post's own owners and due days for planned actions (issue 19, part F).

PLACEHOLDER: no schema change yet. The part that owns this revision fills it in,
or says here why it needs none.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 09:30:00
"""

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
