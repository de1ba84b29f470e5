"""Referrals that are not money: mechanisms and their stages (issue 19, part C).

A referral's purpose can now be one of the mechanisms the guidelines name (a
communication to the UN special procedures, a specific instance at an OECD National
Contact Point, a complaint to the DFC Independent Accountability Mechanism, a free
trade agreement mechanism submission); such a referral asks for no money and records
its current stage (``referral.stage``, an id of data/mechanisms.toml) with the day it
was reached (``referral.stage_on``), and is ``concluded`` when a stage ends its
procedure. CHECKs: no amounts on a mechanism referral, a stage only on one, a stage
always with its day.

What an older vault holds: a referral to one of the three mechanism resources it
shipped with (un-special-procedures, oecd-ncp, dfc-iam) that asked for no money and
was not decided (granted or declined: kept as recorded) was recorded under a money
purpose because there was no other; it becomes that mechanism's referral, and one
that was sent is at the first stage ("submitted") since the day it was sent. Each
such case's timeline says which referrals were changed, and from what.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:30:00
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC

import sqlalchemy as sa
import sqlmodel
from alembic import op

from hrd_tui import wallclock

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MONEY = ("legal_fees", "relocation", "equipment", "medical", "security")
MECHANISMS = ("un_communication", "oecd_specific_instance", "dfc_iam_complaint", "fta_submission")
OLD_PURPOSES = (*MONEY, "other")
NEW_PURPOSES = (*MONEY, *MECHANISMS, "other")
OLD_STATUSES = ("draft", "sent", "under_review", "granted", "declined", "withdrawn")
NEW_STATUSES = (*OLD_STATUSES, "concluded")
IN_SQL = ", ".join(f"'{p}'" for p in sorted(MECHANISMS))
#: The shipped mechanism resources of this revision, and the purpose each now takes.
RESOURCE_PURPOSES = {
    "un-special-procedures": "un_communication",
    "oecd-ncp": "oecd_specific_instance",
    "dfc-iam": "dfc_iam_complaint",
}
PURPOSE_LABELS = {
    "legal_fees": "legal fees",
    "relocation": "relocation",
    "equipment": "equipment",
    "medical": "medical",
    "security": "security",
    "other": "other",
    "un_communication": "a communication to UN special procedures",
    "oecd_specific_instance": "a specific instance at an OECD NCP",
    "dfc_iam_complaint": "a complaint to the DFC IAM",
}


def _vocab(batch_op: object, column: str, values: tuple[str, ...]) -> None:
    batch_op.drop_constraint(f"ck_referral_{column}_vocab", type_="check")  # type: ignore[attr-defined]
    batch_op.alter_column(  # type: ignore[attr-defined]
        column,
        existing_nullable=False,
        type_=sa.Enum(*values, name=f"ck_referral_{column}_vocab", native_enum=False, create_constraint=True),
    )


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column("stage_on", sa.Date(), nullable=True))
        _vocab(batch_op, "purpose", NEW_PURPOSES)
        _vocab(batch_op, "status", NEW_STATUSES)
        batch_op.create_check_constraint(
            "ck_referral_mechanism_no_amounts",
            sa.text(f"purpose NOT IN ({IN_SQL}) OR (amount_requested IS NULL AND amount_granted IS NULL)"),
        )
        batch_op.create_check_constraint(
            "ck_referral_stage_mechanism", sa.text(f"stage IS NULL OR purpose IN ({IN_SQL})")
        )
        batch_op.create_check_constraint("ck_referral_stage_has_date", sa.text("(stage IS NULL) = (stage_on IS NULL)"))
    _reclassify(op.get_bind())


def _reclassify(conn: sa.Connection) -> None:
    now = wallclock.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy writes a datetime
    names = dict(conn.execute(sa.text("SELECT id, name FROM resource")).all())
    rows = conn.execute(
        sa.text(
            "SELECT id, case_id, resource_id, purpose, status, sent_on FROM referral "
            "WHERE amount_requested IS NULL AND amount_granted IS NULL "
            "AND status IN ('draft', 'sent', 'under_review', 'withdrawn') ORDER BY created_at"
        )
    ).all()
    notes: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        purpose = RESOURCE_PURPOSES.get(row.resource_id)
        if purpose is None:
            continue
        staged = row.status != "draft" and row.sent_on is not None
        conn.execute(
            sa.text(
                "UPDATE referral SET purpose = :purpose, stage = :stage, stage_on = :on, updated_at = :now "
                "WHERE id = :id"
            ),
            {
                "purpose": purpose,
                "stage": "submitted" if staged else None,
                "on": row.sent_on if staged else None,
                "now": now,
                "id": row.id,
            },
        )
        notes[row.case_id].append(
            f"the referral to {names.get(row.resource_id, row.resource_id)} (recorded as "
            f"{PURPOSE_LABELS.get(row.purpose, row.purpose)}) is {PURPOSE_LABELS[purpose]}"
            + (f", at its first stage (submitted) since {row.sent_on}" if staged else "")
        )
    for case_id, lines in notes.items():
        conn.execute(
            sa.text(
                "INSERT INTO timeline_event (id, created_at, updated_at, case_id, occurred_at, kind, text, ref_id) "
                "VALUES (:id, :now, :now, :case, :now, 'referral', :text, NULL)"
            ),
            {
                "id": uuid.uuid4().hex,
                "now": now,
                "case": case_id,
                "text": (
                    "Referrals to a mechanism now have their own purpose and stages, and ask for no money "
                    "(upgrade): " + "; ".join(lines) + ". Check each stage."
                ),
            },
        )


def downgrade() -> None:
    """The older schema has no stage, no mechanism purpose and no 'concluded': a mechanism
    referral becomes 'other', a concluded one 'under_review', and its stage is kept in
    words at the end of its outcome, so nothing recorded is lost."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(f"SELECT id, status, stage, stage_on, outcome FROM referral WHERE purpose IN ({IN_SQL})")
    ).all()
    for row in rows:
        kept = (
            f"[Stage before a downgrade: {row.stage or 'none'}"
            + (f" since {row.stage_on}" if row.stage_on else "")
            + (", concluded" if row.status == "concluded" else "")
            + "]"
        )
        conn.execute(
            sa.text(
                "UPDATE referral SET purpose = 'other', stage = NULL, stage_on = NULL, "
                "status = CASE status WHEN 'concluded' THEN 'under_review' ELSE status END, "
                "outcome = trim(outcome || char(10) || :kept, char(10) || ' ') WHERE id = :id"
            ),
            {"kept": kept, "id": row.id},
        )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_constraint("ck_referral_stage_has_date", type_="check")
        batch_op.drop_constraint("ck_referral_stage_mechanism", type_="check")
        batch_op.drop_constraint("ck_referral_mechanism_no_amounts", type_="check")
        _vocab(batch_op, "status", OLD_STATUSES)
        _vocab(batch_op, "purpose", OLD_PURPOSES)
        batch_op.drop_column("stage_on")
        batch_op.drop_column("stage")
