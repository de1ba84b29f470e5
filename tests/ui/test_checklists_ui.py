"""The checklist walkthrough by keys alone, resume, and a snapshot at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSPHRASE, unlock
from helpers.app import until_gone
from textual.widgets import DataTable, Input, OptionList

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.screens.checklists import (
    ChecklistsScreen,
    ImportTemplateModal,
    NoteModal,
    StartChecklistModal,
    WalkthroughScreen,
)
from hrd_tui.services import checklists
from hrd_tui.vocab import ItemStatus


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)


async def start_fair_trial(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("k")  # Checklists
    await pilot.pause()
    assert isinstance(app.screen, ChecklistsScreen)
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(app.screen, StartChecklistModal)
    options = app.screen.query_one(OptionList)
    options.highlighted = next(
        i for i in range(options.option_count) if options.get_option_at_index(i).id == "fair-trial"
    )
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")  # attached to: the first choice, "Not attached"
    await pilot.pause()
    assert isinstance(app.screen, WalkthroughScreen)


async def test_a_whole_walkthrough_by_keys_with_a_note_and_resume(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await start_fair_trial(app, pilot)
        run_id = app.screen.run_id
        await pilot.press("space")  # item 1 done, moves to 2
        await pilot.press("n")  # item 2 not applicable
        await pilot.press("b")  # item 3 blocked
        await pilot.press("k")  # back up to item 3
        await pilot.press("enter")  # its note
        await pilot.pause()
        assert isinstance(app.screen, NoteModal)
        await pilot.press(*"no lawyer at arrest", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen)
        await pilot.press("j", "j")  # down to item 5
        await pilot.press("space")
        counts = str(app.screen.query_one("#walk-counts").render())
        assert "3/20" in counts and "blocked 1" in counts
        await pilot.press("escape")  # back to the list: resumes here later
        await pilot.pause()
        assert isinstance(app.screen, ChecklistsScreen)
        table = app.screen.query_one("#runs", DataTable)
        assert table.row_count == 1 and "3/20" in str(table.get_row_at(0)[1])
        assert str(table.get_row_at(0)[3]) == run_id[:8]  # as 'hrd-tui export checklist RUN' takes it (issue 16)
        with app.session() as s:
            run = checklists.get_run(s, run_id)
            states = checklists.states(s, run)
            template = checklists.template_of(s, run)
            ids = [item["id"] for item in template.items]
            assert [states[i].status for i in ids[:5]] == [
                ItemStatus.DONE,
                ItemStatus.NOT_APPLICABLE,
                ItemStatus.BLOCKED,
                ItemStatus.OPEN,
                ItemStatus.DONE,
            ]
            assert states[ids[2]].note == "no lawyer at arrest"
            assert run.current_item == ids[5]
        await pilot.press("enter")  # open it again: resumes at item 6
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen) and app.screen.current == 5


def test_walkthrough_snapshot(snap_compare, app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import itertools
    import uuid
    from types import SimpleNamespace

    from hrd_tui.models import common

    numbers = itertools.count(1)  # the run's id is on screen: the same one each time
    monkeypatch.setattr(common, "uuid", SimpleNamespace(uuid4=lambda: uuid.UUID(int=next(numbers))))

    async def walk(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlock(pilot.app, pilot)
        await start_fair_trial(pilot.app, pilot)
        await pilot.press("space", "n")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=walk)


async def test_start_checklist_is_in_the_palette_from_anywhere(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Start checklist")
        command.callback()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, StartChecklistModal)


async def test_attach_to_a_reporting_period_and_import_from_the_screen(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\nid = "x"\nversion = 1\ntitle = "X"\nsection = "I"\n')
    good = tmp_path / "good.toml"
    good.write_text(
        'schema = 1\nid = "visit"\nversion = 1\ntitle = "Visit"\nsection = "II"\n\n[[item]]\n'
        'id = "ask"\ntext = "Ask"\nguidance = "Politely."\n'
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("k", "i")
        await pilot.pause()
        field = app.screen.query_one("#path", Input)
        field.value = str(bad)
        await pilot.press("enter")  # read and checked on a worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "bad.toml" in str(app.screen.query_one("#import-status").render())
        assert "missing 'item'" in str(app.screen.query_one("#import-status").render())
        assert field.value == str(bad)  # what was typed is kept
        field.value = str(good)
        await pilot.press("enter")
        await until_gone(app, pilot, ImportTemplateModal)  # imported on a worker, then dismissed
        assert isinstance(app.screen, ChecklistsScreen)
        await pilot.press("s")
        await pilot.pause()
        options = app.screen.query_one("#templates", OptionList)
        options.highlighted = next(
            i for i in range(options.option_count) if options.get_option_at_index(i).id == "visit"
        )
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # the reporting period
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen)
        with app.session() as s:
            run = checklists.get_run(s, app.screen.run_id)
            assert run.template_id == "visit" and run.period_start is not None and run.case_id is None


async def test_place_survives_lock_and_the_palette_works_from_the_walkthrough(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await start_fair_trial(app, pilot)
        run_id = app.screen.run_id
        await pilot.press("down", "down", "down")  # to item 4, no change made
        await pilot.press("ctrl+l")
        await pilot.pause()
        await unlock(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        with app.session() as s:
            run = checklists.get_run(s, run_id)
            assert run.current_item == checklists.template_of(s, run).items[3]["id"]
        # back in the walkthrough at the same item, with no key pressed
        assert isinstance(app.screen, WalkthroughScreen) and app.screen.current == 3
        await pilot.press("escape", "k")  # the checklists section again (it was the current one): no clash
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen) and app.screen.current == 3
        app.action_start_checklist()  # from inside the walkthrough
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, StartChecklistModal)


async def test_a_refused_change_is_reported_not_fatal(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await start_fair_trial(app, pilot)
        screen = app.screen
        screen.notes_before = dict(screen.notes)
        screen.action_note()
        await pilot.pause()
        app.screen.query_one("#note").value = "x" * 100_001  # over the note's limit
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen) and app.return_code is None


async def test_export_a_run_from_the_app_with_its_id_shown(vault_dir: Path, tmp_path: Path) -> None:
    """Issue 22: a run could not be exported from the app and its id was shown nowhere on the
    walkthrough. x writes exactly the CLI's Markdown, mode 0600, and asks before replacing a file."""
    from hrd_tui.screens.reports import SaveModal
    from hrd_tui.screens.widgets.confirm import ConfirmModal

    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    out = tmp_path / "exports"
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today, export_dir=out)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await start_fair_trial(app, pilot)
        run_id = app.screen.run_id
        assert f"Id: {run_id[:8]}" in str(app.screen.query_one("#walk-title").render())
        await pilot.press("j", "enter", *"asked the clerk", "enter")  # a note alone on item 2
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, SaveModal)
        assert app.screen.query_one(Input).value == str(out / f"checklist-{run_id[:8]}.md")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        target = out / f"checklist-{run_id[:8]}.md"
        assert target.stat().st_mode & 0o777 == 0o600
        with app.session() as s:
            assert target.read_text("utf-8") == checklists.export_markdown(s, checklists.get_run(s, run_id))
        assert "   - Note: asked the clerk\n   - Changed: " in target.read_text("utf-8")
        target.write_text("mine")
        await pilot.press("escape")  # the list: x exports the highlighted run, and asks before replacing
        await pilot.pause()
        assert isinstance(app.screen, ChecklistsScreen)
        await pilot.press("x", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "exists" in str(
            app.screen.query_one("#confirm-question").render()
        )
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert target.read_text() == "mine"
        assert isinstance(app.screen, ChecklistsScreen)
