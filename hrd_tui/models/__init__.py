"""The domain store's tables. Importing this package defines them all on
``SQLModel.metadata``; ``EXPORT_TABLES`` names each by its plural export key."""

from __future__ import annotations

from sqlalchemy import CheckConstraint
from sqlalchemy.sql.elements import conv
from sqlmodel import SQLModel

from hrd_tui.models.accountability import AccountabilityStep
from hrd_tui.models.attachments import Attachment
from hrd_tui.models.checklists import ChecklistItemState, ChecklistRun, ChecklistTemplate, PlanSetting
from hrd_tui.models.common import Record, new_id, utcnow
from hrd_tui.models.contacts import (
    ConsentRecord,
    Contact,
    ContactBase,
    ContactFocusArea,
    FollowUp,
    Interaction,
    InteractionCase,
    InteractionParticipant,
    InteractionTrial,
    Relationship,
    SecureChannel,
)
from hrd_tui.models.monitoring import CivicObservation, ObservationLink, Report, ReportLayout
from hrd_tui.models.system import Draft, RecordVersion
from hrd_tui.models.threats import (
    CaseAction,
    CaseCoordination,
    CaseDefender,
    CaseThreatType,
    DefenderFeedback,
    Referral,
    Resource,
    RiskAssessment,
    Source,
    ThreatAnalysis,
    ThreatCase,
    TimelineEvent,
)
from hrd_tui.models.trials import Hearing, Trial, TrialDefendant, TrialNote

metadata = SQLModel.metadata


def _name_vocabulary_checks() -> None:
    """Give each vocabulary CHECK a name unique to its table and column (the
    Enum type would name them after the enum, colliding within a table)."""
    for table in metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint) and getattr(constraint, "_type_bound", False):
                column = next(iter(constraint.columns))
                constraint.name = conv(f"ck_{table.name}_{column.name}_vocab")


_name_vocabulary_checks()

#: Export/handover order: parents before children. Key = plural snake_case name.
EXPORT_TABLES: dict[str, type[SQLModel]] = {
    "resources": Resource,
    "checklist_templates": ChecklistTemplate,
    "plan_settings": PlanSetting,
    "contacts": Contact,
    "contact_focus_areas": ContactFocusArea,
    "secure_channels": SecureChannel,
    "consent_records": ConsentRecord,
    "contact_relationships": Relationship,
    "interactions": Interaction,
    "interaction_participants": InteractionParticipant,
    "follow_ups": FollowUp,
    "threat_cases": ThreatCase,
    "case_defenders": CaseDefender,
    "case_threat_types": CaseThreatType,
    "risk_assessments": RiskAssessment,
    "threat_analyses": ThreatAnalysis,
    "civic_observations": CivicObservation,
    "observation_links": ObservationLink,
    "sources": Source,
    "case_actions": CaseAction,
    "referrals": Referral,
    "defender_feedback": DefenderFeedback,
    "case_coordination": CaseCoordination,
    "timeline_events": TimelineEvent,
    "accountability_steps": AccountabilityStep,
    "trials": Trial,
    "trial_defendants": TrialDefendant,
    "hearings": Hearing,
    "interaction_cases": InteractionCase,
    "interaction_trials": InteractionTrial,
    "checklist_runs": ChecklistRun,
    "checklist_item_states": ChecklistItemState,
    "trial_notes": TrialNote,
    "attachments": Attachment,
    "reports": Report,
    "report_layouts": ReportLayout,
    "drafts": Draft,
    "record_versions": RecordVersion,
}

__all__ = [  # written out: a type checker reads it, and it says what the package offers
    "AccountabilityStep",
    "Attachment",
    "CaseAction",
    "CaseCoordination",
    "CaseDefender",
    "CaseThreatType",
    "ChecklistItemState",
    "ChecklistRun",
    "ChecklistTemplate",
    "CivicObservation",
    "ConsentRecord",
    "Contact",
    "ContactBase",
    "ContactFocusArea",
    "DefenderFeedback",
    "Draft",
    "EXPORT_TABLES",
    "FollowUp",
    "Hearing",
    "Interaction",
    "InteractionCase",
    "InteractionParticipant",
    "InteractionTrial",
    "ObservationLink",
    "PlanSetting",
    "Record",
    "RecordVersion",
    "Referral",
    "Relationship",
    "Report",
    "ReportLayout",
    "Resource",
    "RiskAssessment",
    "SecureChannel",
    "Source",
    "ThreatAnalysis",
    "ThreatCase",
    "TimelineEvent",
    "Trial",
    "TrialDefendant",
    "TrialNote",
    "metadata",
    "new_id",
    "utcnow",
]
