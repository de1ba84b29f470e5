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

from hrd_tui import demo, vault, wallclock
from hrd_tui.models import EXPORT_TABLES, Contact, RecordVersion, Referral, ThreatCase, Trial, utcnow
from hrd_tui.services import base, contacts, history, reference, threats, trials

#: Tables the history does not apply to: it would be the history of the history.
UNVERSIONED = {"drafts", "record_versions"}


def _editable_column(model: type[SQLModel]) -> str | None:
    """A column an edit can change without breaking a constraint: plain text, not a key."""
    table = model.__table__  # type: ignore[attr-defined]
    for column in table.columns:
        if column.primary_key or column.foreign_keys or column.name in ("id", "created_at", "updated_at"):
            continue
        if isinstance(column.type, AutoString) and column.name not in ("codename", "currency", "template_item", "key"):
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
            if key == "attachments":  # what was taken in never changes (a trigger): only the deletion mark
                column, before = "deleted_at", row.deleted_at
                row.deleted_at = utcnow()
            else:
                setattr(row, column, f"{before or ''} (edited)")
            s.add(row)
            edited[key] = (model.__tablename__, _identity(row), before)  # type: ignore[attr-defined]
        s.flush()
        for key, (table, ident, before) in edited.items():
            kept = history.versions(s, table, ident)
            assert kept and kept[-1].data is not None and not kept[-1].deleted, key
            column = "deleted_at" if key == "attachments" else _editable_column(EXPORT_TABLES[key])
            assert kept[-1].data[column] == history.jsonable(before), key
    assert len(edited) >= 20  # most tables have free text; the rest are link tables
    # Delete every contact, case and trial with what hangs from them: a tombstone for each record.
    with opened.store.session() as s:
        counts_before = {k: len(s.exec(select(m)).all()) for k, m in EXPORT_TABLES.items() if k not in UNVERSIONED}
        for model in (
            EXPORT_TABLES["threat_cases"],
            EXPORT_TABLES["trials"],
            EXPORT_TABLES["civic_observations"],
            EXPORT_TABLES["interactions"],
            EXPORT_TABLES["checklist_runs"],
            EXPORT_TABLES["contacts"],
        ):
            for row in s.exec(select(model)).all():
                base.delete(s, row)
        tombstones = s.exec(select(RecordVersion.entity).where(RecordVersion.deleted)).all()
    by_table = {t: tombstones.count(t) for t in set(tombstones)}
    for key, count in counts_before.items():
        table = EXPORT_TABLES[key].__tablename__  # type: ignore[attr-defined]
        if key in ("resources", "checklist_templates", "reports", "plan_settings", "report_layouts"):
            continue  # reference data, report drafts, the post's plan and layouts: under no contact, case or trial
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
        s.connection().execute(
            text("UPDATE record_version SET changed_at = :when WHERE entity_id IN (:a, :b)"),
            {"when": utcnow() - timedelta(days=100), "a": old.id, "b": gone.id},
        )
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
        ("Mine", ""),
        ("Mine, edited", "handover merge from Post A, 2026-11-20"),
    ]


