"""Contacts: create and edit with their focus areas, channels and consent; interactions."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from hrd_tui import wallclock
from hrd_tui.errors import ConstraintViolation, ValidationError
from hrd_tui.models import (
    CaseDefender,
    ConsentRecord,
    Contact,
    ContactFocusArea,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Relationship,
    SecureChannel,
    ThreatCase,
    Trial,
    TrialDefendant,
)
from hrd_tui.sanitize import clean_codename, clean_name, codename_key
from hrd_tui.services import base, contact_list, interaction_about, reference, search
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import (
    NAMING_VALUES,
    CaseStatus,
    Certainty,
    ChannelKind,
    ConsentScope,
    ConsentValue,
    ContactKind,
    FocusArea,
    InteractionKind,
    RelationshipKind,
    TrialStatus,
    Urgency,
)

CODENAME_WORDS = (
    "Heron",
    "Cedar",
    "Lantern",
    "Harbor",
    "Falcon",
    "Juniper",
    "Meridian",
    "Orchid",
    "Quartz",
    "Sparrow",
    "Tamarind",
    "Willow",
    "Aster",
    "Basalt",
    "Comet",
    "Delta",
    "Ember",
    "Fjord",
    "Garnet",
    "Hazel",
)


#: The fields that identify a person: left out of codename-only exports and hidden in
#: discreet mode (an e-mail address or a note often spells the name out).
IDENTIFYING: frozenset[str] = frozenset({"name", "email", "phone", "notes"})

#: Clocks differ a little: an interaction "now" on a slightly fast clock is not in the future.
FUTURE_SLACK = timedelta(minutes=10)


def new_codename(session: Session) -> str:
    """A codename that gives nothing away and is not yet used."""
    for _ in range(100):
        candidate = f"{secrets.choice(CODENAME_WORDS)}-{secrets.randbelow(900) + 100}"
        if codename_owner(session, candidate) is None:
            return candidate
    return f"Contact-{secrets.token_hex(4)}"


def _focus_areas(values: Iterable[str]) -> list[FocusArea]:
    return base.codes(FocusArea, values, "focus_areas")


def clean_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """Names and codenames without invisible characters (sanitize.strip_invisible):
    every way in (forms, CLI import, handover) goes through here."""
    fields = dict(data)
    if "name" in fields:
        fields["name"] = clean_name(fields["name"])
    if "codename" in fields:
        fields["codename"] = clean_codename(fields["codename"])
    return fields


def create_contact(session: Session, data: Mapping[str, Any], focus_areas: Iterable[str] = ()) -> Contact:
    fields = clean_input(data)
    if not str(fields.get("codename") or "").strip():
        fields["codename"] = new_codename(session)
    areas = _focus_areas(focus_areas)
    _check_codename_free(session, fields["codename"], None)
    contact = base.create(session, Contact, fields)
    set_focus_areas(session, contact, areas)
    return contact


def codename_owner(session: Session, codename: str) -> str | None:
    """The contact whose codename is this one once case, accents and spaces are set aside."""
    return session.exec(select(Contact.id).where(Contact.codename_key == codename_key(codename))).first()


def _check_codename_free(session: Session, codename: str, own_id: str | None) -> None:
    other = codename_owner(session, codename)
    if other is not None and other != own_id:
        taken = session.get(Contact, other)
        same = taken is not None and taken.codename == codename.strip()
        raise ValidationError(
            {
                "codename": "is already used by another contact"
                if same
                else f"is the same as {taken.codename if taken else 'another'}'s (case, accents and "
                "spaces do not make a codename different)"
            }
        )


def codename_clashes(session: Session) -> list[list[str]]:
    """Codenames held more than once once folded, which vaults before schema 0004 let in.

    They are reported, never renamed: which contact keeps the name is the officer's call."""
    groups: dict[str, list[str]] = {}
    for codename in session.exec(select(Contact.codename).order_by(col(Contact.created_at))):
        groups.setdefault(codename_key(codename), []).append(codename)
    return [names for names in groups.values() if len(names) > 1]


def update_contact(session: Session, contact: Contact, changes: Mapping[str, Any]) -> Contact:
    """A blank codename gets a new one, as at creation: a contact always has one."""
    changes = clean_input(changes)
    if "codename" in changes and not str(changes["codename"] or "").strip():
        changes = {**changes, "codename": new_codename(session)}
    if "codename" in changes:
        _check_codename_free(session, str(changes["codename"]), contact.id)
    return base.update(session, contact, changes)


