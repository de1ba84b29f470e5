"""The today view's threat-case sections in the real app on a real encrypted vault
(Pilot, 80x24): an emergency marked in words at the top, an overdue action with the
consent gate coming, an overdue referral, a case to reassess; codenames only in
discreet mode; Enter on any case row opens that case."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from textual.widgets import DataTable

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.screens.today import TodayScreen
from hrd_tui.services import contacts, threats
from hrd_tui.vocab import ReferralStatus

DAY = FROZEN_DAY
NAME = "Ana Quintero"
CODENAME = "Heron-101"


@pytest.fixture
def case_ids(vault_dir: Path) -> dict[str, str]:
    """An emergency case with an overdue action (on the defender's behalf, no consent yet)
    and an overdue referral; a routine case last assessed 20 days ago. Title -> id."""
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    with vault_session(vault_dir) as s:
        ana = contacts.create_contact(s, {"name": NAME, "codename": CODENAME})
        boris = contacts.create_contact(s, {"name": "Boris Lind", "codename": "Cedar-202"})
        emergency = threats.open_case(
            s,
            {"title": f"Detention of {NAME}", "urgency": "emergency", "opened_on": DAY - timedelta(days=30)},
            [ana],
            plan=False,
        )
        threats.assess_risk(
            s, emergency, {"assessed_on": DAY - timedelta(days=2), "threat": 5, "vulnerability": 5, "capacity": 1}
        )
        threats.add_action(
            s,
            emergency,
            {"title": "Raise the detention with the Ministry", "on_behalf": True, "due_on": DAY - timedelta(days=3)},
        )
        threats.add_referral(
            s,
            emergency,
            {
                "resource_id": "lifeline",
                "purpose": "legal_fees",
                "shared": ["identity"],
                "status": ReferralStatus.SENT,
                "sent_on": DAY - timedelta(days=12),
                "expected_decision_on": DAY - timedelta(days=2),
                "emergency_justification": "Held incommunicado.",
            },
        )
        stale = threats.open_case(
            s,
            {"title": "Smear campaign against Boris Lind", "urgency": "routine", "opened_on": DAY - timedelta(days=60)},
            [boris],
            plan=False,
        )
        threats.assess_risk(
            s, stale, {"assessed_on": DAY - timedelta(days=20), "threat": 2, "vulnerability": 2, "capacity": 2}
        )
        return {emergency.title: emergency.id, stale.title: stale.id}


@pytest.fixture
def app(case_ids: dict[str, str], vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: DAY)


def rows(app, table_id: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_today_shows_the_emergency_the_overdue_action_and_referral_and_the_case_to_reassess(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert rows(app, "today-cases") == [["!! EMERGENCY", "Critical", "New", f"Detention of {NAME}"]]
        assert app.focused is app.screen.query_one("#today-cases")  # the emergency comes first
        assert app.screen.query_one("#today-cases").region.y < app.screen.query_one("#today-follow-ups").region.y
        assert rows(app, "today-actions") == [
            [
                f"{DAY - timedelta(days=3)} LATE",
                f"Detention of {NAME}",
                "Raise the detention with the Ministry",
                "HRO",
                "MISSING",
            ]
        ]
        assert rows(app, "today-referrals") == [
            [
                f"{DAY - timedelta(days=2)} LATE",
                f"Detention of {NAME}",
                "Lifeline Embattled CSO Assistance Fund",
                "Sent",
            ]
        ]
        assert rows(app, "today-reassess") == [
            [str(DAY - timedelta(days=20)), "20 days ago", "Low", "Smear campaign against Boris Lind"]
        ]
        # The hearings, last, are below the fold at 80x24: Tab reaches them and the body scrolls.
        body = app.screen.query_one("#today-body")
        hearings = app.screen.query_one("#today-hearings", DataTable)
        assert body.scroll_y == 0 and hearings.region.y >= body.region.bottom
        for _ in range(6):
            await pilot.press("tab")
        await pilot.pause()
        assert app.focused is hearings and body.scroll_y > 0
        assert hearings.region.height > 0 and hearings.region.bottom <= body.region.bottom
        await pilot.press("tab")  # the attacks without an investigation (issue 19) come last
        await pilot.pause()
        assert app.focused is app.screen.query_one("#today-unaccounted")
        await pilot.press("tab")  # round again to the top: the body itself never takes the focus
        await pilot.pause()
        assert app.focused is app.screen.query_one("#today-cases") and body.scroll_y == 0


async def test_discreet_mode_shows_codenames_not_names(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        tables = ("today-cases", "today-actions", "today-referrals", "today-reassess")
        shown = " ".join(cell for t in tables for row in rows(app, t) for cell in row)
        assert f"Case of {CODENAME}" in shown and "Case of Cedar-202" in shown
        for part in ("Ana", "Quintero", "Boris", "Lind", "Detention", "Smear"):
            assert part not in shown, part
        await pilot.press("d")
        await pilot.pause()
        assert rows(app, "today-cases")[0][3] == f"Detention of {NAME}"


async def test_enter_on_a_case_row_opens_that_case(app, case_ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.screens.threats import CaseScreen

    emergency, stale = case_ids[f"Detention of {NAME}"], case_ids["Smear campaign against Boris Lind"]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        for table_id, expected in (
            ("today-cases", emergency),
            ("today-actions", emergency),
            ("today-referrals", emergency),
            ("today-reassess", stale),
        ):
            app.screen.query_one(f"#{table_id}", DataTable).focus()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, CaseScreen) and app.screen.case_id == expected, table_id
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
