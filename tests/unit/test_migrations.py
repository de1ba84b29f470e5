"""Schema migrations: an old vault is backed up, then upgraded, when it opens."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import PASSPHRASE
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import IntegrityError

from hrd_tui import demo, keyslots, migrations, vault
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


def _explicit_engine() -> Any:
    """An in-memory database whose transactions are explicit BEGINs, as the app's are
    (store.make_engine): pysqlite's own implicit BEGIN leaves DDL, and what PRAGMA
    defer_foreign_keys covers, outside the transaction a migration runs in."""
    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2, connect_args={"isolation_level": None})
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def _foreign_keys(conn: Any, on: bool) -> None:
    """PRAGMA foreign_keys, between transactions (inside one SQLite ignores it)."""
    assert not conn.in_transaction()
    dbapi = conn.connection.dbapi_connection
    dbapi.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
    assert dbapi.execute("PRAGMA foreign_keys").fetchone()[0] == on


_AT = "2025-01-01 00:00:00"
#: What the rows below share, by table (the 0006 columns with no default).
_FILLED: dict[str, dict[str, Any]] = {
    "contact": {"kind": "defender", "languages": "[]", "tags": "[]", "direct_contact_safe": 1, "notes": ""},
    "consent_record": {"value": "granted", "given_on": "2026-02-01", "how": "In person", "note": ""},
    "threat_case": {"status": "new", "urgency": "urgent", "perpetrator": "unknown", "perpetrator_note": ""},
    "case_action": {"case_id": "k1", "category": "free", "owner": "HRO", "note": "", "on_behalf": 1},
    "referral": {"case_id": "k1", "resource_id": "lifeline", "purpose": "medical", "currency": "USD", "outcome": ""},
    "resource": {"kind": "", "funds": "", "eligibility": "", "how_to_refer": "", "url": ""},
}


def _insert(conn: Any, table: str, **row: Any) -> None:
    if table in ("case_action", "referral"):
        row = {"emergency_justification": "", **row}
    stamps = {} if table in ("resource", "case_defender") else {"created_at": _AT, "updated_at": _AT}
    row = {**stamps, **_FILLED.get(table, {}), **row}
    conn.execute(text(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(':' + n for n in row)})"), row)


def _vault_at_0006(conn: Any) -> None:
    """Heron-1 and Kite-2 gave consent to act on their behalf, Finch-3 none; one case for
    all three, a done action on Heron-1's behalf and a sent referral, both resting on it."""
    migrations.upgrade(conn, "0006")
    for cid, code in (("c1", "Heron-1"), ("c2", "Kite-2"), ("c3", "Finch-3")):
        _insert(conn, "contact", id=cid, name=code, codename=code, codename_key=code.lower())
    for rid, cid in (("r1", "c1"), ("r2", "c2")):
        _insert(conn, "consent_record", id=rid, contact_id=cid, scope="act_on_behalf", given_on="2025-01-02")
    _insert(conn, "consent_record", id="n1", contact_id="c1", scope="naming", value="anonymised", given_on="2025-01-02")
    _insert(conn, "threat_case", id="k1", title="Case", summary="", opened_on="2025-01-01", outcome="")
    for cid in ("c1", "c2", "c3"):
        _insert(conn, "case_defender", case_id="k1", contact_id=cid)
    _insert(conn, "resource", id="lifeline", name="Lifeline")
    _action(conn, "a1", "Call the ministry", "r1")
    _referral(conn, "f1", "sent", "r1")


def _action(conn: Any, aid: str, title: str, consent: str | None, status: str = "done", **more: Any) -> None:
    _insert(conn, "case_action", id=aid, title=title, status=status, consent_record_id=consent, **more)


def _referral(conn: Any, fid: str, status: str, consent: str | None, **more: Any) -> None:
    sent_on = "2025-01-03" if status == "sent" else None
    _insert(conn, "referral", id=fid, status=status, sent_on=sent_on, consent_record_id=consent, **more)


def _consent(conn: Any, rid: str, contact: str, scope: str, value: str = "granted", **more: Any) -> None:
    _insert(conn, "consent_record", id=rid, contact_id=contact, scope=scope, value=value, **more)


