"""Threat cases: opening, risk assessment, sources, actions behind the consent gate,
referrals, feedback and the timeline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui.errors import ValidationError
from hrd_tui.models import (
    CaseAction,
    CaseDefender,
    CaseThreatType,
    Contact,
    DefenderFeedback,
    Referral,
    RiskAssessment,
    Source,
    ThreatAnalysis,
    ThreatCase,
    TimelineEvent,
)
from hrd_tui.services import base
from hrd_tui.services.contacts import current_consent
from hrd_tui.vocab import ActionStatus, CaseStatus, ConsentScope, ConsentValue, RiskLevel, ThreatType, TimelineKind

# risk = threat x vulnerability / capacity, each 1-5: from 0.2 to 25.
RISK_BANDS: tuple[tuple[float, RiskLevel], ...] = (
    (3.0, RiskLevel.LOW),
    (6.0, RiskLevel.MEDIUM),
    (12.0, RiskLevel.HIGH),
)


def risk_score(threat: int, vulnerability: int, capacity: int) -> float:
    return threat * vulnerability / capacity


def risk_level(threat: int, vulnerability: int, capacity: int) -> RiskLevel:
    score = risk_score(threat, vulnerability, capacity)
    for upper, level in RISK_BANDS:
        if score < upper:
            return level
    return RiskLevel.CRITICAL


def _threat_types(values: Iterable[str]) -> list[ThreatType]:
    return base.codes(ThreatType, values, "threat_types")


def open_case(
    session: Session, data: Mapping[str, Any], defenders: Sequence[Contact], threat_types: Iterable[str] = ()
) -> ThreatCase:
    if not defenders:
        raise ValidationError({"defenders": "a case concerns at least one defender"})
    types = _threat_types(threat_types)
    case = base.create(session, ThreatCase, {"opened_on": date.today(), **data})
    for contact in defenders:
        session.add(CaseDefender(case_id=case.id, contact_id=contact.id))
    for threat_type in types:
        session.add(CaseThreatType(case_id=case.id, threat_type=threat_type))
    add_event(session, case, "Case opened.", TimelineKind.STATUS)
    return case


def defenders_of(session: Session, case_id: str) -> list[Contact]:
    stmt = select(Contact).join(CaseDefender, col(CaseDefender.contact_id) == Contact.id).where(CaseDefender.case_id == case_id)
    return list(session.exec(stmt))


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
        fields["occurred_at"] = occurred_at
    return base.create(session, TimelineEvent, fields)


def assess_risk(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> RiskAssessment:
    fields = {"assessed_on": date.today(), **data, "case_id": case.id}
    try:
        level = risk_level(int(fields["threat"]), int(fields["vulnerability"]), int(fields["capacity"]))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        level = RiskLevel.LOW  # validation below names the bad field
    assessment = base.create(session, RiskAssessment, {**fields, "risk_level": level})
    add_event(session, case, f"Risk reassessed: {assessment.risk_level.value}.", TimelineKind.ASSESSMENT, assessment.id)
    return assessment


def latest_assessment(session: Session, case_id: str) -> RiskAssessment | None:
    stmt = (
        select(RiskAssessment)
        .where(RiskAssessment.case_id == case_id)
        .order_by(col(RiskAssessment.assessed_on).desc(), col(RiskAssessment.created_at).desc())
    )
    return session.exec(stmt).first()


def analyse(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> ThreatAnalysis:
    return base.create(session, ThreatAnalysis, {**data, "case_id": case.id})


def add_source(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> Source:
    return base.create(session, Source, {"received_on": date.today(), **data, "case_id": case.id})


def add_action(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> CaseAction:
    fields = {**data, "case_id": case.id}
    consent_id = _consent_gate(session, case, fields)
    if consent_id:
        fields["consent_record_id"] = consent_id
    return base.create(session, CaseAction, fields)


def set_action_status(session: Session, action: CaseAction, status: ActionStatus, **extra: Any) -> CaseAction:
    case = base.get(session, ThreatCase, action.case_id)
    changes: dict[str, Any] = {"status": status, **extra}
    if status == ActionStatus.DONE and "done_on" not in changes:
        changes["done_on"] = date.today()
    consent_id = _consent_gate(session, case, {**action.model_dump(), **changes})
    if consent_id:
        changes["consent_record_id"] = consent_id
    base.update(session, action, changes)
    add_event(session, case, f"Action '{action.title}': {status.value}.", TimelineKind.ACTION, action.id)
    return action


def _consent_gate(session: Session, case: ThreatCase, fields: Mapping[str, Any]) -> str | None:
    """An action on the defender's behalf that starts needs their consent, or a
    recorded emergency justification. The schema enforces the same rule.

    Returns the id of the consent record the action rests on (None when no
    consent is needed or an emergency justification stands in for it)."""
    if not fields.get("on_behalf") or fields.get("status", ActionStatus.PLANNED) in (
        ActionStatus.PLANNED,
        ActionStatus.NOT_APPLICABLE,
    ):
        return None
    if str(fields.get("emergency_justification") or "").strip():
        return None
    consent_id = None
    for defender in defenders_of(session, case.id):
        consent = current_consent(session, defender.id, ConsentScope.ACT_ON_BEHALF)
        if consent is None or consent.value != ConsentValue.GRANTED:
            raise ValidationError(
                {"consent": f"no recorded consent from {defender.codename} to act on their behalf; record it, or an emergency justification"}
            )
        consent_id = consent.id
    return consent_id


def add_referral(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> Referral:
    referral = base.create(session, Referral, {**data, "case_id": case.id})
    add_event(session, case, f"Referral to {referral.resource_id}: {referral.status.value}.", TimelineKind.REFERRAL, referral.id)
    return referral


def record_feedback(session: Session, case: ThreatCase, data: Mapping[str, Any]) -> DefenderFeedback:
    feedback = base.create(session, DefenderFeedback, {"told_on": date.today(), **data, "case_id": case.id})
    add_event(session, case, "Defender informed of what was done.", TimelineKind.FEEDBACK, feedback.id)
    return feedback


def close_case(session: Session, case: ThreatCase, outcome: str, on: date | None = None) -> ThreatCase:
    if not outcome.strip():
        raise ValidationError({"outcome": "say how the case ended before closing it"})
    base.update(session, case, {"status": CaseStatus.CLOSED, "closed_on": on or date.today(), "outcome": outcome})
    add_event(session, case, "Case closed.", TimelineKind.STATUS)
    return case
