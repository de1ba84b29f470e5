"""Keys that arrive together: a stalled link delivers a burst, a paste a block of
text. Here the keys are handed to the app the way its terminal driver hands them,
all at once with no wait between them (Pilot's ``press`` waits after each key, so it
never shows the problem), and the app must deliver each whole, in the order typed:
note lines saved each once and in order, a paste never cut, a form's keys kept in
the form, keys typed during an unlock given to what it opens. The real app on a
real encrypted vault (Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSPHRASE, unlock
from helpers.bursts import burst
from textual import events
from textual.widgets import Input

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.screens.case_forms import CaseFormScreen
from hrd_tui.screens.contact_form import ContactFormScreen
from hrd_tui.screens.contacts import ContactsScreen
from hrd_tui.screens.notes import NoteScreen
from hrd_tui.services import contacts, trials
from hrd_tui.vocab import NoteTag


def typed(*lines: str) -> list[str]:
    """Each line's characters, then Enter."""
    return [key for line in lines for key in (*line, "enter")]


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def hearing(vault_dir: Path) -> str:
    """Two contacts, and a trial with a hearing that started a moment ago: its id."""
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session("test data") as session:
        ana = contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
        contacts.create_contact(session, {"name": "Борис Петров", "codename": "Cedar-202"})
        trial = trials.create_trial(
            session,
            {"title": "State v. Ana Núñez", "court": "Port Calder District Court", "case_number": "2026/114"},
            [ana],
        )
        return trials.add_hearing(session, trial, {"starts_at": wallclock.local_now()}).id


@pytest.fixture
def app(hearing: str, vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)


async def at_the_note_line(app, pilot, hearing: str) -> Input:  # type: ignore[no-untyped-def]
    await unlock(app, pilot)
    await pilot.press("w")  # the hearing in progress
    await pilot.pause()
    assert isinstance(app.screen, NoteScreen) and app.screen.hearing_id == hearing
    return app.screen.query_one("#note-line", Input)


def saved_notes(app, hearing: str) -> list[str]:  # type: ignore[no-untyped-def]
    with app.session("test") as session:
        return [line.text for line in trials.note_log(session, hearing)]


async def test_five_lines_in_one_burst_are_five_notes_in_order(app, hearing: str) -> None:  # type: ignore[no-untyped-def]
    lines = ["alpha one", "bravo two", "charlie three", "delta four", "echo five"]
    async with app.run_test(size=(80, 24)) as pilot:
        field = await at_the_note_line(app, pilot, hearing)
        await burst(app, pilot, *typed(*lines))
        assert saved_notes(app, hearing) == lines
        assert field.value == ""


async def test_a_pasted_block_after_typed_text_is_a_note_a_line_in_order(app, hearing: str) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        field = await at_the_note_line(app, pilot, hearing)
        await burst(app, pilot, *"t: the witness ", events.Paste("says 400 people\nwere outside\nthe court\n"))
        assert saved_notes(app, hearing) == ["the witness says 400 people", "were outside", "the court"]
        with app.session("test") as session:
            assert trials.note_log(session, hearing)[0].note.tag == NoteTag.TESTIMONY  # the shorthand still read
        assert field.value == ""
        assert "3 lines saved." in notices(app)


async def test_two_pasted_lines_in_a_form_field_are_joined_and_said(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("c", "n")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormScreen)
        await burst(app, pilot, events.Paste("Maria José\r\nda Silva-Ortega"))
        assert app.screen.query_one("#field-name", Input).value == "Maria José da Silva-Ortega"
        assert any("2 pasted lines joined into one" in notice for notice in notices(app))


async def test_a_section_key_after_a_burst_into_the_case_form_leaves_nothing(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await burst(app, pilot, "a", "n", *"Raid on the Lark office", "tab", *"Heron-101", "tab", "1")
        assert isinstance(app.screen, CaseFormScreen)
        form = app.screen
        assert form.query_one("#field-title", Input).value == "Raid on the Lark office"
        assert form.query_one("#field-defenders", Input).value == "Heron-101"
        assert "Save (F2) or leave (Esc) this form first." in notices(app)


async def test_keys_typed_right_after_the_passphrase_go_to_the_unlocked_app(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(app, pilot, *typed(PASSPHRASE), "c")
        assert not app.locked
        assert isinstance(app.screen, ContactsScreen)
