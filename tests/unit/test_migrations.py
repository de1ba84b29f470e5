"""Schema migrations: an old vault is backed up, then upgraded, when it opens."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import PASSPHRASE
from sqlalchemy import create_engine, text

from hrd_tui import keyslots, migrations, vault
from hrd_tui.models import metadata
from hrd_tui.paths import atomic_write, make_private_dir
from hrd_tui.services import contacts
from hrd_tui.store import Store
from hrd_tui.vault import Secret


def make_vault_at_first_revision(vault_dir: Path) -> None:
    """A vault as the first release wrote it: schema 0001, no search index."""
    make_private_dir(vault_dir)
    header, key = keyslots.new_header(PASSPHRASE.encode(), keyslots.new_recovery_code(), keyslots.calibrate())
    store = Store(vault_dir / vault.DB_NAME, keyslots.database_key(key))
    with store.session() as session:
        conn = session.connection()
        migrations.upgrade(conn, migrations.all_revisions()[0])
        conn.execute(
            text(
                "INSERT INTO contact (id, created_at, updated_at, kind, name, codename, languages, tags, "
                "direct_contact_safe, notes) VALUES ('c1', '2025-01-01 00:00:00', '2025-01-01 00:00:00', "
                "'defender', 'Émile Zola-Ndiaye', 'Heron-101', '[]', '[]', 1, '')"
            )
        )
    store.close()
    atomic_write(vault_dir / vault.HEADER_NAME, header.to_bytes(key))


def test_an_old_vault_is_backed_up_then_upgraded(vault_dir: Path) -> None:
    make_vault_at_first_revision(vault_dir)
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:
        assert v.migrated_from == "0001"
        assert v.schema_revision() == migrations.head_revision()
        with v.store.session() as s:
            assert [c.name for c in contacts.list_contacts(s, "emile")] == ["Émile Zola-Ndiaye"]  # indexed on upgrade
        assert v.check() == []
    backups = list((vault_dir / vault.BACKUPS_NAME).iterdir())
    assert len(backups) == 1 and backups[0].name.startswith("pre-upgrade-0001-")
    with vault.unlock(backups[0], Secret(PASSPHRASE), readonly=True) as old:  # a backup is left as taken
        assert old.needs_upgrade
        with old.store.session() as s:
            assert migrations.current_revision(s.connection()) == "0001"
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:  # second open: nothing to do
        assert v.migrated_from is None


def test_a_vault_from_a_newer_release_is_refused(vault_dir: Path, opened: vault.Vault) -> None:
    with opened.store.session() as s:
        s.connection().execute(text("UPDATE alembic_version SET version_num = '9999'"))
    opened.close()

    with pytest.raises(vault.VaultDamaged, match="newer hrd-tui"):
        vault.unlock(vault_dir, Secret(PASSPHRASE))


def _engine_at_head(made_by: str) -> Any:
    """An in-memory database at head: walked through every revision, or made at once as a new vault is."""
    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    with engine.begin() as conn:
        if made_by == "chain":
            migrations.upgrade(conn, migrations.head_revision())
        else:
            migrations.create_head(conn)
    return engine


def test_models_and_migrations_agree() -> None:
    with _engine_at_head("chain").connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": migrations.include_object})
        diff = compare_metadata(context, metadata)
    assert diff == []


def _checks(sql: str) -> list[str]:
    """A table's named CHECK constraints as SQLite keeps them."""
    checks = re.findall(r"CONSTRAINT (\w+ CHECK \(.*?\))(?:,|\n|\)$)", sql, re.DOTALL)
    return sorted(re.sub(r"\s+", " ", c) for c in checks)


