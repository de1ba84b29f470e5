"""Checklist runs: started from a template version, one state per item, resumable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui import paths, wallclock
from hrd_tui.errors import NotFound, ValidationError
from hrd_tui.models import (
    ChecklistItemState,
    ChecklistRun,
    ChecklistTemplate,
    Contact,
    Hearing,
    ThreatCase,
    Trial,
)
from hrd_tui.sanitize import for_display
from hrd_tui.services import base, markdown, reference, templates
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import CaseStatus, Finding, ItemStatus

#: How an item's state is written where colour cannot be relied on.
MARKS = {ItemStatus.OPEN: "[ ]", ItemStatus.DONE: "[x]", ItemStatus.NOT_APPLICABLE: "[-]", ItemStatus.BLOCKED: "[!]"}

#: The shipped template whose runs record findings (so do runs attached to a hearing).
FAIR_TRIAL_TEMPLATE = "fair-trial"


def finding_word(finding: Finding | None) -> str:
    """A finding in words, as every screen and report writes it ("not observed"): never
    a colour alone."""
    return "no finding" if finding is None else finding.value.replace("_", " ")


def latest_template(session: Session, template_id: str) -> ChecklistTemplate:
    stmt = (
        select(ChecklistTemplate)
        .where(ChecklistTemplate.id == template_id)
        .order_by(col(ChecklistTemplate.version).desc())
    )
    template = session.exec(stmt).first()
    if template is None:
        raise NotFound(f"No checklist template '{template_id}'.")
    return template


def list_templates(session: Session) -> list[ChecklistTemplate]:
    """The newest version of each template, by title."""
    newest: dict[str, ChecklistTemplate] = {}
    for tpl in session.exec(select(ChecklistTemplate)):
        if tpl.id not in newest or tpl.version > newest[tpl.id].version:
            newest[tpl.id] = tpl
    return sorted(newest.values(), key=lambda t: t.title.lower())


def import_template(session: Session, text: str, source: str) -> ChecklistTemplate:
    """An officer's own template, checked and stored in the vault."""
    return store_template(session, templates.parse(text, source))


def store_template(session: Session, tpl: templates.Template) -> ChecklistTemplate:
    """Store an already checked template: never over a shipped one or an existing version."""
    if tpl.id in {b.id for b in reference.builtin_templates()}:
        raise ValidationError({"id": f"'{tpl.id}' is a shipped template; give yours another id"})
    existing = session.get(ChecklistTemplate, (tpl.id, tpl.version))
    if existing is not None:
        raise ValidationError(
            {"version": f"'{tpl.id}' version {tpl.version} is already in the vault; raise the version"}
        )
    row = reference.template_row(tpl, builtin=False)
    session.add(row)
    session.flush()
    return row


def attach_choices(session: Session, *, discreet: bool, today: date | None = None) -> list[tuple[str, dict[str, Any]]]:
    """What a new run can be attached to: (label, fields for the run). Names follow discreet mode."""
    today = today or wallclock.today()
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    choices: list[tuple[str, dict[str, Any]]] = [
        ("Not attached", {}),
        (
            f"Reporting period: {month_start:%B %Y}",
            {"period_start": month_start, "period_end": next_month - timedelta(days=1)},
        ),
    ]
    cases = session.exec(
        select(ThreatCase).where(ThreatCase.status != CaseStatus.CLOSED).order_by(col(ThreatCase.updated_at).desc())
    )
    choices += [(f"Case: {c.title}", {"case_id": c.id}) for c in cases]
    trials = session.exec(select(Trial).order_by(col(Trial.updated_at).desc()).limit(50))
    choices += [(f"Trial: {t.title}", {"trial_id": t.id}) for t in trials]
    hearings = session.exec(
        select(Hearing, Trial)
        .join(Trial, col(Trial.id) == Hearing.trial_id)
        .order_by(col(Hearing.starts_at).desc())
        .limit(50)
    )
    choices += [(f"Hearing {h.starts_at:%Y-%m-%d}: {t.title}", {"hearing_id": h.id}) for h, t in hearings]
    people = session.exec(select(Contact).order_by(Contact.codename if discreet else Contact.name).limit(200))
    choices += [(f"Contact: {c.codename if discreet else c.name}", {"contact_id": c.id}) for c in people]
    return choices


def template_of(session: Session, run: ChecklistRun) -> ChecklistTemplate:
    template = session.get(ChecklistTemplate, (run.template_id, run.template_version))
    if template is None:
        raise NotFound(f"The template of this run ({run.template_id} v{run.template_version}) is missing.")
    return template


def start_run(session: Session, template_id: str, data: Mapping[str, Any] | None = None) -> ChecklistRun:
    template = latest_template(session, template_id)
    run = base.create(
        session,
        ChecklistRun,
        {
            "title": template.title,
            **(data or {}),
            "template_id": template.id,
            "template_version": template.version,
            "current_item": template.items[0]["id"] if template.items else None,
        },
    )
    for item in template.items:
        session.add(ChecklistItemState(run_id=run.id, item_id=item["id"]))
    session.flush()
    return run


