"""A threat case as a Markdown summary, to hand a case over or brief someone on it.

What it holds: the case (status, urgency, dates, alleged perpetrator, threat types,
summary); the risk assessments as a trend, oldest to newest, each with its ratings,
level and reasoning; the five-step threat analyses; the sources, with their
reliability and credibility and the warning when the facts rest on too little
(threats.source_warning); each defender's consent to be acted for; the actions and
referrals, each saying what it rests on (consent, or the recorded emergency
justification); coordination with like-minded missions; what the defenders were
told; the timeline, oldest first; the outcome; and what was withheld.

Redaction is the default, as in the hearing report (services.redaction): a person
linked to the case (a defender, a source, someone told of the action) is named only
with their naming consent: "named" gives the name, "anonymised" their codename,
"never" or nothing recorded a neutral "Defender 1" or "Contact 1". The name is also
replaced wherever it appears in the text (title, summary, analyses, sources, notes,
timeline ...). ``real_names`` writes every name as stored. Vault text cannot drive
a terminal or change the document's structure (services.markdown). Reading only:
nothing is written, so it works on a vault opened read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from hrd_tui import wallclock
from hrd_tui.models import CaseAction, ConsentRecord, Contact, Referral
from hrd_tui.sanitize import for_display
from hrd_tui.services import (
    accountability,
    contacts,
    interaction_about,
    markdown,
    mechanisms,
    redaction,
    reference,
    risk,
    threats,
)
from hrd_tui.services.redaction import Naming
from hrd_tui.vocab import ActionStatus, ReferralStatus

#: The five steps of a threat analysis, in order, with their headings.
ANALYSIS_STEPS: tuple[tuple[str, str], ...] = (
    ("facts", "The facts"),
    ("pattern", "Pattern over time"),
    ("objective", "Apparent objective"),
    ("who", "Who is behind it"),
    ("feasibility", "Feasibility"),
)


def case_naming(
    session: Session, defenders: Sequence[Contact], others: Sequence[Contact], *, real_names: bool = False
) -> list[Naming]:
    """How each person of a case appears in the export, by their naming consent
    (redaction.report_naming): "Defender 1" ... for the defenders, "Contact 1" ... for
    the others (sources, people told), each numbered in name order."""

    def by_name(people: Sequence[Contact]) -> list[Contact]:
        return sorted(people, key=lambda c: (c.name.casefold(), c.id))

    return redaction.report_naming(
        session, by_name(defenders), real_names=real_names, noun="Defender"
    ) + redaction.report_naming(session, by_name(others), real_names=real_names, noun="Contact")


_Writer = redaction.ReportText


def _people(session: Session, detail: threats.CaseDetail) -> list[Contact]:
    """The contacts linked to the case other than its defenders: sources, people told, and
    whoever was at a meeting or démarche about it (the timeline names them)."""
    ids = {s.contact_id for s in detail.sources} | {f.contact_id for f in detail.feedback}
    ids |= interaction_about.people_of_case(session, detail.case.id)
    ids -= {d.id for d in detail.defenders} | {None}
    found = [session.get(Contact, contact_id) for contact_id in sorted(ids, key=str)]
    return [c for c in found if c is not None]


def _amount(value: float | None, currency: str) -> str | None:
    if value is None:
        return None
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{shown} {markdown.inline(currency)}"


def _local(value: datetime) -> datetime:
    """A stored timestamp (UTC; naive means UTC) on the officer's clock."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone()


def _utc_offset(value: datetime) -> str:
    minutes = int((value.utcoffset() or timedelta(0)).total_seconds() // 60)
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes >= 0 else '-'}{hours:02d}:{mins:02d}"


def _day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def export_case_markdown(session: Session, case_id: str, *, real_names: bool = False) -> str:
    """The case summary in Markdown (see the module's docstring); NotFound for an unknown id."""
    detail = threats.case_detail(session, case_id)
    case = detail.case
    naming = case_naming(session, detail.defenders, _people(session, detail), real_names=real_names)
    w = _Writer(naming)
    out = w.lines
    now = wallclock.local_now()
    out += [
        f"# Threat case: {w.inline(case.title)}",
        "",
        f"Written {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC by hrd-tui. Times are local ({_utc_offset(now)}).",
        "",
        "## Case",
        "",
    ]
    latest = detail.latest
    perpetrator = reference.label("perpetrator", case.perpetrator)
    if case.perpetrator_note.strip():
        perpetrator += f" ({w.clean(case.perpetrator_note)})"
    rows: list[tuple[str, object]] = [
        ("Status", reference.label("case_status", case.status)),
        ("Urgency", reference.label("urgency", case.urgency)),
        ("Opened", _day(case.opened_on)),
        ("Closed", _day(case.closed_on)),
        ("Defenders", ", ".join(w.shown[d.id] for d in detail.defenders) or "none recorded"),
        ("Alleged perpetrator", perpetrator),
        ("Threat types", "; ".join(reference.label("threat_type", t) for t in detail.threat_types) or "-"),
        (
            "Latest risk",
            f"{reference.label('risk_level', latest.risk_level)} ({latest.assessed_on})"
            if latest
            else "not assessed yet",
        ),
    ]
    out += markdown.table(("Field", "Value"), rows)
    out += ["", "## Summary", "", w.block(case.summary) or "-"]
    _assessments(w, detail)
    _analyses(w, detail)
    _sources(w, detail)
    _consents(session, w, detail)
    _actions(session, w, detail.actions)
    _referrals(session, w, detail.referrals)
    _coordination(w, detail)
    _feedback(w, detail)
    _accountability(session, w, case_id)
    _timeline(w, detail)
    out += ["", "## Outcome", "", w.block(case.outcome) or ("-" if case.closed_on else "The case is open.")]
    out += ["", "## Redaction", "", _redaction_summary(naming, real_names=real_names)]
    return for_display("\n".join(out)) + "\n"


