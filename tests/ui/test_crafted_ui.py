"""Crafted files from the app's import screens: read in a worker ("Reading..." meanwhile,
the screen answering keys), refused with a message on the screen, and the screen still
usable afterwards. Never a crash, never a worker failure."""

from __future__ import annotations

import sys
import threading
import zlib
from pathlib import Path

import pytest
from conftest import PASSPHRASE, unlock
from textual.widgets import DataTable, Input

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.screens.contact_import import ImportContactsScreen
from hrd_tui.screens.handover import HandoverImportScreen
from hrd_tui.services import contact_io

sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))
from test_crafted_files import BUNDLE_PASSPHRASE, deep_document, sealed  # noqa: E402


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)


def summary(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#import-summary").render())


async def import_file(app, pilot, path: Path) -> ImportContactsScreen:  # type: ignore[no-untyped-def]
    """The contact import screen over the open vault, ``path`` typed and Enter pressed."""
    app.push_screen(ImportContactsScreen())
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ImportContactsScreen)
    screen.query_one("#import-path", Input).value = str(path)
    await pilot.press("enter")
    return screen


async def test_contact_import_reads_in_a_worker_and_shows_a_refusal(
    app,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crafted = tmp_path / "crafted.csv"
    crafted.write_text("codename,name\nHeron-1," + "x," * (10 << 20) + "\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("name,kind\nEva Lind,defender\n", encoding="utf-8")
    release = threading.Event()
    real_read = contact_io.read_file

    def slow_read(path):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real_read(path)

    monkeypatch.setattr(contact_io, "read_file", slow_read)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        screen = await import_file(app, pilot, crafted)
        await pilot.pause()
        assert "Reading..." in summary(app)  # the worker waits: the UI thread does not
        await pilot.press("x")  # keys still go to the screen while the file is read
        await pilot.pause()
        assert screen.query_one("#import-path", Input).value.endswith("x")
        screen.query_one("#import-path", Input).value = str(crafted)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen and "too long" in summary(app), summary(app)
        assert screen.plan is None
        screen.query_one("#import-path", Input).value = str(good)
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "1 new" in summary(app)
        assert screen.query_one("#import-rows", DataTable).row_count == 1


async def test_contact_import_shows_an_internal_failure_as_a_message(
    app,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    monkeypatch.setattr(contact_io, "parse", lambda *a: (_ for _ in ()).throw(RecursionError("deep")))
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await import_file(app, pilot, path)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ImportContactsScreen) and app.is_running
        assert "internal error: RecursionError" in summary(app)


async def test_a_crafted_bundle_is_refused_on_the_screen_which_stays_usable(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deep = tmp_path / "deep.bundle"
    deep.write_bytes(sealed(zlib.compress(deep_document(100_000), 9)))
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        app.action_import_handover()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoverImportScreen)
        screen.query_one("#handover-path", Input).value = str(deep)
        screen.query_one("#handover-passphrase", Input).value = BUNDLE_PASSPHRASE
        screen.query_one("#handover-passphrase", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(screen.query_one("#handover-summary").render())
        assert app.screen is screen and app.is_running and "nests deeper" in text, text
        screen.query_one("#handover-path", Input).value = str(tmp_path / "missing.bundle")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "No file" in str(screen.query_one("#handover-summary").render())


async def test_a_lock_while_an_import_is_written_waits_for_it_and_loses_nothing(  # type: ignore[no-untyped-def]
    app, vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The match and the write run in workers; ctrl+l during the write lets the
    transaction end (all of the file, committed) before the key is dropped."""
    from sqlmodel import select

    from hrd_tui.models import Contact
    from hrd_tui.screens.unlock import UnlockScreen

    good = tmp_path / "good.csv"
    good.write_text("name,kind\nEva Lind,defender\nFrank Ode,journalist\n", encoding="utf-8")
    inside, release = threading.Event(), threading.Event()
    real_apply = contact_io.apply

    def held_apply(session, plan, on_duplicate):  # type: ignore[no-untyped-def]
        result = real_apply(session, plan, on_duplicate)
        inside.set()
        release.wait(10)  # still inside the transaction
        return result

    monkeypatch.setattr(contact_io, "apply", held_apply)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        screen = await import_file(app, pilot, good)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "2 new" in summary(app)
        await pilot.press("f2", "y")
        for _ in range(100):
            if inside.is_set():
                break
            await pilot.pause(0.05)
        assert inside.is_set() and "Importing..." in summary(app)
        await pilot.press("escape")  # confirmed: it finishes, the screen stays
        assert app.screen is screen and not screen.check_action("confirm", ())
        threading.Timer(0.5, release.set).start()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert release.is_set() and app.vault is None and isinstance(app.screen, UnlockScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
    with vault_mod.unlock(vault_dir, vault_mod.Secret(PASSPHRASE), readonly=True) as again, again.store.session() as s:
        assert sorted(c.name for c in s.exec(select(Contact))) == ["Eva Lind", "Frank Ode"]
