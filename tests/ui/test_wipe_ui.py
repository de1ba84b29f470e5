"""The emergency wipe from the palette: WIPE typed, a countdown that Esc cancels, then
nothing that opens; and the wipe-after setting. The real app on a real vault."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSPHRASE, unlock
from textual.widgets import Input

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.screens.wipe import WipeAfterModal, WipeModal
from hrd_tui.services import contacts


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session() as s:
        contacts.create_contact(s, {"name": "Ana Núñez"})
    built = make_app(
        vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today, export_dir=tmp_path / "exports"
    )
    built.wipe_countdown_seconds = 0.6
    return built


async def test_esc_during_the_countdown_keeps_the_vault(app, vault_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        app.action_emergency_wipe()
        await pilot.pause()
        assert isinstance(app.screen, WipeModal)
        await pilot.press(*"wipe", "enter")  # not the word exactly: nothing starts
        await pilot.pause()
        assert "exactly" in str(app.screen.query_one("#wipe-status").render())
        app.screen.query_one("#wipe-word", Input).value = "WIPE"
        await pilot.press("enter")
        await pilot.pause()
        assert "Wiping in 1 s" in str(app.screen.query_one("#wipe-status").render())
        await pilot.press("escape")
        await pilot.pause(1.0)
        assert not isinstance(app.screen, WipeModal) and app.vault is not None
    with vault_mod.unlock(vault_dir, vault_mod.Secret(PASSPHRASE)) as still:
        assert still.is_open


async def test_the_wipe_leaves_nothing_that_opens(app, vault_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Emergency wipe")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WipeModal)
        app.screen.query_one("#wipe-word", Input).value = "WIPE"
        await pilot.press("enter")
        await pilot.pause(1.0)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 0
    assert not (vault_dir / vault_mod.HEADER_NAME).exists() and not (vault_dir / vault_mod.DB_NAME).exists()
    from hrd_tui.errors import HrdError

    with pytest.raises(HrdError):
        vault_mod.unlock(vault_dir, vault_mod.Secret(PASSPHRASE))


async def test_wipe_after_is_set_from_the_palette(app, vault_dir: Path) -> None:
    from hrd_tui import wipe

    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        app.action_wipe_after()
        await pilot.pause()
        assert isinstance(app.screen, WipeAfterModal)
        app.screen.query_one("#wipe-after-value", Input).value = "50"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WipeAfterModal)  # out of range: said, and kept
        assert "20" in str(app.screen.query_one("#wipe-after-error").render())
        app.screen.query_one("#wipe-after-value", Input).value = "5"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, WipeAfterModal)
    assert wipe.wipe_after(vault_dir) == 5
