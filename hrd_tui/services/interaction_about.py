"""What an interaction is about (threat cases, trials), and a démarche's own fields.

The guidelines ask the officer to "Contact and meet regularly with local authorities to
check on the status of specific human rights cases" (section II), to "Contact host
government officials" for a defender under threat (its short-term actions), and to
"Speak directly with host government officials to express concerns" (section III).
Such a meeting is an interaction; linked to the cases and trials it was about, it
leaves its trace there: each linked case's timeline carries one entry for it, kept in
step with the interaction here (corrected with it, removed with it or with the link;
each earlier text stays in the history).

This module sits below services.contacts (which calls it when an interaction changes)
and imports no other service that imports contacts; services.demarches is the layer
the screens and the command line use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui.models import (
    Contact,
    Interaction,
    InteractionCase,
    InteractionParticipant,
    InteractionTrial,
    TimelineEvent,
)
from hrd_tui.services import base, reference
from hrd_tui.vocab import InteractionKind, TimelineKind

#: The fields only a démarche has: emptied when an interaction is of another kind.
DEMARCHE_FIELDS = ("official_id", "message", "response")
#: How much of a message or a response a timeline entry quotes (the whole is on the record).
QUOTE = 200


def is_demarche(kind: object) -> bool:
    return str(kind) == InteractionKind.DEMARCHE.value


def demarche_fields(fields: Mapping[str, Any], current: Interaction | None = None) -> dict[str, Any]:
    """``fields`` with the démarche's own fields emptied when the interaction (as it
    will be) is not a démarche: a meeting corrected from a démarche keeps no message
    (the earlier one stays in the history)."""
    out = dict(fields)
    kind = out.get("kind", current.kind if current is not None else None)
    if not is_demarche(kind):
        for name, empty in zip(DEMARCHE_FIELDS, (None, "", ""), strict=True):
            if current is None or getattr(current, name) != empty or name in out:
                out[name] = empty
    return out


def case_ids(session: Session, interaction_id: str) -> list[str]:
    rows = session.exec(select(InteractionCase.case_id).where(InteractionCase.interaction_id == interaction_id))
    return sorted(rows)


def trial_ids(session: Session, interaction_id: str) -> list[str]:
    rows = session.exec(select(InteractionTrial.trial_id).where(InteractionTrial.interaction_id == interaction_id))
    return sorted(rows)


def people_of_case(session: Session, case_id: str) -> set[str]:
    """Everyone at an interaction about the case, the official of a démarche among them: the
    case's timeline names them by codename, so a case export must redact them too."""
    about = select(InteractionCase.interaction_id).where(InteractionCase.case_id == case_id)
    present = session.exec(
        select(InteractionParticipant.contact_id).where(col(InteractionParticipant.interaction_id).in_(about))
    )
    officials = session.exec(select(Interaction.official_id).where(col(Interaction.id).in_(about)))
    return {*present, *(o for o in officials if o)}


def set_links(
    session: Session, interaction: Interaction, cases: Iterable[str] | None, trials: Iterable[str] | None
) -> None:
    """Link ``interaction`` to exactly these cases and trials (ids; None: leave them as
    they are). A removed link leaves a tombstone, and the interaction's history shows
    the lists before (history_hooks.LINK_LISTS); the timelines follow."""
    for wanted, model, column, have in (
        (cases, InteractionCase, "case_id", case_ids),
        (trials, InteractionTrial, "trial_id", trial_ids),
    ):
        if wanted is None:
            continue
        keep = list(dict.fromkeys(wanted))
        before = have(session, interaction.id)
        for gone in (i for i in before if i not in keep):
            row = session.get(model, (interaction.id, gone))
            if row is not None:
                base.delete(session, row)
        for new in (i for i in keep if i not in before):
            session.add(model(**{"interaction_id": interaction.id, column: new}))
        session.flush()
    sync_timeline(session, interaction)


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= QUOTE else line[: QUOTE - 3].rstrip() + "..."


def _codenames(session: Session, interaction: Interaction) -> list[str]:
    rows = session.exec(
        select(Contact.codename)
        .join(InteractionParticipant, col(InteractionParticipant.contact_id) == Contact.id)
        .where(InteractionParticipant.interaction_id == interaction.id)
        .order_by(col(Contact.codename))
    )
    return list(rows)


def timeline_text(session: Session, interaction: Interaction) -> str:
    """The case timeline's entry for an interaction: codenames only (the timeline is shown
    as it is in discreet mode), the first line of what was said."""
    people = _codenames(session, interaction)
    if is_demarche(interaction.kind):
        official = session.get(Contact, interaction.official_id) if interaction.official_id else None
        who = official.codename if official is not None else "an official"
        others = [p for p in people if p != who]
        text = f"Démarche with {who}" + (f" (also present: {', '.join(others)})" if others else "")
        text += f". Message: {_first_line(interaction.message)}"
        response = _first_line(interaction.response)
        return text + (f" Response: {response}" if response else " No response recorded yet.")
    label = reference.label("interaction_kind", interaction.kind)
    text = f"{label} with {', '.join(people) or 'no one recorded'}"
    summary = _first_line(interaction.summary)
    return text + (f": {summary}" if summary else ".")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def events_of(session: Session, interaction_id: str) -> list[TimelineEvent]:
    return list(session.exec(select(TimelineEvent).where(TimelineEvent.ref_id == interaction_id)))


def sync_timeline(session: Session, interaction: Interaction) -> None:
    """One timeline entry per linked case, saying what the interaction says now: made,
    corrected (text, time) or removed here, each change kept in the history."""
    linked = set(case_ids(session, interaction.id))
    text = timeline_text(session, interaction)
    when = _aware(interaction.occurred_at)
    seen: set[str] = set()
    for event in events_of(session, interaction.id):
        if event.case_id not in linked or event.case_id in seen:
            base.delete(session, event)
            continue
        seen.add(event.case_id)
        changes: dict[str, Any] = {}
        if event.text != text:
            changes["text"] = text
        if _aware(event.occurred_at) != when:
            changes["occurred_at"] = when
        if changes:
            base.update(session, event, changes)
    for case_id in sorted(linked - seen):
        base.create(
            session,
            TimelineEvent,
            {
                "case_id": case_id,
                "occurred_at": when,
                "kind": TimelineKind.EVENT,
                "text": text,
                "ref_id": interaction.id,
            },
        )


def forget(session: Session, interaction_id: str) -> None:
    """Before an interaction is deleted: its timeline entries go with it (tombstones kept)."""
    for event in events_of(session, interaction_id):
        base.delete(session, event)
