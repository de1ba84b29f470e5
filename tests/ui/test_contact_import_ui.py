"""Issue 22: the contact import screen shows each row's problems and remarks whole, the
ones ``hrd-tui import contacts`` prints for the same file among them (a codename shared
with an existing contact but a different name). Real vault, real app, the real CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli, unlock
from helpers.colours import screen_text, sixteen_colours
from textual.containers import VerticalScroll
from textual.widgets import DataTable

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import DARK, HIGH_CONTRAST, make_app
from hrd_tui.screens.contact_import import ImportContactsScreen
from hrd_tui.services import contacts

WARNING = "same codename as contact Heron-101, but a different name: make sure it is the same person before merging"


@pytest.fixture
def source(vault_dir: Path, tmp_path: Path) -> Path:
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session() as s:
        contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101", "kind": "defender"}, [])
    path = tmp_path / "people.csv"
    path.write_text(
        "codename,name,kind,last_contact_on\n"
        "Heron-101,Someone Else,defender,\n"  # the CLI warns: same codename, another name
        "Kite-7,Bad Kind,activist,2026-02-30\n"  # two problems, cut in the table
        "Wren-9,Fine Person,defender,\n",
        encoding="utf-8",
    )
    return path


def cli_lines(vault_dir: Path, source: Path, passfile: Path) -> dict[str, list[str]]:
    """What 'hrd-tui import contacts' prints about each row, by row number."""
    shown = run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "import", "contacts", str(source))
    said: dict[str, list[str]] = {}
    for line in shown.stdout.splitlines():
        if found := re.match(r"row (\d+)[,:]? (.*)$", line):
            said.setdefault(found[1], []).append(found[2])
    return said


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("theme", [DARK.name, HIGH_CONTRAST.name])
async def test_each_row_is_shown_whole_with_the_warnings_the_cli_prints(
    vault_dir: Path, tmp_path: Path, source: Path, passfile: Path, theme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = cli_lines(vault_dir, source, passfile)
    assert WARNING in said["2"] and len(said["3"]) == 2  # the CLI's own words, to find on the screen
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    app = sixteen_colours(make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today))
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await unlock(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("l", *str(source), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportContactsScreen)
        table = screen.query_one("#import-rows", DataTable)
        order = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        assert order == ["3", "2", "4"]  # errors first, then duplicates
        assert WARNING in str(table.get_row_at(1)[3])  # the cell holds the remark too (cut on screen)
        for n, row in enumerate(order):
            table.move_cursor(row=n)
            await pilot.pause()
            detail = screen.query_one("#import-detail", VerticalScroll)
            assert detail.display and detail.region.bottom <= 23  # above the footer, at 80x24
            on_screen = flat(screen_text(app))
            for line in said.get(row, []):
                assert flat(line) in on_screen, (row, line)  # every word the CLI says, none cut
        table.move_cursor(row=0)
        await pilot.pause()
        text = screen_text(app)
        assert text.rstrip().splitlines()[-1].rstrip().endswith("w Quick note")  # the footer whole at 80 columns
        assert "ERROR, never imported" in text and "! kind: unknown value(s): activist" in text  # not by colour
