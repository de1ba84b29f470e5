"""The post's plan (p on the threat list): the owner and due days each planned action of
a new case gets.

The guidelines give no owner and no deadline; the templates' are the app's suggestions,
and the table says so in words on every row ("app's suggestion" or "post's plan"), never
by colour alone. Enter changes one item (blank keeps the suggestion), x puts it back to
the suggestion, h shows what the post changed in it. Cases already open keep their actions.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.forms import ModalFormScreen
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.record_form import FieldSpec
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import plan
from hrd_tui.services.plan import PlanItem
from hrd_tui.services.templates import MAX_DUE_DAYS


def _days(days: int | None) -> str:
    return "-" if days is None else f"{days} d"


class PlanScreen(ShellAccess, Screen[None]):
    CSS_PATH = "plan.tcss"
    BINDINGS = [
        Binding("enter", "edit", "Change", id="plan.edit", tooltip="Set the post's owner and due days for this action"),
        Binding("x", "reset", "Suggestion", id="plan.reset", tooltip="Back to the app's suggested owner and due days"),
        Binding("h", "changes", "Changes", id="plan.changes", tooltip="What the post changed in this action's plan"),
        Binding("escape,left,ctrl+g", "back", "Back", id="plan.back"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="plan")
        self.items: list[PlanItem] = []

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(
            "Case plan: owner and due days of each planned action (Enter changes one)", id="plan-title", markup=False
        )
        yield Static(plan.PLAN_NOTE + " Cases already open keep theirs.", id="plan-note", markup=False)
        yield fixed_table("plan-items", [("Action", 26), ("Owner", 14), ("Due", 6), ("Whose", 18)], flex=0)
        yield VaultText("", id="plan-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.show()
        self.query_one("#plan-items", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.show()

    def show(self) -> None:
        if self.shell.locked:
            return
        table = self.query_one("#plan-items", DataTable)
        row = table.cursor_row
        self.items = plan.case_plan(self.shell)
        table.clear()
        for item in self.items:
            table.add_row(
                literal(item.text, single_line=True),
                literal(item.owner, single_line=True),
                _days(item.due_days),
                item.whose,
                key=item.key,
            )
        if self.items:
            table.move_cursor(row=min(max(row, 0), len(self.items) - 1))
        self._detail()

    def _selected(self) -> PlanItem | None:
        table = self.query_one("#plan-items", DataTable)
        return self.items[table.cursor_row] if self.items and 0 <= table.cursor_row < len(self.items) else None

    @on(DataTable.RowHighlighted, "#plan-items")
    def _detail(self) -> None:
        item = self._selected()
        text = ""
        if item is not None:
            text = (
                f"{item.text}\nSuggested: {item.suggested_owner}, {_days(item.suggested_days)}. "
                f"Now: {item.owner}, {_days(item.due_days)} ({item.whose})."
            )
        self.query_one("#plan-detail", VaultText).set_text(text)

    @on(DataTable.RowSelected, "#plan-items")
    def _chosen(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        item = self._selected()
        if item is not None:
            self.app.push_screen(PlanItemModal(item))

    def action_reset(self) -> None:
        item = self._selected()
        if item is None or item.whose == plan.SUGGESTED:
            return
        if attempt(self, lambda: plan.change_plan(self.shell, item.key, {}), kept=False) is REFUSED:
            return
        self.app.notify("Back to the app's suggestion for new cases.", markup=False)
        self.show()

    def action_changes(self) -> None:
        from hrd_tui.screens.changes import ChangesScreen

        item = self._selected()
        record_id = None if item is None else plan.history_id(self.shell, item.key)
        if record_id is None:
            self.app.notify("The post has never changed this action's plan.", markup=False)
            return
        self.app.push_screen(ChangesScreen(plan.CHANGES_RECORD, record_id, plan.changes_label))

    def action_back(self) -> None:
        self.app.pop_screen()


class PlanItemModal(ModalFormScreen):
    """The post's owner and due days for one planned action; blank keeps the suggestion."""

    title_text = "Case plan"
    who_single_line = False

    def __init__(self, item: PlanItem) -> None:
        super().__init__()
        self.item = item

    def who(self, discreet: bool) -> str:
        suggested = f"{self.item.suggested_owner}, {_days(self.item.suggested_days)}"
        return f"{self.item.text}\nThe app suggests {suggested}; leave a field blank to keep the suggestion."

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("owner", "Owner, by role (blank: the suggestion)"),
            FieldSpec("due_days", f"Due days after the case opens, 0 to {MAX_DUE_DAYS} (blank: the suggestion)"),
        ]

    def initial_values(self) -> dict[str, Any]:
        days = self.item.post_days
        return {"owner": self.item.post_owner or "", "due_days": "" if days is None else str(days)}

    def save(self, values: dict[str, Any]) -> str:
        merged = {**self.initial_values(), **values}
        return plan.change_plan(self.shell, self.item.key, merged).key