def _schema(conn: Any) -> dict[str, dict[str, Any]]:
    """Every object in the database as SQLite describes it, column order aside (the
    code names columns; a rebuilt table may list an added one elsewhere)."""
    found: dict[str, dict[str, Any]] = {}
    rows = conn.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    for kind, name, table, sql in rows.all():
        entry: dict[str, Any] = {"type": kind, "table": table}
        if kind == "table" and not sql.upper().startswith("CREATE VIRTUAL"):
            entry["columns"] = sorted(tuple(r[1:6]) for r in conn.exec_driver_sql(f'PRAGMA table_xinfo("{name}")'))
            entry["foreign_keys"] = sorted(
                tuple(r[2:]) for r in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{name}")')
            )
            entry["checks"] = _checks(sql)
            entry["unique"] = sorted(
                (origin, tuple(c[2] for c in conn.exec_driver_sql(f'PRAGMA index_info("{index}")')))
                for _, index, _, origin, _ in conn.exec_driver_sql(f'PRAGMA index_list("{name}")')
                if origin != "c"
            )
        elif kind == "index":
            entry["columns"] = [r[2] for r in conn.exec_driver_sql(f'PRAGMA index_xinfo("{name}")') if r[5]]
            entry["unique"] = " UNIQUE " in sql.upper()
            entry["where"] = re.sub(r"\s+", " ", sql.split(" WHERE ", 1)[1]) if " WHERE " in sql else None
        else:
            entry["sql"] = re.sub(r"\s+", " ", sql)
        found[name] = entry
    return found


def test_a_new_vault_is_made_with_the_schema_the_migrations_make() -> None:
    """A new vault is made at head in one pass (migrations.create_head), not by walking
    the chain: every table, column, key, index, CHECK and the search index must be as
    the chain leaves them, or a new vault and an upgraded one would differ."""
    with _engine_at_head("chain").connect() as a, _engine_at_head("one pass").connect() as b:
        chain, one_pass = _schema(a), _schema(b)
        assert [r[0] for r in a.exec_driver_sql("SELECT version_num FROM alembic_version")] == [
            migrations.head_revision()
        ]
        assert [r[0] for r in b.exec_driver_sql("SELECT version_num FROM alembic_version")] == [
            migrations.head_revision()
        ]
    assert chain["referral"]["checks"] and any("consent_gate" in c for c in chain["case_action"]["checks"])
    assert chain["search_contact"]["type"] == "table" and "search_map" in chain  # the walk sees the index
    assert sorted(one_pass) == sorted(chain)
    for name in chain:
        assert one_pass[name] == chain[name], name


def test_create_head_is_for_an_empty_database_only() -> None:
    with _engine_at_head("chain").begin() as conn:
        with pytest.raises(ValueError, match="empty database"):
            migrations.create_head(conn)


def test_sent_referrals_of_an_older_vault_get_a_justification() -> None:
    """Referrals sent before the gate covered them say so, instead of failing the upgrade."""
    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    with engine.begin() as conn:
        migrations.upgrade(conn, "0002")
        stamp = "'2025-01-01 00:00:00'"
        conn.execute(
            text(
                f"INSERT INTO threat_case (id, created_at, updated_at, title, status, urgency, perpetrator, "
                f"perpetrator_note, summary, opened_on, outcome) VALUES ('k1', {stamp}, {stamp}, 'Case', 'new', "
                f"'urgent', 'unknown', '', '', '2025-01-01', '')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO resource (id, name, kind, funds, eligibility, how_to_refer, url) "
                "VALUES ('lifeline', 'Lifeline', '', '', '', '', '')"
            )
        )
        for rid, status in (("r1", "sent"), ("r2", "draft")):
            conn.execute(
                text(
                    f"INSERT INTO referral (id, created_at, updated_at, case_id, resource_id, purpose, status, "
                    f"currency, outcome) VALUES ('{rid}', {stamp}, {stamp}, 'k1', 'lifeline', 'medical', "
                    f"'{status}', 'USD', '')"
                )
            )
        migrations.upgrade(conn, migrations.head_revision())
        rows = dict(conn.execute(text("SELECT id, emergency_justification FROM referral")).all())
    assert rows["r1"].startswith("Recorded before referrals asked for consent") and rows["r2"] == ""