def states(session: Session, run: ChecklistRun) -> dict[str, ChecklistItemState]:
    return {s.item_id: s for s in session.exec(select(ChecklistItemState).where(ChecklistItemState.run_id == run.id))}


def set_item(
    session: Session, run: ChecklistRun, item_id: str, status: ItemStatus | None = None, note: str | None = None
) -> ChecklistItemState:
    """Change one item (its state, its note or both) and remember it as where to resume."""
    state = states(session, run).get(item_id)
    if state is None:
        raise ValidationError({"item_id": f"'{item_id}' is not an item of this checklist"})
    changes: dict[str, Any] = {}
    if status is not None and status != state.status:
        changes["status"] = status
    if note is not None and note != state.note:
        changes["note"] = note
    if changes:
        base.update(session, state, changes)
    if run.current_item != item_id:
        base.update(session, run, {"current_item": item_id})
    return state


def records_findings(run: ChecklistRun) -> bool:
    """Fair-trial runs record a finding per item: runs of the shipped fair-trial template,
    and any run attached to a hearing (an officer's own trial-observation list)."""
    return run.template_id == FAIR_TRIAL_TEMPLATE or run.hearing_id is not None


def set_finding(session: Session, run: ChecklistRun, item_id: str, finding: Finding | None) -> ChecklistItemState:
    """What was found about one right (None clears it), apart from the item's state; the
    history keeps each change. Refused on a run that is not a fair-trial one."""
    if not records_findings(run):
        raise ValidationError({"finding": "findings are recorded on fair-trial checklists only"})
    state = states(session, run).get(item_id)
    if state is None:
        raise ValidationError({"item_id": f"'{item_id}' is not an item of this checklist"})
    if state.finding != finding:
        base.update(session, state, {"finding": finding})
    if run.current_item != item_id:
        base.update(session, run, {"current_item": item_id})
    return state


def set_position(session: Session, run: ChecklistRun, item_id: str) -> None:
    if run.current_item != item_id:
        base.update(session, run, {"current_item": item_id})


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    not_applicable: int
    blocked: int

    @property
    def settled(self) -> int:
        """Items that need nothing more: done or not applicable."""
        return self.done + self.not_applicable

    @property
    def open(self) -> int:
        return self.total - self.settled - self.blocked

    def describe(self) -> str:
        return f"{self.settled}/{self.total} settled: {self.done} done, {self.not_applicable} n/a, {self.blocked} blocked, {self.open} open"


def progress(session: Session, run: ChecklistRun) -> Progress:
    counts = {status: 0 for status in ItemStatus}
    for state in states(session, run).values():
        counts[state.status] += 1
    return Progress(
        sum(counts.values()), counts[ItemStatus.DONE], counts[ItemStatus.NOT_APPLICABLE], counts[ItemStatus.BLOCKED]
    )


def runs_in_progress(session: Session) -> list[tuple[ChecklistRun, Progress]]:
    runs = session.exec(
        select(ChecklistRun)
        .where(col(ChecklistRun.finished_at).is_(None))
        .order_by(col(ChecklistRun.updated_at).desc())
    )
    return [(run, progress(session, run)) for run in runs]


def get_run(session: Session, run_id: str) -> ChecklistRun:
    return base.get(session, ChecklistRun, run_id)


def export_markdown(session: Session, run: ChecklistRun) -> str:
    """The run as Markdown: each item with its state, note and when it last changed.

    Plain text that will be shown in terminals, editors and Markdown viewers:
    every piece of vault text goes through services.markdown, so nothing in it
    can drive a terminal or change the document's structure."""
    template = template_of(session, run)
    by_item = states(session, run)
    done = progress(session, run)
    lines = [
        f"# {markdown.inline(run.title or template.title)}",
        "",
        (
            f"- Template: {markdown.inline(template.title)} ({markdown.inline(template.id)}, version {template.version}); "
            f"guidelines: {markdown.inline(template.section)}"
        ),
        f"- Started: {run.created_at:%Y-%m-%d %H:%M} UTC; progress: {done.describe()}",
        "",
    ]
    for n, item in enumerate(template.items, 1):
        state = by_item.get(item["id"])
        status = state.status if state else ItemStatus.OPEN
        finding = f"; finding: {finding_word(state.finding)}" if state and state.finding else ""
        lines.append(
            f"{n}. {MARKS[status]} {markdown.inline(item['text'])} ({status.value.replace('_', ' ')}{finding})"
        )
        if state and state.note:
            lines.append(f"   - Note: {markdown.block(state.note, ' ' * 5)}")
        if state and (status != ItemStatus.OPEN or state.note):  # a note alone is a change too
            lines.append(f"   - Changed: {state.updated_at:%Y-%m-%d %H:%M} UTC")
    return for_display("\n".join(lines)) + "\n"