def _rows(conn: Any, sql: str) -> dict[str, tuple[Any, ...]]:
    return {r[0]: tuple(r[1:]) for r in conn.exec_driver_sql(sql)}


def test_consent_by_kind_downgrades_to_0006_with_foreign_keys_on_and_upgrades_again() -> None:
    """0009's and 0007's downgrades, on a vault used at head: what the older schema
    cannot hold goes (the new kinds of consent, the names of who receives what) without
    widening a consent, every row that rested on a deleted consent still passes the
    older consent gate, and every reference still resolves (foreign_key_check)."""
    engine = _explicit_engine()
    with engine.connect() as conn:
        # Schema changes run with foreign keys off, as Store.schema_session runs them (a
        # rebuilt table is dropped, and with them on its drop cascades or is refused).
        _foreign_keys(conn, on=False)
        with conn.begin():
            _vault_at_0006(conn)
            migrations.upgrade(conn, "head")
        _foreign_keys(conn, on=True)
        with conn.begin():  # what only the new schema holds
            _consent(conn, "p1", "c1", "public_statement")
            _consent(conn, "p3", "c3", "public_statement")
            _consent(conn, "q1", "c1", "referral", resource_ids='["lifeline"]', shared='["identity", "health"]')
            _consent(conn, "q3", "c3", "referral", resource_ids='["lifeline"]', shared='["case_facts"]')
            _consent(conn, "w2", "c2", "act_on_behalf", "withdrawn")  # Kite-2 took it back
            _consent(conn, "m1", "c1", "share_with_missions", ends_on="2026-12-31", missions='["Norland"]')
            _action(conn, "a2", "Joint press statement", "p1", consent_scope="public_statement")
            _action(conn, "a3", "Post on social media", "p3", consent_scope="public_statement")
            _action(conn, "a4", "Statement at the hearing", "p3", "planned", consent_scope="public_statement")
            _referral(conn, "f2", "sent", "q1", shared='["health"]')
            _referral(conn, "f3", "draft", "q3", shared='["case_facts"]')
        _foreign_keys(conn, on=False)
        with conn.begin():
            command.downgrade(migrations._config(conn), "0006")
        with conn.begin():
            assert migrations.current_revision(conn) == "0006"
            downgraded = _schema(conn)
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            consents = _rows(conn, "SELECT id, contact_id, scope, value, given_on, note FROM consent_record")
            actions = _rows(conn, "SELECT id, consent_record_id, emergency_justification, status FROM case_action")
            referrals = _rows(conn, "SELECT id, consent_record_id, emergency_justification, status FROM referral")
            contacts = [r[0] for r in conn.exec_driver_sql("SELECT codename FROM contact ORDER BY id")]
            cases = conn.exec_driver_sql("SELECT case_id, contact_id FROM case_defender ORDER BY contact_id").all()

        _foreign_keys(conn, on=False)  # again for 0007's upgrade
        with conn.begin():
            migrations.upgrade(conn, "head")
        _foreign_keys(conn, on=True)
        with conn.begin():
            assert migrations.current_revision(conn) == migrations.head_revision()
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            again = _rows(conn, "SELECT id, contact_id, scope, value FROM consent_record")
            needs = _rows(conn, "SELECT id, consent_scope FROM case_action")

    with _explicit_engine().begin() as fresh:
        migrations.upgrade(fresh, "0006")
        straight = _schema(fresh)
    assert sorted(downgraded) == sorted(straight)
    for name in straight:
        assert downgraded[name] == straight[name], name

    assert contacts == ["Heron-1", "Kite-2", "Finch-3"] and cases == [("k1", "c1"), ("k1", "c2"), ("k1", "c3")]
    assert {rid: row[:3] for rid, row in consents.items()} == {
        "r1": ("c1", "act_on_behalf", "granted"),
        "r2": ("c2", "act_on_behalf", "granted"),
        "n1": ("c1", "naming", "anonymised"),
        "w2": ("c2", "act_on_behalf", "refused"),  # deleted, it would bring back Kite-2's grant
        "m1": ("c1", "share_with_missions", "granted"),
    }
    assert "recorded as refused by a downgrade" in consents["w2"][4]
    assert consents["m1"][4] == "Ends on 2026-12-31."  # the older schema has no end date
    assert consents["r1"][3:] == ("2025-01-02", "")
    # Heron-1's: back on their consent to act on their behalf, as before 0007.
    assert actions["a1"] == ("r1", "", "done") and actions["a2"] == ("r1", "", "done")
    assert referrals["f1"] == ("r1", "", "sent") and referrals["f2"] == ("r1", "", "sent")
    # Finch-3 never gave it: a planned action and a draft pass the older gate without
    # one; a done action says what it rested on.
    assert actions["a4"] == (None, "", "planned") and referrals["f3"] == (None, "", "draft")
    assert actions["a3"][0] is None and actions["a3"][2] == "done"
    assert actions["a3"][1] == (
        "Rested on their consent for public statements (granted 2026-02-01), a kind of consent this "
        "version of hrd-tui does not record (downgrade)."
    )
    # Upgraded again: Heron-1's grant is carried over again; Kite-2's withdrawal holds.
    heron = {row[1] for row in again.values() if row[0] == "c1" and row[2] == "granted"}
    assert heron == {"act_on_behalf", "share_with_missions", "private_demarche", "referral", "trial_attendance"}
    assert {row[1] for row in again.values() if row[0] == "c2"} == {"act_on_behalf"}
    assert needs["a2"] == ("public_statement",) and needs["a1"] == ("private_demarche",)


