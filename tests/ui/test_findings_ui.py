"""Fair-trial findings by keys in the walkthrough, and the trial's conclusion on the trial
screen (issue 18, part 2), at 80x24, each checked through the vault."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from sqlmodel import select
from textual.widgets import OptionList, TextArea

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.models import Hearing, Trial
from hrd_tui.screens.checklists import WalkthroughScreen
from hrd_tui.screens.trials import ConclusionFormScreen, HearingScreen, TrialScreen
from hrd_tui.services import base, checklists, contacts, history, trials
from hrd_tui.vocab import Finding, ItemStatus


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        trial = trials.create_trial(s, {"title": "State v. Ana Núñez", "court": "Port Calder Court"}, [ana])
        trials.add_hearing(s, trial, {"starts_at": datetime.combine(FROZEN_DAY, time(9)).astimezone()})
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)


def ids(app) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with vault_session(app.vault_dir) as s:
        trial = s.exec(select(Trial)).one()
        return trial.id, trials.hearings_of(s, trial.id)[0].id


async def test_finding_keys_in_the_walkthrough(app) -> None:  # type: ignore[no-untyped-def]
    _, hearing_id = ids(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        app.push_screen(HearingScreen(hearing_id))
        await pilot.pause()
        await pilot.press("f")  # the hearing's fair-trial checklist
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WalkthroughScreen)
        items = screen.query_one("#walk-items", OptionList)
        await pilot.press("V")
        await pilot.pause()
        assert str(items.get_option_at_index(0).prompt).startswith("[ ] 1. VIOLATION: Informed promptly")
        assert str(screen.query_one("#walk-guidance").render()).startswith("Finding: violation (keys R C V O")
        await pilot.press("C", "j", "R", "j", "O", "j", "V", "minus")  # item 4's violation cleared again
        await pilot.press("enter", *"charges read only in Veridian", "enter")  # the evidence, on item 4
        await pilot.pause()
        assert items.highlighted == 3  # a finding keeps the cursor where it is
        assert str(screen.query_one("#walk-guidance").render()).startswith("Finding: no finding")
        assert "Evidence (note): charges read only in Veridian" in str(screen.query_one("#walk-note").render())
        assert "CONCERN" in str(items.get_option_at_index(0).prompt)
        assert "NOT OBSERVED" in str(items.get_option_at_index(2).prompt)
        with app.session() as s:
            run = checklists.get_run(s, screen.run_id)
            states = checklists.states(s, run)
            order = [item["id"] for item in checklists.template_of(s, run).items]
            assert [states[i].finding for i in order[:4]] == [
                Finding.CONCERN,
                Finding.RESPECTED,
                Finding.NOT_OBSERVED,
                None,
            ]
            assert all(states[i].status == ItemStatus.OPEN for i in order[:4])  # the walkthrough state untouched
            assert states[order[3]].note == "charges read only in Veridian"
            kept = [v.data.get("finding") for v in history.versions(s, "checklist_item_state", states[order[0]].id)]
            assert "violation" in kept  # the earlier finding is in the history


async def test_finding_keys_say_so_on_a_list_that_is_no_fair_trial_one(app) -> None:  # type: ignore[no-untyped-def]
    with vault_session(app.vault_dir) as s:
        run_id = checklists.start_run(s, "reporting").id
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        app.push_screen(WalkthroughScreen(run_id))
        await pilot.pause()
        await pilot.press("V")
        await pilot.pause()
        assert any("fair-trial checklists only" in str(n.message) for n in app._notifications)
        assert "Finding" not in str(app.screen.query_one("#walk-guidance").render())
        with app.session() as s:
            assert all(st.finding is None for st in checklists.states(s, checklists.get_run(s, run_id)).values())


async def test_the_conclusion_on_the_trial_screen(app) -> None:  # type: ignore[no-untyped-def]
    trial_id, hearing_id = ids(app)
    with vault_session(app.vault_dir) as s:
        run = trials.fair_trial_run(s, base.get(s, Hearing, hearing_id))
        assert run is not None
        checklists.set_item(s, run, "presumption-innocence", note="kept in a glass cage")
        checklists.set_finding(s, run, "presumption-innocence", Finding.VIOLATION)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        app.push_screen(TrialScreen(trial_id))
        await pilot.pause()
        shown = str(app.screen.query_one("#trial-assessment").render())
        assert "VIOLATION: Presumption of innocence" in shown and "Evidence: kept in a glass cage" in shown
        assert "Conclusion: not written yet" in shown
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConclusionFormScreen)
        area = app.screen.query_one(TextArea)
        assert area.text.startswith("On the 1 hearing observed, the proceedings breached")  # the proposal
        area.text = ""
        await pilot.press(*"Unfair: the presumption of innocence was ignored.")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TrialScreen)
        shown = str(app.screen.query_one("#trial-assessment").render())
        assert "Conclusion (the officer's): Unfair: the presumption of innocence was ignored." in shown
        await pilot.press("d")  # discreet: the conclusion may name the defendant
        await pilot.pause()
        shown = str(app.screen.query_one("#trial-assessment").render())
        assert "Unfair" not in shown and "glass cage" not in shown and "VIOLATION" in shown
        with app.session() as s:
            trial = s.get(Trial, trial_id)
            assert trial is not None and trial.conclusion == "Unfair: the presumption of innocence was ignored."
            assert [v.data["conclusion"] for v in history.versions(s, "trial", trial_id)][-1] == ""


async def test_the_proposal_accepted_as_it_is_is_saved(app) -> None:  # type: ignore[no-untyped-def]
    trial_id, _ = ids(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        app.push_screen(TrialScreen(trial_id))
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TrialScreen)
        with app.session() as s:
            trial = s.get(Trial, trial_id)
            assert trial is not None and trial.conclusion.startswith("No findings are recorded yet")
