"""The history screen tells the truth (issue 22): every change, lists included, each
field by its form's label, values whole one key away, local times, and where each
change came from; after a purge an edited record says its earlier changes are gone."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import PASSPHRASE, unlock
from helpers.colours import screen_text
from sqlalchemy import text
from sqlmodel import select
from textual.widgets import DataTable

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.models import Contact, RecordVersion, utcnow
from hrd_tui.screens.changes import HIDDEN, NEVER_CHANGED, NOT_KEPT, ChangesScreen, WholeChange
from hrd_tui.screens.contact_detail import ContactDetailScreen
from hrd_tui.services import base, contacts, history, reference

LONG_ROLE = "Coordinator of the regional network of land defenders, lawyers and community paralegals"
LONG_ORGANISATION = "\n".join(f"Line {n} of a very long organisation name" for n in range(200))


@pytest.fixture
def auckland(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A time zone far from UTC, so a UTC time shown as is reads wrong."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    yield ZoneInfo("Pacific/Auckland")
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path, auckland: ZoneInfo):  # type: ignore[no-untyped-def]
    """Ana: her role edited by the officer, her focus areas changed, her phone taken from a
    handover and its notes not taken. Boris: edited long ago, that history purged."""
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as s:
        ana = contacts.create_contact(
            s,
            {"name": "Ana Núñez", "codename": "Heron-101", "role": "Organiser", "notes": "Met at the land forum"},
            ["labour"],
        )
        boris = contacts.create_contact(s, {"name": "Борис Петров", "codename": "Cedar-202"})
        contacts.create_contact(s, {"name": "陈静", "codename": "Aster-303"})
        s.connection().execute(
            text("UPDATE contact SET created_at = :t, updated_at = :t WHERE id = :i"),
            {"t": utcnow() - timedelta(days=200), "i": boris.id},
        )
    with wallclock.frozen(utcnow() - timedelta(days=100)), opened.store.session("test data") as s:
        contacts.update_contact(s, base.get(s, Contact, boris.id), {"role": "Lawyer"})
    with opened.store.session("test data") as s:
        history.purge(s, 90)
    with opened.store.session("test data") as s:
        contacts.update_contact(s, base.get(s, Contact, ana.id), {"role": LONG_ROLE, "organisation": LONG_ORGANISATION})
    with opened.store.session("test data") as s:
        contacts.set_focus_areas(s, base.get(s, Contact, ana.id), ["labour", "land_environment"])
    with opened.store.session("test data") as s:
        s.info["change_source"] = "handover merge from Post A"
        ana = base.get(s, Contact, ana.id)
        contacts.update_contact(s, ana, {"phone": "+15550100"})
        history.record_declined(
            s, ana, {"notes": "Ana Núñez said the land office is watched"}, "handover merge from Post A"
        )
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)


async def open_changes(app, pilot, codename: str) -> DataTable:  # type: ignore[no-untyped-def]
    if app.locked:
        await unlock(app, pilot)
    with app.session() as s:
        contact_id = s.exec(select(Contact.id).where(Contact.codename == codename)).one()
    app.push_screen(ContactDetailScreen(contact_id))
    await pilot.pause()
    await pilot.press("h")
    await pilot.pause()
    assert isinstance(app.screen, ChangesScreen)
    return app.screen.query_one("#changes", DataTable)


def rows(table: DataTable) -> dict[str, list[str]]:
    return {str(table.get_row_at(n)[1]): [str(c) for c in table.get_row_at(n)] for n in range(table.row_count)}


async def test_each_change_reads_with_its_label_local_time_and_source(app, auckland: ZoneInfo) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_changes(app, pilot, "Heron-101")
        shown = rows(table)
        assert set(shown) == {
            "Role",
            "Organisation",
            "Focus areas",
            "Phone",
            "Notes",
        }  # the form's labels, lists included
        labour, land = (reference.label("focus_area", a) for a in ("labour", "land_environment"))
        assert shown["Focus areas"][2:] == [labour, f"{land}, {labour}", "you"]
        assert shown["Role"][2:] == ["Organiser", LONG_ROLE, "you"]
        assert shown["Phone"][2:] == ["-", "+15550100", "handover merge from Post A"]
        assert shown["Notes"][2:] == ["Met at the land forum", "Ana Núñez said the land office is watched", "not taken"]
        with app.session() as s:
            changed = s.exec(
                select(RecordVersion.changed_at).where(RecordVersion.source == "").order_by(RecordVersion.id.desc())
            ).first()  # type: ignore[union-attr]
        local = changed.astimezone(auckland).strftime("%Y-%m-%d %H:%M")
        assert shown["Focus areas"][0] == local != changed.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M")
        assert "Earlier" not in str(app.screen.query_one("#changes-note").render())
        assert not app.screen.query_one("#changes-note").display


async def test_enter_shows_a_change_whole_and_discreet_mode_holds_there(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_changes(app, pilot, "Heron-101")
        drawn = screen_text(app)
        labels = [str(table.get_row_at(n)[1]) for n in range(table.row_count)]
        table.move_cursor(row=labels.index("Role"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WholeChange)
        whole = str(app.screen.query_one("#whole-change-values").render())
        assert LONG_ROLE in whole and "Organiser" in whole  # whole, where the table cuts it
        assert LONG_ROLE[:12] in drawn and LONG_ROLE not in drawn  # cut to fit in the table
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)
        await pilot.press("d")  # discreet: the notes name people
        await pilot.pause()
        table.move_cursor(row=labels.index("Notes"))
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, WholeChange)
        whole = str(app.screen.query_one("#whole-change-values").render())
        title = str(app.screen.query_one("#whole-change-title").render())
        assert HIDDEN in whole and "Núñez" not in whole and "land office" not in whole
        assert "not taken" in title and "handover merge from Post A" in title
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)


async def test_a_long_value_scrolls_whole(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_changes(app, pilot, "Heron-101")
        labels = [str(table.get_row_at(n)[1]) for n in range(table.row_count)]
        table.move_cursor(row=labels.index("Organisation"))
        await pilot.press("enter")
        await pilot.pause()
        body = app.screen.query_one("#whole-change-body")
        assert "Line 199 of" in str(app.screen.query_one("#whole-change-values").render())
        assert body.max_scroll_y > 100 and body.scroll_y == 0
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert body.scroll_y > 0


async def test_after_a_purge_the_history_says_earlier_changes_are_not_kept(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_changes(app, pilot, "Cedar-202")
        note = str(app.screen.query_one("#changes-note").render())
        assert note == NOT_KEPT and NEVER_CHANGED not in note
        assert table.row_count == 0
        await pilot.press("escape", "escape")
        await pilot.pause()
        table = await open_changes(app, pilot, "Aster-303")  # never edited: it says so
        assert str(app.screen.query_one("#changes-note").render()) == NEVER_CHANGED