def test_values_not_taken_from_a_handover_are_kept_in_the_history(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        c = contacts.create_contact(s, {"name": "Kept", "notes": "ours"})
        history.record_declined(s, c, {"notes": "theirs"}, "handover merge from Post A")
        s.flush()
        kept = history.versions(s, "contact", c.id)
        assert [(v.kind, v.source, v.data) for v in kept] == [
            (history.DECLINED, "handover merge from Post A", {"notes": "theirs"})
        ]
        assert c.notes == "ours"  # not a change to the record: shown as the value not taken
        assert [(ch.field, ch.before, ch.after, ch.source, ch.declined) for ch in history.changes(s, c)] == [
            ("notes", "ours", "theirs", "handover merge from Post A", True)
        ]


def _link_tables() -> set[str]:
    """Tables that link records to records or to a vocabulary: every column a key
    (ObservationLink, a Record of its own, links an observation to what it is about)."""
    found = set()
    for table in SQLModel.metadata.tables.values():
        keys = [c for c in table.columns if c.primary_key or c.foreign_keys]
        plain = [c for c in table.columns if c not in keys and c.name not in ("id", "created_at", "updated_at")]
        if len([c for c in keys if c.foreign_keys]) >= 1 and not plain:
            found.add(table.name)
    return found


def test_every_link_table_is_read_as_a_list_of_its_parent() -> None:
    """A link table left out of history.LINK_LISTS would change unseen in the history."""
    covered = {spec.link.__tablename__ for spec in history.LINK_LISTS}  # type: ignore[attr-defined]
    assert _link_tables() >= {"contact_focus_area", "case_defender", "trial_defendant"}  # the walk finds them
    assert _link_tables() == covered


def test_changes_to_lists_appear_in_the_parent_record_history(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        ana = contacts.create_contact(s, {"name": "Ana", "codename": "Heron-101"}, ["labour", "land_environment"])
        ben = contacts.create_contact(s, {"name": "Ben", "codename": "Cedar-202"})
        case = threats.open_case(s, {"title": "Case"}, [ana], ["surveillance"], plan=False)
        trial = trials.create_trial(s, {"title": "Trial"}, [ana])
    with opened.store.session() as s:  # nothing recorded for lists made with the record
        assert history.changes(s, base.get(s, Contact, ana.id)) == []
        assert history.changes(s, base.get(s, ThreatCase, case.id)) == []
    with opened.store.session() as s:
        contacts.set_focus_areas(s, base.get(s, Contact, ana.id), ["labour", "journalism_media"])
        threats.update_case(
            s,
            base.get(s, ThreatCase, case.id),
            {},
            defenders=[base.get(s, Contact, ana.id), base.get(s, Contact, ben.id)],
            threat_types=["surveillance"],
        )
        trials.update_trial(s, base.get(s, Trial, trial.id), {}, [base.get(s, Contact, ben.id)])
    with opened.store.session() as s:
        areas = [(c.field, c.before, c.after) for c in history.changes(s, base.get(s, Contact, ana.id))]
        label = {
            code: reference.label("focus_area", code) for code in ("labour", "land_environment", "journalism_media")
        }
        assert areas == [
            (
                "focus_areas",
                [label["land_environment"], label["labour"]],  # in the form's order
                [label["labour"], label["journalism_media"]],
            )
        ]
        on_case = [(c.field, c.before, c.after) for c in history.changes(s, base.get(s, ThreatCase, case.id))]
        assert on_case == [("defenders", ["Heron-101"], ["Cedar-202", "Heron-101"])]  # threat types: unchanged
        on_trial = [(c.field, c.before, c.after) for c in history.changes(s, base.get(s, Trial, trial.id))]
        assert on_trial == [("defendants", ["Heron-101"], ["Cedar-202"])]
        kept = history.versions(s, "contact", ana.id)[-1]
        assert kept.kind == history.LISTS and base.get(s, Contact, ana.id).updated_at == kept.changed_at  # an edit


def test_a_column_and_a_list_changed_one_after_the_other_each_read_right(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        ana = contacts.create_contact(s, {"name": "Ana", "role": "Organiser"}, ["labour"])
    for step in ({"role": "Coordinator"}, ["land_environment"], {"role": "Director"}):
        with opened.store.session() as s:
            c = base.get(s, Contact, ana.id)
            contacts.update_contact(s, c, step) if isinstance(step, dict) else contacts.set_focus_areas(s, c, step)
    with opened.store.session() as s:
        found = [(c.field, c.before, c.after) for c in history.changes(s, base.get(s, Contact, ana.id))]
    labour, land = reference.label("focus_area", "labour"), reference.label("focus_area", "land_environment")
    assert found == [
        ("role", "Coordinator", "Director"),
        ("focus_areas", [labour], [land]),
        ("role", "Organiser", "Coordinator"),
    ]


def test_after_a_purge_an_edited_record_does_not_claim_it_never_changed(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        edited = contacts.create_contact(s, {"name": "Edited"})
        untouched = contacts.create_contact(s, {"name": "Untouched"})
        s.connection().execute(
            text("UPDATE contact SET created_at = :t, updated_at = :t"), {"t": utcnow() - timedelta(days=200)}
        )
    with wallclock.frozen(utcnow() - timedelta(days=100)), opened.store.session() as s:
        contacts.update_contact(s, base.get(s, Contact, edited.id), {"name": "Edited twice"})
    with opened.store.session() as s:
        assert history.history_of(s, base.get(s, Contact, edited.id)).earlier_not_kept is False
        history.purge(s, 90)
    with opened.store.session() as s:
        after = history.history_of(s, base.get(s, Contact, edited.id))
        assert after.changes == [] and after.kept == 0 and after.earlier_not_kept
        assert not history.history_of(s, base.get(s, Contact, untouched.id)).earlier_not_kept


def test_values_read_as_the_officer_reads_them(monkeypatch: Any) -> None:
    import time

    from hrd_tui.models import Hearing

    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        assert history.text(Hearing, "starts_at", "2026-11-28T09:30:00+00:00") == "2026-11-28 22:30"  # local, not UTC
        assert history.text(Hearing, "starts_at", "2026-11-28T09:30:00") == "2026-11-28 22:30"  # stored naive: UTC
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert history.text(ThreatCase, "urgency", "emergency") == reference.label("urgency", "emergency")
    assert history.text(Contact, "tags", ["a", "b"]) == "a, b"
    assert history.text(Referral, "shared", ["identity", "case_facts"]) == (
        "Name and identity, What happened: the threats and the case"
    )
    assert history.text(Contact, "direct_contact_safe", False) == "no"
    assert history.text(Contact, "email", None) == "-" and history.text(Contact, "email", "") == "-"
    assert history.source_text("") == "you"
    assert history.source_text("handover merge from Post A") == "handover merge from Post A"


def test_a_new_codename_is_one_change_not_two(opened: vault.Vault) -> None:
    """codename_key follows the codename: the history shows the codename's change only."""
    with opened.store.session() as s:
        c = contacts.create_contact(s, {"name": "Ana", "codename": "Heron-101"})
    with opened.store.session() as s:
        contacts.update_contact(s, base.get(s, Contact, c.id), {"codename": "Egret-404"})
    with opened.store.session() as s:
        assert [(ch.field, ch.before, ch.after) for ch in history.changes(s, base.get(s, Contact, c.id))] == [
            ("codename", "Heron-101", "Egret-404")
        ]


def test_list_changes_say_where_they_came_from(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        c = contacts.create_contact(s, {"name": "Ana"}, ["labour"])
    with opened.store.session() as s:
        s.info["change_source"] = "handover merge from Post A"
        contacts.set_focus_areas(s, base.get(s, Contact, c.id), ["labour", "trafficking"])
    with opened.store.session() as s:
        assert [(ch.field, ch.source) for ch in history.changes(s, base.get(s, Contact, c.id))] == [
            ("focus_areas", "handover merge from Post A")
        ]


def test_versions_an_older_vault_kept_read_as_the_officers_own_edits() -> None:
    """Migration 0005: every version already kept is a record's columns, edited here."""
    import sqlcipher3
    from sqlalchemy import create_engine

    from hrd_tui import migrations

    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    with engine.begin() as conn:
        migrations.upgrade(conn, "0004")
        conn.execute(
            text(
                "INSERT INTO record_version (entity, entity_id, changed_at, deleted, data) "
                "VALUES ('contact', 'c1', '2025-01-01 00:00:00', 0, '{\"name\": \"Ana\"}')"
            )
        )
        migrations.upgrade(conn, migrations.head_revision())
        assert conn.execute(text("SELECT kind, source FROM record_version")).all() == [("", "")]
