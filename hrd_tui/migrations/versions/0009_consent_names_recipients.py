"""Consent that names who receives what (issue 18, part 3).

A referral consent names the resources it covers and lists what may be shared
with them (``consent_record.resource_ids``, ``consent_record.shared``); a consent
to share the case with other missions names the missions
(``consent_record.missions``); each referral says what it passes on
(``referral.shared``). All JSON lists, '[]' for what an older vault holds.

Nothing is guessed for a consent already given: a grant in force that names no
resource (or no mission) covers no new referral (or sharing) until the officer
records whom it names, and each of the defender's cases says so on its timeline.
Referrals already sent keep the consent they rested on.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:00:00
"""

import uuid
from collections import defaultdict
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from hrd_tui import wallclock

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ASK = {
    "referral": "their referral consent (granted {given}) names no resource and lists nothing to share: record "
    "which resources they agreed to and what may be shared before the next referral",
    "share_with_missions": "their consent to share the case with other missions (granted {given}) names no "
    "mission: record which missions they agreed to",
}


def upgrade() -> None:
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        for name in ("resource_ids", "shared", "missions"):
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared", sa.JSON(), nullable=False, server_default="[]"))
    _tell(op.get_bind())


def _tell(conn: sa.Connection) -> None:
    latest: dict[tuple[str, str], sa.Row] = {}
    rows = conn.execute(
        sa.text(
            "SELECT contact_id, scope, value, given_on FROM consent_record "
            "WHERE scope IN ('referral', 'share_with_missions') ORDER BY given_on, created_at"
        )
    ).all()
    for row in rows:
        latest[(row.contact_id, row.scope)] = row  # the last one wins, as contacts.current_consent reads it
    asks: dict[str, list[str]] = defaultdict(list)  # contact id -> what to record
    for (contact_id, scope), row in sorted(latest.items()):
        if row.value == "granted":
            asks[contact_id].append(ASK[scope].format(given=row.given_on))
    if not asks:
        return
    now = wallclock.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy writes a datetime
    names = dict(conn.execute(sa.text("SELECT id, codename FROM contact")).all())
    for case_id, contact_id in conn.execute(sa.text("SELECT case_id, contact_id FROM case_defender")).all():
        if contact_id not in asks:
            continue
        conn.execute(
            sa.text(
                "INSERT INTO timeline_event (id, created_at, updated_at, case_id, occurred_at, kind, text, ref_id) "
                "VALUES (:id, :now, :now, :case, :now, 'status', :text, NULL)"
            ),
            {
                "id": uuid.uuid4().hex,
                "now": now,
                "case": case_id,
                "text": (
                    "Consent now names who receives what (upgrade). "
                    f"{names.get(contact_id, contact_id)}: " + "; ".join(asks[contact_id]) + "."
                ),
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("shared")
    # Dropped in place (SQLite's ALTER TABLE ... DROP COLUMN), not by a batch rebuild: a
    # rebuild drops consent_record, which SQLite refuses with foreign keys on (as every
    # vault connection has them) while case_action or referral rows refer to it. These
    # columns are in no key, index or CHECK, which dropping in place requires.
    for name in ("missions", "shared", "resource_ids"):
        op.drop_column("consent_record", name)
