"""Width (issue 16): every screen's footer fits 80 columns, with the screen's most used
keys shown and the rest in F1; tables share the width and grow with it; a case reads
top to bottom; every F-key has a ctrl+letter twin. The real app on the demo vault.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import shutil
from itertools import count
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, demo_vault_at, unlock
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from hrd_tui import screens as screens_package
from hrd_tui.app import make_app

#: Keys from the section screen that reach each screen with a footer (demo data).
WALKS: tuple[tuple[str, ...], ...] = (
    ("t",),
    ("c",),
    ("c", "f"),
    ("c", "enter"),
    ("c", "n"),
    ("c", "enter", "h"),
    ("c", "l"),
    ("a",),
    ("a", "f"),
    ("a", "enter"),
    ("a", "enter", "tab"),
    ("a", "n"),
    ("a", "enter", "g"),
    ("a", "enter", "f"),
    ("a", "enter", "y"),
    ("a", "enter", "b"),
    ("a", "enter", "b", "n"),
    ("a", "enter", "i"),
    ("a", "enter", "i", "n"),
    ("a", "enter", "A"),  # the case's attachments (the demo's detention case has a photo and a summons)
    ("a", "enter", "A", "v"),
    ("a", "u"),
    ("a", "u", "n"),
    ("a", "p"),
    ("a", "p", "enter"),
    ("o",),
    ("o", "enter"),
    ("o", "enter", "enter"),
    ("o", "n"),
    ("o", "enter", "n"),
    ("o", "enter", "f"),
    ("o", "enter", "i"),
    ("o", "enter", "enter", "w"),
    ("k",),
    ("k", "enter"),
    ("m",),
    ("m", "n"),
    ("m", "g"),
    ("r",),
)
#: Bases that are never on screen themselves, and the screens of a vault being created
#: (a footer of one key: quit). The unlock screen is checked at the start of each walk.
NOT_WALKED = {
    "SectionScreen",
    "FilteredListScreen",
    "ExportsRun",
    "FormScreen",
    "GuidedFormScreen",
    "HandsBack",
    "CreateScreen",
    "RecoveryCodeScreen",
}


_copies = count()


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_vault_at(tmp_path_factory.mktemp("demo") / "vault")


def demo_app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The app on a fresh copy of the demo vault: each run starts at Today (the vault keeps
    the officer's place) with the demo's data and nothing an earlier run wrote."""
    copy = tmp_path / f"vault-{next(_copies)}"
    shutil.copytree(vault_dir, copy)
    return make_app(
        copy, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY, export_dir=tmp_path / "exports"
    )


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


def footer_overflow(screen: Screen, width: int) -> list[str]:  # type: ignore[type-arg]
    """The footer keys of this screen that end past ``width``, and the tables whose columns
    do not fit theirs (none: it fits)."""
    from hrd_tui.screens.widgets.tables import FlexTable

    past = []
    for footer in screen.query(Footer):
        for key in footer.query(FooterKey):
            if key.display and key.region.right > width:
                past.append(f"{key.key_display} {key.description} (ends at {key.region.right})")
    for table in screen.query(FlexTable):
        needed = sum(column.width + 2 * table.cell_padding for column in table.ordered_columns)
        if table.display and needed > table.scrollable_content_region.width:
            past.append(f"table #{table.id} needs {needed} of {table.scrollable_content_region.width}")
    return past


def not_in_help(app) -> list[str]:  # type: ignore[no-untyped-def]
    """This screen's keys kept off the footer that F1 does not list. Enter is left out (a
    focused table's own Enter stands in F1 for it), and so are keys the focused field
    takes as text (they do nothing else until the focus moves)."""
    from textual.binding import Binding

    listed = {what for _, what, _ in app.binding_rows()}
    focused = app.screen.focused
    missing = []
    for b in type(app.screen).BINDINGS:
        if not isinstance(b, Binding) or b.show or (b.tooltip or b.description) in listed:
            continue
        keys = b.key.split(",")
        if "enter" in keys or (
            focused is not None and any(focused.check_consume_key(k, k if len(k) == 1 else None) for k in keys)
        ):
            continue
        missing.append(f"{b.key} {b.description} not in F1")
    return missing


