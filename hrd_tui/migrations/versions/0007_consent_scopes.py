"""Consent for each kind of action (issue 18, part 3).

PLACEHOLDER while issue 18 is worked on in parallel: the chain 0006 -> 0007 -> 0008 is
fixed in advance so that the three parts never fork the history; each part fills in
its own revision (or, if it needs no schema change, says so here).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 03:15:00
"""

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
