"""Snapshots at 80x24 of the unlock, today and help screens (textual pinned exactly).

Update after a deliberate change with: .venv/bin/pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app

from conftest import PASSPHRASE


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json")


async def no_blink(pilot) -> None:  # type: ignore[no-untyped-def]
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def unlocked(pilot) -> None:  # type: ignore[no-untyped-def]
    await no_blink(pilot)
    pilot.app.screen.query_one("#secret", Input).value = PASSPHRASE
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_unlock_screen(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=no_blink)


def test_today_screen(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=unlocked)


def test_help_screen(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    async def help_open(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlocked(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=help_open)
