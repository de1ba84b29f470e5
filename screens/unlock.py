"""Unlock and create screens: the only screens shown while the vault is locked.

They hold no vault data. Slow work (Argon2id) runs in the app's worker; these
screens only collect what the officer types and show progress and errors.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, LoadingIndicator, Static

from hrd_tui import wipe
from hrd_tui.passphrase import estimate
from hrd_tui.paths import vault_exists
from hrd_tui.screens.shell import ShellAccess


class UnlockScreen(ShellAccess, Screen[None]):
    """Passphrase (or recovery code) in, a worker does the rest."""

    BINDINGS = [
        Binding("ctrl+r", "toggle_recovery", "Recovery code", id="unlock.recovery"),
        # Masked as typed (a recovery code as much as a passphrase): shown only when asked.
        Binding(
            "ctrl+t",
            "toggle_shown",
            "Show/hide",
            id="unlock.show",
            tooltip="Show or hide what is typed (passphrase or recovery code)",
        ),
        Binding("ctrl+q", "app.quit", "Quit", id="unlock.quit"),
    ]

    def __init__(self) -> None:
        super().__init__(id="unlock")
        self.recovery = False
        self.wiped = False

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock-box"):
            yield Static("hrd-tui: the vault is locked", id="unlock-title", markup=False)
            yield Static("Passphrase", id="unlock-prompt", markup=False)
            yield Input(password=True, id="secret", placeholder="type, then Enter")
            # No LoadingIndicator: it redraws 16 times a second even while hidden; the
            # status line says "Deriving the key..." in words instead.
            yield Static("", id="unlock-status", markup=False)
            yield Static("", id="unlock-attempts", markup=False)
        yield Footer()

    AUTO_FOCUS = "#secret"  # focused as it is composed: the prompt's first frame is its last

    def on_mount(self) -> None:
        self.show_attempts_left()

    def on_screen_resume(self) -> None:
        """Shown again after a lock (it is the app's bottom screen): as new, field emptied."""
        if not self.is_mounted or self.wiped:
            return
        self.recovery = False
        field = self.query_one("#secret", Input)
        self._mask()
        self.busy(False, "")
        field.value = ""
        self.show_attempts_left()
        self.set_focus(field)

    @property
    def vault_dir(self) -> Path | None:
        return getattr(self.app, "vault_dir", None)

    def show_attempts_left(self) -> None:
        """With "wipe after N failed unlocks" on: how many tries remain (hidden otherwise)."""
        line = self.query_one("#unlock-attempts", Static)
        left = wipe.attempts_left(self.vault_dir) if self.vault_dir is not None else None
        if line.display != (left is not None):  # no second layout for the first frame
            line.display = left is not None
        line.update(wipe.attempts_left_text(left) if left is not None else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.wiped and action in ("toggle_recovery", "toggle_shown"))

    def show_wiped(self, message: str) -> None:
        """The vault is gone: say so, and take no more input."""
        self.wiped = True
        self.refresh_bindings()
        self.query_one("#unlock-title", Static).update("hrd-tui: this vault was wiped")
        self.query_one("#unlock-prompt", Static).display = False
        field = self.query_one("#secret", Input)
        field.value = ""
        field.display = False
        self.query_one("#unlock-attempts", Static).display = False
        self.query_one("#unlock-status", Static).update(message or wipe.WIPED_MESSAGE)

    def action_toggle_recovery(self) -> None:
        self.recovery = not self.recovery
        self._mask()

    def action_toggle_shown(self) -> None:
        field = self.query_one("#secret", Input)
        field.password = not field.password
        self._prompt()

    def _mask(self) -> None:
        """What is typed hidden again (after a switch, a failure, a lock)."""
        self.query_one("#secret", Input).password = True
        self._prompt()

    def _prompt(self) -> None:
        shown = not self.query_one("#secret", Input).password
        what = "Recovery code" if self.recovery else "Passphrase"
        self.query_one("#unlock-prompt", Static).update(f"{what} (shown: ctrl+t hides it)" if shown else what)

    @on(Input.Submitted, "#secret")
    def submit(self, event: Input.Submitted) -> None:
        if not event.value:
            return
        self.busy(True, "Deriving the key...")
        self.shell.request_unlock(event.value, "recovery" if self.recovery else "passphrase")

    def busy(self, on_: bool, message: str = "") -> None:
        field = self.query_one("#secret", Input)
        field.disabled = on_
        self.query_one("#unlock-status", Static).update(message)

    def failed(self, message: str) -> None:
        if self.vault_dir is not None and self._wiped(self.vault_dir):
            self.show_wiped(message)
            return
        left = wipe.attempts_left(self.vault_dir) if self.vault_dir is not None else None
        if left is not None:  # said once, on its own line (show_attempts_left), not twice
            said = wipe.attempts_left_text(left)
            message = message.replace(f" {said}", "").replace(said, "").strip()
        self.busy(False, message)
        self.show_attempts_left()
        self._mask()
        field = self.query_one("#secret", Input)
        field.value = ""
        field.focus()

    @staticmethod
    def _wiped(vault_dir: Path) -> bool:
        return not vault_exists(vault_dir) and (not vault_dir.exists() or (vault_dir / wipe.WIPED_MARKER).exists())


class CreateScreen(ShellAccess, Screen[None]):
    """A new vault: passphrase twice, a strength estimate with its reason."""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", id="create.quit")]

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock-box"):
            yield Static("hrd-tui: create a new vault", id="unlock-title", markup=False)
            yield Static("Choose a passphrase: several unrelated words are easiest.", markup=False)
            yield Input(password=True, id="first", placeholder="passphrase")
            yield Static("", id="strength", markup=False)
            yield Input(password=True, id="second", placeholder="the same again, then Enter")
            yield LoadingIndicator(id="unlock-busy")
            yield Static("", id="unlock-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#unlock-busy").display = False
        self.query_one("#first", Input).focus()

    @on(Input.Changed, "#first")
    def rate(self, event: Input.Changed) -> None:
        strength = estimate(event.value) if event.value else None
        text = f"Strength: {strength.label} ({strength.reason})" if strength else ""
        self.query_one("#strength", Static).update(text)

    @on(Input.Submitted, "#first")
    def next_field(self) -> None:
        self.query_one("#second", Input).focus()

    @on(Input.Submitted, "#second")
    def submit(self) -> None:
        first, second = self.query_one("#first", Input), self.query_one("#second", Input)
        strength = estimate(first.value)
        if not strength.acceptable:
            self.failed(f"Too weak: {strength.reason}.", keep_first=True)
            return
        if first.value != second.value:
            self.failed("The two passphrases differ; type the second again.", keep_first=True)
            return
        for field in (first, second):
            field.disabled = True
        self.query_one("#unlock-busy").display = True
        self.query_one("#unlock-status", Static).update("Calibrating the key derivation for this machine...")
        self.shell.request_create(first.value)

    def failed(self, message: str, keep_first: bool = False) -> None:
        first, second = self.query_one("#first", Input), self.query_one("#second", Input)
        for field in (first, second):
            field.disabled = False
        second.value = ""
        self.query_one("#unlock-busy").display = False
        self.query_one("#unlock-status", Static).update(message)
        (second if keep_first else first).focus()


class RecoveryCodeScreen(ShellAccess, Screen[None]):
    """The recovery code, shown once; the officer confirms it is written down."""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", id="recovery.quit")]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock-box"):
            yield Static("Recovery code: shown this once only", id="unlock-title", markup=False)
            yield Static(self.code, id="recovery-code", markup=False)
            yield Static(
                "Write it down and keep it apart from this workstation. It opens the vault if the "
                "passphrase is lost; anyone who holds it can open the vault.",
                markup=False,
            )
            yield Button("I have written it down", id="written", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#written", Button).focus()

    @on(Button.Pressed, "#written")
    def done(self) -> None:
        self.code = ""
        self.shell.recovery_code_confirmed()
