"""Discreet mode writes names as codenames, not the ordinary words that are parts of
names (issue 22): with a defender named "Will Hope", "I will go; we hope" stays on
screen, while "Will", "Hope" written as names, and the whole name, become the codename.
The real app on a real vault, a case's summary as drawn."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import FROZEN_DAY, PASSPHRASE, unlock
from helpers.colours import screen_text

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.services import contacts, threats

SUMMARY = "I will go to court; we hope Will signed. Mr Hope is followed."


async def test_discreet_mode_hides_names_not_ordinary_words(vault_dir: Path, tmp_path: Path) -> None:
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        will = contacts.create_contact(session, {"name": "Will Hope", "codename": "Fern-121", "kind": "defender"}, [])
        contacts.create_contact(session, {"name": "Ana March", "codename": "Reed-131", "kind": "lawyer"}, [])
        threats.open_case(
            session, {"title": "Phone taken", "opened_on": date(2026, 11, 2), "summary": SUMMARY}, [will], plan=False
        )
    opened.close()
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("d")  # discreet mode on, as an officer would
        await pilot.pause()
        assert app.discreet
        for key in ("a", "enter"):  # the case, its summary
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        shown = screen_text(app)
        assert "I will go to court; we hope Fern-121 signed. Mr Fern-121 is followed." in shown, shown
        assert "Will" not in shown and "Hope" not in shown
        assert (
            app.discreet_text("I will go; we hope. Hope left with Will Hope in March.")
            == "I will go; we hope. Fern-121 left with Fern-121 in Reed-131."
        )  # a capitalised month too, on screen
