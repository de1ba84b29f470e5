"""Issue 16: forms read in 16 colours and with none at all.

Every field is drawn with lines, the focused one with other lines (double, not
only another colour); every tick box says ``[x]`` or ``[ ]`` and the focused one
``>``. Snapshots at 80x24 in the 16 standard colours (TEXTUAL_COLOR_SYSTEM=standard)
of the new contact form, a case's action form and a checklist walkthrough; the
rest asserts on the screen's characters alone, in both shipped themes.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from helpers.colours import screen_text, sixteen_colours
from sqlmodel import select
from textual.widgets import Input, TextArea

from hrd_tui import vault as vault_mod
from hrd_tui.app import DARK, HIGH_CONTRAST, make_app
from hrd_tui.models import Contact
from hrd_tui.screens.checklists import WalkthroughScreen
from hrd_tui.screens.contact_form import ContactFormScreen, InteractionModal
from hrd_tui.services import checklists, contacts, threats
from hrd_tui.vocab import ItemStatus

THEMES = [DARK.name, HIGH_CONTRAST.name]


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A contact with an interaction, a case on them, a checklist part done; 16 colours."""
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")  # as the officer's terminal said (read at import)
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    with vault_session(vault_dir) as s:
        ana = contacts.create_contact(
            s,
            {
                "name": "Ana Núñez",
                "codename": "Heron-101",
                "kind": "defender",
                "last_contact_on": FROZEN_DAY - timedelta(days=3),
            },
            ["land_environment", "indigenous"],
        )
        threats.open_case(
            s,
            {
                "title": "Detention of Ana Núñez after the march",
                "urgency": "emergency",
                "opened_on": FROZEN_DAY - timedelta(days=2),
            },
            [ana],
            ["arbitrary_detention"],
            plan=False,
        )  # no planned actions: the list behind the action form stays empty
        run = checklists.start_run(s, "fair-trial", {"id": "c4ec1157000040008000000000000001"})  # shown: fixed
        ids = [item["id"] for item in checklists.template_of(s, run).items]
        checklists.set_item(s, run, ids[0], ItemStatus.DONE)
        checklists.set_item(s, run, ids[2], ItemStatus.DONE)
        checklists.set_item(s, run, ids[3], ItemStatus.BLOCKED)
        checklists.set_item(s, run, ids[4], ItemStatus.NOT_APPLICABLE)
        checklists.set_item(s, run, ids[1], ItemStatus.OPEN)  # resume at item 2
    return sixteen_colours(make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY))


async def steady(pilot) -> None:  # type: ignore[no-untyped-def]
    """Cursors that do not blink, so a snapshot does not depend on the moment it is taken."""
    await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


async def new_contact_form(pilot) -> None:  # type: ignore[no-untyped-def]
    await unlock(pilot.app, pilot)
    await pilot.press("c")
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ContactFormScreen)


