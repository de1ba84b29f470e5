"""The app shell: unlock, navigation, lock (key and idle), discreet mode, help, signals.

The only core module that imports Textual. Built by :func:`make_app` so tests
pass their own vault directory, settings file and clock; nothing is created at
import time. Screens talk to the vault through the app and the services.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from hrd_tui import vault as vault_mod
from hrd_tui.errors import HrdError
from hrd_tui.screens.help import HelpScreen
from hrd_tui.screens.sections import SECTION_BY_NAME, SECTIONS, SectionScreen
from hrd_tui.screens.unlock import CreateScreen, RecoveryCodeScreen, UnlockScreen
from hrd_tui.settings import Settings

IDLE_CHECK_SECONDS = 1.0

HIGH_CONTRAST = Theme(
    name="hrd-high-contrast",
    primary="#ffffff",
    secondary="#ffff00",
    warning="#ffff00",
    error="#ff5555",
    success="#55ff55",
    accent="#00ffff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    dark=True,
)
DARK = Theme(
    name="hrd-dark",
    primary="#5fafd7",
    secondary="#87af87",
    warning="#d7af5f",
    error="#d75f5f",
    success="#87af5f",
    accent="#af87d7",
    dark=True,
)


def _global_bindings() -> list[Binding]:
    bindings = [
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        # Shown in help and the palette; the footer keeps its 80 columns for the sections.
        Binding("ctrl+l", "lock", "Lock", id="app.lock", priority=True, show=False),
        Binding("d", "toggle_discreet", "Discreet mode", id="app.discreet", show=False),
        Binding("q", "quit", "Quit", id="app.quit", show=False),
    ]
    for section in SECTIONS:
        bindings.append(
            Binding(f"{section.key},{section.digit}", f"go('{section.name}')", section.short,
                    id=f"app.go.{section.name}", key_display=section.key, tooltip=section.title)
        )
    return bindings


class HrdApp(App[None]):
    TITLE = "hrd-tui"
    CSS_PATH = str(resources.files("hrd_tui.screens").joinpath("app.tcss"))
    BINDINGS = _global_bindings()

    def __init__(self, vault_dir: Path, *, settings_path: Path | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.vault_dir = vault_dir
        self.settings_path = settings_path or Settings.default_path()
        self.settings = Settings.load(self.settings_path)
        self.clock = clock
        self.vault: vault_mod.Vault | None = None
        self.discreet = self.settings.discreet
        self.section = "today"
        self.last_input = clock()
        self.register_theme(DARK)
        self.register_theme(HIGH_CONTRAST)
        self.theme = self.settings.theme

    # -- life cycle -------------------------------------------------------------
    def on_mount(self) -> None:
        self.push_screen(UnlockScreen() if vault_mod.exists(self.vault_dir) else CreateScreen())
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock)
        if not self.is_headless:
            self._install_signal_handlers()
            self.set_interval(2.0, self._check_terminal)

    def _install_signal_handlers(self) -> None:
        """Textual does not handle SIGHUP: without this a dropped SSH link kills
        the process before anything is saved or closed."""
        import asyncio

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            loop.add_signal_handler(sig, self.shut_down)

    def _check_terminal(self) -> None:
        if not os.isatty(0):  # the SSH link is gone: do not spin as an orphan
            self.shut_down()

    def shut_down(self) -> None:
        self.close_vault()
        self.exit()

    def on_unmount(self) -> None:
        self.close_vault()

    # -- unlock and create ----------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.vault is None

    def request_unlock(self, value: str, kind: str) -> None:
        self._unlock_worker(vault_mod.Secret(value, kind))

    @work(thread=True, exclusive=True, group="vault")
    def _unlock_worker(self, secret: vault_mod.Secret) -> None:
        try:
            opened = vault_mod.unlock(self.vault_dir, secret)
        except HrdError as exc:
            self.call_from_thread(self._unlock_failed, str(exc))
            return
        self.call_from_thread(self._unlocked, opened)

    def _unlock_failed(self, message: str) -> None:
        if isinstance(self.screen, UnlockScreen):
            delay = vault_mod.unlock_delay(self.vault_dir)
            self.screen.failed(message + (f" Wait {delay:.0f} s before the next try." if delay >= 1 else ""))

    def request_create(self, passphrase: str) -> None:
        self._create_worker(passphrase)

    @work(thread=True, exclusive=True, group="vault")
    def _create_worker(self, passphrase: str) -> None:
        try:
            opened, code = vault_mod.create(self.vault_dir, passphrase)
        except HrdError as exc:
            self.call_from_thread(self._create_failed, str(exc))
            return
        self.call_from_thread(self._created, opened, code)

    def _create_failed(self, message: str) -> None:
        if isinstance(self.screen, CreateScreen):
            self.screen.failed(message)

    def _created(self, opened: vault_mod.Vault, code: str) -> None:
        self.vault = opened
        self.switch_screen(RecoveryCodeScreen(code))

    def recovery_code_confirmed(self) -> None:
        self._enter(self.section)

    def _unlocked(self, opened: vault_mod.Vault) -> None:
        self.vault = opened
        self.last_input = self.clock()
        for warning in opened.warnings:
            self.notify(warning, severity="warning")
        self._enter(self.section)

    def _enter(self, section: str) -> None:
        self.section = section
        self.switch_screen(SectionScreen(SECTION_BY_NAME[section]))

    # -- lock --------------------------------------------------------------------------
    def close_vault(self) -> None:
        if self.vault is not None:
            self.vault.close()
            self.vault = None

    def action_lock(self) -> None:
        """Lock at once: close the store, drop the key, leave no screen with data."""
        if self.locked:
            return
        self.close_vault()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(UnlockScreen())
        self.sub_title = ""

    def on_event(self, event):  # type: ignore[no-untyped-def]
        from textual import events

        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_input = self.clock()
        return super().on_event(event)

    def check_idle_lock(self) -> None:
        if not self.locked and self.clock() - self.last_input >= self.settings.idle_lock_minutes * 60:
            self.action_lock()

    # -- navigation, discreet mode, help --------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("go", "toggle_discreet", "lock") and self.locked:
            return False
        return True

    def action_go(self, section: str) -> None:
        if not self.locked and section in SECTION_BY_NAME:
            self._enter(section)

    def action_toggle_discreet(self) -> None:
        self.discreet = not self.discreet
        self.settings.discreet = self.discreet
        self._save_settings()
        for screen in self.screen_stack:
            if isinstance(screen, SectionScreen):
                screen.refresh_discreet(self.discreet)
        self.notify("Discreet mode on: codenames only." if self.discreet else "Discreet mode off.")

    def _save_settings(self) -> None:
        try:
            self.settings.save(self.settings_path)
        except HrdError as exc:
            self.notify(str(exc), severity="warning")

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.binding_rows()))

    def binding_rows(self) -> list[tuple[str, str, str]]:
        rows: list[tuple[str, str, str]] = []
        for binding in self.screen.BINDINGS:
            if isinstance(binding, Binding):
                rows.append((binding.key, binding.description or binding.action, "this screen"))
        for binding in self.BINDINGS:
            if isinstance(binding, Binding):
                rows.append((binding.key, binding.description or binding.action, "everywhere"))
        rows.append(("ctrl+p", "Command palette", "everywhere"))
        return rows

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if not self.locked:
            yield SystemCommand("Lock", "Lock the vault now (ctrl+l)", self.action_lock)
            yield SystemCommand("Discreet mode", "Show codenames instead of names (d)", self.action_toggle_discreet)
            for section in SECTIONS:
                yield SystemCommand(f"Go to {section.title.lower()}", f"Open {section.title} ({section.key})",
                                    lambda name=section.name: self.action_go(name))
        yield SystemCommand("Help", "Every key of this screen and the global ones (F1, ?)", self.action_help)
        yield SystemCommand("Quit", "Save, close the vault and quit", self.exit)


def make_app(vault_dir: Path, *, settings_path: Path | None = None,
             clock: Callable[[], float] = time.monotonic) -> HrdApp:
    return HrdApp(vault_dir, settings_path=settings_path, clock=clock)
