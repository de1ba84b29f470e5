"""Back where the officer was: after a lock, or a restart after a crash or a hang-up,
the same screens (the case, the form on top of it), the focused field and every
typed text, with one short notice; a deliberate quit starts afresh. The real app on
a real encrypted vault (Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSPHRASE, unlock
from textual.widgets import Input

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.screens.case_forms import ActionModal, EventModal
from hrd_tui.screens.places import rebuild
from hrd_tui.screens.threats import CaseScreen, ThreatsScreen
from hrd_tui.services import contacts, threats


@pytest.fixture
def vault(vault_dir: Path) -> Path:
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        ana = contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
        threats.open_case(session, {"title": "Threats after the march"}, [ana])
    opened.close()
    return vault_dir


def new_app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_app(vault_dir, settings_path=tmp_path / "settings.json")


async def into_an_action_form(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """The case list, the case, a new action with its title typed and the focus one field on."""
    await unlock(app, pilot)
    await pilot.press("a", "enter", "l")
    await pilot.pause()
    assert isinstance(app.screen, ActionModal)
    await pilot.press(*"Call the lawyer", "tab")
    await pilot.pause()


def stack(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [type(screen).__name__ for screen in app.screen_stack[1:]]


async def back_from_unlock(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await unlock(app, pilot)
    await app.workers.wait_for_complete()  # the screens are rebuilt in a worker
    await pilot.pause()


def recovered_notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications if n.title == "Recovered"]


async def test_a_lock_inside_a_case_form_comes_back_to_the_form_text_and_focus(vault: Path, tmp_path: Path) -> None:
    app = new_app(vault, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await into_an_action_form(app, pilot)
        focused = app.focused.id
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.locked and [type(s).__name__ for s in app.screen_stack] == ["UnlockScreen"]
        await back_from_unlock(app, pilot)
        assert stack(app) == ["ThreatsScreen", "CaseScreen", "ActionModal"]
        assert app.screen.query_one("#field-title", Input).value == "Call the lawyer"
        assert app.focused is not None and app.focused.id == focused
        assert len(recovered_notices(app)) == 1  # one short notice, not one per field


async def test_a_restart_after_a_crash_comes_back_to_the_same_screens(vault: Path, tmp_path: Path) -> None:
    first = new_app(vault, tmp_path)
    async with first.run_test(size=(80, 24)) as pilot:
        await unlock(first, pilot)
        await pilot.press("a", "enter", "n")  # a timeline event on the case
        await pilot.pause()
        assert isinstance(first.screen, EventModal)
        await pilot.press(*"Police came to the office")
        first.flush_drafts()  # the 2-second timer's save: all a crash leaves behind
        first.vault.close()  # then the process dies: nothing saved after this point
        first.vault = None
    again = new_app(vault, tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await back_from_unlock(again, pilot)
        assert stack(again) == ["ThreatsScreen", "CaseScreen", "EventModal"]
        assert again.screen.query_one("#field-text", Input).value == "Police came to the office"


async def test_a_deliberate_quit_starts_afresh(vault: Path, tmp_path: Path) -> None:
    first = new_app(vault, tmp_path)
    async with first.run_test(size=(80, 24)) as pilot:
        await unlock(first, pilot)
        await pilot.press("a", "enter")
        await pilot.pause()
        assert isinstance(first.screen, CaseScreen)
        await pilot.press("q")
        await pilot.pause()
    again = new_app(vault, tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await back_from_unlock(again, pilot)
        assert stack(again) == ["TodayScreen"]


async def test_q_and_section_keys_inside_a_form_do_not_leave_it(vault: Path, tmp_path: Path) -> None:
    app = new_app(vault, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("a", "n")
        await pilot.pause()
        await pilot.press("tab", "tab")  # to the urgency choice: not a text field
        await pilot.press("1", "c", "q")
        await pilot.pause()
        assert stack(app) == ["ThreatsScreen", "CaseFormScreen"]
        assert any("this form first" in str(n.message) for n in app._notifications)


@pytest.mark.parametrize(
    "entry",
    [
        {"screen": "os:system", "args": ["true"]},  # nothing outside the screens package
        {"screen": "hrd_tui.screens.threats:ThreatsScreen", "args": []},  # a section, not a placed screen
        {"screen": "hrd_tui.screens.threats:CaseScreen", "args": [{"x": 1}]},  # ids only, never objects
        {"screen": "hrd_tui.screens.threats:CaseScreen.__init__", "args": ["x"]},
        {"screen": "hrd_tui.screens.nowhere:CaseScreen", "args": ["x"]},
    ],
)
def test_a_place_names_only_placed_screens_built_from_plain_values(entry: dict) -> None:
    assert rebuild(entry) is None


def test_a_placed_screen_is_rebuilt_from_its_own_arguments() -> None:
    screen = rebuild({"screen": "hrd_tui.screens.threats:CaseScreen", "args": ["abc"], "kwargs": {}})
    assert isinstance(screen, CaseScreen) and screen._place_args == (["abc"], {})
    assert not isinstance(screen, ThreatsScreen)


async def test_the_first_prompt_under_the_section_keeps_no_passphrase(vault: Path, tmp_path: Path) -> None:
    """The unlock prompt is the app's bottom screen (drawn whole in the first frame): once
    the vault is open its field is emptied, and a lock shows it again empty."""
    from hrd_tui.screens.unlock import UnlockScreen

    app = new_app(vault, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        bottom = app.screen_stack[0]
        assert isinstance(bottom, UnlockScreen) and len(app.screen_stack) == 2
        assert bottom.query_one("#secret", Input).value == ""
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen is bottom and app.focused is bottom.query_one("#secret", Input)
        assert bottom.query_one("#secret", Input).value == "" and not bottom.query_one("#secret", Input).disabled


async def test_an_unexpected_error_saves_what_is_typed_before_the_vault_closes(vault: Path, tmp_path: Path) -> None:
    """A crash inside the app (not a killed process): the handler saves drafts and the
    place before it closes the vault, so the next unlock has them."""
    first = new_app(vault, tmp_path)

    def boom() -> None:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        async with first.run_test(size=(80, 24)) as pilot:
            await into_an_action_form(first, pilot)
            first.unsaved_drafts.clear()  # nothing left for a timer: only the handler can save it
            first.call_later(boom)
            await pilot.pause()
    assert first.vault is None
    again = new_app(vault, tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await back_from_unlock(again, pilot)
        assert stack(again) == ["ThreatsScreen", "CaseScreen", "ActionModal"]
        assert again.screen.query_one("#field-title", Input).value == "Call the lawyer"


async def test_the_place_is_taken_safely_while_a_form_is_still_composing(vault: Path, tmp_path: Path) -> None:
    """The 2-second save can fire between a form's push and its fields' mount."""
    from hrd_tui.screens.case_forms import CaseFormScreen

    app = new_app(vault, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        app.push_screen(CaseFormScreen(None))
        place = app._place_now()  # no await: the form has not composed its fields yet
        assert '"hrd_tui.screens.case_forms:CaseFormScreen"' in place
        await pilot.pause()
        app.screen.query_one("#field-title", Input).value = "Half a title"
        await app.screen.query_one("#field-summary").remove()  # as if not yet composed
        assert '"title": "Half a title"' in app._place_now()


async def test_a_lock_on_a_list_comes_back_to_the_same_record(vault_dir: Path, tmp_path: Path) -> None:
    """The threats list scrolled to a case: after the lock, the cursor is on that case again
    (by record, not by row: the list may have changed meanwhile)."""
    from hrd_tui.screens.widgets.row_list import RowList

    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        ana = contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
        for n in range(6):
            threats.open_case(session, {"title": f"Case number {n}"}, [ana])
    opened.close()
    app = new_app(vault_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("a", "down", "down", "down")
        await pilot.pause()
        before = app.screen.query_one("#threats", RowList).cursor_key
        assert before is not None and app.screen.query_one("#threats", RowList).cursor_row == 3
        await pilot.press("ctrl+l")
        await pilot.pause()
        await back_from_unlock(app, pilot)
        rows = app.screen.query_one("#threats", RowList)
        assert app.focused is rows and rows.cursor_key == before
