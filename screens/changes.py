"""What changed in one record, newest first: each earlier version against the next.

Every detail view opens it with `h` (the history rule: an edit never destroys
the earlier version). Fields that name people can be hidden in discreet mode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from hrd_tui.services import base, history
from hrd_tui.services.history import VaultSession as Session

HIDDEN = "(hidden in discreet mode)"
#: How a record is named in the title: (session, record, discreet) -> label.
Labeller = Callable[[Session, Any, bool], str]


class ChangesScreen(Screen[None]):
    CSS_PATH = "contacts.tcss"
    BINDINGS = [Binding("escape,left,ctrl+g", "back", "Back", id="changes.back")]

    def __init__(self, model: type[Any], record_id: str, label: Labeller,
                 hidden_when_discreet: frozenset[str] = frozenset()) -> None:
        super().__init__(classes="changes")
        self.model, self.record_id, self.label = model, record_id, label
        self.hidden_when_discreet = hidden_when_discreet

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="changes-title", single_line=True)
        yield fixed_table("changes", [("When", 16), ("Field", 14), ("Before", 20), ("After", 20)])
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show)  # now, and whenever discreet mode changes
        self.query_one("#changes", DataTable).focus()

    def show(self, discreet: bool) -> None:
        if self.app.locked:  # type: ignore[attr-defined]
            return
        table = self.query_one("#changes", DataTable)
        table.clear()
        with self.app.session("reading the history") as session:  # type: ignore[attr-defined]
            record = base.get(session, self.model, self.record_id)
            found = history.changes(session, record)
            kept = len(history.versions(session, self.model.__tablename__, self.record_id))  # type: ignore[attr-defined]
            title = (f"Changes to {self.label(session, record, discreet)}: {len(found)} "
                     f"({kept} earlier version{'s' if kept != 1 else ''} kept until a purge)")
        self.query_one("#changes-title", VaultText).set_text(title)
        for change in found:
            hidden = discreet and change.field in self.hidden_when_discreet
            before = HIDDEN if hidden else change.before
            after = HIDDEN if hidden else change.after
            table.add_row(change.when.astimezone().strftime("%Y-%m-%d %H:%M"), change.field,
                          literal("-" if before in (None, "") else before, single_line=True),
                          literal("-" if after in (None, "") else after, single_line=True))
        if not found:
            table.add_row("", "", literal("No change since it was created."), "")

    def action_back(self) -> None:
        self.app.pop_screen()
