"""The app shell through Pilot: create, unlock, wrong passphrase, lock, idle lock,
discreet mode, navigation, palette, help. Real vault, real KDF (test parameters)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import PASSPHRASE, unlock
from helpers.clock import FakeClock
from textual.widgets import Input, Static

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import PLACE_KEY, make_app
from hrd_tui.screens.help import HelpScreen  # noqa: E402
from hrd_tui.screens.sections import SectionScreen
from hrd_tui.screens.unlock import CreateScreen, RecoveryCodeScreen, UnlockScreen
from hrd_tui.screens.widgets.discreet_badge import DiscreetBadge


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


@pytest.fixture
def existing(vault_dir: Path) -> Path:
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return vault_dir


async def test_create_shows_the_recovery_code_once_then_today(vault_dir: Path, settings: Path) -> None:
    app = make_app(vault_dir, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, CreateScreen)
        app.screen.query_one("#first", Input).value = "abc"
        app.screen.query_one("#second", Input).focus()
        await pilot.press("enter")
        assert "Too weak" in str(app.screen.query_one("#unlock-status", Static).content)
        app.screen.query_one("#first", Input).value = "five unrelated words here now"
        app.screen.query_one("#second", Input).value = "five unrelated words here now"
        app.screen.query_one("#second", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, RecoveryCodeScreen)
        code = str(app.screen.query_one("#recovery-code", Static).content)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SectionScreen) and app.screen.section.name == "today"
    with vault_mod.unlock(vault_dir, vault_mod.Secret(code, kind="recovery")):
        pass


async def test_wrong_passphrase_clears_the_field_and_says_so(existing: Path, settings: Path) -> None:
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot, "not the passphrase")
        assert isinstance(app.screen, UnlockScreen)
        assert "wrong passphrase" in str(app.screen.query_one("#unlock-status", Static).content)
        assert app.screen.query_one("#secret", Input).value == ""
        assert app.locked


async def test_unlock_navigate_lock_and_come_back_to_the_same_section(existing: Path, settings: Path) -> None:
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        assert not app.locked
        for key, name in (
            ("c", "contacts"),
            ("a", "threats"),
            ("o", "trials"),
            ("k", "checklists"),
            ("m", "monitoring"),
            ("r", "reports"),
            ("3", "threats"),
            ("t", "today"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.section.name == name
        await pilot.press("c")
        app.notify("a toast that could quote a name")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.locked and isinstance(app.screen, UnlockScreen)
        assert len(app.screen_stack) == 1 and not app._notifications  # the prompt alone: no screen with data
        assert app.vault is None and app.sub_title == ""
        await pilot.press("c")  # keys that need the vault do nothing while locked
        assert isinstance(app.screen, UnlockScreen)
        await unlock(app, pilot)
        assert app.screen.section.name == "contacts"


async def test_idle_lock_with_a_controllable_clock(existing: Path, settings: Path) -> None:
    clock = FakeClock()
    app = make_app(existing, settings_path=settings, clock=clock, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        clock.now += 4 * 60
        app.check_idle_lock()
        assert not app.locked
        await pilot.press("c")  # activity resets the idle time
        clock.now += 4 * 60
        app.check_idle_lock()
        assert not app.locked
        clock.now += 61
        app.check_idle_lock()
        await pilot.pause()
        assert app.locked and isinstance(app.screen, UnlockScreen)


async def test_discreet_mode_shows_an_indicator_and_persists(existing: Path, settings: Path) -> None:
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        badge = app.screen.query_one(DiscreetBadge)  # drawn on top, at the top right
        assert badge.display and app.screen.get_widget_at(badge.region.x, 0)[0] is badge
    again = make_app(existing, settings_path=settings, today=wallclock.today)
    assert again.discreet is True


async def test_help_lists_screen_and_global_keys(existing: Path, settings: Path) -> None:
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {row[1]: row[0] for row in app.screen.rows}
        assert rows["Lock"] == "^l" and rows["Discreet mode"] == "d" and rows["Help"] == "f1, ?"
        assert rows["Active threats"] == "a, 3" and "^p" in rows["Open the command palette"]
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, SectionScreen)


async def test_palette_holds_the_plain_named_commands(existing: Path, settings: Path) -> None:
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {
            "Lock",
            "Discreet mode",
            "Help",
            "Go to contacts",
            "Go to active threats",
            "Go to trials",
            "Go to checklists",
            "Go to civic space",
            "Go to reports",
            "Go to today",
        } <= titles
        lock = next(c for c in app.get_system_commands(app.screen) if c.title == "Lock")
        lock.callback()
        await pilot.pause()
        assert app.locked


def test_every_binding_has_an_id_and_no_swallowed_keys() -> None:
    from hrd_tui.app import HrdApp
    from hrd_tui.screens.help import HelpScreen as H
    from hrd_tui.screens.unlock import CreateScreen as C
    from hrd_tui.screens.unlock import RecoveryCodeScreen as R
    from hrd_tui.screens.unlock import UnlockScreen as U

    swallowed = {"ctrl+enter", "shift+enter", "ctrl+h", "ctrl+i", "ctrl+j", "ctrl+m", "ctrl+b"}
    for owner in (HrdApp, H, C, R, U):
        for binding in owner.BINDINGS:
            assert binding.id, (owner.__name__, binding.key)
            keys = set(binding.key.split(","))
            assert not keys & swallowed, binding.key
            assert not any(k.startswith("ctrl+shift") for k in keys)
            assert keys != {"escape"}, "Escape must never be the only way"


@pytest.fixture
def build():  # type: ignore[no-untyped-def]
    """The app shell with a section screen that has a text field (tests/helpers/draft_app.py)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "helpers"))
    from draft_app import build as build_draft_app

    return build_draft_app


