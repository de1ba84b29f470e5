"""The controlled vocabularies of DOMAIN.md, as the codes the database stores.

The codes live here because the schema's CHECK constraints are built from them;
their human labels and descriptions live in ``data/taxonomies.toml`` so that
wording can change without a migration. A test keeps the two in step.
"""

from __future__ import annotations

from enum import StrEnum


class ContactKind(StrEnum):
    DEFENDER = "defender"
    CSO = "cso"
    COALITION = "coalition"
    INTERNATIONAL_CSO = "international_cso"
    JOURNALIST = "journalist"
    LAWYER = "lawyer"
    GOVERNMENT_OFFICIAL = "government_official"
    LIKE_MINDED_MISSION = "like_minded_mission"
    UN_MULTILATERAL = "un_multilateral"
    BUSINESS = "business"
    OTHER = "other"


class FocusArea(StrEnum):
    LAND_ENVIRONMENT = "land_environment"
    WOMEN_GIRLS = "women_girls"
    LGBTQI = "lgbtqi"
    DISABILITIES = "disabilities"
    INDIGENOUS = "indigenous"
    MINORITIES = "minorities"
    LABOUR = "labour"
    JOURNALISM_MEDIA = "journalism_media"
    ANTI_CORRUPTION = "anti_corruption"
    ACCESS_TO_JUSTICE = "access_to_justice"
    RELIGIOUS_FREEDOM = "religious_freedom"
    TRAFFICKING = "trafficking"
    BUSINESS_HUMAN_RIGHTS = "business_human_rights"
    DIGITAL_RIGHTS = "digital_rights"


#: The groups the guidelines call especially vulnerable (the first six).
VULNERABLE_FOCUS_AREAS = frozenset(list(FocusArea)[:6])


class ChannelKind(StrEnum):
    SIGNAL = "signal"
    WIRE = "wire"
    PGP_EMAIL = "pgp_email"
    PHONE = "phone"
    IN_PERSON = "in_person"
    INTERMEDIARY = "intermediary"
    OTHER = "other"


class ConsentScope(StrEnum):
    CONTACT = "contact"
    #: Before consent by kind of action (issue 18): kept as the record of what was agreed,
    #: no longer offered and no longer opening any action (migration 0007 carried it over).
    ACT_ON_BEHALF = "act_on_behalf"
    NAMING = "naming"
    SHARE_WITH_MISSIONS = "share_with_missions"
    PRIVATE_DEMARCHE = "private_demarche"
    PUBLIC_STATEMENT = "public_statement"
    REFERRAL = "referral"
    TRIAL_ATTENDANCE = "trial_attendance"


#: The kinds of action done on a defender's behalf, each with its own consent (issue 18:
#: a defender may agree to a private démarche and refuse a public statement).
ACTION_SCOPES = (
    ConsentScope.PRIVATE_DEMARCHE,
    ConsentScope.PUBLIC_STATEMENT,
    ConsentScope.REFERRAL,
    ConsentScope.SHARE_WITH_MISSIONS,
    ConsentScope.TRIAL_ATTENDANCE,
)
#: What an action on the defender's behalf needs when nothing says otherwise.
DEFAULT_ACTION_SCOPE = ConsentScope.PRIVATE_DEMARCHE


class SharedInfo(StrEnum):
    """What a referral passes on about the defender: the referral consent lists what may
    be shared, and each referral what it shares (issue 18: "refer them to a named
    resource, listing what is shared")."""

    IDENTITY = "identity"
    CONTACT_DETAILS = "contact_details"
    WHEREABOUTS = "whereabouts"
    CASE_FACTS = "case_facts"
    DOCUMENTS = "documents"
    HEALTH = "health"
    FAMILY = "family"


