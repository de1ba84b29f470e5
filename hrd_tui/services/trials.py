"""Trials, hearings, and the notes typed during a hearing (corrections keep the original).

Trial observation happens in a courtroom, on a screen others can see, over a
link that can drop. So a note line is a record of its own, written the moment
it is entered, and a correction is another line that points at it; the screens
get plain data from here (rows, the note log with its corrections, labels that
name nobody in discreet mode). The hearing report
(:func:`export_hearing_markdown`) names a defendant only with their consent,
and that holds inside free text too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import literal_column, text
from sqlmodel import Session, col, select

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.models import (
    ChecklistItemState,
    ChecklistRun,
    Contact,
    Hearing,
    ThreatCase,
    Trial,
    TrialDefendant,
    TrialNote,
)
from hrd_tui.sanitize import for_display
from hrd_tui.services import (
    base,
    checklists,
    consent,
    contacts,
    markdown,
    redaction,
    reference,
    search,
)
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import ConsentScope, ConsentValue, ItemStatus, NoteTag, TrialStatus

#: The shipped template a hearing's fair-trial checklist is run from.
FAIR_TRIAL_TEMPLATE = "fair-trial"

#: Shorthand typed at the start of a note line, and the tag it sets.
SHORTHAND: dict[str, NoteTag] = {
    "a": NoteTag.ACCESS,
    "p": NoteTag.PROCEDURE,
    "t": NoteTag.TESTIMONY,
    "e": NoteTag.EVIDENCE,
    "d": NoteTag.TREATMENT,
    "q": NoteTag.QUOTE,
}


def create_trial(session: Session, data: Mapping[str, Any], defendants: Sequence[Contact] = ()) -> Trial:
    trial = base.create(session, Trial, data)
    for contact in base.distinct(defendants):  # one typed twice is one defendant (the schema's key)
        session.add(TrialDefendant(trial_id=trial.id, contact_id=contact.id))
    session.flush()
    return trial


def add_hearing(session: Session, trial: Trial, data: Mapping[str, Any]) -> Hearing:
    return base.create(session, Hearing, {**data, "trial_id": trial.id})


def _aware(value: datetime) -> datetime:
    """A naive datetime is the officer's local wall-clock time."""
    return value if value.tzinfo else value.astimezone()


def parse_line(line: str) -> tuple[NoteTag | None, str]:
    """``t: the witness said...`` -> (testimony, "the witness said...")."""
    head, sep, rest = line.partition(":")
    if sep and head.strip().lower() in SHORTHAND and rest.strip():
        return SHORTHAND[head.strip().lower()], rest.strip()
    return None, line.strip()


def add_note(session: Session, hearing: Hearing, line: str, **extra: Any) -> TrialNote:
    tag, body = parse_line(line)
    if not body:
        raise ValidationError({"text": "an empty line is not a note"})
    return base.create(session, TrialNote, {"tag": tag, **extra, "text": body, "hearing_id": hearing.id})


def correct_note(session: Session, original: TrialNote, line: str) -> TrialNote:
    """A correction is a new note pointing at the original, which stays as it was."""
    return add_note(
        session,
        base.get(session, Hearing, original.hearing_id),
        line,
        corrects_id=original.id,
        noted_at=original.noted_at,
    )


def notes_of(session: Session, hearing_id: str) -> list[TrialNote]:
    # rowid last: lines saved in the same instant (a pasted block) stay in the order typed
    stmt = (
        select(TrialNote)
        .where(TrialNote.hearing_id == hearing_id)
        .order_by(col(TrialNote.noted_at), col(TrialNote.created_at), literal_column("trial_note.rowid"))
    )
    return list(session.exec(stmt))


