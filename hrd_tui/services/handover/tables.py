"""Which tables a bundle carries, and what the import needs to know of each: primary
keys, links (foreign keys) to other carried tables, unique keys that match a record
in two vaults, and the order that puts parents before children.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ForeignKeyConstraint, UniqueConstraint
from sqlmodel import Session, SQLModel, col, select

from hrd_tui.errors import HrdError
from hrd_tui.models import EXPORT_TABLES, Contact
from hrd_tui.models.common import table_name
from hrd_tui.services.history import jsonable

#: Tables that never travel (see hrd_tui.services.handover.document for why).
NOT_CARRIED = frozenset({"drafts", "record_versions"})
CARRIED: tuple[str, ...] = tuple(name for name in EXPORT_TABLES if name not in NOT_CARRIED)
#: Reference data: merged without conflicts (what this vault has is kept).
REFERENCE_TABLES = frozenset({"resources", "checklist_templates"})


def is_reference(table: str, row: dict[str, Any]) -> bool:
    """A row merged as reference data. A shipped resource is (each vault has the file's
    copy, rewritten at open: this vault's is kept); a post's own resource (issue 19) is
    a record like any other: new ones added, identical ones left, a differing field a
    conflict the officer decides, the value replaced or not taken kept in the history."""
    if table == "resources":
        return bool(row.get("origin", "shipped") != "post")
    return table in REFERENCE_TABLES


#: Bookkeeping that may differ without the records differing.
IGNORED_FIELDS = frozenset({"updated_at", "loaded_at"})

Key = tuple[Any, ...]


def record_class(table: str) -> type[SQLModel]:
    """The record class a bundle's ``table`` holds: a screen labels its fields as its edit form does."""
    return EXPORT_TABLES[table]


def rows_in(session: Session, model: type[SQLModel], column: Any, values: Iterable[Any]) -> list[Any]:
    """Rows whose ``column`` is one of ``values`` (chunked: SQLite limits parameters)."""
    wanted = list(dict.fromkeys(v for v in values if v is not None))
    found: list[Any] = []
    for i in range(0, len(wanted), 500):
        found += list(session.exec(select(model).where(col(column).in_(wanted[i : i + 500]))))
    return found


NAME_OF_TABLE = {table_name(model): name for name, model in EXPORT_TABLES.items()}


def pk_cols(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(c.name for c in model.__table__.primary_key.columns)  # type: ignore[attr-defined]


def key_of(obj: SQLModel) -> Key:
    return tuple(jsonable(getattr(obj, c)) for c in pk_cols(type(obj)))


#: Columns the vault computes from others (a contact's folded codename): never carried,
#: never compared, set again by the receiving vault.
DERIVED = frozenset({"codename_key"})


@cache
def columns(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(c for c in model.__table__.columns.keys() if c not in DERIVED)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Fk:
    cols: tuple[str, ...]
    target: str  # export name
    nullable: bool


@cache
def fks(model: type[SQLModel]) -> list[Fk]:
    found = []
    for constraint in model.__table__.foreign_key_constraints:  # type: ignore[attr-defined]
        assert isinstance(constraint, ForeignKeyConstraint)
        target = NAME_OF_TABLE.get(constraint.referred_table.name)
        if target is None or target in NOT_CARRIED:
            continue
        cols = tuple(c.name for c in constraint.columns)
        found.append(Fk(cols, target, all(c.nullable for c in constraint.columns)))
    return found


@cache
def natural_keys(model: type[SQLModel]) -> list[tuple[str, ...]]:
    """Unique keys besides the primary key that identify the same record in two vaults.
    A contact's codename is unique but is *not* one (another vault's Heron-123 may be someone else)."""
    keys: list[tuple[str, ...]] = []
    table = model.__table__  # type: ignore[attr-defined]
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            keys.append(tuple(c.name for c in constraint.columns))
    keys += [(c.name,) for c in table.columns if c.unique]
    keys += [
        tuple(c.name for c in index.columns)
        for index in table.indexes
        if index.unique and index.dialect_options["sqlite"].get("where") is None
    ]
    if model is Contact:
        keys = [k for k in keys if k not in (("codename",), ("codename_key",))]
    return list(dict.fromkeys(keys))


def _table_order() -> list[str]:
    """Carried tables, parents before children (EXPORT_TABLES order where free)."""
    deps = {name: {fk.target for fk in fks(EXPORT_TABLES[name]) if fk.target != name} for name in CARRIED}
    order: list[str] = []
    while len(order) < len(CARRIED):
        ready = next((n for n in CARRIED if n not in order and deps[n] <= set(order)), None)
        if ready is None:  # pragma: no cover - a schema change introduced a cycle
            raise HrdError("Internal error: the tables' links form a cycle.")
        order.append(ready)
    return order


TABLE_ORDER = _table_order()
