"""Issue 16: which row a table's cursor is on, which table has the focus, which option of
a list Enter acts on, which line is an error, read with no colour at all (NO_COLOR=1), in
both shipped themes.

The focused table's cursor row is drawn in reverse video (bold too), an unfocused
table's cursor row underlined; headers are bold only. Reverse, bold and underline are
attributes of the characters, which NO_COLOR leaves, so the test reads them from the
screen's strips as the terminal gets them (after the app's NO_COLOR filter). Option lists
(the contact finder, the contacts filter, the report-type drop-down, the command palette)
mark the highlighted option with ``>``, and errors under fields start with ``! ``: those
are read from the screen's characters.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from rich.style import Style
from textual.widgets import DataTable

from hrd_tui import vault as vault_mod
from hrd_tui.app import DARK, HIGH_CONTRAST, make_app
from hrd_tui.services import contacts, threats

THEMES = [DARK.name, HIGH_CONTRAST.name]


@pytest.fixture
def plain_app(vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Two contacts, an emergency case on one with a follow-up due; no colour at all."""
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is built
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    with vault_session(vault_dir) as s:
        ana = contacts.create_contact(
            s,
            {
                "name": "Ana Núñez",
                "codename": "Heron-101",
                "kind": "defender",
                "last_contact_on": FROZEN_DAY - timedelta(days=90),
                "next_follow_up_on": FROZEN_DAY - timedelta(days=1),
            },
            [],
        )
        contacts.create_contact(
            s, {"name": "Bruno Quispe", "kind": "journalist", "last_contact_on": FROZEN_DAY - timedelta(days=80)}, []
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
        )
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY)


def row_style(app, table: DataTable, row: int) -> Style:  # type: ignore[no-untyped-def]
    """The style of a table row's first character as the terminal gets it (filters applied)."""
    strips = app.screen._compositor.render_strips()
    region = table.content_region
    y = region.y + (1 if table.show_header else 0) + row - table.scroll_offset.y
    line = strips[y].crop(region.x, region.right)
    return next(iter(line)).style or Style()


def header_style(app, table: DataTable) -> Style:  # type: ignore[no-untyped-def]
    strips = app.screen._compositor.render_strips()
    region = table.content_region
    return next(iter(strips[region.y].crop(region.x, region.right))).style or Style()


def cursor_shown(style: Style) -> str:
    """How a row reads without colour: "focused" (reverse), "unfocused" (underline) or "plain"."""
    if style.reverse:
        return "focused"
    return "unfocused" if style.underline else "plain"


