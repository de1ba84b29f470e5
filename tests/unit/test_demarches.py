"""Issue 19, part A: démarches and meetings with officials, tied to cases and trials.

A démarche names the official met, the message, the response and a follow-up; any
interaction can be about threat cases and trials, and then shows on each case's
timeline, corrected and removed with it, every change in the history. On the real
encrypted store."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from conftest import FROZEN_DAY
from sqlmodel import select

from hrd_tui.errors import ConstraintViolation, ValidationError
from hrd_tui.models import FollowUp, Interaction, InteractionCase, RecordVersion, TimelineEvent
from hrd_tui.services import base, case_export, contacts, demarches, history, threats, trials

DAY = FROZEN_DAY
MORNING = datetime.combine(DAY - timedelta(days=2), time(10, 0)).astimezone()


def setup(s):  # type: ignore[no-untyped-def]
    """A defender with a case and a trial, and an official (a contact of the vault)."""
    heron = contacts.create_contact(s, {"name": "Ana Ruiz", "codename": "Heron-1", "kind": "defender"})
    official = contacts.create_contact(
        s, {"name": "Deputy Minister Ko", "codename": "Slate-9", "kind": "government_official"}
    )
    case = threats.open_case(s, {"title": "Detention of Ana Ruiz"}, [heron], plan=False)
    trial = trials.create_trial(s, {"title": "State v. Ruiz", "case_number": "CR-77"}, [heron])
    return heron, official, case, trial


def demarche_events(s, case_id: str) -> list[TimelineEvent]:  # type: ignore[no-untyped-def]
    return [e for e in threats.timeline(s, case_id) if e.text.startswith("Démarche")]


def test_a_demarche_names_the_official_message_response_and_follow_up_and_shows_on_the_case(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        _heron, official, case, trial = setup(s)
        it = demarches.log(
            s,
            None,
            {
                "kind": "demarche",
                "occurred_at": MORNING,
                "official": "Slate-9",
                "message": "We are concerned by the detention of Heron-1 and ask for access.\nSecond line.",
                "response": "Said the case is before the courts.",
                "follow_up": "Ask again about consular access",
                "follow_up_due": DAY + timedelta(days=7),
                "cases": [case.id[:8]],
                "trials": ["CR-77"],
            },
            today=DAY,
        )
        assert it.kind == "demarche" and it.official_id == official.id
        assert [c.codename for c in contacts.participants_of(s, it.id)] == ["Slate-9"]  # the official was met
        assert contacts.base.get(s, type(official), official.id).last_contact_on == MORNING.date()
        follow_up = s.exec(select(FollowUp).where(FollowUp.interaction_id == it.id)).one()
        assert follow_up.due_on == DAY + timedelta(days=7) and follow_up.contact_id == official.id
        (event,) = demarche_events(s, case.id)
        assert event.ref_id == it.id and base._instant(event.occurred_at, MORNING) == MORNING
        assert event.text == (
            "Démarche with Slate-9. Message: We are concerned by the detention of Heron-1 and ask for access. "
            "Response: Said the case is before the courts."
        )
        case_id, trial_id = case.id, trial.id
    (on_case,) = demarches.read_for_case(opened.store, case_id)
    (on_trial,) = demarches.read_for_trial(opened.store, trial_id)
    assert on_case == on_trial and on_case.official is not None and on_case.official.codename == "Slate-9"
    assert on_case.follow_ups[0].description == "Ask again about consular access"
    assert "Deputy Minister Ko" not in demarches.line(on_case, discreet=True)
    assert demarches.line(on_case, discreet=True).endswith("| Response: Said the case is before the courts.")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"message": "Concerned."}, "official"),
        ({"official": "Slate-9", "message": "  "}, "message"),
        ({"official": "Nobody-0", "message": "Concerned."}, "official"),
        ({"official": "Slate-9", "message": "Concerned.", "cases": ["no such case"]}, "cases"),
        ({"official": "Slate-9", "message": "Concerned.", "follow_up": "Call back"}, "follow_up_due"),
    ],
)
def test_a_demarche_without_what_it_needs_is_refused_under_its_field(opened, values, field) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        setup(s)
        with pytest.raises(ValidationError) as caught:
            demarches.log(s, None, {"kind": "demarche", "occurred_at": MORNING, **values}, today=DAY)
        assert field in caught.value.errors
        assert s.exec(select(Interaction)).all() == []


def test_a_meeting_keeps_no_demarche_fields_and_is_on_the_timeline_by_its_summary(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        heron, _official, case, _trial = setup(s)
        it = demarches.log(
            s,
            heron.id,
            {"kind": "meeting", "summary": "Debrief after release.", "message": "stray", "cases": [case.id[:8]]},
            today=DAY,
        )
        assert (it.official_id, it.message, it.response) == (None, "", "")
        texts = [e.text for e in threats.timeline(s, case.id) if e.ref_id == it.id]
        assert texts == ["Meeting with Heron-1: Debrief after release."]


def test_a_correction_moves_the_timeline_entry_and_the_history_keeps_the_earlier_text(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        heron, _official, case, trial = setup(s)
        other = threats.open_case(s, {"title": "Smear campaign"}, [heron], plan=False)
        it = demarches.log(
            s,
            None,
            {
                "kind": "demarche",
                "occurred_at": MORNING,
                "official": "Slate-9",
                "message": "Raised the detention.",
                "cases": [case.id[:8]],
            },
            today=DAY,
        )
        ids = it.id, case.id, other.id, trial.id
    it_id, case_id, other_id, trial_id = ids
    later = MORNING + timedelta(hours=3)
    with opened.store.session("t") as s:
        demarches.correct(
            s,
            it_id,
            None,
            {"response": "Promised a reply by Friday.", "occurred_at": later, "cases": [case_id[:8], other_id[:8]]},
            today=DAY,
        )
    with opened.store.session("t") as s:
        (event,) = demarche_events(s, case_id)
        assert event.text.endswith("Response: Promised a reply by Friday.")
        assert base._instant(event.occurred_at, later) == later
        assert [e.text for e in demarche_events(s, other_id)] == [event.text]
        assert history.versions(s, "timeline_event", event.id)[0].data["text"].endswith("No response recorded yet.")
        # Taken off the first case: its entry goes (a tombstone), the other stays.
        demarches.correct(s, it_id, None, {"cases": [other_id[:8]], "trials": [trial_id[:8]]}, today=DAY)
    with opened.store.session("t") as s:
        assert demarche_events(s, case_id) == [] and len(demarche_events(s, other_id)) == 1
        gone = s.exec(select(RecordVersion).where(RecordVersion.entity_id == event.id, RecordVersion.deleted)).all()
        assert len(gone) == 1
        changes: dict[str, list[history.Change]] = {}
        for change in history.changes(s, s.get(Interaction, it_id)):
            changes.setdefault(change.field, []).append(change)
        assert [c.after for c in changes["cases"]] == [
            [f"case {other_id[:8]}"],
            sorted([f"case {case_id[:8]}", f"case {other_id[:8]}"]),
        ]
        assert changes["cases"][-1].before == [f"case {case_id[:8]}"]
        assert changes["trials"][0].after == ["CR-77"]
        assert changes["response"][0].before == ""


def test_removing_a_demarche_removes_its_timeline_entries_and_links_leaving_tombstones(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        _heron, official, case, _trial = setup(s)
        it = demarches.log(
            s,
            None,
            {"kind": "demarche", "official": "Slate-9", "message": "Raised it.", "cases": [case.id[:8]]},
            today=DAY,
        )
        with pytest.raises(ConstraintViolation, match="official met in 1 démarche"):
            contacts.delete_contact(s, official)
        it_id = it.id
    demarches.remove(opened.store, it_id)
    with opened.store.session("t") as s:
        assert demarche_events(s, case.id) == []
        assert s.exec(select(InteractionCase)).all() == []
        dead = {v.entity for v in s.exec(select(RecordVersion).where(RecordVersion.deleted))}
        assert {"interaction", "interaction_case", "timeline_event"} <= dead
        contacts.delete_contact(s, s.get(type(official), official.id))  # no démarche names them now


def test_the_form_reads_back_what_it_saved(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        heron, _official, case, _trial = setup(s)
        heron_id, case_id = heron.id, case.id
    saved = demarches.save(
        opened.store,
        heron_id,
        None,
        {
            "kind": "demarche",
            "summary": "At the ministry.",
            "official": "Slate-9",
            "message": "Raised it.",
            "cases": [case_id[:8]],
            "others": [],
        },
    )
    values = demarches.form_values(opened.store, saved, heron_id)
    assert values["official"] == "Slate-9" and values["others"] == [] and values["cases"] == [case_id[:8]]
    assert values["trials"] == [] and values["message"] == "Raised it."
    # Corrected to a meeting: the démarche's fields go, the official stays among those present.
    demarches.save(opened.store, heron_id, saved, {"kind": "meeting"})
    after = demarches.read_one(opened.store, saved)
    assert (
        after.official is None
        and after.message == ""
        and {p.codename for p in after.people}
        == {
            "Heron-1",
            "Slate-9",
        }
    )


def test_the_reports_say_the_demarche_and_the_country_reports_only_the_response(opened) -> None:  # type: ignore[no-untyped-def]
    """The regular report has its own section for démarches (not 'engagement with civil
    society'); the Country Reports, which do not describe the mission's own doings, carry
    only the official's response, under protection and remedy. The official is described,
    not named, without naming consent; the defender named in the message likewise."""
    from hrd_tui.services import reports

    with opened.store.session("t") as s:
        _heron, _official, case, trial = setup(s)
        demarches.log(
            s,
            None,
            {
                "kind": "demarche",
                "occurred_at": MORNING,
                "official": "Slate-9",
                "message": "Asked that Ana Ruiz see her lawyer.",
                "response": "Said the court decides.",
                "follow_up": "Ask again",
                "follow_up_due": DAY + timedelta(days=3),
                "cases": [case.id[:8]],
                "trials": [trial.id[:8]],
            },
            today=DAY,
        )
        regular = reports.render_report(s, "regular", DAY - timedelta(days=30), DAY)
        crhrp = reports.render_report(s, "crhrp", DAY - timedelta(days=30), DAY)
        case_ref, trial_ref = reports.ref("case", case.id), reports.ref("trial", trial.id)
    section = regular.split("## Démarches and meetings with officials\n")[1].split("\n## ")[0]
    assert (
        "démarche with an official." in section
        and "Message delivered: Asked that a defender see her lawyer." in section
    )
    assert (
        "Response: Said the court decides." in section
        and f"Follow-up: Ask again (due {DAY + timedelta(days=3)})" in section
    )
    assert f"About: {case_ref}, {trial_ref}." in section
    assert "Ana Ruiz" not in regular and "Slate-9" not in regular and "Deputy Minister" not in regular
    engagement = regular.split("## Engagement with civil society\n")[1]
    assert "Démarche" not in engagement and "Nothing recorded in the period." in engagement
    remedy = crhrp.split("### Protection and remedy (hrd-tui)\n")[1].split("\n#")[0]
    assert f"an official, asked about {case_ref}, {trial_ref}, responded: Said the court decides." in remedy
    assert "Asked that" not in crhrp  # the message is the mission's own doing


def test_a_case_handed_over_carries_its_demarches_with_the_official(opened, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A bundle of one case carries the démarches about it, the official met (a contact the
    démarche cannot do without) and the link; another person present who is not in the
    bundle is left out, as for a contact's meetings. The receiving vault shows it on the case."""
    from hrd_tui import vault
    from hrd_tui.services import handover
    from hrd_tui.services.handover.selection import Selection

    with opened.store.session("t") as s:
        _heron, _official, case, _trial = setup(s)
        contacts.create_contact(s, {"name": "Aide", "codename": "Moss-2"})
        it = demarches.log(
            s,
            None,
            {
                "kind": "demarche",
                "official": "Slate-9",
                "others": ["Moss-2"],
                "message": "Raised it.",
                "cases": [case.id[:8]],
            },
            today=DAY,
        )
        ids = case.id, it.id
        passphrase = handover.export_bundle(
            s, tmp_path / "c.hrdb", selection=Selection(cases=[case.id]), vault_id=opened.header.vault_id
        )
    bundle = handover.read_bundle(tmp_path / "c.hrdb", passphrase)
    assert [r["interaction_id"] for r in bundle.tables["interaction_cases"]] == [ids[1]]
    assert {r["codename"] for r in bundle.tables["contacts"]} == {"Heron-1", "Slate-9"}
    other, _ = vault.create(tmp_path / "b", "another long passphrase here")
    with other, other.store.session("importing") as s:
        handover.apply_import(s, handover.plan_import(s, bundle), {})
        (found,) = demarches.about_case(s, ids[0])
        assert found.id == ids[1] and [c.codename for c in contacts.participants_of(s, found.id)] == ["Slate-9"]
        assert [e.ref_id for e in threats.timeline(s, ids[0]) if e.ref_id == ids[1]] == [ids[1]]


def test_a_demarche_about_a_religious_freedom_case_is_in_the_irf_engagement(opened) -> None:  # type: ignore[no-untyped-def]
    """The IRF and TIP reports draw on records linked to contacts of their focus area: a
    démarche with an official (who has no such focus) about such a defender's case is one."""
    from hrd_tui.services import reports

    with opened.store.session("t") as s:
        heron, _official, case, _trial = setup(s)
        contacts.set_focus_areas(s, heron, ["religious_freedom"])
        it = demarches.log(
            s,
            None,
            {"kind": "demarche", "official": "Slate-9", "message": "Raised the raid.", "cases": [case.id[:8]]},
            today=DAY,
        )
        irf = reports.render_report(s, "irf", DAY - timedelta(days=30), DAY)
        tip = reports.render_report(s, "tip", DAY - timedelta(days=30), DAY)
        shown = reports.ref("interaction", it.id)
    assert shown in irf.split("## Section IV. U.S. Government Policy and Engagement\n")[1].split("\n## ")[0]
    assert shown not in tip


def test_a_follow_up_is_the_officials_and_a_case_export_redacts_everyone_met(opened) -> None:  # type: ignore[no-untyped-def]
    """Logged from the defender's page with someone else present, the follow-up still goes on
    the official's page; the case export names nobody met without their naming consent, not
    even by the codename the timeline gives them."""
    with opened.store.session("t") as s:
        heron, official, case, _trial = setup(s)
        aide = contacts.create_contact(s, {"name": "Lena Aide", "codename": "Quartz-4"})
        it = demarches.log(
            s,
            heron.id,
            {
                "kind": "demarche",
                "occurred_at": MORNING,
                "official": "Slate-9",
                "others": ["Quartz-4"],
                "message": "Access for the lawyer.",
                "follow_up": "Call back",
                "follow_up_due": DAY + timedelta(days=3),
                "cases": [case.id],
            },
            today=DAY,
        )
        follow_up = s.exec(select(FollowUp).where(FollowUp.interaction_id == it.id)).one()
        assert follow_up.contact_id == official.id
        for person in (official, aide):
            contacts.record_consent(s, person, {"scope": "naming", "value": "never", "given_on": DAY})
        text = case_export.export_case_markdown(s, case.id)
    for secret in ("Slate-9", "Quartz-4", "Deputy Minister Ko", "Lena Aide"):
        assert secret not in text, secret
    assert "Démarche with Contact " in text  # described instead
