"""Codenames are one and the same once trimmed and folded (case, accents): in the
services, in the schema, in every way a contact comes in, and across an upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3
from conftest import PASSPHRASE
from sqlalchemy import create_engine, text

from hrd_tui import keyslots, migrations, vault
from hrd_tui.errors import ConstraintViolation, ValidationError
from hrd_tui.models import Contact
from hrd_tui.paths import atomic_write, make_private_dir
from hrd_tui.services import base, contact_io, contacts, threats
from hrd_tui.store import Store
from hrd_tui.vault import Secret


@pytest.mark.parametrize("typed", ["heron-101 ", "HERON-101", " Héron-101", "Heron-101\u200b"])
def test_a_codename_differing_only_in_case_accents_or_spaces_is_taken(opened: vault.Vault, typed: str) -> None:
    with opened.store.session() as s:
        first = contacts.create_contact(s, {"name": "Ana", "codename": "Heron-101"})
        other = contacts.create_contact(s, {"name": "Bea", "codename": "Owl-202"})
        with pytest.raises(ValidationError) as exc:
            contacts.create_contact(s, {"name": "Carla", "codename": typed})
        assert set(exc.value.errors) == {"codename"}
        assert (
            "same as Heron-101's" in exc.value.errors["codename"]
            or exc.value.errors["codename"] == "is already used by another contact"
        )
        with pytest.raises(ValidationError):
            contacts.update_contact(s, other, {"codename": typed})
        contacts.update_contact(s, first, {"codename": "heron-101"})  # its own codename, recased: fine
        assert first.codename == "heron-101"


def test_the_schema_holds_the_rule_without_the_services(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        contacts.create_contact(s, {"name": "Ana", "codename": "Heron-101"})
    with pytest.raises(ConstraintViolation):
        with opened.store.session() as s:
            base.create(s, Contact, {"name": "Bea", "codename": "héron-101"})
            s.flush()


def test_a_case_for_a_recased_codename_goes_to_that_person(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        heron = contacts.create_contact(s, {"name": "Heron Person", "codename": "Heron-101"})
        contacts.create_contact(s, {"name": "Heron-101 Fan Club", "codename": "Owl-202"})  # name would also match
        case = threats.open_case(s, {"title": "Case"}, contacts.resolve_people(s, ["heron-101 "], "defenders"))
        assert [d.id for d in threats.defenders_of(s, case.id)] == [heron.id]
        assert [c.id for c in contacts.by_codenames(s, ["HÉRON-101"], "defenders")] == [heron.id]


def test_an_import_row_with_a_recased_codename_is_that_contact(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        heron = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        plan = contact_io.match(s, contact_io.parse("codename,name\nheron-101,Ana Núñez\n", "csv"))
    [row] = plan.rows
    assert row.duplicate_of == heron.id and row.matched_on == "codename"


def _vault_at_0003_with(vault_dir: Path, codenames: list[str]) -> None:
    make_private_dir(vault_dir)
    header, key = keyslots.new_header(PASSPHRASE.encode(), keyslots.new_recovery_code(), keyslots.calibrate())
    store = Store(vault_dir / vault.DB_NAME, keyslots.database_key(key))
    with store.session() as session:
        conn = session.connection()
        migrations.upgrade(conn, "0003")
        for n, codename in enumerate(codenames):
            conn.execute(
                text(
                    "INSERT INTO contact (id, created_at, updated_at, kind, name, codename, languages, tags, "
                    f"direct_contact_safe, notes) VALUES ('c{n}', '2025-01-0{n + 1} 00:00:00', '2025-01-01 00:00:00', "
                    f"'defender', 'Person {n}', :codename, '[]', '[]', 1, '')"
                ),
                {"codename": codename},
            )
    store.close()
    atomic_write(vault_dir / vault.HEADER_NAME, header.to_bytes(key))


def test_an_upgrade_reports_old_clashes_and_renames_nothing(vault_dir: Path) -> None:
    _vault_at_0003_with(vault_dir, ["Heron-101", "heron-101", "Owl-202", "Héron-101"])
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:
        assert v.migrated_from == "0003"
        [warning] = v.warnings
        assert "Heron-101, heron-101, Héron-101" in warning and "new codename" in warning
        with v.store.session() as s:
            assert sorted(s.exec(text("SELECT codename FROM contact")).scalars()) == [
                "Heron-101",
                "Héron-101",
                "Owl-202",
                "heron-101",
            ]
            second = s.get(Contact, "c1")
            contacts.update_contact(s, second, {"notes": "an edit that leaves the codename alone"})
            with pytest.raises(ValidationError):
                contacts.update_contact(s, second, {"codename": "OWL-202"})
        with v.store.session() as s:
            contacts.update_contact(s, s.get(Contact, "c1"), {"codename": "Kite-303"})
            contacts.update_contact(s, s.get(Contact, "c3"), {"codename": "Lark-404"})
        with v.store.session() as s:
            assert contacts.codename_clashes(s) == []


def test_the_key_column_matches_on_a_fresh_schema() -> None:
    """The migration's folding is the services' folding (one function: sanitize.codename_key)."""
    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2)
    with engine.begin() as conn:
        migrations.upgrade(conn, "0003")
        conn.execute(
            text(
                "INSERT INTO contact (id, created_at, updated_at, kind, name, codename, languages, tags, "
                "direct_contact_safe, notes) VALUES ('c1', '2025-01-01', '2025-01-01', 'defender', 'A', "
                "' Ñandú-7 ', '[]', '[]', 1, '')"
            )
        )
        migrations.upgrade(conn, migrations.head_revision())
        assert conn.execute(text("SELECT codename_key FROM contact")).scalar() == "nandu-7"
