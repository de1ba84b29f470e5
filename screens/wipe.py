"""The emergency wipe from the app, and the wipe-after-failed-unlocks setting.

The wipe asks for the word WIPE typed in full (a stray key cannot start it), then
counts down a few seconds, any key but Enter cancelling; at zero the key slots are
destroyed first, so the vault is unreadable from that instant.
"""

from __future__ import annotations

import math
import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from hrd_tui.errors import HrdError
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.dialog import Dialog

WIPE_WORD = "WIPE"


class WipeModal(Dialog[bool]):
    """True once the countdown reached zero; False if cancelled."""

    BINDINGS = [Binding("escape,ctrl+g", "cancel", "Cancel", id="wipe.cancel", priority=True)]

    def __init__(self, seconds: float) -> None:
        super().__init__(classes="wipe")
        self.seconds = seconds
        self.deadline: float | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="wipe-box"):
            yield Static(
                "EMERGENCY WIPE: this destroys the vault for good. No passphrase or recovery code will "
                "open it again. Encrypted backups elsewhere, handover bundles and exports already sent "
                "are out of reach.",
                markup=False,
            )
            yield Static(
                f"Type {WIPE_WORD} and Enter to start a {self.seconds:g}-second countdown; Esc cancels.",
                id="wipe-status",
                markup=False,
            )
            yield Input(id="wipe-word", placeholder=WIPE_WORD, compact=True)

    def on_mount(self) -> None:
        self.query_one("#wipe-word", Input).focus()

    @on(Input.Submitted, "#wipe-word")
    def _typed(self, event: Input.Submitted) -> None:
        if event.value.strip() != WIPE_WORD:
            self.query_one("#wipe-status", Static).update(f"Type {WIPE_WORD} exactly (capitals), or Esc to cancel.")
            return
        event.input.disabled = True
        self.deadline = time.monotonic() + self.seconds
        self._tick()
        self.set_interval(0.2, self._tick)

    def _tick(self) -> None:
        if self.deadline is None:
            return
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.deadline = None
            self.dismiss(True)
            return
        self.query_one("#wipe-status", Static).update(f"Wiping in {math.ceil(left)} s. Esc cancels.")

    def action_cancel(self) -> None:
        self.deadline = None
        self.dismiss(False)


class WipeAfterModal(ShellAccess, Dialog[None]):
    """Wipe after N failed unlocks in a row (3 to 20), or off."""

    BINDINGS = [Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="wipe_after.cancel")]

    def __init__(self, current: int | None) -> None:
        super().__init__(classes="wipe-after")
        self.current = current

    def compose(self) -> ComposeResult:
        now = f"now: after {self.current} failed unlocks" if self.current else "now: off"
        with Vertical(id="wipe-after-box"):
            yield Static(
                f"Wipe the vault after this many failed unlocks in a row (3 to 20), or 'off' ({now}). "
                "Anyone at this keyboard can then destroy it by typing wrong passphrases.",
                markup=False,
            )
            yield Static("", id="wipe-after-error", markup=False)
            yield Input(str(self.current or "off"), id="wipe-after-value", compact=True)

    def on_mount(self) -> None:
        self.query_one("#wipe-after-value", Input).focus()

    @on(Input.Submitted, "#wipe-after-value")
    def _chosen(self, event: Input.Submitted) -> None:
        value = event.value.strip().lower()
        if value != "off" and not value.isdigit():
            self.query_one("#wipe-after-error", Static).update("A number from 3 to 20, or off.")
            return
        try:
            text = self.shell.set_wipe_after(None if value == "off" else int(value))
        except HrdError as exc:
            self.query_one("#wipe-after-error", Static).update(str(exc))
            return
        self.app.notify(text, severity="warning" if value != "off" else "information", timeout=10, markup=False)
        self.dismiss(None)
