"""The history rule (DOMAIN.md): an edit never silently destroys the earlier version.

A session hook, so no service can forget it: before each flush, the previous
state of every changed record, and the last state of every deleted one (a
tombstone), goes into ``record_version``; the search index is updated after.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, event, func, inspect
from sqlmodel import Session, SQLModel, col, select

from hrd_tui.models import Draft, Record, RecordVersion, utcnow
from hrd_tui.services import search

#: RecordVersion.kind: the record's columns before an edit, or its last state (a tombstone).
EARLIER = ""
#: RecordVersion.kind: values a handover offered for the record and the officer did not take.
DECLINED = "declined"

NOT_VERSIONED: tuple[type[SQLModel], ...] = (RecordVersion, Draft)


def jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def _identity(obj: SQLModel) -> str:
    keys = inspect(obj).mapper.primary_key
    return "/".join(str(getattr(obj, col.key)) for col in keys)


def previous_state(obj: SQLModel) -> dict[str, Any]:
    state = inspect(obj)
    data: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        value = hist.deleted[0] if hist.deleted else getattr(obj, attr.key)
        data[attr.key] = jsonable(value)
    return data


class VaultSession(Session):
    """The session every service runs in; the hooks below are bound to it only."""


@event.listens_for(VaultSession, "before_flush")
def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    now = utcnow()
    source = session.info.get("change_source", "")
    versions: list[RecordVersion] = []
    for obj in list(session.dirty):
        if isinstance(obj, NOT_VERSIONED) or not session.is_modified(obj, include_collections=False):
            continue
        versions.append(RecordVersion(entity=type(obj).__tablename__, entity_id=_identity(obj), source=source,
                                      data=previous_state(obj)))
        if isinstance(obj, Record):
            obj.updated_at = now
    for obj in list(session.deleted):
        if isinstance(obj, NOT_VERSIONED):
            continue
        versions.append(
            RecordVersion(entity=type(obj).__tablename__, entity_id=_identity(obj), deleted=True, source=source,
                          data=previous_state(obj))
        )
    session.add_all(versions)
    pending = session.info.setdefault("index", {"new": [], "changed": [], "deleted": []})
    pending["new"] += [o for o in session.new if type(o) in search.KIND_OF]
    pending["changed"] += [o for o in session.dirty if type(o) in search.KIND_OF and session.is_modified(o)]
    pending["deleted"] += [o for o in session.deleted if type(o) in search.KIND_OF]


@event.listens_for(VaultSession, "after_flush")
def _after_flush(session: Session, _ctx: Any) -> None:
    pending = session.info.pop("index", None)
    if pending and any(pending.values()):
        search.index_objects(session, pending["new"], _unique(pending["changed"]), pending["deleted"])


def _unique(objs: list[Any]) -> list[Any]:
    return list({id(o): o for o in objs}.values())


def record_declined(session: Session, obj: SQLModel, values: dict[str, Any], source: str) -> None:
    """Keep, in the history of ``obj``, ``values`` that were offered (by a handover
    bundle, as ``source`` says) and not taken: the value not taken is not lost."""
    if values:
        session.add(RecordVersion(entity=type(obj).__tablename__, entity_id=_identity(obj), kind=DECLINED,
                                  source=source, data=jsonable(dict(values))))


#: Bookkeeping columns a reader of the history does not need to see change.
UNINTERESTING = frozenset({"updated_at"})


@dataclass(frozen=True)
class Change:
    """One field's move from ``before`` to ``after``, at ``when`` (the time of the edit)."""

    when: datetime
    field: str
    before: Any
    after: Any


def versions(session: Session, entity: str, entity_id: str) -> list[RecordVersion]:
    """The earlier versions of one record, oldest first."""
    stmt = (
        select(RecordVersion)
        .where(RecordVersion.entity == entity, RecordVersion.entity_id == entity_id)
        .order_by(col(RecordVersion.changed_at), col(RecordVersion.id))
    )
    return list(session.exec(stmt))


def changes(session: Session, obj: SQLModel) -> list[Change]:
    """What changed in ``obj`` over time, newest first: each earlier version against the next."""
    states = [(v.changed_at, v.data) for v in versions(session, type(obj).__tablename__, _identity(obj))
              if v.kind == EARLIER]
    current = {attr.key: jsonable(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs}
    found: list[Change] = []
    for n in reversed(range(len(states))):
        when, before = states[n]
        after = states[n + 1][1] if n + 1 < len(states) else current
        found += [Change(when, key, old, after.get(key)) for key, old in before.items()
                  if key not in UNINTERESTING and after.get(key) != old]
    return found


@dataclass(frozen=True)
class PurgeReport:
    versions: int  # earlier versions removed
    tombstones: int  # last states of deleted records removed


def purge(session: Session, older_than_days: int, *, now: datetime | None = None) -> PurgeReport:
    """Remove, for good, the earlier versions and tombstones older than ``older_than_days``.

    "For good" holds because the vault runs with secure_delete (freed pages are
    overwritten); the caller checkpoints the WAL after the commit so no copy of
    the removed rows stays there either. Automatic backups taken before the purge
    still hold them: that is what a backup is for, and the CLI says so."""
    if older_than_days < 0:
        raise ValueError("older_than_days must be 0 or more")
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    old = col(RecordVersion.changed_at) < cutoff
    counts = dict(session.exec(select(RecordVersion.deleted, func.count()).where(old).group_by(RecordVersion.deleted)).all())
    session.exec(delete(RecordVersion).where(old))  # type: ignore[call-overload]
    return PurgeReport(versions=counts.get(False, 0), tombstones=counts.get(True, 0))
