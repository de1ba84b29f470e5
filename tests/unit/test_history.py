"""The history rule on every kind of record, and the purge that ends it.

The demo vault holds at least one record of every table; each is edited, then
deleted, through the real session: every edit leaves the earlier version, every
delete a tombstone. The purge removes the old ones for good and nothing newer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select
from sqlmodel.sql.sqltypes import AutoString

from hrd_tui import demo, vault
from hrd_tui.models import EXPORT_TABLES, RecordVersion, utcnow
from hrd_tui.services import base, contacts, history

#: Tables the history does not apply to: it would be the history of the history.
UNVERSIONED = {"drafts", "record_versions"}


def _editable_column(model: type[SQLModel]) -> str | None:
    """A column an edit can change without breaking a constraint: plain text, not a key."""
    table = model.__table__  # type: ignore[attr-defined]
    for column in table.columns:
        if column.primary_key or column.foreign_keys or column.name in ("id", "created_at", "updated_at"):
            continue
        if isinstance(column.type, AutoString) and column.name not in (
                "codename", "currency", "template_item", "key"):
            return column.name
    return None


def _identity(obj: SQLModel) -> str:
    return "/".join(str(getattr(obj, c.key)) for c in inspect(obj).mapper.primary_key)


def test_every_kind_of_record_keeps_its_earlier_version_and_a_tombstone(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        assert demo.populate(s)
    edited: dict[str, tuple[str, str, Any]] = {}
    with opened.store.session() as s:
        for key, model in EXPORT_TABLES.items():
            if key in UNVERSIONED:
                continue
            row = s.exec(select(model)).first()
            assert row is not None, f"the demo has no {key}"
            column = _editable_column(model)
            if column is None:  # link tables: only keys (their history is their tombstone)
                continue
            before = getattr(row, column)
            setattr(row, column, f"{before or ''} (edited)")
            s.add(row)
            edited[key] = (model.__tablename__, _identity(row), before)  # type: ignore[attr-defined]
        s.flush()
        for key, (table, ident, before) in edited.items():
            kept = history.versions(s, table, ident)
            assert kept and kept[-1].data is not None and not kept[-1].deleted, key
            column = _editable_column(EXPORT_TABLES[key])
            assert kept[-1].data[column] == history.jsonable(before), key
    assert len(edited) >= 20  # most tables have free text; the rest are link tables
    # Delete every contact, case and trial with what hangs from them: a tombstone for each record.
    with opened.store.session() as s:
        counts_before = {k: len(s.exec(select(m)).all()) for k, m in EXPORT_TABLES.items() if k not in UNVERSIONED}
        for model in (EXPORT_TABLES["threat_cases"], EXPORT_TABLES["trials"], EXPORT_TABLES["civic_observations"],
                      EXPORT_TABLES["interactions"], EXPORT_TABLES["checklist_runs"], EXPORT_TABLES["contacts"]):
            for row in s.exec(select(model)).all():
                base.delete(s, row)
        tombstones = s.exec(select(RecordVersion.entity).where(RecordVersion.deleted)).all()
    by_table = {t: tombstones.count(t) for t in set(tombstones)}
    for key, count in counts_before.items():
        table = EXPORT_TABLES[key].__tablename__  # type: ignore[attr-defined]
        if key in ("resources", "checklist_templates", "reports"):
            continue  # reference data and report drafts are not under a contact, case or trial
        assert by_table.get(table, 0) == count, (key, by_table.get(table, 0), count)


def test_purge_removes_old_versions_and_tombstones_for_good(opened: vault.Vault) -> None:
    marker = "Purgemarker Ñandú"
    with opened.store.session() as s:
        old = contacts.create_contact(s, {"name": marker})
        contacts.update_contact(s, old, {"name": "Renamed"})
        gone = contacts.create_contact(s, {"name": f"{marker} two"})
        contacts.delete_contact(s, gone)
        recent = contacts.create_contact(s, {"name": "Recent"})
        contacts.update_contact(s, recent, {"name": "Recent, renamed"})
        # The first two changes happened 100 days ago.
        s.connection().execute(text("UPDATE record_version SET changed_at = :when WHERE entity_id IN (:a, :b)"),
                               {"when": utcnow() - timedelta(days=100), "a": old.id, "b": gone.id})
    with opened.store.session() as s:
        report = history.purge(s, 90)
        assert (report.versions, report.tombstones) == (1, 1)
        left = s.exec(select(RecordVersion.entity_id)).all()
        assert left == [recent.id]
        assert history.purge(s, 90) == history.PurgeReport(0, 0)
    opened.store.checkpoint()
    # Encrypted anyway; the rows are gone from the database and its WAL too.
    for path in (p for p in opened.dir.iterdir() if p.is_file()):
        assert marker.encode() not in path.read_bytes()


def test_purge_refuses_a_negative_age(opened: vault.Vault) -> None:
    import pytest

    with opened.store.session() as s, pytest.raises(ValueError):
        history.purge(s, -1, now=datetime(2026, 1, 1))


def test_each_version_says_where_its_change_came_from(opened: vault.Vault) -> None:
    """A handover merge sets session.info["change_source"]; the officer's own edit leaves it empty."""
    with opened.store.session() as s:
        c = contacts.create_contact(s, {"name": "Mine"})
        contacts.update_contact(s, c, {"name": "Mine, edited"})
        s.info["change_source"] = "handover merge from Post A, 2026-11-20"
        contacts.update_contact(s, c, {"name": "Theirs"})
        kept = history.versions(s, "contact", c.id)
    assert [(v.data["name"], v.source) for v in kept] == [
        ("Mine", ""), ("Mine, edited", "handover merge from Post A, 2026-11-20")]


def test_values_not_taken_from_a_handover_are_kept_in_the_history(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        c = contacts.create_contact(s, {"name": "Kept", "notes": "ours"})
        history.record_declined(s, c, {"notes": "theirs"}, "handover merge from Post A")
        s.flush()
        kept = history.versions(s, "contact", c.id)
        assert [(v.kind, v.source, v.data) for v in kept] == [
            (history.DECLINED, "handover merge from Post A", {"notes": "theirs"})]
        assert c.notes == "ours" and history.changes(s, c) == []  # not a change to the record