def set_focus_areas(session: Session, contact: Contact, areas: Iterable[str]) -> None:
    wanted = set(_focus_areas(areas))
    current = {
        row.area: row for row in session.exec(select(ContactFocusArea).where(ContactFocusArea.contact_id == contact.id))
    }
    for area, row in current.items():
        if area not in wanted:
            session.delete(row)
    for area in wanted - set(current):
        session.add(ContactFocusArea(contact_id=contact.id, area=area))
    session.flush()


def focus_areas(session: Session, contact_id: str) -> list[FocusArea]:
    rows = session.exec(select(col(ContactFocusArea.area)).where(ContactFocusArea.contact_id == contact_id))
    return sorted(rows, key=list(FocusArea).index)


def _unprefer_others(session: Session, contact_id: str, keep: str | None = None) -> None:
    """At most one preferred channel per contact (the schema's rule): the others lose it."""
    for other in session.exec(
        select(SecureChannel).where(SecureChannel.contact_id == contact_id, SecureChannel.preferred)
    ):
        if other.id != keep:
            base.update(session, other, {"preferred": False})


def add_channel(session: Session, contact: Contact, data: Mapping[str, Any]) -> SecureChannel:
    fields = {**data, "contact_id": contact.id}
    if fields.get("retired_on") and fields.get("preferred"):
        raise ValidationError({"preferred": "a retired channel cannot be the preferred one"})
    if fields.get("preferred"):
        _unprefer_others(session, contact.id)
    return base.create(session, SecureChannel, fields)


def update_channel(session: Session, channel: SecureChannel, changes: Mapping[str, Any]) -> SecureChannel:
    """Correct a channel (its kind, handle, note, whether it is preferred); the earlier
    version stays in the history. A retired channel cannot become the preferred one."""
    if "contact_id" in changes and changes["contact_id"] != channel.contact_id:
        raise ValidationError({"contact_id": "a channel stays with its contact"})
    if changes.get("preferred"):
        if changes.get("retired_on", channel.retired_on) is not None:
            raise ValidationError(
                {
                    "preferred": f"this channel was retired on {channel.retired_on}: "
                    "reinstate it before making it the preferred one"
                }
            )
        _unprefer_others(session, channel.contact_id, keep=channel.id)
    return base.update(session, channel, changes)


def retire_channel(session: Session, channel: SecureChannel, on: date | None, today: date) -> SecureChannel:
    """A compromised or abandoned channel retired on a day (kept, shown as retired, never
    preferred: retiring the preferred channel leaves the contact with none preferred)."""
    if on is None:
        raise ValidationError({"retired_on": "say when it was retired"})
    if on > today:
        raise ValidationError({"retired_on": "is in the future: retire a channel once it is no longer used"})
    return base.update(session, channel, {"retired_on": on, "preferred": False})


def reinstate_channel(session: Session, channel: SecureChannel) -> SecureChannel:
    """A retired channel in use again (not preferred until made so); the retirement stays in the history."""
    return base.update(session, channel, {"retired_on": None})


def delete_channel(session: Session, channel: SecureChannel) -> None:
    """Remove a channel recorded by mistake (its last state kept as a tombstone until a
    purge). A channel that was used and is no longer safe is retired instead."""
    base.delete(session, channel)


def channels(session: Session, contact_id: str) -> list[SecureChannel]:
    """Preferred first, then the others in use, then the retired ones."""
    rows = session.exec(select(SecureChannel).where(SecureChannel.contact_id == contact_id))
    return sorted(rows, key=lambda c: (c.retired_on is not None, not c.preferred, c.created_at))


def consent_values(scope: ConsentScope | str) -> tuple[ConsentValue, ...]:
    """The decisions a scope takes: naming never / anonymised / named, the others granted / refused."""
    if str(scope) == ConsentScope.NAMING:
        return NAMING_VALUES
    return tuple(v for v in ConsentValue if v not in NAMING_VALUES)


def record_consent(session: Session, contact: Contact, data: Mapping[str, Any]) -> ConsentRecord:
    """Only the decisions the scope takes (consent_values; the schema refuses the rest,
    said here first, against the field)."""
    scope, value = data.get("scope"), data.get("value")
    if scope and value and str(value) not in consent_values(str(scope)):
        raise ValidationError(
            {"value": "naming takes never, anonymised or named; the other scopes granted, refused or withdrawn"}
        )
    return base.create(session, ConsentRecord, {**data, "contact_id": contact.id})


def current_consent(session: Session, contact_id: str, scope: ConsentScope) -> ConsentRecord | None:
    stmt = (
        select(ConsentRecord)
        .where(ConsentRecord.contact_id == contact_id, ConsentRecord.scope == scope)
        .order_by(col(ConsentRecord.given_on).desc(), col(ConsentRecord.created_at).desc())
    )
    return session.exec(stmt).first()


