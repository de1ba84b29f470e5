"""Issue 22, dead ends, on the contact's detail view by keys alone: f corrects the records
around a contact. A channel is edited, retired on a day (shown "retired 2026-11-20" in
words, no longer preferred, never offered to copy) and reinstated, or removed; an
interaction is edited with who took part, or removed with its follow-ups; a relationship
edited or removed; a follow-up marked done and opened again. Each removal asks first,
naming what goes, and leaves its last state in the history. At 80x24, in 16 colours,
on a real encrypted vault (Pilot)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock
from helpers.colours import screen_text, sixteen_colours
from sqlmodel import select
from textual.widgets import Input

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.models import Contact, FollowUp, Interaction, RecordVersion, Relationship, SecureChannel
from hrd_tui.screens.contact_detail import ContactDetailScreen
from hrd_tui.screens.contact_records import (
    EditChannelModal,
    EditInteractionModal,
    EditRelationshipModal,
    RetireChannelModal,
)
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.pick import PickModal
from hrd_tui.services import contacts

TODAY = FROZEN_DAY
#: The order f lists a contact's records in: as the sections of the view.
CHANNEL, RELATIONSHIP, FOLLOW_UP, INTERACTION = range(4)


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Ana, with a preferred Signal channel, a relationship to Boris, and a meeting with
    Boris that left a follow-up; Chen besides. In 16 colours."""
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101", "kind": "defender"})
        boris = contacts.create_contact(s, {"name": "Борис Петров", "codename": "Cedar-202", "kind": "lawyer"})
        contacts.create_contact(s, {"name": "陈静", "codename": "Aster-303", "kind": "journalist"})
        contacts.add_channel(s, ana, {"kind": "signal", "handle": "+15550100", "preferred": True})
        contacts.relate(s, {"from_contact_id": ana.id, "to_contact_id": boris.id, "kind": "works_with"})
        contacts.log_interaction(
            s,
            {
                "kind": "meeting",
                "occurred_at": wallclock.now() - timedelta(hours=2),
                "summary": "Talked about the eviction",
            },
            [ana, boris],
            [{"description": "Send the lawyer list", "due_on": TODAY + timedelta(days=2)}],
        )
    opened.close()
    return sixteen_colours(make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today))


async def to_ana(app, pilot) -> ContactDetailScreen:  # type: ignore[no-untyped-def]
    await unlock(app, pilot)
    with app.session() as s:
        ana_id = s.exec(select(Contact.id).where(Contact.codename == "Heron-101")).one()
    app.push_screen(ContactDetailScreen(ana_id))
    await pilot.pause()
    assert isinstance(app.screen, ContactDetailScreen)
    return app.screen


