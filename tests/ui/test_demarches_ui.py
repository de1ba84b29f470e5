"""Démarches by keys in the real app on a real encrypted vault (Pilot, 80x24; issue 19, part A).

From a case, i opens its démarches; n logs one: a démarche without its message is
refused under the field with what was typed kept, then saved; it shows on the case
page and its timeline, and in discreet mode by codename only (in the message too);
Enter corrects it when the response comes; x removes it after asking. From a contact's
page, the interaction form takes a démarche about a trial, and the trial's page shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from sqlmodel import select
from textual.widgets import DataTable, Input, Select, TextArea

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.models import Contact, Interaction
from hrd_tui.screens.changes import ChangesScreen
from hrd_tui.screens.contact_detail import ContactDetailScreen
from hrd_tui.screens.contact_form import InteractionModal
from hrd_tui.screens.demarches import DemarcheModal, DemarchesScreen
from hrd_tui.screens.threats import CaseScreen
from hrd_tui.screens.trials import TrialScreen
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.record_form import RecordForm
from hrd_tui.services import contacts, threats, trials

DAY = FROZEN_DAY
NAME = "Ana Quintero-Lund"


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    with vault_session(vault_dir) as s:
        ana = contacts.create_contact(s, {"name": NAME, "codename": "Heron-101"})
        contacts.create_contact(s, {"name": "Viceminister Orr", "codename": "Slate-9", "kind": "government_official"})
        threats.open_case(s, {"title": "Detention", "opened_on": DAY}, [ana], plan=False)
        trials.create_trial(s, {"title": "State v. Q", "case_number": "CR-77"}, [ana])
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: DAY)


def ids(app, model):  # type: ignore[no-untyped-def]
    with app.session() as s:
        return list(s.exec(select(model.id)))


async def test_a_demarche_is_logged_from_the_case_corrected_and_removed(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        (case_id,) = ids(app, threats.ThreatCase)
        app.push_screen(CaseScreen(case_id))
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, DemarchesScreen)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen.query_one(RecordForm)
        assert isinstance(app.screen, DemarcheModal) and form.query_one("#field-kind", Select).value == "demarche"
        form.query_one("#field-official", Input).value = "Slate-9"
        await pilot.press("f2")  # no message yet
        await pilot.pause()
        assert isinstance(app.screen, DemarcheModal)
        assert "message" in str(form.query_one("#error-message").render())
        assert form.query_one("#field-official", Input).value == "Slate-9"  # kept
        form.query_one("#field-message", TextArea).text = f"Asked that {NAME} see her lawyer."
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, DemarchesScreen)
        table = app.screen.query_one("#demarches-list", DataTable)
        assert [str(c) for c in table.get_row_at(0)][1:3] == ["Démarche", "Slate-9"]
        # Discreet: by codename, in the message too.
        await pilot.press("d")
        await pilot.pause()
        detail = str(app.screen.query_one("#demarches-detail").render())
        assert NAME not in detail and "Heron-101" in detail and "none recorded yet" in detail
        await pilot.press("d")
        await pilot.pause()
        assert not app.discreet
        # Corrected when the response came.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DemarcheModal)
        app.screen.query_one("#field-response", TextArea).text = "Said counsel may visit."
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, DemarchesScreen)
        await pilot.press("h")  # the correction is in the history
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)
        changes = app.screen.query_one("#changes", DataTable)
        fields = {str(changes.get_row_at(i)[1]) for i in range(changes.row_count)}
        assert "Response" in fields, fields
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        shown = str(app.screen.query_one("#case-demarches").render())
        assert "Démarche with" in shown and "Response: Said counsel may visit." in shown
        assert "Response: Said counsel may visit." in str(app.screen.query_one("#case-timeline").render())
        # Removed after asking: gone from the case and its timeline.
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert ids(app, Interaction) == []
        await pilot.press("escape")
        await pilot.pause()
        assert "Démarche with" not in str(app.screen.query_one("#case-timeline").render())


async def test_the_interaction_form_takes_a_demarche_about_a_trial(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        with app.session() as s:
            official = s.exec(select(Contact.id).where(Contact.codename == "Slate-9")).one()
        app.push_screen(ContactDetailScreen(official))
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InteractionModal)
        form = app.screen.query_one(RecordForm)
        assert not form.query_one("#field-official").display  # a meeting: no démarche fields
        form.query_one("#field-kind", Select).value = "demarche"
        await pilot.pause()
        assert form.query_one("#field-official", Input).value == "Slate-9"  # they were met: from their page
        form.query_one("#field-summary", Input).value = "At the ministry"
        form.query_one("#field-message", TextArea).text = "Asked for the trial to be public."
        form.query_one("#field-trials", Input).value = "CR-77"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)
        (trial_id,) = ids(app, trials.Trial)
        app.push_screen(TrialScreen(trial_id))
        await pilot.pause()
        assert "Démarche with" in str(app.screen.query_one("#trial-demarches").render())
