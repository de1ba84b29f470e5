"""One contact: every field, consent, channels, relationships, the interaction
timeline, follow-ups, and the threat cases and trials they appear in; and what
changed in the record over time.

In discreet mode the name, and the names of related contacts, are replaced by
codenames. A contact for whom direct contact is unsafe gets a warning at the
top and above the channels, in words (not only colour).

f corrects one of the records around the contact: picks the record (an
interaction, a channel, a relationship, a follow-up), then what to do with it:
edit, remove (asks first, naming it), retire a channel on a day or reinstate
it, mark a follow-up done or open it again. A retired channel reads "retired
2026-11-20" and is never offered to copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from hrd_tui.sanitize import plural
from hrd_tui.screens import attachments as attachments_screen
from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.places import Placed
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.pick import PickModal
from hrd_tui.screens.widgets.vault_text import VaultText
from hrd_tui.services import contacts, reference
from hrd_tui.services.contacts import (
    ChannelView,
    ContactDetailView,
    FollowUpView,
    InteractionView,
    Person,
    RelatedView,
)

if TYPE_CHECKING:
    from hrd_tui.screens.contact_form import RecordModal

#: The detail view's sections, in order: (id, heading).
SECTIONS = (
    ("profile", "Profile"),
    ("consent", "Consent (in force first; p records a decision)"),
    ("channels", "Secure channels (preferred first; v adds, y copies, f corrects or retires)"),
    ("relationships", "Relationships (l links another contact; f corrects)"),
    ("follow-ups", "Follow-ups (f marks one done, or open again)"),
    ("interactions", "Interactions (i logs one; f corrects)"),
    ("cases", "Threat cases (g opens one)"),
    ("trials", "Trials"),
    ("attachments", attachments_screen.HEADING),
)
UNSAFE = "WARNING: direct contact is marked UNSAFE for this person. Use an intermediary or the channel agreed."


def who(contact: Person | contacts.ContactView, discreet: bool) -> str:
    return contact.codename if discreet else f"{contact.name} ({contact.codename})"


HIDDEN = "(hidden in discreet mode)"


def profile_lines(d: ContactDetailView, discreet: bool, today: date) -> list[str]:
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
        + (f"every {plural(c.cadence_days, 'day')}" if c.cadence_days else "no cadence set")
        + ("    OVERDUE for a check-in" if overdue else ""),
        f"Next follow-up: {d.next_follow_up_on or '-'}",
    ]
    if c.notes:
        lines += ["Notes:", str(shown("notes"))]
    return lines


def consent_lines(d: ContactDetailView) -> list[str]:
    current = d.in_force()
    lines = []
    for scope in current:
        record = current[scope]
        until = f", until {record.ends_on}" if record.ends_on else ""
        lines.append(
            f"{reference.label('consent_scope', scope)}: {reference.label('consent_value', record.value)}"
            f" (given {record.given_on}{until}{', ' + record.how if record.how else ''})"
        )
        if record.names:
            lines.append(f"  {record.names}")
    earlier = [r for r in d.consents if current.get(r.scope) is not r]
    if earlier:
        lines.append("Earlier decisions:")
        lines += [
            f"  {r.given_on} {reference.label('consent_scope', r.scope)}: "
            f"{reference.label('consent_value', r.value)}{' (' + r.how + ')' if r.how else ''}"
            for r in earlier
        ]
    return lines or ["No consent recorded: nothing is done on their behalf, and they are never named."]


def channel_line(ch: ChannelView, discreet: bool) -> str:
    """A channel in words: * when preferred, "retired <day>" when retired (never colour alone)."""
    handle = HIDDEN if discreet and ch.handle else (ch.handle or "-")  # a number or username can name them
    retired = f"  (retired {ch.retired_on})" if ch.retired_on else ""
    return (
        f"{'* ' if ch.preferred else '  '}{reference.label('channel_kind', ch.kind)}: {handle}{retired}"
        f"{'  (' + ch.note + ')' if ch.note else ''}"
    )


def channel_lines(d: ContactDetailView, discreet: bool) -> list[str]:
    lines = [UNSAFE] if not d.contact.direct_contact_safe else []
    lines += [channel_line(ch, discreet) for ch in d.channels]
    return lines or ["No channel recorded."]


def relationship_line(rel: RelatedView, discreet: bool) -> str:
    kind = reference.label("relationship_kind", rel.kind).lower()
    certainty = reference.label("certainty", rel.certainty).lower()
    other = who(rel.other, discreet)
    return f"{kind} {other} ({certainty})" if rel.outgoing else f"{other} is {kind} this contact ({certainty})"


def relationship_lines(d: ContactDetailView, discreet: bool) -> list[str]:
    return [relationship_line(rel, discreet) for rel in d.relationships] or ["None recorded."]


def follow_up_line(f: FollowUpView, today: date) -> str:
    if f.done_on:
        return f"[x] {f.description} (done {f.done_on})"
    return f"[ ] {f.description} (due {f.due_on}{' LATE' if f.due_on < today else ''})"


def follow_up_lines(d: ContactDetailView, today: date) -> list[str]:
    return [follow_up_line(f, today) for f in d.follow_ups] or ["None."]


def interaction_line(it: InteractionView) -> str:
    when = it.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M")
    conveyed = "; conveyed to counterparts" if it.conveyed_to_counterparts else ""
    return f"{when} {reference.label('interaction_kind', it.kind)}{conveyed}: {it.summary}"


def interaction_lines(d: ContactDetailView) -> list[str]:
    return [interaction_line(it) for it in d.interactions] or ["None logged yet."]


def cut(text: str, width: int = 120) -> str:
    """A long summary's start, for a list or a question (the view shows it whole)."""
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Correction:
    """One thing f offers for a record: its words in the pick list, and what it does."""

    label: str
    run: Callable[[], None]