class ConsentValue(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    #: Given once, then taken back: what has not yet been done stops.
    WITHDRAWN = "withdrawn"
    # naming consent only:
    NEVER = "never"
    ANONYMISED = "anonymised"
    NAMED = "named"


NAMING_VALUES = (ConsentValue.NEVER, ConsentValue.ANONYMISED, ConsentValue.NAMED)


class RelationshipKind(StrEnum):
    MEMBER_OF = "member_of"
    REPRESENTS = "represents"
    LAWYER_FOR = "lawyer_for"
    FAMILY_OF = "family_of"
    WORKS_WITH = "works_with"
    OTHER = "other"


class Certainty(StrEnum):
    CONFIRMED = "confirmed"
    PROBABLE = "probable"
    POSSIBLE = "possible"
    DOUBTFUL = "doubtful"


class InteractionKind(StrEnum):
    MEETING = "meeting"
    CALL = "call"
    SECURE_MESSAGE = "secure_message"
    EVENT = "event"
    SITE_VISIT = "site_visit"
    #: A meeting with a host-government official to raise a case or a concern: the
    #: official met, the message delivered, the response (models.Interaction).
    DEMARCHE = "demarche"


class CaseStatus(StrEnum):
    NEW = "new"
    ASSESSING = "assessing"
    RESPONDING = "responding"
    MONITORING = "monitoring"
    CLOSED = "closed"


class Urgency(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class ThreatType(StrEnum):
    INTIMIDATION = "intimidation"
    PHYSICAL_ATTACK = "physical_attack"
    ARBITRARY_DETENTION = "arbitrary_detention"
    ENFORCED_DISAPPEARANCE = "enforced_disappearance"
    RISK_TO_LIFE = "risk_to_life"
    TORTURE = "torture"
    SEXUAL_VIOLENCE = "sexual_violence"
    JUDICIAL_HARASSMENT = "judicial_harassment"
    UNFAIR_TRIAL = "unfair_trial"
    SURVEILLANCE = "surveillance"
    HACKING_SEIZURE = "hacking_seizure"
    SMEAR_CAMPAIGN = "smear_campaign"
    TRAVEL_BAN = "travel_ban"
    REPRISAL_UN = "reprisal_un"
    THREATS_TO_FAMILY = "threats_to_family"
    FUNDING_REGISTRATION = "funding_registration"
    BUSINESS_LINKED = "business_linked"


class Perpetrator(StrEnum):
    STATE_SECURITY = "state_security"
    POLICE = "police"
    JUDICIARY = "judiciary"
    LOCAL_AUTHORITY = "local_authority"
    NON_STATE_ARMED_GROUP = "non_state_armed_group"
    COMPANY_PRIVATE_SECURITY = "company_private_security"
    UNKNOWN = "unknown"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Reliability(StrEnum):
    """Source reliability, on the admiralty scale (A completely reliable ... F cannot be judged)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class Credibility(StrEnum):
    """Information credibility (1 confirmed ... 6 cannot be judged)."""

    CONFIRMED = "1"
    PROBABLY_TRUE = "2"
    POSSIBLY_TRUE = "3"
    DOUBTFUL = "4"
    IMPROBABLE = "5"
    CANNOT_JUDGE = "6"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    DOING = "doing"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class ActionCategory(StrEnum):
    IMMEDIATE = "immediate"
    LONGER_TERM = "longer_term"
    FREE = "free"


class ReferralPurpose(StrEnum):
    LEGAL_FEES = "legal_fees"
    RELOCATION = "relocation"
    EQUIPMENT = "equipment"
    MEDICAL = "medical"
    SECURITY = "security"
    #: Referrals that are not money (issue 19): the mechanisms the guidelines name, each
    #: with its stages in data/mechanisms.toml (services.mechanisms). No amounts.
    UN_COMMUNICATION = "un_communication"
    OECD_SPECIFIC_INSTANCE = "oecd_specific_instance"
    DFC_IAM_COMPLAINT = "dfc_iam_complaint"
    FTA_SUBMISSION = "fta_submission"
    OTHER = "other"


#: The purposes that are a mechanism's procedure, not a request for money.
MECHANISM_PURPOSES = frozenset(
    {
        ReferralPurpose.UN_COMMUNICATION,
        ReferralPurpose.OECD_SPECIFIC_INSTANCE,
        ReferralPurpose.DFC_IAM_COMPLAINT,
        ReferralPurpose.FTA_SUBMISSION,
    }
)


class ReferralStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    UNDER_REVIEW = "under_review"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    #: A mechanism referral whose procedure reached a stage that ends it (issue 19).
    CONCLUDED = "concluded"


class ResourceKind(StrEnum):
    """What a protection resource is. The first six are the kinds of data/resources.toml;
    the next four the post's own kinds DOMAIN.md names beside the guidelines' list ("a
    national protection mechanism, trusted lawyers, shelters"), and local funds."""

    EMERGENCY_FUND = "emergency-fund"
    FUND = "fund"
    DIGITAL_SECURITY = "digital-security"
    ACCOUNTABILITY_MECHANISM = "accountability-mechanism"
    UN_MECHANISM = "un-mechanism"
    MULTI_STAKEHOLDER_INITIATIVE = "multi-stakeholder-initiative"
    NATIONAL_PROTECTION_MECHANISM = "national-protection-mechanism"
    LAWYER = "lawyer"
    SHELTER = "shelter"
    LOCAL_FUND = "local-fund"
    OTHER = "other"


class ResourceOrigin(StrEnum):
    """Whose a resource is: shipped in data/resources.toml (read-only), or the post's own."""

    SHIPPED = "shipped"
    POST = "post"


class CoordinationKind(StrEnum):
    ENGAGED = "engaged"
    JOINT_STATEMENT = "joint_statement"
    DEMARCHE = "demarche"


class TimelineKind(StrEnum):
    EVENT = "event"
    ACTION = "action"
    REFERRAL = "referral"
    ASSESSMENT = "assessment"
    FEEDBACK = "feedback"
    STATUS = "status"
    COORDINATION = "coordination"
    SOURCE = "source"


class TrialStatus(StrEnum):
    PRE_TRIAL = "pre_trial"
    ONGOING = "ongoing"
    VERDICT = "verdict"
    APPEAL = "appeal"
    CLOSED = "closed"


class NoteTag(StrEnum):
    ACCESS = "access"
    PROCEDURE = "procedure"
    TESTIMONY = "testimony"
    EVIDENCE = "evidence"
    TREATMENT = "treatment"
    QUOTE = "quote"


class ItemStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"
    BLOCKED = "blocked"


class Finding(StrEnum):
    """What the observer found about one right at a hearing (issue 18), apart from the
    walkthrough's state: "done" on "no cage" does not say whether the accused was caged.
    Most serious first (:data:`FINDING_SEVERITY`)."""

    VIOLATION = "violation"
    CONCERN = "concern"
    RESPECTED = "respected"
    NOT_OBSERVED = "not_observed"


#: A trial's finding for a right is the most serious one of its hearings: violation >
#: concern > respected > not observed (a right not observed says nothing either way).
FINDING_SEVERITY: dict[Finding, int] = {f: len(Finding) - n for n, f in enumerate(Finding)}


class CivicCategory(StrEnum):
    RESTRICTIONS_ON_FREEDOMS = "restrictions_on_freedoms"
    FUNDING_REGISTRATION = "funding_registration"
    ATTACKS_REPRISALS = "attacks_reprisals"
    SPURIOUS_LEGAL_ACTION = "spurious_legal_action"
    PROTECTION_REMEDY = "protection_remedy"
    SURVEILLANCE = "surveillance"
    HACKING_SEIZURE = "hacking_seizure"
    DIALOGUE = "dialogue"
    PUBLIC_PARTICIPATION = "public_participation"
    BUSINESS_CONDUCT = "business_conduct"


class AccountabilityStep(StrEnum):
    """What happened after an attack (issue 19): section I asks whether local authorities
    "investigate attacks against them ... including redress and remedy". In the order a
    case usually goes; a later step does not undo an earlier one."""

    COMPLAINT_FILED = "complaint_filed"
    INVESTIGATION_OPENED = "investigation_opened"
    CHARGED = "charged"
    CONVICTED = "convicted"
    REMEDY = "remedy"
    CLOSED_WITHOUT_RESULT = "closed_without_result"


#: The steps that show an investigation was opened (charges and a conviction need one):
#: an attack with none of them is "without investigation".
INVESTIGATED_STEPS = frozenset(
    {AccountabilityStep.INVESTIGATION_OPENED, AccountabilityStep.CHARGED, AccountabilityStep.CONVICTED}
)


class ReportType(StrEnum):
    REGULAR = "regular"
    CRHRP = "crhrp"
    TIP = "tip"
    IRF = "irf"


#: Every vocabulary by the name used in data/taxonomies.toml.
VOCABULARIES: dict[str, type[StrEnum]] = {
    "contact_kind": ContactKind,
    "focus_area": FocusArea,
    "channel_kind": ChannelKind,
    "consent_scope": ConsentScope,
    "consent_value": ConsentValue,
    "shared_info": SharedInfo,
    "relationship_kind": RelationshipKind,
    "certainty": Certainty,
    "interaction_kind": InteractionKind,
    "case_status": CaseStatus,
    "urgency": Urgency,
    "threat_type": ThreatType,
    "perpetrator": Perpetrator,
    "risk_level": RiskLevel,
    "reliability": Reliability,
    "credibility": Credibility,
    "action_status": ActionStatus,
    "action_category": ActionCategory,
    "referral_purpose": ReferralPurpose,
    "referral_status": ReferralStatus,
    "resource_kind": ResourceKind,
    "resource_origin": ResourceOrigin,
    "timeline_kind": TimelineKind,
    "coordination_kind": CoordinationKind,
    "trial_status": TrialStatus,
    "note_tag": NoteTag,
    "item_status": ItemStatus,
    "finding": Finding,
    "civic_category": CivicCategory,
    "report_type": ReportType,
    "accountability_step": AccountabilityStep,
}
