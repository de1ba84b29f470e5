"""The trial, hearing and note-line functions the screens call (services.trials, issue 17):
each opens its own transaction on the real encrypted store and hands back plain values,
never an ORM instance that would outlive its session."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from helpers.views import assert_plain

from hrd_tui import vault
from hrd_tui.errors import ValidationError
from hrd_tui.services import contacts, threats, trials
from hrd_tui.vocab import NoteTag, TrialStatus

DAY = date(2026, 11, 28)


@pytest.fixture
def trial(opened: vault.Vault) -> tuple[str, str]:
    """A trial with one defendant and a linked case, and one hearing: (trial id, hearing id)."""
    with opened.store.session("t") as s:
        ana = contacts.create_contact(s, {"name": "Ana Reyes", "codename": "HERON"})
        case = threats.open_case(s, {"title": "Threats to Ana"}, [ana])
        case_id = case.id
    trial_id = trials.save_trial(
        opened.store,
        None,
        {
            "title": "Prosecutor v. Reyes",
            "court": "Port Calder Court",
            "case_number": "2026/114",
            "status": TrialStatus.ONGOING,
            "defendants": ["HERON"],
            "threat_case_id": case_id,
        },
    )
    starts = datetime.combine(DAY, time(9, 30)).astimezone()
    hearing_id = trials.save_hearing(
        opened.store, None, trial_id, {"starts_at": starts, "court": "Court 2", "judges": "Judge Okafor"}
    )
    return trial_id, hearing_id


def test_the_trials_list_and_the_trial_view_are_plain(opened: vault.Vault, trial: tuple[str, str]) -> None:
    trial_id, hearing_id = trial
    rows = trials.trial_rows(opened.store, "", today=DAY)
    assert_plain(rows)
    assert [(r.id, r.defendants, r.next_hearing) for r in rows] == [(trial_id, (("Ana Reyes", "HERON"),), DAY)]
    assert trials.trial_rows(opened.store, "nothing-like-it", today=DAY) == []

    view = trials.trial_view(opened.store, trial_id)
    assert_plain(view)
    assert (view.title, view.court, view.case_number, view.status) == (
        "Prosecutor v. Reyes",
        "Port Calder Court",
        "2026/114",
        TrialStatus.ONGOING,
    )
    assert view.defendants == (("Ana Reyes", "HERON"),)
    assert view.threat_case == "Threats to Ana"
    assert [(h.id, h.court) for h in view.hearings] == [(hearing_id, "Court 2")]


def test_the_hearing_view_and_its_label_follow_discreet_mode(opened: vault.Vault, trial: tuple[str, str]) -> None:
    trial_id, hearing_id = trial
    shown = trials.hearing_view(opened.store, hearing_id, discreet=False)
    hidden = trials.hearing_view(opened.store, hearing_id, discreet=True)
    assert_plain(shown)
    assert shown.trial_id == trial_id and shown.fields["judges"] == "Judge Okafor"
    assert "Prosecutor v. Reyes" in shown.label and "Prosecutor v. Reyes" not in hidden.label
    assert trials.hearing_title(opened.store, hearing_id, discreet=True) == hidden.label
    assert not shown.checklist_started
    assert trials.trial_of_hearing(opened.store, hearing_id) == trial_id

    run_id = trials.fair_trial_run_id(opened.store, hearing_id)
    assert isinstance(run_id, str) and trials.fair_trial_run_id(opened.store, hearing_id) == run_id
    assert trials.hearing_view(opened.store, hearing_id, discreet=False).checklist_started


def test_the_forms_read_and_save_plain_values(opened: vault.Vault, trial: tuple[str, str]) -> None:
    trial_id, hearing_id = trial
    values = trials.trial_form_values(opened.store, trial_id)
    assert_plain(values)
    assert values["defendants"] == ["HERON"] and values["title"] == "Prosecutor v. Reyes"
    assert trials.save_trial(opened.store, trial_id, {"title": "Case 2026/114", "defendants": []}) == trial_id
    assert trials.trial_view(opened.store, trial_id).defendants == ()
    with pytest.raises(ValidationError) as refused:
        trials.save_trial(opened.store, trial_id, {"defendants": ["NOBODY"]})
    assert "NOBODY" in refused.value.errors["defendants"]

    assert trials.trial_court(opened.store, trial_id) == "Port Calder Court"
    header = trials.hearing_values(opened.store, hearing_id)
    assert_plain(header)
    assert header["court"] == "Court 2"
    assert trials.save_hearing(opened.store, hearing_id, trial_id, {"press_count": 3}) == hearing_id
    assert trials.hearing_values(opened.store, hearing_id)["press_count"] == 3


def test_note_lines_corrections_and_attachments_are_plain(opened: vault.Vault, trial: tuple[str, str]) -> None:
    _, hearing_id = trial
    saved = trials.save_note_lines(opened.store, hearing_id, ["t: the witness spoke", "second", "third"])
    assert_plain(saved)
    assert [(v.text, v.tag, v.corrected) for v in saved] == [
        ("the witness spoke", NoteTag.TESTIMONY, False),
        ("second", None, False),
        ("third", None, False),
    ]
    with pytest.raises(ValidationError):
        trials.save_note_lines(opened.store, hearing_id, ["fourth", "   "])  # all or none
    page = trials.note_page(opened.store, hearing_id)
    assert_plain(page)
    assert [v.id for v in page.lines] == [v.id for v in saved] and page.item_ids == ()

    fix = trials.save_note_correction(opened.store, saved[0].id, "the witness spoke at length")
    assert_plain(fix)
    line = saved[0].corrected_to(fix)
    assert (line.id, line.text, line.tag, line.corrected) == (
        saved[0].id,
        "the witness spoke at length",
        NoteTag.TESTIMONY,
        True,
    )
    assert trials.note_page(opened.store, hearing_id).lines[0] == line

    attached = trials.attach_note_to_current_item(opened.store, hearing_id, saved[1].id)
    assert_plain(attached)
    assert attached.item_id == attached.item_ids[0] and attached.item_text
    page = trials.note_page(opened.store, hearing_id)
    assert page.item_ids == attached.item_ids and page.lines[1] == saved[1].attached_to(attached.item_id)
    by_item = trials.attached_notes(opened.store, trials.fair_trial_run_id(opened.store, hearing_id))
    assert_plain(by_item)
    assert [[v.text for v in lines] for lines in by_item.values()] == [["second"]]
