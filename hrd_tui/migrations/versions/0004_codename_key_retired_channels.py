"""Codenames unique after folding case and accents; secure channels can be retired.

``heron-101 `` beside ``Heron-101`` was accepted (unique by exact case only) while
look-ups folded case, so a new case could go to the other person. Each contact
gets ``codename_key`` (sanitize.codename_key) under a unique index. Codenames an
older vault already holds twice are *not* renamed: the later ones get a key made
distinct with their id, and :func:`hrd_tui.services.contacts.codename_clashes`
reports them (the vault check and the upgrade message name them) until the
officer gives one a new codename.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 16:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from hrd_tui.sanitize import codename_key

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("codename_key", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False, server_default="")
        )
    conn = op.get_bind()
    taken: set[str] = set()
    rows = conn.execute(sa.text("SELECT id, codename FROM contact ORDER BY created_at, id")).all()
    for contact_id, codename in rows:
        key = codename_key(codename)
        if key in taken:  # a clash the old rule let in: kept distinct, and reported, never renamed
            key = f"{key}#{contact_id}"
        taken.add(key)
        conn.execute(sa.text("UPDATE contact SET codename_key = :key WHERE id = :id"), {"key": key, "id": contact_id})
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.alter_column("codename_key", server_default=None)
        batch_op.create_index(batch_op.f("ix_contact_codename_key"), ["codename_key"], unique=True)

    with op.batch_alter_table("secure_channel", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            "ck_secure_channel_retired_not_preferred", sa.text("retired_on IS NULL OR preferred = 0")
        )


def downgrade() -> None:
    with op.batch_alter_table("secure_channel", schema=None) as batch_op:
        batch_op.drop_constraint("ck_secure_channel_retired_not_preferred", type_="check")
        batch_op.drop_column("retired_on")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_codename_key"))
        batch_op.drop_column("codename_key")
