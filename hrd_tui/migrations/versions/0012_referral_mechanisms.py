"""Referrals that are not money: mechanisms and their stages (issue 19, part C).

PLACEHOLDER: no schema change yet. The part that owns this revision fills it in,
or says here why it needs none.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:30:00
"""

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
