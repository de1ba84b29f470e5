"""Merging a colleague's handover bundle from the app, as `hrd-tui handover import` does.

The bundle's file and passphrase first (opening it runs the KDF: a worker, so
the screen stays responsive); then what it would add, what is identical, and
each conflict field by field, each field decided on its own: m keeps mine, t
takes theirs (M and T decide every field of the record at once), so two
officers who changed different fields of a record both keep their edits. Values
are cut to fit the table; v (or Enter) shows the field's two values whole, one
above the other. Nothing is written until F2 and a yes; a value replaced by the
bundle's, and a bundle's value not taken, both stay in the record's history.

In discreet mode no real name reaches the screen: the fields that identify
someone (a contact's name, e-mail, phone and notes, a channel's handle, a
trial's or a hearing's people) are hidden, and every other value has the names
of this vault's contacts and of the bundle's written as their codenames; the
whole-value view is veiled the same way until ctrl+r.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from hrd_tui.errors import HrdError
from hrd_tui.sanitize import for_display
from hrd_tui.screens.background import HandsBack
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.trials import PEOPLE_FIELDS
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal, on_screen
from hrd_tui.screens.widgets.veiled import Veiled
from hrd_tui.services import contacts

if TYPE_CHECKING:
    from hrd_tui.services.handover.applying import Choice, ImportResult
    from hrd_tui.services.handover.planning import Conflict, FieldDiff, ImportPlan

#: Fields that name or identify someone, hidden whole in discreet mode (as the detail
#: views hide them): free text there may hold a name this vault does not know.
HIDDEN_WHEN_DISCREET: dict[str, frozenset[str]] = {
    "contacts": contacts.IDENTIFYING,
    "secure_channels": frozenset({"handle"}),
    "trials": frozenset({"title", "charges", "counsel", "notes"}),
    "hearings": PEOPLE_FIELDS,
}
HIDDEN = "(hidden)"
HIDDEN_WHOLE = "(hidden in discreet mode: ctrl+r shows it)"
MINE: Final = "mine"
THEIRS: Final = "theirs"


def hidden_in_discreet(table: str, field: str) -> bool:
    return field in HIDDEN_WHEN_DISCREET.get(table, frozenset())


def first_difference(mine: str, theirs: str) -> int:
    """Where two values part (1-based): the officer sees what to look for, names or not."""
    return next(
        (n for n, (a, b) in enumerate(zip(mine, theirs, strict=False), 1) if a != b), min(len(mine), len(theirs)) + 1
    )


def characters(value: object, whole: str) -> int:
    """How long a value is (nothing is 0, though it reads "(empty)")."""
    return 0 if value in (None, "", []) else len(whole)


def difference_line(label: str, diff: FieldDiff) -> str:
    """How two values differ, in words that show neither."""
    mine, theirs = characters(diff.mine, diff.mine_whole), characters(diff.theirs, diff.theirs_whole)
    where = first_difference(diff.mine_whole if mine else "", diff.theirs_whole if theirs else "")
    return f"{label}: {mine} and {theirs} characters, first difference at {where}."


class HandoverImportScreen(ShellAccess, HandsBack, Screen[None]):
    CSS_PATH = "handover.tcss"
    BINDINGS = [
        Binding("f2,ctrl+o", "confirm", "Import", id="handover.confirm", key_display="f2 ^o"),
        Binding("m", "choose('mine')", "Mine", id="handover.mine", tooltip="Keep this vault's value of this field"),
        Binding(
            "t",
            "choose('theirs')",
            "Theirs",
            id="handover.theirs",
            tooltip="Take the bundle's value of this field (yours stays in the history)",
        ),
        Binding(
            "M",
            "choose_record('mine')",
            "All mine",
            id="handover.all_mine",
            tooltip="Keep this vault's values in every field of this record",
        ),
        Binding(
            "T",
            "choose_record('theirs')",
            "All theirs",
            id="handover.all_theirs",
            tooltip="Take the bundle's values in every field of this record (yours stay in the history)",
        ),
        Binding(
            "v", "whole", "Whole", id="handover.whole", tooltip="Show this field's two values whole, mine above theirs"
        ),
        Binding("escape,ctrl+g", "cancel", "Cancel", id="handover.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="handover")
        self.plan: ImportPlan | None = None
        #: conflict key -> field -> "mine" or "theirs"
        self.choices: dict[str, dict[str, Choice]] = {}
        self.bundle_names: Callable[[str], str] = lambda text: text
        self.labels: dict[str, dict[str, str]] = {}  # table -> field -> its form's label

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="handover-body"):
            yield Static("Import a handover bundle: nothing is written until you confirm (F2 or ^o).", markup=False)
            yield Input(id="handover-path", placeholder="the bundle's path, then Tab", compact=True)
            yield Input(
                id="handover-passphrase", placeholder="the bundle's passphrase, then Enter", password=True, compact=True
            )
            with VerticalScroll(id="handover-summary-box"):  # many notes scroll (Tab, then the arrows)
                yield VaultText("", id="handover-summary")
            yield fixed_table(
                "handover-conflicts", [("Take", 6), ("Record", 20), ("Field", 12), ("Mine", 14), ("Theirs", 14)]
            )
            yield VaultText("", id="handover-field", single_line=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#handover-path", Input).focus()
        self.watch(self.app, "discreet", lambda _on: self._show(), init=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "choose_record", "whole"):
            return (self.plan is not None and bool(self.plan.conflicts) and not self.busy) or None
        if action == "confirm":
            return (self.plan is not None and not self.plan.is_empty and not self.busy) or None
        return True

    @on(Input.Submitted, "#handover-path")
    def _path_given(self) -> None:
        self.query_one("#handover-passphrase", Input).focus()

    @on(Input.Submitted, "#handover-passphrase")
    def _open(self) -> None:
        path = Path(self.query_one("#handover-path", Input).value.strip()).expanduser()
        secret = self.query_one("#handover-passphrase", Input).value
        if not secret:
            return
        self.query_one("#handover-summary", VaultText).set_text("Reading the bundle...")
        self._read(path, secret)

    # description=: Textual would otherwise describe the worker by its arguments, the passphrase among them.
    @work(thread=True, exclusive=True, group="handover", exit_on_error=False, description="reading the bundle")
    def _read(self, path: Path, secret: str) -> None:
        """The KDF, the decompression, the parsing and the comparison with this vault
        take seconds: off the UI thread (a lock meanwhile waits for the comparison's
        session to end; see HandsBack)."""
        from hrd_tui.services import handover, redaction

        try:
            bundle = handover.read_bundle(path, secret)
            plan = handover.plan_bundle(self.shell, bundle)
            names = redaction.as_codenames(bundle.people())
        except HrdError as exc:
            message = str(exc)
        except Exception as exc:  # noqa: BLE001 - a crafted bundle gets a message, never a crash
            message = f"Could not read the bundle (internal error: {type(exc).__name__}); nothing was imported."
        else:
            self.hand_back(self._planned, plan, names)
            return
        self.hand_back(self._failed, message)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.query_one("#handover-summary", VaultText).set_text(message)
        self.query_one("#handover-passphrase", Input).focus()

    def _planned(self, plan: ImportPlan, names: Callable[[str], str]) -> None:
        self.query_one("#handover-passphrase", Input).value = ""  # not kept on screen longer than needed
        self.plan = plan
        self.bundle_names = names
        self.choices = {c.key: dict.fromkeys(c.fields, MINE) for c in plan.conflicts}
        self.refresh_bindings()
        self._show()

    # -- what the screen shows --------------------------------------------------------
    def field_label(self, conflict: Conflict, field: str) -> str:
        """A field by the label its edit form gives it, as the history names it."""
        if conflict.table not in self.labels:
            from hrd_tui.screens.changes import field_labels
            from hrd_tui.services import handover

            self.labels[conflict.table] = field_labels(
                handover.record_class(conflict.table), str(conflict.record_key[0])
            )
        return self.labels[conflict.table].get(field, field.replace("_", " "))

    def discreet_value(self, conflict: Conflict, field: str, text: str, hidden: str = HIDDEN) -> str:
        """``text`` as discreet mode may show it (the vault's names are replaced by literal())."""
        if not self.shell.discreet:
            return text
        if hidden_in_discreet(conflict.table, field) and text != "(empty)":
            return hidden
        return self.bundle_names(text)

    def _show(self) -> None:
        plan = self.plan
        if plan is None:
            return
        lines = plan.summary()
        if plan.is_empty:
            lines.append("Nothing to import: every record of the bundle is already here.")
        elif plan.conflicts:
            lines.append(
                "Each field keeps yours unless you press t on it (m: yours; M, T: the whole record; "
                "v: values whole). F2 or ^o imports."
            )
        else:
            lines.append("No conflict. F2 or ^o imports.")
        self.query_one("#handover-summary", VaultText).set_text("\n".join(lines))
        table = self.query_one("#handover-conflicts", DataTable)
        cursor = table.cursor_row
        table.clear()
        for conflict in plan.conflicts:
            for n, diff in enumerate(conflict.diffs):
                table.add_row(
                    self.choices[conflict.key][diff.field],
                    literal(self.bundle_names(conflict.label) if n == 0 else "", single_line=True),
                    literal(self.field_label(conflict, diff.field), single_line=True),
                    literal(self.discreet_value(conflict, diff.field, diff.mine_whole), single_line=True),
                    literal(self.discreet_value(conflict, diff.field, diff.theirs_whole), single_line=True),
                    key=f"{conflict.key}#{diff.field}",
                )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
            if not isinstance(self.focused, Input) or not self.focused.value:
                table.focus()
        self._show_field()

    def _current(self) -> tuple[Conflict, FieldDiff] | None:
        table = self.query_one("#handover-conflicts", DataTable)
        if self.plan is None or not table.row_count:
            return None
        key, _, name = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value).rpartition("#")
        conflict = next(c for c in self.plan.conflicts if c.key == key)
        return conflict, next(d for d in conflict.diffs if d.field == name)

    @on(DataTable.RowHighlighted, "#handover-conflicts")
    def _show_field(self) -> None:
        current = self._current()
        line = ""
        if current is not None:
            conflict, diff = current
            line = f"{difference_line(self.field_label(conflict, diff.field), diff)} v: whole values"
        self.query_one("#handover-field", VaultText).set_text(line)

    # -- choices ------------------------------------------------------------------------
    def _choosing(self) -> tuple[Conflict, FieldDiff] | None:
        table = self.query_one("#handover-conflicts", DataTable)
        if self.busy or not table.has_focus:
            return None
        return self._current()

    def action_choose(self, side: Choice) -> None:
        current = self._choosing()
        if current is not None:
            self.choose(current[0], current[1].field, side)

    def action_choose_record(self, side: Choice) -> None:
        current = self._choosing()
        if current is not None:
            self.choices[current[0].key] = dict.fromkeys(current[0].fields, side)
            self._show()

    def choose(self, conflict: Conflict, field: str, side: Choice) -> None:
        self.choices[conflict.key][field] = side
        self._show()

    @on(DataTable.RowSelected, "#handover-conflicts")
    def _selected(self) -> None:
        self.action_whole()

    def action_whole(self) -> None:
        current = self._choosing()
        if current is None:
            return
        conflict, diff = current

        def chosen(side: Choice | None) -> None:
            if side is not None:
                self.choose(conflict, diff.field, side)

        self.app.push_screen(WholeValues(self, conflict, diff), chosen)

    # -- import -------------------------------------------------------------------------
    def action_confirm(self) -> None:
        plan = self.plan
        if plan is None or plan.is_empty or self.busy:
            return
        fields = [side for sides in self.choices.values() for side in sides.values()]
        question = (
            f"Import this bundle? {sum(plan.new_counts.values())} new record(s); {len(plan.conflicts)} "
            f"conflict(s): {fields.count(THEIRS)} of their {len(fields)} field(s) take the bundle's value, "
            "the others keep yours."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply()

        self.app.push_screen(ConfirmModal(question, yes="Import", no="Not now"), answered)

    def _apply(self) -> None:
        if self.busy or self.plan is None:
            return
        self.busy = True
        self.refresh_bindings()
        self.query_one("#handover-summary", VaultText).set_text(
            "Importing... (the whole bundle is written, or nothing)"
        )
        self._write(self.plan, {key: dict(sides) for key, sides in self.choices.items()})

    @work(thread=True, exclusive=True, group="handover", exit_on_error=False, description="importing the bundle")
    def _write(self, plan: ImportPlan, choices: dict[str, dict[str, Choice]]) -> None:
        """One transaction for the whole bundle; a lock meanwhile waits for it to end."""
        from hrd_tui.services import handover

        try:
            result = handover.import_bundle(self.shell, plan, choices)
        except HrdError as exc:
            message = str(exc)
        except Exception as exc:  # noqa: BLE001 - rolled back by the store; a message, never a crash
            message = f"Could not import the bundle (internal error: {type(exc).__name__}); nothing was imported."
        else:
            self.hand_back(self._imported, result)
            return
        self.hand_back(self._write_failed, message)

    def _write_failed(self, message: str) -> None:
        self.busy = False
        self.refresh_bindings()
        self.app.notify(message, severity="error", markup=False)
        self._show()

    def _imported(self, result: ImportResult) -> None:
        took = len(result.took_theirs) + len(result.mixed)
        self.app.notify(
            f"Imported {result.total_inserted} record(s); {took} conflict(s) took some or all of the "
            "bundle's values (what was not taken is kept in the history).",
            markup=False,
        )
        self.dismiss(None)


class WholeValue(Veiled):
    """One value, whole and read-only, scrolling; veiled in discreet mode (ctrl+r shows it)."""

    EDITABLE = False

    def __init__(self, text: str, veil: Callable[[str], str], *, id: str | None = None) -> None:
        super().__init__(for_display(text), read_only=True, soft_wrap=True, compact=True, id=id)
        self.veil = veil

    def discreet_version(self, real: str) -> str:
        return on_screen(self.veil(real))


class WholeValues(ModalScreen["Choice | None"]):
    """A conflict's field: this vault's value above the bundle's, each whole and scrolling
    (Tab moves between them); m or t decides the field here too."""

    CSS_PATH = "handover.tcss"
    BINDINGS = [
        Binding("m", "dismiss('mine')", "Keep mine", id="handover.whole.mine", tooltip="Keep this vault's value"),
        Binding(
            "t",
            "dismiss('theirs')",
            "Take theirs",
            id="handover.whole.theirs",
            tooltip="Take the bundle's value (yours stays in the history)",
        ),
        Binding("escape,ctrl+g,v", "dismiss(None)", "Back", id="handover.whole.back"),
    ]

    def __init__(self, merge: HandoverImportScreen, conflict: Conflict, diff: FieldDiff) -> None:
        super().__init__(classes="handover-whole")
        self.merge, self.conflict, self.diff = merge, conflict, diff

    def compose(self) -> ComposeResult:
        conflict, diff = self.conflict, self.diff
        taken = self.merge.choices[conflict.key][diff.field]
        label = self.merge.field_label(conflict, diff.field)

        def veil(text: str) -> str:
            return self.merge.discreet_value(conflict, diff.field, text, HIDDEN_WHOLE)

        with Vertical(id="whole-body"):
            yield VaultText(
                f"{self.merge.bundle_names(conflict.label)}: {label} (now: {taken})", id="whole-title", single_line=True
            )
            yield VaultText(difference_line(label, diff), single_line=True)
            yield Static(f"Mine, in this vault ({characters(diff.mine, diff.mine_whole)} characters):", markup=False)
            yield WholeValue(diff.mine_whole, veil, id="whole-mine")
            yield Static(
                f"Theirs, in the bundle ({characters(diff.theirs, diff.theirs_whole)} characters):", markup=False
            )
            yield WholeValue(diff.theirs_whole, veil, id="whole-theirs")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#whole-mine", WholeValue).focus()
