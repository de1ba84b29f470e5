"""Creating and editing contacts, and the small records around them: an
interaction (with its follow-up), a consent decision, a secure channel, a
relationship. Every form keeps what was typed when the vault refuses it, and
leaving a changed form asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.screens.forms import FORM_BINDINGS, FormActions, FormScreen, choices
from hrd_tui.screens.widgets.record_form import FieldSpec, RecordForm
from hrd_tui.screens.widgets.vault_text import VaultText
from hrd_tui.services import base, contacts, reference
from hrd_tui.services.history import VaultSession as Session
from hrd_tui.vocab import (
    Certainty,
    ChannelKind,
    ConsentScope,
    ContactKind,
    FocusArea,
    InteractionKind,
    RelationshipKind,
)


def contact_specs() -> list[FieldSpec]:
    return [
        # Masked (dots) while discreet mode is on: ContactFormScreen.masked_when_discreet.
        FieldSpec("name", "Name", required=True, draft=True),
        FieldSpec("codename", "Codename (blank: one is made up)", placeholder="e.g. Heron-101", draft=True),
        FieldSpec("kind", "Kind", "choice", choices("contact_kind", ContactKind), required=True),
        FieldSpec("focus_areas", "Focus areas (space toggles)", "multi", choices("focus_area", FocusArea),
                  errors_from=("focus_areas", "area")),
        FieldSpec("organisation", "Organisation", draft=True),
        FieldSpec("role", "Role", draft=True),
        FieldSpec("country", "Country", draft=True),
        FieldSpec("region", "Region", draft=True),
        FieldSpec("languages", "Languages (comma-separated)", "list", draft=True),
        FieldSpec("tags", "Tags (comma-separated)", "list", draft=True),
        FieldSpec("email", "E-mail", draft=True),
        FieldSpec("phone", "Phone", draft=True),
        FieldSpec("direct_contact_safe", "Direct contact is safe", "bool"),
        FieldSpec("cadence_days", "Keep in touch every N days", "int", placeholder="e.g. 30", minimum=1, maximum=3650),
        FieldSpec("next_follow_up_on", "Next follow-up", "date", placeholder="YYYY-MM-DD, today or +N"),
        FieldSpec("notes", "Notes", "long", draft=True),
    ]


class ContactFormScreen(FormScreen):
    masked_when_discreet = ("name", "email", "phone")
    def __init__(self, contact_id: str | None) -> None:
        super().__init__(classes="form-screen")
        self.contact_id = contact_id
        self.title_text = "Edit contact" if contact_id else "New contact"

        self.editing = contact_id is not None
        self.draft_prefix = f"contact:{contact_id or 'new'}"

    def specs(self) -> list[FieldSpec]:
        return contact_specs()


    def initial_values(self) -> dict[str, Any]:
        if self.contact_id is None:
            return {"kind": ContactKind.DEFENDER.value, "direct_contact_safe": True}
        with self.app.session("reading the contact") as session:  # type: ignore[attr-defined]
            contact = base.get(session, contacts.Contact, self.contact_id)
            values: dict[str, Any] = contact.model_dump()
            values["focus_areas"] = [a.value for a in contacts.focus_areas(session, contact.id)]
        return values

    def store(self, session: Session, values: dict[str, Any]) -> str:
        areas = values.pop("focus_areas", None)
        if self.contact_id is None:
            contact = contacts.create_contact(session, values, areas or ())
        else:
            contact = base.get(session, contacts.Contact, self.contact_id)
            contacts.update_contact(session, contact, values)
            if areas is not None:
                contacts.set_focus_areas(session, contact, areas)
        return contact.id


class RecordModal(FormActions, ModalScreen[str | None]):
    """A small form about one contact, over the current screen."""

    CSS_PATH = "forms.tcss"
    BINDINGS = FORM_BINDINGS

    def __init__(self, contact_id: str) -> None:
        super().__init__(classes="record-modal")
        self.contact_id = contact_id

    def compose(self) -> ComposeResult:
        with Vertical(id="record-box"):
            yield Static(self.title_text + "  (Enter or F2 saves, Esc cancels)", classes="record-title", markup=False)
            yield VaultText("", id="record-who", single_line=True)
            yield RecordForm(self.specs(), self.initial_values(), draft_prefix=self.draft_prefix, id="form")

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show_who)  # now, and whenever discreet mode changes
        self.query_one(RecordForm).focus_first()

    def show_who(self, discreet: bool) -> None:
        if self.app.locked:  # type: ignore[attr-defined]
            return
        with self.app.session("reading the contact") as session:  # type: ignore[attr-defined]
            contact = base.get(session, contacts.Contact, self.contact_id)
            who = contact.codename if discreet else f"{contact.name} ({contact.codename})"
        self.query_one("#record-who", VaultText).set_text(f"Contact: {who}")


class InteractionModal(RecordModal):
    """An interaction in a few keys: the summary is first; kind and time have defaults."""

    title_text = "Log an interaction"

    def __init__(self, contact_id: str) -> None:
        super().__init__(contact_id)
        self.draft_prefix = f"interaction:{contact_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("summary", "Summary", required=True, draft=True),
            FieldSpec("kind", "Kind", "choice", choices("interaction_kind", InteractionKind), required=True),
            FieldSpec("occurred_at", "When", "datetime", placeholder="now, HH:MM or YYYY-MM-DD HH:MM"),
            FieldSpec("follow_up", "Follow-up to do (optional)", draft=True, errors_from=("follow_up", "description")),
            FieldSpec("follow_up_due", "Follow-up due", "date", placeholder="YYYY-MM-DD or +N days",
                      errors_from=("follow_up_due", "due_on")),
            FieldSpec("conveyed_to_counterparts", "Concerns conveyed to embassy counterparts", "bool"),
            FieldSpec("others", "Also present (codenames, comma-separated)", "list", errors_from=("others", "participants")),
            FieldSpec("location", "Where (leave blank if it could endanger anyone)"),
            FieldSpec("location_sensitive", "The location is sensitive (never in reports)", "bool"),
        ]

    def initial_values(self) -> dict[str, Any]:
        return {"kind": InteractionKind.MEETING.value, "location_sensitive": True}

    def store(self, session: Session, values: dict[str, Any]) -> str:
        follow_up, due = values.pop("follow_up", ""), values.pop("follow_up_due", None)
        others = values.pop("others", [])
        values["occurred_at"] = values.get("occurred_at") or wallclock.local_now()
        if follow_up and due is None:
            raise ValidationError({"follow_up_due": "a follow-up needs a due date"})
        if due is not None and not follow_up:
            raise ValidationError({"follow_up": "say what is to be done by that date"})
        people = [base.get(session, contacts.Contact, self.contact_id), *contacts.by_codenames(session, others, "others")]
        follow_ups = [{"description": follow_up, "due_on": due}] if follow_up else []
        interaction = contacts.log_interaction(session, values, people, follow_ups)
        return interaction.id



class ConsentModal(RecordModal):
    title_text = "Record a consent decision"

    def __init__(self, contact_id: str, *, scope: str | None = None) -> None:
        super().__init__(contact_id)
        self.scope = scope  # asked from a case: consent to act on the defender's behalf

    def specs(self) -> list[FieldSpec]:
        # Only the decisions the chosen scope takes, offered again when the scope changes.
        by_scope = {scope.value: tuple((v.value, reference.label("consent_value", v.value))
                                       for v in contacts.consent_values(scope)) for scope in ConsentScope}
        return [
            FieldSpec("scope", "Consent to", "choice", choices("consent_scope", ConsentScope), required=True),
            FieldSpec("value", "Decision (choose the scope first)", "choice", required=True,
                      depends_on="scope", choices_by=by_scope),
            FieldSpec("given_on", "Given on", "date", required=True),
            FieldSpec("how", "How it was given", placeholder="e.g. in person, on Signal"),
            FieldSpec("note", "Note"),
        ]

    def initial_values(self) -> dict[str, Any]:
        return {"given_on": self.app.today(), "scope": self.scope}  # type: ignore[attr-defined]

    def store(self, session: Session, values: dict[str, Any]) -> str:
        return contacts.record_consent(session, base.get(session, contacts.Contact, self.contact_id), values).id


class ChannelModal(RecordModal):
    title_text = "Add a secure channel"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("kind", "Channel", "choice", choices("channel_kind", ChannelKind), required=True),
            FieldSpec("handle", "Handle (number, username, key fingerprint...)"),
            FieldSpec("preferred", "Preferred channel", "bool"),
            FieldSpec("note", "Note"),
        ]

    def store(self, session: Session, values: dict[str, Any]) -> str:
        return contacts.add_channel(session, base.get(session, contacts.Contact, self.contact_id), values).id


class RelationshipModal(RecordModal):
    title_text = "Relate to another contact"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("kind", "This contact is", "choice", choices("relationship_kind", RelationshipKind), required=True),
            FieldSpec("other", "...of / with (codename)", required=True, errors_from=("other", "to_contact_id")),
            FieldSpec("certainty", "How certain", "choice", choices("certainty", Certainty), required=True),
            FieldSpec("note", "Note"),
        ]

    def initial_values(self) -> dict[str, Any]:
        return {"kind": RelationshipKind.MEMBER_OF.value, "certainty": Certainty.PROBABLE.value}

    def store(self, session: Session, values: dict[str, Any]) -> str:
        (other,) = contacts.by_codenames(session, [values.pop("other")], "other")
        return contacts.relate(session, {**values, "from_contact_id": self.contact_id, "to_contact_id": other.id}).id


#: What the detail view offers to add, by key.
ADDERS: dict[str, Callable[[str], RecordModal]] = {
    "interaction": InteractionModal,
    "consent": ConsentModal,
    "channel": ChannelModal,
    "relationship": RelationshipModal,
}
