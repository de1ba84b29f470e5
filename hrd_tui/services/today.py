"""What needs the officer today: follow-ups due, contacts overdue for a check-in,
and the hearings of the next two weeks.

Each later section of the today view (emergencies, hearings, referrals) adds
its own function here; the screen only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from hrd_tui.models import Contact, FollowUp, Hearing, Trial
from hrd_tui.services import base, contact_list, contacts, trials

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
    planned = session.exec(select(Contact).where(col(Contact.next_follow_up_on).is_not(None), Contact.next_follow_up_on <= until))
    items += [DueFollowUp(c.next_follow_up_on, "Planned follow-up", c) for c in planned if c.next_follow_up_on]
    return sorted(items, key=lambda item: item.due_on)


def complete(session: Session, key: str, today: date) -> None:
    """Mark a follow-up done, or clear a planned date (the edit keeps the earlier version)."""
    if key.startswith("planned:"):
        contacts.update_contact(session, base.get(session, Contact, key.removeprefix("planned:")), {"next_follow_up_on": None})
    else:
        contacts.complete_follow_up(session, key, today)


def overdue_contacts(session: Session, today: date, *, discreet: bool) -> contact_list.ContactPage:
    """Contacts whose keep-in-touch cadence has passed, longest since contact first
    (the first OVERDUE_LIMIT; the page's total says how many there are)."""
    return contact_list.page(
        session, contact_list.ContactFilter(overdue=True), today=today, sort="last_contact",
        discreet=discreet, limit=OVERDUE_LIMIT,
    )


@dataclass(frozen=True)
class UpcomingHearing:
    """A hearing to attend, with its label: court and case number only in discreet
    mode (the trial's title often names the defendant)."""

    hearing: Hearing
    trial: Trial
    label: str


def upcoming_hearings(session: Session, today: date, *, discreet: bool, days: int = HEARING_HORIZON_DAYS) -> list[UpcomingHearing]:
    """Hearings starting on ``today`` (the local day: one that began this morning still
    counts) up to ``today + days`` inclusive, soonest first."""
    stmt = (
        select(Hearing, Trial)
        .join(Trial, col(Trial.id) == Hearing.trial_id)
        .where(Hearing.starts_at >= trials.day_start(today), Hearing.starts_at < trials.day_start(today + timedelta(days=days + 1)))
        .order_by(col(Hearing.starts_at), col(Hearing.created_at))
    )
    return [UpcomingHearing(h, t, trials.label_hearing(h, t, discreet=discreet, with_time=False)) for h, t in session.exec(stmt)]
