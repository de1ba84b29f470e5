"""One contact: every field, consent, channels, relationships, the interaction
timeline, follow-ups, and the threat cases and trials they appear in; and what
changed in the record over time.

In discreet mode the name, and the names of related contacts, are replaced by
codenames. A contact for whom direct contact is unsafe gets a warning at the
top and above the channels, in words (not only colour).
"""

from __future__ import annotations

from datetime import date

from hrd_tui.screens.places import Placed
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.pick import PickModal
from hrd_tui.screens.widgets.vault_text import VaultText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from hrd_tui.errors import HrdError
from hrd_tui.models import Contact
from hrd_tui.services import base, contacts, reference, threats
from hrd_tui.services.contacts import ContactDetail

#: The detail view's sections, in order: (id, heading).
SECTIONS = (
    ("profile", "Profile"),
    ("consent", "Consent (in force first; p records a decision)"),
    ("channels", "Secure channels (preferred first; v adds, y copies)"),
    ("relationships", "Relationships (l links another contact)"),
    ("follow-ups", "Follow-ups"),
    ("interactions", "Interactions (i logs one)"),
    ("cases", "Threat cases (g opens one)"),
    ("trials", "Trials"),
)
UNSAFE = "WARNING: direct contact is marked UNSAFE for this person. Use an intermediary or the channel agreed."


def who(contact: Contact, discreet: bool) -> str:
    return contact.codename if discreet else f"{contact.name} ({contact.codename})"


HIDDEN = "(hidden in discreet mode)"


def profile_lines(d: ContactDetail, discreet: bool, today: date) -> list[str]:
    c = d.contact
    overdue = contacts.is_overdue(c, today)

    def shown(field: str) -> object:
        value = getattr(c, field)
        return HIDDEN if discreet and field in contacts.IDENTIFYING and value else (value or "-")

    lines = [
        f"Name: {shown('name')}",
        f"Codename: {c.codename}",
        f"Kind: {reference.label('contact_kind', c.kind)}",
        "Focus areas: " + (", ".join(reference.label("focus_area", a) for a in d.focus_areas) or "none"),
        f"Organisation: {c.organisation or '-'}    Role: {c.role or '-'}",
        f"Country: {c.country or '-'}    Region: {c.region or '-'}",
        f"Languages: {', '.join(c.languages) or '-'}    Tags: {', '.join(c.tags) or '-'}",
        f"E-mail: {shown('email')}    Phone: {shown('phone')}",
        f"Direct contact: {'safe' if c.direct_contact_safe else 'UNSAFE'}",
        f"Last contact: {c.last_contact_on or 'never'}    Keep in touch: "
        + (f"every {c.cadence_days} days" if c.cadence_days else "no cadence set")
        + ("    OVERDUE for a check-in" if overdue else ""),
        f"Next follow-up: {d.next_follow_up_on or '-'}",
    ]
    if c.notes:
        lines += ["Notes:", str(shown("notes"))]
    return lines


def consent_lines(d: ContactDetail) -> list[str]:
    current = d.in_force()
    lines = []
    for scope in current:
        record = current[scope]
        lines.append(f"{reference.label('consent_scope', scope)}: {reference.label('consent_value', record.value)}"
                     f" (given {record.given_on}{', ' + record.how if record.how else ''})")
    earlier = [r for r in d.consents if current.get(r.scope) is not r]
    if earlier:
        lines.append("Earlier decisions:")
        lines += [f"  {r.given_on} {reference.label('consent_scope', r.scope)}: "
                  f"{reference.label('consent_value', r.value)}{' (' + r.how + ')' if r.how else ''}" for r in earlier]
    return lines or ["No consent recorded: nothing is done on their behalf, and they are never named."]


def channel_lines(d: ContactDetail, discreet: bool) -> list[str]:
    lines = [UNSAFE] if not d.contact.direct_contact_safe else []
    for ch in d.channels:
        handle = HIDDEN if discreet and ch.handle else (ch.handle or "-")  # a number or username can name them
        lines.append(f"{'* ' if ch.preferred else '  '}{reference.label('channel_kind', ch.kind)}: {handle}"
                     f"{'  (' + ch.note + ')' if ch.note else ''}")
    return lines or ["No channel recorded."]


def relationship_lines(d: ContactDetail, discreet: bool) -> list[str]:
    lines = []
    for rel in d.relationships:
        kind = reference.label("relationship_kind", rel.relationship.kind).lower()
        certainty = reference.label("certainty", rel.relationship.certainty).lower()
        other = who(rel.other, discreet)
        lines.append(f"{kind} {other} ({certainty})" if rel.outgoing else f"{other} is {kind} this contact ({certainty})")
    return lines or ["None recorded."]


def follow_up_lines(d: ContactDetail, today: date) -> list[str]:
    lines = []
    for f in d.follow_ups:
        if f.done_on:
            lines.append(f"[x] {f.description} (done {f.done_on})")
        else:
            late = " LATE" if f.due_on < today else ""
            lines.append(f"[ ] {f.description} (due {f.due_on}{late})")
    return lines or ["None."]


def interaction_lines(d: ContactDetail) -> list[str]:
    lines = []
    for it in d.interactions:
        when = it.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M")
        conveyed = "; conveyed to counterparts" if it.conveyed_to_counterparts else ""
        lines.append(f"{when} {reference.label('interaction_kind', it.kind)}{conveyed}: {it.summary}")
    return lines or ["None logged yet."]


