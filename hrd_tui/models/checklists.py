"""Checklist templates (versioned) and runs of them with per-item state."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKeyConstraint, UniqueConstraint
from sqlalchemy.sql.elements import conv
from sqlmodel import Field, SQLModel

from hrd_tui.models.common import Record, fk, utcnow, vocab_field
from hrd_tui.vocab import Finding, ItemStatus


class ChecklistTemplate(SQLModel, table=True):
    """A template at one version. Runs point at (id, version), so a newer
    version of a template never rewrites a past run."""

    __tablename__ = "checklist_template"
    id: str = Field(primary_key=True, max_length=100)
    version: int = Field(primary_key=True, ge=1)
    title: str
    section: str = ""
    builtin: bool = True
    items: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON, nullable=False)
    loaded_at: datetime = Field(default_factory=utcnow)


class ChecklistRun(Record, table=True):
    __tablename__ = "checklist_run"
    __table_args__ = (
        ForeignKeyConstraint(
            ["template_id", "template_version"],
            ["checklist_template.id", "checklist_template.version"],
            name=conv("fk_checklist_run_template"),
            ondelete="RESTRICT",
        ),
        CheckConstraint(
            "(case_id IS NOT NULL) + (trial_id IS NOT NULL) + (hearing_id IS NOT NULL) + "
            "(contact_id IS NOT NULL) + (period_start IS NOT NULL) <= 1",
            name=conv("ck_checklist_run_one_attachment"),
        ),
        CheckConstraint(
            "(period_start IS NULL) = (period_end IS NULL) AND (period_end IS NULL OR period_end >= period_start)",
            name=conv("ck_checklist_run_period"),
        ),
    )
    template_id: str = Field(max_length=100, index=True)
    template_version: int
    title: str = ""
    case_id: str | None = fk("threat_case.id", nullable=True)
    trial_id: str | None = fk("trial.id", nullable=True)
    hearing_id: str | None = fk("hearing.id", nullable=True)
    contact_id: str | None = fk("contact.id", nullable=True)
    period_start: date | None = None
    period_end: date | None = None
    current_item: str | None = Field(default=None, max_length=100)
    finished_at: datetime | None = None


class ChecklistItemState(Record, table=True):
    __tablename__ = "checklist_item_state"
    __table_args__ = (UniqueConstraint("run_id", "item_id", name=conv("uq_checklist_item_state_run_item")),)
    run_id: str = fk("checklist_run.id")
    item_id: str = Field(max_length=100)
    status: ItemStatus = vocab_field(ItemStatus, ItemStatus.OPEN)
    note: str = Field(default="", max_length=100_000)
    #: Fair-trial runs only: what was found about the right, apart from the walkthrough's
    #: state; None until the observer says (the note is its evidence).
    finding: Finding | None = vocab_field(Finding, None, nullable=True)


class PlanSetting(Record, table=True):
    """The post's own owner or due days for one item of a threat template's plan (issue 19).

    The templates' owners and due days are the app's suggestions, not the guidelines':
    a post that staffs or paces its response otherwise says so here, once, and every
    case opened after plans with it. None keeps the template's suggestion. Keyed by the
    template's and the item's ids, not a version: a newer template keeps the post's choice.
    """

    __tablename__ = "plan_setting"
    __table_args__ = (
        UniqueConstraint("template_id", "item_id", name=conv("uq_plan_setting_template_item")),
        CheckConstraint("due_days IS NULL OR (due_days >= 0 AND due_days <= 3650)", name=conv("ck_plan_setting_due")),
    )
    template_id: str = Field(max_length=100)
    item_id: str = Field(max_length=100)
    owner: str | None = Field(default=None, max_length=200)
    due_days: int | None = Field(default=None, ge=0, le=3650)
