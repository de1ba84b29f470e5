"""Schema migrations: an old vault is backed up, then upgraded, when it opens."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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
    import pytest

    with pytest.raises(vault.VaultDamaged, match="newer hrd-tui"):
        vault.unlock(vault_dir, Secret(PASSPHRASE))


def test_models_and_migrations_agree(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        context = MigrationContext.configure(s.connection(), opts={"include_object": migrations.include_object})
        diff = compare_metadata(context, metadata)
    assert diff == []


def _checks(conn: Any) -> dict[str, list[str]]:
    """Every table's named CHECK constraints as SQLite keeps them."""
    found: dict[str, list[str]] = {}
    for name, sql in conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL")):
        checks = re.findall(r"CONSTRAINT (\w+ CHECK \(.*?\))(?:,|\n|\)$)", sql, re.DOTALL)
        found[name] = sorted(re.sub(r"\s+", " ", c) for c in checks)
    return found


def test_migrations_make_the_same_check_constraints_as_the_models() -> None:
    """Alembic's comparison does not see CHECK constraints: the consent gates and
    vocabularies live there, so a migration that forgets one is caught here."""
    fresh, migrated = (create_engine("sqlite://", module=sqlcipher3.dbapi2) for _ in range(2))
    metadata.create_all(fresh)
    with migrated.begin() as conn:
        migrations.upgrade(conn, migrations.head_revision())
    with fresh.connect() as a, migrated.connect() as b:
        want, got = _checks(a), _checks(b)
    assert want["referral"] and any("consent_gate" in c for c in want["case_action"])  # the parser finds them
    assert {t: c for t, c in got.items() if t in want} == want


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
