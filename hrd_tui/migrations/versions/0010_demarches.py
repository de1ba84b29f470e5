"""Démarches and meetings with officials tied to cases and trials (issue 19, part A).

An interaction can be about threat cases and trials (``interaction_case``,
``interaction_trial``: link tables, each row shown on the case's or trial's page). A
démarche is an interaction of the new kind 'demarche' that names the official met
(``interaction.official_id``, a contact, RESTRICT: an official a démarche names is not
deleted from under it), the message delivered (``interaction.message``) and the
response (``interaction.response``); its follow-up is an ordinary follow_up row. The
schema holds that a démarche has an official and a message
(``ck_interaction_demarche_official_message``).

Nothing in an older vault is guessed: its interactions keep their kind, link to no case
or trial, and have an empty message and response. No rows are needed for the new tables.

The downgrade turns each démarche back into a meeting (its message and response
written into the summary) and drops the links; it rebuilds ``interaction`` (SQLite
drops a column in a foreign key or a CHECK only by copying the table), so it runs, as
the upgrades do, in a schema session (Store.schema_session: foreign keys off), or the
rebuild's DROP TABLE would take the participants and follow-ups with it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OLD_KINDS = ("meeting", "call", "secure_message", "event", "site_visit")
NEW_KINDS = (*OLD_KINDS, "demarche")
DEMARCHE_CHECK = "kind != 'demarche' OR (official_id IS NOT NULL AND length(trim(message)) > 0)"


def _kinds(batch_op: object, kinds: tuple[str, ...]) -> None:
    batch_op.drop_constraint("ck_interaction_kind_vocab", type_="check")  # type: ignore[attr-defined]
    batch_op.alter_column(  # type: ignore[attr-defined]
        "kind",
        existing_nullable=False,
        type_=sa.Enum(*kinds, name="ck_interaction_kind_vocab", native_enum=False, create_constraint=True),
    )


def _link_table(name: str, column: str, target: str) -> None:
    op.create_table(
        name,
        sa.Column("interaction_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(column, sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            [column], [f"{target}.id"], name=op.f(f"fk_{name}_{column}_{target}"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f(f"fk_{name}_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", column, name=op.f(f"pk_{name}")),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_{column}"), [column], unique=False)


def upgrade() -> None:
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("official_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(
            sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("response", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False, server_default="")
        )
        _kinds(batch_op, NEW_KINDS)
        batch_op.create_index(batch_op.f("ix_interaction_official_id"), ["official_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_interaction_official_id_contact"), "contact", ["official_id"], ["id"], ondelete="RESTRICT"
        )
        batch_op.create_check_constraint("ck_interaction_demarche_official_message", sa.text(DEMARCHE_CHECK))
    _link_table("interaction_case", "case_id", "threat_case")
    _link_table("interaction_trial", "trial_id", "trial")


def downgrade() -> None:
    op.drop_table("interaction_trial")
    op.drop_table("interaction_case")
    op.execute(
        sa.text(
            "UPDATE interaction SET kind = 'meeting', summary = trim(summary || char(10) || "
            "'Démarche. Message: ' || message || CASE WHEN trim(response) != '' "
            "THEN char(10) || 'Response: ' || response ELSE '' END) WHERE kind = 'demarche'"
        )
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_constraint("ck_interaction_demarche_official_message", type_="check")
        batch_op.drop_constraint("fk_interaction_official_id_contact", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_interaction_official_id"))
        batch_op.drop_column("response")
        batch_op.drop_column("message")
        batch_op.drop_column("official_id")
        _kinds(batch_op, OLD_KINDS)