@pytest.mark.parametrize("theme", THEMES)
async def test_today_shows_the_focused_table_and_every_cursor_without_colour(plain_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    """On entering Today the first table has the focus: its cursor row reversed, every other
    table's cursor row underlined, headers neither; Tab moves the reverse video on."""
    async with plain_app.run_test(size=(80, 40)) as pilot:
        plain_app.theme = theme
        await unlock(plain_app, pilot)
        await pilot.pause()
        # The tables on the screen (the page scrolls: Today has more than 40 lines of them).
        tables = [
            t
            for t in plain_app.screen.query(DataTable)
            if t.region.height and t.content_region.y + 1 + t.cursor_row < plain_app.size.height
        ]
        assert len(tables) >= 3
        first = plain_app.screen.query_one("#today-cases", DataTable)
        assert plain_app.focused is first
        shown = {str(t.id): cursor_shown(row_style(plain_app, t, t.cursor_row)) for t in tables}
        assert shown == {str(t.id): "focused" if t is first else "unfocused" for t in tables}
        assert all(cursor_shown(header_style(plain_app, t)) == "plain" for t in tables)
        assert cursor_shown(row_style(plain_app, first, 0)) == "focused"
        await pilot.press("tab")
        await pilot.pause()
        second = plain_app.screen.query_one("#today-follow-ups", DataTable)
        assert plain_app.focused is second
        assert cursor_shown(row_style(plain_app, second, second.cursor_row)) == "focused"
        assert cursor_shown(row_style(plain_app, first, first.cursor_row)) == "unfocused"


@pytest.mark.parametrize("theme", THEMES)
async def test_contacts_list_cursor_reads_without_colour(plain_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    """The contacts list (a RowList, not a DataTable): the cursor row reversed while the list
    has the focus, underlined when the filter has it, the other rows plain."""
    from hrd_tui.screens.widgets.row_list import RowList

    async with plain_app.run_test(size=(80, 24)) as pilot:
        plain_app.theme = theme
        await unlock(plain_app, pilot)
        await pilot.press("c")
        await pilot.pause()
        rows = plain_app.screen.query_one("#contacts", RowList)
        rows.focus()
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert rows.cursor_row == 1

        def shown(row: int) -> str:
            strips = plain_app.screen._compositor.render_strips()
            region = rows.content_region
            line = strips[region.y + row - rows.scroll_offset.y].crop(region.x, region.right)
            return cursor_shown(next(iter(line)).style or Style())

        assert (shown(0), shown(1)) == ("plain", "focused")
        plain_app.screen.focus_next()  # away from the list
        await pilot.pause()
        assert not rows.has_focus
        assert (shown(0), shown(1)) == ("plain", "unfocused")


@pytest.mark.parametrize("theme", THEMES)
async def test_a_case_shows_which_of_its_tables_has_the_focus_without_colour(plain_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    """A case's tables: Tab to the actions, its cursor row reversed, the others' underlined;
    Tab again and the reverse video moves to the next table with rows."""
    async with plain_app.run_test(size=(80, 60)) as pilot:
        plain_app.theme = theme
        await unlock(plain_app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        actions = plain_app.screen.query_one("#case-actions", DataTable)
        assert actions.has_focus and actions.row_count
        height = plain_app.size.height
        tables = [
            t
            for t in plain_app.screen.query(DataTable)  # those with rows, their cursor on the screen
            if t.row_count and 0 <= t.content_region.y + 1 + t.cursor_row - t.scroll_offset.y < height
        ]
        assert len(tables) > 1, [(t.id, t.row_count, t.content_region) for t in plain_app.screen.query(DataTable)]
        shown = {str(t.id): cursor_shown(row_style(plain_app, t, t.cursor_row)) for t in tables}
        assert shown == {str(t.id): "focused" if t is actions else "unfocused" for t in tables}
        if actions.row_count > 1:
            assert cursor_shown(row_style(plain_app, actions, 1)) == "plain"


# -- lists whose highlighted option starts with > ----------------------------------------------
def line_of(text: str, label: str) -> str:
    """The last screen line with ``label``: the dialog's, over whatever the screen below shows."""
    found = [line for line in text.splitlines() if label in line]
    assert found, text
    return found[-1]


def marked_labels(text: str, labels: list[str]) -> list[str]:
    """The labels whose first line (a long one wraps in a narrow list) is marked ``>``."""
    marked_starts = [
        re.split(r"\s{2,}|[║▎│▁▂▃▄▅▆▇█]", line.split("> ", 1)[1])[0].rstrip()
        for line in text.splitlines()
        if "> " in line
    ]
    return [label for label in labels for start in marked_starts if start and label.startswith(start)]


def marked(line: str, label: str) -> bool:
    """Whether the option ``label`` on this screen line is marked ``>`` (the first character
    before it that is not a space, within the list's box)."""
    before = line[: line.index(label)].rstrip(" ([*x])")
    return before.endswith(">")


@pytest.mark.parametrize("theme", THEMES)
async def test_contact_finder_marks_the_option_enter_picks(plain_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    from helpers.colours import screen_text

    from hrd_tui.screens.contact_pick import ContactPickModal

    async with plain_app.run_test(size=(80, 24)) as pilot:
        plain_app.theme = theme
        await unlock(plain_app, pilot)
        plain_app.push_screen(ContactPickModal("Add a defender"))
        await pilot.pause()
        text = screen_text(plain_app)
        assert marked(line_of(text, "Ana Núñez"), "Ana Núñez")  # Enter in the query picks the first
        assert not marked(line_of(text, "Bruno Quispe"), "Bruno Quispe")
        await pilot.press("down", "down")  # into the list, then to Bruno
        await pilot.pause()
        text = screen_text(plain_app)
        assert not marked(line_of(text, "Ana Núñez"), "Ana Núñez")
        assert marked(line_of(text, "Bruno Quispe"), "Bruno Quispe")


@pytest.mark.parametrize("theme", THEMES)
async def test_contacts_filter_marks_the_option_enter_toggles(plain_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    from helpers.colours import screen_text

    async with plain_app.run_test(size=(80, 24)) as pilot:
        plain_app.theme = theme
        await unlock(plain_app, pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        text = screen_text(plain_app)
        assert marked(line_of(text, "Overdue for a check-in only"), "Overdue for a check-in only")
        assert not marked(line_of(text, "Any kind"), "Any kind")
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(plain_app)
        assert not marked(line_of(text, "Overdue for a check-in only"), "Overdue for a check-in only")
        assert marked(line_of(text, "Any kind"), "Any kind")


@pytest.mark.parametrize("theme", THEMES)
async def test_case_filter_and_pick_dialogs_mark_the_option_enter_picks(plain_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    """The cases filter and the one-of-a-few pick dialog (which case, which handle, whose consent)."""
    from helpers.colours import screen_text
    from textual.widgets import OptionList

    from hrd_tui.screens.widgets.pick import PickModal

    async with plain_app.run_test(size=(80, 24)) as pilot:
        plain_app.theme = theme
        await unlock(plain_app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        options = plain_app.screen.query_one("#case-filter-options", OptionList)
        labels = [str(options.get_option_at_index(n).prompt) for n in range(2)]  # "[ ] Include closed cases"...
        assert marked_labels(screen_text(plain_app), labels) == [labels[0]]
        await pilot.press("down")
        await pilot.pause()
        assert marked_labels(screen_text(plain_app), labels) == [labels[1]]
        await pilot.press("escape")
        await pilot.pause()
        plain_app.push_screen(PickModal("Which case?", ["The march", "The raid"]))
        await pilot.pause()
        assert marked_labels(screen_text(plain_app), ["The march", "The raid"]) == ["The march"]
        await pilot.press("down")
        await pilot.pause()
        assert marked_labels(screen_text(plain_app), ["The march", "The raid"]) == ["The raid"]


@pytest.mark.parametrize("theme", THEMES)
async def test_report_type_drop_down_marks_the_option_enter_chooses(plain_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    from helpers.colours import screen_text
    from textual.widgets import Select

    async with plain_app.run_test(size=(80, 24)) as pilot:
        plain_app.theme = theme
        await unlock(plain_app, pilot)
        await pilot.press("r")
        await pilot.pause()
        drop = plain_app.screen.query_one("#report-type", Select)
        assert drop.has_focus
        await pilot.press("enter")  # open it: the current choice highlighted
        await pilot.pause()
        assert drop.expanded
        labels = [str(prompt) for prompt, _ in drop._options]
        current = labels[[value for _, value in drop._options].index(drop.value)]
        text = screen_text(plain_app)
        assert all(label in text for label in labels), text  # each whole on its line, not wrapped by the >
        assert marked_labels(screen_text(plain_app), labels) == [current]
        await pilot.press("down")
        await pilot.pause()
        assert marked_labels(screen_text(plain_app), labels) == [labels[labels.index(current) + 1]]


# -- errors under fields ----------------------------------------------------------------------
@pytest.mark.parametrize("theme", THEMES)
async def test_form_error_is_marked_under_its_field_without_colour(plain_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    """An error reads as one in characters ("! " before it), on the line under its field."""
    from helpers.colours import screen_text
    from textual.widgets import Input, Static

    from hrd_tui.screens.widgets.record_form import RecordForm

    async with plain_app.run_test(size=(80, 24)) as pilot:
        plain_app.theme = theme
        await unlock(plain_app, pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter")  # no name
        await pilot.pause()
        form = plain_app.screen.query_one(RecordForm)
        error = form.query_one("#error-name", Static)
        field = form.query_one("#field-name", Input)
        assert error.display and field.has_focus
        assert error.region.y == field.region.bottom  # right under its field's box
        line = screen_text(plain_app).splitlines()[error.region.y]
        assert line[error.region.x :].startswith("! ") and "required" in line
        assert "! " not in line[: error.region.x]


# -- the command palette ----------------------------------------------------------------------
@pytest.mark.parametrize("theme", THEMES)
async def test_palette_marks_the_command_enter_runs(plain_app, theme: str) -> None:  # type: ignore[no-untyped-def]
    """Textual's palette shows the command Enter runs by a background colour only (option
    styles cannot be reverse video): ours marks it >, on its title's line."""
    from helpers.colours import screen_text
    from textual.command import CommandList

    async with plain_app.run_test(size=(80, 24)) as pilot:
        plain_app.theme = theme
        await unlock(plain_app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to")
        commands = plain_app.screen.query_one(CommandList)
        for _ in range(50):  # the palette searches in the background
            await pilot.pause()
            if commands.option_count > 1 and commands.highlighted is not None:
                break
        await pilot.press("down")
        await pilot.pause()
        assert commands.highlighted == 1
        titles = [str(commands.get_option_at_index(n).prompt).splitlines()[0] for n in range(2)]
        text = screen_text(plain_app)
        assert marked_labels(text, titles) == [titles[1]]
        await pilot.press("up")
        await pilot.pause()
        assert marked_labels(screen_text(plain_app), titles) == [titles[0]]
