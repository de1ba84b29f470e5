"""The history rule (DOMAIN.md): an edit never silently destroys the earlier version.

A session hook, so no service can forget it: before each flush, the previous
state of every changed record, and the last state of every deleted one (a
tombstone), goes into ``record_version``; the search index is updated after.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, delete, event, func, inspect
from sqlalchemy import Enum as SAEnum
from sqlmodel import Session, SQLModel, col, select

from hrd_tui.models import (
    CaseDefender,
    CaseThreatType,
    CivicObservation,
    Contact,
    ContactFocusArea,
    Draft,
    Interaction,
    InteractionParticipant,
    ObservationLink,
    Record,
    RecordVersion,
    ThreatCase,
    Trial,
    TrialDefendant,
    utcnow,
)
from hrd_tui.services import reference, search
from hrd_tui.vocab import VOCABULARIES

#: RecordVersion.kind: the record's columns before an edit, or its last state (a tombstone).
EARLIER = ""
#: RecordVersion.kind: the record's lists (LINK_LISTS) before one of them changed.
LISTS = "lists"
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


@dataclass(frozen=True)
class LinkList:
    """A link table read as lists of its parent record: a change to the links is a
    change to the parent, and shows in the parent's history ("Focus areas")."""

    link: type[SQLModel]
    parent: type[SQLModel]
    parent_key: str  # the link's column naming the parent
    names: tuple[str, ...]  # the lists it holds, named as the parent's edit form names the field
    entry: Callable[[Mapping[str, Any]], tuple[str, str]]  # a link row -> (list name, item)


def _observation_entry(row: Mapping[str, Any]) -> tuple[str, str]:
    for name, key in (("contacts", "contact_id"), ("cases", "case_id"), ("trials", "trial_id")):
        if row.get(key):
            return name, str(row[key])
    return "contacts", ""  # the schema's CHECK allows no such row


#: Every link table the officer can change. tests/unit/test_history.py walks the models
#: for link tables, so a new one left out of here fails a test.
LINK_LISTS: tuple[LinkList, ...] = (
    LinkList(ContactFocusArea, Contact, "contact_id", ("focus_areas",), lambda r: ("focus_areas", str(r["area"]))),
    LinkList(CaseDefender, ThreatCase, "case_id", ("defenders",), lambda r: ("defenders", str(r["contact_id"]))),
    LinkList(CaseThreatType, ThreatCase, "case_id", ("threat_types",),
             lambda r: ("threat_types", str(r["threat_type"]))),
    LinkList(TrialDefendant, Trial, "trial_id", ("defendants",), lambda r: ("defendants", str(r["contact_id"]))),
    LinkList(InteractionParticipant, Interaction, "interaction_id", ("participants",),
             lambda r: ("participants", str(r["contact_id"]))),
    LinkList(ObservationLink, CivicObservation, "observation_id", ("contacts", "cases", "trials"), _observation_entry),
)
_LIST_OF: dict[type[SQLModel], LinkList] = {spec.link: spec for spec in LINK_LISTS}


