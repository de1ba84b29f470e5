"""Consent for each kind of action (issue 18, part 3).

One "act on behalf" consent used to open every action, a public statement naming
the defender included. Consent is now recorded per kind of action (scope):
raising privately with the authorities, public statements and posts, referral to
a named resource, sharing with like-minded missions, trial attendance; a consent
may end (``consent_record.ends_on``) and be withdrawn (value ``withdrawn``); each
action on the defender's behalf says which consent it needs (``case_action.consent_scope``).

What an older vault holds is carried over, and each affected case's timeline says so:

- a defender whose "act on behalf" consent in force is *granted* gets the same
  consent (same date, how and end) for the private démarche, referral and trial
  attendance scopes; not for public statements, not for sharing with missions
  (those they are asked for again). The "act on behalf" records stay as the record
  of what was agreed; they no longer open any action.
- every action on the defender's behalf gets the consent it needs: from the
  guidelines' template item it was planned from, else from words of its title
  that name a stricter kind (a statement, a mission, a trial, a referral), else the
  private démarche (the default, said so on the timeline).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 03:15:00
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from hrd_tui import wallclock

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OLD_SCOPES = ("contact", "act_on_behalf", "naming", "share_with_missions")
NEW_SCOPES = (*OLD_SCOPES, "private_demarche", "public_statement", "referral", "trial_attendance")
OLD_VALUES = ("granted", "refused", "never", "anonymised", "named")
NEW_VALUES = ("granted", "refused", "withdrawn", "never", "anonymised", "named")
#: What a granted "act on behalf" becomes (issue 18): never public statements or sharing.
CARRIED = ("private_demarche", "referral", "trial_attendance")
#: The guidelines' template items (data/checklists, as they stood at this revision).
TEMPLATE_SCOPES = {
    "threat-immediate:referral-protection-mechanisms": "referral",
    "threat-immediate:referral-emergency-assistance": "referral",
    "threat-immediate:contact-host-government": "private_demarche",
    "threat-immediate:coordinate-like-minded": "share_with_missions",
    "threat-immediate:public-statement": "public_statement",
    "threat-immediate:attend-proceedings": "trial_attendance",
    "threat-immediate:meet-companies": "private_demarche",
    "threat-longer-term:coordinate-statements": "share_with_missions",
    "threat-longer-term:multi-stakeholder-initiatives": "share_with_missions",
    "threat-longer-term:encourage-investigations": "private_demarche",
}
#: Words of a free action's title that name a stricter kind of action, strictest first.
TITLE_WORDS = (
    ("public_statement", ("statement", "social media", "tweet", "post ", "press", "publicly", "op-ed")),
    ("share_with_missions", ("mission", "like-minded", "likeminded", "embassies")),
    ("trial_attendance", ("trial", "hearing", "proceedings", "court")),
    ("referral", ("refer",)),
)
LABELS = {
    "private_demarche": "raising privately with the authorities",
    "public_statement": "public statements",
    "referral": "referral to a resource",
    "share_with_missions": "sharing with other missions",
    "trial_attendance": "trial attendance",
}


def _vocab(batch_op: object, table: str, column: str, values: tuple[str, ...], *, nullable: bool = False) -> None:
    batch_op.drop_constraint(f"ck_{table}_{column}_vocab", type_="check")  # type: ignore[attr-defined]
    batch_op.alter_column(  # type: ignore[attr-defined]
        column,
        existing_nullable=nullable,
        type_=sa.Enum(*values, name=f"ck_{table}_{column}_vocab", native_enum=False, create_constraint=True),
    )


def _fits_scope(values: str) -> sa.TextClause:
    return sa.text(
        "(scope = 'naming' AND value IN ('never', 'anonymised', 'named')) OR "
        f"(scope != 'naming' AND value IN ({values}))"
    )


def scope_of(template_item: str | None, title: str) -> tuple[str, str]:
    """The consent an older on-behalf action needs, and why (for the timeline)."""
    if template_item in TEMPLATE_SCOPES:
        return TEMPLATE_SCOPES[template_item], "its guidelines item"
    folded = f" {title.casefold()} "
    for scope, words in TITLE_WORDS:
        if any(word in folded for word in words):
            return scope, "its title"
    return "private_demarche", "the default"


def upgrade() -> None:
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch_op.drop_constraint("ck_consent_record_value_fits_scope", type_="check")
        _vocab(batch_op, "consent_record", "scope", NEW_SCOPES)
        _vocab(batch_op, "consent_record", "value", NEW_VALUES)
        batch_op.create_check_constraint(
            "ck_consent_record_value_fits_scope", _fits_scope("'granted', 'refused', 'withdrawn'")
        )
        batch_op.create_check_constraint(
            "ck_consent_record_ends_after_given", sa.text("ends_on IS NULL OR ends_on >= given_on")
        )
    with op.batch_alter_table("case_action", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "consent_scope",
                sa.Enum(
                    *NEW_SCOPES, name="ck_case_action_consent_scope_vocab", native_enum=False, create_constraint=True
                ),
                nullable=True,
            )
        )
    _carry_over(op.get_bind())


def _carry_over(conn: sa.Connection) -> None:
    # As SQLAlchemy writes a datetime on SQLite (a text bind gets no adapter).
    now = wallclock.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    notes: dict[str, list[str]] = defaultdict(list)  # case id -> what was done
    # 1. A granted "act on behalf" in force becomes the three scopes it safely covers.
    latest: dict[str, sa.Row] = {}
    rows = conn.execute(
        sa.text(
            "SELECT contact_id, value, given_on, how, id FROM consent_record WHERE scope = 'act_on_behalf' "
            "ORDER BY given_on, created_at"
        )
    ).all()
    for row in rows:
        latest[row.contact_id] = row  # the last one wins, as contacts.current_consent reads it
    carried = {cid: row for cid, row in latest.items() if row.value == "granted"}
    for contact_id, row in carried.items():
        for scope in CARRIED:
            conn.execute(
                sa.text(
                    "INSERT INTO consent_record (id, created_at, updated_at, contact_id, scope, value, given_on, "
                    "ends_on, how, note) VALUES (:id, :now, :now, :contact, :scope, 'granted', :given, NULL, :how, "
                    ":note)"
                ),
                {
                    "id": uuid.uuid4().hex,
                    "now": now,
                    "contact": contact_id,
                    "scope": scope,
                    "given": row.given_on,
                    "how": row.how,
                    "note": "Carried over from their consent to act on their behalf (upgrade to consent by kind).",
                },
            )
    if carried:
        names = dict(conn.execute(sa.text("SELECT id, codename FROM contact")).all())
        links = conn.execute(sa.text("SELECT case_id, contact_id FROM case_defender")).all()
        for case_id, contact_id in links:
            if contact_id in carried:
                notes[case_id].append(
                    f"{names.get(contact_id, contact_id)}'s consent to act on their behalf "
                    f"(granted {carried[contact_id].given_on}) now counts for raising privately with the "
                    "authorities, referrals and trial attendance; NOT for public statements or sharing with "
                    "other missions: ask them for those."
                )
    # 2. Every action on the defender's behalf says which consent it needs.
    actions = conn.execute(
        sa.text("SELECT id, case_id, template_item, title FROM case_action WHERE on_behalf = 1 ORDER BY created_at")
    ).all()
    counts: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for action in actions:
        scope, why = scope_of(action.template_item, action.title)
        conn.execute(
            sa.text("UPDATE case_action SET consent_scope = :scope WHERE id = :id"), {"scope": scope, "id": action.id}
        )
        counts[action.case_id][(scope, why)] += 1
    for case_id, by_scope in counts.items():
        parts = [
            f"{n} {LABELS[scope]} ({'by default: nothing else matched' if why == 'the default' else 'from ' + why})"
            for (scope, why), n in sorted(by_scope.items())
        ]
        notes[case_id].append(
            "Actions on the defender's behalf now say which consent they need: " + "; ".join(parts) + "."
        )
    for case_id, lines in notes.items():
        conn.execute(
            sa.text(
                "INSERT INTO timeline_event (id, created_at, updated_at, case_id, occurred_at, kind, text, ref_id) "
                "VALUES (:id, :now, :now, :case, :now, 'status', :text, NULL)"
            ),
            {
                "id": uuid.uuid4().hex,
                "now": now,
                "case": case_id,
                "text": "Consent is now given for each kind of action (upgrade). " + " ".join(lines),
            },
        )


#: The rows that refer to a consent record (both ON DELETE RESTRICT).
REFERRERS = ("case_action", "referral")


def downgrade() -> None:
    conn = op.get_bind()
    _unwind(conn)
    op.execute(
        sa.text(
            "DELETE FROM consent_record WHERE scope IN ('private_demarche', 'public_statement', "
            "'referral', 'trial_attendance') OR value = 'withdrawn'"
        )
    )
    with op.batch_alter_table("case_action", schema=None) as batch_op:
        batch_op.drop_constraint("ck_case_action_consent_scope_vocab", type_="check")
        batch_op.drop_column("consent_scope")
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.drop_constraint("ck_consent_record_ends_after_given", type_="check")
        batch_op.drop_constraint("ck_consent_record_value_fits_scope", type_="check")
        _vocab(batch_op, "consent_record", "scope", OLD_SCOPES)
        _vocab(batch_op, "consent_record", "value", OLD_VALUES)
        batch_op.create_check_constraint("ck_consent_record_value_fits_scope", _fits_scope("'granted', 'refused'"))
        batch_op.drop_column("ends_on")


def _unwind(conn: sa.Connection) -> None:
    """Make what the older schema cannot hold fit it, never widening a consent.

    - A withdrawal of an older kind of consent becomes a refusal: deleted, it would
      bring back the grant it withdrew.
    - An end date is said in the note (the older schema has no end: the consent
      reads as open-ended there).
    - An action or referral resting on a consent of a new kind (deleted below, and
      the foreign key is ON DELETE RESTRICT) rests on the defender's "act on behalf"
      grant in force, as it did before this revision (it is what the new kinds were
      carried over from). Without one it rests on nothing: the older consent gate
      lets a planned action or a draft referral through, and anything further along
      gets a justification saying what it rested on, as 0003 did for referrals sent
      before the gate (the gate's only other way through).
    """
    conn.execute(
        sa.text(
            "UPDATE consent_record SET value = 'refused', note = note || CASE WHEN note = '' THEN '' ELSE ' ' END "
            "|| 'Withdrawn (recorded as refused by a downgrade of hrd-tui).' WHERE value = 'withdrawn'"
        )
    )
    conn.execute(
        sa.text(
            "UPDATE consent_record SET note = note || CASE WHEN note = '' THEN '' ELSE ' ' END || 'Ends on ' "
            "|| ends_on || '.' WHERE ends_on IS NOT NULL AND scope IN ('contact', 'act_on_behalf', 'naming', "
            "'share_with_missions')"
        )
    )
    in_force: dict[str, str] = {}  # contact id -> their "act on behalf" record in force, if a grant
    rows = conn.execute(
        sa.text(
            "SELECT contact_id, value, id FROM consent_record WHERE scope = 'act_on_behalf' "
            "ORDER BY given_on, created_at"
        )
    ).all()
    for row in rows:  # the last one wins, as contacts.current_consent reads it
        if row.value == "granted":
            in_force[row.contact_id] = row.id
        else:
            in_force.pop(row.contact_id, None)
    gates = {  # when the older consent gate needs a consent or a justification
        "case_action": "on_behalf = 1 AND status NOT IN ('planned', 'not_applicable')",
        "referral": "status != 'draft' AND NOT (status = 'withdrawn' AND sent_on IS NULL)",
    }
    for table in REFERRERS:
        resting = conn.execute(
            sa.text(
                f"SELECT t.id, c.contact_id, c.scope, c.value, c.given_on, ({gates[table]}) AND "
                f"length(trim(t.emergency_justification)) = 0 AS gated FROM {table} t "
                "JOIN consent_record c ON c.id = t.consent_record_id "
                "WHERE c.scope IN ('private_demarche', 'public_statement', 'referral', 'trial_attendance')"
            )
        ).all()
        for row in resting:
            target = in_force.get(row.contact_id)
            params = {"id": row.id, "consent": target, "why": ""}
            if target is None and row.gated:
                params["why"] = (
                    f"Rested on their consent for {LABELS[row.scope]} ({row.value} {row.given_on}), a kind of "
                    "consent this version of hrd-tui does not record (downgrade)."
                )
            conn.execute(
                sa.text(
                    f"UPDATE {table} SET consent_record_id = :consent, emergency_justification = "
                    "emergency_justification || :why WHERE id = :id"
                ),
                params,
            )
