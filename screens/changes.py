"""What changed in one record, newest first: each earlier version against the next.

Every detail view opens it with `h` (the history rule: an edit never destroys
the earlier version). Each change reads as the officer knows the record: the
field by the label its edit form gives it, values as the form shows them, times
in local time, and where the change came from (you, or a handover merge; a value
a handover offered and was not taken is there too). Values are cut to fit the
table; Enter (or v) on a row shows them whole. Fields that name people can be
hidden in discreet mode.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.dialog import Dialog
from hrd_tui.screens.widgets.record_form import FieldSpec
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import changes
from hrd_tui.services.changes import (  # noqa: F401 (HIDDEN and the notes: as the tests and callers name them)
    HIDDEN,
    NEVER_CHANGED,
    NOT_KEPT,
    ChangeRow,
    Labeller,
)


def _edit_form_specs(model: type[Any], record_id: str) -> list[FieldSpec]:
    """The fields of the form that edits this record (imported here: those screens open this one)."""
    from hrd_tui.screens.case_forms import CaseFormScreen
    from hrd_tui.screens.contact_form import ContactFormScreen
    from hrd_tui.screens.monitoring import ObservationFormScreen
    from hrd_tui.screens.resources import ResourceFormScreen
    from hrd_tui.screens.trials import HearingFormScreen, TrialFormScreen

    forms: dict[str, Callable[[], Any]] = {  # by the model's name: a screen names no ORM class
        "Contact": lambda: ContactFormScreen(record_id),
        "ThreatCase": lambda: CaseFormScreen(record_id),
        "Trial": lambda: TrialFormScreen(record_id),
        "Hearing": lambda: HearingFormScreen(record_id, ""),
        "CivicObservation": lambda: ObservationFormScreen(record_id),
        "Resource": lambda: ResourceFormScreen(record_id),
    }
    form = forms.get(model.__name__)
    return list(form().specs()) if form else []


def form_label(label: str) -> str:
    """A form's label without its typing hint: "Focus areas (space toggles)" -> "Focus areas"."""
    return re.split(r" \(|: |; |, comma-separated", label, maxsplit=1)[0]


def field_labels(model: type[Any], record_id: str) -> dict[str, str]:
    """Each field of ``model`` by the label its edit form shows (the forms are the one
    source of labels); a field no form edits reads as its name in words."""
    labels = {spec.name: form_label(spec.label) for spec in _edit_form_specs(model, record_id)}
    for name in changes.column_names(model):
        labels.setdefault(name, name.replace("_", " ").capitalize())
    return labels


class ChangesScreen(ShellAccess, Screen[None]):
    CSS_PATH = "changes.tcss"
    BINDINGS = [
        Binding("v", "whole", "Whole values", id="changes.whole", tooltip="Show the change's values whole"),
        Binding("escape,left,ctrl+g", "back", "Back", id="changes.back"),
    ]

    def __init__(
        self, model: type[Any], record_id: str, label: Labeller, hidden_when_discreet: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(classes="changes")
        self.model, self.record_id, self.label = model, record_id, label
        self.hidden_when_discreet = hidden_when_discreet
        self.labels = field_labels(model, record_id)
        self.rows: list[ChangeRow] = []

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="changes-title", single_line=True)
        yield VaultText("", id="changes-note", single_line=True)
        yield fixed_table("changes", [("When", 16), ("Field", 14), ("Before", 14), ("After", 14), ("From", 9)], flex=3)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show)  # now, and whenever discreet mode changes
        self.query_one("#changes", DataTable).focus()

    def show(self, discreet: bool) -> None:
        if self.shell.locked:
            return
        table = self.query_one("#changes", DataTable)
        table.clear()
        found = changes.record_changes(
            self.shell,
            self.model,
            self.record_id,
            self.label,
            labels=self.labels,
            hidden=self.hidden_when_discreet,
            discreet=discreet,
        )
        self.query_one("#changes-title", VaultText).set_text(found.title)
        self.query_one("#changes-note", VaultText).set_text(found.note)
        self.query_one("#changes-note").display = bool(found.note)
        self.rows = list(found.rows)
        for n, row in enumerate(self.rows):
            table.add_row(
                row.when,
                row.field,
                literal(row.before, single_line=True),
                literal(row.after, single_line=True),
                literal(row.source_cell, single_line=True),
                key=str(n),
            )

    @on(DataTable.RowSelected, "#changes")
    def _selected(self) -> None:
        self.action_whole()

    def action_whole(self) -> None:
        table = self.query_one("#changes", DataTable)
        if self.rows and 0 <= table.cursor_row < len(self.rows):
            self.app.push_screen(WholeChange(self, table.cursor_row))

    def action_back(self) -> None:
        self.app.pop_screen()


class WholeChange(Dialog[None]):
    """One change with its values whole: literal text, scrolling, discreet mode as on the table."""

    BINDINGS = [Binding("escape,ctrl+g,v,enter", "dismiss", "Back", id="changes.whole.back")]

    def __init__(self, changes: ChangesScreen, index: int) -> None:
        super().__init__(classes="whole-change")
        self.changes, self.index = changes, index

    def compose(self) -> ComposeResult:
        with Vertical(id="whole-change-box"):
            yield VaultText("", id="whole-change-title")
            with VerticalScroll(id="whole-change-body"):
                yield VaultText("", id="whole-change-values")
            yield Static("Arrows and PgUp/PgDn scroll; Esc, Enter or v closes.", id="whole-change-keys", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show)  # the table below re-reads first: its rows are current
        self.query_one("#whole-change-body").focus()

    def show(self, _discreet: bool) -> None:
        if self.index >= len(self.changes.rows):
            return
        row = self.changes.rows[self.index]
        if row.declined:
            title = f"{row.field}, {row.when}: a value {row.source} offered, not taken"
            values = f"Kept:\n{row.before}\n\nNot taken:\n{row.after}"
        else:
            title = f"{row.field}, {row.when}, by {row.source}"
            values = f"Before:\n{row.before}\n\nAfter:\n{row.after}"
        self.query_one("#whole-change-title", VaultText).set_text(title)
        self.query_one("#whole-change-values", VaultText).set_text(values)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
