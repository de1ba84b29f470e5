"""Threat cases: defenders under threat, risk, sources, actions, referrals, timeline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index
from sqlalchemy.sql.elements import conv
from sqlmodel import Field, SQLModel

from hrd_tui.models.common import Record, fk, json_list_field, utcnow, vocab_field
from hrd_tui.vocab import (
    MECHANISM_PURPOSES,
    ActionCategory,
    ActionStatus,
    CaseStatus,
    ConsentScope,
    CoordinationKind,
    Credibility,
    Perpetrator,
    ReferralPurpose,
    ReferralStatus,
    Reliability,
    ResourceOrigin,
    RiskLevel,
    ThreatType,
    TimelineKind,
    Urgency,
)


class ThreatCaseBase(SQLModel):
    title: str = Field(min_length=1, max_length=2000)
    status: CaseStatus = vocab_field(CaseStatus, CaseStatus.NEW, index=True)
    urgency: Urgency = vocab_field(Urgency, Urgency.URGENT, index=True)
    perpetrator: Perpetrator = vocab_field(Perpetrator, Perpetrator.UNKNOWN)
    perpetrator_note: str = Field(default="", max_length=10_000)
    summary: str = Field(default="", max_length=1_000_000)
    opened_on: date
    closed_on: date | None = None
    outcome: str = Field(default="", max_length=100_000)


class ThreatCase(ThreatCaseBase, Record, table=True):
    __tablename__ = "threat_case"
    __table_args__ = (
        CheckConstraint("(status = 'closed') = (closed_on IS NOT NULL)", name=conv("ck_threat_case_closed_has_date")),
    )


class CaseDefender(SQLModel, table=True):
    __tablename__ = "case_defender"
    case_id: str = Field(foreign_key="threat_case.id", ondelete="CASCADE", primary_key=True)
    contact_id: str = Field(foreign_key="contact.id", ondelete="RESTRICT", primary_key=True, index=True)


class CaseThreatType(SQLModel, table=True):
    __tablename__ = "case_threat_type"
    case_id: str = Field(foreign_key="threat_case.id", ondelete="CASCADE", primary_key=True)
    threat_type: ThreatType = vocab_field(ThreatType, primary_key=True, index=True)


class RiskAssessment(Record, table=True):
    """Risk = threat x vulnerability / capacity, each rated 1-5, dated, never overwritten."""

    __tablename__ = "risk_assessment"
    __table_args__ = (
        # The latest assessment of each case, read from the index alone (the case list).
        Index("ix_risk_assessment_latest", "case_id", "assessed_on", "created_at"),
        CheckConstraint("threat BETWEEN 1 AND 5", name=conv("ck_risk_assessment_threat_range")),
        CheckConstraint("vulnerability BETWEEN 1 AND 5", name=conv("ck_risk_assessment_vulnerability_range")),
        CheckConstraint("capacity BETWEEN 1 AND 5", name=conv("ck_risk_assessment_capacity_range")),
    )
    case_id: str = fk("threat_case.id")
    assessed_on: date = Field(index=True)
    threat: int = Field(ge=1, le=5)
    vulnerability: int = Field(ge=1, le=5)
    capacity: int = Field(ge=1, le=5)
    risk_level: RiskLevel = vocab_field(RiskLevel)
    reasoning: str = Field(default="", max_length=100_000)
    # The version of the risk rule (data/risk.toml) the level was given under: the level is
    # kept as given, and a later rule only says what it would be now. 1: before the floors.
    rule_version: int = Field(default=1, ge=1)


class ThreatAnalysis(Record, table=True):
    """The five steps: facts, pattern over time, objective, who is behind it, feasibility."""

    __tablename__ = "threat_analysis"
    case_id: str = fk("threat_case.id")
    threat_type: ThreatType | None = vocab_field(ThreatType, None, nullable=True)
    facts: str = Field(default="", max_length=100_000)
    pattern: str = Field(default="", max_length=100_000)
    objective: str = Field(default="", max_length=100_000)
    who: str = Field(default="", max_length=100_000)
    feasibility: str = Field(default="", max_length=100_000)


class Source(Record, table=True):
    """Where a piece of information came from (a case's or an observation's)."""

    __table_args__ = (
        CheckConstraint("(case_id IS NOT NULL) + (observation_id IS NOT NULL) = 1", name=conv("ck_source_one_owner")),
    )
    case_id: str | None = fk("threat_case.id", nullable=True)
    observation_id: str | None = fk("civic_observation.id", nullable=True)
    contact_id: str | None = fk("contact.id", nullable=True, ondelete="SET NULL")
    description: str = Field(min_length=1, max_length=10_000)
    reliability: Reliability = vocab_field(Reliability, Reliability.F)
    credibility: Credibility = vocab_field(Credibility, Credibility.CANNOT_JUDGE)
    received_on: date


class CaseAction(Record, table=True):
    __tablename__ = "case_action"
    __table_args__ = (
        # The consent gate in the schema: an action on the defender's behalf
        # that is under way or done carries consent or a recorded justification.
        CheckConstraint(
            "on_behalf = 0 OR status IN ('planned', 'not_applicable') OR consent_record_id IS NOT NULL "
            "OR length(trim(emergency_justification)) > 0",
            name=conv("ck_case_action_consent_gate"),
        ),
    )
    case_id: str = fk("threat_case.id")
    title: str = Field(min_length=1, max_length=2000)
    template_item: str | None = Field(default=None, max_length=200)
    category: ActionCategory = vocab_field(ActionCategory, ActionCategory.FREE)
    status: ActionStatus = vocab_field(ActionStatus, ActionStatus.PLANNED, index=True)
    owner: str = Field(default="", max_length=200)
    due_on: date | None = Field(default=None, index=True)
    done_on: date | None = None
    note: str = Field(default="", max_length=100_000)
    on_behalf: bool = False
    #: The kind of action an on-behalf action is, and so the consent it needs (issue 18);
    #: None on an action not done on the defender's behalf.
    consent_scope: ConsentScope | None = vocab_field(ConsentScope, None, nullable=True)
    consent_record_id: str | None = fk("consent_record.id", nullable=True, ondelete="RESTRICT")
    emergency_justification: str = Field(default="", max_length=100_000)


#: The start of every id of a post's own resource; a shipped id never has it (the CHECK
#: below, and reference.sync refuses one), so the two can never clash.
POST_RESOURCE_PREFIX = "post-"


class Resource(Record, table=True):
    """A protection or emergency resource: shipped in data/resources.toml (synced at each
    writable open, read-only in the app) or the post's own (issue 19), kept like any record:
    edited, retired rather than deleted, every change in the history."""

    __table_args__ = (
        CheckConstraint(
            f"(origin = 'post') = (id LIKE '{POST_RESOURCE_PREFIX}%')", name=conv("ck_resource_post_id_prefix")
        ),
    )
    # A shipped resource's id is the key of data/resources.toml; a post's is "post-" + a random id.
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(min_length=1, max_length=500)
    kind: str = Field(default="", max_length=64)  # a ResourceKind code (the shipped file may bring a newer one)
    funds: str = Field(default="", max_length=10_000)  # what it offers
    eligibility: str = Field(default="", max_length=10_000)
    how_to_refer: str = Field(default="", max_length=10_000)
    url: str = Field(default="", max_length=2000)
    origin: ResourceOrigin = vocab_field(ResourceOrigin, ResourceOrigin.SHIPPED)
    #: How to reach it (names, numbers, addresses): the post's only; never in a report or export to Markdown.
    contact_notes: str = Field(default="", max_length=10_000)
    #: When an outside fact it states was last checked (a fund wound down, a programme closed).
    as_of: date | None = None
    #: Retired: no longer offered for new referrals; kept, since referrals and consents name it.
    retired_on: date | None = None


#: The mechanism purposes as SQL, for the referral's CHECKs (migration 0012 writes them out).
_MECHANISMS = ", ".join(f"'{p.value}'" for p in sorted(MECHANISM_PURPOSES))


class Referral(Record, table=True):
    __table_args__ = (
        CheckConstraint("amount_requested IS NULL OR amount_requested >= 0", name=conv("ck_referral_requested_nonneg")),
        CheckConstraint("amount_granted IS NULL OR amount_granted >= 0", name=conv("ck_referral_granted_nonneg")),
        # A referral passes the defender's details to someone else: once sent it
        # rests on their consent or on a recorded justification (a draft withdrawn
        # before sending passed nothing on).
        CheckConstraint(
            "status = 'draft' OR (status = 'withdrawn' AND sent_on IS NULL) OR consent_record_id IS NOT NULL "
            "OR length(trim(emergency_justification)) > 0",
            name=conv("ck_referral_consent_gate"),
        ),
        # A referral to a mechanism asks for no money, and only such a referral has a
        # stage, always with the day it was reached (issue 19; data/mechanisms.toml).
        CheckConstraint(
            f"purpose NOT IN ({_MECHANISMS}) OR (amount_requested IS NULL AND amount_granted IS NULL)",
            name=conv("ck_referral_mechanism_no_amounts"),
        ),
        CheckConstraint(f"stage IS NULL OR purpose IN ({_MECHANISMS})", name=conv("ck_referral_stage_mechanism")),
        CheckConstraint("(stage IS NULL) = (stage_on IS NULL)", name=conv("ck_referral_stage_has_date")),
    )
    case_id: str = fk("threat_case.id")
    resource_id: str = fk("resource.id", ondelete="RESTRICT")
    purpose: ReferralPurpose = vocab_field(ReferralPurpose)
    status: ReferralStatus = vocab_field(ReferralStatus, ReferralStatus.DRAFT, index=True)
    amount_requested: float | None = Field(default=None, ge=0)
    amount_granted: float | None = Field(default=None, ge=0)
    currency: str = Field(default="USD", max_length=3)
    sent_on: date | None = None
    expected_decision_on: date | None = None
    decision_on: date | None = None
    outcome: str = Field(default="", max_length=100_000)
    consent_record_id: str | None = fk("consent_record.id", nullable=True, ondelete="RESTRICT")
    emergency_justification: str = Field(default="", max_length=100_000)
    #: What this referral passes on (vocab.SharedInfo values): within what the consent lists.
    shared: list[str] = json_list_field(server_default=True)
    #: A mechanism referral's current stage (an id of data/mechanisms.toml, checked by the
    #: service: stages are data) and the day it was reached; None for a request for money.
    stage: str | None = Field(default=None, max_length=64)
    stage_on: date | None = None


class DefenderFeedback(Record, table=True):
    """When the defender was consulted or told what was done (and how)."""

    __tablename__ = "defender_feedback"
    case_id: str = fk("threat_case.id")
    contact_id: str | None = fk("contact.id", nullable=True, ondelete="SET NULL")
    told_on: date
    what: str = Field(min_length=1, max_length=100_000)
    how: str = Field(default="", max_length=2000)


class CaseCoordination(Record, table=True):
    """Like-minded missions on a case: who is engaged and does what, and joint statements."""

    __tablename__ = "case_coordination"
    case_id: str = fk("threat_case.id")
    kind: CoordinationKind = vocab_field(CoordinationKind, CoordinationKind.ENGAGED)
    missions: str = Field(min_length=1, max_length=2000)
    role: str = Field(default="", max_length=100_000)
    on_date: date
    note: str = Field(default="", max_length=100_000)


class TimelineEvent(Record, table=True):
    __tablename__ = "timeline_event"
    # A case's last activity, read from the index alone (the case list).
    __table_args__ = (Index("ix_timeline_event_case_time", "case_id", "occurred_at"),)
    case_id: str = fk("threat_case.id")
    occurred_at: datetime = Field(default_factory=utcnow, index=True)
    kind: TimelineKind = vocab_field(TimelineKind, TimelineKind.EVENT)
    text: str = Field(min_length=1, max_length=100_000)
    ref_id: str | None = Field(default=None, max_length=32)