def _link_values(obj: SQLModel, gone: bool) -> dict[str, Any]:
    """A link row's columns: as stored (one being deleted) or as about to be stored."""
    if gone:
        return previous_state(obj)
    return {attr.key: jsonable(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs}


def _stored_lists(session: Session, spec: LinkList, parent_id: str) -> dict[str, list[str]]:
    """The parent's lists as the database holds them (before this flush)."""
    table = spec.link.__table__  # type: ignore[attr-defined]
    lists: dict[str, list[str]] = {name: [] for name in spec.names}
    with session.no_autoflush:
        rows = session.execute(select(table).where(table.c[spec.parent_key] == parent_id)).mappings().all()
    for row in rows:
        name, item = spec.entry({k: jsonable(v) for k, v in row.items()})
        lists[name].append(item)
    return {name: sorted(items) for name, items in lists.items()}


def _list_versions(session: Session, now: datetime, source: str) -> list[RecordVersion]:
    """The lists of each record whose links this flush changes, as they were before it.

    A record created in the same transaction has no earlier lists; one being
    deleted keeps its links' tombstones. Lists are kept once per transaction (one
    action), as they were when it began: a service that removes links in one flush
    and adds in the next makes one change. The record's updated_at moves, as an edit's does."""
    created: set[tuple[str, str]] = session.info.setdefault("created_here", set())
    created |= {(type(o).__tablename__, _identity(o)) for o in session.new if isinstance(o, Record)}
    going = {(type(o).__tablename__, _identity(o)) for o in session.deleted}
    moves: dict[tuple[LinkList, str], tuple[set[tuple[str, str]], set[tuple[str, str]]]] = {}
    for obj, gone in [(o, False) for o in session.new] + [(o, True) for o in session.deleted]:
        spec = _LIST_OF.get(type(obj))
        if spec is None:
            continue
        values = _link_values(obj, gone)
        added, removed = moves.setdefault((spec, str(values[spec.parent_key])), (set(), set()))
        (removed if gone else added).add(spec.entry(values))
    recorded: set[tuple[str, str, str]] = session.info.setdefault("lists_recorded", set())
    by_parent: dict[tuple[type[SQLModel], str], dict[str, Any]] = {}
    for (spec, parent_id), (added, removed) in moves.items():
        key = (spec.parent.__tablename__, parent_id)  # type: ignore[attr-defined]
        if key in created or key in going or all((*key, name) in recorded for name in spec.names):
            continue  # new, going, or already kept as it was when this transaction began
        before = _stored_lists(session, spec, parent_id)
        had = {(name, item) for name, items in before.items() for item in items}
        if (had - removed) | added == had:
            continue
        recorded |= {(*key, name) for name in spec.names}
        by_parent.setdefault((spec.parent, parent_id), {}).update(before)
    found: list[RecordVersion] = []
    for (model, parent_id), lists in by_parent.items():
        with session.no_autoflush:
            parent = session.get(model, parent_id)
        if parent is None:
            continue
        lists["updated_at"] = previous_state(parent).get("updated_at")
        found.append(RecordVersion(entity=model.__tablename__, entity_id=parent_id, kind=LISTS,  # type: ignore[attr-defined]
                                   changed_at=now, source=source, data=lists))  # the time of the edit, as updated_at
        if isinstance(parent, Record):
            parent.updated_at = now
    return found


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
    versions += _list_versions(session, now, source)
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


@event.listens_for(VaultSession, "after_commit")
@event.listens_for(VaultSession, "after_rollback")
def _transaction_over(session: Session) -> None:
    session.info.pop("created_here", None)
    session.info.pop("lists_recorded", None)


def _unique(objs: list[Any]) -> list[Any]:
    return list({id(o): o for o in objs}.values())


def record_declined(session: Session, obj: SQLModel, values: dict[str, Any], source: str) -> None:
    """Keep, in the history of ``obj``, ``values`` that were offered (by a handover
    bundle, as ``source`` says) and not taken: the value not taken is not lost."""
    if values:
        session.add(RecordVersion(entity=type(obj).__tablename__, entity_id=_identity(obj), kind=DECLINED,
                                  source=source, data=jsonable(dict(values))))


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
            state.update(_stored_lists(session, spec, _identity(obj)))
    return state


def history_of(session: Session, obj: SQLModel) -> History:
    """What changed in ``obj`` over time, newest first: each earlier version against the
    next one holding the same field (a version of its lists holds only lists), the
    values offered and not taken among them."""
    kept = versions(session, type(obj).__tablename__, _identity(obj))
    states = [v for v in kept if v.kind in (EARLIER, LISTS)]
    current = current_state(session, obj)

    def after(n: int, key: str) -> Any:
        """``key``'s value once the change recorded by ``states[n]`` was made."""
        return next((v.data[key] for v in states[n + 1:] if key in v.data), current.get(key))

    found: list[Change] = []
    for n in reversed(range(len(states))):
        v = states[n]
        found += [Change(v.changed_at, key, old, after(n, key), v.source) for key, old in v.data.items()
                  if key not in UNINTERESTING and after(n, key) != old]
    for v in (v for v in kept if v.kind == DECLINED):
        n = sum(1 for s in states if (s.changed_at, s.id or 0) < (v.changed_at, v.id or 0)) - 1
        found += [Change(v.changed_at, key, after(n, key), offered, v.source, declined=True)
                  for key, offered in v.data.items() if key not in UNINTERESTING]
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


def _readable_lists(session: Session, model: type[SQLModel], change: Change) -> Change:
    names = {name for spec in LINK_LISTS if spec.parent is model for name in spec.names}
    if change.field not in names:
        return change
    return Change(change.when, change.field, _items(session, change.field, change.before),
                  _items(session, change.field, change.after), change.source, change.declined)


def _items(session: Session, name: str, items: list[str] | None) -> list[str]:
    items = list(items or [])
    if name in _LIST_VOCABULARY:
        order = list(VOCABULARIES[_LIST_VOCABULARY[name]])
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
    gone = versions(session, model.__tablename__, ident)  # type: ignore[attr-defined]
    return str(gone[-1].data.get(column) or "") if gone else f"(deleted {ident[:8]})"


def text(model: type[SQLModel], field: str, value: Any) -> str:
    """A value of ``field`` as the officer reads it: local times, vocabulary labels,
    lists joined, "-" for nothing. Literal: the screen shows it as vault text."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    column = model.__table__.columns.get(field)  # type: ignore[attr-defined]
    if column is not None and isinstance(getattr(column.type, "impl_instance", column.type), DateTime) \
            and isinstance(value, str):
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
    counts = dict(session.exec(select(RecordVersion.deleted, func.count()).where(old).group_by(RecordVersion.deleted)).all())
    session.exec(delete(RecordVersion).where(old))  # type: ignore[call-overload]
    return PurgeReport(versions=counts.get(False, 0), tombstones=counts.get(True, 0))
