"""Merging a handover bundle from the app: the file and its passphrase, the plan, each
conflict decided field by field (m, t; M, T for the record), values read whole (v),
then F2 and a yes; discreet mode shows no real name. Real bundles from real vaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE, unlock, vault_session
from helpers.app import until_gone
from helpers.colours import screen_text, sixteen_colours
from sqlmodel import select
from textual.widgets import DataTable, Input

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.models import Contact
from hrd_tui.screens.handover import HandoverImportScreen, WholeValue, WholeValues
from hrd_tui.services import contacts, handover, history

NAME = "Ana Núñez"
THEIR_NAME = "Ana Núñez (C)"  # the sender's: cut to fit, the two look the same


def diverged(vault_dir: Path, tmp_path: Path, mine: dict[str, Any], theirs: dict[str, Any]) -> tuple[str, Path, str]:
    """One contact handed over, then edited here with ``mine`` and by the sender with
    ``theirs``; the sender's second bundle (path, passphrase) with a new contact too."""
    sender_dir = tmp_path / "sender"
    sender, _ = vault_mod.create(sender_dir, PASSPHRASE)
    with sender, sender.store.session() as s:
        shared = contacts.create_contact(
            s, {"name": NAME, "codename": "Heron-101", "role": "spokesperson", "phone": "+1 555 0100"}
        )
        contacts.create_contact(s, {"name": "Борис Петров", "codename": "Cedar-202"})
        first = tmp_path / "first.bundle"
        first_pw = handover.export_bundle(s, first)
    receiver, _ = vault_mod.create(vault_dir, PASSPHRASE)
    receiver.close()
    with vault_session(vault_dir) as s:
        handover.apply_import(s, handover.plan_import(s, handover.read_bundle(first, first_pw)))
        contacts.update_contact(s, s.get(Contact, shared.id), mine)
    with vault_mod.unlock(sender_dir, vault_mod.Secret(PASSPHRASE)) as sender, sender.store.session() as s:
        contacts.update_contact(s, s.get(Contact, shared.id), theirs)
        contacts.create_contact(s, {"name": "Chen Jing", "codename": "Aster-303"})
        bundle = tmp_path / "second.bundle"
        passphrase = handover.export_bundle(s, bundle)
    return shared.id, bundle, passphrase


