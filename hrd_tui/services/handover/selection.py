"""What a selection of contacts, threat cases and trials carries into a bundle.

* a **threat case**: the case, its defenders, threat types, risk assessments, threat
  analyses, sources, actions, referrals, feedback to the defenders, coordination,
  timeline, accountability steps, checklist runs, and the démarches and meetings about
  it (with the official met, and only the participants who are in the bundle);
* a **trial**: the trial, its defendants, hearings, their notes, the checklist
  runs of the trial and its hearings (the fair-trial checklist), and the démarches and
  meetings about it (as a case's);
* a **contact**: the contact, their secure channels, relationships whose two ends are
  both in the bundle, interactions they took part in (with only the participants who
  are in the bundle), their follow-ups (and those of their interactions that concern
  no one outside the bundle) and their checklist runs.

Every contact in the bundle (selected, a defender, a defendant, or the person whose
consent a carried action or referral rests on) comes with their focus areas and
their consent records: the consent gate and the naming rules need them. Other
contacts are never carried: a source or a feedback entry that names someone outside
the bundle keeps that link only if the receiving vault already knows that person
(else the link is left empty, and the preview says so). Resources and checklist
templates (reference data) always travel whole. Civic-space observations and
reports travel only with the whole vault.

Attachments (issue 20) travel with the record they belong to: those of every carried
contact, threat case, trial and hearing, unless deleted (with the whole vault, those
of the observations too); the attachments of a record left out stay behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, SQLModel, select

from hrd_tui.errors import ValidationError
from hrd_tui.models import (
    EXPORT_TABLES,
    AccountabilityStep,
    Attachment,
    CaseAction,
    CaseCoordination,
    CaseDefender,
    CaseThreatType,
    ChecklistItemState,
    ChecklistRun,
    ConsentRecord,
    Contact,
    ContactFocusArea,
    DefenderFeedback,
    FollowUp,
    Hearing,
    Interaction,
    InteractionCase,
    InteractionParticipant,
    InteractionTrial,
    Referral,
    Relationship,
    RiskAssessment,
    SecureChannel,
    Source,
    ThreatAnalysis,
    ThreatCase,
    TimelineEvent,
    Trial,
    TrialDefendant,
    TrialNote,
)
from hrd_tui.services import base
from hrd_tui.services.handover.tables import CARRIED, REFERENCE_TABLES, Key, key_of, rows_in


@dataclass(frozen=True)
class Selection:
    """What to hand over, by id: contacts, threat cases, trials (see the module docstring)."""

    contacts: Sequence[str] = ()
    cases: Sequence[str] = ()
    trials: Sequence[str] = ()

    def as_dict(self) -> dict[str, list[str]]:
        return {"contacts": list(self.contacts), "cases": list(self.cases), "trials": list(self.trials)}


#: A case's records, each by its ``case_id``.
CASE_TABLES: dict[str, type[SQLModel]] = {
    "case_defenders": CaseDefender,
    "case_threat_types": CaseThreatType,
    "risk_assessments": RiskAssessment,
    "threat_analyses": ThreatAnalysis,
    "sources": Source,
    "case_actions": CaseAction,
    "referrals": Referral,
    "defender_feedback": DefenderFeedback,
    "case_coordination": CaseCoordination,
    "timeline_events": TimelineEvent,
    "accountability_steps": AccountabilityStep,
}


def select_rows(session: Session, sel: Selection) -> dict[str, list[Any]]:
    if not (sel.contacts or sel.cases or sel.trials):
        raise ValidationError({"selection": "choose at least one contact, threat case or trial"})
    rows: dict[str, dict[Key, Any]] = {name: {} for name in CARRIED}

    def add(name: str, objs: Iterable[Any]) -> None:
        for obj in objs:
            rows[name][key_of(obj)] = obj

    explicit = [base.get(session, Contact, i) for i in dict.fromkeys(sel.contacts)]
    cases = [base.get(session, ThreatCase, i) for i in dict.fromkeys(sel.cases)]
    trials = [base.get(session, Trial, i) for i in dict.fromkeys(sel.trials)]
    explicit_ids = {c.id for c in explicit}
    carried_ids = set(explicit_ids)

    case_ids = [c.id for c in cases]
    add("threat_cases", cases)
    for name, model in CASE_TABLES.items():
        add(name, rows_in(session, model, model.case_id, case_ids))  # type: ignore[attr-defined]
    carried_ids |= {d.contact_id for d in rows["case_defenders"].values()}

    trial_ids = [t.id for t in trials]
    add("trials", trials)
    add("trial_defendants", rows_in(session, TrialDefendant, TrialDefendant.trial_id, trial_ids))
    carried_ids |= {d.contact_id for d in rows["trial_defendants"].values()}
    hearings = rows_in(session, Hearing, Hearing.trial_id, trial_ids)
    add("hearings", hearings)
    add("trial_notes", rows_in(session, TrialNote, TrialNote.hearing_id, [h.id for h in hearings]))

    # The consent a carried action or referral rests on, and so its giver.
    consent_refs = [r.consent_record_id for name in ("case_actions", "referrals") for r in rows[name].values()]
    carried_ids |= {c.contact_id for c in rows_in(session, ConsentRecord, ConsentRecord.id, consent_refs)}

    # The selected contacts' own records.
    add("secure_channels", rows_in(session, SecureChannel, SecureChannel.contact_id, explicit_ids))
    relations = rows_in(session, Relationship, Relationship.from_contact_id, explicit_ids)
    relations += rows_in(session, Relationship, Relationship.to_contact_id, explicit_ids)
    add(
        "contact_relationships",
        [r for r in relations if r.from_contact_id in carried_ids and r.to_contact_id in carried_ids],
    )
    taken_part = rows_in(session, InteractionParticipant, InteractionParticipant.contact_id, explicit_ids)
    interactions = rows_in(session, Interaction, Interaction.id, [p.interaction_id for p in taken_part])
    # The démarches and meetings about a carried case or trial, with the official met (a
    # démarche names them), and their links to what is in the bundle.
    about = rows_in(session, InteractionCase, InteractionCase.case_id, case_ids)
    about += rows_in(session, InteractionTrial, InteractionTrial.trial_id, trial_ids)
    interactions += rows_in(
        session, Interaction, Interaction.id, {a.interaction_id for a in about} - {i.id for i in interactions}
    )
    interaction_ids = {i.id for i in interactions}
    carried_ids |= {i.official_id for i in interactions if i.official_id}
    add("interactions", interactions)
    for name, model, column, kept in (
        ("interaction_cases", InteractionCase, "case_id", set(case_ids)),
        ("interaction_trials", InteractionTrial, "trial_id", set(trial_ids)),
    ):
        links = rows_in(session, model, model.interaction_id, interaction_ids)
        add(name, [link for link in links if getattr(link, column) in kept])
    participants = rows_in(session, InteractionParticipant, InteractionParticipant.interaction_id, interaction_ids)
    add("interaction_participants", [p for p in participants if p.contact_id in carried_ids])
    follow_ups = rows_in(session, FollowUp, FollowUp.contact_id, explicit_ids)
    follow_ups += [
        f
        for f in rows_in(session, FollowUp, FollowUp.interaction_id, interaction_ids)
        if f.contact_id is None or f.contact_id in carried_ids
    ]
    add("follow_ups", follow_ups)

    runs = rows_in(session, ChecklistRun, ChecklistRun.case_id, case_ids)
    runs += rows_in(session, ChecklistRun, ChecklistRun.trial_id, trial_ids)
    runs += rows_in(session, ChecklistRun, ChecklistRun.hearing_id, [h.id for h in hearings])
    runs += rows_in(session, ChecklistRun, ChecklistRun.contact_id, explicit_ids)
    add("checklist_runs", runs)
    add("checklist_item_states", rows_in(session, ChecklistItemState, ChecklistItemState.run_id, [r.id for r in runs]))

    # Every carried contact, with their focus areas and consent records.
    add("contacts", rows_in(session, Contact, Contact.id, carried_ids))
    add("contact_focus_areas", rows_in(session, ContactFocusArea, ContactFocusArea.contact_id, carried_ids))
    add("consent_records", rows_in(session, ConsentRecord, ConsentRecord.contact_id, carried_ids))
    for name in REFERENCE_TABLES:
        add(name, session.exec(select(EXPORT_TABLES[name])))
    owners = {
        Attachment.contact_id: carried_ids,
        Attachment.case_id: case_ids,
        Attachment.trial_id: trial_ids,
        Attachment.hearing_id: [h.id for h in hearings],
    }
    for owner_column, ids in owners.items():
        add("attachments", [a for a in rows_in(session, Attachment, owner_column, ids) if a.deleted_at is None])
    return {name: list(found.values()) for name, found in rows.items()}
