"""Merging a colleague's handover bundle from the app, as `hrd-tui handover import` does.

The bundle's file and passphrase first (opening it runs the KDF: a worker, so
the screen stays responsive); then what it would add, what is identical, and
each conflict field by field, decided with m (keep mine) or t (take theirs).
Nothing is written until F2 and a yes; a value replaced by the bundle's stays
in the history.
"""

from __future__ import annotations

from pathlib import Path

from hrd_tui.screens.background import HandsBack
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from hrd_tui.errors import HrdError


class HandoverImportScreen(HandsBack, Screen[None]):
    CSS_PATH = "contacts.tcss"
    BINDINGS = [
        Binding("f2,ctrl+o", "confirm", "Import", id="handover.confirm", key_display="f2 ^o"),
        Binding("m", "choose('mine')", "Keep mine", id="handover.mine", tooltip="Keep this vault's record"),
        Binding("t", "choose('theirs')", "Take theirs", id="handover.theirs",
                tooltip="Take the bundle's record (yours stays in the history)"),
        Binding("escape,ctrl+g", "cancel", "Cancel", id="handover.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="handover")
        self.bundle = None
        self.plan = None
        self.choices: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="handover-body"):
            yield Static("Import a handover bundle: nothing is written until you confirm (F2 or ^o).", markup=False)
            yield Input(id="handover-path", placeholder="the bundle's path, then Tab", compact=True)
            yield Input(id="handover-passphrase", placeholder="the bundle's passphrase, then Enter", password=True,
                        compact=True)
            yield VaultText("", id="handover-summary")
            yield fixed_table("handover-conflicts", [("Choice", 7), ("Record", 22), ("Field", 12), ("Mine", 14),
                                                     ("Theirs", 14)])
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#handover-path", Input).focus()

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
        from hrd_tui import handover

        try:
            bundle = handover.read_bundle(path, secret)
            with self.app.session("reading the bundle") as session:  # type: ignore[attr-defined]
                plan = handover.plan_import(session, bundle)
        except HrdError as exc:
            message = str(exc)
        except Exception as exc:  # noqa: BLE001 - a crafted bundle gets a message, never a crash
            message = f"Could not read the bundle (internal error: {type(exc).__name__}); nothing was imported."
        else:
            self.hand_back(self._planned, bundle, plan)
            return
        self.hand_back(self._failed, message)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.query_one("#handover-summary", VaultText).set_text(message)
        self.query_one("#handover-passphrase", Input).focus()

    def _planned(self, bundle: object, plan: object) -> None:
        self.query_one("#handover-passphrase", Input).value = ""  # not kept on screen longer than needed
        self.bundle = bundle
        self.plan = plan  # type: ignore[assignment]
        self.choices = {c.key: "mine" for c in self.plan.conflicts}  # type: ignore[union-attr]
        self._show()

    def _show(self) -> None:
        plan = self.plan
        if plan is None:
            return
        lines = plan.summary()
        if plan.is_empty:
            lines.append("Nothing to import: every record of the bundle is already here.")
        elif plan.conflicts:
            lines.append("Each conflict keeps yours unless you press t on it (m puts yours back). F2 or ^o imports.")
        else:
            lines.append("No conflict. F2 or ^o imports.")
        self.query_one("#handover-summary", VaultText).set_text("\n".join(lines))
        table = self.query_one("#handover-conflicts", DataTable)
        cursor = table.cursor_row
        table.clear()
        for conflict in plan.conflicts:
            for n, diff in enumerate(conflict.diffs):
                choice = self.choices[conflict.key] if n == 0 else ""
                table.add_row(choice, literal(conflict.label if n == 0 else "", single_line=True),
                              literal(diff.field, single_line=True), literal(diff.mine_shown, single_line=True),
                              literal(diff.theirs_shown, single_line=True), key=f"{conflict.key}#{n}")
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
            table.focus()

    def action_choose(self, side: str) -> None:
        table = self.query_one("#handover-conflicts", DataTable)
        if self.plan is None or self.busy or not table.row_count or not table.has_focus:
            return
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value).split("#")[0]
        self.choices[key] = side
        self._show()

    def action_confirm(self) -> None:
        plan = self.plan
        if plan is None or plan.is_empty or self.busy:
            return
        theirs = sum(1 for v in self.choices.values() if v == "theirs")
        question = (f"Import this bundle? {sum(plan.new_counts.values())} new record(s); {len(plan.conflicts)} "
                    f"conflict(s), {theirs} taking the bundle's version.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply()

        self.app.push_screen(ConfirmModal(question, yes="Import", no="Not now"), answered)

    def _apply(self) -> None:
        if self.busy or self.plan is None:
            return
        self.busy = True
        self.query_one("#handover-summary", VaultText).set_text("Importing... (the whole bundle is written, or nothing)")
        self._write(self.plan, dict(self.choices))

    @work(thread=True, exclusive=True, group="handover", exit_on_error=False, description="importing the bundle")
    def _write(self, plan: object, choices: dict[str, str]) -> None:
        """One transaction for the whole bundle; a lock meanwhile waits for it to end."""
        from hrd_tui import handover

        try:
            with self.app.session("importing the bundle") as session:  # type: ignore[attr-defined]
                result = handover.apply_import(session, plan, choices)  # type: ignore[arg-type]
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
        self.app.notify(message, severity="error", markup=False)
        self._show()

    def _imported(self, result: object) -> None:
        self.app.notify(f"Imported {result.total_inserted} record(s); {len(result.took_theirs)} took the bundle's "  # type: ignore[attr-defined]
                        "version.", markup=False)
        self.dismiss(None)