# -- for the screens: one transaction each, plain values back ------------------------------------
#
# A screen hands the app (base.Transactions) to these; each opens its own transaction
# and returns values or frozen views that outlive it, never an ORM instance.


@dataclass(frozen=True)
class RunRow:
    """One run in progress as the checklists list shows it."""

    id: str
    title: str
    settled: int
    total: int
    updated_at: datetime


def run_rows(tx: Transactions) -> list[RunRow]:
    """The runs in progress (:func:`runs_in_progress`), the last changed first."""
    with tx.session("reading checklists") as session:
        return [
            RunRow(run.id, run.title, done.settled, done.total, run.updated_at)
            for run, done in runs_in_progress(session)
        ]


@dataclass(frozen=True)
class TemplateRow:
    """A template as the screens name it: its id, title and how many items it has."""

    id: str
    title: str
    items: int


@dataclass(frozen=True)
class StartChoices:
    """What a new run can be started from (the newest version of each template, by
    title) and attached to (:func:`attach_choices`: label, fields for the run)."""

    templates: tuple[TemplateRow, ...]
    attachments: tuple[tuple[str, dict[str, Any]], ...]


def start_choices(tx: Transactions, *, discreet: bool) -> StartChoices:
    with tx.session("reading templates") as session:
        return StartChoices(
            tuple(TemplateRow(t.id, t.title, len(t.items)) for t in list_templates(session)),
            tuple(attach_choices(session, discreet=discreet)),
        )


def start_checklist(tx: Transactions, template_id: str, attachment: Mapping[str, Any]) -> str:
    """A new run of the template's newest version, attached as chosen; the run's id."""
    with tx.session("starting a checklist") as session:
        return start_run(session, template_id, attachment).id


def import_template_file(tx: Transactions, path: Path) -> TemplateRow:
    """An officer's own template from a file: read (at most a template's size), checked,
    then stored. The checklists screen runs it on a worker."""
    return import_template_text(tx, templates.read(path), str(path))


def import_template_text(tx: Transactions, text: str, source: str) -> TemplateRow:
    """An officer's own template (:func:`import_template`), from the text of ``source``."""
    with tx.session("importing the checklist template") as session:
        row = import_template(session, text, source)
        return TemplateRow(row.id, row.title, len(row.items))


@dataclass(frozen=True)
class RunView:
    """What the walkthrough opens with: the run, its template's items in order, each
    item's state and note, and the item to resume at."""

    id: str
    title: str
    template_version: int
    hearing_id: str | None
    current_item: str | None
    items: tuple[dict[str, Any], ...]  # each a copy of the template's item (id, text, guidance...)
    status: Mapping[str, ItemStatus]
    notes: Mapping[str, str]
    findings: Mapping[str, Finding] = field(default_factory=dict)  # items with a finding only
    records_findings: bool = False  # a fair-trial run (:func:`records_findings`)


def run_view(tx: Transactions, run_id: str) -> RunView:
    with tx.session("opening the checklist") as session:
        run = get_run(session, run_id)
        template = template_of(session, run)
        found = states(session, run)
        return RunView(
            run.id,
            run.title,
            template.version,
            run.hearing_id,
            run.current_item,
            tuple(dict(item) for item in template.items),
            {item_id: state.status for item_id, state in found.items()},
            {item_id: state.note for item_id, state in found.items()},
            {item_id: state.finding for item_id, state in found.items() if state.finding is not None},
            records_findings(run),
        )


def set_run_item(
    tx: Transactions, run_id: str, item_id: str, status: ItemStatus | None = None, note: str | None = None
) -> None:
    """One item's state, note or both (:func:`set_item`), saved the moment it is given."""
    with tx.session("saving the note" if status is None else "saving the checklist") as session:
        set_item(session, get_run(session, run_id), item_id, status, note)


def set_run_finding(tx: Transactions, run_id: str, item_id: str, finding: Finding | None) -> None:
    """One item's finding (:func:`set_finding`; None clears it), saved the moment it is given."""
    with tx.session("saving the finding") as session:
        set_finding(session, get_run(session, run_id), item_id, finding)


def remember_item(tx: Transactions, run_id: str, item_id: str) -> None:
    """The item a run resumes at (:func:`set_position`)."""
    with tx.session("remembering the place") as session:
        set_position(session, get_run(session, run_id), item_id)


def export_run_file(tx: Transactions, run_id: str, path: Path, *, own_folder: bool) -> None:
    """The run's Markdown (:func:`export_markdown`) written to ``path``: mode 0600, never a
    partial file; the export folder is made private first when it is ours (``own_folder``).
    The vault is read in its own transaction, closed before the file is written."""
    with tx.session("exporting the checklist") as session:
        text = export_markdown(session, get_run(session, run_id))
    if own_folder:
        paths.make_private_dir(path.parent)
    paths.write_private_file(path, text.encode("utf-8"))