async def test_lock_saves_unfinished_text_encrypted_and_unlock_puts_it_back(
    existing: Path, settings: Path, build
) -> None:  # type: ignore[no-untyped-def]
    from conftest import find_markers

    app = build(existing, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("c")  # leave today (its text field has focus: 'c' is typed there)
        assert app.screen.section.name == "today"
        app.screen.query_one("#jot").value = ""
        await pilot.press(*"SECRET-DRAFT-42")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.locked
        assert find_markers([existing], ["SECRET-DRAFT-42"]) == []  # saved, but encrypted
        await unlock(app, pilot)
        assert app.screen.query_one("#jot").value == "SECRET-DRAFT-42"
    again = build(existing, settings)  # and it survives a restart
    async with again.run_test(size=(80, 24)) as pilot:
        await unlock(again, pilot)
        assert again.screen.query_one("#jot").value == "SECRET-DRAFT-42"


async def test_drafts_are_saved_every_two_seconds_while_typing(existing: Path, settings: Path, build) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui import vault as v
    from hrd_tui.services import drafts

    app = build(existing, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press(*"half a line")
        typed = {k: v for k, v in app.drafts.items() if k != PLACE_KEY}  # the 2-s timer may have saved the place
        assert typed == {"test:today": "half a line"} and app.unsaved_drafts - {PLACE_KEY} == {"test:today"}
        app.save_drafts_in_background()  # what the 2-second timer does: on a worker
        assert "test:today" in app._drafts_in_flight
        await app.workers.wait_for_complete()
        await pilot.pause()
        with app.vault.store.session() as s:
            assert drafts.load(s, "test:today") == "half a line"
        assert "test:today" not in app.unsaved_drafts and not app._drafts_in_flight
        app.screen.query_one("#jot").committed()
        with app.vault.store.session() as s:
            assert drafts.load(s, "test:today") is None
    assert v.exists(existing)


async def test_a_late_worker_never_writes_back_text_older_than_a_save_since(
    existing: Path, settings: Path, build
) -> None:  # type: ignore[no-untyped-def]
    """The timer's copy is written by its worker after the note was committed (its
    draft cleared at once): the old text must not come back as a draft."""
    from hrd_tui.services import drafts

    app = build(existing, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press(*"a note")
        late = app._copy_drafts({"test:today"})  # what the timer took, its worker not yet run
        app.screen.query_one("#jot").committed()  # saved for real: the draft cleared, now
        assert app._write_drafts(*late, app.vault) is None  # the worker, late: skipped
        with app.vault.store.session() as s:
            assert drafts.load(s, "test:today") is None


@pytest.mark.parametrize("first", ["the worker", "the lock"])
async def test_a_lock_while_the_timer_saves_on_a_worker_keeps_the_newest_text(
    existing: Path, settings: Path, build, first: str
) -> None:  # type: ignore[no-untyped-def]
    """The worker's copy is older than the text at the lock: whichever of the two writes
    gets the vault first, the newest text is what the vault holds after."""
    import threading

    from hrd_tui.services import drafts

    app = build(existing, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press(*"old")
        vault = app.vault
        app._drafts_lock.acquire()  # the worker's write waits here
        app.save_drafts_in_background()
        await pilot.press(*" and new")
        if first == "the worker":
            threading.Timer(0.3, app._drafts_lock.release).start()
            await asyncio.sleep(0.5)  # the worker has written its (older) copy by now
        else:
            threading.Timer(0.3, app._drafts_lock.release).start()  # the lock's flush waits for it
        await pilot.press("ctrl+l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.locked
        reopened = vault_mod.unlock(existing, vault_mod.Secret(PASSPHRASE))
        with reopened, reopened.store.session() as s:
            assert drafts.load(s, "test:today") == "old and new"
        assert vault is not None and app.vault is None


async def test_a_large_terminal_works_too(existing: Path, settings: Path) -> None:
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(200, 60)) as pilot:
        await unlock(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.section.name == "monitoring"
        assert app.screen.query_one("#monitoring-detail").region.width > 100  # the screen takes the width


async def test_text_survives_leaving_the_section_and_coming_back(existing: Path, settings: Path, build) -> None:  # type: ignore[no-untyped-def]
    app = build(existing, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press(*"IMPORTANT")
        app.action_go("reports")
        await pilot.pause()
        app.action_go("today")
        await pilot.pause()
        assert app.screen.query_one("#jot").value == "IMPORTANT"
        await pilot.press("ctrl+l")
        await pilot.pause()
        await unlock(app, pilot)
        assert app.screen.query_one("#jot").value == "IMPORTANT"


async def test_an_unexpected_error_closes_the_vault_and_prints_no_traceback(
    existing: Path, settings: Path, capfd
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    secret_local = "Ahmed the defender"  # noqa: F841 - what a traceback with locals would show

    def boom() -> None:
        raise RuntimeError(f"failed while showing {secret_local}")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(app, pilot)
            app.call_later(boom)
            await pilot.pause()
    assert app.vault is None and app.return_code == 70
    out, err = capfd.readouterr()
    assert "internal error (RuntimeError)" in out + err
    assert "Ahmed" not in out + err and "Traceback" not in out + err


async def test_what_lives_while_unlocked_is_frozen_from_the_collector_until_the_lock(
    existing: Path, settings: Path
) -> None:
    """The cyclic collector's full passes skip what was alive at unlock (a worker drafting
    a report otherwise stalls the event loop while they walk it: bench_reports); the lock
    hands it all back, so what the session held is collected with the key gone."""
    import gc

    gc.unfreeze()
    app = make_app(existing, settings_path=settings)
    async with app.run_test() as pilot:
        await unlock(app, pilot)
        await pilot.pause()
        assert gc.get_freeze_count() > 0
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert gc.get_freeze_count() == 0


async def test_a_worker_hands_the_interpreter_back_to_the_screen_every_millisecond(
    existing: Path, settings: Path
) -> None:
    """The app shortens the interpreter's switch interval (bench_reports' screen figure
    measures what it buys: the longest stall while a worker drafts a year's report)."""
    import sys

    from hrd_tui.app import WORKER_SWITCH_SECONDS

    sys.setswitchinterval(0.005)  # Python's default
    app = make_app(existing, settings_path=settings)
    async with app.run_test():
        assert sys.getswitchinterval() == pytest.approx(WORKER_SWITCH_SECONDS)
