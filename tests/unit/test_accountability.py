"""Accountability after an attack (issue 19, part B), on the real encrypted store: steps on
a case and an observation, corrected and deleted with the history and the timeline
saying so, the state in words, what counts as an attack, and the attacks without an
investigation after N days (the day injected, never the wall clock)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from hrd_tui.errors import ValidationError
from hrd_tui.models import AccountabilityStep, RecordVersion
from hrd_tui.services import accountability, base, contacts, monitoring, threats
from hrd_tui.vocab import AccountabilityStep as Step
from hrd_tui.vocab import CivicCategory, ThreatType

DAY = date(2026, 11, 28)


def _attack_case(s, opened_on: date, types=(ThreatType.PHYSICAL_ATTACK,), title: str = "Beaten at the march"):  # type: ignore[no-untyped-def]
    ana = contacts.create_contact(s, {"name": f"Ana {title}", "codename": f"Heron-{len(title)}{opened_on.day}"})
    return threats.open_case(s, {"title": title, "opened_on": opened_on}, [ana], list(types))


def _observation(s, on: date, category=CivicCategory.ATTACKS_REPRISALS, text: str = "Office set on fire"):  # type: ignore[no-untyped-def]
    return monitoring.add_observation(s, {"observed_on": on, "category": category, "description": text}, (), ())


def test_steps_on_a_case_are_dated_sourced_in_the_timeline_and_read_as_a_state(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        case = _attack_case(s, DAY - timedelta(days=40))
        assert accountability.state_text([]) == "No step recorded"
        complaint = accountability.add_step(
            s, {"step": "complaint_filed", "on_date": DAY - timedelta(days=39), "source": "Lawyer"}, case_id=case.id
        )
        steps = accountability.steps_of(s, case_id=case.id)
        assert accountability.state_text(steps) == (
            f"Complaint filed ({DAY - timedelta(days=39)}); no investigation recorded"
        )
        accountability.add_step(
            s,
            {"step": Step.INVESTIGATION_OPENED, "on_date": DAY - timedelta(days=10), "source": "Prosecutor"},
            case_id=case.id,
        )
        accountability.add_step(
            s, {"step": Step.CHARGED, "on_date": DAY - timedelta(days=10), "source": "Court registry"}, case_id=case.id
        )
        steps = accountability.steps_of(s, case_id=case.id)
        assert [x.step for x in steps][0] == Step.COMPLAINT_FILED
        # The same day: the step further along says where things stand.
        assert accountability.state_text(steps) == f"Someone charged ({DAY - timedelta(days=10)})"
        texts = [e.text for e in threats.timeline(s, case.id)]
        assert f"Accountability: Complaint filed on {complaint.on_date} (source: Lawyer)" in texts


def test_a_step_is_validated_at_the_edge_with_its_field(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        case = _attack_case(s, DAY)
        obs = _observation(s, DAY)
        with pytest.raises(ValidationError) as exc:
            accountability.add_step(s, {"step": "charged", "source": "  "}, case_id=case.id)
        assert "source" in exc.value.errors
        with pytest.raises(ValidationError) as exc:
            accountability.add_step(
                s, {"step": "charged", "source": "x", "on_date": DAY + timedelta(days=1)}, case_id=case.id
            )
        assert exc.value.errors == {"on_date": "is in the future"}
        with pytest.raises(ValidationError) as exc:
            accountability.add_step(s, {"step": "acquitted", "source": "x"}, case_id=case.id)
        assert "step" in exc.value.errors
        with pytest.raises(ValidationError):
            accountability.add_step(s, {"step": "charged", "source": "x"}, case_id=case.id, observation_id=obs.id)
        # Today by default.
        step = accountability.add_step(s, {"step": "complaint_filed", "source": "Defender"}, observation_id=obs.id)
        assert step.on_date == DAY and step.case_id is None


def test_a_correction_and_a_deletion_keep_the_history_and_tell_the_timeline(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        case = _attack_case(s, DAY - timedelta(days=5))
        step = accountability.add_step(s, {"step": "complaint_filed", "source": "Lawyr"}, case_id=case.id)
        accountability.update_step(s, step, {"source": "Lawyer"})
        earlier = s.exec(select(RecordVersion).where(RecordVersion.entity_id == step.id)).all()
        assert any("Lawyr" in str(v.data) for v in earlier)
        accountability.delete_step(s, step)
        assert accountability.steps_of(s, case_id=case.id) == []
        texts = [e.text for e in threats.timeline(s, case.id)]
        assert any(t.startswith("Accountability: corrected: Complaint filed") and "Lawyer)" in t for t in texts)
        assert any(t.startswith("Accountability: deleted: Complaint filed") for t in texts)
        tombstones = s.exec(select(RecordVersion).where(RecordVersion.entity_id == step.id)).all()
        assert len(tombstones) == 2  # the earlier version, then the last state


def test_what_counts_as_an_attack_and_which_are_without_investigation(opened) -> None:  # type: ignore[no-untyped-def]
    days = accountability.policy().investigation_days
    old = DAY - timedelta(days=days)  # exactly N days: counted
    with opened.store.session("t") as s:
        beaten = _attack_case(s, old, title="Beaten")
        _attack_case(s, old, types=(ThreatType.SMEAR_CAMPAIGN,), title="Smeared")  # not an attack
        _attack_case(s, DAY - timedelta(days=days - 1), title="Recent")  # too recent
        investigated = _attack_case(s, old - timedelta(days=3), title="Investigated")
        accountability.add_step(
            s, {"step": "investigation_opened", "on_date": old, "source": "Police"}, case_id=investigated.id
        )
        shelved = _attack_case(s, old - timedelta(days=9), title="Shelved")
        accountability.add_step(
            s, {"step": "closed_without_result", "on_date": old, "source": "Prosecutor"}, case_id=shelved.id
        )
        fire = _observation(s, old - timedelta(days=1))
        _observation(s, old, CivicCategory.SURVEILLANCE, "Followed")  # not an attack
        listed = accountability.without_investigation(s, DAY, discreet=False)
        assert [a.record_id for a in listed] == [shelved.id, fire.id, beaten.id]
        assert [a.label for a in listed if a.kind == "case"] == ["Shelved", "Beaten"]
        # Today leaves out what was closed without result; the reports count it.
        today = accountability.without_investigation(s, DAY, discreet=False, for_today=True)
        assert [a.record_id for a in today] == [fire.id, beaten.id]
        # As of an earlier day, the investigation opened later did not exist yet.
        earlier = accountability.without_investigation(s, old - timedelta(days=1), days=1, discreet=False)
        assert investigated.id in [a.record_id for a in earlier]
        with pytest.raises(ValidationError):
            accountability.without_investigation(s, DAY, days=0, discreet=False)
        # A closed case leaves Today too.
        threats.close_case(s, beaten, "Moved abroad", DAY)
        assert [a.record_id for a in accountability.without_investigation(s, DAY, discreet=False, for_today=True)] == [
            fire.id
        ]


def test_the_policy_is_data_with_a_default() -> None:
    p = accountability.policy()
    assert p.investigation_days == 30
    assert (
        ThreatType.PHYSICAL_ATTACK in p.attack_threat_types and ThreatType.SMEAR_CAMPAIGN not in p.attack_threat_types
    )
    assert p.attack_categories == frozenset({CivicCategory.ATTACKS_REPRISALS})


def test_deleting_a_case_or_an_observation_takes_its_steps(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        obs = _observation(s, DAY)
        accountability.add_step(s, {"step": "complaint_filed", "source": "x"}, observation_id=obs.id)
        base.delete(s, obs)
        assert s.exec(select(AccountabilityStep)).all() == []


def test_the_views_for_the_screens(opened) -> None:  # type: ignore[no-untyped-def]
    store = opened.store
    with store.session("t") as s:
        case_id = _attack_case(s, DAY - timedelta(days=31)).id
    view = accountability.read_accountability(store, case_id=case_id, discreet=True)
    assert view.is_attack and view.late(DAY) and view.state == "No step recorded"
    assert view.label.startswith("Case of Heron-")
    step_id = accountability.save_step(store, None, {"step": "remedy", "source": "Court"}, case_id=case_id)
    assert accountability.step_form_values(store, step_id)["step"] == Step.REMEDY
    accountability.save_step(store, step_id, {"step": "convicted"})
    view = accountability.read_accountability(store, case_id=case_id, discreet=False)
    assert [v.step for v in view.steps] == [Step.CONVICTED] and view.investigated and not view.late(DAY)
    rows = accountability.read_without_investigation(store, DAY, discreet=False)
    assert rows == []
    accountability.remove_step(store, step_id)
    (row,) = accountability.read_without_investigation(store, DAY, discreet=False)
    assert row.days == 31 and row.state == "No step recorded"


def test_the_reports_count_the_period_s_attacks_and_say_each_one_s_state(opened) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.services import reports
    from hrd_tui.vocab import ReportType

    start, end = date(2026, 5, 1), date(2026, 6, 30)
    with opened.store.session("t") as s:
        beaten = _attack_case(s, date(2026, 5, 1), title="Beaten")
        charged = _attack_case(s, date(2026, 5, 2), title="Charged")
        accountability.add_step(
            s, {"step": "charged", "on_date": date(2026, 6, 20), "source": "Court registry"}, case_id=charged.id
        )
        accountability.add_step(  # after the period's end: not yet known at its end
            s, {"step": "investigation_opened", "on_date": date(2026, 7, 2), "source": "Police"}, case_id=beaten.id
        )
        _observation(s, date(2026, 6, 25))  # within 30 days of the end: not counted yet
        regular = reports.render_report(s, ReportType.REGULAR, start, end)
        crhrp = reports.render_report(s, ReportType.CRHRP, start, end)
    section = regular.split("## Accountability for attacks\n", 1)[1].split("\n## ", 1)[0]
    assert (
        "- Attacks recorded in the period: 3 (threat cases of violence against the person, and observations of "
        f"attacks and reprisals). As of 2026-06-30, 1 had no investigation recorded 30 days or more after: "
        f"{reports.ref('case', beaten.id)}." in section
    )
    assert "investigation opened, someone charged or convicted: 1;" in section
    assert "within 30 days of the period's end (not counted yet): 1." in section
    assert "  - After the attack: Someone charged (2026-06-20)." in regular
    assert "  - After the attack: No step recorded." in regular  # the investigation came after the period
    remedy = crhrp.split("Protection and remedy", 1)[1].split("\n#", 1)[0]
    assert "Attacks recorded in the period: 3" in remedy


def test_the_case_export_says_the_steps_with_names_withheld(opened) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.services import case_export

    with opened.store.session("t") as s:
        ana = contacts.create_contact(s, {"name": "Ximena Quarshie", "codename": "Orchid-990"})
        case = threats.open_case(s, {"title": "Beaten", "opened_on": DAY}, [ana], [ThreatType.PHYSICAL_ATTACK])
        accountability.add_step(
            s,
            {"step": "complaint_filed", "source": "Ximena Quarshie's lawyer", "note": "At the police"},
            case_id=case.id,
        )
        text = case_export.export_case_markdown(s, case.id)
    section = text.split("## After the attack: accountability\n", 1)[1].split("\n## ", 1)[0]
    assert f"State: Complaint filed ({DAY}); no investigation recorded." in section
    assert f"- {DAY}, complaint filed; source: Defender 1's lawyer. At the police" in section
    assert "ximena" not in text.casefold()


def test_a_handover_of_a_case_carries_its_steps_and_not_an_observation_s(opened) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.services.handover.selection import Selection, select_rows

    with opened.store.session("t") as s:
        case = _attack_case(s, DAY)
        step = accountability.add_step(s, {"step": "complaint_filed", "source": "Lawyer"}, case_id=case.id)
        obs = _observation(s, DAY)
        accountability.add_step(s, {"step": "complaint_filed", "source": "Union"}, observation_id=obs.id)
        rows = select_rows(s, Selection(cases=[case.id]))
    assert [r.id for r in rows["accountability_steps"]] == [step.id]
