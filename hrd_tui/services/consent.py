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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.models import (
    CaseAction,
    CaseDefender,
    ConsentRecord,
    Contact,
    FollowUp,
    ThreatCase,
    TimelineEvent,
)
from hrd_tui.services import base, reference
from hrd_tui.services.base import Transactions
from hrd_tui.services.contacts import current_consent, record_consent
from hrd_tui.vocab import (
    ACTION_SCOPES,
    DEFAULT_ACTION_SCOPE,
    ActionStatus,
    ConsentScope,
    ConsentValue,
    SharedInfo,
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


#: What a grant names, by scope: a referral the resources it covers and what may be
#: shared with them; sharing with missions the missions (issue 18).
NAMES: dict[ConsentScope, tuple[str, ...]] = {
    ConsentScope.REFERRAL: ("resource_ids", "shared"),
    ConsentScope.SHARE_WITH_MISSIONS: ("missions",),
}
NAME_LISTS = ("resource_ids", "shared", "missions")
_WHAT = {"resource_ids": "resources", "shared": "what may be shared", "missions": "missions"}
_ASK = {
    "resource_ids": "name the resources they agreed to be referred to",
    "shared": "list what may be shared with them",
    "missions": "name the missions they agreed to",
}


def clean_list(value: object) -> list[str]:
    """A list as typed or picked: blanks dropped, each once (missions compared without case)."""
    items = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
    seen: set[str] = set()
    cleaned = []
    for item in items:
        text = " ".join(str(item).split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            cleaned.append(text)
    return cleaned


def shared_items(value: object, field: str = "shared") -> list[str]:
    """What is shared, each one of vocab.SharedInfo, said against ``field`` otherwise."""
    items = clean_list(value)
    order = [s.value for s in SharedInfo]
    unknown = [i for i in items if i not in order]
    if unknown:
        raise ValidationError({field: f"not something the app knows to share: {', '.join(unknown)}"})
    return sorted(items, key=order.index)  # one order, however they were picked


def check_decision(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """What a consent decision must say before it is recorded (the schema holds the end
    date too); returns the lists it names, cleaned. A grant for a referral names the
    resources and what may be shared, one for sharing with missions the missions; a
    refusal or withdrawal covers them all, so it names none."""
    scope, value, ends = data.get("scope"), data.get("value"), data.get("ends_on")
    if not isinstance(scope, str) or scope not in {s.value for s in ConsentScope}:
        raise ValidationError({"scope": "choose what the consent is for"})
    if str(scope) == ConsentScope.ACT_ON_BEHALF:
        raise ValidationError({"scope": "consent is now given for each kind of action: choose which"})
    if ends is not None and not isinstance(ends, date):
        raise ValidationError({"ends_on": "a day, YYYY-MM-DD"})
    if ends is not None and str(value) != ConsentValue.GRANTED:
        raise ValidationError({"ends_on": "only a granted consent has an end date"})
    given = data.get("given_on")
    if ends is not None and isinstance(given, date) and ends < given:
        raise ValidationError({"ends_on": "ends before it was given"})
    lists = {key: clean_list(data.get(key)) for key in NAME_LISTS}
    lists["shared"] = shared_items(lists["shared"])
    takes = NAMES.get(ConsentScope(scope), ())
    for key, items in lists.items():
        if items and key not in takes:
            raise ValidationError({key: f"only {_names_it(key)} names {_WHAT[key]}: clear it"})
        if items and str(value) != ConsentValue.GRANTED:
            raise ValidationError({key: f"a {value} decision covers all {_WHAT[key]}: only a grant names them"})
    if str(value) == ConsentValue.GRANTED:
        for key in takes:
            if not lists[key]:
                raise ValidationError({key: _ASK[key]})
    vague = [m for m in lists["missions"] if not _significant(m)]
    if vague:
        raise ValidationError({"missions": f"name the mission itself, not only {vague[0]!r}"})
    return lists


def _names_it(key: str) -> str:
    scopes = [s for s, keys in NAMES.items() if key in keys]
    return " or ".join(f"consent to {reference.label('consent_scope', s).lower()}" for s in scopes)


def referral_gap(record: ConsentRecord, resource_id: str, resource_name: str, shared: Sequence[str]) -> str:
    """What a granted referral consent does not cover of one referral ("" when it covers it)."""
    gaps = []
    if resource_id not in record.resource_ids:
        gaps.append(f"not for {resource_name}")
    beyond = [reference.label("shared_info", s).lower() for s in shared if s not in record.shared]
    if beyond:
        gaps.append("not to share " + ", ".join(beyond))
    return "; ".join(gaps)


#: Words that say what a mission is, not which one: they name no mission on their own.
MISSION_WORDS = frozenset(
    "embassy embassies mission missions delegation consulate high commission of the and like minded other "
    "diplomatic office representation to in".split()
)


def split_missions(text: str) -> list[str]:
    """The missions a coordination entry names ("Norland, Quist and Aroha"; what is in
    brackets is a note: "Embassy of Norland (Fjord-110)"). A text that names none this
    way (",") is one entry as it stands, never none."""
    named = clean_list(re.split(r"\s*(?:[,;/&|+\n]|\band\b|\bor\b|\bwith\b)\s*", re.sub(r"\([^)]*\)", " ", text)))
    return named or clean_list(text)


def _significant(name: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"\w+", name.casefold()) if w not in MISSION_WORDS)


def missions_not_named(record: ConsentRecord, missions: Sequence[str]) -> list[str]:
    """The missions a granted consent to share with missions does not name. One is
    named when its words are a named mission's, what says it is a mission aside
    ("Embassy of Norland" is "Norland"); "UK" is not "United Kingdom", and
    "Norland-Quist" is not "Norland": a warning too many rather than one too few."""
    named = {_significant(m) for m in record.missions} - {frozenset()}
    return [m for m in missions if _significant(m) not in named]


def record_decision(session: Session, contact: Contact, data: Mapping[str, Any], *, today: date) -> ConsentRecord:
    """A consent decision; a withdrawal (or a refusal after a grant) stops what has not yet
    been done: each of the defender's cases with open actions needing that consent says
    on its timeline which ones stopped."""
    lists = check_decision(data)
    for resource_id in lists["resource_ids"]:
        reference.require_resource(session, resource_id, "resource_ids")
    before = current_consent(session, contact.id, ConsentScope(str(data.get("scope")))) if data.get("scope") else None
    record = record_consent(session, contact, {**data, **lists})
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
