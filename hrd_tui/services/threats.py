"""Threat cases: opening (with the guidelines' actions planned), the risk worksheet,
the five-step analysis, sources, actions behind the consent gate, referrals,
coordination with like-minded missions, feedback to the defender, the timeline.

Every change a case goes through also lands on its timeline, so the officer
(and whoever takes the case over) can read what happened in order.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.models import (
    CaseAction,
    CaseCoordination,
    CaseDefender,
    CaseThreatType,
    ConsentRecord,
    Contact,
    DefenderFeedback,
    Referral,
    Resource,
    RiskAssessment,
    Source,
    ThreatAnalysis,
    ThreatCase,
    TimelineEvent,
)
from hrd_tui.services import base, consent, contacts, mechanisms, plan, reference, risk
from hrd_tui.services import resources as resources_service
from hrd_tui.services.base import Transactions
from hrd_tui.services.contacts import current_consent
from hrd_tui.services.plan import DEFAULT_OWNER as DEFAULT_OWNER  # moved to plan; the name stays here
from hrd_tui.services.plan import PLAN_TEMPLATES as PLAN_TEMPLATES  # moved to plan; the name stays here
from hrd_tui.services.risk import risk_level, risk_reasoning, risk_score  # noqa: F401 (the rule moved; its names stay here)
from hrd_tui.vocab import (
    ACTION_SCOPES,
    DEFAULT_ACTION_SCOPE,
    ActionCategory,
    ActionStatus,
    CaseStatus,
    ConsentScope,
    ConsentValue,
    CoordinationKind,
    Credibility,
    Perpetrator,
    ReferralPurpose,
    ReferralStatus,
    RiskLevel,
    ThreatType,
    TimelineKind,
    Urgency,
)

#: A referral sent with no expected decision date is chased after this many days.
REFERRAL_CHASE_DAYS = 30
#: Open actions and referrals due within this many days are shown ahead of time.
DUE_HORIZON_DAYS = 7
#: A case not reassessed for longer than this is flagged (risk changes).
REASSESS_DAYS = 14
OPEN_ACTION = (ActionStatus.PLANNED, ActionStatus.DOING)
#: A clock a few minutes fast is not a timeline event in the future.
FUTURE_SLACK = timedelta(minutes=10)
PENDING_REFERRAL = (ReferralStatus.SENT, ReferralStatus.UNDER_REVIEW)
DECIDED_REFERRAL = (ReferralStatus.GRANTED, ReferralStatus.DECLINED)


# -- cases -------------------------------------------------------------------------------
def case_label(case: ThreatCase, defenders: Sequence[Contact], *, discreet: bool) -> str:
    """The title, or in discreet mode the defenders' codenames (a title often names them)."""
    if not discreet:
        return case.title
    return "Case of " + (", ".join(sorted(d.codename for d in defenders)) or "(no defender)")


def _threat_types(values: Iterable[str]) -> list[ThreatType]:
    return base.codes(ThreatType, values, "threat_types")


def open_case(
    session: Session,
    data: Mapping[str, Any],
    defenders: Sequence[Contact],
    threat_types: Iterable[str] = (),
    *,
    first_event: str = "",
    first_event_at: datetime | None = None,
    plan: bool = True,
) -> ThreatCase:
    """Open a case; with ``plan`` the guidelines' immediate and longer-term actions
    are planned at once, each with its owner and a due date counted from the opening."""
    errors: dict[str, str] = {}
    defenders = base.distinct(defenders)
    if not defenders:
        errors["defenders"] = "a case concerns at least one defender"
    try:
        types = _threat_types(threat_types)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    case = base.create(session, ThreatCase, {"opened_on": wallclock.today(), **data})
    for contact in defenders:
        session.add(CaseDefender(case_id=case.id, contact_id=contact.id))
    for threat_type in types:
        session.add(CaseThreatType(case_id=case.id, threat_type=threat_type))
    add_event(session, case, "Case opened.", TimelineKind.STATUS)
    if first_event.strip():
        add_event(session, case, first_event.strip(), occurred_at=first_event_at)
    if plan:
        plan_actions(session, case)
    return case


def plan_actions(session: Session, case: ThreatCase) -> list[CaseAction]:
    """The actions of the threat templates, planned from the day the case opened, each
    with the post's owner and due days where it set its own (services.plan)."""
    planned: list[CaseAction] = []
    for item in plan.plan_items(session):
        due = item.due_days
        planned.append(
            base.create(
                session,
                CaseAction,
                {
                    "case_id": case.id,
                    "title": item.text,
                    "template_item": item.key,
                    "category": item.category,
                    "owner": item.owner,
                    "due_on": case.opened_on + timedelta(days=due) if due is not None else None,
                    "on_behalf": item.on_behalf,
                    # The consent it needs, as the template says (issue 18).
                    "consent_scope": (item.consent_scope or DEFAULT_ACTION_SCOPE) if item.on_behalf else None,
                },
            )
        )
    return planned


def update_case(
    session: Session,
    case: ThreatCase,
    changes: Mapping[str, Any],
    defenders: Sequence[Contact] | None = None,
    threat_types: Iterable[str] | None = None,
) -> ThreatCase:
    """Edit a case; status and urgency changes go on the timeline. Closing asks for
    an outcome, so it goes through close_case."""
    changes = dict(changes)
    if changes.get("status") == CaseStatus.CLOSED and case.status != CaseStatus.CLOSED:
        raise ValidationError({"status": "close the case with its outcome (x on the case)"})
    defenders = base.distinct(defenders) if defenders is not None else None
    if defenders is not None and not defenders:
        raise ValidationError({"defenders": "a case concerns at least one defender"})
    before = (case.status, case.urgency)
    old_people = {c.id: c.codename for c in defenders_of(session, case.id)}
    old_types = set(threat_types_of(session, case.id))
    base.update(session, case, changes)
    if defenders is not None:
        _replace_links(
            session, CaseDefender, case.id, [CaseDefender(case_id=case.id, contact_id=c.id) for c in defenders]
        )
        added = sorted(c.codename for c in defenders if c.id not in old_people)
        removed = sorted(code for cid, code in old_people.items() if cid not in {c.id for c in defenders})
        if added:
            add_event(session, case, f"Defender added: {', '.join(added)}.", TimelineKind.STATUS)
        if removed:
            add_event(session, case, f"Defender removed: {', '.join(removed)}.", TimelineKind.STATUS)
    if threat_types is not None:
        types = _threat_types(threat_types)
        _replace_links(
            session, CaseThreatType, case.id, [CaseThreatType(case_id=case.id, threat_type=t) for t in types]
        )
        if set(types) != old_types:
            labels = ", ".join(reference.label("threat_type", t) for t in types) or "none"
            add_event(session, case, f"Threat types: {labels}.", TimelineKind.STATUS)
    if case.status != before[0]:
        add_event(session, case, f"Status: {reference.label('case_status', case.status)}.", TimelineKind.STATUS)
    if case.urgency != before[1]:
        add_event(session, case, f"Urgency: {reference.label('urgency', case.urgency)}.", TimelineKind.STATUS)
    return case


