"""Consent for each kind of action (issue 18): whether a defender's consent holds today.

The guidelines ask the mission to "seek the consent of human rights defenders before
taking any actions on their behalf" ("do no harm"). A defender may agree to a private
démarche and refuse a public statement, so consent is recorded per kind of action
(vocab.ACTION_SCOPES) and each action on their behalf says which kind it is. A granted
consent may carry an end date (the last day it holds: after it, the consent is
EXPIRED, not granted), and a withdrawal stops what has not yet been done: open
actions needing that consent no longer pass the gate (services.threats), and each of
the defender's cases says on its timeline which actions it stopped. What was done
stays as done, on the consent it rested on then.

Acting without consent in an emergency is the mission's own rule, not the guidelines':
it is justified in writing (services.threats) and the defender is told afterwards, so
using it leaves a follow-up on each defender it stood in for (:func:`tell_after_emergency`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.models import CaseAction, CaseDefender, ConsentRecord, Contact, FollowUp, ThreatCase, TimelineEvent
from hrd_tui.services import base, reference
from hrd_tui.services.base import Transactions
from hrd_tui.services.contacts import current_consent, record_consent
from hrd_tui.vocab import (
    ACTION_SCOPES,
    DEFAULT_ACTION_SCOPE,
    ActionStatus,
    ConsentScope,
    ConsentValue,
    TimelineKind,
)

#: The defender is told what was done without their consent within this many days.
TELL_AFTER_DAYS = 2
#: How the case screen and the forms name each kind of action in a narrow column.
SHORT = {
    ConsentScope.PRIVATE_DEMARCHE: "démarche",
    ConsentScope.PUBLIC_STATEMENT: "statement",
    ConsentScope.REFERRAL: "referral",
    ConsentScope.SHARE_WITH_MISSIONS: "missions",
    ConsentScope.TRIAL_ATTENDANCE: "trial",
}
#: The label of the emergency justification says whose rule it is (issue 18).
EMERGENCY_RULE = "the mission's own rule, not the guidelines'"


@dataclass(frozen=True)
class Standing:
    """A defender's consent for one kind of action, as it stands on a day.

    ``state``: "granted", "MISSING" (none recorded), "REFUSED", "WITHDRAWN" or
    "EXPIRED" (granted, and its end date has passed). Words, never a colour."""

    state: str
    record: ConsentRecord | None

    @property
    def granted(self) -> bool:
        return self.state == "granted"

    def words(self) -> str:
        """The state with its date, as the gate's refusal and the screens say it."""
        r = self.record
        if r is None:
            return "MISSING"
        if self.state == "EXPIRED":
            return f"EXPIRED on {r.ends_on}"
        if self.state == "granted":
            return f"granted on {r.given_on}" + (f", until {r.ends_on}" if r.ends_on else "")
        return f"{self.state} on {r.given_on}"


def standing(record: ConsentRecord | None, today: date) -> Standing:
    """A consent record read on ``today``: an end date is the last day it holds."""
    if record is None:
        return Standing("MISSING", None)
    if record.value == ConsentValue.GRANTED:
        expired = record.ends_on is not None and record.ends_on < today
        return Standing("EXPIRED" if expired else "granted", record)
    return Standing(str(record.value).upper(), record)


def standing_of(session: Session, contact_id: str, scope: ConsentScope, today: date) -> Standing:
    return standing(current_consent(session, contact_id, scope), today)


def scope_of(action: CaseAction) -> ConsentScope | None:
    """The consent an action needs: its own, the default for an older one on the
    defender's behalf, none for one that is not."""
    if not action.on_behalf:
        return None
    return ConsentScope(action.consent_scope) if action.consent_scope else DEFAULT_ACTION_SCOPE


def action_scope(value: object) -> ConsentScope:
    """A scope typed for an action: one of the kinds of action, said against the field."""
    if value in (None, ""):
        return DEFAULT_ACTION_SCOPE
    if str(value) not in {s.value for s in ACTION_SCOPES}:
        kinds = ", ".join(reference.label("consent_scope", s).lower() for s in ACTION_SCOPES)
        raise ValidationError({"consent_scope": f"an action on their behalf is one of: {kinds}"})
    return ConsentScope(str(value))


