"""Records about records: unfinished text (drafts) and the history of every edit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from hrd_tui.models.common import utcnow


class Draft(SQLModel, table=True):
    """Text being typed, saved inside the encrypted vault so that a lock, a
    dropped link or a crash loses at most a couple of seconds of it."""

    key: str = Field(primary_key=True, max_length=200)
    text: str = Field(default="", max_length=10_000_000)
    updated_at: datetime = Field(default_factory=utcnow)


class RecordVersion(SQLModel, table=True):
    """The state of a record *before* a change (or its last state before a
    delete: a tombstone). Written by the session hook in services/history.py.

    ``kind`` says what ``data`` holds: "" the record's columns before an edit
    (or a tombstone), "lists" its lists (focus areas, defendants...) before one
    changed, "declined" values offered by a handover and not taken.
    ``source`` says where the change came from: "" this officer's own edit,
    else e.g. "handover merge from <bundle>"."""

    __tablename__ = "record_version"
    __table_args__ = (Index("ix_record_version_entity", "entity", "entity_id", "changed_at"),)
    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=64)
    entity_id: str = Field(max_length=200)
    changed_at: datetime = Field(default_factory=utcnow)
    deleted: bool = False
    kind: str = Field(default="", max_length=16)
    source: str = Field(default="", max_length=200)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)
