"""Pick one of a few labelled choices: Enter picks, Esc cancels. Labels are vault text."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from hrd_tui.screens.widgets.dialog import Dialog
from hrd_tui.screens.widgets.toggles import PointerOptionList
from hrd_tui.screens.widgets.vault_text import literal


class PickModal(Dialog[int | None]):
    BINDINGS = [Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="pick.cancel")]

    def __init__(self, question: str, labels: Sequence[str]) -> None:
        super().__init__(classes="pick")
        self.question, self.labels = question, list(labels)

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box"):
            yield Static(f"{self.question} (Enter picks, Esc cancels)", markup=False)
            yield PointerOptionList(
                *[
                    Option(literal(label, single_line=True), id=str(n))  # > on the one Enter picks
                    for n, label in enumerate(self.labels)
                ],
                id="pick-options",
            )

    def on_mount(self) -> None:
        options = self.query_one("#pick-options", OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#pick-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))