def consent_names(session: Session, record: ConsentRecord) -> str:
    """Whom a grant names and what it lets be shared, as the screens and exports say it
    ("" when it names none): "resources: Legal Aid Fund; may share: name and identity"."""
    parts = []
    if record.resource_ids:
        parts.append("resources: " + ", ".join(reference.resource_name(session, r) for r in record.resource_ids))
    if record.shared:
        parts.append("may share: " + ", ".join(reference.label("shared_info", s).lower() for s in record.shared))
    if record.missions:
        parts.append("missions: " + ", ".join(record.missions))
    return "; ".join(parts)


def naming_consent(session: Session, contact_id: str) -> ConsentValue:
    """'never' unless recorded otherwise: reports name nobody by default."""
    record = current_consent(session, contact_id, ConsentScope.NAMING)
    return record.value if record else ConsentValue.NEVER


def _check_relationship(session: Session, merged: Mapping[str, Any], own_id: str | None) -> None:
    """Said against the field before the schema would refuse it: a contact related to
    themselves, or the same relationship twice."""
    if merged.get("from_contact_id") == merged.get("to_contact_id"):
        raise ValidationError({"other": "a contact cannot be related to themselves"})
    twin = session.exec(
        select(Relationship.id).where(
            Relationship.from_contact_id == merged.get("from_contact_id"),
            Relationship.to_contact_id == merged.get("to_contact_id"),
            Relationship.kind == str(merged.get("kind")),
            Relationship.id != own_id,
        )
    ).first()
    if twin is not None:
        raise ValidationError({"kind": "this relationship is already recorded"})


def relate(session: Session, data: Mapping[str, Any]) -> Relationship:
    _check_relationship(session, data, None)
    return base.create(session, Relationship, data)


def update_relationship(session: Session, relationship: Relationship, changes: Mapping[str, Any]) -> Relationship:
    """Correct a relationship (its kind, the other contact, certainty, note)."""
    _check_relationship(
        session,
        {
            "from_contact_id": relationship.from_contact_id,
            "kind": relationship.kind,
            "to_contact_id": relationship.to_contact_id,
            **changes,
        },
        relationship.id,
    )
    return base.update(session, relationship, changes)


def delete_relationship(session: Session, relationship: Relationship) -> None:
    """Remove a relationship recorded wrongly (kept as a tombstone until a purge)."""
    base.delete(session, relationship)


def log_interaction(
    session: Session,
    data: Mapping[str, Any],
    participants: Sequence[Contact],
    follow_ups: Sequence[Mapping[str, Any]] = (),
    *,
    cases: Sequence[str] = (),
    trials: Sequence[str] = (),
) -> Interaction:
    """The officer's own calendar day (local time) is the day of the contact; an
    interaction cannot be logged ahead of time, or it would keep the contact from
    ever showing as overdue. ``cases`` and ``trials`` (ids): what it was about; a
    démarche's official takes part (interaction_about)."""
    participants = base.distinct(participants)  # one typed twice is there once (the schema's key)
    if not participants:
        raise ValidationError({"participants": "at least one contact took part"})
    _check_when(data)
    interaction = base.create(session, Interaction, interaction_about.demarche_fields(data))
    participants = _with_official(session, interaction, participants)
    day = interaction.occurred_at.astimezone().date()
    for contact in participants:
        session.add(InteractionParticipant(interaction_id=interaction.id, contact_id=contact.id))
        if contact.last_contact_on is None or contact.last_contact_on < day:
            base.update(session, contact, {"last_contact_on": day})
    # A démarche's follow-up is the official's (README: on the official's page), whoever's
    # page it was logged from; any other interaction's goes to the first who took part.
    owner = interaction.official_id or participants[0].id
    for item in follow_ups:
        base.create(session, FollowUp, {"contact_id": owner, **item, "interaction_id": interaction.id})
    session.flush()
    interaction_about.set_links(session, interaction, cases, trials)
    return interaction


def _with_official(session: Session, interaction: Interaction, people: Sequence[Contact]) -> list[Contact]:
    """Those who took part, the official of a démarche among them (they were met)."""
    if interaction.official_id is None or any(p.id == interaction.official_id for p in people):
        return list(people)
    return [*people, base.get(session, Contact, interaction.official_id)]


def _check_when(data: Mapping[str, Any]) -> None:
    when = data.get("occurred_at")
    if isinstance(when, datetime) and when.tzinfo and when > wallclock.now() + FUTURE_SLACK:
        raise ValidationError({"occurred_at": "is in the future: log an interaction once it has happened"})