@pytest.fixture(scope="module")
def demo_rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Every row of the demo vault at head, as SQLite stores it, by table (the search
    index aside: it is rebuilt after every upgrade)."""
    opened, _ = vault.create(tmp_path_factory.mktemp("demo") / "v", PASSPHRASE)
    with opened:
        with opened.store.session() as s:
            assert demo.populate(s)
        with opened.store.raw() as conn:
            conn.row_factory = sqlcipher3.dbapi2.Row
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_%' "
                    "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
                )
            ]
            rows = {name: [dict(r) for r in conn.execute(f'SELECT * FROM "{name}"')] for name in names}
            conn.row_factory = None
    return rows


def _vault_at(vault_dir: Path, revision: str, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """A vault left at ``revision`` holding what of ``rows`` that schema can hold (the
    columns it has; a value of a later vocabulary refused by its CHECK is left out, and
    so is whatever then refers to nothing). Returns its row counts."""
    make_private_dir(vault_dir)
    header, key = keyslots.new_header(PASSPHRASE.encode(), keyslots.new_recovery_code(), keyslots.calibrate())
    store = Store(vault_dir / vault.DB_NAME, keyslots.database_key(key))
    with store.schema_session("making an older vault") as session:
        conn = session.connection()
        migrations.upgrade(conn, revision)
        for table, table_rows in rows.items():
            columns = {r[1] for r in conn.exec_driver_sql(f'PRAGMA table_info("{table}")')}
            for row in table_rows if columns else ():
                kept = {k: v for k, v in row.items() if k in columns}
                try:
                    with conn.begin_nested():
                        conn.execute(
                            text(
                                f'INSERT INTO "{table}" ({", ".join(kept)}) VALUES ({", ".join(":" + k for k in kept)})'
                            ),
                            kept,
                        )
                except IntegrityError:
                    pass
        while broken := conn.exec_driver_sql("PRAGMA foreign_key_check").all():
            for table, rowid, *_ in broken:
                conn.exec_driver_sql(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
        counts = _counts(conn)
    store.close()
    atomic_write(vault_dir / vault.HEADER_NAME, header.to_bytes(key))
    return counts


def _counts(conn: Any) -> dict[str, int]:
    names = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_%' AND name NOT LIKE 'sqlite_%'"
    ).all()
    return {name: conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar() for (name,) in names}


@pytest.mark.parametrize("revision", ["0001", "0003", "0005", "0006", "0008"])
def test_an_upgrade_loses_no_record(tmp_path: Path, demo_rows: dict[str, list[dict[str, Any]]], revision: str) -> None:
    """A vault at an older revision, holding the demo's records, opened by this hrd-tui:
    every table keeps every row. Migrations rebuild tables (SQLite alters by copying),
    and with foreign keys on a rebuilt table's drop deleted what referred to it: a vault
    at 0003 came out of the upgrade with no channel and no consent left (ON DELETE
    CASCADE from contact), one at 0006 did not open at all (RESTRICT from consent_record)."""
    before = _vault_at(tmp_path / "v", revision, demo_rows)
    assert before["contact"] >= 10 and before["secure_channel"] >= 10 and before["consent_record"] >= 10
    assert before["case_defender"] and before["hearing"] and before["case_action"]  # each rebuilt table's children
    with vault.unlock(tmp_path / "v", Secret(PASSPHRASE)) as opened:
        assert opened.migrated_from == revision and opened.schema_revision() == migrations.head_revision()
        with opened.store.session() as s:
            after = _counts(s.connection())
            assert s.connection().exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert opened.check() == []
    lost = {table: (n, after.get(table)) for table, n in before.items() if after.get(table, 0) < n}
    assert lost == {}


def test_attacks_of_a_vault_before_0011_are_kept_and_counted_without_investigation(tmp_path: Path) -> None:
    """0011 (issue 19, part B) adds accountability_step: a vault at 0010 keeps its cases and
    observations, has no step, and its attacks older than the policy's days are counted
    as without investigation (what the vault knows); a step can then be recorded."""
    from datetime import date, timedelta

    from hrd_tui.services import accountability

    day = date(2026, 11, 28)
    old = (day - timedelta(days=accountability.policy().investigation_days)).isoformat()
    stamp = "2025-01-01 00:00:00"
    rows: dict[str, list[dict[str, Any]]] = {
        "threat_case": [
            {"id": "k1", "created_at": stamp, "updated_at": stamp, "title": "Beaten", "status": "new",
             "urgency": "urgent", "perpetrator": "unknown", "perpetrator_note": "", "summary": "",
             "opened_on": old, "outcome": ""}
        ],
        "case_threat_type": [{"case_id": "k1", "threat_type": "physical_attack"}],
        "civic_observation": [
            {"id": "o1", "created_at": stamp, "updated_at": stamp, "observed_on": old,
             "category": "attacks_reprisals", "description": "Office burnt", "location": None,
             "location_sensitive": 1, "links": "[]"}
        ],
    }  # fmt: skip
    before = _vault_at(tmp_path / "v", "0010", rows)
    assert before["threat_case"] == 1 and before["civic_observation"] == 1 and "accountability_step" not in before
    with vault.unlock(tmp_path / "v", Secret(PASSPHRASE)) as opened:
        assert opened.migrated_from == "0010"
        with opened.store.session() as s:
            assert _counts(s.connection())["accountability_step"] == 0
            found = accountability.without_investigation(s, day, discreet=False)
            assert [(a.kind, a.record_id, a.state(day)) for a in found] == [
                ("case", "k1", "No step recorded"),
                ("observation", "o1", "No step recorded"),
            ]
            accountability.add_step(s, {"step": "investigation_opened", "source": "Police"}, case_id="k1")
            assert [a.record_id for a in accountability.without_investigation(s, day, discreet=False)] == ["o1"]
        assert opened.check() == []


def test_plan_settings_start_empty_on_an_older_vault_and_downgrade_cleanly() -> None:
    """0015 (issue 19): a vault from before the post's plan has none: its cases keep their
    actions, new ones plan with the app's suggestions. Down and up again leaves no trace."""
    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    stamp = "'2025-01-01 00:00:00'"
    with engine.begin() as conn:
        migrations.upgrade(conn, "0014")
        conn.execute(
            text(
                f"INSERT INTO threat_case (id, created_at, updated_at, title, status, urgency, perpetrator, "
                f"perpetrator_note, summary, opened_on, outcome) VALUES ('k1', {stamp}, {stamp}, 'Case', 'new', "
                f"'urgent', 'unknown', '', '', '2025-01-01', '')"
            )
        )
        migrations.upgrade(conn, migrations.head_revision())
        assert conn.execute(text("SELECT count(*) FROM plan_setting")).scalar() == 0
        conn.execute(
            text(
                f"INSERT INTO plan_setting (id, created_at, updated_at, template_id, item_id, owner, due_days) "
                f"VALUES ('p1', {stamp}, {stamp}, 'threat-immediate', 'meet-or-connect-securely', 'DCM', 1)"
            )
        )
        with pytest.raises(IntegrityError, match="ck_plan_setting_due"):
            conn.execute(
                text(
                    f"INSERT INTO plan_setting (id, created_at, updated_at, template_id, item_id, due_days) "
                    f"VALUES ('p2', {stamp}, {stamp}, 'threat-immediate', 'x', 3651)"
                )
            )
        with pytest.raises(IntegrityError, match="ck_plan_setting_due"):
            conn.execute(text("UPDATE plan_setting SET due_days = -1 WHERE id = 'p1'"))
        command.downgrade(migrations._config(conn), "0014")
        assert "plan_setting" not in _schema(conn)
        migrations.upgrade(conn, migrations.head_revision())
        assert conn.execute(text("SELECT count(*) FROM plan_setting")).scalar() == 0
        assert conn.execute(text("SELECT title FROM threat_case")).scalar() == "Case"


