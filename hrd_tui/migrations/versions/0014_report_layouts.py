"""Report layouts as data (issue 19, part E): the report_layout table.

The section structures of the Country Reports, TIP and IRF reports are TOML files
shipped as package data (data/report_layouts/), read where they are: they are not
copied into the vault, so no row is needed for an older vault to draft as a new one
does. What a post adds, a layout for a new edition, is kept here (the TOML text as
imported, with its key, report type, edition and title, and the day it was retired,
if it was), since nothing readable may sit on disk beside the vault. A new table
only: an older vault has no layout of its own, and drafts with the shipped ones.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_layout",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column(
            "report_type",
            sa.Enum(
                "regular",
                "crhrp",
                "tip",
                "irf",
                name="ck_report_layout_report_type_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1048576), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.CheckConstraint("report_type != 'regular'", name=op.f("ck_report_layout_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_layout")),
        sa.UniqueConstraint("key", name=op.f("uq_report_layout_key")),
    )


def downgrade() -> None:
    op.drop_table("report_layout")
