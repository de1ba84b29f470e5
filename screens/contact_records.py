"""Correcting the small records around a contact: an interaction (and who took part),
a secure channel, a relationship; retiring a channel on a day. Each form is the one
that added the record (screens/contact_form.py), filled with what is stored; saving
writes only what changed, and the earlier version stays in the history.
"""

from __future__ import annotations

from typing import Any

from hrd_tui.screens.contact_form import ChannelModal, InteractionModal, RecordModal, RelationshipModal
from hrd_tui.screens.widgets.record_form import FieldSpec
from hrd_tui.services import contacts, demarches

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
        return demarches.form_values(self.shell, self.interaction_id, self.contact_id)

    def save(self, values: dict[str, Any]) -> str:
        return demarches.save(self.shell, self.contact_id, self.interaction_id, values)


class EditChannelModal(ChannelModal):
    title_text = "Correct the secure channel"
    editing = True

    def __init__(self, contact_id: str, channel_id: str) -> None:
        super().__init__(contact_id)
        self.channel_id = channel_id

    def initial_values(self) -> dict[str, Any]:
        return contacts.channel_values(self.shell, self.channel_id)

    def save(self, values: dict[str, Any]) -> str:
        return contacts.correct_channel(self.shell, self.channel_id, values)


class RetireChannelModal(RecordModal):
    """Retire a channel on a day: it stays on record as retired, and is no longer preferred."""

    def __init__(self, contact_id: str, channel_id: str, kind_label: str) -> None:
        super().__init__(contact_id)
        self.channel_id = channel_id
        self.title_text = f"Retire the {kind_label} channel"  # a vocabulary word: never the handle

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec(
                "retired_on",
                "No longer used since (it stays on record, not preferred)",
                "date",
                required=True,
                placeholder="YYYY-MM-DD or today",
            )
        ]

    def initial_values(self) -> dict[str, Any]:
        return {"retired_on": self.shell.today()}

    def save(self, values: dict[str, Any]) -> str:
        return contacts.retire_channel_on(self.shell, self.channel_id, values.get("retired_on"), self.shell.today())


class EditRelationshipModal(RelationshipModal):
    """Opened for the relationship's subject (the contact it starts from), whichever
    side's detail view it was corrected from, so the form reads the same way."""

    title_text = "Correct the relationship"
    editing = True

    def __init__(self, relationship_id: str, subject_id: str) -> None:
        super().__init__(subject_id)
        self.relationship_id = relationship_id

    def initial_values(self) -> dict[str, Any]:
        return contacts.relationship_values(self.shell, self.relationship_id)

    def save(self, values: dict[str, Any]) -> str:
        return contacts.correct_relationship(self.shell, self.relationship_id, values)
