"""Fair-trial findings per checklist item, and the officer's conclusion on a trial (issue 18, part 2).

A checklist item's state (open, done, n/a, blocked) says how far the walkthrough got,
not what was found: "done" on "no cage, no restraints" does not say whether the accused
was caged. ``checklist_item_state.finding`` holds what the observer found about the right
(respected, concern, violation, not observed); it starts empty in an older vault, since
nothing recorded there says what was found, and no state is turned into a finding.
``trial.conclusion`` holds the officer's overall conclusion across the trial's hearings
(empty until written). The shipped fair-trial template's new version (2, three more
items) is added beside version 1 when the vault is opened (reference.sync); runs keep
the version they were started from.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 03:15:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FINDINGS = ("violation", "concern", "respected", "not_observed")


def upgrade() -> None:
    with op.batch_alter_table("checklist_item_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "finding",
                sa.Enum(
                    *FINDINGS,
                    name="ck_checklist_item_state_finding_vocab",
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=True,
            )
        )
    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("conclusion", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False, server_default="")
        )
    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.alter_column("conclusion", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.drop_column("conclusion")
    with op.batch_alter_table("checklist_item_state", schema=None) as batch_op:
        batch_op.drop_column("finding")