# -- (a) snapshots in 16 colours --------------------------------------------------------------
def test_new_contact_form_in_16_colours(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    """Boxes round every field, empty or not; Name focused (double lines); focus areas
    [x]/[ ], the one under the cursor marked >."""

    async def fill(pilot) -> None:  # type: ignore[no-untyped-def]
        await new_contact_form(pilot)
        await pilot.press(*"Ana", "tab", "tab", "tab")  # to the focus areas
        await pilot.press("down", "space", "down")  # tick the second, leave the cursor on the third
        await pilot.press("shift+tab", "shift+tab", "shift+tab")  # back to the name
        await steady(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=fill)


def test_case_action_form_in_16_colours(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    async def to_action(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlock(pilot.app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"Call the prosecutor", "tab", "tab", "tab", "tab")  # to "on the defender's behalf"
        await steady(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=to_action)


def test_checklist_walkthrough_in_16_colours(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    async def walk(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlock(pilot.app, pilot)
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, WalkthroughScreen)
        await steady(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=walk)


# -- (b) on and off in characters ------------------------------------------------------------
def rows_with(text: str, *labels: str) -> dict[str, str]:
    """For each label, the screen line it is on."""
    lines = text.splitlines()
    found = {label: [line for line in lines if label in line] for label in labels}
    assert all(found.values()), text
    return {label: rows[0] for label, rows in found.items()}


@pytest.mark.parametrize("theme", THEMES)
async def test_tick_boxes_say_x_or_blank_without_colour(app, theme: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The interaction form from the issue: "Concerns conveyed" unticked, "location is
    sensitive" ticked, and the contact form's focus areas, read from characters only."""
    monkeypatch.setenv("NO_COLOR", "1")
    plain = make_app(
        app.vault_dir, settings_path=app.settings_path, today=lambda: FROZEN_DAY
    )  # NO_COLOR: read when built
    async with plain.run_test(size=(80, 24)) as pilot:
        plain.theme = theme
        await unlock(plain, pilot)
        with plain.session() as s:
            ana_id = s.exec(select(Contact)).one().id
        plain.push_screen(InteractionModal(ana_id))
        await pilot.pause()
        for _ in range(5):  # down to the tick boxes, the first focused
            await pilot.press("tab")
        await pilot.pause()
        conveyed = "Concerns conveyed to embassy counterparts"
        assert "> [ ] " + conveyed in rows_with(screen_text(plain), conveyed)[conveyed]
        await pilot.press("space", "tab")  # tick it, move on: ticked, and no longer focused
        await pilot.pause()
        assert "  [x] " + conveyed in rows_with(screen_text(plain), conveyed)[conveyed]
        # Past who else was there, the cases and trials it was about, and where, to the sensitive location.
        await pilot.press("tab", "tab", "tab", "tab")
        await pilot.pause()
        sensitive = "The location is sensitive"
        assert "> [x] " + sensitive in rows_with(screen_text(plain), sensitive)[sensitive]  # ticked by default
        await pilot.press("space")
        await pilot.pause()
        assert "> [ ] " + sensitive in rows_with(screen_text(plain), sensitive)[sensitive]
        assert "X▌" not in screen_text(plain)

        await pilot.press("escape", "y")  # leave it unsaved
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", "down", "space")  # focus areas: tick "Women and girls"
        await pilot.pause()
        rows = rows_with(screen_text(plain), "Land and environment", "Women and girls", "LGBTQI+")
        assert "  [ ] Land and environment" in rows["Land and environment"]
        assert " >[x] Women and girls" in rows["Women and girls"]  # ticked, and the row under the cursor
        assert "  [ ] LGBTQI+" in rows["LGBTQI+"]
        await pilot.press("tab")
        await pilot.pause()
        assert "  [x] Women and girls" in rows_with(screen_text(plain), "Women and girls")["Women and girls"]


# -- (c) the focused field in other characters ------------------------------------------------
def top_line(text: str, label: str) -> str:
    """The top line of the box a form field's label sits in."""
    return next(line for line in text.splitlines() if f" {label} " in line).strip()


@pytest.mark.parametrize("theme", THEMES)
async def test_the_focused_field_is_drawn_in_other_characters(app, theme: str) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await new_contact_form(pilot)
        text = screen_text(app)
        assert top_line(text, "Name *").startswith("╔═ Name * ═")  # focused: double lines
        assert top_line(text, "Codename (blank: one is made up)").startswith("╭─ Codename")  # the others: single
        name_row = text.splitlines().index(next(line for line in text.splitlines() if " Name * " in line))
        assert text.splitlines()[name_row + 1].strip()[:1] == "║"
        assert "required" in text.splitlines()[name_row + 2]  # said in words too, where a long label is cut
        codename_row = name_row + 3
        assert text.splitlines()[codename_row + 1].strip()[:1] == "│"  # an empty field is a box too
        await pilot.press("tab")
        await pilot.pause()
        text = screen_text(app)
        assert top_line(text, "Name *").startswith("╭─ Name * ─")
        assert top_line(text, "Codename (blank: one is made up)").startswith("╔═ Codename")

        await pilot.press("escape")  # nothing typed: leaves at once
        await pilot.pause()
        filter_line = screen_text(app).splitlines()[1]  # the contact list's search field, a one-line field
        assert filter_line.lstrip().startswith("│/ to search")
        await pilot.press("slash")
        await pilot.pause()
        assert screen_text(app).splitlines()[1].lstrip().startswith("║/ to search")


async def test_the_checklist_item_the_keys_act_on_is_marked(app) -> None:  # type: ignore[no-untyped-def]
    """Space marks the highlighted item done: which one it is shows as > in the text, not only as a highlight."""
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen)
        lines = [line[1:].rstrip() for line in screen_text(app).splitlines()]  # inside the list's border
        assert any(line.startswith("  [x] 1. Informed promptly") for line in lines)
        assert any(line.startswith("> [ ] 2. Brought promptly") for line in lines)  # resumed here
        await pilot.press("space")  # done; the next one is current
        await pilot.pause()
        lines = [line[1:].rstrip() for line in screen_text(app).splitlines()]
        assert any(line.startswith("  [x] 2. Brought promptly") for line in lines)
        assert any(line.startswith("> [x] 3. Counsel from arrest") for line in lines)
        assert sum(line.startswith(">") for line in lines) == 1


async def test_an_open_choice_marks_the_highlighted_option(app) -> None:  # type: ignore[no-untyped-def]
    """A form's drop-down, open: its own box, and > on the option Enter would choose."""
    async with app.run_test(size=(80, 24)) as pilot:
        await new_contact_form(pilot)
        await pilot.press("tab", "tab", "enter")  # Kind, opened
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any("║> Human rights defender" in line for line in lines)
        assert any("║  Civil-society organisation" in line for line in lines)
        await pilot.press("down")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any("║> Civil-society organisation" in line for line in lines)
        assert sum("║> " in line for line in lines) == 1