# -- times ------------------------------------------------------------------------


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` on the officer's own clock, aware (the vault
    compares it in UTC). "Today's hearings" are by the local day, not the UTC one."""
    return datetime.combine(day, time()).astimezone()


def _local(value: datetime) -> datetime:
    return _aware(value).astimezone()


def _utc_offset(value: datetime) -> str:
    minutes = int((value.utcoffset() or timedelta(0)).total_seconds() // 60)
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes >= 0 else '-'}{hours:02d}:{mins:02d}"


# -- the trials list ------------------------------------------------------------------


def _where(court: str, case_number: str) -> str:
    """ "Port Calder District Court, case 2026/114": what a discreet label shows."""
    parts = [court.strip(), f"case {case_number.strip()}" if case_number.strip() else ""]
    return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class TrialRow:
    """One line of the trials list, read in one go (no query per row)."""

    id: str
    title: str
    court: str
    case_number: str
    status: TrialStatus
    defendants: tuple[tuple[str, str], ...]  # (name, codename) of each defendant, in name order
    next_hearing: date | None

    def label(self, discreet: bool) -> str:
        """In discreet mode the court and case number only: a trial's title often
        names the defendant ("Prosecutor v. ..."), and the screen can be seen."""
        if discreet:
            return _where(self.court, self.case_number) or "trial with no court or case number"
        return self.title


def resolve_trials(session: Session, entries: Sequence[str], field: str, *, today: date) -> list[str]:
    """Trials (ids) from what an officer typed: the first characters of a trial's id, its
    case number exactly, or words of its title, court or charges. Each must find one."""

    def find(entry: str) -> list[str]:
        exact = session.exec(select(Trial.id).where(col(Trial.case_number) == entry)).all()
        if exact:
            return list(exact)
        if len(entry) >= 8 and all(ch in "0123456789abcdef" for ch in entry.lower()):
            prefixed = base.ids_starting(session, Trial, entry)
            if prefixed:
                return prefixed
        return [row.id for row in list_trials(session, entry, today=today)][:6]

    return base.resolve_each(entries, find, lambda trial_id: trial_id[:8], field, "trial")


def list_trials(
    session: Session, query: str = "", *, today: date, status: TrialStatus | None = None, discreet: bool = False
) -> list[TrialRow]:
    """Trials matching ``query`` (the full-text index; all when empty), the next hearing
    soonest first and those with none last, then by title; in discreet mode by court
    and case number instead, so that the order gives no name away.

    The next hearing is the earliest one on ``today`` (the local day) or later; failing
    that, the latest hearing's "next hearing" date if it is today or later (a date set
    at the last hearing, before the new one is entered)."""
    stmt = select(Trial)
    sub = search.matching_refs_sql(query, "trial")
    if sub is not None:
        sql, params = sub
        stmt = stmt.where(col(Trial.id).in_(text(sql).bindparams(**params)))
    if status is not None:
        stmt = stmt.where(Trial.status == status)
    found = list(session.exec(stmt))
    if not found:
        return []
    ids = [t.id for t in found]
    people: dict[str, list[Contact]] = {}
    for link, contact in session.exec(
        select(TrialDefendant, Contact)
        .join(Contact, col(Contact.id) == TrialDefendant.contact_id)
        .where(col(TrialDefendant.trial_id).in_(ids))
    ):
        people.setdefault(link.trial_id, []).append(contact)
    hearings: dict[str, list[tuple[datetime, date | None]]] = {}
    for trial_id, starts_at, next_on in session.exec(
        select(col(Hearing.trial_id), col(Hearing.starts_at), col(Hearing.next_hearing_on)).where(
            col(Hearing.trial_id).in_(ids)
        )
    ):
        hearings.setdefault(trial_id, []).append((starts_at, next_on))
    start = day_start(today)
    rows = [
        TrialRow(
            id=t.id,
            title=t.title,
            court=t.court,
            case_number=t.case_number,
            status=t.status,
            defendants=tuple((c.name, c.codename) for c in sorted(people.get(t.id, []), key=_by_name)),
            next_hearing=_next_hearing(hearings.get(t.id, []), start, today),
        )
        for t in found
    ]

    def order(row: TrialRow) -> tuple[Any, ...]:
        names = (row.court.casefold(), row.case_number.casefold()) if discreet else (row.title.casefold(),)
        return (row.next_hearing is None, row.next_hearing or date.max, *names, row.id)

    return sorted(rows, key=order)


def _by_name(contact: Contact) -> tuple[str, str]:
    return contact.name.casefold(), contact.id


def _next_hearing(hearings: list[tuple[datetime, date | None]], start: datetime, today: date) -> date | None:
    ahead = [starts for starts, _ in hearings if starts >= start]
    if ahead:
        return _local(min(ahead)).date()
    if hearings:
        _, next_on = max(hearings, key=lambda h: h[0])
        if next_on is not None and next_on >= today:
            return next_on
    return None


# -- one trial ----------------------------------------------------------------------------


def defendants_of(session: Session, trial_id: str) -> list[Contact]:
    """The trial's defendants, in name order."""
    stmt = (
        select(Contact)
        .join(TrialDefendant, col(TrialDefendant.contact_id) == Contact.id)
        .where(TrialDefendant.trial_id == trial_id)
    )
    return sorted(session.exec(stmt), key=_by_name)


def update_trial(
    session: Session, trial: Trial, changes: Mapping[str, Any], defendants: Sequence[Contact] | None = None
) -> Trial:
    """Edit a trial (the history keeps the earlier version). ``defendants``: None leaves
    them as they are; a list (empty too) replaces them."""
    base.update(session, trial, changes)
    if defendants is not None:
        wanted = list(dict.fromkeys(c.id for c in defendants))
        current = {
            row.contact_id: row
            for row in session.exec(select(TrialDefendant).where(TrialDefendant.trial_id == trial.id))
        }
        for contact_id, row in current.items():
            if contact_id not in wanted:
                base.delete(session, row)  # leaves its tombstone: who was a defendant is not lost
        for contact_id in wanted:
            if contact_id not in current:
                session.add(TrialDefendant(trial_id=trial.id, contact_id=contact_id))
        session.flush()
    return trial


@dataclass
class TrialDetail:
    """Everything the trial view shows, read in one transaction."""

    trial: Trial
    defendants: list[Contact]
    hearings: list[Hearing]  # by start time
    threat_case: ThreatCase | None


def hearings_of(session: Session, trial_id: str) -> list[Hearing]:
    stmt = select(Hearing).where(Hearing.trial_id == trial_id).order_by(col(Hearing.starts_at), col(Hearing.created_at))
    return list(session.exec(stmt))


def trial_detail(session: Session, trial_id: str) -> TrialDetail:
    trial = base.get(session, Trial, trial_id)
    case = session.get(ThreatCase, trial.threat_case_id) if trial.threat_case_id else None
    return TrialDetail(trial, defendants_of(session, trial_id), hearings_of(session, trial_id), case)


# -- hearings -------------------------------------------------------------------------------


def update_hearing(session: Session, hearing: Hearing, changes: Mapping[str, Any]) -> Hearing:
    """Edit a hearing (the history keeps the earlier version); an end before the start
    is refused against ``ends_at`` (base.DATE_ORDER)."""
    if "trial_id" in changes and changes["trial_id"] != hearing.trial_id:
        raise ValidationError({"trial_id": "a hearing cannot move to another trial"})
    return base.update(session, hearing, changes)


def hearing_in_progress(session: Session, now: datetime, last_chosen_id: str | None = None) -> Hearing | None:
    """The hearing quick notes go to: of today's hearings (the local day of ``now``),
    the one chosen last time if it is one of them, else the one that started most
    recently at or before ``now``, else the next one today; otherwise the one chosen
    last time if it still exists; otherwise None."""
    now = _aware(now)
    day = now.astimezone().date()
    stmt = (
        select(Hearing)
        .where(Hearing.starts_at >= day_start(day), Hearing.starts_at < day_start(day + timedelta(days=1)))
        .order_by(col(Hearing.starts_at), col(Hearing.created_at))
    )
    todays = list(session.exec(stmt))
    chosen = next((h for h in todays if h.id == last_chosen_id), None)
    if chosen is not None:  # two hearings today: the one the officer went to last
        return chosen
    started = [h for h in todays if h.starts_at <= now]
    if started:
        return started[-1]
    if todays:
        return todays[0]
    return session.get(Hearing, last_chosen_id) if last_chosen_id else None


def start_hearing_now(session: Session, trial: Trial, now: datetime) -> Hearing:
    """A hearing starting now, for when the officer is in court and none was entered
    ahead: the court is copied from the trial, the rest filled in later."""
    return add_hearing(session, trial, {"starts_at": _aware(now), "court": trial.court})


def label_hearing(hearing: Hearing, trial: Trial, *, discreet: bool, with_time: bool = True) -> str:
    """ "2026-11-28 09:30, Port Calder District Court, case 2026/114" (local time); the
    trial's title after the time unless discreet, since a title often names the defendant.
    Without the time where a column shows it already."""
    parts = [f"{_local(hearing.starts_at):%Y-%m-%d %H:%M}"] if with_time else []
    if not discreet:
        parts.append(trial.title)
    where = _where(hearing.court or trial.court, trial.case_number)
    if where:
        parts.append(where)
    return ", ".join(parts)


def hearing_label(session: Session, hearing: Hearing, *, discreet: bool) -> str:
    return label_hearing(hearing, base.get(session, Trial, hearing.trial_id), discreet=discreet)


# -- the note log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteLine:
    """One line of the note log as shown: the line as first typed, and its corrections."""

    note: TrialNote  # the original line, never changed
    corrections: tuple[TrialNote, ...] = ()  # newest last
    item_id: str | None = None  # the fair-trial checklist item it is attached to, if any

    @property
    def latest(self) -> TrialNote:
        return self.corrections[-1] if self.corrections else self.note

    @property
    def corrected(self) -> bool:
        return bool(self.corrections)

    @property
    def text(self) -> str:
        """The latest correction's text, else the original's."""
        return self.latest.text

    @property
    def tag(self) -> NoteTag | None:
        """The latest correction's tag; a correction typed without a shorthand keeps the
        tag of the line it corrects (fixing a typo should not untag the line)."""
        for note in reversed((self.note, *self.corrections)):
            if note.tag is not None:
                return note.tag
        return None


def _lines(session: Session, notes: Sequence[TrialNote]) -> list[NoteLine]:
    """Group notes (in noted_at order) into lines: originals, each with the corrections
    that lead back to it (a correction of a correction belongs to the same line)."""
    by_id = {n.id: n for n in notes}

    def root(note: TrialNote) -> TrialNote:
        seen: set[str] = set()
        while note.corrects_id is not None and note.corrects_id in by_id and note.id not in seen:
            seen.add(note.id)
            note = by_id[note.corrects_id]
        return note

    fixes: dict[str, list[TrialNote]] = {}
    for note in notes:
        if note.corrects_id is not None:
            fixes.setdefault(root(note).id, []).append(note)
    originals = [n for n in notes if n.corrects_id is None]
    state_ids = {n.checklist_item_state_id for n in originals if n.checklist_item_state_id}
    items: dict[str, str] = {}
    if state_ids:
        stmt = select(ChecklistItemState.id, ChecklistItemState.item_id).where(
            col(ChecklistItemState.id).in_(state_ids)
        )
        items = {state_id: item_id for state_id, item_id in session.exec(stmt)}
    return [
        NoteLine(
            n,
            tuple(sorted(fixes.get(n.id, []), key=lambda f: f.created_at)),
            items.get(n.checklist_item_state_id) if n.checklist_item_state_id else None,
        )
        for n in originals
    ]


def note_log(session: Session, hearing_id: str) -> list[NoteLine]:
    """The hearing's lines in the order they were noted, corrections grouped under them."""
    return _lines(session, notes_of(session, hearing_id))


def _original(session: Session, note: TrialNote) -> TrialNote:
    seen: set[str] = set()
    while note.corrects_id is not None and note.id not in seen:
        seen.add(note.id)
        note = base.get(session, TrialNote, note.corrects_id)
    return note


# -- the fair-trial checklist of a hearing -------------------------------------------------------


def fair_trial_run(session: Session, hearing: Hearing, *, create: bool = True) -> ChecklistRun | None:
    """The fair-trial checklist run of this hearing (the first, if several were started);
    started when there is none and ``create`` is true. Its title gives the date, no name."""
    stmt = (
        select(ChecklistRun)
        .where(ChecklistRun.hearing_id == hearing.id, ChecklistRun.template_id == FAIR_TRIAL_TEMPLATE)
        .order_by(col(ChecklistRun.created_at))
    )
    run = session.exec(stmt).first()
    if run is None and create:
        template = checklists.latest_template(session, FAIR_TRIAL_TEMPLATE)
        title = f"{template.title}: hearing of {_local(hearing.starts_at):%Y-%m-%d}"
        run = checklists.start_run(session, FAIR_TRIAL_TEMPLATE, {"hearing_id": hearing.id, "title": title})
    return run


def attach_note(session: Session, note: TrialNote, run: ChecklistRun, item_id: str) -> TrialNote:
    """Attach a note line to a checklist item, as evidence for it; a line already attached
    moves. A correction attaches the line it corrects (the line is what is attached).
    The item's state is created if the run has none yet. Returns the original line."""
    original = _original(session, note)
    items = [item["id"] for item in checklists.template_of(session, run).items]
    if item_id not in items:
        raise ValidationError({"item": f"'{item_id}' is not an item of this checklist"})
    if run.hearing_id is not None and run.hearing_id != original.hearing_id:
        raise ValidationError({"note": "was taken at another hearing than this checklist's"})
    state = checklists.states(session, run).get(item_id)
    if state is None:
        state = base.create(session, ChecklistItemState, {"run_id": run.id, "item_id": item_id})
    if original.checklist_item_state_id != state.id:
        base.update(session, original, {"checklist_item_state_id": state.id})
    return original


def detach_note(session: Session, note: TrialNote) -> TrialNote:
    """Take a line off the checklist item it was attached to. Returns the original line."""
    original = _original(session, note)
    if original.checklist_item_state_id is not None:
        base.update(session, original, {"checklist_item_state_id": None})
    return original


def notes_by_item(session: Session, run: ChecklistRun) -> dict[str, list[NoteLine]]:
    """Item id -> the note lines attached to it (noted order), items in checklist order."""
    state_items = {s.id: s.item_id for s in checklists.states(session, run).values()}
    if not state_items:
        return {}
    stmt = select(TrialNote.hearing_id).where(col(TrialNote.checklist_item_state_id).in_(state_items)).distinct()
    found: dict[str, list[NoteLine]] = {}
    for hearing_id in session.exec(stmt):
        for line in note_log(session, hearing_id):
            if line.note.checklist_item_state_id in state_items:
                found.setdefault(state_items[line.note.checklist_item_state_id], []).append(line)
    order = {item["id"]: n for n, item in enumerate(checklists.template_of(session, run).items)}
    return {
        item: sorted(lines, key=lambda ln: (ln.note.noted_at, ln.note.created_at))
        for item, lines in sorted(found.items(), key=lambda kv: order.get(kv[0], len(order)))
    }


# -- the hearing report ------------------------------------------------------------------------

Naming = redaction.Naming
report_naming = redaction.report_naming


class _Report(redaction.ReportText):
    """The pieces every section of a hearing report needs: how to write vault text."""

    def note(self, line: NoteLine, *, started: datetime) -> str:
        """ "10:24 [Testimony] text (corrected; original: ...)", local time (with the date
        when the line was noted on another day than the hearing started)."""
        at = _local(line.note.noted_at)
        when = f"{at:%H:%M}" if at.date() == started.date() else f"{at:%Y-%m-%d %H:%M}"
        tag = f" [{reference.label('note_tag', line.tag)}]" if line.tag else ""
        text = f"{when}{tag} {self.inline(line.text)}"
        if line.corrected:
            text += f" (corrected; original: {self.inline(line.note.text)})"
        return text


def defendants_section(naming: Sequence[Naming]) -> list[str]:
    """A report's defendants, each as their naming consent allows, and said so when a
    copy names someone without it (the hearing and the trial report both write this)."""
    out: list[str] = []
    for person in naming:
        if person.withheld:
            out.append(f"- {markdown.inline(person.shown)} ({person.withheld})")
        else:
            without = person.consent != ConsentValue.NAMED
            out.append(
                f"- {markdown.inline(person.shown)}"
                + (" (named in this copy WITHOUT their naming consent)" if without else "")
            )
    if not naming:
        out.append("- none recorded")
    return out


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def export_hearing_markdown(session: Session, hearing_id: str, *, real_names: bool = False) -> str:
    """A report an officer can send after a hearing, as Markdown: the observer's header,
    the charges, the defendants, the fair-trial checklist with the notes attached to
    each item, the full timestamped note log, and what was withheld.

    Defendants are named only with their naming consent (see :func:`report_naming`),
    and a withheld name is replaced wherever it appears in the text too: the title,
    the header, the charges, the checklist and every note. Vault text cannot drive
    a terminal or change the document's structure (services.markdown). Reading only:
    nothing is written, so it works on a vault opened read-only."""
    hearing = base.get(session, Hearing, hearing_id)
    trial = base.get(session, Trial, hearing.trial_id)
    naming = report_naming(session, defendants_of(session, trial.id), real_names=real_names)
    report = _Report(naming)
    start = _local(hearing.starts_at)
    out = report.lines
    out += [
        f"# Hearing report: {report.inline(trial.title)}",
        "",
        (
            f"Hearing of {start:%Y-%m-%d %H:%M}. Times are local ({_utc_offset(start)}). "
            f"Written {wallclock.now():%Y-%m-%d %H:%M} UTC by hrd-tui."
        ),
        "",
        "## Hearing",
        "",
    ]
    end = f"{_local(hearing.ends_at):%Y-%m-%d %H:%M}" if hearing.ends_at else None
    header: list[tuple[str, object]] = [
        ("Court", hearing.court or trial.court),
        ("Chamber", hearing.chamber),
        ("Case number", trial.case_number),
        ("Trial status", reference.label("trial_status", trial.status)),
        ("Start", f"{start:%Y-%m-%d %H:%M}"),
        ("End", end),
        ("Judges", hearing.judges),
        ("Prosecutor", hearing.prosecutor),
        ("Defence counsel", hearing.defence_counsel),
        ("Interpreter", hearing.interpreter),
        ("Public present", _count(hearing.public_count)),
        ("Press present", _count(hearing.press_count)),
        ("Diplomats present", _count(hearing.diplomats_count)),
        ("Observing missions", hearing.observing_missions),
        ("Observers admitted", _yes_no(hearing.observers_admitted)),
        ("Security presence", hearing.security_presence),
        ("Refused entry", hearing.refused_entry),
        ("Outcome", hearing.outcome),
        ("Next hearing", hearing.next_hearing_on.isoformat() if hearing.next_hearing_on else None),
    ]
    out += markdown.table(("Field", "Observed"), [(name, report.clean(value)) for name, value in header])
    out += ["", "## Charges", "", report.block(trial.charges) or "-", "", "## Defendants", ""]
    out += defendants_section(naming)
    out += ["", "## Fair-trial checklist", ""]
    _checklist_section(session, report, hearing, start)
    from hrd_tui.services import trial_assessment  # it reads this module's hearings and notes

    out += ["", *trial_assessment.assessment_markdown(report, trial_assessment.assess(session, trial.id))]
    out += ["", "## Note log", ""]
    log = note_log(session, hearing.id)
    out += [f"- {report.note(line, started=start)}" for line in log] or ["No notes were taken."]
    out += ["", "## Redaction", "", _redaction_summary(naming, real_names=real_names)]
    return for_display("\n".join(out)) + "\n"


def _checklist_section(session: Session, report: _Report, hearing: Hearing, start: datetime) -> None:
    out = report.lines
    run = fair_trial_run(session, hearing, create=False)
    if run is None:
        out.append("No fair-trial checklist was kept for this hearing.")
        return
    template = checklists.template_of(session, run)
    by_item = checklists.states(session, run)
    attached = notes_by_item(session, run)
    done = checklists.progress(session, run).describe()
    out += [
        f"{report.inline(template.title)} ({markdown.inline(template.id)}, version {template.version}): {done}.",
        "",
    ]
    for n, item in enumerate(template.items, 1):
        state = by_item.get(item["id"])
        status = state.status if state else ItemStatus.OPEN
        finding = f"; finding: {checklists.finding_word(state.finding)}" if state and state.finding else ""
        out.append(
            f"{n}. {checklists.MARKS[status]} {report.inline(item['text'])} "
            f"({reference.label('item_status', status)}{finding})"
        )
        if state and state.note.strip():
            out.append(f"   - Finding: {report.block(state.note, ' ' * 5)}")
        out += [f"   - Note {report.note(line, started=start)}" for line in attached.get(item["id"], [])]


def _redaction_summary(naming: Sequence[Naming], *, real_names: bool) -> str:
    return redaction.withheld_summary(
        naming,
        real_names=real_names,
        nobody="No defendants are recorded for this trial; no names were withheld.",
        everyone="every defendant",
        where=": in the title, the header, the charges, the checklist and the notes.",
    )


# -- for the screens: one transaction each, plain values back ------------------------------------
#
# A screen hands the app (base.Transactions) to these; each opens its own transaction
# and returns values or frozen views that outlive it, never an ORM instance.


def trial_rows(
    tx: Transactions, query: str = "", *, today: date, status: TrialStatus | None = None, discreet: bool = False
) -> list[TrialRow]:
    """The trials list (:func:`list_trials`), read in its own transaction."""
    with tx.session("reading trials") as session:
        return list_trials(session, query, today=today, status=status, discreet=discreet)


@dataclass(frozen=True)
class HearingRow:
    """One hearing as the trial view lists it."""

    id: str
    starts_at: datetime
    court: str
    chamber: str
    next_hearing_on: date | None


@dataclass(frozen=True)
class TrialView:
    """What the trial view shows, read in one transaction: plain values only."""

    id: str
    title: str
    court: str
    case_number: str
    status: TrialStatus
    counsel: str
    charges: str
    notes: str
    defendants: tuple[tuple[str, str], ...]  # (name, codename), in name order
    threat_case: str | None  # the linked case's title, if a case is linked
    hearings: tuple[HearingRow, ...]  # by start time
    #: Each defendant's consent to the embassy attending and observing their trial, in
    #: words (issue 18): (codename, "ok" / MISSING / REFUSED / WITHDRAWN / EXPIRED).
    attendance: tuple[tuple[str, str], ...] = ()


def trial_view(tx: Transactions, trial_id: str) -> TrialView:
    with tx.session("reading the trial") as session:
        d = trial_detail(session, trial_id)
        t = d.trial
        return TrialView(
            id=t.id,
            title=t.title,
            court=t.court,
            case_number=t.case_number,
            status=t.status,
            counsel=t.counsel,
            charges=t.charges,
            notes=t.notes,
            defendants=tuple((c.name, c.codename) for c in d.defendants),
            threat_case=d.threat_case.title if d.threat_case else None,
            hearings=tuple(HearingRow(h.id, h.starts_at, h.court, h.chamber, h.next_hearing_on) for h in d.hearings),
            attendance=tuple(
                (c.codename, "ok" if held.granted else held.state)
                for c in d.defendants
                for held in [consent.standing_of(session, c.id, ConsentScope.TRIAL_ATTENDANCE, wallclock.today())]
            ),
        )


@dataclass(frozen=True)
class HearingView:
    """What the hearing view shows: the hearing's own fields as plain values, its label
    (names only when not discreet) and whether its fair-trial checklist is started."""

    id: str
    trial_id: str
    label: str
    starts_at: datetime
    ends_at: datetime | None
    fields: Mapping[str, Any]  # every column of the hearing, by name
    checklist_started: bool


def hearing_view(tx: Transactions, hearing_id: str, *, discreet: bool) -> HearingView:
    with tx.session("reading the hearing") as session:
        hearing = base.get(session, Hearing, hearing_id)
        return HearingView(
            id=hearing.id,
            trial_id=hearing.trial_id,
            label=hearing_label(session, hearing, discreet=discreet),
            starts_at=hearing.starts_at,
            ends_at=hearing.ends_at,
            fields=hearing.model_dump(),
            checklist_started=fair_trial_run(session, hearing, create=False) is not None,
        )


def hearing_title(tx: Transactions, hearing_id: str, *, discreet: bool) -> str:
    """The hearing's label (:func:`hearing_label`) in its own transaction."""
    with tx.session("reading the hearing") as session:
        return hearing_label(session, base.get(session, Hearing, hearing_id), discreet=discreet)


def trial_of_hearing(tx: Transactions, hearing_id: str) -> str:
    """The id of the trial a hearing belongs to."""
    with tx.session("reading the hearing") as session:
        return base.get(session, Hearing, hearing_id).trial_id


def fair_trial_run_id(tx: Transactions, hearing_id: str) -> str:
    """The id of the hearing's fair-trial checklist run, started now if there is none."""
    with tx.session("opening the fair-trial checklist") as session:
        run = fair_trial_run(session, base.get(session, Hearing, hearing_id))
        assert run is not None
        return run.id


# The history screen (screens.changes) reads a record by its model and names it with a
# (session, record, discreet) labeller: these are the trial's and the hearing's.
TRIAL_RECORD = Trial
HEARING_RECORD = Hearing


def trial_changes_label(_session: Session, trial: Trial, discreet: bool) -> str:
    return f"case {trial.case_number or '(no number)'}, {trial.court or '(no court)'}" if discreet else trial.title


def hearing_changes_label(session: Session, hearing: Hearing, discreet: bool) -> str:
    return hearing_label(session, hearing, discreet=discreet)


# -- the trial and hearing forms -------------------------------------------------------------------


def trial_form_values(tx: Transactions, trial_id: str) -> dict[str, Any]:
    """A trial's fields as its form edits them, the defendants by codename."""
    with tx.session("reading the trial") as session:
        trial = base.get(session, Trial, trial_id)
        values: dict[str, Any] = trial.model_dump()
        values["defendants"] = [c.codename for c in defendants_of(session, trial.id)]
        return values


def save_trial(tx: Transactions, trial_id: str | None, values: Mapping[str, Any]) -> str:
    """A new trial (``trial_id`` None) or changes to one, from its form; the trial's id.
    ``defendants`` are codenames: absent leaves them as they are."""
    changes = dict(values)
    codenames = changes.pop("defendants", None)
    with tx.session("saving") as session:
        people = contacts.by_codenames(session, codenames, "defendants") if codenames is not None else None
        if trial_id is None:
            return create_trial(session, changes, people or []).id
        return update_trial(session, base.get(session, Trial, trial_id), changes, people).id


def trial_court(tx: Transactions, trial_id: str) -> str:
    """The trial's court: what a new hearing's court starts as."""
    with tx.session("reading the trial") as session:
        return base.get(session, Trial, trial_id).court


def hearing_values(tx: Transactions, hearing_id: str) -> dict[str, Any]:
    """A hearing's fields, by name, as plain values."""
    with tx.session("reading the hearing") as session:
        return base.get(session, Hearing, hearing_id).model_dump()


def save_hearing(tx: Transactions, hearing_id: str | None, trial_id: str, values: Mapping[str, Any]) -> str:
    """A new hearing of the trial (``hearing_id`` None) or changes to one; the hearing's id."""
    with tx.session("saving") as session:
        if hearing_id is None:
            return add_hearing(session, base.get(session, Trial, trial_id), values).id
        return update_hearing(session, base.get(session, Hearing, hearing_id), values).id


# -- the note line ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteView:
    """One line of the note log as a screen shows it, plain values only: the original
    line's id and time, the latest text and tag (:class:`NoteLine`), and the item of the
    fair-trial checklist it is attached to, if any."""

    id: str  # the original line's: what a correction or an attachment points at
    noted_at: datetime
    text: str
    tag: NoteTag | None
    corrected: bool
    item_id: str | None = None

    @classmethod
    def of(cls, line: NoteLine) -> NoteView:
        return cls(line.note.id, line.note.noted_at, line.text, line.tag, line.corrected, line.item_id)

    def corrected_to(self, fix: NoteView) -> NoteView:
        """This line with ``fix`` as its latest correction: a fix typed without a shorthand
        keeps the line's tag (as :attr:`NoteLine.tag`)."""
        return replace(self, text=fix.text, tag=fix.tag or self.tag, corrected=True)

    def attached_to(self, item_id: str) -> NoteView:
        return replace(self, item_id=item_id)


@dataclass(frozen=True)
class NotePage:
    """What the note screen opens with: the lines, and the fair-trial checklist's item
    ids in order (empty when no checklist is started), so a line can say its item's number."""

    lines: tuple[NoteView, ...]
    item_ids: tuple[str, ...]


def note_page(tx: Transactions, hearing_id: str) -> NotePage:
    with tx.session("reading the notes") as session:
        hearing = base.get(session, Hearing, hearing_id)
        lines = tuple(NoteView.of(line) for line in note_log(session, hearing_id))
        run = fair_trial_run(session, hearing, create=False)
        items = checklists.template_of(session, run).items if run else []
        return NotePage(lines, tuple(item["id"] for item in items))


def save_note_lines(tx: Transactions, hearing_id: str, texts: Sequence[str]) -> list[NoteView]:
    """Each text a note line of the hearing, in order, in one transaction (all or none).
    Called on the UI thread, one call per Enter or paste, so lines keep the order typed."""
    with tx.session("saving the note") as session:
        hearing = base.get(session, Hearing, hearing_id)
        return [NoteView.of(NoteLine(add_note(session, hearing, text))) for text in texts]


def save_note_correction(tx: Transactions, note_id: str, text: str) -> NoteView:
    """A correction of the line ``note_id`` (the original stays): the correction itself."""
    with tx.session("saving the note") as session:
        fix = correct_note(session, base.get(session, TrialNote, note_id), text)
        return NoteView.of(NoteLine(fix))


@dataclass(frozen=True)
class AttachedNote:
    """Where a line was attached: the item, its text, and the checklist's item ids in order."""

    item_id: str
    item_text: str
    item_ids: tuple[str, ...]


def attach_note_to_current_item(tx: Transactions, hearing_id: str, note_id: str) -> AttachedNote:
    """Attach the line to the current item of the hearing's fair-trial checklist (its first
    item when none is current), starting the checklist if it is not yet."""
    with tx.session("attaching the note") as session:
        hearing = base.get(session, Hearing, hearing_id)
        run = fair_trial_run(session, hearing)
        assert run is not None
        items = checklists.template_of(session, run).items
        item_id = run.current_item or items[0]["id"]
        attach_note(session, base.get(session, TrialNote, note_id), run, item_id)
        text = next(item["text"] for item in items if item["id"] == item_id)
        return AttachedNote(item_id, text, tuple(item["id"] for item in items))


def attached_notes(tx: Transactions, run_id: str) -> dict[str, list[NoteView]]:
    """The note lines attached to each item of a run (:func:`notes_by_item`)."""
    with tx.session("reading the notes") as session:
        run = checklists.get_run(session, run_id)
        return {item: [NoteView.of(line) for line in lines] for item, lines in notes_by_item(session, run).items()}
