"""Consent for each kind of action by keys (issue 18): from a case, p records the consent
of the selected action's kind, with an end date typed in the form; a withdrawal is shown
against the actions it stops, in words; the action form picks the kind of action. The
real app on a real encrypted vault (Pilot), checked through the vault."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from sqlmodel import select
from textual.widgets import DataTable, Input, Select, SelectionList, Static

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.models import CaseAction, ConsentRecord
from hrd_tui.screens.case_forms import JUSTIFICATION_LABEL, ActionModal
from hrd_tui.screens.contact_detail import consent_lines
from hrd_tui.screens.contact_form import ConsentModal
from hrd_tui.screens.threats import CaseScreen, ThreatsScreen
from hrd_tui.screens.widgets.record_form import RecordForm
from hrd_tui.screens.widgets.row_list import RowList
from hrd_tui.services import contacts, threats
from hrd_tui.vocab import ConsentScope, ConsentValue

TODAY = FROZEN_DAY


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        threats.open_case(s, {"title": "Threats against Ana", "opened_on": TODAY}, [ana], ["intimidation"])
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: TODAY)


async def _case_screen(app, pilot) -> CaseScreen:  # type: ignore[no-untyped-def]
    await unlock(app, pilot)
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, ThreatsScreen)
    app.screen.query_one("#threats", RowList).move_cursor(0)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, CaseScreen)
    return app.screen


def _cell(table: DataTable, key: str) -> str:  # type: ignore[type-arg]
    return str(table.get_row_at(table.get_row_index(key))[-1])


def _statement(vault_dir: Path) -> str:
    with vault_session(vault_dir) as s:
        return s.exec(
            select(CaseAction.id).where(CaseAction.template_item == "threat-immediate:public-statement")
        ).one()


async def test_consent_for_the_selected_actions_kind_with_an_end_date_then_withdrawn(app, vault_dir: Path) -> None:
    statement = _statement(vault_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _case_screen(app, pilot)
        table = screen.query_one("#case-actions", DataTable)
        assert _cell(table, statement) == "statement MISSING"
        table.focus()
        table.move_cursor(row=table.get_row_index(statement))
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ConsentModal)
        form = app.screen.query_one(RecordForm)
        assert form.query_one("#field-scope", Select).value == "public_statement"
        offered = [value for _, value in form.query_one("#field-scope", Select)._options if value != Select.BLANK]
        assert "act_on_behalf" not in offered  # the single consent of older vaults is not offered
        form.query_one("#field-value", Select).value = "granted"
        form.query_one("#field-ends_on", Input).focus()
        await pilot.press(*"+3")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert _cell(table, statement) == "statement ok"
        assert f"statement ok to {TODAY + timedelta(days=3)}" in str(screen.query_one("#case-consent").render())
        # Withdrawn: the open action is stopped, said in words.
        table.focus()
        table.move_cursor(row=table.get_row_index(statement))
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one(RecordForm).query_one("#field-value", Select).value = "withdrawn"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert _cell(table, statement) == "statement WITHDRAWN"
        assert "WITHDRAWN" in str(screen.query_one("#case-warning").render())
        assert "consent WITHDRAWN" in str(screen.query_one("#case-action-detail").render())
    with vault_session(vault_dir) as s:
        records = s.exec(
            select(ConsentRecord)
            .where(ConsentRecord.scope == ConsentScope.PUBLIC_STATEMENT)
            .order_by(ConsentRecord.created_at)
        ).all()
        assert [(r.value, r.ends_on) for r in records] == [
            (ConsentValue.GRANTED, TODAY + timedelta(days=3)),
            (ConsentValue.WITHDRAWN, None),
        ]
        texts = [e.text for e in threats.timeline(s, s.get(CaseAction, statement).case_id)]  # type: ignore[union-attr]
        assert any(t.startswith("Consent withdrawn by Heron-101 for public statements") for t in texts)


async def test_the_action_form_picks_the_kind_of_action_and_its_consent_is_shown(app, vault_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _case_screen(app, pilot)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)
        form = app.screen.query_one(RecordForm)
        assert form.query_one("#field-consent_scope", Select).value == "private_demarche"  # the default
        assert "the mission's own rule, not the guidelines'" in JUSTIFICATION_LABEL
        form.query_one("#field-title", Input).value = "Observe the hearing of 2 December"
        form.query_one("#field-consent_scope", Select).value = "trial_attendance"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        with app.session("test") as s:
            action = s.exec(select(CaseAction).where(CaseAction.title.startswith("Observe"))).one()  # type: ignore[attr-defined]
            assert action.consent_scope == ConsentScope.TRIAL_ATTENDANCE and action.on_behalf
            action_id = action.id
        table = screen.query_one("#case-actions", DataTable)
        assert _cell(table, action_id) == "trial MISSING"


async def test_a_referral_consent_names_its_resources_and_what_may_be_shared(app, vault_dir: Path) -> None:
    """The consent form from the case's referral action: a grant naming no resource is
    refused under its field with what was chosen kept; the resource picked and what may
    be shared toggled by keys (space) is saved as shown."""
    with vault_session(vault_dir) as s:
        referral_action = s.exec(
            select(CaseAction.id).where(CaseAction.template_item == "threat-immediate:referral-emergency-assistance")
        ).one()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _case_screen(app, pilot)
        table = screen.query_one("#case-actions", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(referral_action))
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ConsentModal)
        form = app.screen.query_one(RecordForm)
        assert form.query_one("#field-scope", Select).value == "referral"
        form.query_one("#field-value", Select).value = "granted"
        form.query_one("#field-shared", SelectionList).focus()
        await pilot.press("space")  # the first: name and identity
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ConsentModal)  # refused, kept
        error = str(form.query_one("#error-resource_ids", Static).render())
        assert "name the resources they agreed to be referred to" in error
        assert form.query_one("#field-shared", SelectionList).selected == ["identity"]
        form.query_one("#field-resource_ids", SelectionList).select("lifeline")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert _cell(table, referral_action) == "referral ok"
    with vault_session(vault_dir) as s:
        (record,) = s.exec(select(ConsentRecord).where(ConsentRecord.scope == ConsentScope.REFERRAL)).all()
        assert (record.value, record.resource_ids, record.shared) == (ConsentValue.GRANTED, ["lifeline"], ["identity"])
        view = contacts.detail_view(s, record.contact_id)
    assert "  resources: Lifeline Embattled CSO Assistance Fund; may share: name and identity" in consent_lines(view)


async def test_the_consent_form_asks_for_names_only_with_the_kind_that_names_them(app, vault_dir: Path) -> None:
    """Resources and what may be shared with a referral, missions with sharing, nothing
    with a démarche; a field hidden again gives nothing (a save writes what was shown)."""
    async with app.run_test(size=(80, 24)) as pilot:
        await _case_screen(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ConsentModal)
        form = app.screen.query_one(RecordForm)
        scope = form.query_one("#field-scope", Select)

        def asked() -> set[str]:
            return {n for n in ("resource_ids", "shared", "missions") if form.query_one(f"#field-{n}").display}

        seen = {}
        for kind in ("private_demarche", "referral", "share_with_missions", "naming"):
            scope.value = kind
            await pilot.pause()
            seen[kind] = asked()
        assert seen == {
            "private_demarche": set(),
            "referral": {"resource_ids", "shared"},
            "share_with_missions": {"missions"},
            "naming": set(),
        }
        scope.value = "referral"
        await pilot.pause()
        form.query_one("#field-resource_ids", SelectionList).select("lifeline")  # picked, then the kind changed
        scope.value = "private_demarche"
        await pilot.pause()  # the decision's choices follow the kind first
        form.query_one("#field-value", Select).value = "granted"
        await pilot.press("f2")
        await pilot.pause()
        errs = {b.id: str(b.render()) for b in form.query(".form-error").results(Static) if b.display}
        assert isinstance(app.screen, CaseScreen), errs
    with vault_session(vault_dir) as s:
        (record,) = s.exec(select(ConsentRecord)).all()
        assert (record.scope, record.resource_ids) == (ConsentScope.PRIVATE_DEMARCHE, [])
