"""Errors under the right field (issue 22): a service names what it checks by its own
field names (``occurred_at``, ``contact_id``, ``links.0.case_id``); each form puts every
message under the field the officer typed it in (FieldSpec.errors_from, RecordForm.field_for),
one about something the form does not ask for above the fields, never under another
field; and a message goes once its field is edited. The real app on a real vault (Pilot)."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, unlock, vault_session
from textual.widgets import Input, Static

from hrd_tui import screens as screens_package
from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.models import metadata
from hrd_tui.screens.case_forms import CaseFormScreen
from hrd_tui.screens.forms import FormActions
from hrd_tui.screens.widgets.record_form import RecordForm
from hrd_tui.services import contacts, monitoring, threats, trials
from hrd_tui.services.plan import PlanItem
from hrd_tui.settings import Settings
from hrd_tui.vocab import ActionCategory


@pytest.fixture
def ids(vault_dir: Path) -> dict[str, str]:
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    with vault_session(vault_dir) as s:
        heron = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        case = threats.open_case(s, {"title": "Case", "opened_on": FROZEN_DAY}, [heron], ["intimidation"])
        trial = trials.create_trial(s, {"title": "Trial"}, [heron])
        hearing = trials.add_hearing(s, trial, {"starts_at": trials.day_start(FROZEN_DAY)})
        obs = monitoring.add_observation(s, {"observed_on": FROZEN_DAY, "category": "dialogue", "description": "x"})
        cedar = contacts.create_contact(s, {"name": "Boris", "codename": "Cedar-202"})
        talk = contacts.log_interaction(s, {"kind": "meeting", "occurred_at": trials.day_start(FROZEN_DAY)}, [heron])
        channel = contacts.add_channel(s, heron, {"kind": "signal"})
        rel = contacts.relate(s, {"from_contact_id": heron.id, "to_contact_id": cedar.id, "kind": "member_of"})
        return {
            "contact": heron.id,
            "case": case.id,
            "trial": trial.id,
            "hearing": hearing.id,
            "observation": obs.id,
            "interaction": talk.id,
            "channel": channel.id,
            "relationship": rel.id,
        }


def _app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY)


async def open_form(app, pilot, screen) -> RecordForm:  # type: ignore[no-untyped-def]
    """Unlocked, with ``screen`` (a form) on top: its RecordForm."""
    await unlock(app, pilot)
    app.push_screen(screen)
    await pilot.pause()
    return app.screen.query_one(RecordForm)


async def save(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("f2")
    await pilot.pause()


def error_of(form: RecordForm, name: str) -> str:
    box = form.query_one(f"#error-{name}", Static)
    return str(box.render()) if box.display else ""


async def test_a_new_case_dated_in_the_future_is_refused_under_when_and_focus_goes_there(
    ids, vault_dir: Path, tmp_path: Path
) -> None:
    app = _app(vault_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot, CaseFormScreen(None))
        form.query_one("#field-title", Input).value = "Threats"
        form.query_one("#field-defenders", Input).value = "Heron-101"
        form.query_one("#field-first_event", Input).value = "A call"
        form.query_one("#field-first_event_at", Input).value = "2026-12-30 10:00"
        await save(pilot)
        assert isinstance(app.screen, CaseFormScreen)
        assert "in the future" in error_of(form, "first_event_at")
        assert error_of(form, "title") == "" and error_of(form, "form") == ""
        assert app.focused is form.query_one("#field-first_event_at")
        # The correction goes where the focus is; the message goes as it is typed.
        await pilot.press("ctrl+u", *"now")
        await pilot.pause()
        assert error_of(form, "first_event_at") == ""
        assert form.query_one("#field-title", Input).value == "Threats"
        await save(pilot)
        assert not isinstance(app.screen, CaseFormScreen)


def form_classes() -> set[type]:
    found = set()
    for info in pkgutil.walk_packages(screens_package.__path__, screens_package.__name__ + "."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and issubclass(cls, FormActions)
                and cls is not FormActions
                and "specs" in vars(cls)
            ):
                found.add(cls)
    return found


#: One item of the case plan, as the plan screen hands it to its form.
PLANNED = PlanItem(
    template_id="threat-immediate",
    item_id="credible-sources",
    text="Obtain information from a variety of credible sources",
    category=ActionCategory.IMMEDIATE,
    on_behalf=False,
    consent_scope=None,
    suggested_owner="HRO",
    suggested_days=1,
    post_owner=None,
    post_days=None,
)


def forms(ids: dict[str, str]) -> list[tuple[str, Callable[[], Any]]]:
    from hrd_tui.screens import (
        case_forms as cf,
    )
    from hrd_tui.screens import (
        contact_form as kf,
    )
    from hrd_tui.screens import (
        contact_records as rf,
    )
    from hrd_tui.screens import (
        monitoring as mf,
    )
    from hrd_tui.screens import (
        trials as tf,
    )

    case, contact = ids["case"], ids["contact"]
    return [
        ("CaseFormScreen", lambda: cf.CaseFormScreen(None)),
        ("CaseFormScreen", lambda: cf.CaseFormScreen(case)),
        ("RiskFormScreen", lambda: cf.RiskFormScreen(case)),
        ("ReferralFormScreen", lambda: cf.ReferralFormScreen(case)),
        ("AnalysisFormScreen", lambda: cf.AnalysisFormScreen(case)),
        ("ActionModal", lambda: cf.ActionModal(case)),
        ("EventModal", lambda: cf.EventModal(case)),
        ("SourceModal", lambda: cf.SourceModal(case)),
        ("CoordinationModal", lambda: cf.CoordinationModal(case)),
        ("FeedbackModal", lambda: cf.FeedbackModal(case)),
        ("CloseModal", lambda: cf.CloseModal(case)),
        ("ContactFormScreen", lambda: kf.ContactFormScreen(None)),
        ("InteractionModal", lambda: kf.InteractionModal(contact)),
        ("ConsentModal", lambda: kf.ConsentModal(contact)),
        ("ChannelModal", lambda: kf.ChannelModal(contact)),
        ("RelationshipModal", lambda: kf.RelationshipModal(contact)),
        ("ObservationFormScreen", lambda: mf.ObservationFormScreen(None)),
        ("ObservationFormScreen", lambda: mf.ObservationFormScreen(ids["observation"])),
        ("TrialFormScreen", lambda: tf.TrialFormScreen(ids["trial"])),
        ("HearingFormScreen", lambda: tf.HearingFormScreen(ids["hearing"], ids["trial"])),
        ("ConclusionFormScreen", lambda: tf.ConclusionFormScreen(ids["trial"])),
        ("EditInteractionModal", lambda: rf.EditInteractionModal(contact, ids["interaction"])),
        ("DemarcheModal", lambda: importlib.import_module("hrd_tui.screens.demarches").DemarcheModal("case", case)),
        ("EditChannelModal", lambda: rf.EditChannelModal(contact, ids["channel"])),
        ("RetireChannelModal", lambda: rf.RetireChannelModal(contact, ids["channel"], "Signal")),
        ("EditRelationshipModal", lambda: rf.EditRelationshipModal(ids["relationship"], contact)),
        ("StepModal", lambda: importlib.import_module("hrd_tui.screens.accountability").StepModal("case", case)),
        ("ResourceFormScreen", lambda: importlib.import_module("hrd_tui.screens.resources").ResourceFormScreen(None)),
        ("PlanItemModal", lambda: importlib.import_module("hrd_tui.screens.plan").PlanItemModal(PLANNED)),
        *(
            [("SettingsModal", lambda: importlib.import_module("hrd_tui.screens.settings").SettingsModal())]
            if importlib.util.find_spec("hrd_tui.screens.settings")
            else []
        ),
    ]


#: Every column name of every table, and every setting: a form field by one of these names is
#: checked by that name.
COLUMNS = {c.name for t in metadata.tables.values() for c in t.columns} | {f.name for f in fields(Settings)}


async def test_every_form_puts_each_error_under_its_own_field(ids, vault_dir: Path, tmp_path: Path) -> None:
    walked = forms(ids)
    assert {cls.__name__ for cls in form_classes()} - {name for name, _ in walked} == set(), (
        "a form the walk does not open: add it to forms()"
    )
    app = _app(vault_dir, tmp_path)
    wrong: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        for name, make in walked:
            app.push_screen(make())
            await pilot.pause()
            form = app.screen.query_one(RecordForm)
            for spec in form.specs:
                if spec.name not in COLUMNS and not spec.errors_from:
                    wrong.append(
                        f"{name}.{spec.name}: not a model field, and no errors_from says what the service calls it"
                    )
                for key in (spec.name, *(p.replace("*", "0") for p in spec.errors_from)):
                    focused = form.show_errors({key: "refused"})  # the focus moves after a refresh
                    shown = {s.name for s in form.specs if error_of(form, s.name)} | (
                        {"form"} if error_of(form, "form") else set()
                    )
                    if shown != {spec.name} or focused != spec.name:
                        wrong.append(
                            f"{name}: error {key!r} shown under {sorted(shown)}, focus to {focused}, not {spec.name}"
                        )
            focused = form.show_errors({"no_such_field": "refused"})
            if (
                not error_of(form, "form").startswith("! no such field: refused")
                or focused is not None
                or any(error_of(form, s.name) for s in form.specs)
            ):
                wrong.append(f"{name}: an error about a field it lacks is not above the fields alone")
            app.pop_screen()
            await pilot.pause()
    assert wrong == []


async def test_a_day_that_does_not_exist_a_number_out_of_range_and_each_error_goes_when_fixed(
    ids, vault_dir: Path, tmp_path: Path
) -> None:
    from hrd_tui.screens.contact_form import ContactFormScreen

    app = _app(vault_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot, ContactFormScreen(None))
        form.query_one("#field-name", Input).value = "Kim Lee"
        form.query_one("#field-cadence_days", Input).value = "-3"
        form.query_one("#field-next_follow_up_on", Input).value = "2026-02-30"
        await save(pilot)
        assert error_of(form, "next_follow_up_on") == "! 2026-02-30: February 2026 has 28 days"
        assert error_of(form, "cadence_days") == "! -3 is out of range: it must be from 1 to 3,650"
        form.query_one("#field-cadence_days", Input).value = "30"
        await pilot.pause()
        assert error_of(form, "cadence_days") == ""  # fixed: its message goes, the other stays
        assert "February 2026" in error_of(form, "next_follow_up_on")
        form.query_one("#field-next_follow_up_on", Input).value = "2026-13-01"
        await save(pilot)
        assert error_of(form, "next_follow_up_on") == "! 2026-13-01: there is no month 13 (months are 01 to 12)"
        form.query_one("#field-cadence_days", Input).value = "thirty"
        await save(pilot)
        assert error_of(form, "cadence_days") == "! must be a whole number, from 1 to 3,650"


async def test_a_web_link_is_http_or_https_only(ids, vault_dir: Path, tmp_path: Path) -> None:
    from hrd_tui.screens.monitoring import ObservationFormScreen

    app = _app(vault_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot, ObservationFormScreen(ids["observation"]))
        form.query_one("#field-links", Input).value = "https://example.org/a, javascript:alert(1)"
        await save(pilot)
        assert isinstance(app.screen, ObservationFormScreen)
        assert "only web addresses starting http:// or https://" in error_of(form, "links")
        assert "javascript:alert(1)" in error_of(form, "links")


async def test_a_case_closed_before_it_was_opened_is_refused_under_closed_on(
    ids, vault_dir: Path, tmp_path: Path
) -> None:
    """Issue 22: the report said 'opened 2026-12-02, closed 2026-11-01'."""
    from hrd_tui.screens.case_forms import CloseModal

    app = _app(vault_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot, CloseModal(ids["case"]))
        form.restore({"outcome": "Relocated; keep watching the hearing.", "closed_on": "2026-11-01"})
        await save(pilot)
        assert isinstance(app.screen, CloseModal)
        assert error_of(form, "closed_on") == f"! 2026-11-01 is before the day the case was opened, {FROZEN_DAY}"
        assert app.focused is form.query_one("#field-closed_on")