def _assessments(w: _Writer, detail: threats.CaseDetail) -> None:
    out = w.lines
    out += ["", "## Risk assessments", ""]
    if not detail.assessments:
        out.append("Not assessed yet.")
        return
    trend = " -> ".join(f"{reference.label('risk_level', a.risk_level)} ({a.assessed_on})" for a in detail.assessments)
    out += [f"Trend, oldest to newest: {trend}.", ""]
    for a in detail.assessments:
        out.append(
            f"- {a.assessed_on}: T{a.threat} V{a.vulnerability} C{a.capacity}, "
            f"{reference.label('risk_level', a.risk_level)}. "
            f"{markdown.inline(risk.risk_reasoning(a.threat, a.vulnerability, a.capacity, a.rule_version))}"
        )
        if a.reasoning.strip():
            out.append(f"  - Reasoning: {w.block(a.reasoning, ' ' * 4)}")


def _analyses(w: _Writer, detail: threats.CaseDetail) -> None:
    out = w.lines
    out += ["", "## Threat analyses", ""]
    if not detail.analyses:
        out.append("No threat analysed yet.")
        return
    for n, analysis in enumerate(detail.analyses, 1):
        what = reference.label("threat_type", analysis.threat_type) if analysis.threat_type else "Threat"
        out += [f"### {n}. {what}", ""]
        for name, heading in ANALYSIS_STEPS:
            out.append(f"- {heading}: {w.block(getattr(analysis, name), '  ') or '-'}")
        out.append("")
    out.pop()


def _sources(w: _Writer, detail: threats.CaseDetail) -> None:
    out = w.lines
    out += ["", "## Sources", ""]
    warning = threats.source_warning(detail.sources)
    if warning:
        out += [f"**Warning:** {warning}", ""]
    for s in detail.sources:
        who = w.person(s.contact_id)
        out.append(
            f"- {s.received_on}: reliability {s.reliability.value} "
            f"({reference.label('reliability', s.reliability)}), credibility {s.credibility.value} "
            f"({reference.label('credibility', s.credibility)})"
            + (f", from {who}" if who else "")
            + f": {w.block(s.description, '  ')}"
        )
    if not detail.sources:
        out.pop()  # the warning says it


def _consents(session: Session, w: _Writer, detail: threats.CaseDetail) -> None:
    """Each defender's consent for each kind of action (issue 18), as it stood when exported."""
    out = w.lines
    out += ["", "## Consent to act on their behalf", ""]
    for defender in detail.defenders:
        who = markdown.inline(w.shown[defender.id])
        mine = [e for e in detail.consents if e.contact.id == defender.id]
        if all(e.record is None for e in mine):
            out.append(
                f"- {who}: none recorded (acting for them needs their consent for each kind of action, "
                "or an emergency justification)"
            )
            continue
        out.append(f"- {who}:")
        for entry in mine:
            kind = reference.label("consent_scope", entry.scope)
            record = entry.record
            if record is None:
                out.append(f"  - {kind}: none recorded")
                continue
            state = entry.standing.state if entry.standing else ""
            flag = f" ({state})" if state and state != "granted" else ""
            how = f", {w.inline(record.how)}" if record.how.strip() else ""
            until = f", until {record.ends_on}" if record.ends_on else ""
            line = f"  - {kind}: {reference.label('consent_value', record.value).lower()}{flag} on {record.given_on}"
            names = contacts.consent_names(session, record)
            named = f" ({w.inline(names)})" if names else ""
            out.append(line + until + named + how + (f". {w.inline(record.note)}" if record.note.strip() else ""))
    if not detail.defenders:
        out.append("No defender recorded.")


def _rests_on(session: Session, record_id: str | None, justification: str, w: _Writer) -> str | None:
    """What acting for the defenders rests on: their consent, or the recorded justification."""
    if record_id:
        record = session.get(ConsentRecord, record_id)
        return f"the defenders' recorded consent ({record.given_on})" if record else "the defenders' recorded consent"
    if justification.strip():
        return f"NO consent; emergency justification: {w.block(justification, '    ')}"
    return None


