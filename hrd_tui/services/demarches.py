"""Démarches and meetings with officials, tied to the cases and trials they were about.

A démarche is an interaction of the kind 'demarche' (models.Interaction): when, the
official met (a contact, who takes part), the message delivered, the response, and a
follow-up (an ordinary FollowUp with its due date, on the official's contact page and
on Today). It is a kind of interaction rather than a record of its own because it *is*
a meeting: it has a time, a place that may endanger, people present and follow-ups
like any other, counts as contact with the official, and is corrected and removed the
way any interaction is; a separate record would copy all of that.

Any interaction, a démarche or not, can be about threat cases and trials
(interaction_about): it then shows on each case's page and timeline and on each
trial's page. The guidelines' words behind it: "Contact and meet regularly with local
authorities to check on the status of specific human rights cases" (section II),
"Contact host government officials" (II, short-term actions for a defender under
threat), "Speak directly with host government officials to express concerns" (III).

The functions taking ``tx`` open their own transaction and return plain values or frozen
views (the screens and the command line call them); the others take a session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.models import Contact, FollowUp, Interaction, InteractionCase, InteractionTrial, ThreatCase, Trial
from hrd_tui.services import base, case_list, contacts, interaction_about, reference, trials
from hrd_tui.services.base import Transactions
from hrd_tui.services.contacts import FollowUpView, Person
from hrd_tui.vocab import InteractionKind

#: The form's and the command line's names that are not the interaction's own fields.
FORM_ONLY = ("official", "others", "cases", "trials", "follow_up", "follow_up_due")


@dataclass(frozen=True)
class DemarcheView:
    """An interaction as a case's or a trial's page lists it (a démarche or another kind)."""

    id: str
    kind: InteractionKind
    occurred_at: datetime
    official: Person | None  # a démarche's official
    people: tuple[Person, ...]  # everyone who took part, by codename
    message: str
    response: str
    summary: str
    follow_ups: tuple[FollowUpView, ...]
    cases: tuple[str, ...]  # ids
    trials: tuple[str, ...]

    @property
    def is_demarche(self) -> bool:
        return self.kind == InteractionKind.DEMARCHE


def _person(contact: Contact) -> Person:
    return Person(contact.id, contact.name, contact.codename)


def about_case(session: Session, case_id: str) -> list[Interaction]:
    """The interactions linked to a case, newest first."""
    stmt = (
        select(Interaction)
        .join(InteractionCase, col(InteractionCase.interaction_id) == Interaction.id)
        .where(InteractionCase.case_id == case_id)
        .order_by(col(Interaction.occurred_at).desc(), col(Interaction.id))
    )
    return list(session.exec(stmt))


def about_trial(session: Session, trial_id: str) -> list[Interaction]:
    """The interactions linked to a trial, newest first."""
    stmt = (
        select(Interaction)
        .join(InteractionTrial, col(InteractionTrial.interaction_id) == Interaction.id)
        .where(InteractionTrial.trial_id == trial_id)
        .order_by(col(Interaction.occurred_at).desc(), col(Interaction.id))
    )
    return list(session.exec(stmt))


def view(session: Session, it: Interaction) -> DemarcheView:
    official = session.get(Contact, it.official_id) if it.official_id else None
    follow_ups = session.exec(
        select(FollowUp).where(FollowUp.interaction_id == it.id).order_by(col(FollowUp.due_on), col(FollowUp.id))
    )
    return DemarcheView(
        id=it.id,
        kind=it.kind,
        occurred_at=it.occurred_at,
        official=_person(official) if official is not None else None,
        people=tuple(_person(c) for c in contacts.participants_of(session, it.id)),
        message=it.message,
        response=it.response,
        summary=it.summary,
        follow_ups=tuple(FollowUpView(f.id, f.description, f.due_on, f.done_on) for f in follow_ups),
        cases=tuple(interaction_about.case_ids(session, it.id)),
        trials=tuple(interaction_about.trial_ids(session, it.id)),
    )


# -- from what the officer typed -------------------------------------------------------------------


def _resolve(session: Session, values: dict[str, Any], *, today: date) -> dict[str, Any]:
    """The form's or the command line's values made into the service's: the official and
    the others typed as codenames (or names), cases and trials as the lists take them."""
    out: dict[str, Any] = {}
    if "official" in values:
        typed = values.pop("official")
        entries = [typed] if isinstance(typed, str) else list(typed or [])
        entries = [e for e in entries if e.strip()]
        if len(entries) > 1:
            raise ValidationError({"official": "name one official (the others met go under 'also present')"})
        found = contacts.resolve_people(session, entries, "official")
        values["official_id"] = found[0].id if found else None
    if "others" in values:
        out["others"] = contacts.resolve_people(session, values.pop("others") or [], "others")
    if "cases" in values:
        out["cases"] = case_list.resolve_cases(session, values.pop("cases") or [], "cases", today=today)
    if "trials" in values:
        out["trials"] = trials.resolve_trials(session, values.pop("trials") or [], "trials", today=today)
    return out


def _follow_up(values: dict[str, Any]) -> list[dict[str, Any]]:
    follow_up, due = values.pop("follow_up", "") or "", values.pop("follow_up_due", None)
    if follow_up.strip() and due is None:
        raise ValidationError({"follow_up_due": "a follow-up needs a due date"})
    if due is not None and not follow_up.strip():
        raise ValidationError({"follow_up": "say what is to be done by that date"})
    return [{"description": follow_up, "due_on": due}] if follow_up.strip() else []


def log(session: Session, contact_id: str | None, values: Mapping[str, Any], *, today: date) -> Interaction:
    """An interaction as a form or the command line gives it. ``contact_id``: the contact
    whose page it was logged from (they took part); ``official`` (a codename) for a
    démarche, ``others`` (codenames), ``cases`` and ``trials`` (as typed), ``follow_up``
    and ``follow_up_due`` (both or neither)."""
    values = dict(values)
    follow_ups = _follow_up(values)
    links = _resolve(session, values, today=today)
    values["occurred_at"] = values.get("occurred_at") or wallclock.local_now()
    people: list[Contact] = [base.get(session, Contact, contact_id)] if contact_id else []
    people += links.get("others", [])
    if not people and values.get("official_id"):
        people = [base.get(session, Contact, values["official_id"])]
    if not people:
        field = "official" if str(values.get("kind")) == InteractionKind.DEMARCHE else "others"
        raise ValidationError({field: "name who was met"})
    return contacts.log_interaction(
        session, values, people, follow_ups, cases=links.get("cases", ()), trials=links.get("trials", ())
    )


def correct(
    session: Session, interaction_id: str, contact_id: str | None, values: Mapping[str, Any], *, today: date
) -> Interaction:
    """The changed fields of an interaction (as ``log`` takes them); ``others``, when
    changed, are who took part besides ``contact_id`` (and the official)."""
    values = dict(values)
    it = base.get(session, Interaction, interaction_id)
    links = _resolve(session, values, today=today)
    people = None
    if "others" in links:
        people = [base.get(session, Contact, contact_id)] if contact_id else []
        people += links["others"]
        official = values.get("official_id", it.official_id)
        if not people and official:
            people = [base.get(session, Contact, official)]
    return contacts.update_interaction(
        session, it, values, people, cases=links.get("cases"), trials=links.get("trials")
    )


#: The record the changes screen lists the history of, for an interaction (that screen takes the model class).
CHANGES_RECORD = Interaction
#: An interaction's fields that may name people: hidden in the changes view in discreet mode.
FREE_TEXT = frozenset({"summary", "message", "response", "location"})


def changes_label(session: Session, it: Interaction, discreet: bool) -> str:
    """How the changes screen names an interaction: its kind, day and who was met (by codename)."""
    return title(view(session, it), discreet=discreet)


# -- for the screens and the command line: one transaction per call ---------------------------------


def save(tx: Transactions, contact_id: str | None, interaction_id: str | None, values: Mapping[str, Any]) -> str:
    """Log (``interaction_id`` None) or correct an interaction from its form."""
    today = wallclock.today()
    with tx.session("saving") as session:
        if interaction_id is None:
            return log(session, contact_id, values, today=today).id
        return correct(session, interaction_id, contact_id, values, today=today).id


def form_values(tx: Transactions, interaction_id: str, contact_id: str | None) -> dict[str, Any]:
    """An interaction's fields as its edit form starts from them: the official and the
    others by codename (the others: besides ``contact_id`` and the official), the cases
    and trials by the short id reports cite."""
    with tx.session("reading the interaction") as session:
        it = base.get(session, Interaction, interaction_id)
        values: dict[str, Any] = it.model_dump()
        official = session.get(Contact, it.official_id) if it.official_id else None
        values["official"] = official.codename if official is not None else ""
        skip = {contact_id, it.official_id}
        values["others"] = [c.codename for c in contacts.participants_of(session, it.id) if c.id not in skip]
        values["cases"] = [base.short_id(i) for i in interaction_about.case_ids(session, it.id)]
        values["trials"] = [base.short_id(i) for i in interaction_about.trial_ids(session, it.id)]
    return values


def read_for_case(tx: Transactions, case_id: str) -> tuple[DemarcheView, ...]:
    with tx.session("reading the case's démarches") as session:
        base.get(session, ThreatCase, case_id)
        return tuple(view(session, it) for it in about_case(session, case_id))


def read_for_trial(tx: Transactions, trial_id: str) -> tuple[DemarcheView, ...]:
    with tx.session("reading the trial's démarches") as session:
        base.get(session, Trial, trial_id)
        return tuple(view(session, it) for it in about_trial(session, trial_id))


def read_one(tx: Transactions, interaction_id: str) -> DemarcheView:
    with tx.session("reading the interaction") as session:
        return view(session, base.get(session, Interaction, interaction_id))


def remove(tx: Transactions, interaction_id: str) -> None:
    """Remove an interaction logged by mistake (contacts.delete_interaction): its links,
    follow-ups and timeline entries go with it, each kept as a tombstone."""
    contacts.remove_interaction(tx, interaction_id)


def unlink(tx: Transactions, interaction_id: str, *, case_id: str | None = None, trial_id: str | None = None) -> None:
    """Take an interaction off one case or trial (it stays on the others and on the
    contacts' pages); the case's timeline entry goes, the interaction's history keeps the link."""
    with tx.session("unlinking the interaction") as session:
        it = base.get(session, Interaction, interaction_id)
        cases = [i for i in interaction_about.case_ids(session, it.id) if i != case_id]
        kept = [i for i in interaction_about.trial_ids(session, it.id) if i != trial_id]
        interaction_about.set_links(session, it, cases, kept)


def when(d: DemarcheView) -> str:
    """When it happened, on the officer's clock (a time read back from the vault is UTC)."""
    moment = d.occurred_at if d.occurred_at.tzinfo else d.occurred_at.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def title(d: DemarcheView, *, discreet: bool) -> str:
    """When, what and with whom (by codename when discreet): no word of what was said."""
    if d.is_demarche and d.official is not None:
        return f"{when(d)} Démarche with {d.official.who(discreet)}"
    who = ", ".join(p.who(discreet) for p in d.people) or "no one recorded"
    return f"{when(d)} {reference.label('interaction_kind', d.kind)} with {who}"


def line(d: DemarcheView, *, discreet: bool) -> str:
    """One line for a list: the title, then the first line of what was said (and answered)."""
    if d.is_demarche and d.official is not None:
        answer = d.response.strip().splitlines()[0] if d.response.strip() else "no response recorded yet"
        return f"{title(d, discreet=discreet)}: {d.message.strip().splitlines()[0]} | Response: {answer}"
    summary = d.summary.strip().splitlines()[0] if d.summary.strip() else ""
    return title(d, discreet=discreet) + (f": {summary}" if summary else "")