def participants_of(session: Session, interaction_id: str) -> list[Contact]:
    """Who took part in an interaction, by codename."""
    stmt = (
        select(Contact)
        .join(InteractionParticipant, col(InteractionParticipant.contact_id) == Contact.id)
        .where(InteractionParticipant.interaction_id == interaction_id)
        .order_by(Contact.codename)
    )
    return list(session.exec(stmt))


def interaction_links(session: Session, interaction_id: str) -> tuple[int, int]:
    """How many took part in an interaction, and how many follow-ups came of it (what
    removing it removes with it)."""
    people = session.exec(
        select(func.count())
        .select_from(InteractionParticipant)
        .where(InteractionParticipant.interaction_id == interaction_id)
    ).one()
    follow_ups = session.exec(
        select(func.count()).select_from(FollowUp).where(FollowUp.interaction_id == interaction_id)
    ).one()
    return int(people), int(follow_ups)


def _recount_last_contact(session: Session, contact_ids: Iterable[str], gone_day: date) -> None:
    """After an interaction on ``gone_day`` is moved or removed: a contact whose last
    contact was that day gets the day of their latest interaction left, or none (then
    they show as due for a check-in, the safe side: the earlier value is in the history)."""
    for contact_id in contact_ids:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.last_contact_on != gone_day:
            continue
        left = interactions_of(session, contact_id)  # latest first
        day = left[0].occurred_at.astimezone().date() if left else None
        if day != contact.last_contact_on:
            base.update(session, contact, {"last_contact_on": day})


def update_interaction(
    session: Session,
    interaction: Interaction,
    changes: Mapping[str, Any],
    participants: Sequence[Contact] | None = None,
    *,
    cases: Sequence[str] | None = None,
    trials: Sequence[str] | None = None,
) -> Interaction:
    """Correct an interaction, and who took part when ``participants`` is given (a removed
    participant leaves a tombstone). Each participant's last contact follows the new day.
    ``cases`` and ``trials`` (ids), when given, are what it was about now; the linked
    cases' timelines follow the correction."""
    if participants is not None and not participants:
        raise ValidationError({"participants": "at least one contact took part"})
    _check_when(changes)
    old_day = interaction.occurred_at.astimezone().date()
    before = {c.id for c in participants_of(session, interaction.id)}
    base.update(session, interaction, interaction_about.demarche_fields(changes, interaction))
    after = before if participants is None else {c.id for c in participants}
    if interaction.official_id is not None:
        after = after | {interaction.official_id}
    for gone in before - after:
        row = session.get(InteractionParticipant, (interaction.id, gone))
        if row is not None:
            session.delete(row)
    for new in after - before:
        session.add(InteractionParticipant(interaction_id=interaction.id, contact_id=new))
    session.flush()
    day = interaction.occurred_at.astimezone().date()
    for contact_id in after:
        contact = base.get(session, Contact, contact_id)
        if contact.last_contact_on is None or contact.last_contact_on < day:
            base.update(session, contact, {"last_contact_on": day})
    _recount_last_contact(session, before | after, old_day)
    interaction_about.set_links(session, interaction, cases, trials)
    return interaction


def delete_interaction(session: Session, interaction: Interaction) -> None:
    """Remove an interaction logged by mistake, with its participants and its follow-ups
    (each kept as a tombstone until a purge); each participant's last contact is counted again."""
    day = interaction.occurred_at.astimezone().date()
    people = [c.id for c in participants_of(session, interaction.id)]
    interaction_about.forget(session, interaction.id)
    base.delete(session, interaction)
    _recount_last_contact(session, people, day)


def interactions_of(session: Session, contact_id: str) -> list[Interaction]:
    stmt = (
        select(Interaction)
        .join(InteractionParticipant, col(InteractionParticipant.interaction_id) == Interaction.id)
        .where(InteractionParticipant.contact_id == contact_id)
        .order_by(col(Interaction.occurred_at).desc())
    )
    return list(session.exec(stmt))


def is_overdue(contact: Contact | ContactView, today: date) -> bool:
    """Keep-in-touch cadence passed, counted from the last real contact."""
    if contact.cadence_days is None:
        return False
    if contact.last_contact_on is None:
        return True
    return contact.last_contact_on + timedelta(days=contact.cadence_days) < today


def list_contacts(session: Session, query: str = "", *, limit: int = 200, offset: int = 0) -> list[Contact]:
    """Contacts matching ``query`` over the full-text index (all when empty), by name."""
    stmt = select(Contact)
    sub = search.matching_refs_sql(query, "contact")
    if sub is not None:
        sql, params = sub
        stmt = stmt.where(col(Contact.id).in_(text(sql).bindparams(**params)))
    stmt = stmt.order_by(Contact.name).offset(offset).limit(limit)
    return list(session.exec(stmt))


