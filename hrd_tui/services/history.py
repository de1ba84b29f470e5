"""The history rule (DOMAIN.md), read back: what changed in a record, and its purge.

The rule itself (an edit never silently destroys the earlier version) is kept by
the session's hooks, which sit with the store: hrd_tui.history_hooks. The names
services and screens used from here are still here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, delete, func, inspect
from sqlalchemy import Enum as SAEnum
from sqlmodel import Session, SQLModel, col, select

from hrd_tui.history_hooks import (  # noqa: F401 (re-exported: the history's names, as services and screens use them)
    DECLINED,
    EARLIER,
    LINK_LISTS,
    LISTS,
    NOT_VERSIONED,
    LinkList,
    identity,
    previous_state,
    stored_lists,
)
from hrd_tui.history_hooks import VaultSession as VaultSession  # re-exported explicitly: named from here elsewhere
from hrd_tui.history_hooks import jsonable as jsonable
from hrd_tui.history_hooks import record_declined as record_declined
from hrd_tui.models import Contact, RecordVersion, Trial, utcnow
from hrd_tui.models.common import table_name
from hrd_tui.services import reference
from hrd_tui.vocab import VOCABULARIES

#: Bookkeeping columns a reader of the history does not need to see change
#: (codename_key follows the codename, whose change is shown).
UNINTERESTING = frozenset({"updated_at", "codename_key"})


@dataclass(frozen=True)
class Change:
    """One field's move from ``before`` to ``after``, at ``when`` (the time of the edit).

    ``field`` is a column or a list (LINK_LISTS: ``before`` and ``after`` are then lists
    of items as they read: codenames, labels). ``source``: "" for the officer's own edit,
    else where it came from ("handover merge from ..."). ``declined``: ``after`` was
    offered by ``source`` and not taken; ``before`` is what the record kept."""

    when: datetime
    field: str
    before: Any
    after: Any
    source: str = ""
    declined: bool = False


@dataclass(frozen=True)
class History:
    changes: list[Change]  # newest first
    kept: int  # earlier versions kept (until a purge)
    #: The record was changed before the oldest version kept: that history was purged
    #: (or the change was made in another vault, before a handover).
    earlier_not_kept: bool


def versions(session: Session, entity: str, entity_id: str) -> list[RecordVersion]:
    """The earlier versions of one record, oldest first."""
    stmt = (
        select(RecordVersion)
        .where(RecordVersion.entity == entity, RecordVersion.entity_id == entity_id)
        .order_by(col(RecordVersion.changed_at), col(RecordVersion.id))
    )
    return list(session.exec(stmt))


def current_state(session: Session, obj: SQLModel) -> dict[str, Any]:
    """The record's columns and its lists (LINK_LISTS) as they are now."""
    state = {attr.key: jsonable(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs}
    for spec in LINK_LISTS:
        if spec.parent is type(obj):
            state.update(stored_lists(session, spec, identity(obj)))
    return state


def history_of(session: Session, obj: SQLModel) -> History:
    """What changed in ``obj`` over time, newest first: each earlier version against the
    next one holding the same field (a version of its lists holds only lists), the
    values offered and not taken among them."""
    kept = versions(session, table_name(type(obj)), identity(obj))
    states = [v for v in kept if v.kind in (EARLIER, LISTS)]
    current = current_state(session, obj)

    def after(n: int, key: str) -> Any:
        """``key``'s value once the change recorded by ``states[n]`` was made."""
        return next((v.data[key] for v in states[n + 1 :] if key in v.data), current.get(key))

    found: list[Change] = []
    for n in reversed(range(len(states))):
        v = states[n]
        found += [
            Change(v.changed_at, key, old, after(n, key), v.source)
            for key, old in v.data.items()
            if key not in UNINTERESTING and after(n, key) != old
        ]
    for v in (v for v in kept if v.kind == DECLINED):
        n = sum(1 for s in states if (s.changed_at, s.id or 0) < (v.changed_at, v.id or 0)) - 1
        found += [
            Change(v.changed_at, key, after(n, key), offered, v.source, declined=True)
            for key, offered in v.data.items()
            if key not in UNINTERESTING
        ]
    found.sort(key=lambda c: c.when, reverse=True)  # stable: each version's fields keep their order
    found = [_readable_lists(session, type(obj), c) for c in found]
    return History(found, len(states), _earlier_not_kept(obj, states))


def changes(session: Session, obj: SQLModel) -> list[Change]:
    """What changed in ``obj`` over time, newest first (see :func:`history_of`)."""
    return history_of(session, obj).changes


#: Anything later than this after a record's creation is an edit, not the creation itself.
_CREATION = timedelta(seconds=1)


def _earlier_not_kept(obj: SQLModel, states: list[RecordVersion]) -> bool:
    created = getattr(obj, "created_at", None)
    changed = states[0].data.get("updated_at") if states else getattr(obj, "updated_at", None)
    if created is None or changed is None:
        return False
    return _aware(changed) - _aware(created) > _CREATION


def _aware(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


#: How the items of each list read: a vocabulary's labels, or people by codename.
_LIST_VOCABULARY = {"focus_areas": "focus_area", "threat_types": "threat_type"}
_PEOPLE = frozenset({"defenders", "defendants", "participants", "contacts"})
#: A record's own list fields (JSON) whose items are vocabulary codes: read as labels.
_LIST_FIELD_VOCABULARY = {"shared": "shared_info"}


def _readable_lists(session: Session, model: type[SQLModel], change: Change) -> Change:
    names = {name for spec in LINK_LISTS if spec.parent is model for name in spec.names}
    if change.field not in names:
        return change
    return Change(
        change.when,
        change.field,
        _items(session, change.field, change.before),
        _items(session, change.field, change.after),
        change.source,
        change.declined,
    )


def _items(session: Session, name: str, items: list[str] | None) -> list[str]:
    items = list(items or [])
    if name in _LIST_VOCABULARY:
        order = [member.value for member in VOCABULARIES[_LIST_VOCABULARY[name]]]
        known = sorted((i for i in items if i in order), key=order.index)
        return [reference.label(_LIST_VOCABULARY[name], i) for i in known] + [i for i in items if i not in order]
    if name in _PEOPLE:
        return sorted(_record_name(session, Contact, i, "codename") for i in items)
    if name == "cases":
        return sorted(f"case {i[:8]}" for i in items)
    if name == "trials":
        return sorted(_record_name(session, Trial, i, "case_number") or f"trial {i[:8]}" for i in items)
    return sorted(items)


def _record_name(session: Session, model: type[SQLModel], ident: str, column: str) -> str:
    """A record's ``column`` (a codename), from its tombstone once it is deleted."""
    row = session.get(model, ident)
    if row is not None:
        return str(getattr(row, column) or "")
    gone = versions(session, table_name(model), ident)
    return str(gone[-1].data.get(column) or "") if gone else f"(deleted {ident[:8]})"


def text(model: type[SQLModel], field: str, value: Any) -> str:
    """A value of ``field`` as the officer reads it: local times, vocabulary labels,
    lists joined, "-" for nothing. Literal: the screen shows it as vault text."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, list):
        vocabulary = _LIST_FIELD_VOCABULARY.get(field)
        return ", ".join(reference.label(vocabulary, item) if vocabulary else str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    column = model.__table__.columns.get(field)  # type: ignore[attr-defined]
    if (
        column is not None
        and isinstance(getattr(column.type, "impl_instance", column.type), DateTime)
        and isinstance(value, str)
    ):
        try:
            return when_text(datetime.fromisoformat(value))
        except ValueError:
            return value
    if column is not None and isinstance(column.type, SAEnum) and column.type.enum_class is not None:
        vocabulary = next((k for k, e in VOCABULARIES.items() if e is column.type.enum_class), None)
        if vocabulary is not None:
            return reference.label(vocabulary, str(value))
    return str(value)


def when_text(moment: datetime) -> str:
    """The time of a change in the officer's local time (a naive one read back is UTC)."""
    return _aware(moment).astimezone().strftime("%Y-%m-%d %H:%M")


def source_text(source: str) -> str:
    """Where a change came from, as the history says it."""
    return source or "you"


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
    deleted = col(RecordVersion.deleted)
    counts = dict(session.exec(select(deleted, func.count()).where(old).group_by(deleted)).all())
    session.exec(delete(RecordVersion).where(old))
    return PurgeReport(versions=counts.get(False, 0), tombstones=counts.get(True, 0))
