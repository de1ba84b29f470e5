"""What needs the officer today: open emergency and urgent cases, follow-ups due,
case actions and referrals due, cases whose risk assessment is too old,
contacts overdue for a check-in, the hearings of the next two weeks, and the attacks
with no investigation after the post's number of days (issue 19).

Each section of the today view has its own function here; the screen only lays
them out. A case is given by its label (threats.case_label): the defenders'
codenames in discreet mode, since a title often names them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui.errors import NotFound
from hrd_tui.models import (
    CaseAction,
    CaseDefender,
    ConsentRecord,
    Contact,
    FollowUp,
    Hearing,
    Referral,
    Resource,
    RiskAssessment,
    ThreatCase,
    Trial,
)
from hrd_tui.services import (
    accountability,
    base,
    case_list,
    consent,
    contact_list,
    contacts,
    mechanisms,
    threats,
    trials,
)
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import (
    ACTION_SCOPES,
    CaseStatus,
    ReferralPurpose,
    ReferralStatus,
    RiskLevel,
    Urgency,
)

#: Follow-ups due within this many days are shown ahead of time.
FOLLOW_UP_HORIZON_DAYS = 7
OVERDUE_LIMIT = 50
#: Hearings this many days ahead are shown (today included, and the last day too).
HEARING_HORIZON_DAYS = 14


@dataclass(frozen=True)
class DueFollowUp:
    """A follow-up from an interaction, or a contact's planned next follow-up date
    (``follow_up`` is None): both are things to do by a date."""

    due_on: date
    description: str
    contact: Contact | None
    follow_up: FollowUp | None = None

    @property
    def key(self) -> str:
        return self.follow_up.id if self.follow_up else f"planned:{self.contact.id if self.contact else ''}"

    def days_late(self, today: date) -> int:
        return (today - self.due_on).days


def follow_ups_due(session: Session, today: date, horizon_days: int = FOLLOW_UP_HORIZON_DAYS) -> list[DueFollowUp]:
    """Open follow-ups and planned follow-up dates due by ``today + horizon_days``, the most overdue first."""
    until = today + timedelta(days=horizon_days)
    stmt = (
        select(FollowUp, Contact)
        .join(Contact, col(Contact.id) == FollowUp.contact_id, isouter=True)
        .where(col(FollowUp.done_on).is_(None), FollowUp.due_on <= until)
        .order_by(col(FollowUp.due_on), col(FollowUp.created_at))
    )
    items = [DueFollowUp(f.due_on, f.description, c, f) for f, c in session.exec(stmt)]
    planned = session.exec(
        select(Contact).where(col(Contact.next_follow_up_on).is_not(None), col(Contact.next_follow_up_on) <= until)
    )
    items += [DueFollowUp(c.next_follow_up_on, "Planned follow-up", c) for c in planned if c.next_follow_up_on]
    return sorted(items, key=lambda item: item.due_on)


def complete(session: Session, key: str, today: date) -> None:
    """Mark a follow-up done, or clear a planned date (the edit keeps the earlier version)."""
    if key.startswith("planned:"):
        contacts.update_contact(
            session, base.get(session, Contact, key.removeprefix("planned:")), {"next_follow_up_on": None}
        )
    else:
        contacts.complete_follow_up(session, key, today)


def reopen(session: Session, key: str, due_on: date) -> None:
    """Undo ``complete``: the follow-up open again, or the planned date (``due_on``) set again.
    Both edits keep the done version in the history."""
    if key.startswith("planned:"):
        contacts.update_contact(
            session, base.get(session, Contact, key.removeprefix("planned:")), {"next_follow_up_on": due_on}
        )
    else:
        contacts.reopen_follow_up(session, key)


def overdue_contacts(session: Session, today: date, *, discreet: bool) -> contact_list.ContactPage:
    """Contacts whose keep-in-touch cadence has passed, longest since contact first
    (the first OVERDUE_LIMIT; the page's total says how many there are)."""
    return contact_list.page(
        session,
        contact_list.ContactFilter(overdue=True),
        today=today,
        sort="last_contact",
        discreet=discreet,
        limit=OVERDUE_LIMIT,
    )


@dataclass(frozen=True)
class UpcomingHearing:
    """A hearing to attend, with its label: court and case number only in discreet
    mode (the trial's title often names the defendant)."""

    hearing: Hearing
    trial: Trial
    label: str


def upcoming_hearings(
    session: Session, today: date, *, discreet: bool, days: int = HEARING_HORIZON_DAYS
) -> list[UpcomingHearing]:
    """Hearings starting on ``today`` (the local day: one that began this morning still
    counts) up to ``today + days`` inclusive, soonest first."""
    stmt = (
        select(Hearing, Trial)
        .join(Trial, col(Trial.id) == Hearing.trial_id)
        .where(
            Hearing.starts_at >= trials.day_start(today),
            Hearing.starts_at < trials.day_start(today + timedelta(days=days + 1)),
        )
        .order_by(col(Hearing.starts_at), col(Hearing.created_at))
    )
    return [
        UpcomingHearing(h, t, trials.label_hearing(h, t, discreet=discreet, with_time=False))
        for h, t in session.exec(stmt)
    ]


# -- threat cases ----------------------------------------------------------------------
#
# Each list below is a handful of queries whatever the number of cases (a few
# hundred open ones at most): the cases, their defenders (for the label) and what
# else a list needs are each fetched in one query, never one query per row.

#: What an urgency shows as: in words and a mark, never by colour alone.
URGENCY_MARKERS: dict[Urgency, str] = {
    Urgency.EMERGENCY: "!! EMERGENCY",
    Urgency.URGENT: "! urgent",
    Urgency.ROUTINE: "",
}


def urgency_marker(urgency: Urgency) -> str:
    return URGENCY_MARKERS[urgency]


def _open_cases() -> Any:
    return col(ThreatCase.status) != CaseStatus.CLOSED


def _labels(session: Session, cases: Iterable[ThreatCase], *, discreet: bool) -> dict[str, str]:
    """Each case's label (threats.case_label), its defenders fetched in one query."""
    by_id = {c.id: c for c in cases}
    if not by_id:
        return {}
    defenders: dict[str, list[Contact]] = {case_id: [] for case_id in by_id}
    stmt = (
        select(CaseDefender.case_id, Contact)
        .join(Contact, col(Contact.id) == CaseDefender.contact_id)
        .where(col(CaseDefender.case_id).in_(list(by_id)))
    )
    for case_id, contact in session.exec(stmt):
        defenders[case_id].append(contact)
    return {case_id: threats.case_label(case, defenders[case_id], discreet=discreet) for case_id, case in by_id.items()}


def _latest_risk(session: Session, case_ids: Iterable[str]) -> dict[str, tuple[date, RiskLevel]]:
    """The latest assessment of each case (its date and level), in the order
    threats.latest_assessment uses: latest ``assessed_on``, then the latest recorded."""
    ids = list(case_ids)
    if not ids:
        return {}
    stmt = (
        select(col(RiskAssessment.case_id), col(RiskAssessment.assessed_on), col(RiskAssessment.risk_level))
        .where(col(RiskAssessment.case_id).in_(ids))
        .order_by(col(RiskAssessment.assessed_on), col(RiskAssessment.created_at))
    )
    return {case_id: (on, RiskLevel(level)) for case_id, on, level in session.exec(stmt)}  # the last one wins


@dataclass(frozen=True)
class CaseAlert:
    """An open emergency or urgent case."""

    case_id: str
    label: str
    urgency: Urgency
    status: CaseStatus
    risk: RiskLevel | None  # of the latest assessment; None: never assessed

    @property
    def marker(self) -> str:
        return urgency_marker(self.urgency)


def case_alerts(session: Session, today: date, *, discreet: bool) -> list[CaseAlert]:
    """Open cases whose urgency is emergency or urgent: emergencies first, then by the
    latest risk (critical first; a case not yet assessed ranks between high and
    medium, as in the case list), then the newest case first."""
    stmt = select(ThreatCase).where(_open_cases(), col(ThreatCase.urgency).in_((Urgency.EMERGENCY, Urgency.URGENT)))
    cases = list(session.exec(stmt))
    labels = _labels(session, cases, discreet=discreet)
    risk = _latest_risk(session, (c.id for c in cases))
    alerts = [
        CaseAlert(c.id, labels[c.id], Urgency(c.urgency), CaseStatus(c.status), risk[c.id][1] if c.id in risk else None)
        for c in cases
    ]
    opened = {c.id: c.opened_on.toordinal() for c in cases}
    return sorted(
        alerts,
        key=lambda a: (
            case_list.URGENCY_RANK[a.urgency],
            case_list.RISK_RANK[a.risk],
            -opened[a.case_id],
            a.label,
            a.case_id,
        ),
    )


@dataclass(frozen=True)
class ActionDue:
    """A case action still to do (planned or under way) with a due date."""

    case_id: str
    label: str
    action_id: str
    title: str
    owner: str
    due_on: date
    overdue: bool
    on_behalf: bool
    #: On the defenders' behalf with neither every defender's consent for its kind of
    #: action, in force, nor a recorded emergency justification: the consent gate will stop it.
    consent_missing: bool
    urgency: Urgency

    def days_late(self, today: date) -> int:
        return (today - self.due_on).days


def _act_consents(session: Session, contact_ids: Iterable[str], today: date) -> dict[tuple[str, str], bool]:
    """Whether each contact's consent in force for each kind of action holds on ``today``
    (the latest, as contacts.current_consent; not expired: consent.standing)."""
    ids = list(contact_ids)
    if not ids:
        return {}
    stmt = (
        select(ConsentRecord)
        .where(col(ConsentRecord.contact_id).in_(ids), col(ConsentRecord.scope).in_(ACTION_SCOPES))
        .order_by(col(ConsentRecord.given_on), col(ConsentRecord.created_at))
    )
    latest = {(r.contact_id, str(r.scope)): r for r in session.exec(stmt)}  # the last one wins
    return {key: consent.standing(r, today).granted for key, r in latest.items()}


def actions_due(
    session: Session, today: date, *, discreet: bool, horizon_days: int = threats.DUE_HORIZON_DAYS
) -> list[ActionDue]:
    """Planned and under-way actions of open cases due by ``today + horizon_days``,
    the most overdue first (then emergencies before the others)."""
    until = today + timedelta(days=horizon_days)
    stmt = (
        select(CaseAction, ThreatCase)
        .join(ThreatCase, col(ThreatCase.id) == CaseAction.case_id)
        .where(
            _open_cases(),
            col(CaseAction.status).in_(threats.OPEN_ACTION),
            col(CaseAction.due_on).is_not(None),
            col(CaseAction.due_on) <= until,
        )
        .order_by(col(CaseAction.due_on), col(CaseAction.created_at))
    )
    rows = list(session.exec(stmt))
    labels = _labels(session, {c.id: c for _, c in rows}.values(), discreet=discreet)
    # The gate (threats._gate): acting for the defenders needs every one's consent,
    # or a recorded emergency justification.
    gated = {a.id: a.case_id for a, _ in rows if a.on_behalf and not a.emergency_justification.strip()}
    defenders: dict[str, list[str]] = {case_id: [] for case_id in gated.values()}
    if defenders:
        for case_id, contact_id in session.exec(
            select(CaseDefender.case_id, CaseDefender.contact_id).where(col(CaseDefender.case_id).in_(list(defenders)))
        ):
            defenders[case_id].append(contact_id)
    held = _act_consents(session, {c for ids in defenders.values() for c in ids}, today)

    def missing(action: CaseAction) -> bool:
        if action.id not in gated:
            return False
        scope = str(consent.scope_of(action))
        return not all(held.get((c, scope), False) for c in defenders[action.case_id])

    found = [
        ActionDue(
            case.id,
            labels[case.id],
            action.id,
            action.title,
            action.owner,
            action.due_on,
            threats.action_overdue(action, today),
            action.on_behalf,
            missing(action),
            Urgency(case.urgency),
        )
        for action, case in rows
        if action.due_on is not None
    ]
    return sorted(found, key=lambda a: (a.due_on, case_list.URGENCY_RANK[a.urgency]))


@dataclass(frozen=True)
class ReferralDue:
    """A referral waiting for an answer that is due (the expected decision date, else
    threats.REFERRAL_CHASE_DAYS after sending: ``chase`` says which)."""

    case_id: str
    label: str
    referral_id: str
    resource: str
    purpose: ReferralPurpose
    status: ReferralStatus
    due_on: date
    overdue: bool
    chase: bool
    #: A mechanism referral's stage, short (issue 19): due a check after waiting at it.
    stage: str = ""

    def days_late(self, today: date) -> int:
        return (today - self.due_on).days


def referrals_due(
    session: Session, today: date, *, discreet: bool, horizon_days: int = threats.DUE_HORIZON_DAYS
) -> list[ReferralDue]:
    """Referrals of open cases still waiting for an answer, due by ``today + horizon_days``
    (threats.referral_due_on), the most overdue first."""
    until = today + timedelta(days=horizon_days)
    stmt = (
        select(Referral, ThreatCase, Resource.name)
        .join(ThreatCase, col(ThreatCase.id) == Referral.case_id)
        .join(Resource, col(Resource.id) == Referral.resource_id, isouter=True)
        .where(_open_cases(), col(Referral.status).in_(threats.PENDING_REFERRAL))
        .order_by(col(Referral.created_at))
    )
    rows = [(r, c, name, threats.referral_due_on(r)) for r, c, name in session.exec(stmt)]
    rows = [row for row in rows if row[3] is not None and row[3] <= until]
    labels = _labels(session, {c.id: c for _, c, _, _ in rows}.values(), discreet=discreet)
    found = [
        ReferralDue(
            case.id,
            labels[case.id],
            r.id,
            name or r.resource_id,
            ReferralPurpose(r.purpose),
            ReferralStatus(r.status),
            due,
            threats.referral_overdue(r, today),
            r.expected_decision_on is None,
            mechanisms.stage_short(r.purpose, r.stage) if r.stage else "",
        )
        for r, case, name, due in rows
        if due is not None
    ]
    return sorted(found, key=lambda r: r.due_on)


@dataclass(frozen=True)
class CaseToReassess:
    """An open case whose latest risk assessment is too old, or that has none."""

    case_id: str
    label: str
    assessed_on: date | None  # None: never assessed
    risk: RiskLevel | None

    def describe(self, today: date) -> str:
        """ "never assessed", or how long ago: "15 days ago"."""
        if self.assessed_on is None:
            return "never assessed"
        days = (today - self.assessed_on).days
        return f"{days} day{'s' if days != 1 else ''} ago"


def cases_to_reassess(
    session: Session, today: date, *, discreet: bool, days: int = threats.REASSESS_DAYS
) -> list[CaseToReassess]:
    """Open cases last assessed more than ``days`` days before ``today`` (assessed
    exactly ``days`` days ago is still in time), or never assessed. The oldest
    first: the never assessed ones (longest open first), then by assessment date."""
    cut = today - timedelta(days=days)
    cases = list(session.exec(select(ThreatCase).where(_open_cases())))
    risk = _latest_risk(session, (c.id for c in cases))
    stale = [c for c in cases if c.id not in risk or risk[c.id][0] < cut]
    labels = _labels(session, stale, discreet=discreet)
    found = [CaseToReassess(c.id, labels[c.id], *risk.get(c.id, (None, None))) for c in stale]
    opened = {c.id: c.opened_on for c in stale}
    return sorted(found, key=lambda r: (r.assessed_on is not None, r.assessed_on or opened[r.case_id], r.label))


# -- for the screens: one transaction per call, plain values back ------------------------------
# The today screen holds no session (issue 17): it hands the app to these functions, which
# open their own transaction and give back frozen views (no ORM instance outlives its
# session). The session-taking functions above stay the steps (the tests call them).


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up due, as the today list shows it: who (name and codename) and what."""

    key: str  # DueFollowUp.key: the follow-up's id, or "planned:<contact id>"
    due_on: date
    description: str
    contact_id: str | None
    contact_name: str
    contact_codename: str

    def who(self, discreet: bool) -> str:
        if self.contact_id is None:
            return "-"
        return self.contact_codename if discreet else self.contact_name

    def days_late(self, today: date) -> int:
        return (today - self.due_on).days


def _follow_up_row(item: DueFollowUp) -> FollowUpRow:
    c = item.contact
    return FollowUpRow(
        item.key, item.due_on, item.description, c.id if c else None, c.name if c else "", c.codename if c else ""
    )


@dataclass(frozen=True)
class HearingRow:
    """A hearing to attend, as the today list shows it (UpcomingHearing's label)."""

    hearing_id: str
    starts_at: datetime
    label: str


@dataclass(frozen=True)
class TodayList:
    """Everything the today screen shows, read in one transaction."""

    alerts: list[CaseAlert]
    follow_ups: list[FollowUpRow]
    actions: list[ActionDue]
    referrals: list[ReferralDue]
    reassess: list[CaseToReassess]
    overdue: contact_list.ContactPage
    hearings: list[HearingRow]
    #: Attacks with no investigation after the post's number of days (issue 19): open ones only.
    unaccounted: list[accountability.UnaccountedRow] = field(default_factory=list)


def read_today(tx: Transactions, today: date, *, discreet: bool) -> TodayList:
    """The today list for ``today``: urgent cases, follow-ups, actions and referrals due,
    cases to reassess, contacts overdue and hearings ahead."""
    with tx.session("reading today's list") as session:
        return TodayList(
            alerts=case_alerts(session, today, discreet=discreet),
            follow_ups=[_follow_up_row(item) for item in follow_ups_due(session, today)],
            actions=actions_due(session, today, discreet=discreet),
            referrals=referrals_due(session, today, discreet=discreet),
            reassess=cases_to_reassess(session, today, discreet=discreet),
            overdue=overdue_contacts(session, today, discreet=discreet),
            hearings=[
                HearingRow(h.hearing.id, h.hearing.starts_at, h.label)
                for h in upcoming_hearings(session, today, discreet=discreet)
            ],
            unaccounted=accountability.unaccounted_rows(session, today, discreet=discreet),
        )


#: Said when a follow-up marked or opened again has changed or gone meanwhile.
FOLLOW_UP_CHANGED = "That follow-up has changed: the list is read again."


def mark_follow_up_done(tx: Transactions, key: str, today: date) -> FollowUpRow:
    """Follow-up ``key`` (still due) done on ``today``; it as it was, so the list can
    keep it, marked done. NotFound if it is no longer due (changed elsewhere)."""
    with tx.session("changing the follow-up") as session:
        item = next((i for i in follow_ups_due(session, today) if i.key == key), None)
        if item is None:
            raise NotFound(FOLLOW_UP_CHANGED)
        row = _follow_up_row(item)
        complete(session, key, today)
    return row


def reopen_follow_up(tx: Transactions, key: str, due_on: date) -> None:
    """Undo ``mark_follow_up_done``: open again (a planned date set back to ``due_on``)."""
    with tx.session("changing the follow-up") as session:
        reopen(session, key, due_on)
