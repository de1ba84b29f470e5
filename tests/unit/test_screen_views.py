"""The view functions the monitoring, changes and today screens call (issue 17: screens
hold no session). Each opens its own transaction on what it is handed (here the store,
as the app is in the screens) and gives back plain values: no ORM instance, which would
outlive its session, anywhere in what it returns."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from helpers.views import assert_plain

from hrd_tui import wallclock
from hrd_tui.errors import NotFound, ValidationError
from hrd_tui.services import changes, contacts, monitoring, today, trials
from hrd_tui.vocab import CivicCategory

DAY = date(2026, 11, 28)


# -- monitoring ---------------------------------------------------------------------------------
def test_monitoring_views_read_write_and_count_in_their_own_transactions(opened) -> None:  # type: ignore[no-untyped-def]
    tx = opened.store
    with tx.session("t") as s:
        ana = contacts.create_contact(s, {"name": "Ana Pérez", "codename": "Heron-1"})
        ana_id = ana.id
    new_id = monitoring.save_observation(
        tx,
        None,
        {
            "category": "dialogue",
            "description": "Round table with the ministry",
            "observed_on": DAY,
            "location": "",
            "contacts": ["Heron-1"],
        },
        [{"description": "A participant", "reliability": "B", "credibility": "2"}],
        today=DAY,
    )
    assert isinstance(new_id, str)

    rows = monitoring.read_observations(tx, monitoring.ObservationFilter(), limit=10)
    assert_plain(rows)
    assert [(r.id, r.description, r.location, r.sources, r.people) for r in rows] == [
        (new_id, "Round table with the ministry", None, 1, (("Ana Pérez", "Heron-1"),))
    ]

    form = monitoring.observation_form(tx, new_id)
    assert_plain(form)
    assert form.sources == 1 and form.values["contacts"] == ["Heron-1"] and form.values["cases"] == []
    assert form.values["description"] == "Round table with the ministry"

    # An edit that does not retype who it is about keeps the link.
    assert monitoring.save_observation(tx, new_id, {"description": "Round table, postponed"}, [], today=DAY) == new_id
    edited = monitoring.read_observations(tx, monitoring.ObservationFilter(), limit=10)[0]
    assert edited.description == "Round table, postponed" and edited.people == (("Ana Pérez", "Heron-1"),)
    with pytest.raises(ValidationError) as refused:
        monitoring.save_observation(tx, new_id, {"description": "  "}, [], today=DAY)
    assert refused.value.errors == {"description": "is required"}

    trend = monitoring.read_trend(tx, DAY, 3)
    assert_plain(trend)
    assert trend.total == 1 and trend.counts[CivicCategory.DIALOGUE][-1] == 1
    assert ana_id


# -- changes ------------------------------------------------------------------------------------
def test_record_changes_are_text_with_the_title_and_note(opened) -> None:  # type: ignore[no-untyped-def]
    tx = opened.store
    obs_id = monitoring.save_observation(
        tx,
        None,
        {"category": "dialogue", "description": "First words", "observed_on": DAY, "location": "By the river"},
        [],
        today=DAY,
    )
    labels = {"description": "What was observed", "location": "Where"}
    found = changes.record_changes(tx, monitoring.CHANGES_RECORD, obs_id, monitoring.changes_label, labels=labels)
    assert_plain(found)
    assert found.rows == () and found.note == changes.NEVER_CHANGED
    assert found.title.startswith(f"Changes to Observation of {DAY}: ")

    monitoring.save_observation(tx, obs_id, {"description": "Second words", "location": "Uptown"}, [], today=DAY)
    found = changes.record_changes(
        tx,
        monitoring.CHANGES_RECORD,
        obs_id,
        monitoring.changes_label,
        labels=labels,
        hidden=frozenset({"location"}),
        discreet=True,
    )
    assert_plain(found)
    assert found.note == "" and "1 earlier version kept" in found.title
    by_field = {row.field: row for row in found.rows}
    what = by_field["What was observed"]
    assert (what.before, what.after) == ("First words", "Second words")
    assert (by_field["Where"].before, by_field["Where"].after) == (changes.HIDDEN, changes.HIDDEN)
    assert all(isinstance(row.when, str) and row.source_cell == row.source for row in found.rows)
    with pytest.raises(NotFound):
        changes.record_changes(tx, monitoring.CHANGES_RECORD, "no-such-id", monitoring.changes_label, labels=labels)


# -- today --------------------------------------------------------------------------------------
def test_today_list_and_marking_a_follow_up_done_and_open_again(opened) -> None:  # type: ignore[no-untyped-def]
    tx = opened.store
    with tx.session("t") as s:
        ana = contacts.create_contact(s, {"name": "Ana Pérez", "codename": "Heron-1"})
        contacts.log_interaction(
            s,
            {"kind": "meeting", "occurred_at": wallclock.now()},
            [ana],
            [{"description": "Call back", "due_on": DAY - timedelta(days=2)}],
        )
        trial = trials.create_trial(s, {"title": "The case of Ana Pérez", "court": "High Court", "case_number": "7/26"})
        trials.add_hearing(
            s, trial, {"starts_at": datetime.combine(DAY + timedelta(days=3), datetime.min.time()).astimezone()}
        )
        ana_id = ana.id

    shown = today.read_today(tx, DAY, discreet=True)
    assert_plain(shown)
    (item,) = shown.follow_ups
    assert (item.description, item.contact_id, item.who(True), item.who(False), item.days_late(DAY)) == (
        "Call back",
        ana_id,
        "Heron-1",
        "Ana Pérez",
        2,
    )
    (hearing,) = shown.hearings
    assert "Ana" not in hearing.label and "High Court" in hearing.label  # discreet: court and case number

    done = today.mark_follow_up_done(tx, item.key, DAY)
    assert_plain(done)
    assert done == item and today.read_today(tx, DAY, discreet=False).follow_ups == []
    with pytest.raises(NotFound, match="has changed"):
        today.mark_follow_up_done(tx, item.key, DAY)
    today.reopen_follow_up(tx, item.key, item.due_on)
    assert [f.key for f in today.read_today(tx, DAY, discreet=False).follow_ups] == [item.key]