def _actions(session: Session, w: _Writer, actions: Sequence[CaseAction]) -> None:
    out = w.lines
    out += ["", "## Actions", ""]
    for a in actions:
        parts = [
            f"{reference.label('action_category', a.category)}",
            f"owner {w.inline(a.owner) or '-'}",
            f"due {_day(a.due_on)}",
        ]
        if a.done_on:
            parts.append(f"done {a.done_on}")
        out.append(f"- [{reference.label('action_status', a.status)}] {w.inline(a.title)} ({'; '.join(parts)})")
        if a.on_behalf:
            rests = _rests_on(session, a.consent_record_id, a.emergency_justification, w)
            if rests is None:
                rests = (
                    "consent not recorded yet: needed before it starts"
                    if a.status == ActionStatus.PLANNED
                    else "nothing recorded"
                )
            out.append(f"  - On the defenders' behalf: {rests}")
        if a.note.strip():
            out.append(f"  - Note: {w.block(a.note, ' ' * 4)}")
    if not actions:
        out.append("No action recorded.")


def _referrals(session: Session, w: _Writer, referrals: Sequence[Referral]) -> None:
    out = w.lines
    out += ["", "## Referrals", ""]
    for r in referrals:
        name = markdown.inline(reference.resource_name(session, r.resource_id))
        parts = [f"status {reference.label('referral_status', r.status).lower()}"]
        for label, amount in (("requested", r.amount_requested), ("granted", r.amount_granted)):
            if (shown := _amount(amount, r.currency)) is not None:
                parts.append(f"{label} {shown}")
        for label, day in (
            ("sent", r.sent_on),
            ("decision expected", r.expected_decision_on),
            ("decided", r.decision_on),
        ):
            if day:
                parts.append(f"{label} {day}")
        purpose = reference.label("referral_purpose", r.purpose)
        if mechanisms.mechanism(r.purpose) is None:
            out.append(f"- {name}, for {purpose.lower()} ({'; '.join(parts)})")
        else:  # a mechanism's procedure (issue 19): its stage, no money
            if r.stage:
                parts.append(f"stage '{mechanisms.stage_label(r.purpose, r.stage)}' reached {r.stage_on}")
            out.append(f"- {name}: {purpose} ({'; '.join(parts)})")
        if r.shared:
            out.append("  - Shares: " + ", ".join(reference.label("shared_info", x).lower() for x in r.shared))
        if r.outcome.strip():
            out.append(f"  - Outcome: {w.block(r.outcome, ' ' * 4)}")
        rests = _rests_on(session, r.consent_record_id, r.emergency_justification, w)
        if rests is None and r.status == ReferralStatus.DRAFT:
            rests = "consent not recorded yet: needed before it is sent"
        if rests:
            out.append(f"  - Rests on: {rests}")
    if not referrals:
        out.append("No referral made.")


def _coordination(w: _Writer, detail: threats.CaseDetail) -> None:
    out = w.lines
    out += ["", "## Coordination with like-minded missions", ""]
    for c in detail.coordination:
        line = f"- {c.on_date}, {reference.label('coordination_kind', c.kind).lower()}: {w.inline(c.missions)}"
        if c.role.strip():
            line += f". {w.block(c.role, '  ')}"
        out.append(line)
        if c.note.strip():
            out.append(f"  - Note: {w.block(c.note, ' ' * 4)}")
    if not detail.coordination:
        out.append("None recorded.")


def _feedback(w: _Writer, detail: threats.CaseDetail) -> None:
    out = w.lines
    out += ["", "## Feedback to the defenders", ""]
    for f in detail.feedback:
        who = w.person(f.contact_id)
        how = f" ({w.inline(f.how)})" if f.how.strip() else ""
        out.append(f"- {f.told_on}, told {who or 'the defenders'}{how}: {w.block(f.what, '  ')}")
    if not detail.feedback:
        out.append("No feedback recorded: the defenders were not told what was done, or it was not noted.")


def _accountability(session: Session, w: _Writer, case_id: str) -> None:
    """What happened after the attack (issue 19): the state in words, then each step."""
    steps = accountability.steps_of(session, case_id=case_id)
    out = w.lines
    out += ["", "## After the attack: accountability", "", f"State: {accountability.state_text(steps)}."]
    if steps:
        out.append("")
    for s in steps:
        line = f"- {s.on_date}, {reference.label('accountability_step', s.step).lower()}; source: {w.inline(s.source)}"
        out.append(line + (f". {w.block(s.note, '  ')}" if s.note.strip() else ""))


def _timeline(w: _Writer, detail: threats.CaseDetail) -> None:
    out = w.lines
    out += ["", "## Timeline (oldest first)", ""]
    for event in reversed(detail.timeline):
        out.append(
            f"- {_local(event.occurred_at):%Y-%m-%d %H:%M} [{reference.label('timeline_kind', event.kind)}] "
            f"{w.block(event.text, '  ')}"
        )
    if not detail.timeline:
        out.append("No event recorded.")


def _redaction_summary(naming: Sequence[Naming], *, real_names: bool) -> str:
    return redaction.withheld_summary(
        naming,
        real_names=real_names,
        nobody="No one is linked to this case; no names were withheld.",
        everyone="everyone linked to the case",
        where=" in the text. Other people named in free text (officials, relatives, counsel) are written as typed: "
        "check before sending.",
    )
