"""Settings in the app (issue 22): set on a small screen (',' or the palette), checked with
the reason under the field, written key by key so an edit made to the file meanwhile by
another process survives, and used by the running app at once. Real vault, real app."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSPHRASE, unlock
from helpers.clock import FakeClock
from helpers.colours import screen_text, sixteen_colours
from textual.widgets import Input

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import DARK, HIGH_CONTRAST, make_app
from hrd_tui.screens.settings import SettingsModal
from hrd_tui.screens.unlock import UnlockScreen


@pytest.fixture
def existing(vault_dir: Path) -> Path:
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return vault_dir


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


EDIT = """
import json, sys
path = sys.argv[1]
with open(path) as fh:
    raw = json.load(fh)
raw.update({"idle_lock_minutes": 9, "theme": "hrd-high-contrast", "from_a_later_version": "kept"})
with open(path, "w") as fh:
    json.dump(raw, fh)
"""


async def test_an_edit_by_another_process_survives_the_app_toggling_discreet_mode(
    existing: Path, settings: Path
) -> None:
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("d")  # writes the file: discreet on
        await pilot.pause()
        edited = subprocess.run([sys.executable, "-c", EDIT, str(settings)], capture_output=True, text=True)
        assert edited.returncode == 0, edited.stderr
        await pilot.press("d")  # discreet off again: that key alone is written
        await pilot.pause()
        assert not app.discreet
    assert json.loads(settings.read_text()) == {
        "discreet": False,
        "idle_lock_minutes": 9,
        "theme": "hrd-high-contrast",
        "from_a_later_version": "kept",
    }
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600


def written(settings: Path) -> dict[str, object]:
    return json.loads(settings.read_text()) if settings.exists() else {}


async def open_settings(app, pilot) -> SettingsModal:  # type: ignore[no-untyped-def]
    await pilot.press("comma")
    await pilot.pause()
    assert isinstance(app.screen, SettingsModal)
    for field in app.screen.query(Input):
        field.cursor_blink = False
    return app.screen


@pytest.mark.parametrize("theme", [DARK.name, HIGH_CONTRAST.name])
async def test_the_settings_screen_sets_idle_lock_minutes_and_the_app_uses_them(
    existing: Path, settings: Path, theme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    clock = FakeClock()
    app = sixteen_colours(make_app(existing, settings_path=settings, clock=clock, today=wallclock.today))
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await unlock(app, pilot)
        await open_settings(app, pilot)
        field = app.screen.query_one("#field-idle_lock_minutes", Input)
        assert app.focused is field and field.value == "5"
        await pilot.press("ctrl+u", "minus", "3", "f2")  # refused, the reason under the field
        await pilot.pause()
        lines = screen_text(app).splitlines()
        label = next(n for n, line in enumerate(lines) if "Lock after this many idle minutes (1 to 240)" in line)
        assert (
            "! -3 is out of range: it must be from 1 to 240 minutes" in lines[label + 3]
        )  # under the field's box, no colour
        assert isinstance(app.screen, SettingsModal) and app.focused is field
        assert "idle_lock_minutes" not in written(settings)  # refused: not written
        await pilot.press("ctrl+u", "2", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsModal)
        assert app.settings.idle_lock_minutes == 2
        assert written(settings) == {"idle_lock_minutes": 2.0, **({"theme": theme} if theme != DARK.name else {})}
        clock.now += 119
        app.check_idle_lock()
        assert not app.locked
        clock.now += 2  # two idle minutes, not the five it was
        app.check_idle_lock()
        await pilot.pause()
        assert app.locked and isinstance(app.screen, UnlockScreen)


async def test_settings_are_in_help_and_the_palette_and_set_discreet_mode_too(existing: Path, settings: Path) -> None:
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        assert any(keys == "," and "Settings" in what for keys, what, _ in app.binding_rows())
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Settings")
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, SettingsModal)
        for field in ("#field-stale_export_hours", "#field-discreet"):
            app.screen.query_one(field).focus()
            if field.endswith("discreet"):
                await pilot.press("space")
            else:
                await pilot.press("ctrl+u", "4", "8")
        await pilot.press("f2")
        await pilot.pause()
        assert app.discreet and app.settings.stale_export_hours == 48
        assert json.loads(settings.read_text()) == {"discreet": True, "stale_export_hours": 48.0}
        await pilot.press("comma")
        await pilot.pause()
        await pilot.press("escape")  # nothing changed: leaves without a question, writes nothing
        await pilot.pause()
        assert not isinstance(app.screen, SettingsModal)
    assert json.loads(settings.read_text()) == {"discreet": True, "stale_export_hours": 48.0}
