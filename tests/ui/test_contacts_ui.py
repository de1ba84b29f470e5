"""The contacts screens by keys alone: list, filter, sort, detail, create, edit
with validation errors, discreet mode, interactions, the today view, copying a
handle. The real app on a real encrypted vault (Pilot)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from helpers.bursts import burst
from sqlmodel import select
from textual.widgets import DataTable, Input, Select

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.models import Contact, FollowUp, Interaction
from hrd_tui.screens.changes import ChangesScreen
from hrd_tui.screens.contact_detail import ContactDetailScreen
from hrd_tui.screens.contact_form import ContactFormScreen, InteractionModal
from hrd_tui.screens.contacts import ContactsScreen, FilterModal
from hrd_tui.screens.today import TodayScreen
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.record_form import RecordForm
from hrd_tui.screens.widgets.row_list import RowList
from hrd_tui.services import base, contacts, history

TODAY = FROZEN_DAY


def people(session) -> dict[str, Contact]:  # type: ignore[no-untyped-def]
    made = {
        "ana": contacts.create_contact(
            session,
            {
                "name": "Ana Núñez",
                "codename": "Heron-101",
                "kind": "defender",
                "cadence_days": 30,
                "last_contact_on": TODAY - timedelta(days=45),
                "organisation": "Tierra Viva",
            },
            ["land_environment", "indigenous"],
        ),
        "boris": contacts.create_contact(
            session,
            {
                "name": "Борис Петров",
                "codename": "Cedar-202",
                "kind": "lawyer",
                "last_contact_on": TODAY - timedelta(days=3),
                "cadence_days": 30,
            },
            ["journalism_media"],
        ),
        "chen": contacts.create_contact(
            session,
            {"name": "陈静", "codename": "Aster-303", "kind": "journalist", "direct_contact_safe": False},
            ["access_to_justice"],
        ),
    }
    contacts.add_channel(session, made["ana"], {"kind": "signal", "handle": "+15550100", "preferred": True})
    return made


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        people(session)
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)


async def to_contacts(app, pilot) -> RowList:  # type: ignore[no-untyped-def]
    await unlock(app, pilot)
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, ContactsScreen)
    return app.screen.query_one("#contacts", RowList)


def names(table: RowList) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_list_filter_as_you_type_and_sort(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_contacts(app, pilot)
        assert names(table) == ["Ana Núñez", "Борис Петров", "陈静"]
        row = [str(c) for c in table.get_row_at(0)]
        assert row[1] == "Defender" and row[2] == "Land/env +1" and row[4].endswith("!")  # overdue, marked
        await pilot.press("slash", *"nunez")  # accent-insensitive, as typed
        await pilot.pause()
        assert names(table) == ["Ana Núñez"]
        assert str(app.screen.query_one("#contacts-count").render()).startswith("1 contact")  # one, not "1 contacts"
        assert "1 contacts" not in str(app.screen.query_one("#contacts-count").render())
        await pilot.press(*["backspace"] * 5, *"петр")
        await pilot.pause()
        assert names(table) == ["Борис Петров"]
        await pilot.press(*["backspace"] * 4, "escape")
        await pilot.pause()
        assert table.has_focus and table.row_count == 3
        await pilot.press("s")  # sort by kind
        await pilot.pause()
        assert names(table) == ["Ana Núñez", "陈静", "Борис Петров"]  # defender, journalist, lawyer
        assert "Kind ^" in str(app.screen.query_one("#contacts-header").render())
        await pilot.press("S")
        await pilot.pause()
        assert names(table) == ["Борис Петров", "陈静", "Ana Núñez"]
        await pilot.press("s", "s", "s")  # focus, risk, then last contact: most recent first
        await pilot.pause()
        assert names(table)[:2] == ["Борис Петров", "Ana Núñez"]


async def test_filters_overdue_and_kind(app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import OptionList

    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_contacts(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterModal)
        options = app.screen.query_one(OptionList)
        await pilot.press("enter")  # the first option: overdue only; the mark shows it, as typed
        await pilot.pause()
        assert str(options.get_option_at_index(0).prompt).startswith("[x] Overdue")
        await pilot.press("a")
        await pilot.pause()
        assert names(table) == ["Ana Núñez"]
        assert "overdue" in str(app.screen.query_one("#contacts-filters").render())
        await pilot.press("x", "f")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        options.highlighted = next(
            i for i in range(options.option_count) if options.get_option_at_index(i).id == "kind:lawyer"
        )
        await pilot.press("enter", "a")
        await pilot.pause()
        assert names(table) == ["Борис Петров"]
        assert "kind=lawyer" in str(app.screen.query_one("#contacts-filters").render())
        await pilot.press("x")
        await pilot.pause()
        assert table.row_count == 3


async def test_discreet_mode_shows_codenames_on_list_and_detail(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_contacts(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert names(table) == ["Aster-303", "Cedar-202", "Heron-101"]  # sorted by codename, not by hidden name
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)
        shown = "\n".join(str(w.render()) for w in app.screen.query(".detail-section")) + str(
            app.screen.query_one("#detail-title").render()
        )
        assert "Aster-303" in shown and "陈静" not in shown
        assert "UNSAFE" in str(app.screen.query_one("#detail-warning").render())
        await pilot.press("d")
        await pilot.pause()
        assert "陈静" in str(app.screen.query_one("#detail-title").render())


async def test_create_with_validation_errors_keeps_what_was_typed(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 40)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormScreen)
        form = app.screen.query_one(RecordForm)
        await pilot.press("enter")  # empty name
        await pilot.pause()
        assert "required" in str(app.screen.query_one("#error-name").render())
        await pilot.press(*"Dana Ivić")
        form.query_one("#field-cadence_days", Input).value = "often"
        form.query_one("#field-codename", Input).value = "Heron-101"  # taken
        form.query_one("#field-cadence_days", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "whole number" in str(app.screen.query_one("#error-cadence_days").render())
        assert form.query_one("#field-name", Input).value == "Dana Ivić"
        form.query_one("#field-cadence_days", Input).value = "14"
        await pilot.press("enter")
        await pilot.pause()
        assert "already used" in str(app.screen.query_one("#error-codename").render())
        form.query_one("#field-codename", Input).value = ""
        form.query_one("#field-kind", Select).value = "lawyer"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        with app.session() as s:
            dana = s.exec(select(Contact).where(Contact.name == "Dana Ivić")).one()
            assert dana.cadence_days == 14 and dana.kind == "lawyer" and dana.codename  # one was made up
        table = app.screen.query_one("#contacts", RowList)
        assert str(table.get_row_at(table.cursor_row)[0]) == "Dana Ivić"


async def test_edit_keeps_the_earlier_version_and_leaving_asks(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 40)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("e")  # Ana
        await pilot.pause()
        form = app.screen.query_one(RecordForm)
        form.query_one("#field-role", Input).value = "Coordinator"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # stay
        await pilot.pause()
        assert form.query_one("#field-role", Input).value == "Coordinator"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("enter")  # open Ana
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)
        changes = app.screen.query_one("#changes", DataTable)
        fields = [str(changes.get_row_at(i)[1]) for i in range(changes.row_count)]
        assert "Role" in fields  # the form's label
        row = changes.get_row_at(fields.index("Role"))
        assert str(row[2]) == "-" and str(row[3]) == "Coordinator"


async def test_log_an_interaction_in_a_few_keys_with_a_follow_up(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 40)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("i")  # for Ana, the highlighted row
        await pilot.pause()
        assert isinstance(app.screen, InteractionModal)
        await pilot.press(*"Checked in after the eviction", "tab", "tab", "tab")
        await pilot.press(*"Send the lawyer list", "tab", *"+3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        with app.session() as s:
            ana = s.exec(select(Contact).where(Contact.codename == "Heron-101")).one()
            assert ana.last_contact_on == TODAY  # no longer overdue
            (it,) = s.exec(select(Interaction)).all()
            assert it.summary == "Checked in after the eviction" and it.kind == "meeting"
            (fu,) = s.exec(select(FollowUp)).all()
            assert fu.due_on == TODAY + timedelta(days=3) and fu.contact_id == ana.id
        table = app.screen.query_one("#contacts", RowList)
        assert not str(table.get_row_at(0)[4]).endswith("!")
        await pilot.press("t")  # the today view lists the follow-up
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        follow = app.screen.query_one("#today-follow-ups", DataTable)
        assert "Send the lawyer list" in str(follow.get_row_at(0)[2])
        await pilot.press("space")
        await pilot.pause()
        # Issue 22: done, and still listed as done, so that the same key opens it again.
        assert [str(c) for c in follow.get_row_at(0)] == [f"{fu.due_on} done", "Ana Núñez", "[x] Send the lawyer list"]
        with app.session() as s:
            assert s.get(FollowUp, fu.id).done_on == TODAY
        await pilot.press("space")
        await pilot.pause()
        assert [str(c) for c in follow.get_row_at(0)] == [str(fu.due_on), "Ana Núñez", "Send the lawyer list"]
        with app.session() as s:
            assert s.get(FollowUp, fu.id).done_on is None
            assert [v.data["done_on"] for v in history.versions(s, "follow_up", fu.id)] == [None, str(TODAY)]


async def test_today_lists_overdue_contacts_and_opens_them(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        overdue = app.screen.query_one("#today-overdue", DataTable)
        assert overdue.row_count == 1 and str(overdue.get_row_at(0)[0]) == "Ana Núñez"
        overdue.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)


async def test_copy_a_handle_and_it_is_cleared(app) -> None:  # type: ignore[no-untyped-def]
    import base64

    app.clipboard_clear_seconds = 0.2
    async with app.run_test(size=(80, 24)) as pilot:
        written: list[str] = []
        driver_write = app._driver.write
        app._driver.write = lambda data: (written.append(data), driver_write(data))[1]  # what the terminal gets
        await to_contacts(app, pilot)
        await pilot.press("enter", "y")
        await pilot.pause()
        assert "\x1b]52;c;" + base64.b64encode(b"+15550100").decode() + "\a" in written
        assert any("cleared in" in str(n.message) for n in app._notifications)
        for _ in range(100):  # the clearing timer, within a few tenths of a second
            if "\x1b]52;c;\a" in written:
                break
            await pilot.pause(0.01)
        assert "\x1b]52;c;\a" in written  # an empty OSC 52: the clipboard overwritten


async def test_import_preview_conflicts_then_confirm(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.screens.contact_import import ImportContactsScreen

    source = tmp_path / "people.csv"
    source.write_text(
        "codename,name,kind,email\n"
        ",Eva Lind,defender,eva@example.org\n"
        ",Ana Núñez,defender,\n"  # the same name as an existing contact
        ",Bad Kind,activist,\n",
        encoding="utf-8",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, ImportContactsScreen)
        await pilot.press(*str(source), "enter")
        await app.workers.wait_for_complete()  # the file is read in a worker
        await pilot.pause()
        summary = str(app.screen.query_one("#import-summary").render())
        assert "1 new" in summary and "1 duplicate" in summary and "1 with errors" in summary
        rows = app.screen.query_one("#import-rows", DataTable)
        cells = [[str(c) for c in rows.get_row_at(i)] for i in range(rows.row_count)]
        assert cells[0][:2] == ["4", "ERROR"] and "kind" in cells[0][3]
        assert cells[1][1] == "duplicate" and "Heron-101" in cells[1][3] and "same name" in cells[1][3]
        with app.session() as s:
            assert len(s.exec(select(Contact)).all()) == 3  # the preview wrote nothing
        await pilot.press("u", "f2")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await app.workers.wait_for_complete()  # written in a worker
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        with app.session() as s:
            everyone = {c.name: c for c in s.exec(select(Contact)).all()}
        assert set(everyone) == {"Ana Núñez", "Борис Петров", "陈静", "Eva Lind"}
        assert names(app.screen.query_one("#contacts", RowList))[:2] == ["Ana Núñez", "Eva Lind"]


async def test_import_cancelled_writes_nothing(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "people.csv"
    source.write_text("name,kind\nFrank Ode,defender\n", encoding="utf-8")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("l", *str(source), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f2", "n", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        with app.session() as s:
            assert len(s.exec(select(Contact)).all()) == 3


HOSTILE_NAMES = [
    "[bold red]Loud[/] [link=https://evil.example]click[/link]",
    "Esc\x1b]52;c;ZXZpbA==\x07ape \x1b]0;pwned\x07 \x1b[2J",
    "\u202eevil override",
    "Zero\u200bwidth\u200dname",
    "ليلى حداد",
    "Мария Иванова",
    "王秀英",
    "Emoji 🕊️✊🏽 defender",
    "Long " + "x" * 9_990,  # 10,000 characters: the most a name holds
]


@pytest.fixture
def hostile_app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("hostile data") as session:
        for n, name in enumerate(HOSTILE_NAMES):
            # Stored as they are (an older vault, or a bundle from an older hrd-tui, may hold
            # them; input now drops invisible characters from names): the display must cope.
            base.create(session, Contact, {"name": name, "codename": f"H-{n}", "notes": name, "organisation": name})
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)


async def test_hostile_names_show_literally_search_and_keep_the_layout(hostile_app) -> None:  # type: ignore[no-untyped-def]
    from rich.cells import cell_len

    app = hostile_app
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_contacts(app, pilot)
        assert table.row_count == len(HOSTILE_NAMES)
        width = sum(table.widths)
        for i in range(table.row_count):
            cells = table.fitted(i)
            assert cell_len("".join(cells)) == width  # every row exactly as wide: CJK, emoji, 10k chars
            assert not any(ch in "".join(cells) for ch in "\x1b\x07\u202e")
        shown = names(table)
        assert "[bold red]Loud[/] …" in shown  # markup shown as typed, cut to the column
        assert "<RLO>evil override" in shown
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "pwned\x07" not in svg
        for query, expected in (
            ("ليلى", "ليلى حداد"),
            ("мария", "Мария Иванова"),
            ("秀英", "王秀英"),
            ("loud", "[bold red]Loud[/] …"),
            ("zero", "Zerowidthname"),
        ):
            table.focus()
            await pilot.press("slash", *query)
            await pilot.pause()
            found = [n.replace("\u200b", "").replace("\u200d", "") for n in names(table)]
            assert found == [expected], (query, found)
            app.screen.query_one("#contacts-filter", Input).value = ""
            await pilot.pause()
        await pilot.press("escape", "home", "enter")  # the markup one, first by name
        await pilot.pause()
        title = str(app.screen.query_one("#detail-title").render())
        profile = str(app.screen.query_one("#detail-profile").render())
        assert "[bold red]Loud[/]" in title and "[link=https://evil.example]" in profile


async def test_long_lists_load_page_by_page_as_the_cursor_goes_down(vault_dir: Path, tmp_path: Path) -> None:
    from hrd_tui.screens.contacts import PAGE_SIZE

    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("many") as session:
        for n in range(PAGE_SIZE * 2 + 5):
            contacts.create_contact(session, {"name": f"Person {n:03d}", "codename": f"P-{n:03d}"})
    opened.close()
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_contacts(app, pilot)
        assert table.row_count == PAGE_SIZE
        assert f"{PAGE_SIZE} of {PAGE_SIZE * 2 + 5} contacts" in str(app.screen.query_one("#contacts-count").render())
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert table.row_count == PAGE_SIZE * 2  # the next page came as the cursor neared the end
        await pilot.press("end")  # End: all the rest (read on a worker), and the very last one
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == PAGE_SIZE * 2 + 5
        assert names(table)[table.cursor_row] == f"Person {PAGE_SIZE * 2 + 4:03d}"
        await pilot.press("e")  # edit the last one; back on the list, the cursor is still on it
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert names(table)[table.cursor_row] == f"Person {PAGE_SIZE * 2 + 4:03d}"
        assert f"{PAGE_SIZE * 2 + 5} contacts" in str(app.screen.query_one("#contacts-count").render())


async def test_end_then_enter_in_one_burst_opens_the_very_last_contact(vault_dir: Path, tmp_path: Path) -> None:
    """End reads the rest on a worker: an Enter that arrives with it waits for the rest
    and opens the last contact of all, not the last of the page loaded when it came."""
    from hrd_tui.screens.contacts import PAGE_SIZE

    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("many") as session:
        made = [
            contacts.create_contact(session, {"name": f"Person {n:03d}", "codename": f"P-{n:03d}"})
            for n in range(PAGE_SIZE * 3 + 7)
        ]
        last_id = made[-1].id
    opened.close()
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_contacts(app, pilot)
        assert table.row_count == PAGE_SIZE
        await burst(app, pilot, "end", "enter")
        assert isinstance(app.screen, ContactDetailScreen) and app.screen.contact_id == last_id
        assert table.row_count == PAGE_SIZE * 3 + 7


async def test_consent_channel_and_relationship_from_the_detail_view(app) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.screens.contact_form import ChannelModal, ConsentModal, RelationshipModal

    async with app.run_test(size=(80, 40)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("enter", "p")  # Ana: record a consent decision
        await pilot.pause()
        assert isinstance(app.screen, ConsentModal)
        form = app.screen.query_one(RecordForm)
        form.query_one("#field-scope", Select).value = "naming"
        await pilot.pause()
        form.query_one("#field-how", Input).value = "in person"
        form.query_one("#field-value", Select).value = "anonymised"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)
        consent = str(app.screen.query_one("#detail-consent").render())
        assert "Naming in reporting: Anonymised" in consent and "in person" in consent
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ChannelModal)
        app.screen.query_one("#field-kind", Select).value = "wire"
        app.screen.query_one("#field-handle", Input).value = "ana.wire"
        await pilot.press("f2")
        await pilot.pause()
        channels = str(app.screen.query_one("#detail-channels").render())
        assert channels.index("+15550100") < channels.index("ana.wire")  # the preferred one first
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, RelationshipModal)
        app.screen.query_one("#field-other", Input).value = "Nobody-1"
        await pilot.press("f2")
        await pilot.pause()
        assert "no contact with codename" in str(app.screen.query_one("#error-other").render())
        app.screen.query_one("#field-other", Input).value = "Aster-303"
        app.screen.query_one("#field-kind", Select).value = "works_with"
        await pilot.press("f2")
        await pilot.pause()
        assert "works with 陈静 (Aster-303) (probable)" in str(app.screen.query_one("#detail-relationships").render())


async def test_the_consent_form_offers_only_the_decisions_the_scope_takes(app) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: all five decisions were offered for every scope, the wrong ones refused only on save."""
    from hrd_tui.screens.contact_form import ConsentModal

    def offered(form: RecordForm) -> list[str]:
        select = form.query_one("#field-value", Select)
        return [str(code) for _, code in select._options if code is not Select.NULL]

    async with app.run_test(size=(80, 40)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("enter", "p")
        await pilot.pause()
        assert isinstance(app.screen, ConsentModal)
        form = app.screen.query_one(RecordForm)
        assert offered(form) == []  # no scope yet: nothing to decide
        form.query_one("#field-scope", Select).value = "naming"
        await pilot.pause()
        assert offered(form) == ["never", "anonymised", "named"]
        form.query_one("#field-value", Select).value = "named"
        form.query_one("#field-scope", Select).value = "contact"
        await pilot.pause()
        assert offered(form) == ["granted", "refused", "withdrawn"]  # issue 18: a consent can be withdrawn
        assert form.query_one("#field-value", Select).value is Select.NULL  # "named" is not a decision here
        form.query_one("#field-value", Select).value = "refused"
        form.query_one("#field-scope", Select).value = "share_with_missions"
        await pilot.pause()
        assert form.query_one("#field-value", Select).value == "refused"  # still a decision here: kept
        form.query_one("#field-scope", Select).value = "naming"
        await pilot.pause()
        form.query_one("#field-value", Select).value = "anonymised"
        await pilot.press("ctrl+l")  # a lock: both come back, the decision among the scope's own
        await pilot.pause()
        assert app.locked
        await unlock(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, ConsentModal)
        form = app.screen.query_one(RecordForm)
        assert form.query_one("#field-scope", Select).value == "naming"
        assert form.query_one("#field-value", Select).value == "anonymised"
        assert offered(form) == ["never", "anonymised", "named"]
        app.screen.dismiss(None)
        await pilot.pause()
        with app.session() as s:  # asked from a case: the scope is set, so is the offer
            ana = s.exec(select(Contact).where(Contact.codename == "Heron-101")).one()
        app.push_screen(ConsentModal(ana.id, scope="private_demarche"))
        await pilot.pause()
        assert offered(app.screen.query_one(RecordForm)) == ["granted", "refused", "withdrawn"]


async def test_delete_asks_and_refuses_a_defender_in_a_case(app) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.services import threats

    with vault_session(app.vault_dir) as s:
        chen = s.exec(select(Contact).where(Contact.codename == "Aster-303")).one()
        threats.open_case(s, {"title": "Raid on the office", "opened_on": TODAY}, [chen])
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_contacts(app, pilot)
        table.move_cursor(2)  # 陈静
        await pilot.press("enter", "x", "y")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)  # refused, still there
        assert any("cannot be deleted" in str(n.message) for n in app._notifications)
        await pilot.press("escape", "home", "enter", "x", "y")  # Ana: no case
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        assert names(app.screen.query_one("#contacts", RowList)) == ["Борис Петров", "陈静"]


