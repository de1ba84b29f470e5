"""Find a contact by typing: the list narrows with each key, Enter picks (by codename).

Used where a form needs a person it may not know the codename of (a case's
defenders). In discreet mode the list shows codenames only.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.dialog import Dialog
from hrd_tui.screens.widgets.toggles import PointerOptionList
from hrd_tui.screens.widgets.vault_text import literal
from hrd_tui.services import contact_list

LIMIT = 12


class ContactPickModal(ShellAccess, Dialog[str | None]):
    """Returns the picked contact's codename, or None."""

    BINDINGS = [Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="contact_pick.cancel")]

    def __init__(self, question: str) -> None:
        super().__init__(classes="contact-pick")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="contact-pick-box"):
            yield Static(f"{self.question}: type a name or codename; down and Enter pick, Esc cancels", markup=False)
            yield Input(id="contact-pick-query", placeholder="name, codename, organisation...", compact=True)
            yield PointerOptionList(id="contact-pick-options")  # > on the contact Enter picks

    def on_mount(self) -> None:
        self.query_one("#contact-pick-query", Input).focus()
        self._fill("")

    @on(Input.Changed, "#contact-pick-query")
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#contact-pick-query")
    def _enter(self) -> None:
        options = self.query_one("#contact-pick-options", OptionList)
        if options.option_count:
            options.highlighted = options.highlighted or 0
            self.dismiss(str(options.get_option_at_index(options.highlighted).id))

    def key_down(self) -> None:
        if self.query_one("#contact-pick-query", Input).has_focus:
            self.query_one("#contact-pick-options", OptionList).focus()

    def _fill(self, query: str) -> None:
        discreet = self.shell.discreet
        page = contact_list.read_page(
            self.shell,
            contact_list.ContactFilter(query=query),
            today=self.shell.today(),
            sort="name",
            discreet=discreet,
            limit=LIMIT,
            what="finding contacts",
        )
        options = self.query_one("#contact-pick-options", OptionList)
        options.clear_options()
        for row in page.rows:
            label = row.label(discreet) if discreet else f"{row.label(discreet)} ({row.codename})"
            options.add_option(Option(literal(label, single_line=True), id=row.codename))
        if options.option_count:
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#contact-pick-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))