def check_decision(data: Mapping[str, Any]) -> None:
    """What a consent decision must say before it is recorded (the schema holds the end date too)."""
    scope, value, ends = data.get("scope"), data.get("value"), data.get("ends_on")
    if str(scope) == ConsentScope.ACT_ON_BEHALF:
        raise ValidationError({"scope": "consent is now given for each kind of action: choose which"})
    if ends is not None and str(value) != ConsentValue.GRANTED:
        raise ValidationError({"ends_on": "only a granted consent has an end date"})
    given = data.get("given_on")
    if ends is not None and isinstance(given, date) and ends < given:
        raise ValidationError({"ends_on": "ends before it was given"})


def record_decision(session: Session, contact: Contact, data: Mapping[str, Any], *, today: date) -> ConsentRecord:
    """A consent decision; a withdrawal (or a refusal after a grant) stops what has not yet
    been done: each of the defender's cases with open actions needing that consent says
    on its timeline which ones stopped."""
    check_decision(data)
    before = current_consent(session, contact.id, ConsentScope(str(data.get("scope")))) if data.get("scope") else None
    record = record_consent(session, contact, data)
    scope = ConsentScope(record.scope)
    was_granted = before is not None and standing(before, today).granted
    if scope in ACTION_SCOPES and record.value in (ConsentValue.WITHDRAWN, ConsentValue.REFUSED) and was_granted:
        _stop_open_actions(session, contact, scope, record)
    return record


def open_actions_needing(session: Session, contact_id: str, scope: ConsentScope) -> list[CaseAction]:
    """The contact's cases' actions on their behalf, not yet done, that need ``scope``
    and rest on no emergency justification."""
    stmt = (
        select(CaseAction)
        .join(CaseDefender, col(CaseDefender.case_id) == CaseAction.case_id)
        .where(
            CaseDefender.contact_id == contact_id,
            col(CaseAction.on_behalf).is_(True),
            col(CaseAction.status).in_((ActionStatus.PLANNED, ActionStatus.DOING)),
        )
        .order_by(col(CaseAction.created_at))
    )
    return [a for a in session.exec(stmt) if scope_of(a) == scope and not a.emergency_justification.strip()]


def _stop_open_actions(session: Session, contact: Contact, scope: ConsentScope, record: ConsentRecord) -> None:
    by_case: dict[str, list[CaseAction]] = {}
    for action in open_actions_needing(session, contact.id, scope):
        by_case.setdefault(action.case_id, []).append(action)
    what = reference.label("consent_scope", scope).lower()
    decision = reference.label("consent_value", record.value).lower()
    for case_id, actions in by_case.items():
        titles = "; ".join(a.title for a in actions)
        base.create(
            session,
            TimelineEvent,
            {
                "case_id": case_id,
                "kind": TimelineKind.STATUS,
                "text": (
                    f"Consent {decision} by {contact.codename} for {what} on {record.given_on}: "
                    f"not yet done, so stopped (done ones stay done): {titles}"
                ),
                "ref_id": record.id,
            },
        )


def tell_after_emergency(
    session: Session, case_id: str, defenders: list[Contact], what: str, justification: str, *, today: date
) -> list[FollowUp]:
    """Acting without consent on the mission's emergency rule: each defender it stood in
    for gets a follow-up to be told what was done and why (one per thing done)."""
    case = base.get(session, ThreatCase, case_id)
    reason = " ".join(justification.split())[:300]
    description = f"Tell them what was done without their consent, and why: {what} (case: {case.title}). Why: {reason}"
    made = []
    for contact in defenders:
        exists = session.exec(
            select(FollowUp.id).where(
                FollowUp.contact_id == contact.id,
                col(FollowUp.done_on).is_(None),
                FollowUp.description == description,
            )
        ).first()
        if exists is None:
            made.append(
                base.create(
                    session,
                    FollowUp,
                    {
                        "contact_id": contact.id,
                        "description": description,
                        "due_on": today + timedelta(TELL_AFTER_DAYS),
                    },
                )
            )
    return made


# -- for the screens ----------------------------------------------------------------------------
def save_consent(tx: Transactions, contact_id: str, values: Mapping[str, Any]) -> str:
    """A consent decision from the form, read on the officer's day."""
    with tx.session("saving") as session:
        return record_decision(session, base.get(session, Contact, contact_id), values, today=wallclock.today()).id
