"""The real app shell with a section screen that has a text field, for tests of
what happens to unfinished text (the real sections gain their fields in their
own milestones). ``python draft_app.py VAULT SETTINGS`` runs it in a terminal."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from hrd_tui import wallclock
from hrd_tui.app import HrdApp, make_app
from hrd_tui.screens.sections import SectionScreen
from hrd_tui.screens.widgets.draft_input import DraftInput


class JotScreen(SectionScreen):
    def compose(self) -> ComposeResult:
        yield Static(f"{self.section.title} (test screen with a text field)", markup=False)
        yield DraftInput(f"test:{self.section.name}", id="jot")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#jot", DraftInput).focus()


def build(vault_dir: Path, settings: Path, **kwargs: object) -> HrdApp:
    return make_app(
        vault_dir,
        settings_path=settings,
        screens={"today": JotScreen, "contacts": JotScreen},
        **{"today": wallclock.today, **kwargs},
    )  # type: ignore[arg-type]


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2])).run()
