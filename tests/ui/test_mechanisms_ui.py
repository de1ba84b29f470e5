"""A referral to a mechanism by keys (issue 19, part C): the form asks for no amounts
but for the stage of the mechanism chosen, the case's table shows the stage in words,
a date refused is shown under its field with what was typed kept. Real app, real
encrypted vault, 80x24 (Pilot)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from sqlmodel import select
from textual.widgets import DataTable, Input, Select, SelectionList

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.models import Referral
from hrd_tui.screens.case_forms import ReferralFormScreen
from hrd_tui.screens.threats import CaseScreen, ThreatsScreen
from hrd_tui.screens.widgets.record_form import RecordForm
from hrd_tui.screens.widgets.row_list import RowList
from hrd_tui.services import contacts, threats
from hrd_tui.vocab import ReferralStatus


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        contacts.record_consent(
            s,
            ana,
            {
                "scope": "referral",
                "value": "granted",
                "resource_ids": ["oecd-ncp"],
                "shared": ["case_facts"],
                "given_on": FROZEN_DAY - timedelta(days=20),
            },
        )
        threats.open_case(
            s, {"title": "Mine near the river", "opened_on": FROZEN_DAY}, [ana], ["business_linked"], plan=False
        )
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY)


async def test_a_specific_instance_asks_for_its_stage_not_for_money(app, vault_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ThreatsScreen)
        app.screen.query_one("#threats", RowList).move_cursor(0)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CaseScreen)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ReferralFormScreen)
        form = app.screen.query_one(RecordForm)
        assert form.query_one("#field-amount_requested").display and not form.query_one("#field-stage").display
        form.query_one("#field-resource_id", Select).value = "oecd-ncp"
        form.query_one("#field-purpose", Select).value = "oecd_specific_instance"
        await pilot.pause()
        for money in ("amount_requested", "amount_granted", "currency", "expected_decision_on", "decision_on"):
            assert not form.query_one(f"#field-{money}").display, money
        assert [code for code, _ in form.offered["status"]] == [
            "draft",
            "sent",
            "under_review",
            "withdrawn",
            "concluded",
        ]  # a mechanism grants or declines nothing
        stage = form.query_one("#field-stage", Select)
        assert stage.display and form.offered["stage"][2] == (
            "good_offices",
            "Good offices or mediation between the parties",
        )
        assert "not the guidelines'" in str(app.screen.query_one("#form-guide").render())
        form.query_one("#field-shared", SelectionList).select("case_facts")
        form.query_one("#field-status", Select).value = "sent"
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is screen
        referrals = screen.query_one("#case-referrals", DataTable)
        with app.session("test") as s:
            referral_id = s.exec(select(Referral.id)).one()
        assert [c.plain for c in referrals.get_row(referral_id)[1:4]] == ["OECD NCP", "Submitted", "no money"]
        # Move it on; a day in the future is refused under its field, kept as typed.
        referrals.focus()
        referrals.move_cursor(row=referrals.get_row_index(referral_id))
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen.query_one(RecordForm)
        form.query_one("#field-stage", Select).value = "good_offices"
        form.query_one("#field-stage_on", Input).value = "+2"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ReferralFormScreen)
        assert "is in the future" in str(form.query_one("#error-stage_on").render())
        assert form.query_one("#field-stage_on", Input).value == "+2"
        form.query_one("#field-stage_on", Input).value = "-1"  # before it was sent (today)
        await pilot.press("f2")
        await pilot.pause()
        assert "is before the day it was sent" in str(form.query_one("#error-stage_on").render())
        form.query_one("#field-stage_on", Input).value = "today"
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is screen
        assert referrals.get_row(referral_id)[2].plain == "Mediation"
    with vault_session(vault_dir) as s:
        referral = s.exec(select(Referral)).one()
        assert (referral.stage, referral.stage_on, referral.status) == (
            "good_offices",
            FROZEN_DAY,
            ReferralStatus.SENT,
        )
        assert referral.amount_requested is None and referral.consent_record_id is not None
        assert "stage moved on to 'Good offices" in threats.timeline(s, referral.case_id)[0].text
