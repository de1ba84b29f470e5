"""Trial observation on the real encrypted store: the trials list, the hearing in
progress, the note log and its corrections, the fair-trial checklist of a hearing,
the hearing report and its redaction by naming consent."""

from __future__ import annotations

import os
import re
import time as time_mod
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from html import unescape

import pytest
from markdown_it import MarkdownIt
from sqlmodel import Session

from hrd_tui import demo, vault, wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.models import ChecklistItemState, Contact, Hearing, Trial, TrialNote
from hrd_tui.services import base, checklists, contacts, history, markdown, redaction, threats, today, trials
from hrd_tui.vocab import ItemStatus, NoteTag, TrialStatus

DAY = date(2026, 3, 10)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Local wall-clock time on ``day``, aware."""
    return datetime.combine(day, time(hour, minute)).astimezone()


def person(s: Session, name: str, codename: str, naming: str | None = None) -> Contact:
    contact = contacts.create_contact(s, {"name": name, "codename": codename})
    if naming:
        contacts.record_consent(s, contact, {"scope": "naming", "value": naming, "given_on": DAY, "how": "in person"})
    return contact


@pytest.fixture
def auckland() -> Iterator[None]:
    """A time zone far from UTC, so that the local day and the UTC day differ."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Auckland"
    time_mod.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time_mod.tzset()


# -- the trials list ------------------------------------------------------------------


