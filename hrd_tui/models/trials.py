"""Trials against defenders, their hearings, and the notes typed during a hearing."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlalchemy.sql.elements import conv
from sqlmodel import Field, SQLModel

from hrd_tui.models.common import Record, fk, utcnow, vocab_field
from hrd_tui.vocab import NoteTag, TrialStatus


class TrialBase(SQLModel):
    title: str = Field(min_length=1, max_length=2000)
    court: str = Field(default="", max_length=2000)
    case_number: str = Field(default="", max_length=200)
    charges: str = Field(default="", max_length=100_000)
    counsel: str = Field(default="", max_length=10_000)
    status: TrialStatus = vocab_field(TrialStatus, TrialStatus.PRE_TRIAL, index=True)
    threat_case_id: str | None = fk("threat_case.id", nullable=True, ondelete="SET NULL")
    notes: str = Field(default="", max_length=1_000_000)


class Trial(TrialBase, Record, table=True):
    #: The officer's overall conclusion on the trial's fairness, written from the findings
    #: of its hearings (the app proposes one; the officer decides). Not on the trial form.
    conclusion: str = Field(default="", max_length=100_000)


class TrialDefendant(SQLModel, table=True):
    __tablename__ = "trial_defendant"
    trial_id: str = Field(foreign_key="trial.id", ondelete="CASCADE", primary_key=True)
    contact_id: str = Field(foreign_key="contact.id", ondelete="RESTRICT", primary_key=True, index=True)


class HearingBase(SQLModel):
    trial_id: str = fk("trial.id")
    starts_at: datetime = Field(index=True)
    ends_at: datetime | None = None
    court: str = Field(default="", max_length=2000)
    chamber: str = Field(default="", max_length=2000)
    judges: str = Field(default="", max_length=10_000)
    prosecutor: str = Field(default="", max_length=10_000)
    defence_counsel: str = Field(default="", max_length=10_000)
    interpreter: str = Field(default="", max_length=10_000)
    public_count: int | None = Field(default=None, ge=0)
    press_count: int | None = Field(default=None, ge=0)
    diplomats_count: int | None = Field(default=None, ge=0)
    observing_missions: str = Field(default="", max_length=10_000)
    observers_admitted: bool | None = None
    security_presence: str = Field(default="", max_length=10_000)
    refused_entry: str = Field(default="", max_length=10_000)
    outcome: str = Field(default="", max_length=100_000)
    next_hearing_on: date | None = None


class Hearing(HearingBase, Record, table=True):
    __table_args__ = (
        CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name=conv("ck_hearing_ends_after_start")),
        CheckConstraint(
            "coalesce(public_count, 0) >= 0 AND coalesce(press_count, 0) >= 0 AND coalesce(diplomats_count, 0) >= 0",
            name=conv("ck_hearing_counts_nonneg"),
        ),
    )


class TrialNote(Record, table=True):
    """A line typed during a hearing. A correction is a new note that points to
    the one it corrects; the original is never changed."""

    __tablename__ = "trial_note"
    hearing_id: str = fk("hearing.id")
    noted_at: datetime = Field(default_factory=utcnow, index=True)
    tag: NoteTag | None = vocab_field(NoteTag, None, nullable=True)
    text: str = Field(min_length=1, max_length=100_000)
    corrects_id: str | None = fk("trial_note.id", nullable=True, ondelete="RESTRICT")
    checklist_item_state_id: str | None = fk("checklist_item_state.id", nullable=True, ondelete="SET NULL")
