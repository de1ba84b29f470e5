"""Settings, set in the app: how soon an idle app locks, when old plain-text exports are
offered for removal, the theme, discreet mode.

A small form over the current screen (``,`` from anywhere, or "Settings" in the command
palette). Each value is checked as the settings file checks it (hrd_tui.settings), the
reason under its field; only the settings changed are written, key by key
(HrdApp.change_settings), and the running app uses them at once.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from hrd_tui import settings as settings_mod
from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.screens.forms import FORM_BINDINGS, FormActions
from hrd_tui.screens.widgets.record_form import FieldSpec, RecordForm

#: Our themes first (the terminal's own palette next), then Textual's.
FIRST_THEMES = ("hrd-dark", "hrd-high-contrast", "ansi-dark", "ansi-light")


def _range(name: str) -> str:
    low, high, _ = settings_mod.NUMBERS[name]
    return f"{low:g} to {high:g}"


class SettingsModal(FormActions, ModalScreen[None]):
    CSS_PATH = ["forms.tcss", "settings.tcss"]
    BINDINGS = FORM_BINDINGS
    title_text = "Settings"

    def __init__(self) -> None:
        super().__init__(classes="record-modal")

    def compose(self) -> ComposeResult:
        with Vertical(id="record-box", classes="settings-box"):
            yield Static(self.title_text + "  (Enter or F2 saves, Esc cancels)", classes="record-title", markup=False)
            yield RecordForm(self.specs(), self.initial_values(), id="form")

    def on_mount(self) -> None:
        self.query_one(RecordForm).focus_first()

    def specs(self) -> list[FieldSpec]:
        themes = sorted(
            self.app.available_themes,
            key=lambda t: (t not in FIRST_THEMES, FIRST_THEMES.index(t) if t in FIRST_THEMES else 0, t),
        )
        return [
            FieldSpec(
                "idle_lock_minutes", f"Lock after this many idle minutes ({_range('idle_lock_minutes')})", required=True
            ),
            FieldSpec(
                "stale_export_hours",
                f"Offer to remove exports older than, in hours ({_range('stale_export_hours')})",
                required=True,
            ),
            FieldSpec(
                "attachment_max_mib",
                f"Largest file to attach, in MiB ({_range('attachment_max_mib')})",
                required=True,
            ),
            FieldSpec("theme", "Theme", "choice", tuple((name, name) for name in themes), required=True),
            FieldSpec("discreet", "Discreet mode: codenames instead of names (also d)", "bool"),
        ]

    def initial_values(self) -> dict[str, Any]:
        now = self.shell.settings
        return {
            "idle_lock_minutes": f"{now.idle_lock_minutes:g}",
            "stale_export_hours": f"{now.stale_export_hours:g}",
            "attachment_max_mib": f"{now.attachment_max_mib:g}",
            "theme": self.app.theme,
            "discreet": now.discreet,
        }

    def action_save(self) -> None:
        form = self.query_one(RecordForm)
        typed, errors = form.values(only_changed=True, today=self.shell.today(), now=wallclock.local_now())
        changes: dict[str, Any] = {}
        for name, value in typed.items():
            if name in errors:
                continue
            if name in settings_mod.NUMBERS:
                try:
                    changes[name] = settings_mod.parse_number(name, value)
                except ValidationError as exc:
                    errors.update(exc.errors)
            else:
                changes[name] = value
        if errors:
            form.show_errors(errors)
            return
        if changes:
            self.shell.change_settings(changes)
            self.app.notify("Settings saved.", markup=False)
        self.dismiss(None)
