"""Civic-space monitoring by keys alone, at 80x24: an observation logged from the list
with a contact and a source, a missing category refused with what was typed kept,
the category, period and search filters, the trend chart's numbers, and discreet
mode (no names of the linked contacts, no locations). The real app on a real
encrypted vault (Pilot)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from sqlmodel import select
from textual.widgets import DataTable, Input, Static, TextArea

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.models import CivicObservation
from hrd_tui.screens.changes import ChangesScreen
from hrd_tui.screens.monitoring import (
    MonitoringScreen,
    ObservationFormScreen,
    TrendScreen,
)
from hrd_tui.screens.widgets.pick import PickModal
from hrd_tui.screens.widgets.record_form import RecordForm
from hrd_tui.screens.widgets.row_list import RowList
from hrd_tui.services import contacts, monitoring
from hrd_tui.vocab import CivicCategory as Civ
from hrd_tui.vocab import Credibility, Reliability

TODAY = FROZEN_DAY


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
        contacts.create_contact(session, {"name": "Борис Петров", "codename": "Cedar-202"})
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: TODAY)


def observe(
    vault_dir: Path,
    ago: int,
    category: Civ,
    description: str,
    *,
    location: str | None = None,
    sensitive: bool = True,
    people: tuple[str, ...] = (),
) -> str:
    with vault_session(vault_dir) as s:
        links = [{"contact_id": c.id} for c in contacts.by_codenames(s, people, "x")]
        return monitoring.add_observation(
            s,
            {
                "observed_on": TODAY - timedelta(days=ago),
                "category": category,
                "description": description,
                "location": location,
                "location_sensitive": sensitive,
            },
            [],
            links,
        ).id


async def to_list(app, pilot) -> RowList:  # type: ignore[no-untyped-def]
    await unlock(app, pilot)
    await pilot.press("m")
    await pilot.pause()
    assert isinstance(app.screen, MonitoringScreen)
    return app.screen.query_one("#observations", RowList)


def rows(table: RowList) -> list[tuple[str, ...]]:
    return [table.get_row_at(i) for i in range(table.row_count)]


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    return app.export_screenshot().replace("&#160;", " ")


async def test_an_observation_in_a_few_keys_with_a_contact_and_a_source(app, vault_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_list(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ObservationFormScreen)
        await pilot.press("enter", *"surv", "enter")  # the category: open, type to find, pick
        await pilot.press("tab", *"Followed home after the vigil", "tab")  # what; the day is today already
        await pilot.press("tab", *"Riverside", "tab", "tab", *"nunez")  # where (sensitive), about whom
        await pilot.press("tab", "tab", "tab", "tab")  # no case, no trial, no web link
        await pilot.press(*"Neighbour saw the car", "tab", "enter", *"usu", "enter")  # a source, usually reliable
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, MonitoringScreen)
        assert rows(table) == [("2026-11-28", "Surveillance", "Followed home after the vigil", "(sensitive)", "1")]
        assert table.cursor_key is not None
        new_id = table.cursor_key
    with vault_session(vault_dir) as s:
        obs = s.get(CivicObservation, new_id)
        assert obs is not None
        assert (obs.observed_on, obs.category, obs.location, obs.location_sensitive) == (
            TODAY,
            Civ.SURVEILLANCE,
            "Riverside",
            True,
        )
        assert [c.codename for c in monitoring.linked_contacts(s, obs.id)] == ["Heron-101"]
        (source,) = monitoring.sources_of(s, obs.id)
        assert (source.description, source.reliability, source.credibility, source.received_on) == (
            "Neighbour saw the car",
            Reliability.B,
            Credibility.CANNOT_JUDGE,
            TODAY,
        )


async def test_a_missing_category_is_refused_and_what_was_typed_stays(app, vault_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await to_list(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab", *"Vigil dispersed by police", "tab", "tab", *"Main square")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ObservationFormScreen)
        form = app.screen.query_one(RecordForm)
        assert "is required" in str(form.query_one("#error-category", Static).render())
        assert form.query_one("#field-description", TextArea).text == "Vigil dispersed by police"
        assert form.query_one("#field-location", Input).value == "Main square"
        # An unknown contact is refused under its field too, and the category once chosen stays.
        form.query_one("#field-category").value = Civ.RESTRICTIONS_ON_FREEDOMS.value  # type: ignore[attr-defined]
        form.query_one("#field-contacts", Input).value = "Nobody-999"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ObservationFormScreen)
        assert "no contact matches 'Nobody-999'" in str(form.query_one("#error-contacts", Static).render())
        assert form.query_one("#field-description", TextArea).text == "Vigil dispersed by police"
    with vault_session(vault_dir) as s:
        assert s.exec(select(CivicObservation)).all() == []


async def test_filter_by_category_period_and_search(app, vault_dir: Path) -> None:
    observe(vault_dir, 0, Civ.SURVEILLANCE, "Journalists followed")
    observe(vault_dir, 50, Civ.SURVEILLANCE, "Spyware found on phones")
    observe(vault_dir, 10, Civ.DIALOGUE, "Ministry consulted CSOs")
    observe(vault_dir, 200, Civ.ATTACKS_REPRISALS, "Organiser beaten", people=("Heron-101",))
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_list(app, pilot)
        assert [r[2] for r in rows(table)] == [
            "Journalists followed",
            "Ministry consulted CSOs",
            "Spyware found on phones",
            "Organiser beaten",
        ]
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        await pilot.press(*["down"] * 6, "enter")  # every category, then the sixth: surveillance
        await pilot.pause()
        assert [r[2] for r in rows(table)] == ["Journalists followed", "Spyware found on phones"]
        assert "Surveillance" in str(app.screen.query_one("#monitoring-filters", Static).render())
        await pilot.press("p")  # the last 30 days
        await pilot.pause()
        assert [r[2] for r in rows(table)] == ["Journalists followed"]
        await pilot.press("x")
        await pilot.pause()
        assert table.row_count == 4
        await pilot.press("p", "p")  # the last 90 days
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("x", "slash", *"heron")  # search as you type: a linked contact's codename
        await pilot.pause()
        assert [r[2] for r in rows(table)] == ["Organiser beaten"]
        app.screen.query_one("#monitoring-filter", Input).value = "spyware"
        await pilot.pause()
        assert [r[2] for r in rows(table)] == ["Spyware found on phones"]


async def test_the_trend_view_shows_the_right_numbers(app, vault_dir: Path) -> None:
    observe(vault_dir, 0, Civ.SURVEILLANCE, "a")  # November 2026
    observe(vault_dir, 27, Civ.SURVEILLANCE, "b")  # November 1st
    observe(vault_dir, 28, Civ.SURVEILLANCE, "c")  # October 31st
    observe(vault_dir, (TODAY - date(2025, 12, 1)).days, Civ.DIALOGUE, "d")  # the first day shown
    observe(vault_dir, (TODAY - date(2025, 11, 27)).days, Civ.DIALOGUE, "e")  # twelve months and a day: not shown
    async with app.run_test(size=(80, 24)) as pilot:
        await to_list(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, TrendScreen)
        chart = str(app.screen.query_one("#trend-chart", Static).render()).splitlines()
        assert all(len(line) <= 78 for line in chart)
        assert chart[1].split() == [
            "Category",
            "Dec",
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Total",
        ]
        assert chart[0].split() == ["2025", "2026"]
        by_label = {line[:12].strip(): line[12:] for line in chart[2:]}
        assert by_label["Surveillance"] == "    ·" * 10 + " ▄  1 █  2     3"
        assert by_label["Dialogue"] == " ▄  1" + "    ·" * 11 + "     1"
        assert by_label["Hacking"] == "    ·" * 12 + "     0"
        assert by_label["All"].split() == ["▄", "1", *["·"] * 9, "▄", "1", "█", "2", "4"]
        assert "4 in all" in str(app.screen.query_one("#trend-title", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MonitoringScreen)


async def test_discreet_mode_hides_the_names_of_linked_contacts_and_every_location(app, vault_dir: Path) -> None:
    observe(
        vault_dir,
        1,
        Civ.ATTACKS_REPRISALS,
        "Ana Núñez beaten outside her office",
        location="12 River Street",
        sensitive=False,
        people=("Heron-101",),
    )
    observe(
        vault_dir,
        2,
        Civ.SURVEILLANCE,
        "Car parked outside Борис Петров's flat",
        location="Block 9 flats",
        people=("Cedar-202",),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_list(app, pilot)
        assert rows(table) == [  # as shown at 80 columns: cut text ends in an ellipsis
            ("2026-11-27", "Attacks", "Ana Núñez beaten outside her of…", "12 River S…", "-"),
            ("2026-11-26", "Surveillance", "Car parked outside Борис Петров…", "(sensitive)", "-"),
        ]
        assert "Block 9" not in screen_text(app)  # sensitive: never in the list
        assert "Ana Núñez (Heron-101)" in str(app.screen.query_one("#monitoring-detail", Static).render())
        await pilot.press("d")
        await pilot.pause()
        assert rows(table) == [
            ("2026-11-27", "Attacks", "Heron-101 beaten outside her of…", "(hidden)", "-"),
            ("2026-11-26", "Surveillance", "Car parked outside Cedar-202's …", "(hidden)", "-"),
        ]
        for _ in range(2):
            shown = screen_text(app)
            for secret in ("Núñez", "Ana ", "Борис", "Петров", "River", "Block 9"):
                assert secret not in shown, secret
            await pilot.press("down")  # the other row's detail too
            await pilot.pause()


async def test_new_observation_from_the_palette(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["New observation"].callback()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ObservationFormScreen)
        assert app.screen.query_one("#field-observed_on", Input).value == "2026-11-28"


async def test_enter_edits_the_observation_and_keeps_its_case_link(app, vault_dir: Path) -> None:
    from hrd_tui.services import threats

    with vault_session(vault_dir) as s:
        ana = contacts.by_codenames(s, ["Heron-101"], "x")[0]
        case_id = threats.open_case(s, {"title": "Detention", "opened_on": TODAY}, [ana], []).id
        obs_id = monitoring.add_observation(
            s,
            {"observed_on": TODAY, "category": Civ.ATTACKS_REPRISALS, "description": "Organiser arrested"},
            [],
            [{"contact_id": ana.id}, {"case_id": case_id}],
        ).id
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_list(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ObservationFormScreen)
        form = app.screen.query_one(RecordForm)
        assert form.query_one("#field-contacts", Input).value == "Heron-101"
        assert form.query_one("#field-description", TextArea).text == "Organiser arrested"
        form.query_one("#field-contacts", Input).value = "Heron-101, Cedar-202"
        form.query_one("#field-source_description", Input).value = "Lawyer's call"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, MonitoringScreen)
        assert rows(table)[0][-1] == "1"  # the source, counted
        form_text = "Organiser arrested at dawn"
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-description", TextArea).text = form_text
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("h")  # what changed: the earlier text is kept
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)
        changes = app.screen.query_one("#changes", DataTable)
        cells = [str(changes.get_row_at(i)[2:]) for i in range(changes.row_count)]
        assert any("Organiser arrested" in c and form_text in c for c in cells), cells
    with vault_session(vault_dir) as s:
        assert [c.codename for c in monitoring.linked_contacts(s, obs_id)] == ["Cedar-202", "Heron-101"]
        assert case_id in {link.case_id for link in monitoring.links_of(s, obs_id)}
        assert [src.description for src in monitoring.sources_of(s, obs_id)] == ["Lawyer's call"]


async def test_an_observation_linked_to_a_case_and_a_trial_by_what_is_typed(app, vault_dir: Path) -> None:
    from hrd_tui.services import threats, trials

    with vault_session(vault_dir) as s:
        ana = contacts.by_codenames(s, ["Heron-101"], "x")[0]
        case = threats.open_case(s, {"title": "Detention after the march", "opened_on": TODAY}, [ana], plan=False)
        threats.open_case(s, {"title": "Smear campaign", "opened_on": TODAY}, [ana], plan=False)
        trial = trials.create_trial(s, {"title": "State v. Núñez", "case_number": "2026/114"}, [ana])
        case_id, trial_id = case.id, trial.id
    async with app.run_test(size=(80, 24)) as pilot:
        await to_list(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen.query_one(RecordForm)
        form.query_one("#field-category").value = "attacks_reprisals"
        form.query_one("#field-description", TextArea).text = "Arrested at dawn"
        form.query_one("#field-cases", Input).value = "Heron-101"  # both her cases: refused, said why
        form.query_one("#field-trials", Input).value = "2026/114"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ObservationFormScreen)
        assert "matches several" in str(form.query_one("#error-cases", Static).render())
        form.query_one("#field-cases", Input).value = "detention"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, MonitoringScreen)
    with vault_session(vault_dir) as s:
        (obs,) = s.exec(select(CivicObservation)).all()
        links = monitoring.links_of(s, obs.id)
        assert {(link.case_id, link.trial_id) for link in links} == {(case_id, None), (None, trial_id)}


async def test_every_period_rolls_back_from_today_and_says_so(app, vault_dir: Path) -> None:
    """Issue 22: 'last 12 months' meant since the first of the month eleven months back, while
    30 and 90 days rolled: every period now counts back from today, today included."""
    observe(vault_dir, 29, Civ.DIALOGUE, "day 30")
    observe(vault_dir, 30, Civ.DIALOGUE, "day 31")
    observe(vault_dir, 364, Civ.DIALOGUE, "day 365")  # 2025-11-29: before 1 December 2025
    observe(vault_dir, 365, Civ.DIALOGUE, "day 366")
    async with app.run_test(size=(80, 24)) as pilot:
        table = await to_list(app, pilot)
        shown = {}
        for _ in range(3):
            await pilot.press("p")
            await pilot.pause()
            label = str(app.screen.query_one("#monitoring-filters", Static).render())
            shown[label.split(", ")[1].split("  ")[0]] = sorted(r[2] for r in rows(table))
        assert shown == {
            "last 30 days (since 2026-10-30)": ["day 30"],
            "last 90 days (since 2026-08-31)": ["day 30", "day 31"],
            "last 365 days (since 2025-11-29)": ["day 30", "day 31", "day 365"],
        }
