"""Creating and editing contacts, and the small records around them: an
interaction (with its follow-up), a consent decision, a secure channel, a
relationship. Every form keeps what was typed when the vault refuses it, and
leaving a changed form asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hrd_tui.screens.demarches import demarche_specs, follow_up_specs, link_specs
from hrd_tui.screens.forms import FormScreen, ModalFormScreen, choices
from hrd_tui.screens.widgets.record_form import FieldSpec
from hrd_tui.services import consent, contacts, demarches, reference, threats
from hrd_tui.vocab import (
    Certainty,
    ChannelKind,
    ConsentScope,
    ContactKind,
    FocusArea,
    InteractionKind,
    RelationshipKind,
    SharedInfo,
)


def contact_specs() -> list[FieldSpec]:
    return [
        # Masked (dots) while discreet mode is on: ContactFormScreen.masked_when_discreet.
        FieldSpec("name", "Name", required=True, draft=True),
        FieldSpec("codename", "Codename (blank: one is made up)", placeholder="e.g. Heron-101", draft=True),
        FieldSpec("kind", "Kind", "choice", choices("contact_kind", ContactKind), required=True),
        FieldSpec(
            "focus_areas",
            "Focus areas (space toggles)",
            "multi",
            choices("focus_area", FocusArea),
            errors_from=("focus_areas", "area"),
        ),
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
        return contacts.contact_values(self.shell, self.contact_id)

    def save(self, values: dict[str, Any]) -> str:
        return contacts.save_contact(self.shell, self.contact_id, values)


class RecordModal(ModalFormScreen):
    """A small form about one contact, over the current screen."""

    who_single_line = True

    def __init__(self, contact_id: str) -> None:
        super().__init__()
        self.contact_id = contact_id

    def who(self, discreet: bool) -> str:
        return f"Contact: {contacts.read_person(self.shell, self.contact_id).who(discreet)}"


class InteractionModal(RecordModal):
    """An interaction in a few keys: the summary is first; kind and time have defaults."""

    title_text = "Log an interaction"

    def __init__(self, contact_id: str) -> None:
        super().__init__(contact_id)
        self.draft_prefix = f"interaction:{contact_id}"

    def specs(self) -> list[FieldSpec]:
        # A démarche's own fields follow the kind; what it was about (cases, trials) is
        # asked of every interaction (screens/demarches.py).
        return [
            FieldSpec("summary", "Summary", required=True, draft=True),
            FieldSpec("kind", "Kind", "choice", choices("interaction_kind", InteractionKind), required=True),
            *demarche_specs(),
            FieldSpec("occurred_at", "When", "datetime", placeholder="now, HH:MM or YYYY-MM-DD HH:MM"),
            *follow_up_specs(),
            FieldSpec("conveyed_to_counterparts", "Concerns conveyed to embassy counterparts", "bool"),
            FieldSpec(
                "others", "Also present (codenames, comma-separated)", "list", errors_from=("others", "participants")
            ),
            *link_specs(),
            FieldSpec("location", "Where (leave blank if it could endanger anyone)"),
            FieldSpec("location_sensitive", "The location is sensitive (never in reports)", "bool"),
        ]

    def initial_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {"kind": InteractionKind.MEETING.value, "location_sensitive": True}
        own = contacts.contact_values(self.shell, self.contact_id)
        if own.get("kind") == ContactKind.GOVERNMENT_OFFICIAL:  # a démarche from their page: they were met
            values["official"] = own.get("codename", "")
        return values

    def save(self, values: dict[str, Any]) -> str:
        return demarches.save(self.shell, self.contact_id, None, values)


class ConsentModal(RecordModal):
    """A consent decision for one kind of action (issue 18): granted (until an optional
    end date), refused, or withdrawn (what is not yet done on it stops)."""

    title_text = "Record a consent decision"

    def __init__(self, contact_id: str, *, scope: str | None = None) -> None:
        super().__init__(contact_id)
        self.scope = scope  # asked from a case: the kind of action the selected one is

    def specs(self) -> list[FieldSpec]:
        # Only the decisions the chosen scope takes, offered again when the scope changes.
        # The single "act on behalf" consent of older vaults is no longer offered.
        offered = [s for s in ConsentScope if s != ConsentScope.ACT_ON_BEHALF]
        by_scope = {
            scope.value: tuple(
                (v.value, reference.label("consent_value", v.value)) for v in contacts.consent_values(scope)
            )
            for scope in offered
        }
        return [
            FieldSpec("scope", "Consent to", "choice", choices("consent_scope", offered), required=True),
            FieldSpec(
                "value",
                "Decision (choose the scope first)",
                "choice",
                required=True,
                depends_on="scope",
                choices_by=by_scope,
            ),
            FieldSpec("given_on", "Given on", "date", required=True),
            FieldSpec(
                "ends_on",
                "Ends on (optional: the last day a grant holds)",
                "date",
                placeholder="YYYY-MM-DD or +N days",
            ),
            FieldSpec("how", "How it was given", placeholder="e.g. in person, on Signal"),
            # What a grant names (consent.NAMES), asked for only with the kind that names it.
            FieldSpec(
                "resource_ids",
                "Referral: the resources it covers (space toggles)",
                "multi",
                tuple((r.id, r.choice_label) for r in threats.resource_views(self.shell)),  # none retired
                depends_on="scope",
                shown_for=(ConsentScope.REFERRAL.value,),
            ),
            FieldSpec(
                "shared",
                "Referral: what may be shared with them (space toggles)",
                "multi",
                choices("shared_info", SharedInfo),
                depends_on="scope",
                shown_for=(ConsentScope.REFERRAL.value,),
            ),
            FieldSpec(
                "missions",
                "Sharing with missions: which ones (comma-separated)",
                "list",
                depends_on="scope",
                shown_for=(ConsentScope.SHARE_WITH_MISSIONS.value,),
            ),
            FieldSpec("note", "Note"),
        ]

    def initial_values(self) -> dict[str, Any]:
        return {"given_on": self.shell.today(), "scope": self.scope}

    def save(self, values: dict[str, Any]) -> str:
        return consent.save_consent(self.shell, self.contact_id, values)


class ChannelModal(RecordModal):
    title_text = "Add a secure channel"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("kind", "Channel", "choice", choices("channel_kind", ChannelKind), required=True),
            FieldSpec("handle", "Handle (number, username, key fingerprint...)"),
            FieldSpec("preferred", "Preferred channel", "bool"),
            FieldSpec("note", "Note"),
        ]

    def save(self, values: dict[str, Any]) -> str:
        return contacts.add_contact_channel(self.shell, self.contact_id, values)


class RelationshipModal(RecordModal):
    title_text = "Relate to another contact"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec(
                "kind", "This contact is", "choice", choices("relationship_kind", RelationshipKind), required=True
            ),
            FieldSpec("other", "...of / with (codename)", required=True, errors_from=("other", "to_contact_id")),
            FieldSpec("certainty", "How certain", "choice", choices("certainty", Certainty), required=True),
            FieldSpec("note", "Note"),
        ]

    def initial_values(self) -> dict[str, Any]:
        return {"kind": RelationshipKind.MEMBER_OF.value, "certainty": Certainty.PROBABLE.value}

    def save(self, values: dict[str, Any]) -> str:
        return contacts.relate_to_codename(self.shell, self.contact_id, values)


#: What the detail view offers to add, by key.
ADDERS: dict[str, Callable[[str], RecordModal]] = {
    "interaction": InteractionModal,
    "consent": ConsentModal,
    "channel": ChannelModal,
    "relationship": RelationshipModal,
}