def delete_contact(session: Session, contact: Contact) -> None:
    """Delete a contact with their channels, consent records and follow-ups (each kept
    as a tombstone until a purge). Someone a threat case or a trial is about cannot be
    deleted: the case's record would lose who it was for."""
    cases = len(session.exec(select(CaseDefender.case_id).where(CaseDefender.contact_id == contact.id)).all())
    trials = len(session.exec(select(TrialDefendant.trial_id).where(TrialDefendant.contact_id == contact.id)).all())
    if cases or trials:
        held = " and ".join(
            part
            for part in (
                f"{cases} threat case{'s' if cases != 1 else ''}" if cases else "",
                f"{trials} trial{'s' if trials != 1 else ''}" if trials else "",
            )
            if part
        )
        raise ConstraintViolation(f"{contact.codename} is a defender in {held}: they cannot be deleted.")
    met = len(session.exec(select(Interaction.id).where(Interaction.official_id == contact.id)).all())
    if met:
        raise ConstraintViolation(
            f"{contact.codename} is the official met in {met} démarche{'s' if met != 1 else ''}: they cannot be "
            "deleted (correct or remove those first)."
        )
    base.delete(session, contact)


def consent_history(session: Session, contact_id: str) -> list[ConsentRecord]:
    """Every consent decision, the one in force for each scope first, then older ones."""
    stmt = (
        select(ConsentRecord)
        .where(ConsentRecord.contact_id == contact_id)
        .order_by(col(ConsentRecord.given_on).desc(), col(ConsentRecord.created_at).desc())
    )
    return list(session.exec(stmt))


@dataclass(frozen=True)
class Related:
    """A relationship seen from one contact: ``outgoing`` when this contact is its subject."""

    relationship: Relationship
    other: Contact
    outgoing: bool


def relationships_of(session: Session, contact_id: str) -> list[Related]:
    found: list[Related] = []
    for rel in session.exec(select(Relationship).where(Relationship.from_contact_id == contact_id)):
        found.append(Related(rel, base.get(session, Contact, rel.to_contact_id), True))
    for rel in session.exec(select(Relationship).where(Relationship.to_contact_id == contact_id)):
        found.append(Related(rel, base.get(session, Contact, rel.from_contact_id), False))
    return found


def follow_ups_of(session: Session, contact_id: str) -> list[FollowUp]:
    """Open ones first, soonest due first; then the done ones, latest first."""
    rows = list(session.exec(select(FollowUp).where(FollowUp.contact_id == contact_id)))
    open_ = sorted((f for f in rows if f.done_on is None), key=lambda f: f.due_on)
    done = sorted((f for f in rows if f.done_on is not None), key=lambda f: f.done_on or f.due_on, reverse=True)
    return open_ + done


def complete_follow_up(session: Session, follow_up_id: str, today: date) -> FollowUp:
    return base.update(session, base.get(session, FollowUp, follow_up_id), {"done_on": today})


def reopen_follow_up(session: Session, follow_up_id: str) -> FollowUp:
    """A follow-up marked done by mistake is open again (the done version stays in the history)."""
    return base.update(session, base.get(session, FollowUp, follow_up_id), {"done_on": None})


@dataclass
class ContactDetail:
    """Everything the detail view shows, read in one transaction."""

    contact: Contact
    focus_areas: list[FocusArea]
    channels: list[SecureChannel]
    consents: list[ConsentRecord]
    relationships: list[Related]
    interactions: list[Interaction]
    follow_ups: list[FollowUp]
    cases: list[ThreatCase]
    trials: list[Trial]
    next_follow_up_on: date | None = None  # as the contact list shows it (contact_list.next_follow_up)

    def in_force(self) -> dict[ConsentScope, ConsentRecord]:
        current: dict[ConsentScope, ConsentRecord] = {}
        for record in self.consents:  # newest first
            current.setdefault(record.scope, record)
        return current


def detail(session: Session, contact_id: str) -> ContactDetail:
    contact = base.get(session, Contact, contact_id)
    cases = session.exec(
        select(ThreatCase)
        .join(CaseDefender, col(CaseDefender.case_id) == ThreatCase.id)
        .where(CaseDefender.contact_id == contact_id)
        .order_by(col(ThreatCase.opened_on).desc())
    )
    trials = session.exec(
        select(Trial)
        .join(TrialDefendant, col(TrialDefendant.trial_id) == Trial.id)
        .where(TrialDefendant.contact_id == contact_id)
        .order_by(col(Trial.created_at).desc())
    )
    return ContactDetail(
        contact=contact,
        focus_areas=focus_areas(session, contact_id),
        channels=channels(session, contact_id),
        consents=consent_history(session, contact_id),
        relationships=relationships_of(session, contact_id),
        interactions=interactions_of(session, contact_id),
        follow_ups=follow_ups_of(session, contact_id),
        cases=list(cases),
        trials=list(trials),
        next_follow_up_on=contact_list.next_follow_up(session, contact_id),
    )


