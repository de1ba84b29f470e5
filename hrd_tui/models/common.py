"""Shared column helpers: ids, timestamps, vocabulary columns with CHECK constraints.

Ids are random UUIDs (hex) rather than integers so that records keep their
identity when vaults are merged in a handover. Timestamps are timezone-aware and stored as UTC.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import JSON, MetaData, Table, inspect
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from hrd_tui import wallclock

# Named constraints, so Alembic's batch migrations on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_name(model: type[SQLModel]) -> str:
    """A table model's table name. SQLModel types ``__tablename__`` as a str or the
    function that makes one (its default is a declared_attr); on a mapped table
    model it is always the str, which this checks rather than assumes."""
    name = model.__tablename__
    if not isinstance(name, str):
        raise TypeError(f"{model.__name__} is not a table model")
    return name


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Table (what ``__table__`` holds, which SQLModel does not declare)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """Aware UTC, to the millisecond (SQLModel stores aware datetimes as UTC)."""
    now = wallclock.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def vocab(enum_cls: type[StrEnum]) -> SAEnum:
    """A column type storing an enum's *values*, checked by a CHECK constraint."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda cls: [m.value for m in cls],
        length=max(len(m.value) for m in enum_cls),
    )


def vocab_field(enum_cls: type[StrEnum], default: Any = ..., *, nullable: bool = False, **kwargs: Any) -> Any:
    if kwargs.get("primary_key"):
        return Field(default=default, sa_type=vocab(enum_cls), **kwargs)
    return Field(default=default, sa_type=vocab(enum_cls), nullable=nullable, **kwargs)


def json_list_field(*, server_default: bool = False) -> Any:
    """A list kept as JSON. ``server_default``: the column says '[]' itself, as a column
    added to an existing table must (SQLite adds a NOT NULL column only with a default)."""
    extra: dict[str, Any] = {"sa_column_kwargs": {"server_default": "[]"}} if server_default else {}
    return Field(default_factory=list, sa_type=JSON, nullable=False, **extra)


#: What SQLModel's Field accepts as ``ondelete`` (sqlmodel.main.OnDeleteType)
OnDelete = Literal["CASCADE", "SET NULL", "RESTRICT"]


def fk(target: str, *, nullable: bool = False, ondelete: OnDelete = "CASCADE", index: bool = True) -> Any:
    return Field(
        default=None if nullable else ..., foreign_key=target, ondelete=ondelete, nullable=nullable, index=index
    )


class Record(SQLModel):
    """Columns every domain record has."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