def test_report_layouts_an_older_vault_drafts_with_the_shipped_ones_and_keeps_the_post_s(tmp_path: Path) -> None:
    """0014 (issue 19, part E): a vault from before layouts has none of its own; upgraded,
    it keeps its records and drafts the Country Reports with the newest shipped edition's
    layout; a post's layout kept after it, down to 0013 and up again, leaves no trace."""
    from datetime import date

    from hrd_tui.services import report_layouts, reports

    stamp = "2025-01-01 00:00:00"
    rows = {
        "civic_observation": [
            {"id": "o1", "created_at": stamp, "updated_at": stamp, "observed_on": "2025-03-03",
             "category": "public_participation", "description": "Consultation law enforced", "location": None,
             "location_sensitive": 1, "links": "[]"}
        ],
    }  # fmt: skip
    before = _vault_at(tmp_path / "v", "0013", rows)
    assert before["civic_observation"] == 1 and "report_layout" not in before
    post = (report_layouts.text_of_shipped("crhrp-2024") or "").replace('id = "crhrp-2024"', 'id = "crhrp-2025"')
    post = post.replace("edition = 2024", "edition = 2025")
    with vault.unlock(tmp_path / "v", Secret(PASSPHRASE)) as opened:
        assert opened.migrated_from == "0013"
        with opened.store.session() as s:
            assert _counts(s.connection())["report_layout"] == 0
            draft = reports.render_report(s, "crhrp", date(2025, 3, 1), date(2025, 3, 31))
            assert "(crhrp-2024, shipped with hrd-tui)" in draft and "Consultation law enforced" in draft
            report_layouts.store(s, report_layouts.parse(post, "post.toml", reports.CONTENT_KEYS), post)
        with opened.store.session() as s:
            assert "(crhrp-2025, the post's own)" in reports.render_report(
                s, "crhrp", date(2025, 3, 1), date(2025, 3, 31)
            )
        assert opened.check() == []
    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    with engine.begin() as conn:
        migrations.upgrade(conn, migrations.head_revision())
        conn.execute(
            text(
                f"INSERT INTO report_layout (id, created_at, updated_at, key, report_type, edition, title, text) "
                f"VALUES ('l1', '{stamp}', '{stamp}', 'crhrp-2025', 'crhrp', 2025, 'Post', '')"
            )
        )
        with pytest.raises(IntegrityError, match="ck_report_layout_type"):
            conn.execute(
                text(
                    f"INSERT INTO report_layout (id, created_at, updated_at, key, report_type, edition, title, text) "
                    f"VALUES ('l2', '{stamp}', '{stamp}', 'regular-2025', 'regular', 2025, 'Post', '')"
                )
            )
        command.downgrade(migrations._config(conn), "0013")
        assert "report_layout" not in _schema(conn)
        migrations.upgrade(conn, migrations.head_revision())
        assert conn.execute(text("SELECT count(*) FROM report_layout")).scalar() == 0


