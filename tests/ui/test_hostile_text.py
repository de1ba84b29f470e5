"""Requirement 6: hostile vault text is shown literally and sends no control sequence."""

from __future__ import annotations

from pathlib import Path

from conftest import FROZEN_DAY
from textual.app import App, ComposeResult

from hrd_tui.app import make_app
from hrd_tui.screens.widgets.vault_text import VaultText

HOSTILE = (
    "[bold red]X[/] [link=https://evil.example]y[/link] \x1b]52;c;ZXZpbA==\x07 \x1b]0;pwned\x07 \x1b[2J \u202eevil"
)


class Show(App[None]):
    def compose(self) -> ComposeResult:
        yield VaultText(HOSTILE, id="t")


async def test_markup_and_escapes_are_shown_as_text() -> None:
    app = Show()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = str(app.query_one("#t", VaultText).render())
        assert "[bold red]X[/]" in shown and "[link=https://evil.example]" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert "<RLO>evil" in shown


async def test_nothing_hostile_reaches_the_terminal_output() -> None:
    app = Show()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
    assert "[bold red]X[/]" in svg.replace("&#160;", " ")
    assert "\x1b" not in svg and "pwned\x07" not in svg


async def test_a_notice_quoting_vault_text_sends_no_control_sequence(tmp_path: Path) -> None:
    """A notice may quote a record (a post resource's name from a handover bundle): the app's
    notify takes the control characters out before Textual shows it."""
    app = make_app(tmp_path / "vault", settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify(f"Retired {HOSTILE}.", markup=False)
        await pilot.pause()
        (notice,) = list(app._notifications)
        assert "\x1b" not in notice.message and "\x07" not in notice.message
        assert "[bold red]X[/]" in notice.message and "<RLO>evil" in notice.message