class ContactDetailScreen(Placed, Screen[None]):
    CSS_PATH = "contacts.tcss"
    BINDINGS = [
        Binding("e", "edit", "Edit", id="contact.edit"),
        Binding("i", "add('interaction')", "Log", id="contact.interaction", tooltip="Log an interaction"),
        Binding("p", "add('consent')", "Consent", id="contact.consent", tooltip="Record a consent decision"),
        Binding("v", "add('channel')", "Channel", id="contact.channel", tooltip="Add a secure channel"),
        Binding("l", "add('relationship')", "Link", id="contact.relationship", tooltip="Link to another contact (relationship)"),
        Binding("y", "copy", "Copy", id="contact.copy", tooltip="Copy a channel handle (cleared after 30 s)"),
        # The footer keeps 80 columns: these are in F1 (and the palette).
        Binding("h", "changes", "Changes", id="contact.changes", show=False, tooltip="What changed in this record"),
        Binding("g", "open_case", "Case", id="contact.case", show=False, tooltip="Open one of their threat cases"),
        Binding("x", "delete", "Delete", id="contact.delete", show=False, tooltip="Delete this contact (asks first)"),
        Binding("escape,left", "back", "Back", id="contact.back"),
    ]

    def __init__(self, contact_id: str) -> None:
        super().__init__(classes="contact-detail")
        self.contact_id = contact_id
        self.detail: ContactDetail | None = None
        self.deleted = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="detail-title", single_line=True)
        yield Static("", id="detail-warning", markup=False)
        with VerticalScroll(id="detail-body"):
            for section_id, heading in SECTIONS:
                yield Static(heading, classes="detail-heading", markup=False)
                yield VaultText("", id=f"detail-{section_id}", classes="detail-section")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show)
        self.query_one("#detail-body").focus()

    def on_screen_resume(self) -> None:
        self.show(self.app.discreet)  # type: ignore[attr-defined]

    def show(self, discreet: bool) -> None:
        if self.app.locked or self.deleted:  # type: ignore[attr-defined]
            return
        today = self.app.today()  # type: ignore[attr-defined]
        with self.app.session("reading the contact") as session:  # type: ignore[attr-defined]
            d = self.detail = contacts.detail(session, self.contact_id)
            self.sub_title = "Contact"
            self.query_one("#detail-title", VaultText).set_text(who(d.contact, discreet))
            warning = self.query_one("#detail-warning", Static)
            warning.update(UNSAFE if not d.contact.direct_contact_safe else "")
            warning.display = not d.contact.direct_contact_safe
            body = {
                "profile": profile_lines(d, discreet, today),
                "consent": consent_lines(d),
                "channels": channel_lines(d, discreet),
                "relationships": relationship_lines(d, discreet),
                "follow-ups": follow_up_lines(d, today),
                "interactions": interaction_lines(d),
                # A case's title often names the defender: in discreet mode, the case's codenames.
                "cases": [f"{c.opened_on} [{c.status.value}, {c.urgency.value}] "
                          + (threats.case_label(c, threats.defenders_of(session, c.id), discreet=True) if discreet else c.title)
                          for c in d.cases] or ["None."],
                "trials": [f"[{t.status.value}] {t.title}" for t in d.trials] or ["None."],
            }
        for section_id, lines in body.items():
            self.query_one(f"#detail-{section_id}", VaultText).set_text("\n".join(lines))

    # -- actions ---------------------------------------------------------------------
    def action_open_case(self) -> None:
        cases = self.detail.cases if self.detail else []
        if not cases:
            self.app.notify("No threat case concerns this contact.", markup=False)
            return
        if len(cases) == 1:
            self.app.open_case(cases[0].id)  # type: ignore[attr-defined]
            return
        discreet = self.app.discreet  # type: ignore[attr-defined]
        labels = [f"{c.opened_on} [{c.status.value}] " + ("(title hidden)" if discreet else c.title) for c in cases]

        def picked(index: int | None) -> None:
            if index is not None:
                self.app.open_case(cases[index].id)  # type: ignore[attr-defined]

        self.app.push_screen(PickModal("Which case?", labels), picked)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_edit(self) -> None:
        from hrd_tui.screens.contact_form import ContactFormScreen

        self.app.push_screen(ContactFormScreen(self.contact_id))

    def action_add(self, what: str) -> None:
        from hrd_tui.screens.contact_form import ADDERS

        self.app.push_screen(ADDERS[what](self.contact_id))

    def action_copy(self) -> None:
        channels = [ch for ch in (self.detail.channels if self.detail else []) if ch.handle]
        if not channels:
            self.app.notify("No channel with a handle to copy.", severity="warning")
            return

        def copy(index: int | None) -> None:
            if index is not None:
                ch = channels[index]
                self.app.copy_for_officer(ch.handle, f"The {reference.label('channel_kind', ch.kind)} handle")  # type: ignore[attr-defined]

        if len(channels) == 1:
            copy(0)
            return
        labels = [f"{reference.label('channel_kind', ch.kind)}: {ch.handle}" for ch in channels]
        self.app.push_screen(PickModal("Copy which handle?", labels), copy)

    def action_changes(self) -> None:
        from hrd_tui.screens.changes import ChangesScreen

        self.app.push_screen(ChangesScreen(Contact, self.contact_id, lambda _s, c, discreet: who(c, discreet),
                                           contacts.IDENTIFYING))

    def action_delete(self) -> None:
        if self.detail is None:
            return
        label = self.detail.contact.codename  # the question stays on screen: never the name

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                with self.app.session("deleting the contact") as session:  # type: ignore[attr-defined]
                    contacts.delete_contact(session, base.get(session, Contact, self.contact_id))
            except HrdError as exc:
                self.app.notify(str(exc), severity="error", markup=False)
                return
            self.deleted = True  # nothing to show when this screen resumes on its way out
            self.app.notify("Contact deleted (the record is kept in the history until a purge).")
            self.app.pop_screen()

        self.app.push_screen(ConfirmModal(f"Delete {label}, with their channels, consent records and follow-ups?",
                                          yes="Delete", no="Keep"), answered)