async def open_bundle(app, pilot, bundle: Path, passphrase: str) -> HandoverImportScreen:  # type: ignore[no-untyped-def]
    await unlock(app, pilot)
    app.action_import_handover()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, HandoverImportScreen)
    screen.query_one("#handover-path", Input).value = str(bundle)
    screen.query_one("#handover-passphrase", Input).value = passphrase
    screen.query_one("#handover-passphrase", Input).focus()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def import_confirmed(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """F2 then y, and the import's end: its worker starts only once the question's answer
    has been handled, which on a loaded machine can be after a first wait for workers
    (CI on 586c9fb: that wait found none, and the screen was still up)."""
    await pilot.press("f2", "y")
    await until_gone(app, pilot, HandoverImportScreen)


def rows(screen: HandoverImportScreen) -> list[list[str]]:
    table = screen.query_one("#handover-conflicts", DataTable)
    return [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]


async def test_a_bundle_merged_from_the_screen(vault_dir: Path, tmp_path: Path) -> None:
    contact_id, bundle, passphrase = diverged(vault_dir, tmp_path, {"role": "coordinator"}, {"role": "founder"})
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_bundle(app, pilot, bundle, "wrong")
        assert "passphrase" in str(screen.query_one("#handover-summary").render()).lower()
        screen.query_one("#handover-passphrase", Input).value = passphrase
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(screen.query_one("#handover-summary").render())
        assert "new contacts: 1" in summary and "conflicts: 1" in summary
        assert rows(screen) == [["mine", "contact Heron-101", "Role", "coordinator", "founder"]]
        await pilot.press("t")
        await pilot.pause()
        assert rows(screen)[0][0] == "theirs"
        await import_confirmed(app, pilot)  # written in a worker
        assert not isinstance(app.screen, HandoverImportScreen)
        with app.session("test") as s:
            assert sorted(c.codename for c in s.exec(select(Contact))) == ["Aster-303", "Cedar-202", "Heron-101"]
            person = s.get(Contact, contact_id)
            assert person.role == "founder"
            assert any(c.field == "role" and c.before == "coordinator" for c in history.changes(s, person))


async def test_each_field_is_chosen_on_its_own_and_both_edits_are_kept(vault_dir: Path, tmp_path: Path) -> None:
    """Here the phone changed, there the role: t on the role, the phone left mine; both kept.
    M and T decide the whole record; the choice reads as a word, never as a colour alone."""
    contact_id, bundle, passphrase = diverged(vault_dir, tmp_path, {"phone": "+1 555 0199"}, {"role": "founder"})
    app = sixteen_colours(make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_bundle(app, pilot, bundle, passphrase)
        assert rows(screen) == [
            ["mine", "contact Heron-101", "Role", "spokesperson", "founder"],
            ["mine", "", "Phone", "+1 555 0199", "+1 555 0100"],
        ]
        await pilot.press("T")
        assert [r[0] for r in rows(screen)] == ["theirs", "theirs"]
        await pilot.press("M")
        assert [r[0] for r in rows(screen)] == ["mine", "mine"]
        await pilot.press("t")  # the role only
        await pilot.pause()
        assert [r[0] for r in rows(screen)] == ["theirs", "mine"]
        text = screen_text(app)
        assert "theirs" in text and "contact Heron-101" in text
        footer = text.splitlines()[-1]
        assert all(word in footer for word in ("Mine", "Theirs", "Whole", "Import")), footer
        await import_confirmed(app, pilot)  # written in a worker
        assert not isinstance(app.screen, HandoverImportScreen)
        with app.session("test") as s:
            person = s.get(Contact, contact_id)
            assert (person.role, person.phone) == ("founder", "+1 555 0199")
            # The history says what the merge replaced, and keeps the value not taken; both name the bundle.
            found = {
                (c.field, c.before, c.after, c.declined, c.source.split(" (")[0]) for c in history.changes(s, person)
            }
            assert ("role", "spokesperson", "founder", False, "handover merge from second.bundle") in found
            assert ("phone", "+1 555 0199", "+1 555 0100", True, "handover merge from second.bundle") in found


async def test_whole_values_on_demand(vault_dir: Path, tmp_path: Path) -> None:
    """Two names that differ only in '(C)' look the same cut to fit; v shows both whole,
    mine above theirs, with where they part; t there takes theirs for that field."""
    long_notes = "met at the court " + "then walked to the office " * 40 + "END"  # more than the view's rows
    _, bundle, passphrase = diverged(vault_dir, tmp_path, {"notes": long_notes}, {"name": THEIR_NAME})
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_bundle(app, pilot, bundle, passphrase)
        assert [r[2] for r in rows(screen)] == ["Name", "Notes"]  # as the contact form names them
        assert "Name: 9 and 13 characters, first difference at 10" in str(screen.query_one("#handover-field").render())
        await pilot.press("v")
        await pilot.pause()
        whole = app.screen
        assert isinstance(whole, WholeValues)
        assert whole.query_one("#whole-mine", WholeValue).text == NAME
        assert whole.query_one("#whole-theirs", WholeValue).text == THEIR_NAME
        assert THEIR_NAME in screen_text(app)
        await pilot.press("t")
        await pilot.pause()
        assert app.screen is screen and [r[0] for r in rows(screen)] == ["theirs", "mine"]
        await pilot.press("down", "enter")  # Enter opens it too; the long value whole, scrolling
        await pilot.pause()
        mine = app.screen.query_one("#whole-mine", WholeValue)
        assert mine.text == long_notes and mine.read_only
        assert "END" not in screen_text(app) and mine.max_scroll_y > 0
        await pilot.press("pagedown", "pagedown", "pagedown")  # scrolls, as any text view
        await pilot.pause()
        assert "END" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and [r[0] for r in rows(screen)] == ["theirs", "mine"]


@pytest.mark.parametrize("colours", ["true", "standard"])
async def test_discreet_mode_shows_no_real_name(
    vault_dir: Path, tmp_path: Path, colours: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names (this vault's and the bundle's), e-mail, phone and notes hidden in the table
    and in the whole-value view until ctrl+r; free text has the names as codenames."""
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", colours)
    _, bundle, passphrase = diverged(
        vault_dir,
        tmp_path,
        {"phone": "+1 555 0199", "role": "aide to Борис Петров"},
        {"name": THEIR_NAME, "role": "aide to Chen Jing"},
    )
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)
    if colours == "standard":
        sixteen_colours(app)
    async with app.run_test(size=(80, 24)) as pilot:
        app.discreet = True
        screen = await open_bundle(app, pilot, bundle, passphrase)
        text = screen_text(app)
        for secret in ("Núñez", "Ana", "555", "Борис", "Chen"):
            assert secret not in text, secret
        assert [r[2:] for r in rows(screen)] == [
            ["Name", "(hidden)", "(hidden)"],
            ["Role", "aide to Cedar-202", "aide to Aster-303"],
            ["Phone", "(hidden)", "(hidden)"],
        ]
        await pilot.press("v")
        await pilot.pause()
        whole = app.screen
        assert isinstance(whole, WholeValues)
        text = screen_text(app)
        assert "Núñez" not in text and "ctrl+r shows it" in text
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert NAME in screen_text(app)  # shown on the officer's word, in that view only
        await pilot.press("escape")
        await pilot.pause()
        assert "Núñez" not in screen_text(app)
        await pilot.press("d")  # discreet mode off: the values come back
        await pilot.pause()
        assert rows(screen)[0][3:] == [NAME, THEIR_NAME]


async def test_a_long_summary_scrolls_and_leaves_the_conflicts_room(vault_dir: Path, tmp_path: Path) -> None:
    """Twelve new contacts whose codenames are taken here: twelve notes. The summary
    takes 8 rows at most and scrolls; the table keeps its rows below."""
    _, bundle, passphrase = diverged(vault_dir, tmp_path, {"role": "coordinator"}, {"role": "founder"})
    with vault_mod.unlock(tmp_path / "sender", vault_mod.Secret(PASSPHRASE)) as sender, sender.store.session() as s:
        for n in range(12):
            contacts.create_contact(s, {"name": f"Person {n}", "codename": f"Lark-{100 + n}"})
        passphrase = handover.export_bundle(s, bundle.with_name("third.bundle"))
    with vault_session(vault_dir) as s:
        for n in range(12):
            contacts.create_contact(s, {"name": f"Someone {n}", "codename": f"Lark-{100 + n}"})
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_bundle(app, pilot, bundle.with_name("third.bundle"), passphrase)
        box = screen.query_one("#handover-summary-box")
        assert box.size.height == 8 and box.max_scroll_y > 0
        assert "contact Heron-101" in screen_text(app)  # the conflict still shows
        assert "F2 or ^o imports" not in screen_text(app)
        bar = [line[1] for line in screen_text(app).splitlines() if "conflicts: 1" in line]
        await pilot.press("shift+tab")  # from the table to the summary
        assert app.focused is box
        focused_bar = [line[1] for line in screen_text(app).splitlines() if "conflicts: 1" in line]
        assert bar == [" "] and focused_bar[0].strip(), focused_bar  # the focus reads without colour
        await pilot.press("end")
        await pilot.pause()
        assert "F2 or ^o imports" in screen_text(app)
