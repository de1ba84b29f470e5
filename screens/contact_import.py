"""Importing contacts from the screen: the same dry run as ``hrd-tui import
contacts``. A file is read and parsed in a worker thread (the screen says "Reading..." and
stays responsive), then previewed (every row's errors by row and field,
every duplicate with the contact it matches, by codename); nothing is written
until the officer confirms, choosing to merge or skip the duplicates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from hrd_tui.errors import HrdError
from hrd_tui.sanitize import plural
from hrd_tui.screens.background import HandsBack
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import contact_io
from hrd_tui.services.contact_io import ImportPlan, ImportRow

#: Rows shown in the preview table; the summary counts them all.
PREVIEW_ROWS = 500


def row_status(row: ImportRow, unit: str) -> tuple[str, str]:
    """(status, detail) of one row, in words: its errors, what it duplicates, and every
    remark the command line prints for it (``same codename as ..., but a different name``)."""
    if not row.ok:
        status, said = "ERROR", [f"{i.field}: {i.message}" for i in row.issues]
    elif row.is_duplicate:
        status, said = "duplicate", [row.describe_duplicate(unit)]
    else:
        status, said = "new", []
    return status, "; ".join(said + row.notes)


def row_whole(row: ImportRow, unit: str) -> str:
    """The row in full, one problem or remark a line (under the table: nothing cut)."""
    status, _ = row_status(row, unit)
    head = f"{unit.capitalize()} {row.row}, codename {row.data.get('codename') or '-'}: "
    if not row.ok:
        lines = [head + "ERROR, never imported", *(f"! {i.field}: {i.message}" for i in row.issues)]
    elif row.is_duplicate:
        lines = [head + row.describe_duplicate(unit)]
    else:
        lines = [head + "new"]
    return "\n".join(lines + [f"Remark: {note}" for note in row.notes])


class ImportContactsScreen(ShellAccess, HandsBack, Screen[int | None]):
    CSS_PATH = "contacts.tcss"
    BINDINGS = [
        Binding("f2,ctrl+o", "confirm", "Import", id="import.confirm", key_display="f2 ^o"),
        # Short words: with the table focused the footer also shows F1 and w, all in 80 columns.
        Binding(
            "u",
            "duplicates('merge')",
            "Merge",
            id="import.merge",
            tooltip="Update (merge) duplicates into the existing contacts",
        ),
        Binding(
            "s",
            "duplicates('skip')",
            "Skip",
            id="import.skip",
            tooltip="Skip duplicates (the existing contacts stay as they are)",
        ),
        Binding("escape,ctrl+g", "cancel", "Cancel", id="import.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="import")
        self.plan: ImportPlan | None = None
        self.shown: list[ImportRow] = []  # the table's rows, in its order
        self.on_duplicate: Literal["merge", "skip"] = "skip"

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="import-body"):
            yield Static(
                "Import contacts from a CSV or vCard file: nothing is written until you confirm.",
                id="import-title",
                markup=False,
            )
            yield Input(id="import-path", placeholder="path of the file, then Enter: ~/contacts.csv")
            yield VaultText("", id="import-summary")
            yield fixed_table("import-rows", [("Row", 5), ("Status", 9), ("Codename", 14), ("Detail", 42)])
            # The highlighted row whole, wrapped (the Detail column cuts); Tab to scroll a long one.
            with VerticalScroll(id="import-detail"):
                yield VaultText("", id="import-detail-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show_whole(None)
        self.query_one("#import-path", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("confirm", "duplicates"):
            # shown, greyed out, until a file is previewed, and while it is being written
            return (self.plan is not None and not self.busy) or None
        return True

    @on(Input.Submitted, "#import-path")
    def _preview(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        summary = self.query_one("#import-summary", VaultText)
        self.plan = None
        self.refresh_bindings()
        if not raw:
            summary.set_text("Type the path of a .csv or .vcf file.")
            return
        summary.set_text("Reading...")
        self.query_one("#import-rows", DataTable).clear()
        self._show_whole(None)
        self._read(Path(raw).expanduser())

    # All the work is done off the UI thread: reading, parsing and matching in one
    # worker, the write in another. A large or crafted file never freezes the screen,
    # and any failure comes back as a message. The store lets a lock (from the UI
    # thread) wait for a worker's transaction to end, and refuses a session after it;
    # a worker hands its result to the screen only once its session is closed.
    @work(thread=True, exclusive=True, group="contact-import", exit_on_error=False, description="reading contacts")
    def _read(self, path: Path) -> None:
        try:
            plan = contact_io.preview_file(self.shell, path)
        except HrdError as exc:
            message = str(exc)
        except Exception as exc:  # noqa: BLE001 - never a traceback (it may quote the file)
            message = f"Could not read {path.name} (internal error: {type(exc).__name__}); nothing was imported."
        else:
            self.hand_back(self._parsed, plan)
            return
        self.hand_back(self._failed, message)

    def _failed(self, message: str) -> None:
        self.plan = None
        self.shown = []
        self._show_whole(None)
        self.busy = False
        self.query_one("#import-summary", VaultText).set_text(message)
        self.query_one("#import-path", Input).focus()
        self.refresh_bindings()

    def _parsed(self, plan: ImportPlan) -> None:
        self.plan = plan
        self._show_plan()
        self.query_one("#import-rows", DataTable).focus()
        self.refresh_bindings()

    def _show_plan(self) -> None:
        assert self.plan is not None
        plan = self.plan
        lines = plan.summary_lines()
        if plan.duplicates:
            lines.append(
                f"Duplicates will be {'MERGED into the existing contacts' if self.on_duplicate == 'merge' else 'SKIPPED'}"
                " (u merges, s skips)."
            )
        lines.append(
            "F2 or ^o imports (asks first), Esc cancels." if plan.valid else "Nothing to import. Esc goes back."
        )
        self.query_one("#import-summary", VaultText).set_text("\n".join(lines))
        table = self.query_one("#import-rows", DataTable)
        cursor = table.cursor_row
        table.clear()
        # Problems first, then rows with remarks: they are what the officer has to read.
        self.shown = [*plan.invalid, *plan.duplicates, *sorted(plan.new, key=lambda r: not r.notes)][:PREVIEW_ROWS]
        for n, row in enumerate(self.shown):
            status, detail = row_status(row, plan.unit)
            table.add_row(
                str(row.row),
                status,
                literal(row.data.get("codename", "-"), single_line=True),
                literal(detail or "-", single_line=True),
                key=str(n),
            )
        if self.shown:
            table.move_cursor(row=min(max(cursor, 0), len(self.shown) - 1))
        self._show_whole(table.cursor_row if self.shown else None)

    @on(DataTable.RowHighlighted, "#import-rows")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_whole(event.cursor_row)

    def _show_whole(self, index: int | None) -> None:
        row = self.shown[index] if index is not None and 0 <= index < len(self.shown) else None
        detail = self.query_one("#import-detail", VerticalScroll)
        detail.display = row is not None
        if row is not None and self.plan is not None:
            self.query_one("#import-detail-text", VaultText).set_text(row_whole(row, self.plan.unit))
            detail.scroll_home(animate=False)

    def action_duplicates(self, choice: Literal["merge", "skip"]) -> None:
        if self.busy:
            return
        self.on_duplicate = choice
        if self.plan is not None:
            self._show_plan()

    def action_confirm(self) -> None:
        plan = self.plan
        if plan is None or not plan.valid:
            return
        dups = len(plan.duplicates)
        question = f"Import {plural(len(plan.new), 'new contact')}" + (
            f" and {'merge' if self.on_duplicate == 'merge' else 'skip'} {plural(dups, 'duplicate')}" if dups else ""
        )
        if plan.invalid:
            question += (
                f"? {plural(len(plan.invalid), 'row')} with errors {'is' if len(plan.invalid) == 1 else 'are'} left out"
            )
        self.app.push_screen(ConfirmModal(question + "?", yes="Import", no="Not yet"), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes or self.plan is None or self.busy:
            return
        self.busy = True
        self.refresh_bindings()
        self.query_one("#import-summary", VaultText).set_text("Importing... (the whole file is written, or nothing)")
        self._write(self.plan, self.on_duplicate)

    @work(thread=True, exclusive=True, group="contact-import", exit_on_error=False, description="importing contacts")
    def _write(self, plan: ImportPlan, on_duplicate: Literal["merge", "skip"]) -> None:
        """One transaction for the whole file; a lock meanwhile waits for it to end."""
        try:
            result = contact_io.import_planned(self.shell, plan, on_duplicate)
        except HrdError as exc:
            message = f"{exc} Nothing was imported."
        except Exception as exc:  # noqa: BLE001 - rolled back by the store; a message, never a crash
            message = f"Could not import (internal error: {type(exc).__name__}); nothing was imported."
        else:
            self.hand_back(self._imported, result)
            return
        self.hand_back(self._write_failed, message)

    def _write_failed(self, message: str) -> None:
        self.busy = False
        self.query_one("#import-summary", VaultText).set_text(message)
        self.refresh_bindings()

    def _imported(self, result: contact_io.ImportResult) -> None:
        self.app.notify(f"Imported: {result}.", markup=False)
        self.dismiss(result.created + result.merged)
