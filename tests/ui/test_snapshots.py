"""Snapshots at 80x24 of the unlock, today, help and contacts screens (textual pinned exactly);
the list screens and a case at 200x60 too (issue 16: columns grow with the width).

Update after a deliberate change with: .venv/bin/pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE, unlock
from sqlmodel import select
from textual.widgets import Input

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.models import Contact
from hrd_tui.services import contacts


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FIXED_DAY)


async def no_blink(pilot) -> None:  # type: ignore[no-untyped-def]
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def unlocked(pilot) -> None:  # type: ignore[no-untyped-def]
    await unlock(pilot.app, pilot)


def test_unlock_screen(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=no_blink)


def test_today_screen(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=unlocked)


def test_help_screen(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    async def help_open(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlocked(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=help_open)


FIXED_DAY = date(2026, 11, 28)


@pytest.fixture
def contacts_app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fixed calendar day and fixed data, so the snapshots do not age."""
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        rows = [
            ("Ana Núñez", "Heron-101", "defender", ["land_environment", "indigenous"], 45, 30, True),
            ("Борис Петров", "Cedar-202", "journalist", ["journalism_media"], 3, 30, True),
            ("陈静", "Aster-303", "lawyer", ["access_to_justice"], None, None, False),
            ("[bold]Not bold[/bold] \u202eevil", "Quartz-404", "cso", [], 10, 7, True),
        ]
        for name, codename, kind, areas, ago, cadence, safe in rows:
            last = FIXED_DAY - timedelta(days=ago) if ago is not None else None
            contacts.create_contact(
                session,
                {
                    "name": name,
                    "codename": codename,
                    "kind": kind,
                    "last_contact_on": last,
                    "cadence_days": cadence,
                    "direct_contact_safe": safe,
                    "organisation": "Tierra Viva",
                    "email": "x@example.org",
                },
                areas,
            )
        chen = session.exec(select(Contact).where(Contact.codename == "Aster-303")).one()
        contacts.add_channel(session, chen, {"kind": "signal", "handle": "+15550100", "preferred": True})
        contacts.record_consent(
            session, chen, {"scope": "naming", "value": "never", "given_on": FIXED_DAY, "how": "in person"}
        )
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FIXED_DAY)


