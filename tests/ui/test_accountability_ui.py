"""Accountability after an attack in the real app on a real encrypted vault (Pilot, 80x24):
Today lists the attacks without an investigation after 30 days; Enter opens the case, b
its steps; a step refused at the edge keeps what was typed, then is saved, shown in words
with LATE, and deleted after asking; an observation's steps from the civic-space list."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from textual.widgets import DataTable, Input, Select

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.screens.accountability import AccountabilityScreen, StepModal
from hrd_tui.screens.changes import ChangesScreen
from hrd_tui.screens.threats import CaseScreen
from hrd_tui.services import contacts, monitoring, threats
from hrd_tui.vocab import CivicCategory, ThreatType

DAY = FROZEN_DAY


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    with vault_session(vault_dir) as s:
        ana = contacts.create_contact(s, {"name": "Ana Quintero", "codename": "Heron-101"})
        threats.open_case(
            s,
            {"title": "Ana Quintero beaten", "opened_on": DAY - timedelta(days=40)},
            [ana],
            [ThreatType.PHYSICAL_ATTACK],
            plan=False,
        )
        monitoring.add_observation(
            s,
            {
                "observed_on": DAY - timedelta(days=35),
                "category": CivicCategory.ATTACKS_REPRISALS,
                "description": "Union office burnt",
            },
            (),
            (),
        )
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: DAY)


def rows(app, table_id: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_today_lists_the_attacks_and_a_step_is_recorded_corrected_and_deleted(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        heading = str(app.screen.query_one("#today-unaccounted-heading").render())
        assert "Attacks without an investigation after 30 days: 2" in heading
        assert rows(app, "today-unaccounted") == [
            [str(DAY - timedelta(days=40)), "40 d", "Ana Quintero beaten", "No step recorded"],
            [str(DAY - timedelta(days=35)), "35 d", "Attacks and reprisals: Union office burnt", "No step recorded"],
        ]
        table = app.screen.query_one("#today-unaccounted", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert "LATE: an attack with no investigation" in str(app.screen.query_one("#case-accountability").render())
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, AccountabilityScreen)
        state = str(app.screen.query_one("#accountability-state").render())
        assert "State: No step recorded" in state and "LATE: no investigation recorded 30 days" in state

        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, StepModal)
        form.query_one("#field-step", Select).value = "investigation_opened"
        form.query_one("#field-on_date", Input).value = "2026-12-25"
        await pilot.press("f2")
        await pilot.pause()
        assert "is required" in str(form.query_one("#error-source").render())
        form.query_one("#field-source", Input).value = "Prosecutor's statement"
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is form and "is in the future" in str(form.query_one("#error-on_date").render())
        assert form.query_one("#field-source", Input).value == "Prosecutor's statement"  # what was typed is kept
        form.query_one("#field-on_date", Input).value = str(DAY - timedelta(days=2))
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, AccountabilityScreen)
        assert rows(app, "accountability-steps") == [
            [str(DAY - timedelta(days=2)), "Investigation opened", "Prosecutor's statement", "-"]
        ]
        state = str(app.screen.query_one("#accountability-state").render())
        assert f"State: Investigation opened ({DAY - timedelta(days=2)})" in state and "LATE" not in state

        # A correction of the source, then what changed in the step.
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#field-source", Input).value = "Prosecutor's press statement"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)
        changes = rows(app, "changes")
        assert any("Prosecutor's statement" in " ".join(row) for row in changes), changes
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert rows(app, "accountability-steps")[0][1] == "No step recorded (n)."
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        timeline = str(app.screen.query_one("#case-timeline").render())
        assert "Accountability: deleted: Investigation opened" in timeline


async def test_an_observation_s_steps_from_the_civic_space_list(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#observations").focus()
        await pilot.pause()
        detail = str(app.screen.query_one("#monitoring-detail").render())
        assert "After the attack (b): No step recorded  LATE: no investigation" in detail
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, AccountabilityScreen)
        assert "Observation:" in str(app.screen.query_one("#accountability-title").render())
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#field-source", Input).value = "The union's lawyer"
        await pilot.press("f2")
        await pilot.pause()
        assert rows(app, "accountability-steps")[0][1:3] == ["Complaint filed", "The union's lawyer"]
