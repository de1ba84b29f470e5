"""What happened after an attack (issue 19): one case's or one observation's accountability
steps, the state they add up to in words, and whether the attack has gone without an
investigation for longer than the post's number of days (said in words: LATE, never by
colour alone). ``n`` records a step, Enter corrects the selected one, ``delete`` (or
``x``) removes it after asking, ``h`` shows what changed in it; each change is kept in
the history, and on a case said in its timeline.

Opened with ``b`` from a case and from the civic-space list (its selected observation).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.forms import ModalFormScreen, choices
from hrd_tui.screens.places import Placed
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.record_form import FieldSpec
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import accountability, reference
from hrd_tui.vocab import AccountabilityStep

#: The guidelines' words this screen answers to (section I, II and III).
GUIDELINES = (
    'Guidelines, section I: "investigate attacks against them ... including redress and remedy"; section II: '
    '"Encourage investigations and prosecution of those who harass and attack"; section III: "impunity for attacks".'
)


def _owner(kind: str, record_id: str) -> dict[str, str]:
    return {"case_id": record_id} if kind == accountability.CASE else {"observation_id": record_id}


class AccountabilityScreen(Placed, ShellAccess, Screen[None]):
    CSS_PATH = "accountability.tcss"
    BINDINGS = [
        Binding("n", "add", "New step", id="accountability.add", tooltip="Record a step after the attack"),
        Binding("enter", "edit", "Correct", id="accountability.edit", tooltip="Correct the selected step"),
        Binding(
            "delete,x",
            "delete",
            "Delete",
            id="accountability.delete",
            key_display="x",
            tooltip="Delete the selected step",
        ),
        Binding("h", "changes", "Changes", id="accountability.changes", tooltip="What changed in the selected step"),
        Binding("escape,left,ctrl+g", "back", "Back", id="accountability.back", key_display="esc"),
    ]

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__(classes="accountability")
        self.kind, self.record_id = kind, record_id

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="accountability-title", single_line=True)
        with VerticalScroll(id="accountability-body"):
            yield VaultText("", id="accountability-state")
            yield Static(
                "Steps, oldest first (n adds, Enter corrects, x deletes)",
                classes="accountability-heading",
                markup=False,
            )
            yield fixed_table(
                "accountability-steps", [("Date", 10), ("Step", 22), ("Source", 22), ("Note", 14)], flex=2
            )
            yield VaultText("", id="accountability-detail")
            yield Static(GUIDELINES, id="accountability-guidelines", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show)
        self.query_one("#accountability-steps", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.show(self.shell.discreet)

    def show(self, discreet: bool) -> None:
        if self.shell.locked:
            return
        view = accountability.read_accountability(self.shell, **_owner(self.kind, self.record_id), discreet=discreet)
        what = "Case" if view.kind == accountability.CASE else "Observation"
        self.query_one("#accountability-title", VaultText).set_text(f"Accountability | {what}: {view.label}")
        day = self.shell.today()
        lines = [f"State: {view.state}"]
        since = (day - view.counted_from).days
        if view.is_attack:
            counted = "opened" if view.kind == accountability.CASE else "observed"
            lines.append(f"An attack by the app's definition, {counted} {view.counted_from} ({since} days ago).")
            if view.late(day):
                lines.append(f"LATE: no investigation recorded {view.days} days or more after.")
        else:
            lines.append("Not an attack by the app's definition (see the README): not counted on Today.")
        self.query_one("#accountability-state", VaultText).set_text("\n".join(lines))
        table = self.query_one("#accountability-steps", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.steps = {s.id: s for s in view.steps}
        for s in view.steps:
            table.add_row(
                str(s.on_date),
                reference.label("accountability_step", s.step),
                literal(s.source, single_line=True),
                literal(s.note or "-", single_line=True),
                key=s.id,
            )
        if not view.steps:
            table.add_row("", "No step recorded (n).", "", "", key="")
        table.move_cursor(row=min(cursor, table.row_count - 1))
        self._show_detail(self._selected())

    def _selected(self) -> str | None:
        table = self.query_one("#accountability-steps", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key else None

    @on(DataTable.RowHighlighted, "#accountability-steps")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(str(event.row_key.value or "") or None)

    def _show_detail(self, step_id: str | None) -> None:
        """The selected step whole: its source and note are cut in the table."""
        s = getattr(self, "steps", {}).get(step_id) if step_id else None
        text = ""
        if s is not None:
            text = f"> {reference.label('accountability_step', s.step)} on {s.on_date}. Source: {s.source}"
            if s.note:
                text += f"\n  Note: {s.note}"
        self.query_one("#accountability-detail", VaultText).set_text(text)

    @on(DataTable.RowSelected, "#accountability-steps")
    def _row_selected(self) -> None:
        self.action_edit()

    def _then_show(self, _result: object = None) -> None:
        self.show(self.shell.discreet)

    def action_add(self) -> None:
        self.app.push_screen(StepModal(self.kind, self.record_id), self._then_show)

    def action_edit(self) -> None:
        step_id = self._selected()
        if step_id is not None:
            self.app.push_screen(StepModal(self.kind, self.record_id, step_id), self._then_show)

    def action_delete(self) -> None:
        step_id = self._selected()
        if step_id is None:
            return
        step = self.steps[step_id]
        label = reference.label("accountability_step", step.step)

        def answered(yes: bool | None) -> None:
            if (
                yes
                and attempt(self, lambda: accountability.remove_step(self.shell, step_id), kept=False) is not REFUSED
            ):
                self.app.notify("Step deleted (it stays in the history).", markup=False)
            self._then_show()

        self.app.push_screen(
            ConfirmModal(f"Delete the step '{label}' of {step.on_date}? It stays in the history.", yes="Delete"),
            answered,
        )

    def action_changes(self) -> None:
        from hrd_tui.screens.changes import ChangesScreen

        step_id = self._selected()
        if step_id is not None:
            self.app.push_screen(
                ChangesScreen(
                    accountability.CHANGES_RECORD, step_id, accountability.changes_label, frozenset({"source", "note"})
                )
            )

    def action_back(self) -> None:
        self.app.pop_screen()


class StepModal(ModalFormScreen):
    """One step after an attack: what, when, who says so, and a note."""

    def __init__(self, kind: str, record_id: str, step_id: str | None = None) -> None:
        super().__init__()
        self.kind, self.record_id, self.step_id = kind, record_id, step_id
        self.editing = step_id is not None
        self.title_text = "Correct the step" if step_id else "New accountability step"
        self.draft_prefix = f"accountability:{step_id or 'new:' + record_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("step", "Step", "choice", choices("accountability_step", AccountabilityStep), required=True),
            FieldSpec("on_date", "On", "date", required=True, placeholder="YYYY-MM-DD or today"),
            FieldSpec(
                "source",
                "Source: who says so (court registry, lawyer, prosecutor, news report)",
                required=True,
                draft=True,
            ),
            FieldSpec("note", "Note", draft=True),
        ]

    def initial_values(self) -> dict[str, Any]:
        if self.step_id is None:
            return {"step": AccountabilityStep.COMPLAINT_FILED.value, "on_date": self.shell.today()}
        return accountability.step_form_values(self.shell, self.step_id)

    def who(self, discreet: bool) -> str:
        view = accountability.read_accountability(self.shell, **_owner(self.kind, self.record_id), discreet=discreet)
        return f"{'Case' if view.kind == accountability.CASE else 'Observation'}: {view.label}\nState: {view.state}"

    def save(self, values: dict[str, Any]) -> str:
        return accountability.save_step(self.shell, self.step_id, values, **_owner(self.kind, self.record_id))