def _replace_links(session: Session, model: Any, case_id: str, rows: list[Any]) -> None:
    """Swap a case's link rows for ``rows``, keeping the ones that stay (their history too)."""
    existing = list(session.exec(select(model).where(model.case_id == case_id)))
    keep = {tuple(r.model_dump().values()) for r in rows}
    have = {tuple(r.model_dump().values()) for r in existing}
    for row in existing:
        if tuple(row.model_dump().values()) not in keep:
            base.delete(session, row)
    for row in rows:
        if tuple(row.model_dump().values()) not in have:
            session.add(row)
    session.flush()


def defenders_of(session: Session, case_id: str) -> list[Contact]:
    stmt = (
        select(Contact)
        .join(CaseDefender, col(CaseDefender.contact_id) == Contact.id)
        .where(CaseDefender.case_id == case_id)
        .order_by(col(Contact.codename))
    )
    return list(session.exec(stmt))


def threat_types_of(session: Session, case_id: str) -> list[ThreatType]:
    rows = session.exec(select(CaseThreatType.threat_type).where(CaseThreatType.case_id == case_id))
    return sorted((ThreatType(r) for r in rows), key=list(ThreatType).index)


def close_case(session: Session, case: ThreatCase, outcome: str, on: date | None = None) -> ThreatCase:
    if not outcome.strip():
        raise ValidationError({"outcome": "say how the case ended before closing it"})
    base.update(session, case, {"status": CaseStatus.CLOSED, "closed_on": on or wallclock.today(), "outcome": outcome})
    add_event(session, case, "Case closed: " + outcome.strip().splitlines()[0][:200], TimelineKind.STATUS)
    return case


def reopen_case(session: Session, case: ThreatCase) -> ThreatCase:
    """Threats come back: a closed case reopens as being assessed, its outcome kept in the history."""
    if case.status != CaseStatus.CLOSED:
        raise ValidationError({"status": "the case is not closed"})
    base.update(session, case, {"status": CaseStatus.ASSESSING, "closed_on": None})
    add_event(session, case, "Case reopened.", TimelineKind.STATUS)
    return case


# -- timeline ----------------------------------------------------------------------------
def add_event(
    session: Session,
    case: ThreatCase,
    text: str,
    kind: TimelineKind = TimelineKind.EVENT,
    ref_id: str | None = None,
    occurred_at: datetime | None = None,
) -> TimelineEvent:
    fields: dict[str, Any] = {"case_id": case.id, "text": text, "kind": kind, "ref_id": ref_id}
    if occurred_at is not None:
        if occurred_at > wallclock.now() + FUTURE_SLACK:
            raise ValidationError({"occurred_at": "is in the future"})
        fields["occurred_at"] = occurred_at
    return base.create(session, TimelineEvent, fields)


def timeline(session: Session, case_id: str) -> list[TimelineEvent]:
    """Newest first: what happened last is what the officer needs first."""
    stmt = (
        select(TimelineEvent)
        .where(TimelineEvent.case_id == case_id)
        .order_by(col(TimelineEvent.occurred_at).desc(), col(TimelineEvent.created_at).desc())
    )
    return list(session.exec(stmt))


