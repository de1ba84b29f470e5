"""Issue 22 on the unlock screen: the recovery code is masked as it is typed (a key shows
it), and with wipe-after on, the attempts left are said once. Real vault, real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSPHRASE, unlock
from helpers.colours import screen_text, sixteen_colours
from textual.widgets import Input

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import DARK, HIGH_CONTRAST, make_app
from hrd_tui.screens.unlock import UnlockScreen

CODE = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"  # shaped like a recovery code; not this vault's


@pytest.fixture
def existing(vault_dir: Path) -> Path:
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return vault_dir


async def ready(app, pilot) -> UnlockScreen:  # type: ignore[no-untyped-def]
    for _ in range(100):
        if app.screen.query("#secret"):
            break
        await pilot.pause()
    for field in app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()
    assert isinstance(app.screen, UnlockScreen)
    return app.screen


@pytest.mark.parametrize("theme", [DARK.name, HIGH_CONTRAST.name])
async def test_a_recovery_code_is_masked_as_typed_and_ctrl_t_shows_it(
    existing: Path, tmp_path: Path, theme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    app = sixteen_colours(make_app(existing, settings_path=tmp_path / "settings.json", today=wallclock.today))
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        screen = await ready(app, pilot)
        for _ in range(100):  # on a loaded machine the footer is drawn some frames after the field
            if "^t Show/hide" in screen_text(app):
                break
            await pilot.pause()
        assert "^t Show/hide" in screen_text(app)  # the key is in the footer, at 80 columns
        await pilot.press("ctrl+r")
        await pilot.press(*CODE[:12])
        await pilot.pause()
        text = screen_text(app)
        assert "Recovery code" in text and CODE[:12] not in text  # masked, as a passphrase is
        assert screen.query_one("#secret", Input).value == CODE[:12]
        await pilot.press("ctrl+t")
        await pilot.pause()
        text = screen_text(app)
        assert CODE[:12] in text and "shown: ctrl+t hides it" in text  # said in words, not by colour
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert CODE[:12] not in screen_text(app)
        await pilot.press("ctrl+t", *CODE[12:], "enter")  # shown, then a wrong code: masked again after
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.locked and screen.query_one("#secret", Input).password
        await pilot.press(*"ABCD")
        await pilot.pause()
        assert "ABCD" not in screen_text(app)


async def test_switching_to_the_passphrase_masks_again(existing: Path, tmp_path: Path) -> None:
    app = make_app(existing, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("ctrl+r", "ctrl+t")
        assert not screen.query_one("#secret", Input).password
        await pilot.press("ctrl+r")  # back to the passphrase: hidden
        assert screen.query_one("#secret", Input).password
        await unlock(app, pilot)
        assert not app.locked


async def test_attempts_left_are_said_once_after_a_wrong_passphrase(existing: Path, tmp_path: Path) -> None:
    opened = vault_mod.unlock(existing, vault_mod.Secret(PASSPHRASE))
    opened.set_wipe_after(3)
    opened.close()
    app = make_app(existing, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await unlock(app, pilot, "wrong passphrase")
        text = screen_text(app)
        assert "wrong passphrase" in text
        assert text.count("attempts left") == 1, text
        assert "2 attempts left before this vault is wiped." in text