def test_referrals_to_a_mechanism_of_an_older_vault_get_its_purpose_and_first_stage() -> None:
    """0012 (issue 19, part C): a referral to one of the shipped mechanisms that asked for
    no money and was not decided was recorded under a money purpose (there was no other):
    it becomes that mechanism's referral, at its first stage since the day it was sent if
    it was sent, and its case's timeline says so; one that asked money, or was decided,
    and a referral to a fund stay as recorded. The downgrade keeps a stage in words."""
    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    stamp = "'2025-01-01 00:00:00'"
    with engine.begin() as conn:
        migrations.upgrade(conn, "0011")
        conn.execute(
            text(
                f"INSERT INTO threat_case (id, created_at, updated_at, title, status, urgency, perpetrator, "
                f"perpetrator_note, summary, opened_on, outcome) VALUES ('k1', {stamp}, {stamp}, 'Case', 'new', "
                f"'urgent', 'unknown', '', '', '2025-01-01', '')"
            )
        )
        for rid, name in (("lifeline", "Lifeline"), ("oecd-ncp", "OECD NCPs"), ("dfc-iam", "DFC IAM")):
            conn.execute(
                text(
                    "INSERT INTO resource (id, name, kind, funds, eligibility, how_to_refer, url) "
                    f"VALUES ('{rid}', '{name}', '', '', '', '', '')"
                )
            )
        for rid, resource, purpose, status, sent, amount in (
            ("r1", "oecd-ncp", "other", "sent", "'2025-02-01'", "NULL"),
            ("r2", "dfc-iam", "other", "draft", "NULL", "NULL"),
            ("r3", "oecd-ncp", "legal_fees", "sent", "'2025-02-01'", "100"),
            ("r4", "oecd-ncp", "other", "declined", "'2025-02-01'", "NULL"),
            ("r5", "lifeline", "medical", "sent", "'2025-02-01'", "NULL"),
        ):
            conn.execute(
                text(
                    f"INSERT INTO referral (id, created_at, updated_at, case_id, resource_id, purpose, status, "
                    f"currency, outcome, sent_on, amount_requested, emergency_justification, decision_on) VALUES "
                    f"('{rid}', {stamp}, {stamp}, 'k1', '{resource}', '{purpose}', '{status}', 'USD', '', {sent}, "
                    f"{amount}, 'Emergency', {sent if status == 'declined' else 'NULL'})"
                )
            )
        migrations.upgrade(conn, migrations.head_revision())
        rows = _rows(conn, "SELECT id, purpose, status, stage, stage_on FROM referral")
        notes = [r[0] for r in conn.execute(text("SELECT text FROM timeline_event WHERE case_id = 'k1'"))]
        assert rows == {
            "r1": ("oecd_specific_instance", "sent", "submitted", "2025-02-01"),
            "r2": ("dfc_iam_complaint", "draft", None, None),
            "r3": ("legal_fees", "sent", None, None),
            "r4": ("other", "declined", None, None),
            "r5": ("medical", "sent", None, None),
        }
        assert len(notes) == 1 and "the referral to OECD NCPs (recorded as other) is a specific instance" in notes[0]
        assert "at its first stage (submitted) since 2025-02-01" in notes[0]
        with pytest.raises(IntegrityError, match="ck_referral_mechanism_no_amounts"):
            conn.execute(text("UPDATE referral SET amount_requested = 5 WHERE id = 'r1'"))
        command.downgrade(migrations._config(conn), "0011")
        kept = _rows(conn, "SELECT id, purpose, outcome FROM referral")
        assert kept["r1"] == ("other", "[Stage before a downgrade: submitted since 2025-02-01]")
        migrations.upgrade(conn, migrations.head_revision())


