"""Importing a file an officer names by its path (a checklist template, a report layout):
read, checked and stored on a worker; a refusal is shown under the path, which stays as
typed, and the keys typed meanwhile wait for the answer."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from hrd_tui.errors import HrdError
from hrd_tui.sanitize import for_display
from hrd_tui.screens.calls import hand_back
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.vault_text import VaultText


class FileImportModal(ShellAccess, ModalScreen[bool]):
    """A path, then the import: a subclass says what it imports (PROMPT, PLACEHOLDER) and
    how (``run_import``, on the worker thread, returning the notice to show). Dismissed
    with True once imported."""

    BINDINGS = [Binding("escape,ctrl+g", "dismiss(False)", "Cancel", id="file_import.cancel")]
    PROMPT = "Import a file: its path (Enter imports, Esc cancels)"
    PLACEHOLDER = ""
    BOX_ID = "start-box"
    importing = False  # a file is being imported on a worker: Enter again starts nothing

    def run_import(self, path: Path) -> str:  # pragma: no cover - each subclass says
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID):
            yield Static(self.PROMPT, markup=False)
            yield Input(id="path", placeholder=self.PLACEHOLDER)
            yield VaultText("", id="import-status")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _import_file(self, event: Input.Submitted) -> None:
        """Read, checked and stored on a worker (a file may be 1 MiB of TOML); the keys
        typed meanwhile (Esc, Enter again) wait for the answer."""
        if self.importing:
            return
        path = Path(event.value.strip()).expanduser()
        self.importing = True
        self.query_one("#import-status", VaultText).set_text(f"Importing {path} ...")
        self.shell.hold_keys()
        self.run_worker(partial(self._import, path), thread=True, group="file-import", description="importing")

    def _import(self, path: Path) -> None:
        """On the worker thread: the answer goes back to the modal if it is still shown."""
        try:
            notice = self.run_import(path)
        except HrdError as exc:
            hand_back(self, self._refused, str(exc))
        else:
            hand_back(self, self._imported, notice)

    def _answered(self) -> None:
        """The keys typed meanwhile go on: on the answer, or when the modal goes (a lock)."""
        if self.importing:
            self.importing = False
            self.shell.release_keys()

    def on_unmount(self) -> None:
        self._answered()

    def _refused(self, message: str) -> None:
        self._answered()
        self.query_one("#import-status", VaultText).set_text(message)  # the path typed stays in its field

    def _imported(self, notice: str) -> None:
        self._answered()
        self.app.notify(for_display(notice), markup=False)
        self.dismiss(True)
