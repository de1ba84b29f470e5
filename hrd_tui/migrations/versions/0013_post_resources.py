"""The post's own resources (issue 19, part D).

``resource`` was reference data only: the rows of data/resources.toml, rewritten at
each writable open. It now also holds the post's own resources (a national
protection mechanism, trusted lawyers, shelters, local funds), kept like any record:

* ``origin``: 'shipped' (the file's, read-only in the app) or 'post'; a post's id
  starts with "post-" and a shipped id never does (CHECK ck_resource_post_id_prefix),
  so the two can never clash;
* ``created_at`` and ``updated_at``, as every record has (the history reads them);
  an older vault's rows get the time of the upgrade;
* ``contact_notes`` (how to reach a post's resource: never in a report), ``as_of``
  (when an outside fact it states was last checked) and ``retired_on`` (no longer
  offered for new referrals; kept, since referrals and consents name it);
* the text columns get the lengths the model checks.

Every row an older vault holds was shipped (the app could not add one): it stays
'shipped', and the next sync fills in its ``as_of`` from the file.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:30:00
"""

from datetime import UTC

import sqlalchemy as sa
import sqlmodel
from alembic import op

from hrd_tui import wallclock

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ORIGINS = ("shipped", "post")
LENGTHS = {"name": 500, "kind": 64, "funds": 10000, "eligibility": 10000, "how_to_refer": 10000, "url": 2000}
ADDED = ("created_at", "updated_at", "origin", "contact_notes", "as_of", "retired_on")


def upgrade() -> None:
    now = wallclock.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy writes a datetime
    with op.batch_alter_table("resource", schema=None) as batch_op:
        for stamp in ("created_at", "updated_at"):
            batch_op.add_column(
                sa.Column(stamp, sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False, server_default=now)
            )
        batch_op.add_column(
            sa.Column(
                "origin",
                sa.Enum(*ORIGINS, name="ck_resource_origin_vocab", native_enum=False, create_constraint=True),
                nullable=False,
                server_default="shipped",
            )
        )
        batch_op.add_column(
            sa.Column(
                "contact_notes", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False, server_default=""
            )
        )
        batch_op.add_column(sa.Column("as_of", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
    # No older vault can hold a post's row; were one there, its id says whose it is.
    op.execute("UPDATE resource SET origin = 'post' WHERE id LIKE 'post-%'")
    with op.batch_alter_table("resource", schema=None) as batch_op:
        for name in ("created_at", "updated_at", "origin", "contact_notes"):
            batch_op.alter_column(name, server_default=None)
        for name, length in LENGTHS.items():
            batch_op.alter_column(name, type_=sqlmodel.sql.sqltypes.AutoString(length=length), existing_nullable=False)
        batch_op.create_check_constraint(
            "ck_resource_post_id_prefix", sa.text("(origin = 'post') = (id LIKE 'post-%')")
        )


def downgrade() -> None:
    """The post's own resources cannot be kept by the older schema, which syncs the
    table from the file: a post's row that nothing refers to goes; one a referral or a
    consent names is kept as a plain row (its notes dropped), as an older vault keeps a
    resource the file no longer lists."""
    op.execute(
        "DELETE FROM resource WHERE origin = 'post' AND id NOT IN (SELECT resource_id FROM referral) "
        "AND NOT EXISTS (SELECT 1 FROM consent_record, json_each(consent_record.resource_ids) AS r "
        "WHERE r.value = resource.id)"
    )
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.drop_constraint("ck_resource_post_id_prefix", type_="check")
        batch_op.drop_constraint("ck_resource_origin_vocab", type_="check")
        for name in ADDED:
            batch_op.drop_column(name)
        for name in LENGTHS:
            batch_op.alter_column(name, type_=sqlmodel.sql.sqltypes.AutoString(), existing_nullable=False)