def test_resources_of_an_older_vault_stay_shipped_keep_their_referrals_and_take_the_posts_own() -> None:
    """0013 (issue 19, part D): every resource an older vault holds is a shipped one (the
    app could add none), stamped with the upgrade's time; one the file no longer lists keeps
    the referral that names it; the next sync dates the file's outside facts (as_of); the
    post's own can then be added. The downgrade drops a post's resource nothing names."""
    from sqlmodel import Session

    from hrd_tui.models import Resource
    from hrd_tui.services import reference, resources

    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    stamp = "'2025-01-01 00:00:00'"
    with engine.begin() as conn:
        migrations.upgrade(conn, "0012")
        for rid, name in (("lifeline", "Lifeline"), ("gone-fund", "A fund the file no longer lists")):
            conn.execute(
                text(
                    "INSERT INTO resource (id, name, kind, funds, eligibility, how_to_refer, url) "
                    f"VALUES ('{rid}', '{name}', 'fund', 'Grants.', '', '', '')"
                )
            )
        conn.execute(
            text(
                f"INSERT INTO threat_case (id, created_at, updated_at, title, status, urgency, perpetrator, "
                f"perpetrator_note, summary, opened_on, outcome) VALUES ('k1', {stamp}, {stamp}, 'Case', 'new', "
                f"'urgent', 'unknown', '', '', '2025-01-01', '')"
            )
        )
        conn.execute(
            text(
                f"INSERT INTO referral (id, created_at, updated_at, case_id, resource_id, purpose, status, currency, "
                f"outcome, emergency_justification) VALUES ('f1', {stamp}, {stamp}, 'k1', 'gone-fund', 'medical', "
                f"'draft', 'USD', '', '')"
            )
        )
        migrations.upgrade(conn, migrations.head_revision())
        rows = _rows(conn, "SELECT id, origin, contact_notes, as_of, retired_on, funds FROM resource")
        assert rows == {
            "lifeline": ("shipped", "", None, None, "Grants."),
            "gone-fund": ("shipped", "", None, None, "Grants."),
        }
        stamps = conn.execute(text("SELECT created_at, updated_at FROM resource WHERE id = 'gone-fund'")).one()
        assert stamps[0] is not None and stamps[0] == stamps[1]
        assert _rows(conn, "SELECT id, resource_id FROM referral") == {"f1": ("gone-fund",)}
    with Session(engine) as s:
        reference.sync(s)
        post_id = resources.add(s, {"name": "Safe house", "kind": "shelter"}).id
        s.commit()
        lifeline, gone = s.get(Resource, "lifeline"), s.get(Resource, "gone-fund")
        assert lifeline is not None and str(lifeline.as_of) == "2026-12-03" and lifeline.name != "Lifeline"
        assert gone is not None and gone.name == "A fund the file no longer lists"  # kept: a referral names it
    with engine.begin() as conn:
        with pytest.raises(IntegrityError, match="ck_resource_post_id_prefix"):
            conn.execute(text("UPDATE resource SET origin = 'post' WHERE id = 'lifeline'"))
    with engine.begin() as conn:
        command.downgrade(migrations._config(conn), "0012")
        assert post_id not in _rows(conn, "SELECT id, name FROM resource")
        assert set(_rows(conn, "SELECT id, name FROM resource")) >= {"lifeline", "gone-fund"}
        migrations.upgrade(conn, migrations.head_revision())


