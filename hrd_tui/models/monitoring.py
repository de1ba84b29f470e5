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


class ReportLayout(Record, table=True):
    """A post's own layout of a report (services/report_layouts.py): the TOML file as
    imported, kept in the vault because nothing readable may sit beside it, and read
    again each time a report follows it. The shipped layouts are package data, never
    rows here; ``key`` is never a shipped layout's. A retired layout stays on record
    (and in the history) but is no longer offered or the default."""

    __tablename__ = "report_layout"
    __table_args__ = (CheckConstraint("report_type != 'regular'", name=conv("ck_report_layout_type")),)
    key: str = Field(max_length=100, unique=True)
    report_type: ReportType = vocab_field(ReportType)
    edition: int = Field(ge=1900, le=9999)
    title: str = Field(max_length=300)
    text: str = Field(max_length=1_048_576)
    retired_on: date | None = None
