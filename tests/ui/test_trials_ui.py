"""Trial observation by keys alone: a trial and a hearing from nothing, quick notes
with every tag, a correction, a note attached to the fair-trial checklist, the
global quick-note key, and the line being typed surviving a stop. The real app
on a real encrypted vault (Pilot)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from sqlmodel import select
from textual.widgets import Input, OptionList

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.models import Hearing
from hrd_tui.screens.notes import NoteScreen
from hrd_tui.screens.trials import HearingFormScreen, HearingScreen, TrialFormScreen, TrialScreen, TrialsScreen
from hrd_tui.screens.widgets.pick import PickModal
from hrd_tui.screens.widgets.record_form import RecordForm
from hrd_tui.screens.widgets.row_list import RowList
from hrd_tui.services import contacts, trials
from hrd_tui.vocab import NoteTag


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
        contacts.create_contact(session, {"name": "Борис Петров", "codename": "Cedar-202"})
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)


async def new_trial_and_hearing(app, pilot) -> str:  # type: ignore[no-untyped-def]
    """A trial and a hearing starting now, typed in the forms; returns the hearing id."""
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(app.screen, TrialsScreen)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, TrialFormScreen)
    form = app.screen.query_one(RecordForm)
    form.query_one("#field-title", Input).value = "State v. Ana Núñez"
    form.query_one("#field-court", Input).value = "Port Calder District Court"
    form.query_one("#field-case_number", Input).value = "2026/114"
    form.query_one("#field-defendants", Input).value = "Heron-101"
    await pilot.press("f2")
    await pilot.pause()
    assert isinstance(app.screen, TrialScreen)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, HearingFormScreen)
    form = app.screen.query_one(RecordForm)
    assert form.query_one("#field-court", Input).value == "Port Calder District Court"  # from the trial
    form.query_one("#field-starts_at", Input).value = "now"
    form.query_one("#field-judges", Input).value = "Judge K. Amari"
    form.query_one("#field-public_count", Input).value = "12"
    await pilot.press("f2")
    await pilot.pause()
    assert isinstance(app.screen, HearingScreen)
    assert "Judge K. Amari" in str(app.screen.query_one("#hearing-header").render())
    return app.screen.hearing_id


async def test_create_a_trial_and_a_hearing_then_note_every_tag(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        hearing_id = await new_trial_and_hearing(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        lines = [
            "a: doors closed to the public",
            "p: indictment read",
            "t: witness says he was beaten",
            "e: no warrant produced",
            "d: defendant in handcuffs",
            'q: "I did nothing"',
            "untagged line",
        ]
        for line in lines:
            await pilot.press(*line, "enter")
        await pilot.pause()
        with app.session() as s:
            notes = trials.notes_of(s, hearing_id)
        assert [n.tag for n in notes] == [
            NoteTag.ACCESS,
            NoteTag.PROCEDURE,
            NoteTag.TESTIMONY,
            NoteTag.EVIDENCE,
            NoteTag.TREATMENT,
            NoteTag.QUOTE,
            None,
        ]
        assert notes[0].text == "doors closed to the public" and notes[5].text == '"I did nothing"'
        log = app.screen.query_one("#notes-log", OptionList)
        assert log.option_count == 7 and "[Access] doors closed" in str(log.get_option_at_index(0).prompt)
        assert app.screen.query_one("#note-line", Input).value == ""


async def test_correct_a_line_keeping_the_original(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        hearing_id = await new_trial_and_hearing(app, pilot)
        await pilot.press("w", *"t: witness says 3 men", "enter", *"p: recess", "enter")
        await pilot.pause()
        await pilot.press("up", "up", "enter")  # the log, the first line, correct it
        await pilot.pause()
        field = app.screen.query_one("#note-line", Input)
        assert field.value == "t: witness says 3 men" and field.has_focus
        field.value = "t: witness says 4 men"
        await pilot.press("enter")
        await pilot.pause()
        log = app.screen.query_one("#notes-log", OptionList)
        assert "witness says 4 men (corrected)" in str(log.get_option_at_index(0).prompt)
        with app.session() as s:
            (line, _) = trials.note_log(s, hearing_id)
            assert line.note.text == "witness says 3 men" and line.text == "witness says 4 men"  # the original kept


async def test_attach_a_note_to_the_fair_trial_checklist_with_one_key(app) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.screens.checklists import WalkthroughScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await new_trial_and_hearing(app, pilot)
        await pilot.press("w", *"a: lawyer kept out until noon", "enter")
        await pilot.pause()
        await pilot.press("up", "c")
        await pilot.pause()
        assert "-> item 1" in str(app.screen.query_one("#notes-log", OptionList).get_option_at_index(0).prompt)
        await pilot.press("escape")  # attached: the focus is back on the line; Esc leaves
        await pilot.pause()
        assert isinstance(app.screen, HearingScreen)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen)
        assert "lawyer kept out until noon" in str(app.screen.query_one("#walk-note").render())


async def test_quick_note_key_with_no_hearing_starts_one_for_a_chosen_trial(app) -> None:  # type: ignore[no-untyped-def]
    with vault_session(app.vault_dir) as s:
        trials.create_trial(s, {"title": "State v. Борис Петров", "case_number": "2026/7", "court": "Appeal Court"})
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("c", "w")  # from the contacts list
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        title = str(app.screen.query_one("#notes-title").render())
        assert "2026/7" in title and "Борис" not in title  # no names unless asked for
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Борис" in str(app.screen.query_one("#notes-title").render())
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("w")  # now there is a hearing today: straight to it
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)


async def test_the_line_being_typed_comes_back_after_the_app_is_stopped(app, vault_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with vault_session(app.vault_dir) as s:
        trial = trials.create_trial(s, {"title": "State v. Ana", "case_number": "2026/1"})
        hearing_id = trials.start_hearing_now(s, trial, wallclock.local_now()).id
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("w", *"half a sent")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
    # The app is gone (exit saves what is typed); a new one unlocks into the note, text back.
    again = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with again.run_test(size=(80, 24)) as pilot:
        await unlock(again, pilot)
        await pilot.pause()
        assert isinstance(again.screen, NoteScreen) and again.screen.hearing_id == hearing_id
        assert again.screen.query_one("#note-line", Input).value == "half a sent"
        assert any("put back" in str(n.message) for n in again._notifications)


async def test_discreet_mode_hides_names_on_the_trials_list(app) -> None:  # type: ignore[no-untyped-def]
    with vault_session(app.vault_dir) as s:
        ana = s.exec(select(contacts.Contact).where(contacts.Contact.codename == "Heron-101")).one()
        trial = trials.create_trial(
            s, {"title": "State v. Ana Núñez", "case_number": "2026/114", "court": "District"}, [ana]
        )
        trials.add_hearing(s, trial, {"starts_at": wallclock.local_now() + timedelta(days=3)})
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        table = app.screen.query_one("#trials", RowList)
        row = table.get_row_at(0)
        assert row[0].startswith("State v. Ana") and row[1] == "2026/114" and row[2] == "Ana Núñez"
        assert row[5] == str(FROZEN_DAY + timedelta(days=3))
        await pilot.press("d")
        await pilot.pause()
        row = table.get_row_at(0)
        assert "Ana" not in " ".join(row) and row[1] == "2026/114" and row[2] == "Heron-101"
        await pilot.press("f", "f")  # ongoing only: this one is pre-trial
        await pilot.pause()
        assert table.row_count == 0 and "ongoing" in str(app.screen.query_one("#trials-status").render())
        await pilot.press("f", "f", "f", "f")  # verdict, appeal, closed, then all statuses again
        await pilot.pause()
        assert table.row_count == 1 and "all statuses" in str(app.screen.query_one("#trials-status").render())


async def hearing_today(app) -> str:  # type: ignore[no-untyped-def]
    with vault_session(app.vault_dir) as s:
        trial = trials.create_trial(s, {"title": "State v. Ana Núñez", "case_number": "2026/1", "court": "District"})
        hearing = trials.start_hearing_now(s, trial, wallclock.local_now())
        trials.update_hearing(s, hearing, {"judges": "Judge Ana Vidal", "defence_counsel": "Counsel Bob Aké"})
        trials.add_note(s, hearing, "t: witness says 3 men")
        return hearing.id


async def test_keys_typed_in_the_log_go_into_the_line_not_to_the_sections(app) -> None:  # type: ignore[no-untyped-def]
    await hearing_today(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("w", "up")  # the log has the focus
        await pilot.pause()
        await pilot.press(*"t: x")  # t is also Today, a colon, a space...
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        field = app.screen.query_one("#note-line", Input)
        assert field.value == "t: x" and field.has_focus


async def test_a_lock_in_the_middle_of_a_correction_keeps_it_a_correction(app) -> None:  # type: ignore[no-untyped-def]
    hearing_id = await hearing_today(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("w", "up", "enter")  # correct the one line
        await pilot.pause()
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", *"4 men")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.locked
        await unlock(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)  # back, with the text, still correcting
        field = app.screen.query_one("#note-line", Input)
        assert field.value == "t: witness says 4 men"
        await pilot.press(*" today", "enter")  # typing after the recovery adds to the text
        await pilot.pause()
        with app.session() as s:
            lines = trials.note_log(s, hearing_id)
        assert len(lines) == 1 and lines[0].note.text == "witness says 3 men"
        assert lines[0].text == "witness says 4 men today"


async def test_discreet_mode_hides_people_on_the_hearing_screen_and_w_waits_for_a_form(app) -> None:  # type: ignore[no-untyped-def]
    hearing_id = await hearing_today(app)
    async with app.run_test(size=(80, 40)) as pilot:
        await unlock(app, pilot)
        app.push_screen(HearingScreen(hearing_id))
        await pilot.pause()
        header = str(app.screen.query_one("#hearing-header").render())
        assert "Judge Ana Vidal" in header and "Counsel Bob" in header
        await pilot.press("d")
        await pilot.pause()
        header = str(app.screen.query_one("#hearing-header").render()) + str(
            app.screen.query_one("#hearing-title").render()
        )
        assert "Vidal" not in header and "Bob" not in header and "Ana Núñez" not in header
        await pilot.press("e")  # the observer's header form: w must not jump over it
        await pilot.pause()
        assert isinstance(app.screen, HearingFormScreen)
        assert app.screen.query_one("#field-judges", Input).password  # dots in discreet mode
        app.screen.set_focus(None)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, HearingFormScreen)


async def test_a_hearing_with_no_end_time_edits_with_an_empty_end_and_keeps_none(app) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: an empty date-time field showed "now" (Ends: now), and saving the header set the end."""
    hearing_id = await hearing_today(app)
    async with app.run_test(size=(80, 40)) as pilot:
        await unlock(app, pilot)
        app.push_screen(HearingScreen(hearing_id))
        await pilot.pause()
        assert "Ends: -" in str(app.screen.query_one("#hearing-header").render())
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, HearingFormScreen)
        assert app.screen.query_one("#field-ends_at", Input).value == ""
        assert app.screen.query_one("#field-starts_at", Input).value != "now"  # the time it started
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HearingScreen)
        with app.session() as s:
            assert s.get(Hearing, hearing_id).ends_at is None  # type: ignore[union-attr]


async def test_the_hearing_and_the_trial_show_the_short_id_reports_cite(app) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: the 8 characters reports cite ([hearing 91b97c96]) and commands take are on the detail views."""
    hearing_id = await hearing_today(app)
    async with app.run_test(size=(80, 40)) as pilot:
        await unlock(app, pilot)
        app.push_screen(HearingScreen(hearing_id))
        await pilot.pause()
        assert f"Id: {hearing_id[:8]} " in str(app.screen.query_one("#hearing-header").render())
        with app.session() as s:
            trial_id = s.get(Hearing, hearing_id).trial_id  # type: ignore[union-attr]
        app.push_screen(TrialScreen(trial_id))
        await pilot.pause()
        assert f"Id: {trial_id[:8]} " in str(app.screen.query_one("#trial-facts").render())