def test_interactions_of_a_vault_before_0010_keep_their_kind_and_people_and_take_demarches(tmp_path: Path) -> None:
    """0010 (issue 19, part A): a vault at 0009 keeps each interaction as it was (its kind,
    who took part, its follow-up), with no official, message or response and no link to a
    case or trial (nothing is guessed); a démarche about a case can then be logged, and the
    case's timeline shows it."""
    from datetime import date

    from hrd_tui.services import demarches, threats

    stamp = "2025-01-01 00:00:00"
    rows: dict[str, list[dict[str, Any]]] = {
        "contact": [
            {"id": "c1", "created_at": stamp, "updated_at": stamp, "kind": "government_official", "name": "Ola Vik",
             "codename": "Slate-9", "codename_key": "slate-9", "languages": "[]", "tags": "[]",
             "direct_contact_safe": 1, "notes": ""}
        ],
        "interaction": [
            {"id": "i1", "created_at": stamp, "updated_at": stamp, "kind": "meeting", "occurred_at": stamp,
             "location": None, "location_sensitive": 1, "summary": "Raised the detention.",
             "conveyed_to_counterparts": 0}
        ],
        "interaction_participant": [{"interaction_id": "i1", "contact_id": "c1"}],
        "follow_up": [
            {"id": "f1", "created_at": stamp, "updated_at": stamp, "interaction_id": "i1", "contact_id": "c1",
             "description": "Call back", "due_on": "2025-01-08", "done_on": None}
        ],
        "threat_case": [
            {"id": "k1", "created_at": stamp, "updated_at": stamp, "title": "Detention", "status": "new",
             "urgency": "urgent", "perpetrator": "unknown", "perpetrator_note": "", "summary": "",
             "opened_on": "2025-01-01", "outcome": ""}
        ],
    }  # fmt: skip
    before = _vault_at(tmp_path / "v", "0009", rows)
    assert before["interaction"] == 1 and before["follow_up"] == 1 and "interaction_case" not in before
    with vault.unlock(tmp_path / "v", Secret(PASSPHRASE)) as opened:
        assert opened.migrated_from == "0009"
        with opened.store.session() as s:
            conn = s.connection()
            assert conn.exec_driver_sql(
                "SELECT kind, official_id, message, response, summary FROM interaction"
            ).all() == [("meeting", None, "", "", "Raised the detention.")]
            assert conn.exec_driver_sql("SELECT contact_id FROM interaction_participant").all() == [("c1",)]
            assert _counts(conn)["follow_up"] == 1
            assert _counts(conn)["interaction_case"] == 0 and _counts(conn)["interaction_trial"] == 0
            it = demarches.log(
                s,
                None,
                {"kind": "demarche", "official": "Slate-9", "message": "Asked for access.", "cases": ["Detention"]},
                today=date(2026, 11, 28),
            )
            assert [e.ref_id for e in threats.timeline(s, "k1") if e.ref_id] == [it.id]
        assert opened.check() == []


