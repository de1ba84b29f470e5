"""Contacts, their channels, consent, relationships, and interactions with follow-ups."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator
from sqlalchemy import CheckConstraint, Index, UniqueConstraint, event, inspect, text
from sqlalchemy.sql.elements import conv
from sqlmodel import Field, SQLModel

from hrd_tui.models.common import Record, fk, json_list_field, vocab_field
from hrd_tui.sanitize import codename_key
from hrd_tui.vocab import (
    Certainty,
    ChannelKind,
    ConsentScope,
    ConsentValue,
    ContactKind,
    FocusArea,
    InteractionKind,
    RelationshipKind,
)


class ContactBase(SQLModel):
    kind: ContactKind = vocab_field(ContactKind, ContactKind.DEFENDER, index=True)
    name: str = Field(min_length=1, max_length=10_000)
    # Shown instead of the name in discreet mode and in reports: never empty.
    codename: str = Field(min_length=1, max_length=200, unique=True)
    organisation: str | None = Field(default=None, max_length=10_000)
    role: str | None = Field(default=None, max_length=10_000)
    country: str | None = Field(default=None, max_length=200)
    region: str | None = Field(default=None, max_length=200)
    languages: list[str] = json_list_field()
    tags: list[str] = json_list_field()
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=64)
    direct_contact_safe: bool = True
    last_contact_on: date | None = Field(default=None, index=True)
    cadence_days: int | None = Field(default=None, ge=1, le=3650)
    next_follow_up_on: date | None = Field(default=None, index=True)
    notes: str = Field(default="", max_length=1_000_000)

    @field_validator("name", "codename")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


class Contact(ContactBase, Record, table=True):
    # Unique: codenames are one and the same after trimming and folding case and
    # accents (sanitize.codename_key); kept in step by the mapper hook below.
    codename_key: str = Field(default="", max_length=400, unique=True, index=True)
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name=conv("ck_contact_name_not_blank")),
        CheckConstraint("cadence_days IS NULL OR cadence_days > 0", name=conv("ck_contact_cadence_positive")),
    )


class ContactFocusArea(SQLModel, table=True):
    __tablename__ = "contact_focus_area"
    contact_id: str = Field(foreign_key="contact.id", ondelete="CASCADE", primary_key=True)
    area: FocusArea = vocab_field(FocusArea, primary_key=True, index=True)


class SecureChannel(Record, table=True):
    __tablename__ = "secure_channel"
    __table_args__ = (
        # At most one preferred channel per contact, enforced by the schema.
        Index("uq_secure_channel_preferred", "contact_id", unique=True, sqlite_where=text("preferred = 1")),
        CheckConstraint("retired_on IS NULL OR preferred = 0", name=conv("ck_secure_channel_retired_not_preferred")),
    )
    contact_id: str = fk("contact.id")
    kind: ChannelKind = vocab_field(ChannelKind)
    handle: str = Field(default="", max_length=2000)
    preferred: bool = False
    note: str = Field(default="", max_length=10_000)
    # A compromised or abandoned channel is retired, not deleted: the history of
    # how a defender was reached stays, and a retired channel is never preferred.
    retired_on: date | None = None


class ConsentRecord(Record, table=True):
    """One recorded consent decision; the latest per scope is the one in force,
    earlier ones are kept as the record of what was agreed when."""

    __tablename__ = "consent_record"
    __table_args__ = (
        CheckConstraint(
            "(scope = 'naming' AND value IN ('never', 'anonymised', 'named')) OR "
            "(scope != 'naming' AND value IN ('granted', 'refused', 'withdrawn'))",
            name=conv("ck_consent_record_value_fits_scope"),
        ),
        CheckConstraint("ends_on IS NULL OR ends_on >= given_on", name=conv("ck_consent_record_ends_after_given")),
    )
    contact_id: str = fk("contact.id")
    scope: ConsentScope = vocab_field(ConsentScope)
    value: ConsentValue = vocab_field(ConsentValue)
    given_on: date
    #: The last day a granted consent holds (None: until withdrawn); after it, not granted.
    ends_on: date | None = None
    how: str = Field(default="", max_length=2000)
    note: str = Field(default="", max_length=10_000)
    #: A referral consent: the resources (ids of data/resources.toml) it covers...
    resource_ids: list[str] = json_list_field(server_default=True)
    #: ...and what may be shared with them (vocab.SharedInfo values).
    shared: list[str] = json_list_field(server_default=True)
    #: Sharing with missions: the missions it names, as the officer wrote them.
    missions: list[str] = json_list_field(server_default=True)


class Relationship(Record, table=True):
    __tablename__ = "contact_relationship"
    __table_args__ = (
        CheckConstraint("from_contact_id != to_contact_id", name=conv("ck_contact_relationship_not_self")),
        UniqueConstraint("from_contact_id", "to_contact_id", "kind", name=conv("uq_contact_relationship_triple")),
    )
    from_contact_id: str = fk("contact.id")
    to_contact_id: str = fk("contact.id")
    kind: RelationshipKind = vocab_field(RelationshipKind)
    certainty: Certainty = vocab_field(Certainty, Certainty.PROBABLE)
    note: str = Field(default="", max_length=10_000)


class Interaction(Record, table=True):
    __table_args__ = (
        # A démarche is the official met, and the message delivered to them (their
        # response may not have come yet): services.interaction_about says so first.
        CheckConstraint(
            "kind != 'demarche' OR (official_id IS NOT NULL AND length(trim(message)) > 0)",
            name=conv("ck_interaction_demarche_official_message"),
        ),
    )
    kind: InteractionKind = vocab_field(InteractionKind)
    occurred_at: datetime = Field(index=True)
    # Optional: a location can endanger people. A sensitive one never leaves
    # the vault in reports.
    location: str | None = Field(default=None, max_length=2000)
    location_sensitive: bool = True
    summary: str = Field(default="", max_length=1_000_000)
    conveyed_to_counterparts: bool = False
    #: A démarche (kind 'demarche'): the official met (one of those who took part; a
    #: contact who is the official of one cannot be deleted), the message delivered and
    #: the response given. Empty on any other kind.
    official_id: str | None = fk("contact.id", nullable=True, ondelete="RESTRICT")
    message: str = Field(default="", max_length=100_000, sa_column_kwargs={"server_default": ""})
    response: str = Field(default="", max_length=100_000, sa_column_kwargs={"server_default": ""})


class InteractionCase(SQLModel, table=True):
    """A threat case an interaction was about (a démarche raising it, a meeting on it):
    it shows on the case's page and timeline."""

    __tablename__ = "interaction_case"
    interaction_id: str = Field(foreign_key="interaction.id", ondelete="CASCADE", primary_key=True)
    case_id: str = Field(foreign_key="threat_case.id", ondelete="CASCADE", primary_key=True, index=True)


