"""The session every service runs in, and the history rule's hooks bound to it.

The history rule (DOMAIN.md): an edit never silently destroys the earlier version.
A session hook, so no service can forget it: before each flush, the previous
state of every changed record, and the last state of every deleted one (a
tombstone), goes into ``record_version``; the indexes the services keep (the
search index, registered in hrd_tui.vault_hooks) are updated after.

It sits with the store (which opens every session as a VaultSession), below the
services: reading the history back is hrd_tui.services.history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session, SQLModel, select

from hrd_tui import vault_hooks
from hrd_tui.models import (
    CaseDefender,
    CaseThreatType,
    CivicObservation,
    Contact,
    ContactFocusArea,
    Draft,
    Interaction,
    InteractionCase,
    InteractionParticipant,
    InteractionTrial,
    ObservationLink,
    Record,
    RecordVersion,
    ThreatCase,
    Trial,
    TrialDefendant,
    utcnow,
)
from hrd_tui.models.common import table_name

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


def identity(obj: SQLModel) -> str:
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
    LinkList(
        CaseThreatType, ThreatCase, "case_id", ("threat_types",), lambda r: ("threat_types", str(r["threat_type"]))
    ),
    LinkList(TrialDefendant, Trial, "trial_id", ("defendants",), lambda r: ("defendants", str(r["contact_id"]))),
    LinkList(
        InteractionParticipant,
        Interaction,
        "interaction_id",
        ("participants",),
        lambda r: ("participants", str(r["contact_id"])),
    ),
    LinkList(InteractionCase, Interaction, "interaction_id", ("cases",), lambda r: ("cases", str(r["case_id"]))),
    LinkList(InteractionTrial, Interaction, "interaction_id", ("trials",), lambda r: ("trials", str(r["trial_id"]))),
    LinkList(ObservationLink, CivicObservation, "observation_id", ("contacts", "cases", "trials"), _observation_entry),
)
_LIST_OF: dict[type[SQLModel], LinkList] = {spec.link: spec for spec in LINK_LISTS}


def _link_values(obj: SQLModel, gone: bool) -> dict[str, Any]:
    """A link row's columns: as stored (one being deleted) or as about to be stored."""
    if gone:
        return previous_state(obj)
    return {attr.key: jsonable(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs}


def stored_lists(session: Session, spec: LinkList, parent_id: str) -> dict[str, list[str]]:
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
    created |= {(table_name(type(o)), identity(o)) for o in session.new if isinstance(o, Record)}
    going = {(table_name(type(o)), identity(o)) for o in session.deleted}
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
        key = (table_name(spec.parent), parent_id)
        if key in created or key in going or all((*key, name) in recorded for name in spec.names):
            continue  # new, going, or already kept as it was when this transaction began
        before = stored_lists(session, spec, parent_id)
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
        found.append(
            RecordVersion(
                entity=table_name(model), entity_id=parent_id, kind=LISTS, changed_at=now, source=source, data=lists
            )
        )  # the time of the edit, as updated_at
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
        versions.append(
            RecordVersion(
                entity=table_name(type(obj)), entity_id=identity(obj), source=source, data=previous_state(obj)
            )
        )
        if isinstance(obj, Record):
            obj.updated_at = now
    for obj in list(session.deleted):
        if isinstance(obj, NOT_VERSIONED):
            continue
        versions.append(
            RecordVersion(
                entity=table_name(type(obj)),
                entity_id=identity(obj),
                deleted=True,
                source=source,
                data=previous_state(obj),
            )
        )
    versions += _list_versions(session, now, source)
    session.add_all(versions)
    for n, index in enumerate(vault_hooks.INDEXES):
        pending = session.info.setdefault(("index", n), {"new": [], "changed": [], "deleted": []})
        pending["new"] += [o for o in session.new if type(o) in index.kinds]
        pending["changed"] += [o for o in session.dirty if type(o) in index.kinds and session.is_modified(o)]
        pending["deleted"] += [o for o in session.deleted if type(o) in index.kinds]


@event.listens_for(VaultSession, "after_flush")
def _after_flush(session: Session, _ctx: Any) -> None:
    for n, index in enumerate(vault_hooks.INDEXES):
        pending = session.info.pop(("index", n), None)
        if pending and any(pending.values()):
            index.update(session, pending["new"], _unique(pending["changed"]), pending["deleted"])


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
        session.add(
            RecordVersion(
                entity=table_name(type(obj)),
                entity_id=identity(obj),
                kind=DECLINED,
                source=source,
                data=jsonable(dict(values)),
            )
        )