def test_demarches_downgrade_to_meetings_that_keep_what_was_said() -> None:
    """0010's downgrade (foreign keys off, as a schema session runs it): a démarche becomes a
    meeting whose summary holds the message and the response; who took part stays."""
    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    stamp = "'2025-01-01 00:00:00'"
    with engine.begin() as conn:
        migrations.upgrade(conn, "0010")
        conn.execute(
            text(
                f"INSERT INTO contact (id, created_at, updated_at, kind, name, codename, codename_key, languages, "
                f"tags, direct_contact_safe, notes) VALUES ('c1', {stamp}, {stamp}, 'government_official', 'O', "
                f"'Slate-9', 'slate-9', '[]', '[]', 1, '')"
            )
        )
        conn.execute(
            text(
                f"INSERT INTO interaction (id, created_at, updated_at, kind, occurred_at, location_sensitive, "
                f"summary, conveyed_to_counterparts, official_id, message, response) VALUES ('i1', {stamp}, "
                f"{stamp}, 'demarche', {stamp}, 1, 'At the ministry.', 0, 'c1', 'Asked for access.', 'No.')"
            )
        )
        conn.execute(text("INSERT INTO interaction_participant VALUES ('i1', 'c1')"))
        with pytest.raises(IntegrityError, match="ck_interaction_demarche_official_message"):
            conn.execute(text("UPDATE interaction SET message = ' ' WHERE id = 'i1'"))
        command.downgrade(migrations._config(conn), "0009")
        assert conn.execute(text("SELECT kind, summary FROM interaction")).one() == (
            "meeting",
            "At the ministry.\nDémarche. Message: Asked for access.\nResponse: No.",
        )
        assert conn.execute(text("SELECT contact_id FROM interaction_participant")).all() == [("c1",)]
        assert "interaction_case" not in _schema(conn)
        migrations.upgrade(conn, "0010")
        assert conn.execute(text("SELECT kind, official_id, message FROM interaction")).one() == ("meeting", None, "")
