"""The risk worksheet and the case screen under the floors for present danger (issue 18):
the level in words with the floor that raised it, the emergency offered at critical with
one key (through the service: the vault, the timeline, the history), and the case that
says once that its latest assessment was made under the earlier rule. The real app on a
real encrypted vault (Pilot, 80x24)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from sqlmodel import select
from textual.widgets import Select

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.models import RiskAssessment, ThreatCase, TimelineEvent
from hrd_tui.screens.case_forms import RiskFormScreen
from hrd_tui.screens.threats import CaseScreen, ThreatsScreen
from hrd_tui.screens.widgets.record_form import RecordForm
from hrd_tui.screens.widgets.row_list import RowList
from hrd_tui.services import contacts, history, reference, threats
from hrd_tui.vocab import RiskLevel, Urgency

TODAY = FROZEN_DAY
CRITICAL_MEANS = reference.risk_bands()[-1].meaning


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: TODAY)


def one_case(vault_dir: Path, urgency: Urgency = Urgency.URGENT) -> str:
    with vault_session(vault_dir) as s:
        ana = contacts.by_codenames(s, ["Heron-101"], "x")[0]
        case = threats.open_case(
            s, {"title": "Detention of Ana Núñez", "opened_on": TODAY, "urgency": urgency}, [ana], plan=False
        )
        return case.id


async def open_case_screen(app, pilot, case_id: str) -> CaseScreen:  # type: ignore[no-untyped-def]
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, ThreatsScreen)
    rows = app.screen.query_one("#threats", RowList)
    rows.move_cursor(rows.index_of(case_id))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, CaseScreen)
    return app.screen


async def rate(app, pilot, threat: int, vulnerability: int, capacity: int) -> str:  # type: ignore[no-untyped-def]
    """Set the three ratings on the worksheet; the guide as it then reads."""
    form = app.screen.query_one(RecordForm)
    for name, value in (("threat", threat), ("vulnerability", vulnerability), ("capacity", capacity)):
        form.query_one(f"#field-{name}", Select).value = str(value)
    await pilot.pause()
    return str(app.screen.query_one("#form-guide").render())


def footer_keys(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {b.binding.id for b in app.screen.active_bindings.values() if b.enabled and b.binding.show}


async def test_the_worksheet_shows_the_level_and_the_floor_as_the_ratings_change(app, vault_dir: Path) -> None:
    case_id = one_case(vault_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_case_screen(app, pilot, case_id)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, RiskFormScreen)
        guide = await rate(app, pilot, 5, 2, 5)
        assert "Risk: HIGH (raised to high: harm under way or imminent" in guide
        assert "threat 5 x vulnerability 2 / capacity 5 = 2.0: Low by the score" in guide
        assert "F6" not in guide and "risk_form.emergency" not in footer_keys(app)  # high: no emergency offered
        guide = await rate(app, pilot, 3, 5, 5)
        assert guide.startswith("Risk: MEDIUM\n") and "raised" not in guide  # no floor below threat 4
        guide = await rate(app, pilot, 5, 4, 5)
        assert "Risk: CRITICAL (raised to critical: harm under way and the defender exposed)" in guide
        assert f"Critical calls for: {CRITICAL_MEANS}" in guide
        assert "F6 (^t) sets the case's urgency to EMERGENCY (it is urgent now)." in guide
        assert "risk_form.emergency" in footer_keys(app)


async def test_f6_on_a_critical_worksheet_makes_the_case_an_emergency(app, vault_dir: Path) -> None:
    case_id = one_case(vault_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_case_screen(app, pilot, case_id)
        await pilot.press("g")
        await pilot.pause()
        await rate(app, pilot, 4, 5, 4)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, RiskFormScreen)  # the worksheet stays, to be saved
        guide = str(app.screen.query_one("#form-guide").render())
        assert "The case's urgency is EMERGENCY." in guide and "F6" not in guide
        assert "risk_form.emergency" not in footer_keys(app)
        await pilot.press("f6")  # offered no more: nothing happens
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert "EMERGENCY" in str(app.screen.query_one("#case-title").render())
    with vault_session(vault_dir) as s:
        case = s.get(ThreatCase, case_id)
        assert case is not None and case.urgency == Urgency.EMERGENCY
        urgency = [c for c in history.changes(s, case) if c.field == "urgency"]
        assert [(c.before, c.after) for c in urgency] == [("urgent", "emergency")]
        events = [e.text for e in s.exec(select(TimelineEvent).where(TimelineEvent.case_id == case_id))]
        assert events.count("Urgency: Emergency.") == 1
        saved = s.exec(select(RiskAssessment).where(RiskAssessment.case_id == case_id)).one()
        assert (saved.risk_level, saved.rule_version) == (RiskLevel.CRITICAL, 2)


async def test_ctrl_t_does_the_same_and_an_emergency_case_is_not_offered_it(app, vault_dir: Path) -> None:
    urgent, emergency = one_case(vault_dir), one_case(vault_dir, Urgency.EMERGENCY)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        app.push_screen(RiskFormScreen(emergency))
        await pilot.pause()
        guide = await rate(app, pilot, 5, 5, 5)
        assert "Risk: CRITICAL" in guide and "The case's urgency is EMERGENCY." in guide and "F6" not in guide
        assert "risk_form.emergency" not in footer_keys(app)
        app.pop_screen()
        app.push_screen(RiskFormScreen(urgent))
        await pilot.pause()
        await rate(app, pilot, 5, 5, 5)
        await pilot.press("ctrl+t")
        await pilot.pause()
    with vault_session(vault_dir) as s:
        assert s.get(ThreatCase, urgent).urgency == Urgency.EMERGENCY  # type: ignore[union-attr]


async def test_the_case_says_once_that_its_latest_assessment_was_made_under_the_earlier_rule(
    app, vault_dir: Path
) -> None:
    case_id = one_case(vault_dir)
    with vault_session(vault_dir) as s:
        case = s.get(ThreatCase, case_id)
        for ratings in ((5, 5, 5), (5, 4, 5)):
            made = threats.assess_risk(
                s, case, dict(zip(("threat", "vulnerability", "capacity"), ratings, strict=True))
            )
            made.risk_level, made.rule_version = RiskLevel.MEDIUM, 1  # as an older release stored them
            s.add(made)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        screen = await open_case_screen(app, pilot, case_id)
        warning = str(screen.query_one("#case-warning").render())
        notice = "was made under the earlier risk rule; it would now be CRITICAL: reassess (g)."
        assert warning.count(notice) == 1 and "latest assessment (MEDIUM)" in warning
        risk = str(screen.query_one("#case-risk").render())
        assert "MEDIUM on 2026-11-28" in risk  # kept as it was given
        assert "= 4.0: Medium. Watch closely" in risk  # and explained by the rule it was given under
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, RiskFormScreen)
        await pilot.press("f2")  # the last ratings, under the current rule
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert "earlier risk rule" not in str(screen.query_one("#case-warning").render())
        assert "CRITICAL on 2026-11-28" in str(screen.query_one("#case-risk").render())