def test_act_on_behalf_granted_becomes_three_scopes_and_the_case_timeline_says_so() -> None:
    """Issue 18: a granted "act on behalf" becomes the private démarche, referral and
    trial attendance consents (never public statements, never sharing with missions);
    each on-behalf action gets the consent it needs; the case's timeline says what was done."""
    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    stamp = "'2025-01-01 00:00:00'"
    with engine.begin() as conn:
        migrations.upgrade(conn, "0006")
        for cid, code in (("c1", "Heron-1"), ("c2", "Kite-2")):
            conn.execute(
                text(
                    f"INSERT INTO contact (id, created_at, updated_at, kind, name, codename, codename_key, languages, "
                    f"tags, direct_contact_safe, notes) VALUES ('{cid}', {stamp}, {stamp}, 'defender', '{code}', "
                    f"'{code}', '{code.lower()}', '[]', '[]', 1, '')"
                )
            )
        consents = (("r1", "c1", "granted", "2025-01-02"), ("r2", "c2", "granted", "2025-01-02"))
        consents += (("r3", "c2", "refused", "2025-01-05"),)  # Kite-2 took it back: nothing carried over
        for rid, cid, value, given in consents:
            conn.execute(
                text(
                    f"INSERT INTO consent_record (id, created_at, updated_at, contact_id, scope, value, given_on, how, "
                    f"note) VALUES ('{rid}', {stamp}, {stamp}, '{cid}', 'act_on_behalf', '{value}', '{given}', "
                    f"'Signal', '')"
                )
            )
        conn.execute(
            text(
                f"INSERT INTO threat_case (id, created_at, updated_at, title, status, urgency, perpetrator, "
                f"perpetrator_note, summary, opened_on, outcome) VALUES ('k1', {stamp}, {stamp}, 'Case', 'new', "
                f"'urgent', 'unknown', '', '', '2025-01-01', '')"
            )
        )
        conn.execute(text("INSERT INTO case_defender (case_id, contact_id) VALUES ('k1', 'c1')"))
        actions = (
            ("a1", "threat-immediate:public-statement", "Issue public statements", 1),
            ("a2", None, "Call the ministry", 1),
            ("a3", None, "Joint press statement with Norland", 1),
            ("a4", None, "Read the file", 0),
        )
        for aid, item, title, behalf in actions:
            conn.execute(
                text(
                    "INSERT INTO case_action (id, created_at, updated_at, case_id, title, template_item, category, "
                    "status, owner, note, on_behalf, emergency_justification) VALUES (:id, :at, :at, 'k1', :title, "
                    ":item, 'free', 'planned', 'HRO', '', :behalf, '')"
                ),
                {"id": aid, "at": "2025-01-01 00:00:00", "title": title, "item": item, "behalf": behalf},
            )
        migrations.upgrade(conn, migrations.head_revision())
        scopes = conn.execute(text("SELECT contact_id, scope, value, given_on, how FROM consent_record")).all()
        needs = dict(conn.execute(text("SELECT id, consent_scope FROM case_action")).all())
        events = [t for (t,) in conn.execute(text("SELECT text FROM timeline_event WHERE case_id = 'k1'"))]
    heron = {(scope, value, str(given), how) for cid, scope, value, given, how in scopes if cid == "c1"}
    carried = {(s, "granted", "2025-01-02", "Signal") for s in ("private_demarche", "referral", "trial_attendance")}
    assert heron == {("act_on_behalf", "granted", "2025-01-02", "Signal"), *carried}
    assert {scope for cid, scope, *_ in scopes if cid == "c2"} == {"act_on_behalf"}
    assert needs == {"a1": "public_statement", "a2": "private_demarche", "a3": "public_statement", "a4": None}
    event, named = sorted(events)  # 0007's carry-over, then 0009's: the carried referral grant names no resource
    assert named == (
        "Consent now names who receives what (upgrade). Heron-1: their referral consent (granted 2025-01-02) "
        "names no resource and lists nothing to share: record which resources they agreed to and what may be "
        "shared before the next referral."
    )
    assert "Heron-1's consent to act on their behalf (granted 2025-01-02)" in event
    assert "NOT for public statements or sharing with other missions" in event
    assert "1 raising privately with the authorities (by default: nothing else matched)" in event
    assert "1 public statements (from its guidelines item)" in event and "Kite-2" not in event


