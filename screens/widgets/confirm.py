"""A yes/no question with the answer keys on screen: y / n (Esc is no)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from hrd_tui.screens.widgets.dialog import Dialog
from hrd_tui.screens.widgets.vault_text import VaultText


class ConfirmModal(Dialog[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="confirm")
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield VaultText(self.question + "\n", id="confirm-question")
            yield Static(f"y: {self.yes}    n or Esc: {self.no}", id="confirm-keys", markup=False)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
