"""The protection resources (u on the threat list, or 'Resources' in the palette): the
guidelines' list shipped with the app and the post's own, side by side.

Each row says in words whose it is ("shipped" or "post's own"), never by colour alone,
and when an outside fact it states was last checked ("As of"). Retired ones are hidden
until v shows them. n adds a post's resource, e corrects one, x retires or reinstates
it, h shows what changed; the shipped ones are read-only (the keys say why). Every text
is the vault's (or the file's) and shown literally, never as markup.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.forms import FormScreen
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.record_form import FieldSpec
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import reference, resources
from hrd_tui.services.resources import ResourceView
from hrd_tui.vocab import ResourceKind

#: A post resource's fields its history hides in discreet mode: names and numbers of people.
HIDDEN_WHEN_DISCREET = frozenset({"contact_notes"})


class ResourcesScreen(ShellAccess, Screen[None]):
    CSS_PATH = "resources.tcss"
    BINDINGS = [
        Binding("n", "new", "New", id="resources.new", tooltip="New resource of the post's own"),
        Binding("e", "edit", "Edit", id="resources.edit", tooltip="Correct the post's resource"),
        Binding("x", "retire", "Retire", id="resources.retire", tooltip="Retire or reinstate the post's resource"),
        Binding("v", "toggle_retired", "Retired", id="resources.retired", tooltip="Show or hide retired resources"),
        Binding("h", "changes", "Changes", id="resources.changes", tooltip="What changed in this resource"),
        Binding("escape,left,ctrl+g", "back", "Back", id="resources.back", key_display="esc"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="resources")
        self.rows: list[ResourceView] = []
        self.show_retired = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(
            "Resources: the guidelines' list (shipped, read-only) and the post's own",
            id="resources-title",
            markup=False,
        )
        yield fixed_table(
            "resources-list", [("Name", 24), ("Whose", 10), ("Kind", 11), ("As of", 10), ("State", 7)], flex=0
        )
        yield VaultText("", id="resources-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", lambda _discreet: self.show())  # now, and whenever d is pressed
        self.query_one("#resources-list", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.show()

    def show(self, select: str | None = None) -> None:
        if self.shell.locked:
            return
        table = self.query_one("#resources-list", DataTable)
        current = self._selected()
        keep = select or (current.id if current else None)
        self.rows = resources.views(self.shell, retired=self.show_retired)
        table.clear()
        for row in self.rows:
            table.add_row(
                literal(row.name, single_line=True),
                row.whose,
                reference.short_label("resource_kind", row.kind) if row.kind else "-",
                row.as_of.isoformat() if row.as_of else "-",
                "retired" if row.retired_on else "offered",
                key=row.id,
            )
        at = next((n for n, r in enumerate(self.rows) if r.id == keep), 0)
        if self.rows:
            table.move_cursor(row=at)
        shown = "all, retired ones too" if self.show_retired else "retired ones hidden (v shows them)"
        self.query_one("#resources-title", Static).update(
            f"Resources: {len(self.rows)}, {shown}; shipped ones are read-only"
        )
        self._detail()

    def _selected(self) -> ResourceView | None:
        table = self.query_one("#resources-list", DataTable)
        return self.rows[table.cursor_row] if self.rows and 0 <= table.cursor_row < len(self.rows) else None

    @on(DataTable.RowHighlighted, "#resources-list")
    def _detail(self) -> None:
        row = self._selected()
        self.query_one("#resources-detail", VaultText).set_text(
            row.details(discreet=self.shell.discreet) if row else "No resource."
        )

    def _post_only(self, what: str) -> ResourceView | None:
        """The selected resource if it is the post's; else says why nothing happens."""
        row = self._selected()
        if row is not None and not row.post:
            self.app.notify(
                f"{row.name} is shipped with the app (data/resources.toml): it cannot be {what} here. "
                "Add the post's own resource instead (n).",
                severity="warning",
                markup=False,
            )
            return None
        return row

    def action_new(self) -> None:
        self.app.push_screen(ResourceFormScreen(None), self._saved)

    def action_edit(self) -> None:
        row = self._post_only("edited")
        if row is not None:
            self.app.push_screen(ResourceFormScreen(row.id), self._saved)

    def _saved(self, resource_id: str | None) -> None:
        if resource_id:
            self.show(select=resource_id)

    def action_retire(self) -> None:
        row = self._post_only("retired")
        if row is None:
            return
        retiring = row.retired_on is None
        done = attempt(
            self, lambda: resources.set_retired(self.shell, row.id, retiring, self.shell.today()), kept=False
        )
        if done is REFUSED:
            return
        if retiring:
            said = f"{row.name} retired: no longer offered for new referrals (x reinstates it)."
        else:
            said = f"{row.name} reinstated: offered for new referrals again."
        self.app.notify(said, markup=False)
        self.show(select=row.id)

    def action_toggle_retired(self) -> None:
        self.show_retired = not self.show_retired
        self.show()

    def action_changes(self) -> None:
        from hrd_tui.screens.changes import ChangesScreen

        row = self._selected()
        if row is not None:
            self.app.push_screen(
                ChangesScreen(resources.CHANGES_RECORD, row.id, resources.changes_label, HIDDEN_WHEN_DISCREET)
            )

    def action_back(self) -> None:
        self.app.pop_screen()


def kind_choices() -> tuple[tuple[str, str], ...]:
    """The post's usual kinds first, then the others."""
    ordered = [*resources.POST_KINDS, *(k for k in ResourceKind if k not in resources.POST_KINDS)]
    return tuple((k.value, reference.label("resource_kind", k.value)) for k in ordered)


class ResourceFormScreen(FormScreen):
    """A resource of the post's own: added, or corrected (every change kept in the history)."""

    def __init__(self, resource_id: str | None) -> None:
        super().__init__(classes="form-screen")
        self.resource_id = resource_id
        self.editing = resource_id is not None
        self.title_text = "The post's resource" if resource_id else "New resource of the post's own"
        self.draft_prefix = f"resource:{resource_id or 'new'}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("name", "Name", required=True, draft=True),
            FieldSpec("kind", "Kind", "choice", kind_choices(), required=True),
            FieldSpec("funds", "What it offers", "long", draft=True),
            FieldSpec("eligibility", "Who is eligible", "long", draft=True),
            FieldSpec("how_to_refer", "How to refer", "long", draft=True),
            FieldSpec("contact_notes", "Contact notes (kept in the vault, never in a report)", "long", draft=True),
            FieldSpec("url", "Public web address", placeholder="https://..."),
            FieldSpec("as_of", "Last checked on (as of)", "date", placeholder="YYYY-MM-DD or today"),
        ]

    def initial_values(self) -> dict[str, Any]:
        if self.resource_id is None:
            return {"kind": ResourceKind.NATIONAL_PROTECTION_MECHANISM.value}
        return resources.form_values(self.shell, self.resource_id)

    def save(self, values: dict[str, Any]) -> str:
        return resources.save(self.shell, self.resource_id, values)