def test_fair_trial_runs_of_an_older_vault_get_no_finding_and_keep_their_version() -> None:
    """0006: an item's state is never turned into a finding (nothing recorded says what was
    found), a trial has no conclusion yet, and a run of fair-trial version 1 stays on it when
    version 2 (three more items) is added beside it."""
    import json

    from sqlalchemy.exc import IntegrityError
    from sqlmodel import Session

    from hrd_tui.models import ChecklistRun
    from hrd_tui.services import checklists, reference

    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    stamp = "2025-01-01 00:00:00"
    with engine.begin() as conn:
        migrations.upgrade(conn, "0005")
        items = [{"id": f"item-{n}", "text": f"Right {n}", "guidance": ""} for n in range(17)]
        conn.execute(
            text(
                "INSERT INTO checklist_template (id, version, title, section, builtin, items, loaded_at) "
                "VALUES ('fair-trial', 1, 'Fair-trial observation', '', 1, :items, :at)"
            ),
            {"items": json.dumps(items), "at": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO trial (id, created_at, updated_at, title, court, case_number, charges, counsel, status, "
                "notes) VALUES ('t1', :at, :at, 'Prosecutor v. X', '', '', '', '', 'ongoing', '')"
            ),
            {"at": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO checklist_run (id, created_at, updated_at, template_id, template_version, title, "
                "trial_id) VALUES ('r1', :at, :at, 'fair-trial', 1, 'Fair-trial observation', 't1')"
            ),
            {"at": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO checklist_item_state (id, created_at, updated_at, run_id, item_id, status, note) "
                "VALUES ('s1', :at, :at, 'r1', 'item-6', 'done', 'no cage today')"
            ),
            {"at": stamp},
        )
        migrations.upgrade(conn, migrations.head_revision())
        state = conn.execute(text("SELECT status, note, finding FROM checklist_item_state")).one()
        conclusion = conn.execute(text("SELECT conclusion FROM trial WHERE id = 't1'")).scalar_one()
    assert tuple(state) == ("done", "no cage today", None) and conclusion == ""
    with engine.connect() as conn:
        try:
            conn.execute(text("UPDATE checklist_item_state SET finding = 'guilty'"))
            raise AssertionError("a finding outside the vocabulary was stored")
        except IntegrityError:
            conn.rollback()
    with Session(engine) as s:
        reference.sync(s)
        s.commit()
        run = s.get(ChecklistRun, "r1")
        assert run is not None and checklists.template_of(s, run).version == 1
        assert checklists.latest_template(s, "fair-trial").version == 2
        assert len(checklists.template_of(s, run).items) == 17


def test_risk_assessments_of_an_older_vault_keep_their_level_under_rule_version_1() -> None:
    """0008 (issue 18): an assessment made before the floors keeps the level it was given
    (never recomputed, 5/5/5 stays medium) and is marked as made under rule 1."""
    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    stamp = "'2025-01-01 00:00:00'"
    with engine.begin() as conn:
        migrations.upgrade(conn, "0007")
        conn.execute(
            text(
                f"INSERT INTO threat_case (id, created_at, updated_at, title, status, urgency, perpetrator, "
                f"perpetrator_note, summary, opened_on, outcome) VALUES ('k1', {stamp}, {stamp}, 'Case', 'new', "
                f"'urgent', 'unknown', '', '', '2025-01-01', '')"
            )
        )
        for rid, (t, v, c), level in (("a1", (5, 5, 5), "medium"), ("a2", (2, 2, 2), "low")):
            conn.execute(
                text(
                    f"INSERT INTO risk_assessment (id, created_at, updated_at, case_id, assessed_on, threat, "
                    f"vulnerability, capacity, risk_level, reasoning) VALUES ('{rid}', {stamp}, {stamp}, 'k1', "
                    f"'2025-01-01', {t}, {v}, {c}, '{level}', 'Held.')"
                )
            )
        migrations.upgrade(conn, migrations.head_revision())
        rows = {
            r[0]: tuple(r[1:]) for r in conn.execute(text("SELECT id, risk_level, rule_version FROM risk_assessment"))
        }
    assert rows == {"a1": ("medium", 1), "a2": ("low", 1)}
