"""Forms: one full screen (or a small modal) per record, described as data.

Saving and leaving are the same everywhere: Enter in a one-line field or F2
saves in one transaction; a refusal puts each message under its field and keeps
what was typed; leaving a changed form asks first; one-line fields marked as
drafts survive a lock, a hang-up or a crash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Static

from hrd_tui import wallclock
from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.places import Placed
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.record_form import FieldSpec, RecordForm
from hrd_tui.screens.widgets.vault_text import VaultText
from hrd_tui.services import reference


def choices(vocabulary: str, enum: Any) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, reference.label(vocabulary, m.value)) for m in enum)


#: Textual only reads BINDINGS from widget classes, so each form class names these.
#: Every F-key has a ctrl+letter twin for terminals without F-keys (some phone SSH clients):
#: ctrl+o saves or confirms (nano's "write out"), ctrl+f finds, ctrl+n creates, ctrl+r drafts.
FORM_BINDINGS: list[BindingType] = [
    Binding("f2,ctrl+o", "save", "Save", id="form.save", key_display="f2 ^o"),
    Binding("escape,ctrl+g", "leave", "Back", id="form.back"),
]


if TYPE_CHECKING:
    # What FormActions asks of the Screen it is mixed into (query_one, dismiss, app): a
    # Screen base for mypy only, since the result type differs (a record's id; settings, None).
    _ScreenBase = Screen[Any]
else:
    _ScreenBase = object


class FormActions(Placed, ShellAccess, _ScreenBase):
    """Saving and leaving, shared by full-screen forms and small modal ones.

    Subclasses say what is edited (``specs``, ``initial_values``) and how it is
    saved (``save``: one service call, which opens its own transaction and raises
    ValidationError to refuse).
    """

    title_text = ""
    is_form = True  # the app keeps w (quick note) from jumping over a half-filled form
    editing = False  # an edit saves only the fields that changed
    masked_when_discreet: tuple[str, ...] = ()  # one-line fields shown as dots in discreet mode
    draft_prefix = ""  # one-line fields marked draft=True survive a lock, a hang-up or a crash

    def specs(self) -> list[FieldSpec]:
        raise NotImplementedError

    def initial_values(self) -> dict[str, Any]:
        return {}

    def save(self, values: dict[str, Any]) -> str:
        """Hand ``values`` to the service that keeps them (one call, its own transaction);
        the saved record's id."""
        raise NotImplementedError

    def on_record_form_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        form = self.query_one(RecordForm)
        today = self.shell.today()
        values, errors = form.values(only_changed=self.editing, today=today, now=wallclock.local_now())
        if errors:
            form.show_errors(errors)
            return
        if self.editing and not values:
            self.discard_drafts()
            self.dismiss(None)
            return
        record_id = attempt(self, lambda: self.save(values), form=form)
        if record_id is REFUSED:
            return
        self.discard_drafts()
        self.dismiss(record_id)

    def discard_drafts(self) -> None:
        """Saved for real, or thrown away on purpose: the unfinished copies go too."""
        if self.draft_prefix:
            for spec in self.specs():
                if spec.draft:
                    self.shell.draft_changed(f"{self.draft_prefix}:{spec.name}", "")
            self.shell.flush_drafts()

    def action_leave(self) -> None:
        if not self.query_one(RecordForm).dirty:
            self.discard_drafts()
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.discard_drafts()
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal("Leave without saving? Your changes will be lost.", yes="Leave", no="Stay"), answered
        )


class FormScreen(FormActions, Screen[str | None]):
    CSS_PATH = "forms.tcss"
    BINDINGS = FORM_BINDINGS

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(self.title_text + "  (Enter or F2 saves, Tab moves, Esc leaves)", id="form-title", markup=False)
        yield RecordForm(self.specs(), self.initial_values(), draft_prefix=self.draft_prefix, id="form")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(RecordForm).focus_first()
        if self.masked_when_discreet:
            self.watch(self.app, "discreet", self.mask)  # now, and whenever discreet mode changes

    def mask(self, discreet: bool) -> None:
        for name in self.masked_when_discreet:
            for field in self.query(f"#field-{name}").results(Input):  # a field only some forms have
                field.password = discreet


class ModalFormScreen(FormActions, ModalScreen[str | None]):
    """A small form about one record, over the current screen: its title, a line saying
    whose record it is (``who``: the contact, the case), then its fields."""

    CSS_PATH = "forms.tcss"
    BINDINGS = FORM_BINDINGS
    who_single_line: ClassVar[bool] = False

    def __init__(self) -> None:
        super().__init__(classes="record-modal")

    def compose(self) -> ComposeResult:
        with Vertical(id="record-box"):
            yield Static(self.title_text + "  (Enter or F2 saves, Esc cancels)", classes="record-title", markup=False)
            yield VaultText("", id="record-who", single_line=self.who_single_line)
            yield RecordForm(self.specs(), self.initial_values(), draft_prefix=self.draft_prefix, id="form")

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show_who)  # now, and whenever discreet mode changes
        self.query_one(RecordForm).focus_first()

    def show_who(self, discreet: bool) -> None:
        if self.shell.locked:
            return
        self.query_one("#record-who", VaultText).set_text(self.who(discreet))

    def who(self, discreet: bool) -> str:
        """Whose record the form is about, as discreet mode allows."""
        raise NotImplementedError
