"""The post's case plan in the real app (Pilot, 80x24, a real encrypted vault): p on the
threat list opens it, every row says in words whose the owner and due days are, Enter
sets the post's own, x goes back to the suggestion, and a new case is planned with what
the post set. The case screen says its planned owners and due days are suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from textual.widgets import DataTable, Input

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.screens.changes import ChangesScreen
from hrd_tui.screens.plan import PlanItemModal, PlanScreen
from hrd_tui.screens.threats import CaseScreen, ThreatsScreen
from hrd_tui.screens.widgets.row_list import RowList
from hrd_tui.services import contacts, plan, threats

MEET = "threat-immediate:meet-or-connect-securely"


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY)


def _whose(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#plan-items", DataTable)
    return {str(key.value): str(table.get_row(key)[3]) for key in table.rows}


async def test_the_post_sets_and_resets_its_plan_from_the_threat_list(app, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ThreatsScreen)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert set(_whose(app).values()) == {plan.SUGGESTED}
        assert "the guidelines set neither" in str(app.screen.query_one("#plan-note").render())

        table = app.screen.query_one("#plan-items", DataTable)
        table.move_cursor(row=table.get_row_index(MEET))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanItemModal)
        await pilot.press(*"Political officer", "tab", "1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert _whose(app)[MEET] == plan.POSTS
        item = next(i for i in plan.case_plan(app) if i.key == MEET)  # read back through the vault
        assert (item.owner, item.due_days) == ("Political officer", 1)

        await pilot.press("x")
        await pilot.pause()
        assert _whose(app)[MEET] == plan.SUGGESTED
        assert next(i for i in plan.case_plan(app) if i.key == MEET).whose == plan.SUGGESTED

        await pilot.press("h")  # the post's changes to this action's plan, as any record's
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)
        changes = app.screen.query_one("#changes", DataTable)
        fields = [str(changes.get_row_at(n)[1]) for n in range(changes.row_count)]
        assert fields == ["Owner", "Due days"]  # both emptied by x; the first setting made the record
        assert "Case plan: Meet with the defender" in str(app.screen.query_one("#changes-title").render())


async def test_a_refused_due_day_keeps_what_was_typed(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("a", "p", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanItemModal)
        await pilot.press("tab", *"4000", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanItemModal)  # refused: still open
        assert app.screen.query_one("#field-due_days", Input).value == "4000"
        assert "0 to 3650" in str(app.screen.query_one("#error-due_days").render())


async def test_the_case_screen_says_whose_the_planned_owners_are(app, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with vault_session(vault_dir) as s:
        ana = contacts.create_contact(s, {"name": "Ana", "codename": "Heron-101"})
        case_id = threats.open_case(s, {"title": "Threats to Ana", "opened_on": FROZEN_DAY}, [ana]).id
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        rows = app.screen.query_one("#threats", RowList)
        rows.move_cursor(rows.index_of(case_id))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert str(app.screen.query_one("#case-plan-note").render()) == plan.PLAN_NOTE
