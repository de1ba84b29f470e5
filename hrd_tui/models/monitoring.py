"""Civic-space observations (section I) and report drafts (section IV)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint
from sqlalchemy.sql.elements import conv
from sqlmodel import Field, SQLModel

from hrd_tui.models.common import Record, fk, vocab_field
from hrd_tui.vocab import CivicCategory, ReportType


class ObservationBase(SQLModel):
    observed_on: date = Field(index=True)
    category: CivicCategory = vocab_field(CivicCategory, index=True)
    description: str = Field(min_length=1, max_length=1_000_000)
    location: str | None = Field(default=None, max_length=2000)
    location_sensitive: bool = True
    links: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)


class CivicObservation(ObservationBase, Record, table=True):
    __tablename__ = "civic_observation"


class ObservationLink(Record, table=True):
    """What an observation is about: a contact, a case or a trial."""

    __tablename__ = "observation_link"
    __table_args__ = (
        CheckConstraint(
            "(contact_id IS NOT NULL) + (case_id IS NOT NULL) + (trial_id IS NOT NULL) = 1",
            name=conv("ck_observation_link_one_target"),
        ),
    )
    observation_id: str = fk("civic_observation.id")
    contact_id: str | None = fk("contact.id", nullable=True)
    case_id: str | None = fk("threat_case.id", nullable=True)
    trial_id: str | None = fk("trial.id", nullable=True)


class Report(Record, table=True):
    __table_args__ = (CheckConstraint("period_end >= period_start", name=conv("ck_report_period")),)
    type: ReportType = vocab_field(ReportType)
    period_start: date
    period_end: date
    title: str = Field(default="", max_length=2000)
    body: str = Field(default="", max_length=10_000_000)
