"""Contacts: create and edit with their focus areas, channels and consent; interactions."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from hrd_tui.errors import ValidationError
from hrd_tui.models import (
    ConsentRecord,
    Contact,
    ContactFocusArea,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Relationship,
    SecureChannel,
)
from hrd_tui.services import base, search
from hrd_tui.vocab import ConsentScope, ConsentValue, FocusArea

CODENAME_WORDS = (
    "Heron", "Cedar", "Lantern", "Harbor", "Falcon", "Juniper", "Meridian", "Orchid", "Quartz", "Sparrow",
    "Tamarind", "Willow", "Aster", "Basalt", "Comet", "Delta", "Ember", "Fjord", "Garnet", "Hazel",
)


def new_codename(session: Session) -> str:
    """A codename that gives nothing away and is not yet used."""
    for _ in range(100):
        candidate = f"{secrets.choice(CODENAME_WORDS)}-{secrets.randbelow(900) + 100}"
        if session.exec(select(Contact.id).where(Contact.codename == candidate)).first() is None:
            return candidate
    return f"Contact-{secrets.token_hex(4)}"


def _focus_areas(values: Iterable[str]) -> list[FocusArea]:
    return base.codes(FocusArea, values, "focus_areas")


def create_contact(session: Session, data: Mapping[str, Any], focus_areas: Iterable[str] = ()) -> Contact:
    fields = dict(data)
    if not str(fields.get("codename") or "").strip():
        fields["codename"] = new_codename(session)
    areas = _focus_areas(focus_areas)
    _check_codename_free(session, fields["codename"], None)
    contact = base.create(session, Contact, fields)
    set_focus_areas(session, contact, areas)
    return contact


def _check_codename_free(session: Session, codename: str, own_id: str | None) -> None:
    other = session.exec(select(Contact.id).where(Contact.codename == codename)).first()
    if other is not None and other != own_id:
        raise ValidationError({"codename": "is already used by another contact"})


def update_contact(session: Session, contact: Contact, changes: Mapping[str, Any]) -> Contact:
    if "codename" in changes:
        _check_codename_free(session, str(changes["codename"]), contact.id)
    return base.update(session, contact, changes)


def set_focus_areas(session: Session, contact: Contact, areas: Iterable[str]) -> None:
    wanted = set(_focus_areas(areas))
    current = {row.area: row for row in session.exec(select(ContactFocusArea).where(ContactFocusArea.contact_id == contact.id))}
    for area, row in current.items():
        if area not in wanted:
            session.delete(row)
    for area in wanted - set(current):
        session.add(ContactFocusArea(contact_id=contact.id, area=area))
    session.flush()


def focus_areas(session: Session, contact_id: str) -> list[FocusArea]:
    rows = session.exec(select(ContactFocusArea.area).where(ContactFocusArea.contact_id == contact_id))
    return sorted(rows, key=list(FocusArea).index)


def add_channel(session: Session, contact: Contact, data: Mapping[str, Any]) -> SecureChannel:
    fields = {**data, "contact_id": contact.id}
    if fields.get("preferred"):
        for other in session.exec(select(SecureChannel).where(SecureChannel.contact_id == contact.id, SecureChannel.preferred)):
            other.preferred = False
            session.add(other)
        session.flush()
    return base.create(session, SecureChannel, fields)


def channels(session: Session, contact_id: str) -> list[SecureChannel]:
    """Preferred first."""
    rows = session.exec(select(SecureChannel).where(SecureChannel.contact_id == contact_id))
    return sorted(rows, key=lambda c: (not c.preferred, c.created_at))


def record_consent(session: Session, contact: Contact, data: Mapping[str, Any]) -> ConsentRecord:
    record = base.create(session, ConsentRecord, {**data, "contact_id": contact.id})
    return record


def current_consent(session: Session, contact_id: str, scope: ConsentScope) -> ConsentRecord | None:
    stmt = (
        select(ConsentRecord)
        .where(ConsentRecord.contact_id == contact_id, ConsentRecord.scope == scope)
        .order_by(col(ConsentRecord.given_on).desc(), col(ConsentRecord.created_at).desc())
    )
    return session.exec(stmt).first()


def naming_consent(session: Session, contact_id: str) -> ConsentValue:
    """'never' unless recorded otherwise: reports name nobody by default."""
    record = current_consent(session, contact_id, ConsentScope.NAMING)
    return record.value if record else ConsentValue.NEVER


def relate(session: Session, data: Mapping[str, Any]) -> Relationship:
    return base.create(session, Relationship, data)


def log_interaction(
    session: Session,
    data: Mapping[str, Any],
    participants: Sequence[Contact],
    follow_ups: Sequence[Mapping[str, Any]] = (),
) -> Interaction:
    if not participants:
        raise ValidationError({"participants": "at least one contact took part"})
    interaction = base.create(session, Interaction, data)
    day = interaction.occurred_at.date()
    for contact in participants:
        session.add(InteractionParticipant(interaction_id=interaction.id, contact_id=contact.id))
        if contact.last_contact_on is None or contact.last_contact_on < day:
            base.update(session, contact, {"last_contact_on": day})
    for item in follow_ups:
        base.create(session, FollowUp, {"contact_id": participants[0].id, **item, "interaction_id": interaction.id})
    session.flush()
    return interaction


def interactions_of(session: Session, contact_id: str) -> list[Interaction]:
    stmt = (
        select(Interaction)
        .join(InteractionParticipant, col(InteractionParticipant.interaction_id) == Interaction.id)
        .where(InteractionParticipant.contact_id == contact_id)
        .order_by(col(Interaction.occurred_at).desc())
    )
    return list(session.exec(stmt))


def is_overdue(contact: Contact, today: date) -> bool:
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
    base.delete(session, contact)
