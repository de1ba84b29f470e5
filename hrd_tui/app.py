"""The app shell: unlock, navigation, lock (key and idle), discreet mode, help, signals.

The only core module that imports Textual. Built by :func:`make_app` so tests
pass their own vault directory, settings file, clock and section screens;
nothing is created at import time. The vault, SQLCipher and the models are
imported only once the officer has typed a passphrase (in the unlock worker),
so the unlock prompt draws as fast as a bare Textual app.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Input

from hrd_tui import screens as screens_package
from hrd_tui import wallclock
from hrd_tui.errors import HrdError
from hrd_tui.keyboard import KeysInOrder
from hrd_tui.paths import KEYMAP_NAME, vault_exists
from hrd_tui.sanitize import for_display
from hrd_tui.screens.sections import SECTION_BY_NAME, SECTIONS, Section, SectionScreen
from hrd_tui.screens.unlock import CreateScreen, RecoveryCodeScreen, UnlockScreen
from hrd_tui.settings import Settings

if TYPE_CHECKING:
    from sqlmodel import Session

    from hrd_tui.vault import Vault

IDLE_CHECK_SECONDS = 1.0
HARD_EXIT_SECONDS = 1.5
#: How often a running worker thread lets the event loop run (sys.setswitchinterval).
WORKER_SWITCH_SECONDS = 0.001
WARM_UP_AFTER_SECONDS = 0.3
DRAFT_SAVE_SECONDS = 2.0
#: Entries of the keymap file left out that get a notice each (the rest are counted in one).
KEYMAP_NOTICES = 8
#: A handle copied to the officer's clipboard is wiped again after this long.
CLIPBOARD_CLEAR_SECONDS = 30.0
#: Built-in palette commands we keep: "Screenshot" would write the screen, data
#: and all, to a plain file; "Quit" and "Keys" have our own versions.
KEPT_SYSTEM_COMMANDS = {"Theme"}

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

ScreenFactory = Callable[[Section], Screen[None]]


# Each imports its screen (and so the services and models) only when first entered, after unlock.
def _checklists_screen(section: Section) -> Screen[None]:
    from hrd_tui.screens.checklists import ChecklistsScreen

    return ChecklistsScreen(section)


def _contacts_screen(section: Section) -> Screen[None]:
    from hrd_tui.screens.contacts import ContactsScreen

    return ContactsScreen(section)


def _trials_screen(section: Section) -> Screen[None]:
    from hrd_tui.screens.trials import TrialsScreen

    return TrialsScreen(section)


def _threats_screen(section: Section) -> Screen[None]:
    from hrd_tui.screens.threats import ThreatsScreen

    return ThreatsScreen(section)


def _reports_screen(section: Section) -> Screen[None]:
    from hrd_tui.screens.reports import ReportsScreen

    return ReportsScreen(section)


def _monitoring_screen(section: Section) -> Screen[None]:
    from hrd_tui.screens.monitoring import MonitoringScreen

    return MonitoringScreen(section)


def _today_screen(section: Section) -> Screen[None]:
    from hrd_tui.screens.today import TodayScreen

    return TodayScreen(section)


#: The sections that have their own screens so far; the others show their placeholder.
SECTION_SCREENS: dict[str, ScreenFactory] = {
    "today": _today_screen,
    "contacts": _contacts_screen,
    "threats": _threats_screen,
    "trials": _trials_screen,
    "checklists": _checklists_screen,
    "monitoring": _monitoring_screen,
    "reports": _reports_screen,
}
#: The emergency wipe's countdown after WIPE is typed: time to change one's mind.
WIPE_COUNTDOWN_SECONDS = 5.0
#: The draft key that remembers the hearing last chosen for quick notes (kept in the vault).
LAST_HEARING_KEY = "quick-note:hearing"
NOTE_DRAFT_PREFIX = "note:"
#: The draft key that keeps where the officer was: the section and the screens above it (JSON).
PLACE_KEY = "app:place"


def osc52(text: str, *, tmux_passthrough: bool = False) -> str:
    """The OSC 52 sequence that puts ``text`` on the officer's clipboard (empty: clears it).
    Through tmux's passthrough, tmux hands it to the outer terminal without keeping its own
    copy in a paste buffer (a plain OSC 52 with ``set-clipboard on`` leaves one there)."""
    import base64

    sequence = f"\x1b]52;c;{base64.b64encode(text.encode('utf-8')).decode('ascii')}\a"
    if tmux_passthrough:
        return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence


def _terminal_gone() -> bool:
    """True when standard input is no longer a live terminal (a hung-up pty still
    passes isatty, but its attributes can no longer be read)."""
    try:
        termios.tcgetattr(0)
    except (termios.error, OSError):
        return True
    return False


def _global_bindings() -> list[BindingType]:
    bindings: list[BindingType] = [
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        # Shown in help and the palette; the footer keeps its 80 columns for the sections.
        Binding("ctrl+l", "lock", "Lock", id="app.lock", priority=True, show=False),
        Binding("d", "toggle_discreet", "Discreet mode", id="app.discreet", show=False),
        Binding(
            "comma",
            "settings",
            "Settings",
            id="app.settings",
            show=False,
            tooltip="Settings: idle lock, theme, discreet mode, old exports",
        ),
        # From anywhere outside a text field: notes for the hearing in progress.
        Binding("w", "quick_note", "Quick note", id="app.quick_note", tooltip="Quick note at the hearing in progress"),
        Binding("q", "quit", "Quit", id="app.quit", show=False),
    ]
    for section in SECTIONS:
        bindings.append(
            # Shown in the section bar at the top instead of the footer (room for the screen's keys).
            Binding(
                f"{section.key},{section.digit}",
                f"go('{section.name}')",
                section.short,
                id=f"app.go.{section.name}",
                key_display=section.key,
                tooltip=section.title,
                show=False,
            )
        )
    return bindings


class DraftsSaved(Message):
    """A save of the drafts on a worker ended (``error`` None: saved, or a newer copy was)."""

    def __init__(self, keys: frozenset[str], error: str | None) -> None:
        super().__init__()
        self.keys = keys
        self.error = error


class HrdApp(KeysInOrder):
    TITLE = "hrd-tui"
    CSS_PATH = str(Path(screens_package.__file__).with_name("app.tcss"))
    BINDINGS = _global_bindings()

    discreet: reactive[bool] = reactive(False)

    def __init__(
        self,
        vault_dir: Path,
        *,
        settings_path: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        screens: Mapping[str, ScreenFactory] | None = None,
        today: Callable[[], date] = wallclock.today,
        export_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.today = today  # the officer's calendar day; tests fix it
        self.export_dir = export_dir  # where screens save plain-text exports (None: the platform's)
        self.wipe_countdown_seconds = WIPE_COUNTDOWN_SECONDS
        self.vault_dir = vault_dir
        self.settings_path = settings_path or Settings.default_path()
        self.settings = Settings.load(self.settings_path)
        self.keymap_path = self.settings_path.with_name(KEYMAP_NAME)  # the officer's keys, read once mounted
        self.clock = clock
        self.screen_factories = {**SECTION_SCREENS, **(screens or {})}
        self.vault: Vault | None = None
        self.section = "today"
        self.last_input = clock()
        self.drafts: dict[str, str] = {}
        self.unsaved_drafts: set[str] = set()
        self.recovered_drafts: set[str] = set()
        # The 2-second save runs on a worker (with a worker drafting a report, the same
        # write on the event loop held it for 150 ms); every other save is synchronous.
        # One write at a time (_drafts_lock), and a write never puts back older text
        # than one already written: each copy taken is numbered, a write of an older
        # copy than the last written is skipped (the newer one held all its keys).
        self._drafts_lock = threading.Lock()
        self._drafts_taken = 0
        self._drafts_written = 0  # under _drafts_lock
        self._drafts_in_flight: frozenset[str] = frozenset()  # keys a worker is writing
        self._imports = threading.Lock()
        self.clipboard_clear_seconds = CLIPBOARD_CLEAR_SECONDS
        self._clipboard_timer: Timer | None = None
        self._quitting = False
        self._restoring = False
        self._recovered_notices: list[str] = []
        self._names: tuple[tuple[object, ...], Callable[[str], str]] | None = None  # (fingerprint, filter)
        self._names_checked: float | None = None
        self.register_theme(DARK)
        self.register_theme(HIGH_CONTRAST)
        self.theme = self.settings.theme if self.settings.theme in self.available_themes else DARK.name
        self.set_reactive(HrdApp.discreet, self.settings.discreet)

    # -- life cycle -------------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        """The first prompt is the bottom screen: composed before the first frame, as a
        bare app's is (pushed from on_mount, a half-mounted screen was drawn first).
        Everything after goes above it (:meth:`_replace_top`); it is emptied once used."""
        return UnlockScreen() if vault_exists(self.vault_dir) else CreateScreen()

    # -- the discreet badge on every screen ----------------------------------------------
    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().push_screen(screen, *args, **kwargs)
        self._badge(self.screen_stack[-1])
        return result

    def switch_screen(self, screen: Any) -> Any:
        result = super().switch_screen(screen)
        self._badge(self.screen_stack[-1])
        return result

    def _badge(self, screen: Screen[Any]) -> None:
        """Every screen shown gets the discreet badge (shown only in discreet mode)."""
        from hrd_tui.screens.widgets.discreet_badge import DiscreetBadge

        if not screen.query(DiscreetBadge):
            screen.mount(DiscreetBadge())

    def on_resize(self, event: events.Resize) -> None:
        from hrd_tui.screens.widgets.discreet_badge import DiscreetBadge

        for screen in self.screen_stack:
            for badge in screen.query(DiscreetBadge):
                badge.place(event.size.width)

    def _replace_top(self, screen: Screen[None]) -> None:
        """The screen above the first prompt: the section, a later unlock prompt."""
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            for field in self.screen_stack[0].query(Input):
                field.value = ""  # no passphrase left behind in the first prompt's fields
            self.push_screen(screen)

    def on_mount(self) -> None:
        # A worker (a report's draft, an export, an import) hands the interpreter back to
        # the event loop every millisecond instead of every five: the screen keeps
        # drawing while it works (bench_reports' screen figure at 4,000 contacts: the
        # longest stall 57 ms -> 32 ms, median of 5 drafts).
        sys.setswitchinterval(WORKER_SWITCH_SECONDS)
        # While the officer types, load the vault's heavy modules (SQLCipher,
        # SQLAlchemy, the models) in the background: after the prompt is drawn.
        self.call_after_refresh(self.set_timer, WARM_UP_AFTER_SECONDS, self._warm_up)  # never before the first paint
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock)
        self.set_interval(DRAFT_SAVE_SECONDS, self.save_drafts_in_background)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.keymap_path.exists():  # the usual case is none: then nothing is imported or read
            self._load_keymap()
        if not self.is_headless:
            self._install_signal_handlers()
            self.set_interval(2.0, self._check_terminal)

    @work(thread=True, group="warm-up", exit_on_error=False, description="warm-up")
    def _warm_up(self) -> None:
        with self._imports:
            import hrd_tui.migrations  # noqa: F401  (alembic)
            import hrd_tui.services.drafts  # noqa: F401
            import hrd_tui.services.reference  # noqa: F401
            import hrd_tui.vault  # noqa: F401

    @work(thread=True, group="keymap", exit_on_error=False, description="keymap")
    def _load_keymap(self) -> None:
        """The officer's keymap file, checked against every binding (so every screen module is
        imported: in a thread, while the prompt is up). Each entry left out is said once."""
        from hrd_tui import keymap

        raw, problems = keymap.read(self.keymap_path)
        if raw:
            with self._imports:
                owners, priority = binding_owners()
            checked = keymap.check(self.keymap_path, raw, owners, _key_name, priority)
            problems += checked.problems
            if checked.keys:
                self.call_from_thread(self.set_keymap, checked.keys)
            for note in checked.notes:
                self.call_from_thread(self.notify, str(note), title="Keymap", timeout=20, markup=False)
        for problem in problems[:KEYMAP_NOTICES]:
            self.call_from_thread(
                self.notify,
                f"{problem}. Left out.",
                title="Keymap: left out",
                severity="warning",
                timeout=20,
                markup=False,
            )
        if len(problems) > KEYMAP_NOTICES:  # a file of thousands of bad lines must not bury the screen in notices
            self.call_from_thread(
                self.notify,
                f"{self.keymap_path}: {len(problems) - KEYMAP_NOTICES} more entries left out.",
                title="Keymap: left out",
                severity="warning",
                timeout=20,
                markup=False,
            )

    def _install_signal_handlers(self) -> None:
        """Textual does not handle SIGHUP: without this a dropped SSH link kills
        the process before anything is saved or closed."""
        import asyncio

        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, self.shut_down, True)
        loop.add_signal_handler(signal.SIGTERM, self.shut_down, False)

    def _check_terminal(self) -> None:
        if _terminal_gone():  # the SSH link is gone: do not live on as an orphan
            self.shut_down(True)

    def shut_down(self, terminal_gone: bool = False) -> None:
        """Save what is typed and close the store, then leave: for SIGHUP, SIGTERM
        or a vanished terminal.

        With the terminal gone there is nothing to restore, and Textual's orderly
        exit can hang on a dead pty, so the process ends at once. After SIGTERM
        the terminal is restored, with an alarm as the backstop.
        """
        self._save_and_close()
        if terminal_gone:
            os._exit(0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, HARD_EXIT_SECONDS)
        self.exit()

    def on_unmount(self) -> None:
        self._save_and_close()

    def _save_and_close(self) -> None:
        """What is typed and every screen's place saved, then the store closed, come what may."""
        try:
            self.clear_clipboard()
            self.save_drafts_now()
        finally:
            self.close_vault()

    # -- the officer's clipboard -----------------------------------------------------
    def copy_for_officer(self, text: str, what: str) -> None:
        """Copy to the officer's own terminal (OSC 52, so it works over SSH), and wipe
        it again after a while: a handle must not linger in a shared clipboard."""
        self.copy_to_clipboard(text)
        if self._clipboard_timer is not None:
            self._clipboard_timer.stop()
        self._clipboard_timer = self.set_timer(self.clipboard_clear_seconds, self.clear_clipboard)
        kept_by_tmux = bool(os.environ.get("TMUX")) and not self._tmux_passthrough
        self.notify(
            f"{what} copied to your terminal's clipboard; it is cleared in {self.clipboard_clear_seconds:.0f} s."
            + (
                " tmux keeps a copy in its paste buffers that this cannot clear: set allow-passthrough on"
                " in tmux (see README)."
                if kept_by_tmux
                else ""
            ),
            markup=False,
            timeout=8,
        )

    @cached_property
    def _tmux_passthrough(self) -> bool:
        """Inside tmux with ``allow-passthrough`` on, the copy goes straight to the officer's
        terminal; otherwise tmux keeps it in a paste buffer, out of the app's reach."""
        if not os.environ.get("TMUX"):
            return False
        import subprocess

        try:
            shown = subprocess.run(
                ["tmux", "show-options", "-gv", "allow-passthrough"], capture_output=True, text=True, timeout=1.0
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return False
        return shown in ("on", "all")

    def copy_to_clipboard(self, text: str) -> None:
        self._clipboard = text
        if self._driver is not None:
            self._driver.write(osc52(text, tmux_passthrough=self._tmux_passthrough))

    def clear_clipboard(self) -> None:
        """Overwrite what we copied (an empty OSC 52 payload); also done at lock and exit."""
        if self._clipboard_timer is None:
            return
        self._clipboard_timer.stop()
        self._clipboard_timer = None
        try:
            self.copy_to_clipboard("")
        except Exception:  # noqa: BLE001 - a gone terminal cannot hold the copy either
            pass

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: close the vault and say one line, never a traceback.

        Textual would print the traceback with its local variables: names and
        notes among them. (Mirrors Textual 8.2's own handler; textual is pinned.)
        """
        try:
            self.save_drafts_now()  # what is typed, and where: back at the next unlock
        except Exception:  # noqa: BLE001 - the error may have broken a screen; the vault closes anyway
            pass
        try:
            self.close_vault()
        except Exception:  # noqa: BLE001 - closing is best effort here
            pass
        if os.environ.get("HRD_TUI_DEBUG") == "1":
            super()._handle_exception(error)
            return
        self._return_code = 70
        if self._exception is None:
            self._exception = error  # Pilot tests re-raise it
            self._exception_event.set()
        self._exit_renderables.append(
            f"hrd-tui: internal error ({type(error).__name__}); details are not shown because they may hold "
            "vault data. Run with HRD_TUI_DEBUG=1 to see them."
        )
        self._close_messages_no_wait()

    # -- unlock and create ----------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.vault is None

    def request_unlock(self, value: str, kind: str) -> None:
        self.hold_keys()  # keys typed during the key derivation go to what the unlock opens
        self._unlock_worker(value, kind)

    # description=: Textual would otherwise describe the worker by its arguments,
    # the passphrase among them, in its log.
    @work(thread=True, exclusive=True, group="vault", exit_on_error=False, description="unlock")
    def _unlock_worker(self, value: str, kind: str) -> None:
        with self._imports:  # never import the same modules as the warm-up at the same time
            from hrd_tui import vault as vault_mod  # heavy: SQLCipher, SQLAlchemy, models
            from hrd_tui.services import drafts

        opened = None
        try:
            opened = vault_mod.unlock(self.vault_dir, vault_mod.Secret(value, kind))
            with opened.store.session("reading unsaved text") as session:
                saved = drafts.load_all(session)
        except Exception as exc:  # noqa: BLE001 - any failure to open: the vault closed, a message, never a crash
            if opened is not None:
                opened.close()  # never leave a key, a connection or the lock behind
            if not isinstance(exc, HrdError):
                exc = HrdError(f"Internal error ({type(exc).__name__}); nothing was changed.")
            delay = vault_mod.unlock_delay(self.vault_dir)
            self.call_from_thread(self._unlock_failed, str(exc), delay)
            return
        self.call_from_thread(self._unlocked, opened, saved)

    def _unlock_failed(self, message: str, delay: float) -> None:
        self.release_keys()
        if isinstance(self.screen, UnlockScreen):
            self.screen.failed(message + (f" The next try waits {delay:.0f} s." if delay >= 1 else ""))

    def request_create(self, passphrase: str) -> None:
        self._create_worker(passphrase)

    @work(thread=True, exclusive=True, group="vault", exit_on_error=False, description="create")
    def _create_worker(self, passphrase: str) -> None:
        with self._imports:
            import hrd_tui.services  # noqa: F401 - registers what every vault holds (hrd_tui.vault_hooks)
            from hrd_tui import vault as vault_mod

        try:
            opened, code = vault_mod.create(self.vault_dir, passphrase)
        except HrdError as exc:
            self.call_from_thread(self._create_failed, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - never a traceback on screen: it may hold data
            self.call_from_thread(self._create_failed, f"Internal error ({type(exc).__name__}); no vault was created.")
            return
        self.call_from_thread(self._created, opened, code)

    def _create_failed(self, message: str) -> None:
        if isinstance(self.screen, CreateScreen):
            self.screen.failed(message)

    def _created(self, opened: Vault, code: str) -> None:
        self.vault = opened
        self._replace_top(RecoveryCodeScreen(code))

    def recovery_code_confirmed(self) -> None:
        self._enter(self.section)

    def set_wipe_after(self, limit: int | None) -> str:
        """The open vault's "wipe after N failed unlocks" (screens never hold the vault)."""
        vault = self.vault  # read once: a lock may set it to None
        if vault is None:
            raise HrdError("The vault is locked.")
        return vault.set_wipe_after(limit)

    def _unlocked(self, opened: Vault, saved_drafts: dict[str, str]) -> None:
        self.release_keys()
        self.vault = opened
        unsaved = {k: self.drafts[k] for k in self.unsaved_drafts if k in self.drafts}
        self.drafts = {**saved_drafts, **unsaved}
        self.recovered_drafts = {k for k, text in self.drafts.items() if text}
        self.last_input = self.clock()
        for warning in opened.warnings:
            self.notify(warning, severity="warning")
        place = self._saved_place()
        self._enter(place.get("section", self.section) if place.get("section") in SECTION_BY_NAME else self.section)
        if isinstance(place.get("at"), dict) and len(self.screen_stack) > 1:
            from hrd_tui.screens.places import put_back

            put_back(self.screen_stack[1], place["at"])  # the list's cursor on the same record
        if place.get("screens"):
            self.hold_keys()  # keys typed meanwhile go to the screen on top, once it is back
            self.run_worker(self._restore_place(place["screens"]), group="place", exit_on_error=False)
        else:
            self._reopen_unsaved_note()
        self._offer_stale_exports()
        self.call_after_refresh(gc.freeze)  # see close_vault

    # -- where the officer was -----------------------------------------------------------
    def _saved_place(self) -> dict[str, Any]:
        try:
            place = json.loads(self.drafts.get(PLACE_KEY) or "{}")
        except ValueError:
            return {}
        return place if isinstance(place, dict) and isinstance(place.get("screens", []), list) else {}

    def _place_now(self) -> str:
        """The section and every screen above it that can be rebuilt, with forms' text,
        focus and cursor; empty once the officer quits on purpose."""
        from hrd_tui.screens.places import focus_of, place_of

        if self.locked or self._quitting or len(self.screen_stack) < 2:
            return ""
        stack = [entry for screen in self.screen_stack[2:] if (entry := place_of(screen)) is not None]
        return json.dumps(
            {"section": self.section, "at": focus_of(self.screen_stack[1]), "screens": stack}, ensure_ascii=False
        )

    def _remember_place(self) -> None:
        if self.locked:
            return
        place = self._place_now()
        if place != self.drafts.get(PLACE_KEY, ""):
            self.draft_changed(PLACE_KEY, place)

    async def _restore_place(self, entries: list[dict[str, Any]]) -> None:
        """Rebuild the screens that were open, in order, then the text, focus and cursor."""
        from hrd_tui.screens.places import put_back, rebuild

        back = 0
        self._restoring = True
        try:
            for entry in entries:
                screen = rebuild(entry) if isinstance(entry, dict) else None
                if screen is None:
                    continue
                await self.push_screen(screen)
                self.call_later(put_back, screen, entry)  # after the focus its on_mount asked for
                back += 1
        finally:
            self.call_later(self.release_keys)
            self._restoring = False
        if back:
            self.say_recovered("Back where you were.")
        self.call_later(self._recovered_notice)  # after the fields' own put-backs (queued above)

    def _offer_stale_exports(self) -> None:
        """Plain-text exports left in the export folder for more than a day: offered
        for removal at every unlock until they are gone."""
        from hrd_tui import exports
        from hrd_tui.errors import HrdError
        from hrd_tui.paths import default_export_dir
        from hrd_tui.screens.widgets.confirm import ConfirmModal

        folder = self.export_dir or default_export_dir()
        try:
            found = exports.stale(folder, hours=self.settings.stale_export_hours)
        except HrdError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        if not found:
            return

        def answered(remove: bool | None) -> None:
            if not remove:
                return
            problems = exports.remove(found)
            for problem in problems:
                self.notify(problem, severity="error", markup=False)
            removed = len(found) - len(problems)
            self.notify(f"Removed {removed} old export{'s' if removed != 1 else ''}.", markup=False)

        hours = self.settings.stale_export_hours
        names = ", ".join(p.name for p in found[:3]) + (" ..." if len(found) > 3 else "")
        question = (
            f"{len(found)} plain-text export{'s' if len(found) != 1 else ''} older than {hours:g} hours in "
            f"{folder}: {names}. Remove {'them' if len(found) != 1 else 'it'} now (the bytes are overwritten)?"
        )
        self.call_after_refresh(lambda: self.push_screen(ConfirmModal(question, yes="Remove", no="Keep"), answered))

    def _reopen_unsaved_note(self) -> None:
        """A note line was being typed when the app stopped (a crash, a dropped link):
        straight back to it, with the text in the line and a notice."""
        keys = [k for k in sorted(self.recovered_drafts) if k.startswith(NOTE_DRAFT_PREFIX) and self.drafts.get(k)]

        def reopen() -> None:
            for key in keys:
                if self.open_notes(key.removeprefix(NOTE_DRAFT_PREFIX)):
                    return

        if keys:
            self.call_after_refresh(reopen)

    def _enter(self, section: str) -> None:
        self.section = section
        while len(self.screen_stack) > 2:  # a walkthrough or dialog above the section
            self.pop_screen()
        current = self.screen
        if isinstance(current, SectionScreen) and current.section.name == section:
            return  # already there (and a second screen with the same id would clash)
        factory = self.screen_factories.get(section, SectionScreen)
        self._replace_top(factory(SECTION_BY_NAME[section]))

    @contextmanager
    def session(self, what: str = "saving to the vault") -> Iterator[Session]:
        """One transaction on the open vault, for screens (which never see the store).

        Safe from a worker thread: a lock meanwhile waits for the transaction to end
        (Store.close), and a session asked for after the lock is refused."""
        vault = self.vault  # read once: a lock on the UI thread may set it to None
        if vault is None:
            raise HrdError("The vault is locked.")
        with vault.store.session(what) as session:
            yield session
        self._names_checked = None  # a contact may have changed: discreet names are checked again

    # -- discreet mode: the one rule for names on screen --------------------------------
    #: How often the contacts are checked for a change that the discreet names must follow.
    NAMES_CHECK_SECONDS = 1.0

    def discreet_names(self) -> Callable[[str], str] | None:
        """In discreet mode, the filter every piece of vault text goes through on its way
        to the screen (vault_text.literal, notifications, titles): every contact's name
        and its parts written as their codename. None when discreet mode is off.

        Rebuilt when the contacts change (checked at most once a second, and after each
        write from a screen); fails closed: with no vault open, it hides nothing because
        nothing from the vault is shown."""
        if not self.discreet or self.vault is None:
            return None
        now = self.clock()
        if self._names is None or self._names_checked is None or now - self._names_checked >= self.NAMES_CHECK_SECONDS:
            from hrd_tui.services import redaction

            with self.vault.store.session("reading names for discreet mode") as session:
                fingerprint = redaction.contacts_fingerprint(session)
                if self._names is None or self._names[0] != fingerprint:
                    self._names = (fingerprint, redaction.discreet_names(session))
            self._names_checked = now
        return self._names[1]

    def discreet_text(self, text: str) -> str:
        names = self.discreet_names()
        return names(text) if names is not None else text

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        """Every notice goes through the names filter in discreet mode, and loses its control
        characters (a notice may quote a record: a name from a bundle could carry ESC]52)."""
        super().notify(for_display(self.discreet_text(message)), *args, **kwargs)

    # -- unfinished text ---------------------------------------------------------------
    # drafts: the last known text of every field by key (from the vault at unlock,
    # then as typed); unsaved: keys changed since the last successful save. Text
    # that could not be saved (a full disk) stays in memory across a lock, never
    # on screen, and is saved after the next unlock.
    def draft_for(self, key: str) -> tuple[str | None, bool]:
        """(the text to put back in a field, whether it comes from an earlier session)."""
        recovered = key in self.recovered_drafts
        self.recovered_drafts.discard(key)
        return self.drafts.get(key) or None, recovered

    def draft_changed(self, key: str, text: str) -> None:
        self.drafts[key] = text
        self.unsaved_drafts.add(key)

    def discard_draft(self, key: str) -> None:
        self.draft_changed(key, "")
        self.flush_drafts()

    def flush_drafts(self) -> None:
        """Save the drafts that changed since the last save, and where the officer is,
        now: before a lock or an exit, and when a form's drafts are thrown away. Waits
        for a save under way on a worker, and writes its keys again with their text now."""
        self._remember_place()
        keys = self.unsaved_drafts | self._drafts_in_flight
        if self.vault is None or not keys:
            return
        error = self._write_drafts(*self._copy_drafts(keys))
        if error is None:
            self.unsaved_drafts -= keys
        else:
            self._not_saved(error)

    def save_drafts_in_background(self) -> None:
        """The 2-second timer: what changed since, saved on a worker (so that a crash
        loses at most two seconds of typing) while keys and the screen go on."""
        self._remember_place()
        vault = self.vault
        if vault is None or not self.unsaved_drafts or self._drafts_in_flight:
            return
        keys = frozenset(self.unsaved_drafts)
        number, texts = self._copy_drafts(keys)
        self.unsaved_drafts -= keys  # put back if the write fails (DraftsSaved)
        self._drafts_in_flight = keys

        def write() -> None:
            self.post_message(DraftsSaved(keys, self._write_drafts(number, texts, vault)))  # thread-safe

        self.run_worker(write, thread=True, group="drafts", exit_on_error=False, description="saving unfinished text")

    def on_drafts_saved(self, message: DraftsSaved) -> None:
        self._drafts_in_flight = frozenset()
        if message.error is not None:
            self.unsaved_drafts |= message.keys
            if self.vault is not None:
                self._not_saved(message.error)

    def _copy_drafts(self, keys: Iterable[str]) -> tuple[int, dict[str, str]]:
        """The drafts' text now, numbered (on the UI thread, which alone changes them)."""
        self._drafts_taken += 1
        return self._drafts_taken, {k: self.drafts.get(k, "") for k in keys}

    def _drafts_superseded(self) -> None:
        """Every copy taken so far is not to be written any more (a lock, a wipe)."""
        with self._drafts_lock:
            self._drafts_written = self._drafts_taken

    def say_recovered(self, what: str = "Unsaved text from before was put back.") -> None:
        """One short notice after an unlock or a restart, however many fields and screens came
        back: said once the screens being rebuilt are all up, or after this refresh."""
        if not self._recovered_notices and not self._restoring:
            self.call_after_refresh(self._recovered_notice)
        if what not in self._recovered_notices:
            self._recovered_notices.append(what)

    def _recovered_notice(self) -> None:
        notices, self._recovered_notices = self._recovered_notices, []
        if notices:
            self.notify(" ".join(notices), title="Recovered", markup=False)

    def save_drafts_now(self) -> None:
        """Everything being typed, and every screen's place (``save_state``): before a
        lock, a hang-up or an exit, while the vault is still open."""
        from hrd_tui.screens.widgets.draft_input import DRAFT_FIELD  # TextArea: not on the start-up path

        self._remember_place()
        for screen in self.screen_stack:
            save_state = getattr(screen, "save_state", None)
            if callable(save_state) and self.vault is not None:
                try:
                    save_state()
                except HrdError:
                    pass  # the place is a convenience; the drafts below are what matters
        for screen in self.screen_stack:
            for field in screen.query(f".{DRAFT_FIELD}"):
                key, text = field.draft_key, field.draft_text  # type: ignore[attr-defined]
                if self.drafts.get(key, "") != text:
                    self.draft_changed(key, text)
        self.flush_drafts()

    def _write_drafts(self, number: int, texts: dict[str, str], vault: Vault | None = None) -> str | None:
        """Copy ``number`` of the drafts written, unless a newer copy was (None: saved
        or skipped; else what went wrong). On any thread."""
        from hrd_tui.services import drafts

        with self._drafts_lock:
            if number <= self._drafts_written:
                return None
            vault = vault or self.vault
            if vault is None:
                return "The vault is locked."
            try:
                with vault.store.session("saving unfinished text") as session:
                    drafts.save_many(session, texts)
            except Exception as exc:  # noqa: BLE001 - a full disk must not lose the text or crash
                return (
                    str(exc) if isinstance(exc, HrdError) else f"Could not save unfinished text ({type(exc).__name__})."
                )
            self._drafts_written = number
        return None

    def _not_saved(self, error: str) -> None:
        self.notify(error + " The text is kept; it is saved again shortly.", severity="error", timeout=10)

    # -- lock --------------------------------------------------------------------------
    def close_vault(self) -> None:
        # Work that can stop (an intake: a 4 GiB file takes a minute) stops now, and keeps
        # nothing: the store's close below waits for its transaction, and a lock must not.
        self.cancel_held_work()
        self._names = self._names_checked = None  # the names go with the key
        if self.vault is not None:
            vault, self.vault = self.vault, None
            vault.close()
        # What was alive once unlocked (modules, the screens, the vault's machinery) is
        # frozen out of the cyclic collector's full passes, which otherwise walk it all
        # and, triggered by a worker drafting a report, stall the event loop for
        # 200-300 ms (bench_reports' screen figure); unfrozen here, so what this session
        # held is collected with the key gone.
        gc.unfreeze()
        # A save still on its way writes nothing now: its keys count as unsaved (kept
        # here, and saved after the next unlock if the flush before this did not).
        self._drafts_superseded()
        self.unsaved_drafts |= self._drafts_in_flight
        self.drafts = {k: self.drafts[k] for k in self.unsaved_drafts if k in self.drafts}
        self.recovered_drafts = set()

    def action_lock(self) -> None:
        """Save what is being typed, close the store, drop the key, leave no screen with data."""
        if self.locked:
            return
        self.cancel_held_work()  # first: an intake's transaction would make the drafts' save wait
        try:
            self.clear_clipboard()
            self.save_drafts_now()
            while len(self.screen_stack) > 2:
                self.pop_screen()  # screens save their place as they go (ScreenSuspend)
        finally:
            self.close_vault()
        if isinstance(self.screen_stack[0], UnlockScreen):
            self.pop_screen()  # back to the first prompt, emptied when it shows again
        else:
            self._replace_top(UnlockScreen())  # over the create prompt a new vault began with
        self.clear_notifications()  # a toast may quote data
        self.sub_title = ""

    def on_event(self, event: events.Event):  # type: ignore[no-untyped-def]
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_input = self.clock()
        return super().on_event(event)

    def check_idle_lock(self) -> None:
        if not self.locked and self.clock() - self.last_input >= self.settings.idle_lock_minutes * 60:
            self.action_lock()

    # -- navigation, discreet mode, themes, help ----------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("go", "toggle_discreet", "lock", "quick_note", "settings") and self.locked:
            return False
        if action == "quick_note" and (isinstance(self.screen, ModalScreen) or getattr(self.screen, "is_form", False)):
            return False  # not over a dialog or a half-filled form: finish or leave it first
        return True

    def _refused_in_form(self) -> bool:
        """A section key or q typed into a form (on a choice, not a text field) must not
        leave it: keys come in bursts, and the form would be gone without a question."""
        if getattr(self.screen, "is_form", False):
            self.notify("Save (F2) or leave (Esc) this form first.", severity="warning", markup=False)
            return True
        return False

    async def action_quit(self) -> None:
        if not self._refused_in_form():
            self._quitting = True  # on purpose: the next start begins at the section, not here
            await super().action_quit()

    def action_go(self, section: str) -> None:
        if self._refused_in_form():
            return
        if not self.locked and section in SECTION_BY_NAME:
            self._enter(section)

    def run_in_section(self, section: str, action: str) -> None:
        """Go to a section and run one of its screen's actions (palette commands)."""
        self._enter(section)
        self.call_after_refresh(self.screen.run_action, action)

    def action_emergency_wipe(self) -> None:
        from hrd_tui.screens.wipe import WipeModal

        if self.locked:
            return

        def answered(go: bool | None) -> None:
            if go:
                self._wipe_now()

        self.push_screen(WipeModal(self.wipe_countdown_seconds), answered)

    def _wipe_now(self) -> None:
        """Key slots first (unreadable from this instant), nothing saved after, then the rest."""
        from hrd_tui import wipe
        from hrd_tui.paths import default_export_dir

        self.clear_clipboard()
        report = wipe.destroy_key_slots(self.vault_dir)
        self._drafts_superseded()
        self.drafts, self.unsaved_drafts, self.recovered_drafts = {}, set(), set()
        vault, self.vault = self.vault, None
        if vault is not None:
            try:
                vault.close()
            except Exception:  # noqa: BLE001 - the key slots are gone; nothing here matters any more
                pass
        self.clear_notifications()
        exports_dir = self.export_dir or default_export_dir()

        def finish() -> None:
            done = wipe.finish_wipe(report, exports_dir=exports_dir)
            self.call_from_thread(
                lambda: self.exit(return_code=0 if done.complete else 1, message="\n".join(done.lines()))
            )

        self.run_worker(finish, thread=True, group="wipe", exit_on_error=False)

    def action_wipe_after(self) -> None:
        from hrd_tui.screens.wipe import WipeAfterModal

        if self.vault is not None:
            self.push_screen(WipeAfterModal(self.vault.wipe_after))

    def action_import_handover(self) -> None:
        from hrd_tui.screens.handover import HandoverImportScreen

        if not self.locked:
            self.push_screen(HandoverImportScreen())

    def open_case(self, case_id: str) -> None:
        """A threat case over the current screen (Esc comes back to it)."""
        from hrd_tui.screens.threats import CaseScreen

        if not self.locked:
            self.push_screen(CaseScreen(case_id))

    # -- quick notes ------------------------------------------------------------------
    def open_notes(self, hearing_id: str) -> bool:
        """The note screen for a hearing, remembered as the one chosen last (already
        open further down: back to it). False if the hearing no longer exists."""
        from hrd_tui.models import Hearing
        from hrd_tui.screens.notes import NoteScreen

        if self.locked:
            return False
        with self.session("reading the hearing") as session:
            gone = session.get(Hearing, hearing_id) is None
        if gone:  # deleted since: say what was being typed rather than drop it silently
            text = self.drafts.get(NOTE_DRAFT_PREFIX + hearing_id, "")
            if text:
                self.notify(
                    for_display(f"Unsaved text for a hearing that no longer exists: {text}"),
                    severity="warning",
                    timeout=30,
                    markup=False,
                )
            return False
        self.draft_changed(LAST_HEARING_KEY, hearing_id)
        for n, screen in enumerate(self.screen_stack):
            if isinstance(screen, NoteScreen) and screen.hearing_id == hearing_id:
                while len(self.screen_stack) > n + 1:
                    self.pop_screen()
                return True
        self.push_screen(NoteScreen(hearing_id))
        return True

    def action_quick_note(self) -> None:
        """Notes for the hearing in progress (today's, or the one chosen last), with no
        other step; with none, pick a trial and a hearing starts now."""
        from hrd_tui.screens.widgets.pick import PickModal
        from hrd_tui.services import base, trials

        now = wallclock.local_now()
        with self.session("finding the hearing") as session:
            hearing = trials.hearing_in_progress(session, now, self.drafts.get(LAST_HEARING_KEY) or None)
            rows = [] if hearing else trials.list_trials(session, today=self.today())
        if hearing is not None:
            self.open_notes(hearing.id)
            return
        if not rows:
            self.notify("No trial yet: add one in Trials (o, then n), then take notes.", severity="warning")
            return

        def start(index: int | None) -> None:
            if index is None:
                return
            with self.session("starting a hearing") as session:
                from hrd_tui.models import Trial

                trial = base.get(session, Trial, rows[index].id)  # NotFound, were it gone meanwhile
                started = trials.start_hearing_now(session, trial, wallclock.local_now())
            self.open_notes(started.id)

        self.push_screen(
            PickModal("No hearing today. Start one now, for which trial?", [row.label(self.discreet) for row in rows]),
            start,
        )

    def action_start_checklist(self) -> None:
        self.run_in_section("checklists", "start")

    def action_toggle_discreet(self) -> None:
        self.change_settings({"discreet": not self.discreet})
        self.notify("Discreet mode on: codenames only." if self.discreet else "Discreet mode off.")

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.settings.theme:  # chosen from the palette's Theme command
            self.change_settings({"theme": theme.name})

    def change_settings(self, changes: Mapping[str, Any]) -> None:
        """Use the new values now, and write these keys alone to the settings file (others'
        edits to it kept: Settings.update); a file that cannot be written is said, not fatal."""
        for name, value in changes.items():
            setattr(self.settings, name, value)
        if "theme" in changes and self.theme != changes["theme"]:
            self.theme = changes["theme"]
        if "discreet" in changes:
            self.discreet = bool(changes["discreet"])
        try:
            Settings.update(self.settings_path, changes)
        except HrdError as exc:
            self.notify(f"{exc} The setting holds until the app stops.", severity="warning", markup=False)

    def action_settings(self) -> None:
        from hrd_tui.screens.settings import SettingsModal

        if not self.locked and not isinstance(self.screen, SettingsModal):
            self.push_screen(SettingsModal())

    def action_help(self) -> None:
        from hrd_tui.screens.help import HelpScreen  # DataTable: loaded when first asked for

        if not isinstance(self.screen, HelpScreen):
            rows = self.binding_rows(with_ids=True)
            self.push_screen(HelpScreen([row[:3] for row in rows], ids=[row[3] for row in rows]))

    def binding_rows(self, with_ids: bool = False) -> list[tuple[str, ...]]:
        """(keys, what, where) for every binding active on the current screen, its own first;
        with_ids, each binding's id last (what a keymap file names)."""
        grouped: dict[tuple[str, str], tuple[list[str], str, str, str]] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            where = "everywhere" if active.node is self else "this screen"
            what = binding.tooltip or binding.description or binding.action
            keys, *_ = grouped.setdefault((binding.id or binding.action, where), ([], what, where, binding.id or ""))
            keys.append(self.get_key_display(binding) if binding.key_display is None else key)
        rows = [
            (", ".join(keys), what, where, *([ident] if with_ids else []))
            for keys, what, where, ident in grouped.values()
        ]
        return sorted(rows, key=lambda row: row[2] != "this screen")

    def action_command_palette(self) -> None:
        """Textual's palette, the command Enter runs marked > (it reads without colour)."""
        from textual.command import CommandPalette

        from hrd_tui.screens.widgets.toggles import PointerCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(PointerCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if not self.locked:
            # This screen's own actions first, by the names its footer and help use.
            for binding in getattr(screen, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.description and binding.id:
                    # The footer's word is short; the tooltip says it in full.
                    yield SystemCommand(
                        binding.tooltip or binding.description,
                        f"On this screen ({binding.key})",
                        lambda action=binding.action: screen.run_action(action),
                    )
            yield SystemCommand(
                "Start checklist", "Pick a checklist template and walk through it", self.action_start_checklist
            )
            yield SystemCommand("Quick note", "Notes at the hearing in progress (w)", self.action_quick_note)
            yield SystemCommand(
                "New contact",
                "Add a person or organisation to the contacts",
                lambda: self.run_in_section("contacts", "new"),
            )
            yield SystemCommand(
                "New threat case",
                "Open a case for a defender under threat",
                lambda: self.run_in_section("threats", "new"),
            )
            yield SystemCommand(
                "New observation",
                "Record a civic-space observation (section I)",
                lambda: self.run_in_section("monitoring", "new"),
            )
            yield SystemCommand(
                "Case plan",
                "The owners and due days new threat cases plan their actions with: the app's or the post's (p)",
                lambda: self.run_in_section("threats", "plan"),
            )
            yield SystemCommand(
                "Resources",
                "The guidelines' list and the post's own: add, correct, retire (u on the threat list)",
                lambda: self.run_in_section("threats", "resources"),
            )
            yield SystemCommand(
                "Import contacts",
                "Import a CSV or vCard file, with a preview first",
                lambda: self.run_in_section("contacts", "import_file"),
            )
            yield SystemCommand(
                "Import handover bundle",
                "Merge a colleague's encrypted handover bundle, conflicts decided one by one",
                self.action_import_handover,
            )
            yield SystemCommand(
                "Emergency wipe",
                "Destroy this vault for good (type WIPE, then a short countdown)",
                self.action_emergency_wipe,
            )
            yield SystemCommand(
                "Wipe after failed unlocks",
                "Wipe the vault after N failed unlocks in a row, or turn it off",
                self.action_wipe_after,
            )
            yield SystemCommand("Lock", "Lock the vault now (ctrl+l)", self.action_lock)
            yield SystemCommand("Discreet mode", "Show codenames instead of names (d)", self.action_toggle_discreet)
            yield SystemCommand(
                "Settings", "Idle lock minutes, theme, discreet mode, old exports (,)", self.action_settings
            )
            for section in SECTIONS:
                yield SystemCommand(
                    f"Go to {section.title.lower()}",
                    f"Open {section.title} ({section.key})",
                    lambda name=section.name: self.action_go(name),
                )
        yield SystemCommand("Help", "Every key of this screen and the global ones (F1, ?)", self.action_help)
        yield SystemCommand("Quit", "Save, close the vault and quit (q)", self.action_quit)
        yield from (c for c in super().get_system_commands(screen) if c.title in KEPT_SYSTEM_COMMANDS)


def all_bindings() -> Iterator[tuple[str, Binding]]:
    """(owner, binding) for the app's bindings and every binding of our screens and widgets,
    those they inherit from our classes included (Textual merges them into each class), not
    Textual's own (tab, ctrl+c: no ids). Imports every screen module."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    from hrd_tui.keymap import APP_OWNER

    for module in pkgutil.walk_packages(screens_package.__path__, f"{screens_package.__name__}."):
        importlib.import_module(module.name)
    classes: list[type[DOMNode]] = [HrdApp]
    todo: list[type[DOMNode]] = [DOMNode]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in classes and sub.__module__.startswith(f"{screens_package.__name__}."):
                classes.append(sub)
            todo.append(sub)
    for cls in classes:
        owner = APP_OWNER if cls is HrdApp else f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__qualname__}"
        for klass in reversed(cls.__mro__):
            if not klass.__module__.startswith("hrd_tui."):
                continue
            for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", [])):
                yield owner, binding


def binding_owners() -> tuple[dict[str, dict[str, str]], set[str]]:
    """Each owner's bindings with an id (id to comma-separated keys), and the ids of the app's
    priority bindings: what the keymap check needs."""
    from hrd_tui.keymap import APP_OWNER

    owners: dict[str, dict[str, str]] = {}
    priority: set[str] = set()
    for owner, binding in all_bindings():
        if binding.id and binding.priority and owner == APP_OWNER:
            priority.add(binding.id)
        if binding.id:
            keys = owners.setdefault(owner, {})
            keys[binding.id] = f"{keys[binding.id]},{binding.key}" if binding.id in keys else binding.key
    return owners, priority


@functools.cache
def _key_names() -> frozenset[str]:
    from textual.keys import Keys, _character_to_key

    named = {key.value for key in Keys if "+" not in key.value and key.value.isidentifier()}
    return frozenset(named | {_character_to_key(chr(code)) for code in range(33, 127)})


def _key_name(base: str) -> str | None:
    """Textual's name for a key typed in the keymap file without its modifiers ("?": "question_mark")."""
    from textual.keys import _character_to_key

    if len(base) == 1:
        return _character_to_key(base) if base.isprintable() else None
    return base if base in _key_names() else None


def make_app(
    vault_dir: Path,
    *,
    settings_path: Path | None = None,
    clock: Callable[[], float] = time.monotonic,
    screens: Mapping[str, ScreenFactory] | None = None,
    today: Callable[[], date] = wallclock.today,
    export_dir: Path | None = None,
) -> HrdApp:
    return HrdApp(
        vault_dir, settings_path=settings_path, clock=clock, screens=screens, today=today, export_dir=export_dir
    )
