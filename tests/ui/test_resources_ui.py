"""The post's own resources in the real app (Pilot, 80x24, a real encrypted vault): u on the
threat list opens the list, whose each row is is said in words, n adds one (a refused
value stays typed under its field), x retires it (hidden, and not offered by the referral
form) and reinstates it, a shipped one is refused as read-only, and the palette lists it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock
from textual.widgets import DataTable, Input, Select, Static

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.models import Resource
from hrd_tui.screens.changes import field_labels
from hrd_tui.screens.resources import ResourceFormScreen, ResourcesScreen
from hrd_tui.screens.threats import ThreatsScreen
from hrd_tui.services import resources


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY)


def _rows(app) -> dict[str, tuple[str, ...]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#resources-list", DataTable)
    return {str(table.get_row(key)[0]): tuple(str(c) for c in table.get_row(key)[1:]) for key in table.rows}


async def test_add_retire_and_reinstate_a_post_resource_at_80x24(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ThreatsScreen)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ResourcesScreen)
        rows = _rows(app)
        assert rows["USAID civil society support"][0:1] == ("shipped",)
        assert rows["USAID civil society support"][2] == "2026-12-03"  # as of, in its own column

        await pilot.press("e")  # a shipped resource: refused, said in words
        await pilot.pause()
        assert isinstance(app.screen, ResourcesScreen)

        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ResourceFormScreen)
        app.screen.query_one("#field-as_of", Input).value = "2026-02-30"
        await pilot.press(*"Casa Refugio")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ResourceFormScreen)  # refused: what was typed is kept
        assert "February 2026 has 28 days" in str(app.screen.query_one("#error-as_of", Static).render())
        assert app.screen.query_one("#field-name", Input).value == "Casa Refugio"
        app.screen.query_one("#field-as_of", Input).value = "2026-11-20"
        app.screen.query_one("#field-kind", Select).value = "shelter"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ResourcesScreen)
        assert _rows(app)["Casa Refugio"] == ("post's own", "Shelter", "2026-11-20", "offered")
        assert "Casa Refugio  (post's own; Shelter or safe house" in str(
            app.screen.query_one("#resources-detail").render()
        )

        await pilot.press("x")
        await pilot.pause()
        assert "Casa Refugio" not in _rows(app)  # retired: hidden by default
        assert "Casa Refugio" not in {r.name for r in resources.offered(app)}
        await pilot.press("v")
        await pilot.pause()
        assert _rows(app)["Casa Refugio"][3] == "retired"
        table = app.screen.query_one("#resources-list", DataTable)
        table.move_cursor(row=list(_rows(app)).index("Casa Refugio"))
        await pilot.press("x")
        await pilot.pause()
        assert _rows(app)["Casa Refugio"][3] == "offered"
        assert "Casa Refugio" in {r.name for r in resources.offered(app)}

        await pilot.press("h")
        await pilot.pause()
        assert "Changes to resource Casa Refugio (post's own)" in str(app.screen.query_one("#changes-title").render())
        table = app.screen.query_one("#changes", DataTable)
        fields = {str(table.get_row(key)[1]) for key in table.rows}
        assert "Retired on" in fields  # retired, then reinstated
        assert field_labels(Resource, "any")["funds"] == "What it offers"  # as the form names it
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResourcesScreen)
        assert "Resources" in {c.title for c in app.get_system_commands(app.screen)}