class ContactDetailScreen(Placed, ShellAccess, Screen[None]):
    CSS_PATH = "contacts.tcss"
    BINDINGS = [
        Binding("e", "edit", "Edit", id="contact.edit"),
        Binding("i", "add('interaction')", "Log", id="contact.interaction", tooltip="Log an interaction"),
        Binding("p", "add('consent')", "Consent", id="contact.consent", tooltip="Record a consent decision"),
        Binding("v", "add('channel')", "Channel", id="contact.channel", tooltip="Add a secure channel"),
        Binding(
            "l",
            "add('relationship')",
            "Link",
            id="contact.relationship",
            tooltip="Link to another contact (relationship)",
        ),
        Binding("y", "copy", "Copy", id="contact.copy", tooltip="Copy a channel handle (cleared after 30 s)"),
        # The footer keeps 80 columns: these are in F1 (and the palette); the headings name f.
        Binding(
            "f",
            "correct",
            "Correct",
            id="contact.correct",
            show=False,
            tooltip="Correct a record: edit or remove an interaction, channel or relationship, retire a "
            "channel, a follow-up done or open again",
        ),
        Binding("h", "changes", "Changes", id="contact.changes", show=False, tooltip="What changed in this record"),
        Binding("g", "open_case", "Case", id="contact.case", show=False, tooltip="Open one of their threat cases"),
        Binding("x", "delete", "Delete", id="contact.delete", show=False, tooltip="Delete this contact (asks first)"),
        attachments_screen.binding("contact"),
        Binding("escape,left", "back", "Back", id="contact.back"),
    ]

    def __init__(self, contact_id: str) -> None:
        super().__init__(classes="contact-detail")
        self.contact_id = contact_id
        self.detail: ContactDetailView | None = None
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
        self.show(self.shell.discreet)

    def show(self, discreet: bool) -> None:
        if self.shell.locked or self.deleted:
            return
        today = self.shell.today()
        d = self.detail = contacts.read_detail(self.shell, self.contact_id)
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
            "cases": [
                f"{c.opened_on} [{c.status.value}, {c.urgency.value}] " + (c.discreet_label if discreet else c.title)
                for c in d.cases
            ]
            or ["None."],
            "trials": [f"[{t.status.value}] {t.title}" for t in d.trials] or ["None."],
            "attachments": [attachments_screen.section_text(self.shell, "contact", self.contact_id, discreet)],
        }
        for section_id, lines in body.items():
            self.query_one(f"#detail-{section_id}", VaultText).set_text("\n".join(lines))

    # -- actions ---------------------------------------------------------------------
    def action_open_case(self) -> None:
        cases = self.detail.cases if self.detail else ()
        if not cases:
            self.app.notify("No threat case concerns this contact.", markup=False)
            return
        if len(cases) == 1:
            self.shell.open_case(cases[0].id)
            return
        discreet = self.shell.discreet
        labels = [f"{c.opened_on} [{c.status.value}] " + ("(title hidden)" if discreet else c.title) for c in cases]

        def picked(index: int | None) -> None:
            if index is not None:
                self.shell.open_case(cases[index].id)

        self.app.push_screen(PickModal("Which case?", labels), picked)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_attachments(self) -> None:
        attachments_screen.open_attachments(self, "contact", self.contact_id)

    def action_edit(self) -> None:
        from hrd_tui.screens.contact_form import ContactFormScreen

        self.app.push_screen(ContactFormScreen(self.contact_id))

    def action_add(self, what: str) -> None:
        from hrd_tui.screens.contact_form import ADDERS

        self.app.push_screen(ADDERS[what](self.contact_id))

    def action_copy(self) -> None:
        # A retired channel may be compromised: never offered.
        channels = [ch for ch in (self.detail.channels if self.detail else ()) if ch.handle and not ch.retired_on]
        if not channels:
            self.app.notify("No channel in use with a handle to copy.", severity="warning")
            return

        def copy(index: int | None) -> None:
            if index is not None:
                ch = channels[index]
                self.shell.copy_for_officer(ch.handle, f"The {reference.label('channel_kind', ch.kind)} handle")

        if len(channels) == 1:
            copy(0)
            return
        labels = [f"{reference.label('channel_kind', ch.kind)}: {ch.handle}" for ch in channels]
        self.app.push_screen(PickModal("Copy which handle?", labels), copy)

    def action_changes(self) -> None:
        from hrd_tui.screens.changes import ChangesScreen

        self.app.push_screen(
            ChangesScreen(contacts.CHANGES_RECORD, self.contact_id, contacts.changes_label, contacts.IDENTIFYING)
        )

    def action_delete(self) -> None:
        if self.detail is None:
            return
        label = self.detail.contact.codename  # the question stays on screen: never the name

        def answered(yes: bool | None) -> None:
            if (
                not yes
                or attempt(self, lambda: contacts.remove_contact(self.shell, self.contact_id), kept=False) is REFUSED
            ):
                return
            self.deleted = True  # nothing to show when this screen resumes on its way out
            self.app.notify("Contact deleted (the record is kept in the history until a purge).")
            self.app.pop_screen()

        self.app.push_screen(
            ConfirmModal(
                f"Delete {label}, with their channels, consent records and follow-ups?", yes="Delete", no="Keep"
            ),
            answered,
        )

    # -- correcting the records around the contact (f) ------------------------------
    def action_correct(self) -> None:
        d = self.detail
        if d is None:
            return
        discreet, today = self.shell.discreet, self.shell.today()
        records: list[tuple[str, str, list[Correction]]] = (  # (label, what it is, what can be done)
            [
                (f"Channel: {channel_line(ch, discreet).strip()}", "channel", self._channel_fixes(ch, discreet))
                for ch in d.channels
            ]
            + [
                (
                    f"Relationship: {relationship_line(rel, discreet)}",
                    "relationship",
                    self._relationship_fixes(rel, discreet),
                )
                for rel in d.relationships
            ]
            + [(f"Follow-up: {follow_up_line(f, today)}", "follow-up", self._follow_up_fixes(f)) for f in d.follow_ups]
            + [
                (f"Interaction: {cut(interaction_line(it))}", "interaction", self._interaction_fixes(it))
                for it in d.interactions
            ]
        )
        if not records:
            self.app.notify("Nothing to correct: no channel, relationship, follow-up or interaction yet.", markup=False)
            return

        def picked(index: int | None) -> None:
            if index is None:
                return
            _, what, fixes = records[index]

            def chosen(n: int | None) -> None:
                if n is not None:
                    fixes[n].run()

            # The question in vocabulary words only: the record's own text is in the list.
            self.app.push_screen(PickModal(f"What to do with this {what}?", [fix.label for fix in fixes]), chosen)

        self.app.push_screen(PickModal("Correct which record?", [label for label, _, _ in records]), picked)

    def _write(self, change: Callable[[], object], notice: str) -> None:
        """One service call (its own transaction); the view read again after it."""
        if attempt(self, change, kept=False) is REFUSED:
            return
        self.app.notify(notice, markup=False)
        self.show(self.shell.discreet)

    def _edit(self, modal: RecordModal) -> None:
        def saved(record_id: str | None) -> None:
            if record_id:
                self.app.notify("Corrected (the earlier version is kept in the history).", markup=False)

        self.app.push_screen(modal, saved)

    def _remove(self, question: str, what: str, remove: Callable[[], object]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._write(remove, f"The {what} is removed (its last state is kept in the history until a purge).")

        self.app.push_screen(ConfirmModal(question, yes="Remove", no="Keep"), answered)

    def _channel_fixes(self, ch: ChannelView, discreet: bool) -> list[Correction]:
        from hrd_tui.screens.contact_records import EditChannelModal, RetireChannelModal

        kind = reference.label("channel_kind", ch.kind)
        if ch.retired_on:
            state = Correction(
                f"Reinstate it (in use again; retired {ch.retired_on})",
                lambda: self._write(
                    lambda: contacts.reinstate_channel_by_id(self.shell, ch.id),
                    f"The {kind} channel is in use again (its retirement is in the history).",
                ),
            )
        else:
            state = Correction(
                "Retire it on a day (compromised or no longer used: kept on record, not preferred)",
                lambda: self._edit(RetireChannelModal(self.contact_id, ch.id, kind)),
            )
        question = (
            f"Remove the channel {channel_line(ch, discreet).strip()}? A channel that was used and is no "
            "longer safe is better retired, which keeps it on record with its day."
        )
        return [
            Correction("Edit it", lambda: self._edit(EditChannelModal(self.contact_id, ch.id))),
            state,
            Correction(
                "Remove it (recorded by mistake)",
                lambda: self._remove(question, "channel", lambda: contacts.remove_channel(self.shell, ch.id)),
            ),
        ]

    def _relationship_fixes(self, rel: RelatedView, discreet: bool) -> list[Correction]:
        from hrd_tui.screens.contact_records import EditRelationshipModal

        return [
            Correction("Edit it", lambda: self._edit(EditRelationshipModal(rel.id, rel.from_contact_id))),
            Correction(
                "Remove it",
                lambda: self._remove(
                    f"Remove the relationship: {relationship_line(rel, discreet)}?",
                    "relationship",
                    lambda: contacts.remove_relationship(self.shell, rel.id),
                ),
            ),
        ]

    def _follow_up_fixes(self, f: FollowUpView) -> list[Correction]:
        if f.done_on:
            return [
                Correction(
                    f"Open it again (marked done {f.done_on})",
                    lambda: self._write(
                        lambda: contacts.open_follow_up_again(self.shell, f.id), "Follow-up open again."
                    ),
                )
            ]
        return [
            Correction(
                "Mark it done",
                lambda: self._write(
                    lambda: contacts.mark_follow_up_done(self.shell, f.id, self.shell.today()),
                    "Follow-up marked done (f opens it again).",
                ),
            )
        ]

    def _interaction_fixes(self, it: InteractionView) -> list[Correction]:
        from hrd_tui.screens.contact_records import EditInteractionModal

        def remove() -> None:
            people, follow_ups = contacts.read_interaction_links(self.shell, it.id)
            self._remove(
                f"Remove the interaction {cut(interaction_line(it))}, with who took part ({people}) and its "
                f"follow-ups ({follow_ups})?",
                "interaction",
                lambda: contacts.remove_interaction(self.shell, it.id),
            )

        return [
            Correction("Edit it (and who took part)", lambda: self._edit(EditInteractionModal(self.contact_id, it.id))),
            Correction("Remove it, with its follow-ups", remove),
        ]
