"""The history tells where a change came from, and keeps more than columns.

``record_version.source``: "" for the officer's own edit, else where the change
came from ("handover merge from <bundle>"). ``record_version.kind``: "" for a
record's columns before an edit (every row an older vault holds), "lists" for
its lists (focus areas, defendants, threat types...) before one changed,
"declined" for values a handover offered and the officer did not take.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 16:40:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("record_version", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("record_version", schema=None) as batch_op:
        batch_op.alter_column("kind", server_default=None)
        batch_op.alter_column("source", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("record_version", schema=None) as batch_op:
        batch_op.drop_column("source")
        batch_op.drop_column("kind")