def by_codenames(session: Session, codenames: Iterable[str], field: str) -> list[Contact]:
    """Contacts named by codename (what an officer types in discreet company); every unknown one named."""
    found: list[Contact] = []
    missing: list[str] = []
    for codename in codenames:
        contact = session.exec(select(Contact).where(Contact.codename_key == codename_key(codename))).first()
        if contact is None:
            missing.append(codename)
        else:
            found.append(contact)
    if missing:
        raise ValidationError({field: f"no contact with codename {', '.join(missing)}"})
    return base.distinct(found)


def resolve_people(session: Session, entries: Iterable[str], field: str) -> list[Contact]:
    """Contacts from what an officer typed: a codename, or enough of a name to find one person."""

    def find(entry: str) -> list[Contact]:
        exact = session.exec(select(Contact).where(Contact.codename_key == codename_key(entry))).first()
        return [exact] if exact else list_contacts(session, entry, limit=6)

    people = base.resolve_each(entries, find, lambda c: c.codename, field, "contact")
    return people


# -- For screens: each function opens its own transaction (services.base.Transactions)
# and returns plain values or frozen views, never an ORM instance that would outlive
# its session. The session-taking functions above stay the steps (the CLI and the
# tests call them).


@dataclass(frozen=True)
class Person:
    """A contact as another record names them: in discreet mode, by codename only."""

    id: str
    name: str
    codename: str

    def who(self, discreet: bool) -> str:
        return self.codename if discreet else f"{self.name} ({self.codename})"


@dataclass(frozen=True)
class ContactView:
    """A contact's own fields, as the detail view shows them."""

    id: str
    name: str
    codename: str
    kind: ContactKind
    organisation: str | None
    role: str | None
    country: str | None
    region: str | None
    languages: tuple[str, ...]
    tags: tuple[str, ...]
    email: str | None
    phone: str | None
    direct_contact_safe: bool
    last_contact_on: date | None
    cadence_days: int | None
    notes: str


@dataclass(frozen=True)
class ChannelView:
    id: str
    kind: ChannelKind
    handle: str
    preferred: bool
    note: str
    retired_on: date | None


@dataclass(frozen=True)
class ConsentView:
    id: str
    scope: ConsentScope
    value: ConsentValue
    given_on: date
    how: str
    ends_on: date | None = None
    names: str = ""  # consent_names: the resources, what may be shared, the missions


@dataclass(frozen=True)
class RelatedView:
    """A relationship seen from one contact: ``outgoing`` when this contact is its subject
    (``from_contact_id``, whom its edit form is opened for)."""

    id: str
    kind: RelationshipKind
    certainty: Certainty
    from_contact_id: str
    other: Person
    outgoing: bool


@dataclass(frozen=True)
class FollowUpView:
    id: str
    description: str
    due_on: date
    done_on: date | None


@dataclass(frozen=True)
class InteractionView:
    id: str
    kind: InteractionKind
    occurred_at: datetime
    summary: str
    conveyed_to_counterparts: bool


@dataclass(frozen=True)
class CaseView:
    """A threat case the contact is a defender in; ``discreet_label`` names it by its
    defenders' codenames (a case's title often names the defender)."""

    id: str
    opened_on: date
    status: CaseStatus
    urgency: Urgency
    title: str
    discreet_label: str


@dataclass(frozen=True)
class TrialView:
    id: str
    status: TrialStatus
    title: str


@dataclass(frozen=True)
class ContactDetailView:
    """Everything the detail view shows, read in one transaction, as plain values."""

    contact: ContactView
    focus_areas: tuple[FocusArea, ...]
    channels: tuple[ChannelView, ...]
    consents: tuple[ConsentView, ...]  # newest first
    relationships: tuple[RelatedView, ...]
    interactions: tuple[InteractionView, ...]
    follow_ups: tuple[FollowUpView, ...]
    cases: tuple[CaseView, ...]
    trials: tuple[TrialView, ...]
    next_follow_up_on: date | None = None

    def in_force(self) -> dict[ConsentScope, ConsentView]:
        current: dict[ConsentScope, ConsentView] = {}
        for record in self.consents:  # newest first
            current.setdefault(record.scope, record)
        return current


