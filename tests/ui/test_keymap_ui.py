"""Keymaps in the real app (Pilot): every binding has an id of its own, a keymap file next to
settings.json remaps keys at start, and what it cannot honour is said and left out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import PASSPHRASE, unlock
from textual.widgets import DataTable

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import all_bindings, make_app
from hrd_tui.keymap import KEYMAP_NAME
from hrd_tui.screens.help import HelpScreen
from hrd_tui.screens.unlock import UnlockScreen


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    (tmp_path / "config").mkdir(mode=0o700)
    return tmp_path / "config" / "settings.json"


@pytest.fixture
def existing(vault_dir: Path) -> Path:
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return vault_dir


def keymap_file(settings: Path, text: str, mode: int = 0o600) -> Path:
    path = settings.with_name(KEYMAP_NAME)
    path.write_text(text, "utf-8")
    os.chmod(path, mode)
    return path


def messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


async def started(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """The keymap is read in a worker at start: wait for it, then unlock."""
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_every_binding_of_ours_has_an_id_and_no_id_is_shared_between_two_bindings() -> None:
    """Across the app, every screen and widget (inherited bindings count once: same binding)."""
    seen: dict[str, tuple[str, str, tuple[str, str, str]]] = {}
    missing: list[str] = []
    shared: list[str] = []
    count = 0
    for owner, binding in all_bindings():
        count += 1
        if not binding.id:
            missing.append(f"{owner}: {binding.key} -> {binding.action}")
            continue
        # One Binding("a,b", ...) is split into a binding per key: compare all but the key.
        what = (binding.action, binding.description, binding.tooltip)
        first = seen.setdefault(binding.id, (owner, binding.key, what))
        if first[2] != what:
            shared.append(f"{binding.id}: {first[0]} ({first[2][0]}) and {owner} ({binding.action})")
    assert count > 150  # the walk found the screens (their modules imported)
    assert missing == []
    assert shared == []


async def test_a_keymap_file_remaps_a_section_key_and_the_quick_note_in_the_real_app(
    existing: Path, settings: Path
) -> None:
    keymap_file(settings, '"app.go.contacts" = "z"\napp.quick_note = "ctrl+y"\n')
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        assert messages(app) == []  # nothing left out, nothing to know
        await unlock(app, pilot)
        assert app.screen.section.name == "today"
        app.set_focus(None)  # today's text field would take letters as typing
        await pilot.press("c")  # the old key no longer goes to contacts (Textual's keymap replaces it)
        await pilot.pause()
        assert app.screen.section.name == "today"
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.section.name == "contacts"
        app.set_focus(None)
        await pilot.press("ctrl+y")  # the quick note: no trial yet, so it says where to add one
        await pilot.pause()
        assert any("No trial yet" in text for text in messages(app))
        app.clear_notifications()
        await pilot.press("w")  # its old key does nothing now
        await pilot.pause()
        assert not any("No trial yet" in text for text in messages(app))


async def test_invalid_entries_are_said_with_the_file_and_left_out_and_the_valid_ones_apply(
    existing: Path, settings: Path
) -> None:
    path = keymap_file(
        settings,
        """
"app.go.contacts" = "z"
"no.such.binding" = "y"
"app.help" = 5
"app.lock" = "ctrl+s"
"app.quit" = "not-a-key"
""",
    )
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        said = messages(app)
        assert isinstance(app.screen, UnlockScreen)  # said on the prompt: nothing from the vault in it
        assert len(said) == 4 and all(text.startswith(f"{path}, '") and text.endswith("Left out.") for text in said)
        assert any("'no.such.binding'" in text and "no binding has this id" in text for text in said)
        assert any("'app.help'" in text and "must be a key" in text for text in said)
        assert any("'app.lock'" in text and "flow control" in text for text in said)
        assert any("'app.quit'" in text and "not a key name" in text for text in said)
        await unlock(app, pilot)
        app.set_focus(None)
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.section.name == "contacts"
        await pilot.press("ctrl+l")  # the lock kept its key
        await pilot.pause()
        assert app.locked


@pytest.mark.parametrize(
    ("content", "mode", "why"),
    [
        ('"app.go.contacts" = "z"\n', 0o666, "writable by every user"),
        ('"app.go.contacts" = "z"\n' + "#" * 70_000 + "\n", 0o600, "larger than 64 KiB"),
        ('"app.go.contacts" = \n', 0o600, "not valid TOML"),
    ],
    ids=["world-writable", "oversized", "malformed"],
)
async def test_a_file_refused_whole_remaps_nothing_and_says_why(
    existing: Path, settings: Path, content: str, mode: int, why: str
) -> None:
    keymap_file(settings, content, mode)
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        assert len(messages(app)) == 1 and why in messages(app)[0] and "no key is remapped" in messages(app)[0]
        await unlock(app, pilot)
        app.set_focus(None)
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.section.name == "today"
        await pilot.press("c")  # the default key still works
        await pilot.pause()
        assert app.screen.section.name == "contacts"


async def test_no_keymap_file_is_normal(existing: Path, settings: Path) -> None:
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        assert messages(app) == [] and app._keymap == {}


async def test_help_shows_each_bindings_id_on_i(existing: Path, settings: Path) -> None:
    keymap_file(settings, '"app.go.contacts" = "z"\n')
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await unlock(app, pilot)
        app.set_focus(None)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)

        def cells() -> list[str]:
            return [str(table.get_row_at(n)[1]) for n in range(table.row_count)]

        assert not any("id: " in cell for cell in cells())
        await pilot.press("i")
        await pilot.pause()
        assert any("Quick note" in cell and "id: app.quick_note" in cell for cell in cells())
        keys = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        assert any(key == "z" and "id: app.go.contacts" in cell for key, cell in zip(keys, cells(), strict=True))
        await pilot.press("i")
        await pilot.pause()
        assert not any("id: " in cell for cell in cells())


async def test_a_file_of_many_bad_entries_gives_a_few_notices_and_a_count(existing: Path, settings: Path) -> None:
    from hrd_tui.app import KEYMAP_NOTICES

    keymap_file(settings, "".join(f'"no.such.{n}" = "z"\n' for n in range(2000)) + '"app.go.contacts" = "z"\n')
    app = make_app(existing, settings_path=settings, today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        said = messages(app)
        assert len(said) == KEYMAP_NOTICES + 1
        assert said[-1].endswith(f"{2000 - KEYMAP_NOTICES} more entries left out.")
        await unlock(app, pilot)
        app.set_focus(None)
        await pilot.press("z")  # the valid entry still applies
        await pilot.pause()
        assert app.screen.section.name == "contacts"