def test_contacts_list(snap_compare, contacts_app) -> None:  # type: ignore[no-untyped-def]
    async def to_list(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlocked(pilot)
        await pilot.press("c")
        await pilot.pause()
        await no_blink(pilot)

    assert snap_compare(contacts_app, terminal_size=(80, 24), run_before=to_list)


def test_contact_detail(snap_compare, contacts_app) -> None:  # type: ignore[no-untyped-def]
    async def to_detail(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlocked(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # 陈静: direct contact unsafe
        await pilot.pause()

    assert snap_compare(contacts_app, terminal_size=(80, 24), run_before=to_detail)


def test_note_screen(snap_compare, contacts_app) -> None:  # type: ignore[no-untyped-def]
    """The courtroom screen: no names, tags shown in words, the line being typed at the bottom."""
    from datetime import datetime

    from conftest import vault_session

    from hrd_tui.services import trials

    morning = datetime(2026, 11, 28, 9, 30).astimezone()  # local time, whatever the machine's zone
    with vault_session(contacts_app.vault_dir) as s:
        ana = s.exec(select(Contact).where(Contact.codename == "Heron-101")).one()
        trial = trials.create_trial(
            s, {"title": "State v. Ana Núñez", "case_number": "2026/114", "court": "Port Calder District Court"}, [ana]
        )
        hearing = trials.add_hearing(s, trial, {"starts_at": morning})
        for minutes, line in (
            (2, "a: doors closed to the public"),
            (9, "p: indictment read"),
            (15, "t: witness says he was beaten in custody"),
            (21, 'q: "I did nothing wrong"'),
            (30, "d: defendant in handcuffs throughout"),
        ):
            trials.add_note(s, hearing, line, noted_at=morning + timedelta(minutes=minutes))
        hearing_id = hearing.id

    async def to_notes(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlocked(pilot)
        pilot.app.open_notes(hearing_id)
        await pilot.pause()
        await pilot.press(*"e: no warrant")
        await no_blink(pilot)

    assert snap_compare(contacts_app, terminal_size=(80, 24), run_before=to_notes)


@pytest.fixture
def cases_app(contacts_app):  # type: ignore[no-untyped-def]
    """Three cases that differ in every column the list orders by, one with a hostile title."""
    from conftest import vault_session

    from hrd_tui.services import threats

    with vault_session(contacts_app.vault_dir) as s:
        people = {c.codename: c for c in s.exec(select(Contact)).all()}
        emergency = threats.open_case(
            s,
            {
                "id": "5e1f2a3b00004000800000000000000a",  # shown at 200x60: a fixed one for the snapshot
                "title": "Detention of Ana Núñez after the march",
                "urgency": "emergency",
                "status": "responding",
                "perpetrator": "police",
                "opened_on": FIXED_DAY - timedelta(days=20),
                "summary": "Ana Núñez arrested at home; held incommunicado.",
            },
            [people["Heron-101"]],
            ["arbitrary_detention", "risk_to_life"],
        )
        threats.assess_risk(
            s,
            emergency,
            {
                "threat": 5,
                "vulnerability": 4,
                "capacity": 2,
                "assessed_on": FIXED_DAY - timedelta(days=20),
                "reasoning": "No lawyer.",
            },
        )
        threats.open_case(
            s,
            {
                "title": "Smear campaign against Борис Петров",
                "urgency": "urgent",
                "opened_on": FIXED_DAY - timedelta(days=2),
            },
            [people["Cedar-202"]],
            ["smear_campaign"],
        )
        routine = threats.open_case(
            s,
            {
                "title": "[bold]Registration[/bold] refused",
                "urgency": "routine",
                "opened_on": FIXED_DAY - timedelta(days=40),
            },
            [people["Quartz-404"]],
            ["funding_registration"],
            plan=False,
        )
        threats.assess_risk(
            s, routine, {"threat": 2, "vulnerability": 2, "capacity": 3, "assessed_on": FIXED_DAY - timedelta(days=5)}
        )
    return contacts_app


def test_case_list(snap_compare, cases_app) -> None:  # type: ignore[no-untyped-def]
    async def to_list(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlocked(pilot)
        await pilot.press("a")
        await pilot.pause()
        await no_blink(pilot)

    assert snap_compare(cases_app, terminal_size=(80, 24), run_before=to_list)


def test_case_screen(snap_compare, cases_app) -> None:  # type: ignore[no-untyped-def]
    """The emergency: no consent on record and a risk assessed 20 days ago, said above everything."""

    async def to_case(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlocked(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(cases_app, terminal_size=(80, 24), run_before=to_case)


def test_monitoring_trend(snap_compare, app) -> None:  # type: ignore[no-untyped-def]
    """Civic space, g: observations per category per month over the last twelve months."""
    from conftest import vault_session

    from hrd_tui.services import monitoring
    from hrd_tui.vocab import CivicCategory as Civ

    spread = {
        Civ.RESTRICTIONS_ON_FREEDOMS: (3, 40, 41, 200),
        Civ.FUNDING_REGISTRATION: (165, 166, 170, 300),
        Civ.ATTACKS_REPRISALS: (0, 1, 2, 24, 25, 60, 95),
        Civ.SPURIOUS_LEGAL_ACTION: (95, 96, 130),
        Civ.SURVEILLANCE: (5, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140),
        Civ.DIALOGUE: (60,),
        Civ.BUSINESS_CONDUCT: (40, 330, 360),
    }
    with vault_session(app.vault_dir) as s:
        for category, days in spread.items():
            for ago in days:
                monitoring.add_observation(
                    s,
                    {
                        "observed_on": FIXED_DAY - timedelta(days=ago),
                        "category": category,
                        "description": "[bold]not markup[/bold]",
                    },
                )

    async def to_trend(pilot) -> None:  # type: ignore[no-untyped-def]
        await unlocked(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=to_trend)


# -- Width (issue 16): the list screens and a case at 80x24 and at 200x60 ---------------
WIDE = (200, 60)


@pytest.fixture
def trials_app(contacts_app):  # type: ignore[no-untyped-def]
    """Two trials with titles, defendants and courts longer than 80 columns leave them."""
    from datetime import datetime

    from conftest import vault_session

    from hrd_tui.services import trials

    with vault_session(contacts_app.vault_dir) as s:
        people = {c.codename: c for c in s.exec(select(Contact)).all()}
        first = trials.create_trial(
            s,
            {
                "title": "Prosecutor v. Ana Núñez and the Tierra Viva land defenders",
                "case_number": "CR-0417/B",
                "court": "Port Calder Regional Criminal Court",
                "status": "ongoing",
            },
            [people["Heron-101"], people["Quartz-404"]],
        )
        trials.add_hearing(s, first, {"starts_at": datetime(2026, 12, 2, 9, 30).astimezone()})
        trials.create_trial(
            s,
            {
                "title": "State v. Борис Петров (criminal defamation)",
                "case_number": "MC-2291",
                "court": "Port Calder Magistrates' Court",
                "status": "pre_trial",
            },
            [people["Cedar-202"]],
        )
    return contacts_app


async def to_section(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    await unlocked(pilot)
    await pilot.press(key)
    await pilot.pause()
    await no_blink(pilot)


def test_contacts_list_wide(snap_compare, contacts_app) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await to_section(pilot, "c")

    assert snap_compare(contacts_app, terminal_size=WIDE, run_before=run)


def test_case_list_wide(snap_compare, cases_app) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await to_section(pilot, "a")

    assert snap_compare(cases_app, terminal_size=WIDE, run_before=run)


def test_case_screen_wide(snap_compare, cases_app) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await to_section(pilot, "a")
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(cases_app, terminal_size=WIDE, run_before=run)


@pytest.mark.parametrize("size", [(80, 24), WIDE], ids=["80x24", "200x60"])
def test_trials_list(snap_compare, trials_app, size) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await to_section(pilot, "o")

    assert snap_compare(trials_app, terminal_size=size, run_before=run)
