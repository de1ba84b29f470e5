"""A trial's fair-trial assessment across its hearings, the officer's conclusion, and the trial report.

Observation methods (the UN training manual's chapter on trial observation, OSCE/ODIHR,
TrialWatch) record a finding per right at each hearing and then judge the trial as a
whole. Here each right (a fair-trial checklist item) gets the most serious finding of
any hearing (violation > concern > respected > not observed: vocab.FINDING_SEVERITY),
with the hearings and the notes behind it. The app proposes a conclusion from those
findings (:func:`propose`); the officer decides and writes it (``Trial.conclusion``,
kept in the history like every change). The trial report (:func:`export_trial_markdown`)
is redacted exactly as the hearing report is: a defendant is named only with their
naming consent, in the free text too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from hrd_tui import wallclock
from hrd_tui.errors import NotFound
from hrd_tui.models import ChecklistRun, Trial
from hrd_tui.sanitize import for_display, plural
from hrd_tui.services import base, checklists, markdown, redaction, reference, trials
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import FINDING_SEVERITY, Finding

#: The item whose finding says the prosecution itself targets protected activity.
PROTECTED_ACTIVITY = "protected-activity"


@dataclass(frozen=True)
class Evidence:
    """One hearing's finding on a right: the item's note (its evidence) and the hearing
    note lines attached to the item, each "HH:MM text" (local time)."""

    hearing_id: str
    starts_at: datetime
    finding: Finding
    note: str
    attached: tuple[str, ...]


@dataclass(frozen=True)
class RightFinding:
    """A right across the trial: its most serious finding, the hearings that found it
    (:attr:`behind`, by date), and how many hearings found something less serious."""

    item_id: str
    text: str
    finding: Finding | None
    behind: tuple[Evidence, ...] = ()
    lesser: tuple[tuple[Finding, int], ...] = ()  # (finding, hearings), most serious first


@dataclass(frozen=True)
class Assessment:
    """The trial's assessment: rights with a finding (most serious first, then the
    checklist's order), the rights no hearing has a finding on, and the conclusion."""

    trial_id: str
    hearings_observed: int  # hearings with a fair-trial checklist
    rights: tuple[RightFinding, ...]
    unassessed: tuple[RightFinding, ...]
    conclusion: str  # the officer's, "" until written
    proposed: str  # what the findings suggest (:func:`propose`)

    def counts(self) -> dict[Finding, int]:
        found = {f: 0 for f in Finding}
        for right in self.rights:
            if right.finding is not None:
                found[right.finding] += 1
        return found


def short_text(text: str) -> str:
    """An item's text without its bracketed references: "Free, competent interpreter"."""
    head, sep, _ = text.partition(" [")
    return head if sep else text


def _runs(session: Session, trial_id: str) -> list[tuple[ChecklistRun, datetime, str | None]]:
    """The trial's fair-trial runs with the start of their hearing (the trial's own runs,
    attached to no hearing, sort first with the earliest time)."""
    hearings = {h.id: h for h in trials.hearings_of(session, trial_id)}
    stmt = select(ChecklistRun).where(
        (col(ChecklistRun.hearing_id).in_(list(hearings))) | (col(ChecklistRun.trial_id) == trial_id)
    )
    found: list[tuple[ChecklistRun, datetime, str | None]] = []
    for run in session.exec(stmt):
        if not checklists.records_findings(run):
            continue
        hearing = hearings.get(run.hearing_id) if run.hearing_id else None
        found.append((run, hearing.starts_at if hearing else run.created_at, run.hearing_id))
    return sorted(found, key=lambda r: (r[2] is not None, r[1], r[0].created_at))


