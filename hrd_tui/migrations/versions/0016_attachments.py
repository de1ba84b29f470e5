"""Evidence files (issue 20): attachments and their encrypted chunks.

``attachment``: one row per file taken in, with its chain of custody (original name,
size, type detected from the content, SHA-256 of the original bytes, when, a note,
the identifying metadata found) and what it belongs to (exactly one of a contact, a
threat case, a trial, a hearing or a civic observation). ``attachment_chunk``: its
bytes in rows of at most 1 MiB, inside the encrypted database (see
hrd_tui/models/attachments.py for why there and not in files). An older vault has
none.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 12:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

OWNERS = {
    "contact_id": "contact",
    "case_id": "threat_case",
    "trial_id": "trial",
    "hearing_id": "hearing",
    "observation_id": "civic_observation",
}


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        *(sa.Column(column, sqlmodel.sql.sqltypes.AutoString(), nullable=True) for column in OWNERS),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("found_metadata", sa.JSON(), nullable=False),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "(contact_id IS NOT NULL) + (case_id IS NOT NULL) + (trial_id IS NOT NULL)"
            " + (hearing_id IS NOT NULL) + (observation_id IS NOT NULL) = 1",
            name=op.f("ck_attachment_one_owner"),
        ),
        sa.CheckConstraint("size >= 0", name=op.f("ck_attachment_size")),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_attachment_sha256")),
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{table}.id"], name=op.f(f"fk_attachment_{column}_{table}"), ondelete="CASCADE"
            )
            for column, table in OWNERS.items()
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    for column in OWNERS:
        op.create_index(op.f(f"ix_attachment_{column}"), "attachment", [column], unique=False)
    op.create_index(op.f("ix_attachment_deleted_at"), "attachment", ["deleted_at"], unique=False)
    # The chain of custody cannot be changed after intake (models/attachments.py says why).
    op.execute(
        "CREATE TRIGGER attachment_custody_fixed BEFORE UPDATE OF "
        "name, media_type, size, sha256, note, found_metadata, created_at, "
        "contact_id, case_id, trial_id, hearing_id, observation_id ON attachment "
        "BEGIN SELECT RAISE(ABORT, 'an attachment is never changed after intake'); END"
    )
    op.create_table(
        "attachment_chunk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_attachment_chunk_attachment_id_attachment"),
            ondelete="CASCADE",
            deferrable=True,
            initially="DEFERRED",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment_chunk")),
    )
    op.create_index("ux_attachment_chunk_seq", "attachment_chunk", ["attachment_id", "seq"], unique=True)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS attachment_custody_fixed")
    op.drop_index("ux_attachment_chunk_seq", table_name="attachment_chunk")
    op.drop_table("attachment_chunk")
    op.drop_index(op.f("ix_attachment_deleted_at"), table_name="attachment")
    for column in OWNERS:
        op.drop_index(op.f(f"ix_attachment_{column}"), table_name="attachment")
    op.drop_table("attachment")