def screen_classes() -> set[str]:
    """Every full screen the package defines (not dialogs), by class name."""
    names = set()
    for info in pkgutil.walk_packages(screens_package.__path__, screens_package.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and issubclass(cls, Screen)
                and not issubclass(cls, ModalScreen)
                and name != "HelpScreen"
            ):
                names.add(name)
    return names


async def test_every_footer_and_table_fits_80_columns(demo_vault: Path, tmp_path: Path) -> None:
    seen: dict[str, list[str]] = {}
    for walk in WALKS:
        app = demo_app(demo_vault, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            seen.setdefault(type(app.screen).__name__, footer_overflow(app.screen, 80))  # the unlock screen
            await unlock(app, pilot)
            for key in walk:
                await pilot.press(key)
                await settle(app, pilot)
            name = type(app.screen).__name__
            seen[f"{name} after {' '.join(walk)}"] = footer_overflow(app.screen, 80) + not_in_help(app)
            seen.setdefault(name, [])
            if walk == ("c",):  # the handover import is reached from the palette only
                app.action_import_handover()
                await settle(app, pilot)
                seen["HandoverImportScreen"] = footer_overflow(app.screen, 80)
    assert {name: past for name, past in seen.items() if past} == {}
    missing = screen_classes() - set(seen) - NOT_WALKED
    assert missing == set(), "screens the walk does not reach: add a walk for them"


LONG_TITLE = "Threatening calls to a disability-rights campaigner after the budget protest"  # a demo case


async def test_columns_share_the_width_and_grow_with_it(demo_vault: Path, tmp_path: Path) -> None:
    """The case title in the list and the action in the case take the width there is: cut
    with an ellipsis at 80 columns, more of it at 200; no column narrower than its header."""
    from rich.cells import cell_len

    from hrd_tui.screens.contacts import COLUMNS as CONTACT_COLUMNS
    from hrd_tui.screens.monitoring import COLUMNS as OBSERVATION_COLUMNS
    from hrd_tui.screens.threats import COLUMNS as CASE_COLUMNS
    from hrd_tui.screens.trials import COLUMNS as TRIAL_COLUMNS
    from hrd_tui.screens.widgets.row_list import RowList
    from hrd_tui.screens.widgets.tables import FlexTable

    lists = {
        "c": ("#contacts", [h for _, h, _ in CONTACT_COLUMNS]),
        "a": ("#threats", [h for h, _ in CASE_COLUMNS]),
        "o": ("#trials", [h for h, _ in TRIAL_COLUMNS]),
        "m": ("#observations", [h for h, _ in OBSERVATION_COLUMNS]),
    }
    shown: dict[int, str] = {}
    action_width: dict[int, int] = {}
    for size in ((80, 24), (200, 60)):
        app = demo_app(demo_vault, tmp_path)
        async with app.run_test(size=size) as pilot:
            await unlock(app, pilot)
            for key, (selector, labels) in lists.items():
                await pilot.press(key)
                await settle(app, pilot)
                table = app.screen.query_one(selector, RowList)
                assert sum(w + 2 for w in table.widths) <= table.size.width, (size, key)  # no sideways scrolling
                for label, width in zip(labels, table.widths, strict=True):
                    assert width >= cell_len(label), (size, key, label)
            await pilot.press("a")
            await settle(app, pilot)
            cases = app.screen.query_one("#threats", RowList)
            row = next(n for n in range(cases.row_count) if cases.full_row_at(n)[1] == LONG_TITLE)
            shown[size[0]] = cases.get_row_at(row)[1]
            cases.move_cursor(row)
            await pilot.press("enter")
            await settle(app, pilot)
            for table in app.screen.query(FlexTable):
                for column in table.ordered_columns:
                    assert column.width >= cell_len(column.label.plain), (size, table.id, column.label)
                assert sum(c.width + 2 for c in table.ordered_columns) <= table.size.width, (size, table.id)
            title = app.screen.query_one("#case-title")
            title_line = title.render_line(0).text.rstrip()
            assert title.size.height == 1 and (
                title_line.endswith("…") if size == (80, 24) else "budget protest" in title_line
            ), title_line
            actions = app.screen.query_one("#case-actions", FlexTable)
            action_width[size[0]] = actions.ordered_columns[actions.flex].width
            lines = [actions.render_line(y).text for y in range(actions.size.height)]
            if size == (80, 24):
                assert any("…" in line for line in lines), lines  # a long action, cut, says so
            else:  # the other columns have room for their text too
                assert any("HRO with the political section chief" in line for line in lines), lines
    assert shown[80].endswith("…") and LONG_TITLE.startswith(shown[80][:-1])
    assert len(shown[200]) > len(shown[80]) and LONG_TITLE.startswith(shown[200].rstrip("…"))
    assert action_width[200] > action_width[80]


async def test_help_wraps_at_80_columns(demo_vault: Path, tmp_path: Path) -> None:
    """No sideways scrollbar: every column inside the box, long text on a second line."""
    from textual.widgets import DataTable

    app = demo_app(demo_vault, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        for key in ("a", "enter", "f1"):
            await pilot.press(key)
            await settle(app, pilot)
        table = app.screen.query_one("#help-table", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert not table.show_horizontal_scrollbar
        assert [str(c.label) for c in table.ordered_columns] == ["Key", "Action", "Where"]
        lines = [table.render_line(y).text for y in range(table.size.height)]
        assert any("this screen" in line for line in lines)  # the last column is on screen


async def test_a_case_reads_top_to_bottom(demo_vault: Path, tmp_path: Path) -> None:
    """Home, End, PageUp and PageDown move the page even from inside a table (whose cursor
    stays), and v jumps to the timeline without tabbing through every table."""
    from textual.containers import VerticalScroll
    from textual.widgets import DataTable

    app = demo_app(demo_vault, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        for key in ("a", "enter"):
            await pilot.press(key)
            await settle(app, pilot)
        body = app.screen.query_one("#case-body", VerticalScroll)
        actions = app.screen.query_one("#case-actions", DataTable)
        timeline = app.screen.query_one("#case-timeline-heading")
        assert body.max_scroll_y > 0 and body.scroll_y == 0

        def on_page(widget) -> bool:  # type: ignore[no-untyped-def]
            return body.region.contains_region(widget.region)

        await pilot.press("tab")  # into the actions
        await pilot.press("down")
        await pilot.pause()
        assert actions.has_focus and actions.cursor_row == 1
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0 and actions.cursor_row == 1
        await pilot.press("end")
        await pilot.pause()
        events = app.screen.query_one("#case-timeline")  # the oldest event, at the very bottom, is on the page
        assert body.scroll_y == body.max_scroll_y and events.region.bottom <= body.region.bottom
        assert actions.cursor_row == 1
        await pilot.press("pageup")
        await pilot.pause()
        assert 0 < body.scroll_y < body.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0 and actions.cursor_row == 1
        await pilot.press("v")
        await pilot.pause()
        assert on_page(timeline) and body.scroll_y > 0
        await pilot.press("f1")
        await pilot.pause()
        help_rows = app.screen.rows  # F1 lists the jump and the page keys
        assert ("v", "Jump to the timeline at the bottom of the case", "this screen") in help_rows
        assert any(keys.startswith("end") and "Bottom of the case" in what for keys, what, _ in help_rows)


#: ctrl+letters that never reach the app or mean something else: tmux's prefix, flow
#: control, suspend, interrupt, end of input, backspace, tab, enter, newline, and our lock.
CTRL_KEYS_TAKEN = {
    "ctrl+b",
    "ctrl+s",
    "ctrl+q",
    "ctrl+z",
    "ctrl+c",
    "ctrl+d",
    "ctrl+h",
    "ctrl+i",
    "ctrl+m",
    "ctrl+j",
    "ctrl+l",
}


def all_bindings() -> list[tuple[str, object]]:
    from textual.binding import Binding

    found = []
    for info in pkgutil.walk_packages(screens_package.__path__, screens_package.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and hasattr(cls, "BINDINGS"):
                found += [(name, b) for b in cls.BINDINGS if isinstance(b, Binding)]
    from hrd_tui.screens.forms import FORM_BINDINGS

    return found + [("FORM_BINDINGS", b) for b in FORM_BINDINGS]


def test_every_f_key_has_a_ctrl_letter_twin() -> None:
    """Some phone SSH clients have no F-keys: each F-key binding (F1 has ? and the
    palette) has a ctrl+letter that SSH and tmux pass through, and shows it."""
    missing = []
    for owner, binding in all_bindings():
        keys = binding.key.split(",")  # type: ignore[attr-defined]
        if not any(k.startswith("f") and k[1:].isdigit() and k != "f1" for k in keys):
            continue
        twins = [k for k in keys if k.startswith("ctrl+") and len(k) == 6 and k not in CTRL_KEYS_TAKEN]
        display = binding.key_display or ""  # type: ignore[attr-defined]
        if not twins or f"^{twins[0][-1]}" not in display:
            missing.append(f"{owner}: {binding.key} ({display})")  # type: ignore[attr-defined]
    assert missing == []


async def test_ctrl_letters_work_in_the_forms(demo_vault: Path, tmp_path: Path) -> None:
    """ctrl+o saves a new contact (F2); in a new case ctrl+f finds a contact (F3) and
    ctrl+n creates one (F4)."""
    from sqlmodel import select

    from hrd_tui.models import Contact
    from hrd_tui.screens.case_forms import CaseFormScreen
    from hrd_tui.screens.contact_form import ContactFormScreen
    from hrd_tui.screens.contact_pick import ContactPickModal
    from hrd_tui.screens.contacts import ContactsScreen

    app = demo_app(demo_vault, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        for key in ("c", "n"):
            await pilot.press(key)
            await settle(app, pilot)
        assert isinstance(app.screen, ContactFormScreen)
        await pilot.press(*"Dana Ivić")
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactsScreen)
        with app.session() as s:
            assert s.exec(select(Contact).where(Contact.name == "Dana Ivić")).one()
        for key in ("a", "n"):
            await pilot.press(key)
            await settle(app, pilot)
        assert isinstance(app.screen, CaseFormScreen)
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactPickModal)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactFormScreen)


async def test_a_refusal_is_on_screen_and_a_guide_leaves_the_form_room(demo_vault: Path, tmp_path: Path) -> None:
    """At 80x24 the consent gate's refusal, on the last field of the action form, is shown
    without scrolling; a referral's resource guide takes at most a quarter of the screen."""
    from sqlmodel import select
    from textual.widgets import Select

    from hrd_tui.models import ThreatCase
    from hrd_tui.screens.case_forms import ActionModal, ReferralFormScreen

    app = demo_app(demo_vault, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        with app.session() as session:
            case = session.exec(select(ThreatCase)).first()
            assert case is not None
            case_id = case.id
        app.push_screen(ActionModal(case_id, refusal="Acting on their behalf needs their consent first."))
        await settle(app, pilot)
        error = app.screen.query_one("#error-emergency_justification")
        assert error.region.height and error.region.bottom <= 24, error.region  # on screen, not a page below
        app.pop_screen()
        app.push_screen(ReferralFormScreen(case_id))
        await settle(app, pilot)
        app.screen.query_one("#field-resource_id", Select).value = next(iter(app.screen._resources))  # type: ignore[attr-defined]
        await settle(app, pilot)
        guide = app.screen.query_one("#form-guide")
        assert "Offers:" in str(guide.render()) and guide.region.height <= 6, guide.region