def assess(session: Session, trial_id: str) -> Assessment:
    """The trial's fair-trial assessment (:class:`Assessment`), read only."""
    trial = base.get(session, Trial, trial_id)
    runs = _runs(session, trial_id)
    order: dict[str, int] = {}
    texts: dict[str, str] = {}
    try:  # the newest fair-trial template gives the order and the wording
        for item in checklists.latest_template(session, checklists.FAIR_TRIAL_TEMPLATE).items:
            order.setdefault(item["id"], len(order))
            texts[item["id"]] = item["text"]
    except NotFound:
        pass
    found: dict[str, list[Evidence]] = {}
    hearings = set()
    for run, starts_at, hearing_id in runs:
        hearings.add(hearing_id or run.id)
        for item in checklists.template_of(session, run).items:  # an officer's own list's items too
            order.setdefault(item["id"], len(order))
            texts.setdefault(item["id"], item["text"])
        states = checklists.states(session, run)
        attached = trials.notes_by_item(session, run)
        for item_id, state in states.items():
            if state.finding is None:
                continue
            lines = tuple(f"{line.note.noted_at.astimezone():%H:%M} {line.text}" for line in attached.get(item_id, []))
            found.setdefault(item_id, []).append(
                Evidence(hearing_id or "", starts_at, state.finding, state.note, lines)
            )
    rights: list[RightFinding] = []
    unassessed: list[RightFinding] = []
    for item_id in sorted(order, key=order.__getitem__):
        evidence = found.get(item_id, [])
        if not evidence:
            unassessed.append(RightFinding(item_id, texts[item_id], None))
            continue
        worst = max(evidence, key=lambda e: FINDING_SEVERITY[e.finding]).finding
        lesser = {e.finding for e in evidence if e.finding != worst}
        rights.append(
            RightFinding(
                item_id,
                texts[item_id],
                worst,
                tuple(e for e in evidence if e.finding == worst),
                tuple(
                    (f, sum(1 for e in evidence if e.finding == f))
                    for f in sorted(lesser, key=lambda f: -FINDING_SEVERITY[f])
                ),
            )
        )
    rights.sort(key=lambda r: (-FINDING_SEVERITY[r.finding] if r.finding else 0, order[r.item_id]))
    draft = Assessment(trial.id, len(hearings), tuple(rights), tuple(unassessed), trial.conclusion, "")
    return Assessment(
        draft.trial_id, draft.hearings_observed, draft.rights, draft.unassessed, draft.conclusion, propose(draft)
    )


def _names(rights: Sequence[RightFinding]) -> str:
    shorts = [short_text(r.text).lower() for r in rights]
    return shorts[0] if len(shorts) == 1 else "; ".join(shorts[:-1]) + "; and " + shorts[-1]


def propose(assessment: Assessment) -> str:
    """A conclusion the findings suggest, for the officer to decide on and edit (the app's
    own wording, not a grade: the officer's judgement is what is reported)."""
    if not assessment.rights:
        return "No findings are recorded yet at this trial's hearings; no conclusion can be drawn."
    by = {f: [r for r in assessment.rights if r.finding == f] for f in Finding}
    observed = f"On the {plural(assessment.hearings_observed, 'hearing')} observed"
    parts: list[str] = []
    if by[Finding.VIOLATION]:
        parts.append(
            f"{observed}, the proceedings breached the right to a fair trial: "
            f"violations were found of {_names(by[Finding.VIOLATION])}."
        )
        if by[Finding.CONCERN]:
            parts.append(f"There are further concerns about {_names(by[Finding.CONCERN])}.")
        parts.append("As observed, the trial did not meet the fair-trial standards of the ICCPR.")
    elif by[Finding.CONCERN]:
        parts.append(f"{observed}, no violation was found, but there are concerns about {_names(by[Finding.CONCERN])}.")
        parts.append("Further observation is needed before the trial can be called fair.")
    else:
        parts.append(f"{observed}, every right on which a finding was recorded was respected.")
    protected = next((r for r in assessment.rights if r.item_id == PROTECTED_ACTIVITY), None)
    if protected is not None and protected.finding in (Finding.VIOLATION, Finding.CONCERN):
        parts.append(
            "The charges appear to punish the exercise of protected rights (expression, assembly, association)."
        )
    gaps = len(by[Finding.NOT_OBSERVED]) + len(assessment.unassessed)
    if gaps:
        parts.append(f"{plural(gaps, 'right')} could not be observed or have no finding yet.")
    return " ".join(parts)


def save_conclusion(session: Session, trial: Trial, text: str) -> Trial:
    """The officer's conclusion (the history keeps the earlier one); blank clears it."""
    return base.update(session, trial, {"conclusion": text.strip()})


# -- Markdown: the assessment section of the hearing and trial reports ---------------------------