def person(contact: Contact) -> Person:
    return Person(contact.id, contact.name, contact.codename)


#: The record the changes screen reads the history of (screens/changes.py).
CHANGES_RECORD = Contact


def changes_label(session: Session, contact: Contact, discreet: bool) -> str:
    """How the changes screen names a contact: by codename in discreet mode."""
    return person(contact).who(discreet)


def contact_view(c: Contact) -> ContactView:
    return ContactView(
        c.id,
        c.name,
        c.codename,
        c.kind,
        c.organisation,
        c.role,
        c.country,
        c.region,
        tuple(c.languages),
        tuple(c.tags),
        c.email,
        c.phone,
        c.direct_contact_safe,
        c.last_contact_on,
        c.cadence_days,
        c.notes,
    )


def detail_view(session: Session, contact_id: str) -> ContactDetailView:
    """``detail`` as plain values (the step of ``read_detail``)."""
    from hrd_tui.services import threats  # threats imports this module

    d = detail(session, contact_id)
    return ContactDetailView(
        contact=contact_view(d.contact),
        focus_areas=tuple(d.focus_areas),
        channels=tuple(
            ChannelView(ch.id, ch.kind, ch.handle, ch.preferred, ch.note, ch.retired_on) for ch in d.channels
        ),
        consents=tuple(
            ConsentView(r.id, r.scope, r.value, r.given_on, r.how, r.ends_on, consent_names(session, r))
            for r in d.consents
        ),
        relationships=tuple(
            RelatedView(
                rel.relationship.id,
                rel.relationship.kind,
                rel.relationship.certainty,
                rel.relationship.from_contact_id,
                person(rel.other),
                rel.outgoing,
            )
            for rel in d.relationships
        ),
        interactions=tuple(
            InteractionView(it.id, it.kind, it.occurred_at, it.summary, it.conveyed_to_counterparts)
            for it in d.interactions
        ),
        follow_ups=tuple(FollowUpView(f.id, f.description, f.due_on, f.done_on) for f in d.follow_ups),
        cases=tuple(
            CaseView(
                c.id,
                c.opened_on,
                c.status,
                c.urgency,
                c.title,
                threats.case_label(c, threats.defenders_of(session, c.id), discreet=True),
            )
            for c in d.cases
        ),
        trials=tuple(TrialView(t.id, t.status, t.title) for t in d.trials),
        next_follow_up_on=d.next_follow_up_on,
    )


def read_detail(tx: Transactions, contact_id: str) -> ContactDetailView:
    with tx.session("reading the contact") as session:
        return detail_view(session, contact_id)


def read_person(tx: Transactions, contact_id: str) -> Person:
    with tx.session("reading the contact") as session:
        return person(base.get(session, Contact, contact_id))


def contact_values(tx: Transactions, contact_id: str) -> dict[str, Any]:
    """A contact's fields as its edit form starts from them, with its focus areas."""
    with tx.session("reading the contact") as session:
        contact = base.get(session, Contact, contact_id)
        values: dict[str, Any] = contact.model_dump()
        values["focus_areas"] = [a.value for a in focus_areas(session, contact.id)]
    return values


def save_contact(tx: Transactions, contact_id: str | None, values: Mapping[str, Any]) -> str:
    """A new contact (``contact_id`` None) or the changed fields of one; its id."""
    values = dict(values)
    areas = values.pop("focus_areas", None)
    with tx.session("saving") as session:
        if contact_id is None:
            return create_contact(session, values, areas or ()).id
        contact = base.get(session, Contact, contact_id)
        update_contact(session, contact, values)
        if areas is not None:
            set_focus_areas(session, contact, areas)
        return contact.id


def remove_contact(tx: Transactions, contact_id: str) -> None:
    with tx.session("deleting the contact") as session:
        delete_contact(session, base.get(session, Contact, contact_id))


def log_contact_interaction(tx: Transactions, contact_id: str, values: Mapping[str, Any]) -> str:
    """An interaction as its form gives it: with ``contact_id``, the codenames in ``others``
    took part; ``follow_up`` and ``follow_up_due`` make a follow-up (both or neither)."""
    values = dict(values)
    follow_up, due = values.pop("follow_up", ""), values.pop("follow_up_due", None)
    others = values.pop("others", [])
    values["occurred_at"] = values.get("occurred_at") or wallclock.local_now()
    if follow_up and due is None:
        raise ValidationError({"follow_up_due": "a follow-up needs a due date"})
    if due is not None and not follow_up:
        raise ValidationError({"follow_up": "say what is to be done by that date"})
    with tx.session("saving") as session:
        people = [base.get(session, Contact, contact_id), *by_codenames(session, others, "others")]
        follow_ups = [{"description": follow_up, "due_on": due}] if follow_up else []
        return log_interaction(session, values, people, follow_ups).id