async def correct(pilot, record: int, fix: int) -> None:  # type: ignore[no-untyped-def]
    """f, the record-th record, then the fix-th thing to do with it, by keys."""
    await pilot.press("f")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PickModal)
    await pilot.press(*["down"] * record, "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PickModal)
    await pilot.press(*["down"] * fix, "enter")
    await pilot.pause()


def section(app, name: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(f"#detail-{name}").render())


def tombstones(app, entity: str) -> list[RecordVersion]:  # type: ignore[no-untyped-def]
    with app.session() as s:
        return list(s.exec(select(RecordVersion).where(RecordVersion.entity == entity, RecordVersion.deleted)))


async def test_f_lists_every_record_and_what_can_be_done_in_words(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ana(app, pilot)
        text = screen_text(app)
        assert "w Quick note" in text.splitlines()[-1]  # the footer still fits 80 columns; f is in F1,
        assert "Secure channels (preferred first; v adds, y copies, f corrects or retires)" in text  # the headings
        commands = {c.title for c in app.get_system_commands(app.screen)}  # and the palette
        assert any(title.startswith("Correct a record: edit or remove an interaction") for title in commands)
        await pilot.press("f")
        await pilot.pause()
        text = screen_text(app)
        assert "Correct which record?" in text
        assert "> Channel: * Signal: +15550100" in text  # the one Enter picks, marked without colour
        assert "Relationship: works with Борис Петров (Cedar-202) (probable)" in text
        assert "Follow-up: [ ] Send the lawyer list (due 2026-11-30)" in text
        assert "Interaction: " in text and "Meeting: Talked about the eviction" in text
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "What to do with this channel?" in text
        assert all(words in text for words in ("> Edit it", "Retire it on a day", "Remove it (recorded by mistake)"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)
        await pilot.press("d", "f")  # discreet mode: codenames, and no handle
        await pilot.pause()
        text = screen_text(app)
        assert "+15550100" not in text and "Борис" not in text and "Cedar-202" in text


async def test_a_channel_is_retired_on_a_day_and_reinstated(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ana(app, pilot)
        await correct(pilot, CHANNEL, 1)
        assert isinstance(app.screen, RetireChannelModal)
        assert "Retire the Signal channel" in screen_text(app)
        field = app.screen.query_one("#field-retired_on", Input)
        assert field.value == str(TODAY)
        await pilot.press(*["backspace"] * 10, *"2026-11-20", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)
        assert "  Signal: +15550100  (retired 2026-11-20)" in section(app, "channels")  # in words; no * (preferred)
        with app.session() as s:
            (ch,) = s.exec(select(SecureChannel)).all()
            assert ch.retired_on == TODAY - timedelta(days=8) and not ch.preferred
        await pilot.press("y")  # a retired channel is never copied
        await pilot.pause()
        assert "(retired 2026-11-20)" in screen_text(app)
        await correct(pilot, CHANNEL, 1)  # reinstate
        assert "retired" not in section(app, "channels")
        with app.session() as s:
            (ch,) = s.exec(select(SecureChannel)).all()
            assert ch.retired_on is None
            versions = s.exec(select(RecordVersion).where(RecordVersion.entity_id == ch.id)).all()
            assert [v.data["retired_on"] for v in versions] == [None, "2026-11-20"]  # both kept


async def test_a_channel_retired_in_the_future_is_refused_under_the_field(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ana(app, pilot)
        await correct(pilot, CHANNEL, 1)
        await pilot.press(*["backspace"] * 10, *"+3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RetireChannelModal)
        assert "! is in the future: retire a channel once it is no longer used" in screen_text(app)


async def test_a_channel_is_edited_or_removed_after_a_question_naming_it(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ana(app, pilot)
        await correct(pilot, CHANNEL, 0)
        assert isinstance(app.screen, EditChannelModal)
        handle = app.screen.query_one("#field-handle", Input)
        assert handle.value == "+15550100"
        handle.focus()
        await pilot.press("end", *["backspace"] * 3, *"199", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)
        assert "* Signal: +15550199" in section(app, "channels")
        await correct(pilot, CHANNEL, 2)
        assert isinstance(app.screen, ConfirmModal)
        assert "Remove the channel * Signal: +15550199?" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        await pilot.pause()
        assert "No channel recorded." in section(app, "channels")
        (gone,) = tombstones(app, "secure_channel")
        assert gone.data["handle"] == "+15550199"


async def test_an_interaction_is_edited_with_who_took_part(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ana(app, pilot)
        await correct(pilot, INTERACTION, 0)
        assert isinstance(app.screen, EditInteractionModal)
        assert not app.screen.query("#field-follow_up")  # a follow-up is its own record
        summary = app.screen.query_one("#field-summary", Input)
        others = app.screen.query_one("#field-others", Input)
        assert summary.value == "Talked about the eviction" and others.value == "Cedar-202"
        others.focus()
        await pilot.press("end", *["backspace"] * 9, *"Aster-303")
        summary.focus()
        await pilot.press("end", *" and the appeal", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)
        assert "Talked about the eviction and the appeal" in section(app, "interactions")
        with app.session() as s:
            (it,) = s.exec(select(Interaction)).all()
            assert [c.codename for c in contacts.participants_of(s, it.id)] == ["Aster-303", "Heron-101"]
        assert len(tombstones(app, "interaction_participant")) == 1  # Boris's part, kept


async def test_an_interaction_is_removed_with_its_follow_ups_after_a_question(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ana(app, pilot)
        await correct(pilot, INTERACTION, 1)
        assert isinstance(app.screen, ConfirmModal)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "Meeting: Talked about the eviction" in question
        assert "who took part (2)" in question and "follow-ups (1)" in question
        await pilot.press("n")  # kept
        await pilot.pause()
        with app.session() as s:
            assert len(s.exec(select(Interaction)).all()) == 1
        await correct(pilot, INTERACTION, 1)
        await pilot.press("y")
        await pilot.pause()
        assert "None logged yet." in section(app, "interactions") and section(app, "follow-ups") == "None."
        with app.session() as s:
            assert s.exec(select(Interaction)).all() == [] and s.exec(select(FollowUp)).all() == []
        assert len(tombstones(app, "interaction")) == 1 and len(tombstones(app, "follow_up")) == 1
        assert len(tombstones(app, "interaction_participant")) == 2


async def test_a_relationship_is_edited_or_removed(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ana(app, pilot)
        await correct(pilot, RELATIONSHIP, 0)
        assert isinstance(app.screen, EditRelationshipModal)
        other = app.screen.query_one("#field-other", Input)
        assert other.value == "Cedar-202"
        other.focus()
        await pilot.press("end", *["backspace"] * 9, *"Heron-101", "enter")  # herself: refused under the field
        await pilot.pause()
        assert isinstance(app.screen, EditRelationshipModal)
        assert "themselves" in screen_text(app)
        await pilot.press(*["backspace"] * 9, *"Aster-303", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)
        assert "works with 陈静 (Aster-303)" in section(app, "relationships")
        await correct(pilot, RELATIONSHIP, 1)
        assert "Remove the relationship: works with 陈静 (Aster-303)" in str(
            app.screen.query_one("#confirm-question").render()
        )
        await pilot.press("y")
        await pilot.pause()
        assert section(app, "relationships") == "None recorded."
        with app.session() as s:
            assert s.exec(select(Relationship)).all() == []
        assert len(tombstones(app, "contact_relationship")) == 1


async def test_a_follow_up_is_marked_done_and_opened_again_from_the_detail(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ana(app, pilot)
        await correct(pilot, FOLLOW_UP, 0)
        assert f"[x] Send the lawyer list (done {TODAY})" in section(app, "follow-ups")
        await correct(pilot, FOLLOW_UP, 0)
        assert "[ ] Send the lawyer list (due 2026-11-30)" in section(app, "follow-ups")
        with app.session() as s:
            (fu,) = s.exec(select(FollowUp)).all()
            assert fu.done_on is None
            versions = s.exec(select(RecordVersion).where(RecordVersion.entity_id == fu.id)).all()
            assert [v.data["done_on"] for v in versions] == [None, str(TODAY)]


def test_a_retired_channel_and_the_pick_in_16_colours(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    """The detail with a retired channel, and f's list over it, at 80x24 in the 16 standard colours."""

    async def retire_then_pick(pilot) -> None:  # type: ignore[no-untyped-def]
        await to_ana(pilot.app, pilot)
        await correct(pilot, CHANNEL, 1)
        await pilot.press(*["backspace"] * 10, *"2026-11-20", "enter")
        await pilot.pause()
        pilot.app.clear_notifications()  # the notice times out: not part of the picture
        await pilot.press("f")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=retire_then_pick)


async def test_today_forgets_a_follow_up_done_there_then_removed_elsewhere(app) -> None:  # type: ignore[no-untyped-def]
    """Space on Today keeps a done follow-up listed so that space opens it again; removed
    meanwhile (its interaction removed), space says so and the row goes."""
    from textual.widgets import DataTable

    from hrd_tui.screens.today import TodayScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        follow = app.screen.query_one("#today-follow-ups", DataTable)
        follow.focus()
        await pilot.press("space")
        await pilot.pause()
        assert str(follow.get_row_at(0)[2]) == "[x] Send the lawyer list"
        assert "Done/reopen" in screen_text(app).splitlines()[-1]  # the footer says what space does, in words
        with app.session() as s:
            contacts.delete_interaction(s, s.exec(select(Interaction)).one())
        await pilot.press("space")
        await pilot.pause()
        assert str(follow.get_row_at(0)[2]) == "Nothing due this week."
        with app.session() as s:
            assert s.exec(select(FollowUp)).all() == []
