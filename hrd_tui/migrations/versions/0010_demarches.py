"""Démarches tied to cases and trials (issue 19, part A).

PLACEHOLDER: no schema change yet. The part that owns this revision fills it in,
or says here why it needs none.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:30:00
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