def test_list_trials_orders_by_next_hearing_then_title_filters_and_hides_names(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        zed = person(s, "Zoë Zeller", "Falcon-1")
        amy = person(s, "Amy Abbott", "Cedar-2")
        soon = trials.create_trial(
            s, {"title": "Prosecutor v. Zeller", "court": "Court Z", "case_number": "9/26"}, [zed, amy]
        )
        trials.add_hearing(s, soon, {"starts_at": at(DAY + timedelta(days=3), 10)})
        trials.add_hearing(s, soon, {"starts_at": at(DAY - timedelta(days=30), 10)})
        later = trials.create_trial(s, {"title": "Alpha case", "court": "Court A", "case_number": "1/26"})
        trials.add_hearing(s, later, {"starts_at": at(DAY + timedelta(days=10), 9)})
        set_at_last = trials.create_trial(s, {"title": "Gamma case", "status": TrialStatus.ONGOING})
        trials.add_hearing(
            s, set_at_last, {"starts_at": at(DAY - timedelta(days=7), 9), "next_hearing_on": DAY + timedelta(days=5)}
        )
        this_morning = trials.create_trial(s, {"title": "Omega case"})
        trials.add_hearing(s, this_morning, {"starts_at": at(DAY, 0, 5)})  # already started today: still today's
        trials.create_trial(s, {"title": "Beta case", "court": "Court Z"})
        stale = trials.create_trial(s, {"title": "Delta case", "court": "Court A"})
        trials.add_hearing(
            s, stale, {"starts_at": at(DAY - timedelta(days=9), 9), "next_hearing_on": DAY - timedelta(days=2)}
        )

        rows = trials.list_trials(s, today=DAY)
        assert [(r.title, r.next_hearing) for r in rows] == [
            ("Omega case", DAY),
            ("Prosecutor v. Zeller", DAY + timedelta(days=3)),
            ("Gamma case", DAY + timedelta(days=5)),
            ("Alpha case", DAY + timedelta(days=10)),
            ("Beta case", None),
            ("Delta case", None),
        ]
        zeller = rows[1]
        assert zeller.defendants == (("Amy Abbott", "Cedar-2"), ("Zoë Zeller", "Falcon-1"))
        assert zeller.label(discreet=False) == "Prosecutor v. Zeller"
        assert zeller.label(discreet=True) == "Court Z, case 9/26"
        assert "Zeller" not in zeller.label(discreet=True)
        assert trials.list_trials(s, "Gamma", today=DAY)[0].label(discreet=True) == "trial with no court or case number"

        assert [r.title for r in trials.list_trials(s, "zeller", today=DAY)] == ["Prosecutor v. Zeller"]
        assert [r.title for r in trials.list_trials(s, "9/26", today=DAY)] == ["Prosecutor v. Zeller"]
        assert [r.title for r in trials.list_trials(s, "case", today=DAY, status=TrialStatus.ONGOING)] == ["Gamma case"]
        assert trials.list_trials(s, "nothing-like-this", today=DAY) == []
        # Discreet: after the date, by court and case number rather than by the title (which may name someone).
        discreet = [r.title for r in trials.list_trials(s, today=DAY, discreet=True) if r.next_hearing is None]
        assert discreet == ["Delta case", "Beta case"]


def test_update_trial_replaces_defendants_keeps_history_and_detail_reads_it_all(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        a, b, c = person(s, "Ana", "A-1"), person(s, "Bo", "B-1"), person(s, "Cy", "C-1")
        case = threats.open_case(s, {"title": "Case"}, [a])
        trial = trials.create_trial(s, {"title": "Old title"}, [a, b])
        trials.update_trial(s, trial, {"title": "New title", "threat_case_id": case.id})
        assert [p.name for p in trials.defendants_of(s, trial.id)] == ["Ana", "Bo"]  # None: unchanged
        trials.update_trial(s, trial, {}, [c, a, c])
        assert [p.name for p in trials.defendants_of(s, trial.id)] == ["Ana", "Cy"]
        second = trials.add_hearing(s, trial, {"starts_at": at(DAY, 14)})
        first = trials.add_hearing(s, trial, {"starts_at": at(DAY, 9)})
        detail = trials.trial_detail(s, trial.id)
        assert detail.trial.title == "New title" and detail.threat_case is not None and detail.threat_case.id == case.id
        assert [h.id for h in detail.hearings] == [first.id, second.id]
        assert [p.codename for p in detail.defendants] == ["A-1", "C-1"]
        assert history.versions(s, "trial", trial.id)[0].data["title"] == "Old title"
        assert any(
            v.deleted and v.entity_id == f"{trial.id}/{b.id}"
            for v in history.versions(s, "trial_defendant", f"{trial.id}/{b.id}")
        )
        with pytest.raises(ValidationError) as exc:
            trials.update_trial(s, trial, {"title": ""})
        assert set(exc.value.errors) == {"title"}


# -- hearings -----------------------------------------------------------------------------


def test_hearing_in_progress_today_then_next_then_last_chosen(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        trial = trials.create_trial(s, {"title": "T"})
        night_before = trials.add_hearing(s, trial, {"starts_at": at(DAY - timedelta(days=1), 23, 30)})
        morning = trials.add_hearing(s, trial, {"starts_at": at(DAY, 9)})
        afternoon = trials.add_hearing(s, trial, {"starts_at": at(DAY, 14)})
        assert trials.hearing_in_progress(s, at(DAY, 10)) == morning
        assert trials.hearing_in_progress(s, at(DAY, 9)) == morning  # at its start time
        assert trials.hearing_in_progress(s, at(DAY, 15, 30)) == afternoon
        assert trials.hearing_in_progress(s, at(DAY, 7)) == morning  # none started yet: today's next one
        assert (
            trials.hearing_in_progress(s, at(DAY, 7), night_before.id) == morning
        )  # today's wins over the last chosen
        assert trials.hearing_in_progress(s, at(DAY, 15, 30), morning.id) == morning  # two today: the one gone to last
        empty_day = DAY + timedelta(days=1)
        assert trials.hearing_in_progress(s, at(empty_day, 10), night_before.id) == night_before
        assert trials.hearing_in_progress(s, at(empty_day, 10)) is None
        base.delete(s, night_before)
        assert trials.hearing_in_progress(s, at(empty_day, 10), night_before.id) is None


def test_hearing_in_progress_uses_the_local_day(opened: vault.Vault, auckland: None) -> None:
    with opened.store.session() as s:
        trial = trials.create_trial(s, {"title": "T"})
        # 00:30 in Auckland is the previous day in UTC.
        early = trials.add_hearing(s, trial, {"starts_at": at(DAY, 0, 30)})
        assert early.starts_at.astimezone().date() == DAY
        assert trials.hearing_in_progress(s, at(DAY, 11)) == early
        # The evening before (the same UTC day as the hearing) it is not "today's" hearing.
        assert trials.hearing_in_progress(s, at(DAY - timedelta(days=1), 23)) is None


def test_start_hearing_now_copies_the_court_and_becomes_the_hearing_in_progress(opened: vault.Vault) -> None:
    now = at(DAY, 11, 17)
    with opened.store.session() as s:
        trial = trials.create_trial(s, {"title": "T", "court": "Port Calder District Court", "case_number": "2026/114"})
        hearing = trials.start_hearing_now(s, trial, now)
        assert hearing.court == "Port Calder District Court" and hearing.trial_id == trial.id
        assert hearing.starts_at == now
        assert trials.hearing_in_progress(s, now + timedelta(minutes=5)) == hearing
        assert (
            trials.hearing_label(s, hearing, discreet=True)
            == "2026-03-10 11:17, Port Calder District Court, case 2026/114"
        )
        assert (
            trials.hearing_label(s, hearing, discreet=False)
            == "2026-03-10 11:17, T, Port Calder District Court, case 2026/114"
        )


def test_update_hearing_checks_times_and_keeps_the_earlier_version(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        trial = trials.create_trial(s, {"title": "T"})
        hearing = trials.add_hearing(s, trial, {"starts_at": at(DAY, 9)})
        trials.update_hearing(s, hearing, {"judges": "Judge A", "ends_at": at(DAY, 12)})
        trials.update_hearing(s, hearing, {"judges": "Judge B"})
        assert hearing.judges == "Judge B"
        assert [v.data["judges"] for v in history.versions(s, "hearing", hearing.id)] == ["", "Judge A"]
        with pytest.raises(ValidationError) as exc:
            trials.update_hearing(s, hearing, {"ends_at": at(DAY, 8)})
        assert set(exc.value.errors) == {"ends_at"}
        with pytest.raises(ValidationError) as exc:
            trials.add_hearing(s, trial, {"starts_at": at(DAY, 9), "ends_at": at(DAY, 8)})
        assert set(exc.value.errors) == {"ends_at"}
        with pytest.raises(ValidationError) as exc:
            trials.update_hearing(s, hearing, {"public_count": -1})
        assert set(exc.value.errors) == {"public_count"}
        assert hearing.ends_at == at(DAY, 12)


# -- the note log and the checklist -------------------------------------------------------------


def _hearing_with_notes(s: Session) -> tuple[Hearing, list[TrialNote]]:
    trial = trials.create_trial(s, {"title": "T"})
    hearing = trials.add_hearing(s, trial, {"starts_at": at(DAY, 9)})
    lines = ["a: observers held at the gate", "t: witness says 400 people", "judge retires", 'q: "a stage"']
    notes = [trials.add_note(s, hearing, line, noted_at=at(DAY, 9, 2 + 10 * n)) for n, line in enumerate(lines)]
    return hearing, notes


def test_note_log_groups_corrections_under_the_original(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        hearing, notes = _hearing_with_notes(s)
        first_fix = trials.correct_note(s, notes[1], "t: witness says 40 people")
        second_fix = trials.correct_note(s, first_fix, "witness says about 40 people")  # a correction of the correction
        retag = trials.correct_note(s, notes[2], "p: judge retires to deliberate")
        log = trials.note_log(s, hearing.id)
        assert [line.note.id for line in log] == [n.id for n in notes]  # originals only, in noted order
        assert log[0].corrections == () and not log[0].corrected and log[0].text == "observers held at the gate"
        assert log[0].tag == NoteTag.ACCESS
        assert [c.id for c in log[1].corrections] == [first_fix.id, second_fix.id]  # newest last
        assert log[1].text == "witness says about 40 people"
        assert log[1].tag == NoteTag.TESTIMONY  # typed without a tag: keeps the line's
        assert log[1].note.text == "witness says 400 people"  # the original is never changed
        assert log[2].tag == NoteTag.PROCEDURE and log[2].text == "judge retires to deliberate"
        assert [c.id for c in log[2].corrections] == [retag.id]
        assert all(line.item_id is None for line in log)


def test_attach_note_creates_the_state_moves_and_refuses_a_bad_item(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        hearing, notes = _hearing_with_notes(s)
        assert trials.fair_trial_run(s, hearing, create=False) is None
        run = trials.fair_trial_run(s, hearing)
        assert run is not None and run.hearing_id == hearing.id and run.template_id == "fair-trial"
        assert "2026-03-10" in run.title
        assert trials.fair_trial_run(s, hearing).id == run.id  # found again, not started twice
        # A state that does not exist yet (a run whose states were not all made) is created.
        missing = checklists.states(s, run)["public-hearing"]
        base.delete(s, missing)
        assert "public-hearing" not in checklists.states(s, run)
        trials.attach_note(s, notes[0], run, "public-hearing")
        state = checklists.states(s, run)["public-hearing"]
        assert notes[0].checklist_item_state_id == state.id and state.status == ItemStatus.OPEN
        fix = trials.correct_note(s, notes[1], "t: witness says 40 people")
        attached = trials.attach_note(s, fix, run, "equality-of-arms")  # a correction attaches its line
        assert attached.id == notes[1].id and fix.checklist_item_state_id is None

        by_item = trials.notes_by_item(s, run)
        assert list(by_item) == ["public-hearing", "equality-of-arms"]  # checklist order
        assert [line.note.id for line in by_item["public-hearing"]] == [notes[0].id]
        assert by_item["equality-of-arms"][0].text == "witness says 40 people"
        assert {line.note.id: line.item_id for line in trials.note_log(s, hearing.id)}[notes[0].id] == "public-hearing"

        trials.attach_note(s, notes[0], run, "equality-of-arms")  # moves
        by_item = trials.notes_by_item(s, run)
        assert list(by_item) == ["equality-of-arms"]
        assert [line.note.id for line in by_item["equality-of-arms"]] == [notes[0].id, notes[1].id]
        trials.detach_note(s, notes[0])
        assert [line.note.id for line in trials.notes_by_item(s, run)["equality-of-arms"]] == [notes[1].id]

        with pytest.raises(ValidationError) as exc:
            trials.attach_note(s, notes[2], run, "no-such-item")
        assert set(exc.value.errors) == {"item"}
        other = trials.add_hearing(s, base.get(s, Trial, hearing.trial_id), {"starts_at": at(DAY, 15)})
        stray = trials.add_note(s, other, "elsewhere")
        with pytest.raises(ValidationError) as exc:
            trials.attach_note(s, stray, run, "public-hearing")
        assert set(exc.value.errors) == {"note"}
        assert s.get(ChecklistItemState, state.id) is not None


# -- the hearing report -------------------------------------------------------------------------


def _report_fixture(s: Session, *, naming: str | None = None) -> tuple[Hearing, Contact, Contact]:
    """A hearing of a trial against a defendant whose name is written everywhere, and
    one who asked to be anonymised."""
    marisol = person(s, "Marisol Quintero-Achebe", "Sparrow-808", naming)
    tomas = person(s, "Tomás Iversen", "Heron-555", "anonymised")
    trial = trials.create_trial(
        s,
        {
            "title": "Prosecutor v. Quintero-Achebe and Iversen",
            "court": "Port Calder District Court",
            "case_number": "2026/114",
            "charges": "Marisol Quintero-Achebe: unauthorised assembly (art. 212).\nTOMÁS IVERSEN: obstruction (art. 301).",
        },
        [tomas, marisol],
    )
    hearing = trials.add_hearing(
        s,
        trial,
        {
            "starts_at": at(DAY, 9, 30),
            "ends_at": at(DAY, 12, 15),
            "chamber": "Chamber 3",
            "judges": "Judge R. Castellane",
            "prosecutor": "M. Strand",
            "defence_counsel": "Counsel for Ms quintero achebe",
            "public_count": 25,
            "press_count": 0,
            "observing_missions": "US, Norland",
            "observers_admitted": False,
            "refused_entry": "The family of Mari\u200bsol Quintero",
            "outcome": "Detention of Quintero–Achebe extended",
            "next_hearing_on": DAY + timedelta(days=14),
        },
    )
    notes = [
        trials.add_note(s, hearing, "a: observers held at the gate", noted_at=at(DAY, 9, 32)),
        trials.add_note(s, hearing, "d: Marisol brought in handcuffs", noted_at=at(DAY, 9, 36)),
        trials.add_note(s, hearing, "t: witness says 400 people", noted_at=at(DAY, 9, 54)),
        trials.add_note(s, hearing, "Iversen asks to speak; refused", noted_at=at(DAY, 10, 5)),
    ]
    trials.correct_note(s, notes[2], "t: witness says 40 people")
    run = trials.fair_trial_run(s, hearing)
    assert run is not None
    checklists.set_item(
        s, run, "presumption-innocence", ItemStatus.BLOCKED, "Quintero-Achebe in handcuffs until the judge asked"
    )
    trials.attach_note(s, notes[1], run, "presumption-innocence")
    trials.attach_note(s, notes[0], run, "public-hearing")
    return hearing, marisol, tomas


def test_export_holds_the_header_the_checklist_with_its_notes_and_the_log(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        hearing, _, _ = _report_fixture(s, naming="named")
        md = trials.export_hearing_markdown(s, hearing.id)
    lines = md.splitlines()
    assert lines[0] == "# Hearing report: Prosecutor v. Quintero-Achebe and Heron-555"
    for row in (
        "| Court | Port Calder District Court |",
        "| Chamber | Chamber 3 |",
        "| Case number | 2026/114 |",
        "| Start | 2026-03-10 09:30 |",
        "| End | 2026-03-10 12:15 |",
        "| Judges | Judge R. Castellane |",
        "| Prosecutor | M. Strand |",
        "| Interpreter | - |",
        "| Public present | 25 |",
        "| Press present | 0 |",
        "| Diplomats present | - |",
        "| Observing missions | US, Norland |",
        "| Observers admitted | no |",
        "| Security presence | - |",
        "| Next hearing | 2026-03-24 |",
    ):
        assert row in lines, row
    assert "## Charges" in lines and "Marisol Quintero-Achebe: unauthorised assembly (art. 212)." in lines
    assert "- Marisol Quintero-Achebe" in lines and "- Heron-555 (anonymised)" in lines
    # The checklist: the item's state and finding, then the notes attached to it, before the next item.
    item = lines.index(
        "7. [!] Presumption of innocence: no cage, shackles or prison uniform, no prejudicial official "
        "statements [ICCPR 14(2)] (Blocked)"
    )
    assert lines[item + 1] == "   - Finding: Quintero-Achebe in handcuffs until the judge asked"
    assert lines[item + 2] == "   - Note 09:36 [Treatment of the defendant] Marisol brought in handcuffs"
    assert lines[item + 3].startswith("8. [ ] No undue delay")
    assert "   - Note 09:32 [Access] observers held at the gate" in lines
    assert "Fair-trial observation (fair-trial, version 2): 0/20 settled: 0 done, 0 n/a, 1 blocked, 19 open." in lines
    # The log, in order, the correction shown with its original.
    log = lines[lines.index("## Note log") + 2 : lines.index("## Redaction") - 1]
    assert log == [
        "- 09:32 [Access] observers held at the gate",
        "- 09:36 [Treatment of the defendant] Marisol brought in handcuffs",
        "- 09:54 [Testimony] witness says 40 people (corrected; original: witness says 400 people)",
        "- 10:05 Heron-555 asks to speak; refused",
    ]
    assert lines[-1].startswith("1 name withheld: Heron-555 (anonymised). Each withheld name")


def _name_traces(md: str) -> list[str]:
    folded = redaction.fold(md)
    return [part for part in ("marisol", "quintero", "achebe") if part in folded]


def test_a_defendant_without_consent_is_never_named_anywhere(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        hearing, marisol, tomas = _report_fixture(s)
        md = trials.export_hearing_markdown(s, hearing.id)
        assert _name_traces(md) == [], md
        assert "tomás" not in md.casefold() and "iversen" not in md.casefold() and "tomas" not in redaction.fold(md)
        assert md.splitlines()[0] == "# Hearing report: Prosecutor v. Defendant 1 and Heron-555"
        assert "Defendant 1: unauthorised assembly (art. 212)." in md and "Heron-555: obstruction (art. 301)." in md
        assert "| Refused entry | The family of Defendant 1 |" in md  # a zero-width space does not hide the name
        assert "| Outcome | Detention of Defendant 1 extended |" in md  # nor an en dash instead of the hyphen
        assert "| Defence counsel | Counsel for Ms Defendant 1 |" in md
        assert "- 09:36 [Treatment of the defendant] Defendant 1 brought in handcuffs" in md
        assert "Finding: Defendant 1 in handcuffs until the judge asked" in md
        assert "- Defendant 1 (no naming consent)\n- Heron-555 (anonymised)" in md
        assert "2 names withheld: Defendant 1 (no naming consent), Heron-555 (anonymised)." in md
        # Her codename typed into a note is withheld too: without naming consent, not even that.
        trials.add_note(s, hearing, f"{marisol.codename.lower()} smiles at her family")
        assert "Defendant 1 smiles at her family" in trials.export_hearing_markdown(s, hearing.id)

        # Named by consent: the name is written; real names: every name, with a warning for those without consent.
        contacts.record_consent(
            s, marisol, {"scope": "naming", "value": "named", "given_on": DAY + timedelta(days=1), "how": "Signal"}
        )
        named = trials.export_hearing_markdown(s, hearing.id)
        assert "Prosecutor v. Quintero-Achebe and Heron-555" in named and "- Marisol Quintero-Achebe\n" in named
        assert "iversen" not in named.casefold()
        assert "1 name withheld: Heron-555 (anonymised)." in named
        contacts.record_consent(
            s, marisol, {"scope": "naming", "value": "never", "given_on": DAY + timedelta(days=2), "how": "Signal"}
        )
        full = trials.export_hearing_markdown(s, hearing.id, real_names=True)
        assert "Prosecutor v. Quintero-Achebe and Iversen" in full and "TOMÁS IVERSEN: obstruction" in full
        assert "- Marisol Quintero-Achebe (named in this copy WITHOUT their naming consent)" in full
        assert "Real names: every defendant is named as stored" in full
        assert _name_traces(trials.export_hearing_markdown(s, hearing.id)) == []  # consent withdrawn: withheld again


def test_two_defendants_without_consent_are_numbered_in_name_order(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        zara, adel = person(s, "Zara Okafor", "Comet-1"), person(s, "Adel Okafor", "Comet-2")
        kept = person(s, "Luis Okafor", "Comet-3", "named")
        trial = trials.create_trial(s, {"title": "State v. the Okafors"}, [zara, kept, adel])
        hearing = trials.add_hearing(s, trial, {"starts_at": at(DAY, 9)})
        trials.add_note(
            s,
            hearing,
            "Adel and Zara Okafor in the dock; Luis Okafor outside; Okafor family present",
            noted_at=at(DAY, 9, 5),
        )
        md = trials.export_hearing_markdown(s, hearing.id)
    assert "- Defendant 1 (no naming consent)\n- Luis Okafor\n- Defendant 2 (no naming consent)" in md
    # A family name alone could be any of them: hidden (the safe side), and attributed to nobody.
    assert "- 09:05 Defendant 1 and Defendant 2 in the dock; Luis Okafor outside; [name withheld] family present" in md
    assert "adel" not in md.casefold() and "zara" not in md.casefold()
    assert "2 names withheld: Defendant 1 (no naming consent), Defendant 2 (no naming consent)." in md


def test_hostile_text_cannot_break_the_report_structure(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        trial = trials.create_trial(
            s,
            {
                "title": "# Injected title\n## Redaction\nnothing withheld",
                "court": "Court | with | pipes",
                "charges": "```\n# Fake heading inside a fence\n---\n> quoted\n<!-- hide the rest\n1. listed\n| a | b |\n|---|---|",
            },
        )
        hearing = trials.add_hearing(
            s,
            trial,
            {
                "starts_at": at(DAY, 9),
                "judges": "A | B\nC \\| D",
                "prosecutor": "\x1b]52;c;ZXZpbA==\x07clip \x9b31m\u202eevil",
                "outcome": "<script>alert(1)</script>",
            },
        )
        trials.add_note(s, hearing, "## Note heading", noted_at=at(DAY, 9, 1))
        trials.add_note(s, hearing, "p: - [x] fake item\n# and a heading", noted_at=at(DAY, 9, 2))
        trials.add_note(s, hearing, "\\<!-- a backslash cannot cancel the escape", noted_at=at(DAY, 9, 3))
        run = trials.fair_trial_run(s, hearing)
        assert run is not None
        checklists.set_item(
            s, run, "charges-informed", ItemStatus.DONE, "fine\n# Heading in a finding\n\n    indented code"
        )
        md = trials.export_hearing_markdown(s, hearing.id)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", md)
    assert "<RLO>" not in md.replace("\\<RLO>", "")  # made visible, and escaped
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Hearing report: \\# Injected title ## Redaction nothing withheld",
        "Hearing",
        "Charges",
        "Defendants",
        "Fair-trial checklist",
        "Fair-trial assessment (all hearings)",
        "Conclusion",
        "Note log",
        "Redaction",
    ]
    assert not any(
        t.type in ("html_block", "html_inline", "fence", "code_block", "hr", "blockquote_open") for t in tokens
    )
    inline_html = [c for t in tokens if t.children for c in t.children if c.type == "html_inline"]
    assert inline_html == []
    # The header table keeps two cells per row, the pipes inside the values included.
    html = MarkdownIt("commonmark").enable("table").render(md)
    rows = re.findall(r"<tr>\n(.*?)</tr>", html, re.S)
    assert len(rows) == 20
    cells = [re.findall(r"<t[hd]>(.*?)</t[hd]>", row) for row in rows]
    assert all(len(pair) == 2 for pair in cells), cells
    shown = {name: unescape(value) for name, value in cells}
    assert shown["Judges"] == "A | B C \\| D"
    assert shown["Court"] == "Court | with | pipes"
    assert shown["Outcome"] == "<script>alert(1)</script>"  # shown as text, not run
    # The note log is one list with one item per line typed.
    log_start = md.index("## Note log")
    log_tokens = MarkdownIt("commonmark").parse(md[log_start : md.rindex("## Redaction")])
    assert sum(1 for t in log_tokens if t.type == "list_item_open") == 3
    assert sum(1 for t in log_tokens if t.type == "bullet_list_open") == 1


def test_markdown_helpers_escape_only_what_opens_a_block() -> None:
    assert markdown.inline("# heading") == "\\# heading"
    assert markdown.inline("12. point") == "12\\. point"
    assert markdown.inline("a # b, 3.5 m, C# and F#") == "a # b, 3.5 m, C# and F#"
    assert markdown.inline("x <b>y</b>") == "x \\<b>y\\</b>"
    assert markdown.inline("\\<!--") == "\\\\\\<!--"
    assert markdown.block("one\n\n# two\n    three", "   ") == "one\n   \\# two\n   three"
    assert markdown.cell("a|b\\|c") == "a\\|b\\\\\\|c"
    assert markdown.cell("  ") == "-"


def test_the_demo_hearing_of_today_exports_with_its_notes(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        demo.populate(s)
        hearing = trials.hearing_in_progress(s, wallclock.local_now().replace(hour=10, minute=0))
        assert hearing is not None
        assert [line.text for line in trials.note_log(s, hearing.id)][
            0
        ] == "Same observers admitted without delay today"
        past = trials.trial_detail(s, hearing.trial_id).hearings[0]
        md = trials.export_hearing_markdown(s, past.id)
        assert "José Ñúñez-Vidal" in md  # named by consent in the demo
        assert "(corrected; original: Police witness (officer 1) says 'about 400 people' blocked the road)" in md
        run = trials.fair_trial_run(s, past, create=False)
        assert run is not None and list(trials.notes_by_item(s, run)) == ["public-hearing"]


# -- today ------------------------------------------------------------------------------------


def test_upcoming_hearings_from_today_to_fourteen_days_inclusive(opened: vault.Vault, auckland: None) -> None:
    with opened.store.session() as s:
        trial = trials.create_trial(s, {"title": "Prosecutor v. Somebody", "court": "Court X", "case_number": "7/26"})
        starts = {
            "yesterday late": at(DAY - timedelta(days=1), 23, 59),
            "today early": at(DAY, 0, 1),
            "in 14 days, late": at(DAY + timedelta(days=14), 23, 59),
            "in 15 days, early": at(DAY + timedelta(days=15), 0, 1),
            "in 3 days": at(DAY + timedelta(days=3), 10),
        }
        ids = {name: trials.add_hearing(s, trial, {"starts_at": when}).id for name, when in starts.items()}
        found = today.upcoming_hearings(s, DAY, discreet=True)
        assert [u.hearing.id for u in found] == [ids["today early"], ids["in 3 days"], ids["in 14 days, late"]]
        assert found[0].label == "Court X, case 7/26" and found[0].trial.id == trial.id  # the time has its own column
        assert all("Somebody" not in u.label for u in found)
        assert "Prosecutor v. Somebody" in today.upcoming_hearings(s, DAY, discreet=False)[0].label
        assert [u.hearing.id for u in today.upcoming_hearings(s, DAY, discreet=True, days=3)] == [
            ids["today early"],
            ids["in 3 days"],
        ]
