"""Accountability after an attack (issue 19): what the authorities did about it, step
by step, on a threat case or on a civic-space observation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Index
from sqlalchemy.sql.elements import conv
from sqlmodel import Field

from hrd_tui.models.common import Record, fk, vocab_field
from hrd_tui.vocab import AccountabilityStep as Step


class AccountabilityStep(Record, table=True):
    """One step after an attack (a complaint filed, an investigation opened, someone
    charged ...), dated, with who says so. Section I of the guidelines asks whether local
    authorities "investigate attacks against them ... including redress and remedy".

    ``source`` is free text, not a link to a Source record: what a step rests on is
    usually a court registry, a prosecutor's statement or the defender's lawyer, not the
    rated information about the threat that a case's sources hold, and an observation's
    step must be able to say it as well."""

    __tablename__ = "accountability_step"
    __table_args__ = (
        CheckConstraint(
            "(case_id IS NOT NULL) + (observation_id IS NOT NULL) = 1", name=conv("ck_accountability_step_one_owner")
        ),
        # A record's steps in order of date, read from the index alone.
        Index("ix_accountability_step_case_day", "case_id", "on_date"),
        Index("ix_accountability_step_observation_day", "observation_id", "on_date"),
    )
    case_id: str | None = fk("threat_case.id", nullable=True, index=False)
    observation_id: str | None = fk("civic_observation.id", nullable=True, index=False)
    step: Step = vocab_field(Step)
    on_date: date
    source: str = Field(min_length=1, max_length=10_000)
    note: str = Field(default="", max_length=100_000)