# -- risk assessments and analysis ----------------------------------------------------------
def assess_risk(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> RiskAssessment:
    fields = {"assessed_on": wallclock.today(), **data, "case_id": case.id}
    try:
        ratings = int(fields["threat"]), int(fields["vulnerability"]), int(fields["capacity"])
        level = risk_level(*ratings)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        level = RiskLevel.LOW  # validation below names the bad field
    assessment = base.create(
        session, RiskAssessment, {**fields, "risk_level": level, "rule_version": risk.current_rule()}
    )
    add_event(
        session,
        case,
        f"Risk assessed: {reference.label('risk_level', level)} "
        f"(T{assessment.threat} V{assessment.vulnerability} C{assessment.capacity}).",
        TimelineKind.ASSESSMENT,
        assessment.id,
    )
    return assessment


def assessments_of(session: Session, case_id: str) -> list[RiskAssessment]:
    """Oldest first, so the trend reads left to right."""
    stmt = (
        select(RiskAssessment)
        .where(RiskAssessment.case_id == case_id)
        .order_by(col(RiskAssessment.assessed_on), col(RiskAssessment.created_at))
    )
    return list(session.exec(stmt))


def latest_assessment(session: Session, case_id: str) -> RiskAssessment | None:
    stmt = (
        select(RiskAssessment)
        .where(RiskAssessment.case_id == case_id)
        .order_by(col(RiskAssessment.assessed_on).desc(), col(RiskAssessment.created_at).desc())
    )
    return session.exec(stmt).first()


def analyse(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> ThreatAnalysis:
    return base.create(session, ThreatAnalysis, {**data, "case_id": case.id})


def update_analysis(session: Session, analysis: ThreatAnalysis, changes: Mapping[str, Any]) -> ThreatAnalysis:
    return base.update(session, analysis, changes)


def analyses_of(session: Session, case_id: str) -> list[ThreatAnalysis]:
    stmt = select(ThreatAnalysis).where(ThreatAnalysis.case_id == case_id).order_by(col(ThreatAnalysis.created_at))
    return list(session.exec(stmt))


# -- sources -------------------------------------------------------------------------------
#: Credibility ratings that count as corroborated information.
CORROBORATED = (Credibility.CONFIRMED, Credibility.PROBABLY_TRUE)


def add_source(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> Source:
    source = base.create(session, Source, {"received_on": wallclock.today(), **data, "case_id": case.id})
    add_event(
        session,
        case,
        f"Source added: reliability {source.reliability.value}, credibility {source.credibility.value}.",
        TimelineKind.SOURCE,
        source.id,
    )
    return source


def update_source(session: Session, source: Source, changes: Mapping[str, Any]) -> Source:
    return base.update(session, source, changes)


def sources_of(session: Session, case_id: str) -> list[Source]:
    stmt = select(Source).where(Source.case_id == case_id).order_by(col(Source.received_on), col(Source.created_at))
    return list(session.exec(stmt))


def source_warning(sources: Sequence[Source]) -> str | None:
    """Why the facts may not hold yet: the guidelines ask for "a variety of credible sources".

    Sources are counted as distinct by who gave them (the contact, else the
    description), so the same person reported twice is still one source."""
    if not sources:
        return "No source recorded yet: the facts rest on nothing the vault knows."
    distinct = {s.contact_id or " ".join(s.description.casefold().split()) for s in sources}
    warnings = []
    if len(distinct) == 1:
        warnings.append("Rests on a single source.")
    if not any(s.credibility in CORROBORATED for s in sources):
        warnings.append("Unconfirmed: no source rated confirmed or probably true.")
    return " ".join(warnings) or None


# -- the consent gate ------------------------------------------------------------------------
# Consent is given for each kind of action (issue 18; services.consent): an action or a
# referral on the defenders' behalf needs every defender's consent for its kind, in force
# on the day (not expired, not withdrawn), or the mission's emergency justification.
@dataclass(frozen=True)
class DefenderConsent:
    """A defender of the case and their standing decision on one kind of action."""

    contact: Contact
    record: ConsentRecord | None
    scope: ConsentScope = DEFAULT_ACTION_SCOPE
    standing: consent.Standing | None = None

    @property
    def granted(self) -> bool:
        if self.standing is not None:
            return self.standing.granted
        return self.record is not None and self.record.value == ConsentValue.GRANTED


def consents(
    session: Session, case_id: str, scopes: Sequence[ConsentScope] = ACTION_SCOPES, *, today: date | None = None
) -> list[DefenderConsent]:
    """Each defender's consent for each kind of action in ``scopes``, as it stands ``today``."""
    day = today or wallclock.today()
    entries = []
    for d in defenders_of(session, case_id):
        for scope in scopes:
            record = current_consent(session, d.id, scope)
            entries.append(DefenderConsent(d, record, scope, consent.standing(record, day)))
    return entries


def consent_covers(entries: Sequence[DefenderConsent], scope: ConsentScope = DEFAULT_ACTION_SCOPE) -> bool:
    """Every defender of the case has consented to this kind of action: what the gate asks."""
    mine = [e for e in entries if e.scope == scope]
    return bool(mine) and all(e.granted for e in mine)


def action_gate(action: CaseAction, entries: Sequence[DefenderConsent]) -> str:
    """What an action rests on, or would rest on if it started now: "" (not on the
    defender's behalf), "justified", "consent" (done on a recorded consent, or consent in
    force for its kind while it is not yet done), or "needs consent" (missing, refused,
    expired or withdrawn: a withdrawal stops what is not yet done). ``entries`` are the
    case's consents."""
    scope = consent.scope_of(action)
    if scope is None:
        return ""
    if action.emergency_justification.strip():
        return "justified"
    if action.status == ActionStatus.DONE and action.consent_record_id:
        return "consent"
    return "consent" if consent_covers(entries, scope) else "needs consent"


def action_consent(action: CaseAction, entries: Sequence[DefenderConsent]) -> str:
    """Whether the consent an action needs holds, in words: "" (not on their behalf),
    "ok", "JUSTIFIED", or the first defender's "MISSING", "REFUSED", "EXPIRED" or "WITHDRAWN"."""
    gate = action_gate(action, entries)
    if gate in ("", "consent"):
        return "ok" if gate else ""
    if gate == "justified":
        return "JUSTIFIED"
    scope = consent.scope_of(action)
    missing = next((e for e in entries if e.scope == scope and not e.granted), None)
    return missing.standing.state if missing is not None and missing.standing is not None else "MISSING"


def _gate(
    session: Session,
    case_id: str,
    justification: str,
    what: str,
    scope: ConsentScope,
    title: str = "",
    gap: Callable[[ConsentRecord], str] | None = None,
) -> str | None:
    """Acting for the defenders needs every one's recorded consent for this kind of action,
    in force today, or else a recorded emergency justification (the mission's own rule:
    each defender it stands in for gets a follow-up to be told). ``gap`` says what a
    grant does not cover of this step (a referral: the resource, what is shared).
    Returns the consent record the step rests on (None when the justification stands
    in for missing consent). The schema enforces the same rule."""
    day = wallclock.today()
    entries = consents(session, case_id, (scope,), today=day)
    if not entries:
        raise ValidationError({"consent": f"{what} is done for the case's defenders, and the case has none"})
    gaps = {id(e): gap(e.record) for e in entries if e.granted and e.record is not None and gap is not None}
    missing = [e for e in entries if not e.granted or gaps.get(id(e))]
    if not missing:
        return entries[-1].record.id if entries[-1].record else None
    if justification.strip():
        consent.tell_after_emergency(
            session, case_id, [e.contact for e in missing], title or what, justification, today=day
        )
        return None
    first = missing[0]
    state = "none recorded" if first.record is None else (first.standing.words() if first.standing else "")
    if first.record is not None and first.record.value == ConsentValue.REFUSED:
        state = "refused"
    if gaps.get(id(first)):
        state += f", but {gaps[id(first)]}"
    kind = reference.label("consent_scope", scope).lower()
    raise ValidationError(
        {
            "consent": (
                f"{what} needs {first.contact.codename}'s consent to act on their behalf ({state}) for "
                f"{kind}: record their consent, or an emergency justification"
            )
        }
    )


def _set_by_gate(data: Mapping[str, Any]) -> None:
    """What a step rests on is the gate's to say, never the caller's."""
    if "consent_record_id" in data:
        raise ValidationError({"consent_record_id": "is set by the consent gate"})


def _rests_on(consent_id: str | None, justification: str) -> str:
    return (
        " (with consent)"
        if consent_id
        else (" (without consent: emergency justification)" if justification.strip() else "")
    )


def _action_needs_gate(before: CaseAction | None, after: Mapping[str, Any]) -> bool:
    """The gate stands where an action on the defender's behalf starts, moves on (doing to
    done: a consent withdrawn or ended meanwhile stops it), becomes on their behalf or
    changes kind while under way, or would rest on nothing. An edit of a note on an action
    keeps what it rested on."""
    if not after.get("on_behalf") or after.get("status", ActionStatus.PLANNED) in (
        ActionStatus.PLANNED,
        ActionStatus.NOT_APPLICABLE,
    ):
        return False
    if before is None or before.status != after.get("status") or not before.on_behalf:
        return True
    if consent.scope_of(before) != after.get("consent_scope"):
        return True
    return not after.get("consent_record_id") and not str(after.get("emergency_justification") or "").strip()


def _with_scope(fields: dict[str, Any]) -> None:
    """An action on their behalf says which kind it is (the default when not said); one
    that is not needs none."""
    if fields.get("on_behalf"):
        fields["consent_scope"] = consent.action_scope(fields.get("consent_scope"))
    elif "on_behalf" in fields:
        fields["consent_scope"] = None


# -- actions ---------------------------------------------------------------------------------
def add_action(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> CaseAction:
    _set_by_gate(data)
    fields = {"owner": DEFAULT_OWNER, **data, "case_id": case.id}
    _with_scope(fields)
    if fields.get("status") == ActionStatus.DONE and not fields.get("done_on"):
        fields["done_on"] = wallclock.today()
    if _action_needs_gate(None, fields):
        fields["consent_record_id"] = _gate(
            session,
            case.id,
            str(fields.get("emergency_justification") or ""),
            "This action",
            fields["consent_scope"],
            str(fields.get("title") or ""),
        )
    action = base.create(session, CaseAction, fields)
    add_event(session, case, f"Action added: {action.title}", TimelineKind.ACTION, action.id)
    return action


def update_action(session: Session, action: CaseAction, changes: Mapping[str, Any]) -> CaseAction:
    """Edit an action: a status change goes through the gate and onto the timeline."""
    _set_by_gate(changes)
    changes = dict(changes)
    status = changes.get("status", action.status)
    under_way = status in (ActionStatus.DOING, ActionStatus.DONE)
    if action.on_behalf and changes.get("on_behalf") is False and under_way:
        raise ValidationError(
            {"on_behalf": "it was started on the defender's behalf; that stays on record (add a note instead)"}
        )
    if status == ActionStatus.DONE and action.status != ActionStatus.DONE and not changes.get("done_on"):
        changes["done_on"] = wallclock.today()
    if status != ActionStatus.DONE and "done_on" not in changes:
        changes["done_on"] = None
    merged = {**action.model_dump(), **changes}
    _with_scope(merged)
    if merged.get("consent_scope") != action.consent_scope:
        changes["consent_scope"] = merged.get("consent_scope")
    if _action_needs_gate(action, merged):
        changes["consent_record_id"] = _gate(
            session,
            action.case_id,
            str(merged.get("emergency_justification") or ""),
            "This action",
            merged["consent_scope"],
            str(merged.get("title") or ""),
        )
    before_status, before_behalf = action.status, action.on_behalf
    base.update(session, action, changes)
    case = base.get(session, ThreatCase, action.case_id)
    if action.status != before_status:
        rests = (
            _rests_on(action.consent_record_id, action.emergency_justification)
            if action.on_behalf and under_way
            else ""
        )
        add_event(
            session,
            case,
            f"Action {reference.label('action_status', action.status).lower()}{rests}: {action.title}",
            TimelineKind.ACTION,
            action.id,
        )
    if before_behalf != action.on_behalf:
        add_event(
            session,
            case,
            ("Now on the defender's behalf: " if action.on_behalf else "No longer on the defender's behalf: ")
            + action.title,
            TimelineKind.ACTION,
            action.id,
        )
    return action


def set_action_status(session: Session, action: CaseAction, status: ActionStatus, **extra: Any) -> CaseAction:
    return update_action(session, action, {"status": status, **extra})


def actions_of(session: Session, case_id: str) -> list[CaseAction]:
    """Open ones first by due date, then the rest; the immediate before the longer term."""
    order = {ActionStatus.DOING: 0, ActionStatus.PLANNED: 1, ActionStatus.DONE: 2, ActionStatus.NOT_APPLICABLE: 3}
    cat = {ActionCategory.IMMEDIATE: 0, ActionCategory.FREE: 1, ActionCategory.LONGER_TERM: 2}
    rows = list(
        session.exec(select(CaseAction).where(CaseAction.case_id == case_id).order_by(col(CaseAction.created_at)))
    )
    return sorted(rows, key=lambda a: (order[a.status] > 1, a.due_on or date.max, cat[a.category], order[a.status]))


def action_overdue(action: CaseAction, today: date) -> bool:
    return action.status in OPEN_ACTION and action.due_on is not None and action.due_on < today


# -- referrals -------------------------------------------------------------------------------
#: What a sent referral keeps (it passed them on; the consent gate stood there): the
#: services and a handover merge alike.
SENT_REFERRAL_FIXED = ("resource_id", "purpose", "shared")


def resources(session: Session) -> list[Resource]:
    return list(session.exec(select(Resource).order_by(col(Resource.name))))


def _referral_fields(
    session: Session, case_id: str, fields: dict[str, Any], before: Referral | None, given: Collection[str]
) -> dict[str, Any]:
    """Dates filled in as the referral moves on; what was sent stays as sent; the
    gate where the defender's details are passed on, or would rest on nothing; a
    mechanism referral's stage (services.mechanisms). ``given``: the names set now."""
    status = ReferralStatus(fields.get("status") or ReferralStatus.DRAFT)
    fields["shared"] = consent.shared_items(fields.get("shared"))
    if fields.get("resource_id") and (before is None or before.resource_id != fields["resource_id"]):
        resources_service.check_offered(session, fields["resource_id"], "resource_id")  # not a retired one
    elif fields.get("resource_id"):
        reference.require_resource(session, fields["resource_id"], "resource_id")
    mechanisms.check_target(session, fields, before)
    sent = before is not None and before.status != ReferralStatus.DRAFT
    if sent:
        assert before is not None
        if status == ReferralStatus.DRAFT:
            raise ValidationError({"status": "it was sent: it cannot go back to a draft (withdraw it instead)"})
        for key in SENT_REFERRAL_FIXED:
            now, then = fields.get(key), getattr(before, key)
            if key == "shared":  # in any order: the form lists them sorted
                now, then = set(now or ()), set(then)
            if now != then:
                raise ValidationError({key: "cannot change once sent: withdraw it and refer again"})
        fields["shared"] = before.shared
    never_sent = status == ReferralStatus.WITHDRAWN and not sent and not fields.get("sent_on")
    if status != ReferralStatus.DRAFT and not never_sent:
        if not fields["shared"] and not sent:  # sent before referrals said it (0009): kept as it was
            raise ValidationError({"shared": "say what this referral passes on about them"})
        if not fields.get("sent_on"):
            fields["sent_on"] = wallclock.today()
        justification = str(fields.get("emergency_justification") or "")
        if not sent or not (fields.get("consent_record_id") or justification.strip()):
            resource_id = str(fields.get("resource_id") or "")
            name = reference.resource_name(session, resource_id)
            fields["consent_record_id"] = _gate(
                session,
                case_id,
                justification,
                "Sending this referral",
                ConsentScope.REFERRAL,
                f"referral to {name}",
                gap=lambda record: consent.referral_gap(record, resource_id, name, fields["shared"]),
            )
    mechanisms.settle(fields, before, given, wallclock.today())
    status = ReferralStatus(fields.get("status") or ReferralStatus.DRAFT)
    if status in DECIDED_REFERRAL and not fields.get("decision_on"):
        fields["decision_on"] = wallclock.today()
    if status != ReferralStatus.GRANTED and fields.get("amount_granted"):
        raise ValidationError({"amount_granted": "only a granted referral has an amount granted"})
    return fields


def add_referral(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> Referral:
    _set_by_gate(data)
    fields = _referral_fields(session, case.id, {**data, "case_id": case.id}, None, data.keys())
    referral = base.create(session, Referral, fields)
    add_event(session, case, _referral_event(session, referral), TimelineKind.REFERRAL, referral.id)
    return referral


def update_referral(session: Session, referral: Referral, changes: Mapping[str, Any]) -> Referral:
    """Move a referral on (draft, sent, under review, granted/declined/withdrawn), its dates filled in."""
    _set_by_gate(changes)
    merged = _referral_fields(session, referral.case_id, {**referral.model_dump(), **changes}, referral, changes.keys())
    before, stage, stage_on = referral.status, referral.stage, referral.stage_on
    base.update(session, referral, {k: v for k, v in merged.items() if k in changes or getattr(referral, k) != v})
    case = base.get(session, ThreatCase, referral.case_id)
    resource = reference.resource_name(session, referral.resource_id)
    if referral.status != before:
        add_event(session, case, _referral_event(session, referral), TimelineKind.REFERRAL, referral.id)
    elif moved := mechanisms.stage_event(resource, referral, stage, stage_on):  # a stage change alone
        add_event(session, case, moved, TimelineKind.REFERRAL, referral.id)
    return referral


def _referral_event(session: Session, referral: Referral) -> str:
    rests = (
        ""
        if referral.status == ReferralStatus.DRAFT
        else _rests_on(referral.consent_record_id, referral.emergency_justification)
    )
    stage = (
        f" Stage: '{mechanisms.stage_label(referral.purpose, referral.stage)}', reached {referral.stage_on}."
        if referral.stage
        else ""
    )
    return (
        f"Referral to {reference.resource_name(session, referral.resource_id)}: "
        f"{reference.label('referral_status', referral.status).lower()}{rests}.{stage}"
    )


def referrals_of(session: Session, case_id: str) -> list[Referral]:
    stmt = select(Referral).where(Referral.case_id == case_id).order_by(col(Referral.created_at))
    return list(session.exec(stmt))


def referral_due_on(referral: Referral) -> date | None:
    """When an answer is due: the expected decision date, else REFERRAL_CHASE_DAYS after
    sending; a mechanism referral's, when it has waited its mechanism's check_after_days
    at one stage (data/mechanisms.toml: the app's policy)."""
    if referral.status not in PENDING_REFERRAL:
        return None
    if referral.expected_decision_on:
        return referral.expected_decision_on
    if referral.stage:
        return mechanisms.stage_check_on(referral.purpose, referral.stage_on)
    return referral.sent_on + timedelta(days=REFERRAL_CHASE_DAYS) if referral.sent_on else None


def referral_overdue(referral: Referral, today: date) -> bool:
    due = referral_due_on(referral)
    return due is not None and due < today


# -- coordination and feedback -------------------------------------------------------------
def add_coordination(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> CaseCoordination:
    entry = base.create(session, CaseCoordination, {"on_date": wallclock.today(), **data, "case_id": case.id})
    unshared = sharing_not_consented(session, case.id, entry.missions)
    note = f" (without consent to share the case from {', '.join(unshared)})" if unshared else ""
    add_event(
        session,
        case,
        f"{reference.label('coordination_kind', entry.kind)}: {entry.missions}{note}",
        TimelineKind.COORDINATION,
        entry.id,
    )
    return entry


def sharing_not_consented(session: Session, case_id: str, missions: str = "") -> list[str]:
    """The defenders who have not agreed to their case being shared with other missions:
    their codename, or with ``missions`` (a coordination entry's) those their consent does
    not name ("Heron-101: not Quist"). Read on the officer's day (an ended grant is no grant)."""
    missing = []
    named = consent.split_missions(missions)
    for defender in defenders_of(session, case_id):
        record = current_consent(session, defender.id, ConsentScope.SHARE_WITH_MISSIONS)
        if record is None or not consent.standing(record, wallclock.today()).granted:
            missing.append(defender.codename)
        elif unnamed := consent.missions_not_named(record, named):
            missing.append(f"{defender.codename}: not {', '.join(unnamed)}")
    return missing


def coordination_of(session: Session, case_id: str) -> list[CaseCoordination]:
    stmt = select(CaseCoordination).where(CaseCoordination.case_id == case_id).order_by(col(CaseCoordination.on_date))
    return list(session.exec(stmt))


def record_feedback(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> DefenderFeedback:
    if not str(data.get("what") or "").strip():
        raise ValidationError({"what": "say what they were told"})
    who = data.get("contact_id")
    if who is not None and who not in {d.id for d in defenders_of(session, case.id)}:
        raise ValidationError({"contact_id": "is not a defender of this case"})
    feedback = base.create(session, DefenderFeedback, {"told_on": wallclock.today(), **data, "case_id": case.id})
    add_event(
        session,
        case,
        "Defender told: " + feedback.what.strip().splitlines()[0][:200],
        TimelineKind.FEEDBACK,
        feedback.id,
    )
    return feedback


def feedback_of(session: Session, case_id: str) -> list[DefenderFeedback]:
    stmt = select(DefenderFeedback).where(DefenderFeedback.case_id == case_id).order_by(col(DefenderFeedback.told_on))
    return list(session.exec(stmt))


# -- the whole case ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseDetail:
    case: ThreatCase
    defenders: list[Contact]
    threat_types: list[ThreatType]
    assessments: list[RiskAssessment]  # oldest first
    analyses: list[ThreatAnalysis]
    sources: list[Source]
    consents: list[DefenderConsent]
    actions: list[CaseAction]
    referrals: list[Referral]
    coordination: list[CaseCoordination]
    feedback: list[DefenderFeedback]
    timeline: list[TimelineEvent]  # newest first
    people: list[Contact]  # everyone linked: the defenders, then sources and people told

    @property
    def latest(self) -> RiskAssessment | None:
        return self.assessments[-1] if self.assessments else None

    def label(self, *, discreet: bool) -> str:
        return case_label(self.case, self.defenders, discreet=discreet)


def case_detail(session: Session, case_id: str) -> CaseDetail:
    case = base.get(session, ThreatCase, case_id)
    return CaseDetail(
        case,
        defenders_of(session, case_id),
        threat_types_of(session, case_id),
        assessments_of(session, case_id),
        analyses_of(session, case_id),
        sources_of(session, case_id),
        consents(session, case_id),
        actions_of(session, case_id),
        referrals_of(session, case_id),
        coordination_of(session, case_id),
        feedback_of(session, case_id),
        timeline(session, case_id),
        case_people(session, case_id),
    )


def case_people(session: Session, case_id: str) -> list[Contact]:
    """Everyone the case names: its defenders, then the contacts behind its sources and
    those told of what was done (whose names discreet mode and reports must hide)."""
    people = defenders_of(session, case_id)
    seen = {p.id for p in people}
    linked = [s.contact_id for s in sources_of(session, case_id)] + [
        f.contact_id for f in feedback_of(session, case_id)
    ]
    for contact_id in linked:
        if contact_id and contact_id not in seen:
            contact = session.get(Contact, contact_id)
            if contact is not None:
                people.append(contact)
                seen.add(contact_id)
    return people


# -- for the screens: one transaction per call, plain values back ------------------------------
# The screens hold no session (issue 17): each function below opens its own transaction on
# ``tx`` (the app, or the command line's store) and returns frozen views or plain values,
# never ORM instances, which would outlive their session. The session-taking functions above
# stay the steps (the command line, the reports and the tests call them).

#: What space on a case's action moves it on to.
NEXT_STATUS = {ActionStatus.PLANNED: ActionStatus.DOING, ActionStatus.DOING: ActionStatus.DONE}


@dataclass(frozen=True)
class Person:
    """Someone a case names, as the screen shows them: by name or by codename."""

    id: str
    name: str
    codename: str


@dataclass(frozen=True)
class ConsentView:
    """A defender's standing decision on one kind of action (``value`` None: none recorded)."""

    person: Person
    value: ConsentValue | None
    given_on: date | None
    how: str
    scope: ConsentScope = DEFAULT_ACTION_SCOPE
    state: str = ""  # consent.Standing.state: "granted", "MISSING", "REFUSED", "WITHDRAWN", "EXPIRED"
    ends_on: date | None = None

    @property
    def granted(self) -> bool:
        return self.state == "granted" if self.state else self.value == ConsentValue.GRANTED


@dataclass(frozen=True)
class AssessmentView:
    assessed_on: date
    risk_level: RiskLevel
    threat: int
    vulnerability: int
    capacity: int
    reasoning: str
    rule_version: int  # the risk rule the level was given under (kept as given)


@dataclass(frozen=True)
class ActionView:
    id: str
    title: str
    status: ActionStatus
    owner: str
    due_on: date | None
    overdue: bool  # on the day the view was read for
    gate: str  # action_gate's word: "", "justified", "consent", "needs consent"
    scope: ConsentScope | None = None  # the consent it needs (None: not on their behalf)
    consent: str = ""  # action_consent: "", "ok", "JUSTIFIED", "MISSING", "REFUSED", "EXPIRED", "WITHDRAWN"


@dataclass(frozen=True)
class ReferralView:
    id: str
    resource: str  # the resource's name (its id when it is no longer in data/resources.toml)
    purpose: ReferralPurpose
    status: ReferralStatus
    amount_requested: float | None
    amount_granted: float | None
    answer_due: date | None  # referral_due_on
    justified: bool  # an emergency justification stands in for consent
    with_consent: bool  # rests on a consent record
    stage: str | None = None  # a mechanism referral's (an id of data/mechanisms.toml)
    stage_on: date | None = None


@dataclass(frozen=True)
class SourceView:
    id: str
    received_on: date
    rating: str  # reliability and credibility, as "B2"
    description: str


@dataclass(frozen=True)
class AnalysisView:
    id: str
    threat_type: ThreatType | None
    facts: str


@dataclass(frozen=True)
class CoordinationView:
    on_date: date
    kind: CoordinationKind
    missions: str
    role: str


@dataclass(frozen=True)
class FeedbackView:
    told_on: date
    what: str
    how: str


@dataclass(frozen=True)
class EventView:
    occurred_at: datetime
    text: str


@dataclass(frozen=True)
class CaseView:
    """A whole case as its screen shows it, read in one transaction."""

    id: str
    title: str
    status: CaseStatus
    urgency: Urgency
    opened_on: date
    closed_on: date | None
    perpetrator: Perpetrator
    perpetrator_note: str
    summary: str
    outcome: str
    defenders: tuple[Person, ...]  # by codename
    threat_types: tuple[ThreatType, ...]
    assessments: tuple[AssessmentView, ...]  # oldest first
    consents: tuple[ConsentView, ...]
    actions: tuple[ActionView, ...]
    referrals: tuple[ReferralView, ...]
    source_warning: str | None
    sources: tuple[SourceView, ...]
    analyses: tuple[AnalysisView, ...]
    coordination: tuple[CoordinationView, ...]
    feedback: tuple[FeedbackView, ...]
    timeline: tuple[EventView, ...]  # newest first
    people: tuple[Person, ...]  # everyone linked: the defenders, then sources and people told

    @property
    def latest(self) -> AssessmentView | None:
        return self.assessments[-1] if self.assessments else None

    def label(self, *, discreet: bool) -> str:
        """As case_label says it: the title, or the defenders' codenames when discreet."""
        if not discreet:
            return self.title
        return "Case of " + (", ".join(sorted(d.codename for d in self.defenders)) or "(no defender)")


@dataclass(frozen=True)
class ActionDetail:
    """One action in full, under the case's table of actions."""

    title: str
    note: str
    on_behalf: bool
    gate: str
    emergency_justification: str
    done_on: date | None
    people: tuple[Person, ...]  # the case's, whose names discreet mode hides in the text
    scope: ConsentScope | None = None
    consent: str = ""  # as ActionView.consent


#: A resource as the referral form explains it (moved to services/resources.py; its name stays here).
ResourceView = resources_service.ResourceView


def _person(contact: Contact) -> Person:
    return Person(contact.id, contact.name, contact.codename)


def _consent_view(entry: DefenderConsent) -> ConsentView:
    record = entry.record
    return ConsentView(
        _person(entry.contact),
        record.value if record else None,
        record.given_on if record else None,
        record.how if record else "",
        entry.scope,
        entry.standing.state if entry.standing else "",
        record.ends_on if record else None,
    )


#: The record the changes screen lists the history of, for a case (that screen takes the model class).
CHANGES_RECORD = ThreatCase


def changes_label(session: Session, case: ThreatCase, discreet: bool) -> str:
    """How the changes screen names a case: as case_label does."""
    return case_label(case, defenders_of(session, case.id), discreet=discreet)


def read_case(tx: Transactions, case_id: str, *, today: date) -> CaseView:
    """Everything the case screen shows; ``today`` decides what is late."""
    with tx.session("reading the case") as session:
        d = case_detail(session, case_id)
        entries = consents(session, case_id, today=today)
        names = {r.id: r.name for r in resources(session)}
        c = d.case
        return CaseView(
            id=c.id,
            title=c.title,
            status=c.status,
            urgency=c.urgency,
            opened_on=c.opened_on,
            closed_on=c.closed_on,
            perpetrator=c.perpetrator,
            perpetrator_note=c.perpetrator_note,
            summary=c.summary,
            outcome=c.outcome,
            defenders=tuple(_person(p) for p in d.defenders),
            threat_types=tuple(d.threat_types),
            assessments=tuple(
                AssessmentView(
                    a.assessed_on, a.risk_level, a.threat, a.vulnerability, a.capacity, a.reasoning, a.rule_version
                )
                for a in d.assessments
            ),
            consents=tuple(_consent_view(e) for e in entries),
            actions=tuple(
                ActionView(
                    a.id,
                    a.title,
                    a.status,
                    a.owner,
                    a.due_on,
                    action_overdue(a, today),
                    action_gate(a, entries),
                    consent.scope_of(a),
                    action_consent(a, entries),
                )
                for a in d.actions
            ),
            referrals=tuple(
                ReferralView(
                    r.id,
                    names.get(r.resource_id, r.resource_id),
                    r.purpose,
                    r.status,
                    r.amount_requested,
                    r.amount_granted,
                    referral_due_on(r),
                    bool(r.emergency_justification.strip()),
                    bool(r.consent_record_id),
                    r.stage,
                    r.stage_on,
                )
                for r in d.referrals
            ),
            source_warning=source_warning(d.sources),
            sources=tuple(
                SourceView(s.id, s.received_on, f"{s.reliability.value}{s.credibility.value}", s.description)
                for s in d.sources
            ),
            analyses=tuple(AnalysisView(a.id, a.threat_type, a.facts) for a in d.analyses),
            coordination=tuple(CoordinationView(x.on_date, x.kind, x.missions, x.role) for x in d.coordination),
            feedback=tuple(FeedbackView(f.told_on, f.what, f.how) for f in d.feedback),
            timeline=tuple(EventView(e.occurred_at, e.text) for e in d.timeline),
            people=tuple(_person(p) for p in d.people),
        )


def read_action(tx: Transactions, action_id: str) -> ActionDetail | None:
    """The action in full, with what it rests on; None when it is gone."""
    with tx.session("reading the action") as session:
        a = session.get(CaseAction, action_id)
        if a is None:
            return None
        people = case_people(session, a.case_id)
        entries = consents(session, a.case_id)
        return ActionDetail(
            a.title,
            a.note,
            a.on_behalf,
            action_gate(a, entries),
            a.emergency_justification,
            a.done_on,
            tuple(_person(p) for p in people),
            consent.scope_of(a),
            action_consent(a, entries),
        )


def case_defenders(tx: Transactions, case_id: str) -> list[Person]:
    """The case's defenders, by codename."""
    with tx.session("reading the case") as session:
        return [_person(p) for p in defenders_of(session, case_id)]


def case_consents(tx: Transactions, case_id: str) -> list[ConsentView]:
    """Each defender's standing decision on each kind of action, as it stands today."""
    with tx.session("reading the case") as session:
        return [_consent_view(e) for e in consents(session, case_id)]


def case_name(tx: Transactions, case_id: str, *, discreet: bool) -> str:
    """case_label of the case: its title, or its defenders' codenames when discreet."""
    with tx.session("reading the case") as session:
        case = base.get(session, ThreatCase, case_id)
        return case_label(case, defenders_of(session, case.id), discreet=discreet)


def unshared_defenders(tx: Transactions, case_id: str) -> list[str]:
    """sharing_not_consented in its own transaction."""
    with tx.session("reading the case") as session:
        return sharing_not_consented(session, case_id)


def codename_of(tx: Transactions, contact_id: str) -> str:
    """A contact's codename: how a defender is typed into a case's forms."""
    with tx.session("reading the contact") as session:
        return base.get(session, Contact, contact_id).codename


@dataclass(frozen=True)
class Advanced:
    """What space on an action did: its new status (None: it was finished already), or
    the consent gate's reason for not moving it to ``status``."""

    status: ActionStatus | None
    refusal: str = ""


def advance_action(tx: Transactions, action_id: str, *, today: date) -> Advanced:
    """The action moved on (planned to doing, doing to done, done on ``today``). A refusal
    by the consent gate comes back as ``refusal`` (the form opens with it, where the way
    past it is); any other refusal is raised."""
    status: ActionStatus | None = None
    try:
        with tx.session("moving the action on") as session:
            action = base.get(session, CaseAction, action_id)
            status = NEXT_STATUS.get(action.status)
            if status is None:
                return Advanced(None)
            set_action_status(session, action, status, done_on=today if status == ActionStatus.DONE else None)
    except ValidationError as exc:
        if "consent" not in exc.errors or status is None:
            raise
        return Advanced(status, exc.errors["consent"])
    return Advanced(status)


def reopen(tx: Transactions, case_id: str) -> None:
    """reopen_case in its own transaction."""
    with tx.session("reopening the case") as session:
        reopen_case(session, base.get(session, ThreatCase, case_id))


# -- the forms: what they start from, and saving what was typed (the record's id back)
def case_form_values(tx: Transactions, case_id: str) -> dict[str, Any]:
    """The case's fields, its defenders' codenames and its threat types' codes."""
    with tx.session("reading the case") as session:
        case = base.get(session, ThreatCase, case_id)
        values: dict[str, Any] = case.model_dump()
        values["defenders"] = [c.codename for c in defenders_of(session, case.id)]
        values["threat_types"] = [t.value for t in threat_types_of(session, case.id)]
    return values


def save_case(tx: Transactions, case_id: str | None, values: dict[str, Any], *, today: date) -> str:
    """A new case (opened ``today``, with its first event) or an edit; defenders typed as
    codenames or names."""
    values = dict(values)
    with tx.session("saving the case") as session:
        entries = values.pop("defenders", None)
        people = contacts.resolve_people(session, entries, "defenders") if entries is not None else None
        types = values.pop("threat_types", None)
        if case_id is None:
            first, when = values.pop("first_event", ""), values.pop("first_event_at", None)
            values["opened_on"] = today
            return open_case(
                session, values, people or [], types or (), first_event=first or "", first_event_at=when
            ).id
        case = base.get(session, ThreatCase, case_id)
        return update_case(session, case, values, people, types).id


def last_ratings(tx: Transactions, case_id: str) -> dict[str, int]:
    """The latest assessment's three ratings, where a reassessment starts (none: empty)."""
    with tx.session("reading the case") as session:
        last = latest_assessment(session, case_id)
    if last is None:
        return {}
    return {"threat": last.threat, "vulnerability": last.vulnerability, "capacity": last.capacity}


def save_assessment(tx: Transactions, case_id: str, values: dict[str, Any]) -> str:
    ratings = {k: int(values[k]) for k in ("threat", "vulnerability", "capacity")}
    with tx.session("saving the risk assessment") as session:
        return assess_risk(session, base.get(session, ThreatCase, case_id), {**values, **ratings}).id


def resource_views(tx: Transactions, keep: Iterable[str] = ()) -> list[ResourceView]:
    """The resources a referral or a consent can name, by name: shipped and the post's own,
    none retired but those in ``keep`` (what the record being edited names already)."""
    return resources_service.offered(tx, keep)


def referral_form_values(tx: Transactions, referral_id: str) -> dict[str, Any]:
    with tx.session("reading the referral") as session:
        values: dict[str, Any] = base.get(session, Referral, referral_id).model_dump()
    return values


def save_referral(tx: Transactions, case_id: str, referral_id: str | None, values: dict[str, Any]) -> str:
    with tx.session("saving the referral") as session:
        if referral_id is None:
            return add_referral(session, base.get(session, ThreatCase, case_id), values).id
        return update_referral(session, base.get(session, Referral, referral_id), values).id


def analysis_form_values(tx: Transactions, case_id: str, analysis_id: str | None) -> dict[str, Any]:
    """An analysis's fields; for a new one, the first threat type of the case not analysed yet."""
    with tx.session("reading the analysis") as session:
        if analysis_id is not None:
            values: dict[str, Any] = base.get(session, ThreatAnalysis, analysis_id).model_dump()
            return values
        done = {a.threat_type for a in analyses_of(session, case_id)}
        todo = [t for t in threat_types_of(session, case_id) if t not in done]
    return {"threat_type": todo[0].value if todo else None}


def save_analysis(tx: Transactions, case_id: str, analysis_id: str | None, values: dict[str, Any]) -> str:
    with tx.session("saving the analysis") as session:
        if analysis_id is None:
            return analyse(session, base.get(session, ThreatCase, case_id), values).id
        return update_analysis(session, base.get(session, ThreatAnalysis, analysis_id), values).id


def action_form_values(tx: Transactions, action_id: str) -> dict[str, Any]:
    with tx.session("reading the action") as session:
        values: dict[str, Any] = base.get(session, CaseAction, action_id).model_dump()
    return values


def save_action(tx: Transactions, case_id: str, action_id: str | None, values: dict[str, Any]) -> str:
    with tx.session("saving the action") as session:
        if action_id is None:
            return add_action(session, base.get(session, ThreatCase, case_id), values).id
        return update_action(session, base.get(session, CaseAction, action_id), values).id


def log_event(tx: Transactions, case_id: str, text: str, *, occurred_at: datetime | None) -> str:
    with tx.session("saving the event") as session:
        return add_event(session, base.get(session, ThreatCase, case_id), text, occurred_at=occurred_at).id


def source_form_values(tx: Transactions, source_id: str) -> dict[str, Any]:
    """A source's fields, its contact as a codename."""
    with tx.session("reading the source") as session:
        source = base.get(session, Source, source_id)
        values: dict[str, Any] = source.model_dump()
        values["contact"] = base.get(session, Contact, source.contact_id).codename if source.contact_id else ""
    return values


def save_source(tx: Transactions, case_id: str, source_id: str | None, values: dict[str, Any]) -> str:
    """A source, its contact typed as a codename (blank: none)."""
    values = dict(values)
    with tx.session("saving the source") as session:
        if "contact" in values:
            codename = values.pop("contact")
            values["contact_id"] = contacts.by_codenames(session, [codename], "contact")[0].id if codename else None
        if source_id is None:
            return add_source(session, base.get(session, ThreatCase, case_id), values).id
        return update_source(session, base.get(session, Source, source_id), values).id


def log_coordination(tx: Transactions, case_id: str, values: dict[str, Any]) -> str:
    with tx.session("saving the coordination") as session:
        return add_coordination(session, base.get(session, ThreatCase, case_id), values).id


def log_feedback(tx: Transactions, case_id: str, values: dict[str, Any]) -> str:
    """What the defender (typed as a codename, in ``values["defender"]``) was told."""
    values = dict(values)
    with tx.session("saving the feedback") as session:
        (who,) = contacts.by_codenames(session, [values.pop("defender")], "defender")
        return record_feedback(session, base.get(session, ThreatCase, case_id), {**values, "contact_id": who.id}).id


def close_with_outcome(tx: Transactions, case_id: str, outcome: str, on: date | None) -> str:
    with tx.session("closing the case") as session:
        return close_case(session, base.get(session, ThreatCase, case_id), outcome, on).id