def assessment_markdown(report: redaction.ReportText, assessment: Assessment, *, heading: str = "##") -> list[str]:
    """The assessment as report lines: vault text through ``report`` (names withheld as
    the report withholds them, then escaped for Markdown). Findings are words."""
    out = [f"{heading} Fair-trial assessment (all hearings)", ""]
    counts = assessment.counts()
    if not assessment.rights:
        out.append(
            f"No findings recorded yet ({plural(assessment.hearings_observed, 'hearing')} with a fair-trial checklist)."
        )
    else:
        summary = ", ".join(f"{n} {checklists.finding_word(f)}" for f, n in counts.items() if n)
        out += [
            f"Across {plural(assessment.hearings_observed, 'hearing')} with a fair-trial checklist, the most serious "
            f"finding on each right: {summary}.",
            "",
        ]
        for n, right in enumerate(assessment.rights, 1):
            out.append(f"{n}. {report.inline(right.text)}: {checklists.finding_word(right.finding)}")
            for ev in right.behind:
                when = f"{ev.starts_at.astimezone():%Y-%m-%d %H:%M}" if ev.hearing_id else "trial checklist"
                note = report.block(ev.note, " " * 5) if ev.note.strip() else "no note"
                out.append(f"   - Hearing {when}: {note}")
                out += [f"     - Note {report.inline(line)}" for line in ev.attached]
            if right.lesser:
                also = ", ".join(f"{checklists.finding_word(f)} at {plural(k, 'hearing')}" for f, k in right.lesser)
                out.append(f"   - Also found: {also}")
    if assessment.unassessed:
        out += [
            "",
            "No finding yet: " + "; ".join(report.inline(short_text(r.text)) for r in assessment.unassessed) + ".",
        ]
    out += ["", f"{heading}# Conclusion", ""]
    if assessment.conclusion:
        out.append(report.block(assessment.conclusion))
    else:
        out.append(f"No conclusion written yet. Proposed from the findings: {report.block(assessment.proposed)}")
    return out


def export_trial_markdown(session: Session, trial_id: str, *, real_names: bool = False) -> str:
    """A trial report as Markdown: the trial, its charges and defendants, each hearing,
    the fair-trial assessment across them and the officer's conclusion, and what was
    withheld. Redacted as the hearing report is (the same naming, the same replacement in
    the text). Reading only: works on a vault opened read-only."""
    trial = base.get(session, Trial, trial_id)
    naming = trials.report_naming(session, trials.defendants_of(session, trial.id), real_names=real_names)
    report = redaction.ReportText(naming)
    hearings = trials.hearings_of(session, trial.id)
    out = report.lines
    out += [
        f"# Trial report: {report.inline(trial.title)}",
        "",
        f"Written {wallclock.now():%Y-%m-%d %H:%M} UTC by hrd-tui. Hearing times are local.",
        "",
        "## Trial",
        "",
    ]
    header: list[tuple[str, object]] = [
        ("Court", trial.court),
        ("Case number", trial.case_number),
        ("Trial status", reference.label("trial_status", trial.status)),
        ("Defence counsel", trial.counsel),
        ("Hearings", str(len(hearings))),
    ]
    out += markdown.table(("Field", "Recorded"), [(name, report.clean(value)) for name, value in header])
    out += ["", "## Charges", "", report.block(trial.charges) or "-", "", "## Defendants", ""]
    out += trials.defendants_section(naming)
    out += ["", "## Hearings", ""]
    for hearing in hearings:
        run = trials.fair_trial_run(session, hearing, create=False)
        kept = checklists.progress(session, run).describe() if run else "no fair-trial checklist"
        where = ", ".join(x for x in (hearing.court or trial.court, hearing.chamber) if x) or "-"
        line = f"- {hearing.starts_at.astimezone():%Y-%m-%d %H:%M}, {report.inline(where)}: {kept}"
        if hearing.outcome.strip():
            line += f"; outcome: {report.inline(hearing.outcome)}"
        out.append(line)
    if not hearings:
        out.append("No hearings recorded.")
    out += [""]
    out += assessment_markdown(report, assess(session, trial.id))
    out += [
        "",
        "## Redaction",
        "",
        redaction.withheld_summary(
            naming,
            real_names=real_names,
            nobody="No defendants are recorded for this trial; no names were withheld.",
            everyone="every defendant",
            where=": in the title, the header, the charges, the hearings, the findings and their notes, and the conclusion.",
        ),
    ]
    return for_display("\n".join(out)) + "\n"


# -- for the screens: one transaction each, plain values back ------------------------------------


def trial_assessment(tx: Transactions, trial_id: str) -> Assessment:
    """The assessment (:func:`assess`) in its own transaction: frozen plain values."""
    with tx.session("reading the assessment") as session:
        return assess(session, trial_id)


def conclusion_values(tx: Transactions, trial_id: str) -> dict[str, str]:
    """What the conclusion form opens with: the officer's conclusion, or the proposal
    when none is written yet (the officer decides and edits)."""
    with tx.session("reading the assessment") as session:
        found = assess(session, trial_id)
        return {"conclusion": found.conclusion or found.proposed}


def save_trial_conclusion(tx: Transactions, trial_id: str, text: str) -> str:
    """The officer's conclusion saved (:func:`save_conclusion`); the trial's id."""
    with tx.session("saving the conclusion") as session:
        return save_conclusion(session, base.get(session, Trial, trial_id), text).id
