"""Correcting the small records around a contact: an interaction (and who took part),
a secure channel, a relationship; retiring a channel on a day. Each form is the one
that added the record (screens/contact_form.py), filled with what is stored; saving
writes only what changed, and the earlier version stays in the history.
"""

from __future__ import annotations

from typing import Any

from hrd_tui.screens.contact_form import ChannelModal, InteractionModal, RecordModal, RelationshipModal
from hrd_tui.screens.widgets.record_form import FieldSpec
from hrd_tui.services import base, contacts
from hrd_tui.services.history import VaultSession as Session

#: The interaction form's fields that make a new follow-up: a follow-up is its own record.
FOLLOW_UP_FIELDS = ("follow_up", "follow_up_due")


class EditInteractionModal(InteractionModal):
    """The interaction as logged; 'Also present' lists the others who took part (this
    contact stays: they are whose record this is)."""

    title_text = "Correct the interaction"
    editing = True

    def __init__(self, contact_id: str, interaction_id: str) -> None:
        super().__init__(contact_id)
        self.interaction_id = interaction_id
        self.draft_prefix = f"interaction-edit:{interaction_id}"

    def specs(self) -> list[FieldSpec]:
        return [spec for spec in super().specs() if spec.name not in FOLLOW_UP_FIELDS]

    def initial_values(self) -> dict[str, Any]:
        with self.app.session("reading the interaction") as session:  # type: ignore[attr-defined]
            it = base.get(session, contacts.Interaction, self.interaction_id)
            values: dict[str, Any] = it.model_dump()
            values["others"] = [c.codename for c in contacts.participants_of(session, it.id) if c.id != self.contact_id]
        return values

    def store(self, session: Session, values: dict[str, Any]) -> str:
        it = base.get(session, contacts.Interaction, self.interaction_id)
        people = None
        if "others" in values:
            people = [base.get(session, contacts.Contact, self.contact_id),
                      *contacts.by_codenames(session, values.pop("others"), "others")]
        contacts.update_interaction(session, it, values, people)
        return it.id


class EditChannelModal(ChannelModal):
    title_text = "Correct the secure channel"
    editing = True

    def __init__(self, contact_id: str, channel_id: str) -> None:
        super().__init__(contact_id)
        self.channel_id = channel_id

    def initial_values(self) -> dict[str, Any]:
        with self.app.session("reading the channel") as session:  # type: ignore[attr-defined]
            return base.get(session, contacts.SecureChannel, self.channel_id).model_dump()

    def store(self, session: Session, values: dict[str, Any]) -> str:
        return contacts.update_channel(session, base.get(session, contacts.SecureChannel, self.channel_id), values).id


class RetireChannelModal(RecordModal):
    """Retire a channel on a day: it stays on record as retired, and is no longer preferred."""

    def __init__(self, contact_id: str, channel_id: str, kind_label: str) -> None:
        super().__init__(contact_id)
        self.channel_id = channel_id
        self.title_text = f"Retire the {kind_label} channel"  # a vocabulary word: never the handle

    def specs(self) -> list[FieldSpec]:
        return [FieldSpec("retired_on", "No longer used since (it stays on record, not preferred)", "date",
                          required=True, placeholder="YYYY-MM-DD or today")]

    def initial_values(self) -> dict[str, Any]:
        return {"retired_on": self.app.today()}  # type: ignore[attr-defined]

    def store(self, session: Session, values: dict[str, Any]) -> str:
        channel = base.get(session, contacts.SecureChannel, self.channel_id)
        return contacts.retire_channel(session, channel, values.get("retired_on"), self.app.today()).id  # type: ignore[attr-defined]


class EditRelationshipModal(RelationshipModal):
    """Opened for the relationship's subject (the contact it starts from), whichever
    side's detail view it was corrected from, so the form reads the same way."""

    title_text = "Correct the relationship"
    editing = True

    def __init__(self, relationship_id: str, subject_id: str) -> None:
        super().__init__(subject_id)
        self.relationship_id = relationship_id

    def initial_values(self) -> dict[str, Any]:
        with self.app.session("reading the relationship") as session:  # type: ignore[attr-defined]
            rel = base.get(session, contacts.Relationship, self.relationship_id)
            values: dict[str, Any] = rel.model_dump()
            values["other"] = base.get(session, contacts.Contact, rel.to_contact_id).codename
        return values

    def store(self, session: Session, values: dict[str, Any]) -> str:
        rel = base.get(session, contacts.Relationship, self.relationship_id)
        if "other" in values:
            (other,) = contacts.by_codenames(session, [values.pop("other")], "other")
            values["to_contact_id"] = other.id
        return contacts.update_relationship(session, rel, values).id