def interaction_values(tx: Transactions, interaction_id: str, contact_id: str) -> dict[str, Any]:
    """An interaction's fields as its edit form starts from them; ``others``: the codenames
    of those who took part besides ``contact_id``."""
    with tx.session("reading the interaction") as session:
        it = base.get(session, Interaction, interaction_id)
        values: dict[str, Any] = it.model_dump()
        values["others"] = [c.codename for c in participants_of(session, it.id) if c.id != contact_id]
    return values


def correct_interaction(tx: Transactions, contact_id: str, interaction_id: str, values: Mapping[str, Any]) -> str:
    """The changed fields of an interaction; ``others`` (when changed) are who took part
    with ``contact_id``."""
    values = dict(values)
    with tx.session("saving") as session:
        it = base.get(session, Interaction, interaction_id)
        people = None
        if "others" in values:
            people = [base.get(session, Contact, contact_id), *by_codenames(session, values.pop("others"), "others")]
        update_interaction(session, it, values, people)
        return it.id


def read_interaction_links(tx: Transactions, interaction_id: str) -> tuple[int, int]:
    with tx.session("reading the interaction") as session:
        return interaction_links(session, interaction_id)


def remove_interaction(tx: Transactions, interaction_id: str) -> None:
    with tx.session("removing the interaction") as session:
        delete_interaction(session, base.get(session, Interaction, interaction_id))


def add_contact_channel(tx: Transactions, contact_id: str, values: Mapping[str, Any]) -> str:
    with tx.session("saving") as session:
        return add_channel(session, base.get(session, Contact, contact_id), values).id


def channel_values(tx: Transactions, channel_id: str) -> dict[str, Any]:
    with tx.session("reading the channel") as session:
        return base.get(session, SecureChannel, channel_id).model_dump()


def correct_channel(tx: Transactions, channel_id: str, values: Mapping[str, Any]) -> str:
    with tx.session("saving") as session:
        return update_channel(session, base.get(session, SecureChannel, channel_id), values).id


def retire_channel_on(tx: Transactions, channel_id: str, on: date | None, today: date) -> str:
    with tx.session("saving") as session:
        return retire_channel(session, base.get(session, SecureChannel, channel_id), on, today).id


def reinstate_channel_by_id(tx: Transactions, channel_id: str) -> None:
    with tx.session("reinstating the channel") as session:
        reinstate_channel(session, base.get(session, SecureChannel, channel_id))


def remove_channel(tx: Transactions, channel_id: str) -> None:
    with tx.session("removing the channel") as session:
        delete_channel(session, base.get(session, SecureChannel, channel_id))


def relate_to_codename(tx: Transactions, contact_id: str, values: Mapping[str, Any]) -> str:
    """``contact_id`` related to the contact whose codename is ``values["other"]``."""
    values = dict(values)
    with tx.session("saving") as session:
        (other,) = by_codenames(session, [values.pop("other")], "other")
        return relate(session, {**values, "from_contact_id": contact_id, "to_contact_id": other.id}).id


def relationship_values(tx: Transactions, relationship_id: str) -> dict[str, Any]:
    """A relationship's fields as its edit form starts from them; ``other``: the codename."""
    with tx.session("reading the relationship") as session:
        rel = base.get(session, Relationship, relationship_id)
        values: dict[str, Any] = rel.model_dump()
        values["other"] = base.get(session, Contact, rel.to_contact_id).codename
    return values


def correct_relationship(tx: Transactions, relationship_id: str, values: Mapping[str, Any]) -> str:
    values = dict(values)
    with tx.session("saving") as session:
        rel = base.get(session, Relationship, relationship_id)
        if "other" in values:
            (other,) = by_codenames(session, [values.pop("other")], "other")
            values["to_contact_id"] = other.id
        return update_relationship(session, rel, values).id


def remove_relationship(tx: Transactions, relationship_id: str) -> None:
    with tx.session("removing the relationship") as session:
        delete_relationship(session, base.get(session, Relationship, relationship_id))


def mark_follow_up_done(tx: Transactions, follow_up_id: str, today: date) -> None:
    with tx.session("marking the follow-up done") as session:
        complete_follow_up(session, follow_up_id, today)


def open_follow_up_again(tx: Transactions, follow_up_id: str) -> None:
    with tx.session("opening the follow-up again") as session:
        reopen_follow_up(session, follow_up_id)
