"""Fair-trial findings (issue 18, part 2): a finding per item apart from its state, the most
serious finding of each right across a trial's hearings, the officer's conclusion, the new
template version, and the trial report redacted as the hearing report is."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlmodel import Session, select

from hrd_tui import vault
from hrd_tui.errors import ValidationError
from hrd_tui.models import ChecklistItemState, ChecklistRun, ChecklistTemplate, Contact, Hearing, Trial
from hrd_tui.services import checklists, contacts, history, redaction, reference, trial_assessment, trials
from hrd_tui.vocab import FINDING_SEVERITY, Finding, ItemStatus

DAY = date(2026, 3, 10)
NAME = "Marisol Quintero-Achebe"


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour)).astimezone()


def trial_with_hearings(s: Session, naming: str | None = None) -> tuple[Trial, Hearing, Hearing, Contact]:
    marisol = contacts.create_contact(s, {"name": NAME, "codename": "Sparrow-808"})
    if naming:
        contacts.record_consent(s, marisol, {"scope": "naming", "value": naming, "given_on": DAY, "how": "in person"})
    trial = trials.create_trial(
        s,
        {"title": f"Prosecutor v. {NAME}", "court": "Port Calder District Court", "charges": f"{NAME}: assembly."},
        [marisol],
    )
    first = trials.add_hearing(s, trial, {"starts_at": at(DAY, 9)})
    second = trials.add_hearing(s, trial, {"starts_at": at(date(2026, 3, 24), 9)})
    return trial, first, second, marisol


def run_of(s: Session, hearing: Hearing) -> ChecklistRun:
    run = trials.fair_trial_run(s, hearing)
    assert run is not None
    return run


def test_severity_orders_violation_concern_respected_not_observed() -> None:
    assert sorted(Finding, key=lambda f: -FINDING_SEVERITY[f]) == [
        Finding.VIOLATION,
        Finding.CONCERN,
        Finding.RESPECTED,
        Finding.NOT_OBSERVED,
    ]


def test_a_finding_is_set_and_cleared_apart_from_the_state_and_kept_in_the_history(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        _, hearing, _, _ = trial_with_hearings(s)
        run = run_of(s, hearing)
        checklists.set_item(s, run, "interpreter", ItemStatus.DONE, "interpreter summarised only")
        state = checklists.set_finding(s, run, "interpreter", Finding.CONCERN)
        assert (state.status, state.finding, state.note) == (
            ItemStatus.DONE,
            Finding.CONCERN,
            "interpreter summarised only",
        )
        checklists.set_finding(s, run, "interpreter", Finding.VIOLATION)
        checklists.set_finding(s, run, "interpreter", None)
        assert checklists.states(s, run)["interpreter"].finding is None
        assert checklists.states(s, run)["interpreter"].status == ItemStatus.DONE  # the state is untouched
        earlier = [v.data.get("finding") for v in history.versions(s, "checklist_item_state", state.id)]
        assert earlier[-2:] == ["concern", "violation"]  # each earlier finding kept
        assert run.current_item == "interpreter"
        with pytest.raises(ValidationError):
            checklists.set_finding(s, run, "no-such-item", Finding.CONCERN)
        md = checklists.export_markdown(s, run)
        assert "(done)" in md and "finding" not in md.split("Free, competent interpreter")[1].splitlines()[0]
        checklists.set_finding(s, run, "interpreter", Finding.NOT_OBSERVED)
        assert "(done; finding: not observed)" in checklists.export_markdown(s, run)


def test_findings_only_on_fair_trial_runs(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        run = checklists.start_run(s, "reporting")
        item = checklists.template_of(s, run).items[0]["id"]
        assert not checklists.records_findings(run)
        with pytest.raises(ValidationError) as refused:
            checklists.set_finding(s, run, item, Finding.VIOLATION)
        assert "fair-trial" in str(refused.value.errors["finding"])
        # A run of any template attached to a hearing is an observation list: it records findings.
        _, hearing, _, _ = trial_with_hearings(s)
        other = checklists.start_run(s, "reporting", {"hearing_id": hearing.id})
        assert checklists.records_findings(other)
        checklists.set_finding(s, other, item, Finding.RESPECTED)


def test_the_most_serious_finding_of_each_right_across_hearings(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        trial, first, second, _ = trial_with_hearings(s)
        one, two = run_of(s, first), run_of(s, second)
        checklists.set_item(s, one, "presumption-innocence", note="brought in handcuffs")
        checklists.set_finding(s, one, "presumption-innocence", Finding.CONCERN)
        checklists.set_item(s, two, "presumption-innocence", note="held in a cage throughout")
        checklists.set_finding(s, two, "presumption-innocence", Finding.VIOLATION)
        checklists.set_finding(s, one, "interpreter", Finding.RESPECTED)
        checklists.set_finding(s, two, "interpreter", Finding.NOT_OBSERVED)
        checklists.set_finding(s, two, "public-hearing", Finding.NOT_OBSERVED)
        note = trials.add_note(s, second, "d: cage, glass box", noted_at=at(date(2026, 3, 24), 9).replace(minute=12))
        trials.attach_note(s, note, two, "presumption-innocence")
        found = trial_assessment.assess(s, trial.id)
        assert found.hearings_observed == 2
        by_item = {r.item_id: r for r in found.rights}
        innocence = by_item["presumption-innocence"]
        assert innocence.finding == Finding.VIOLATION
        assert [(e.hearing_id, e.note) for e in innocence.behind] == [(second.id, "held in a cage throughout")]
        assert innocence.behind[0].attached[0].endswith("cage, glass box")
        assert innocence.lesser == ((Finding.CONCERN, 1),)
        assert by_item["interpreter"].finding == Finding.RESPECTED  # respected outranks not observed
        assert by_item["public-hearing"].finding == Finding.NOT_OBSERVED
        assert [r.item_id for r in found.rights] == ["presumption-innocence", "interpreter", "public-hearing"]
        assert len(found.unassessed) == 17 and found.unassessed[-1].item_id == "observer-access"
        assert found.counts()[Finding.VIOLATION] == 1
        assert "violations were found of presumption of innocence" in found.proposed
        assert "did not meet the fair-trial standards" in found.proposed


def test_the_proposal_follows_the_findings(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        trial, first, _, _ = trial_with_hearings(s)
        assert "No findings are recorded yet" in trial_assessment.assess(s, trial.id).proposed
        run = run_of(s, first)
        checklists.set_finding(s, run, "interpreter", Finding.RESPECTED)
        assert "was respected" in trial_assessment.assess(s, trial.id).proposed
        checklists.set_finding(s, run, "protected-activity", Finding.CONCERN)
        proposed = trial_assessment.assess(s, trial.id).proposed
        assert "no violation was found, but there are concerns about charges do not punish" in proposed
        assert "appear to punish the exercise of protected rights" in proposed


def test_the_officer_writes_the_conclusion_and_the_history_keeps_the_earlier(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        trial, first, _, _ = trial_with_hearings(s)
        checklists.set_finding(s, run_of(s, first), "independent-court", Finding.VIOLATION)
        proposed = trial_assessment.assess(s, trial.id).proposed
        trial_assessment.save_conclusion(s, trial, "  The trial was unfair.  ")
        trial_assessment.save_conclusion(s, trial, "The trial was unfair: a security court tried a civilian.")
        found = trial_assessment.assess(s, trial.id)
        assert found.conclusion == "The trial was unfair: a security court tried a civilian."
        assert found.proposed == proposed  # the proposal stays beside the officer's words
        assert [v.data["conclusion"] for v in history.versions(s, "trial", trial.id)][-1] == "The trial was unfair."


def test_a_new_template_version_keeps_old_runs_on_theirs(opened: vault.Vault) -> None:
    shipped = next(t for t in reference.builtin_templates() if t.id == "fair-trial")
    assert shipped.version == 2 and len(shipped.items) == 20
    assert [i["id"] for i in shipped.items[-3:]] == [
        "protected-activity",
        "equality-non-discrimination",
        "observer-access",
    ]
    with opened.store.session() as s:
        # An older vault: version 1 (the first 17 items) and a run started from it.
        s.add(
            ChecklistTemplate(
                id="fair-trial", version=1, title=shipped.title, section=shipped.section, items=shipped.items[:17]
            )
        )
        s.flush()
        trial, first, second, _ = trial_with_hearings(s)
        old = checklists.base.create(
            s, ChecklistRun, {"template_id": "fair-trial", "template_version": 1, "hearing_id": first.id}
        )
        for item in shipped.items[:17]:
            s.add(ChecklistItemState(run_id=old.id, item_id=item["id"]))
        s.flush()
        checklists.set_finding(s, old, "interpreter", Finding.CONCERN)
        new = run_of(s, second)
        assert (old.template_version, new.template_version) == (1, 2)
        assert len(checklists.template_of(s, old).items) == 17 and len(checklists.states(s, old)) == 17
        assert len(checklists.states(s, new)) == 20
        with pytest.raises(ValidationError):
            checklists.set_finding(s, old, "observer-access", Finding.CONCERN)  # not an item of version 1
        reference.sync(s)  # opening the vault again changes neither
        assert checklists.template_of(s, old).version == 1
        assert "version 1" in checklists.export_markdown(s, old)
        found = trial_assessment.assess(s, trial.id)
        assert [r.item_id for r in found.rights] == ["interpreter"]
        assert "observer-access" in [r.item_id for r in found.unassessed]  # the newest wording and order


def _traces(md: str) -> list[str]:
    folded = redaction.fold(md)
    return [part for part in ("marisol", "quintero", "achebe", "sparrow") if part in folded]


def test_the_trial_report_never_names_a_defendant_without_consent(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        trial, first, second, _ = trial_with_hearings(s)
        run = run_of(s, first)
        checklists.set_item(s, run, "presumption-innocence", note=f"{NAME} in handcuffs, sparrow-808 in a cage")
        checklists.set_finding(s, run, "presumption-innocence", Finding.VIOLATION)
        note = trials.add_note(s, first, "d: Marisol shackled", noted_at=at(DAY, 9).replace(minute=20))
        trials.attach_note(s, note, run, "presumption-innocence")
        trial_assessment.save_conclusion(s, trial, "Quintero-Achebe did not get a fair trial.\n# not a heading")
        trials.add_hearing(s, trial, {"starts_at": at(date(2026, 4, 1), 9), "outcome": f"{NAME} released"})
        md = trial_assessment.export_trial_markdown(s, trial.id)
        assert _traces(md) == [], md
        lines = md.splitlines()
        assert lines[0] == "# Trial report: Prosecutor v. Defendant 1"
        assert "- Defendant 1 (no naming consent)" in lines
        assert (
            "1. Presumption of innocence: no cage, shackles or prison uniform, no prejudicial official statements [ICCPR 14(2)]: violation"
            in lines
        )
        assert any(
            line.startswith("   - Hearing 2026-03-10 09:00: Defendant 1 in handcuffs, Defendant 1 in a cage")
            for line in lines
        )
        assert any("Note 09:20 Defendant 1 shackled" in line for line in lines)
        assert "Defendant 1 did not get a fair trial." in lines and "\\# not a heading" in lines
        assert lines[-1].startswith("1 name withheld: Defendant 1 (no naming consent).")
        # The hearing report carries the same assessment, redacted the same way.
        hearing_md = trials.export_hearing_markdown(s, first.id)
        assert _traces(hearing_md) == []
        assert "## Fair-trial assessment (all hearings)" in hearing_md
        assert "(Open; finding: violation)" in hearing_md
        # Named with consent; --real-names names her whatever her consent.
        assert NAME in trial_assessment.export_trial_markdown(s, trial.id, real_names=True)


def test_the_trial_report_names_a_defendant_who_consented(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        trial, _, _, _ = trial_with_hearings(s, naming="named")
        md = trial_assessment.export_trial_markdown(s, trial.id)
        assert md.startswith(f"# Trial report: Prosecutor v. {NAME}\n")
        assert "No findings recorded yet (0 hearings with a fair-trial checklist)." in md
        assert "No conclusion written yet. Proposed from the findings: No findings are recorded yet" in md
        assert not s.exec(select(ChecklistRun)).all()  # reading only: no checklist started
