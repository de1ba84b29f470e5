"""What needs the officer today: follow-ups due and contacts overdue for a check-in.

Each later section of the today view (emergencies, hearings, referrals) adds
its own function here; the screen only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from hrd_tui.models import Contact, FollowUp
from hrd_tui.services import contact_list

#: Follow-ups due within this many days are shown ahead of time.
FOLLOW_UP_HORIZON_DAYS = 7
OVERDUE_LIMIT = 50


@dataclass(frozen=True)
class DueFollowUp:
    follow_up: FollowUp
    contact: Contact | None

    def days_late(self, today: date) -> int:
        return (today - self.follow_up.due_on).days


def follow_ups_due(session: Session, today: date, horizon_days: int = FOLLOW_UP_HORIZON_DAYS) -> list[DueFollowUp]:
    """Open follow-ups due by ``today + horizon_days``, the most overdue first."""
    stmt = (
        select(FollowUp, Contact)
        .join(Contact, col(Contact.id) == FollowUp.contact_id, isouter=True)
        .where(col(FollowUp.done_on).is_(None), FollowUp.due_on <= today + timedelta(days=horizon_days))
        .order_by(col(FollowUp.due_on), col(FollowUp.created_at))
    )
    return [DueFollowUp(f, c) for f, c in session.exec(stmt)]


def overdue_contacts(session: Session, today: date, *, discreet: bool) -> contact_list.ContactPage:
    """Contacts whose keep-in-touch cadence has passed, longest since contact first."""
    return contact_list.page(
        session, contact_list.ContactFilter(overdue=True), today=today, sort="last_contact",
        discreet=discreet, limit=OVERDUE_LIMIT,
    )