class InteractionTrial(SQLModel, table=True):
    """A trial an interaction was about: it shows on the trial's page."""

    __tablename__ = "interaction_trial"
    interaction_id: str = Field(foreign_key="interaction.id", ondelete="CASCADE", primary_key=True)
    trial_id: str = Field(foreign_key="trial.id", ondelete="CASCADE", primary_key=True, index=True)


class InteractionParticipant(SQLModel, table=True):
    __tablename__ = "interaction_participant"
    interaction_id: str = Field(foreign_key="interaction.id", ondelete="CASCADE", primary_key=True)
    contact_id: str = Field(foreign_key="contact.id", ondelete="CASCADE", primary_key=True, index=True)


class FollowUp(Record, table=True):
    __tablename__ = "follow_up"
    interaction_id: str | None = fk("interaction.id", nullable=True)
    contact_id: str | None = fk("contact.id", nullable=True)
    description: str = Field(min_length=1, max_length=10_000)
    due_on: date = Field(index=True)
    done_on: date | None = None


@event.listens_for(Contact, "before_insert")
@event.listens_for(Contact, "before_update")
def _keep_codename_key(_mapper: object, _conn: object, contact: Contact) -> None:
    """Every way a codename is written (forms, imports, handover) sets its key here.

    Only when the codename itself changes: a key the 0004 migration had to make
    distinct for an old clash stays until that codename is changed."""
    if not contact.codename_key or inspect(contact).attrs.codename.history.has_changes():
        contact.codename_key = codename_key(contact.codename)