async def test_palette_new_contact_and_the_name_is_masked_in_discreet_mode(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("d", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"New contact")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormScreen)
        assert app.screen.query_one("#field-name", Input).password  # a bystander sees dots


async def test_an_interaction_being_typed_survives_a_lock(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("i", *"Half a sentence")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.locked
        await unlock(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, InteractionModal)  # back where the officer was, no key pressed
        assert app.screen.query_one("#field-summary", Input).value == "Half a sentence"


async def test_absurd_dates_are_refused_on_the_field_and_k_still_goes_to_checklists(app) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.screens.checklists import ChecklistsScreen

    async with app.run_test(size=(80, 40)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen.query_one(RecordForm)
        form.query_one("#field-name", Input).value = "Olu Ade"
        form.query_one("#field-next_follow_up_on", Input).value = "+9999999"
        await pilot.press("f2")
        await pilot.pause()
        assert "YYYY-MM-DD" in str(app.screen.query_one("#error-next_follow_up_on").render())
        assert form.query_one("#field-next_follow_up_on", Input).value == "+9999999"  # kept as typed
        form.query_one("#field-next_follow_up_on", Input).value = "+2"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("k")  # the list has focus: the section key still works
        await pilot.pause()
        assert isinstance(app.screen, ChecklistsScreen)


async def test_discreet_mode_reaches_screens_already_open(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 40)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("e")  # Ana's form
        await pilot.pause()
        name = app.screen.query_one("#field-name", Input)
        assert not name.password
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#detail-body").focus()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-email", Input).value = "ana.nunez@example.org"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("h")  # the changes view, then discreet mode
        await pilot.pause()
        assert "Ana Núñez" in str(app.screen.query_one("#changes-title").render())
        await pilot.press("d")
        await pilot.pause()
        table = app.screen.query_one("#changes", DataTable)
        shown = str(app.screen.query_one("#changes-title").render()) + " ".join(
            str(c) for i in range(table.row_count) for c in table.get_row_at(i)
        )
        assert "Ana Núñez" not in shown and "ana.nunez" not in shown and "Heron-101" in shown
        await pilot.press("escape")
        await pilot.pause()
        profile = str(app.screen.query_one("#detail-profile").render())
        channels = str(app.screen.query_one("#detail-channels").render())
        assert "ana.nunez" not in profile and "+15550100" not in channels and "hidden" in channels


async def test_next_follow_up_is_the_earliest_planned_or_open_one(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 40)) as pilot:
        table = await to_contacts(app, pilot)
        table.move_cursor(1)  # Борис
        await pilot.press("i", *"Call about the appeal", "tab", "tab", "tab", *"Send the brief", "tab", *"+5", "enter")
        await pilot.pause()
        row = table.get_row_at(table.index_of(table.cursor_key or ""))
        assert row[0] == "Борис Петров" and row[5] == str(TODAY + timedelta(days=5))
        with app.session() as s:
            ana = s.exec(select(Contact).where(Contact.codename == "Heron-101")).one()
            contacts.update_contact(s, ana, {"next_follow_up_on": TODAY + timedelta(days=1)})
        await pilot.press("t")
        await pilot.pause()
        follow = app.screen.query_one("#today-follow-ups", DataTable)
        rows = [[str(c) for c in follow.get_row_at(i)] for i in range(follow.row_count)]
        assert [r[2] for r in rows] == ["Planned follow-up", "Send the brief"]
        follow.focus()
        await pilot.press("space")  # the planned one: done, the date cleared (the edit is in the history)
        await pilot.pause()
        assert [str(follow.get_row_at(i)[2]) for i in range(follow.row_count)] == [
            "[x] Planned follow-up",
            "Send the brief",
        ]
        with app.session() as s:
            assert s.exec(select(Contact).where(Contact.codename == "Heron-101")).one().next_follow_up_on is None
        await pilot.press("space")  # by mistake: the same key sets the date again (issue 22)
        await pilot.pause()
        assert [str(follow.get_row_at(i)[2]) for i in range(follow.row_count)] == [
            "Planned follow-up",
            "Send the brief",
        ]
        with app.session() as s:
            ana = s.exec(select(Contact).where(Contact.codename == "Heron-101")).one()
            assert ana.next_follow_up_on == TODAY + timedelta(days=1)


async def test_the_detail_shows_the_same_next_follow_up_as_the_list(app) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: the detail said "Next follow-up: -" after an interaction with a follow-up due in 7 days."""
    async with app.run_test(size=(80, 40)) as pilot:
        table = await to_contacts(app, pilot)
        table.move_cursor(1)  # Борис, no planned date
        await pilot.press("i", *"Call about the appeal", "tab", "tab", "tab", *"Send the brief", "tab", *"+7", "enter")
        await pilot.pause()
        row = table.get_row_at(table.index_of(table.cursor_key or ""))
        assert row[0] == "Борис Петров" and row[5] == str(TODAY + timedelta(days=7))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)
        profile = str(app.screen.query_one("#detail-profile").render())
        assert f"Next follow-up: {TODAY + timedelta(days=7)}" in profile


async def test_a_new_contact_half_typed_survives_a_lock_notes_included(app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import TextArea

    async with app.run_test(size=(80, 40)) as pilot:
        await to_contacts(app, pilot)
        await pilot.press("n", *"Noor Haddad")
        app.screen.query_one("#field-notes", TextArea).focus()
        await pilot.press(*"met at the", "enter", *"clinic")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.locked
        await unlock(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ContactFormScreen)  # back where the officer was, no key pressed
        assert app.screen.query_one("#field-name", Input).value == "Noor Haddad"
        assert app.screen.query_one("#field-notes", TextArea).text == "met at the\nclinic"
        assert app.focused is app.screen.query_one("#field-notes", TextArea)
        await pilot.press("f2")  # saved: the drafts go
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#field-name", Input).value == ""
        assert app.screen.query_one("#field-notes", TextArea).text == ""


def test_a_cadence_of_one_day_reads_in_the_singular(opened) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.screens.contact_detail import profile_lines

    with opened.store.session() as session:
        daily = contacts.create_contact(session, {"name": "Dana", "cadence_days": 1})
        weekly = contacts.create_contact(session, {"name": "Eve", "cadence_days": 7})
        lines = {
            c.name: " ".join(profile_lines(contacts.detail_view(session, c.id), False, TODAY)) for c in (daily, weekly)
        }
    assert "every 1 day " in lines["Dana"] + " " and "every 1 days" not in lines["Dana"]
    assert "every 7 days" in lines["Eve"]
