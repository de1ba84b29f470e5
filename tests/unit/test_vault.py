"""The vault on disk: create, unlock, failures, passphrase change, hardening, files, backup."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from hrd_tui import keyslots, vault
from hrd_tui.errors import ConstraintViolation, HrdError, NoVault, UnlockFailed, VaultBusy, VaultDamaged
from hrd_tui.services import contacts
from hrd_tui.store import connect_raw, verify_hardening
from hrd_tui.vault import Secret


def fingerprint(vault_dir: Path) -> dict[str, tuple[str, int]]:
    return {
        name: (hashlib.sha256((vault_dir / name).read_bytes()).hexdigest(), (vault_dir / name).stat().st_mtime_ns)
        for name in (vault.HEADER_NAME, vault.DB_NAME)
    }


def add_contact(v: vault.Vault, name: str = "Amina Diallo") -> str:
    with v.store.session() as s:
        return contacts.create_contact(s, {"name": name}, ["women_girls"]).id


def test_create_then_unlock_round_trip(vault_dir: Path, opened: vault.Vault) -> None:
    cid = add_contact(opened)
    opened.close()
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as again, again.store.session() as s:
        assert contacts.base.get(s, contacts.Contact, cid).name == "Amina Diallo"


def test_create_refuses_an_existing_vault(vault_dir: Path, opened: vault.Vault) -> None:
    with pytest.raises(HrdError, match="already exists"):
        vault.create(vault_dir, PASSPHRASE)


def test_wrong_passphrase_leaves_files_untouched_and_slows_the_next_try(vault_dir: Path, opened: vault.Vault) -> None:
    opened.close()
    before = fingerprint(vault_dir)
    scheduled = []
    for n in range(1, 4):
        with pytest.raises(UnlockFailed) as exc:
            vault.unlock(vault_dir, Secret("not the passphrase"), wait=False)
        assert str(exc.value) == UnlockFailed.MESSAGE
        assert vault.failure_count(vault_dir) == n
        # What is left of the delay has run down by however long this machine took to
        # read it (CI, loaded, took longer than the test delay's 20 ms): its schedule grows.
        scheduled.append(vault._delay_for(n))
        assert 0 <= vault.unlock_delay(vault_dir) <= scheduled[-1]
    assert fingerprint(vault_dir) == before
    assert scheduled == [vault.TEST_FAILURE_DELAY_BASE * 2**k for k in range(3)]
    with vault.unlock(vault_dir, Secret(PASSPHRASE)):  # waits out the delay, then resets it
        pass
    assert vault.failure_count(vault_dir) == 0


def test_recovery_code_unlocks(vault_dir: Path, new_vault: tuple[vault.Vault, str]) -> None:
    opened, code = new_vault
    opened.close()
    with vault.unlock(vault_dir, Secret(code, kind="recovery")) as v:
        assert v.is_open
    with pytest.raises(UnlockFailed):
        vault.unlock(vault_dir, Secret(PASSPHRASE, kind="recovery"), wait=False)


def test_passphrase_change_rewraps_without_touching_the_database(
    vault_dir: Path, new_vault: tuple[vault.Vault, str]
) -> None:
    opened, code = new_vault
    add_contact(opened)
    opened.close()
    db_before = hashlib.sha256((vault_dir / vault.DB_NAME).read_bytes()).hexdigest()
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:
        v.store.checkpoint()
        db_before = hashlib.sha256((vault_dir / vault.DB_NAME).read_bytes()).hexdigest()
        v.change_passphrase("a brand new long passphrase")
    assert hashlib.sha256((vault_dir / vault.DB_NAME).read_bytes()).hexdigest() == db_before
    with pytest.raises(UnlockFailed):
        vault.unlock(vault_dir, Secret(PASSPHRASE), wait=False)
    with vault.unlock(vault_dir, Secret("a brand new long passphrase")):
        pass
    with vault.unlock(vault_dir, Secret(code, kind="recovery")):
        pass


def test_connection_is_hardened(opened: vault.Vault) -> None:
    with opened.store.raw() as conn:
        settings = verify_hardening(conn)
    assert settings["cipher_version"].startswith("4.")
    assert int(settings["compile TEMP_STORE"]) >= 2
    assert settings["secure_delete"] == "1" and settings["foreign_keys"] == "1"
    assert settings["synchronous"] == "2" and settings["journal_mode"] == "wal"
    assert settings["cipher_log_level"] == "NONE"


def test_database_is_encrypted_and_needs_the_key(vault_dir: Path, opened: vault.Vault) -> None:
    assert not (vault_dir / vault.DB_NAME).read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(VaultDamaged):
        connect_raw(vault_dir / vault.DB_NAME, os.urandom(32))


def test_files_are_private_while_open_and_after(vault_dir: Path, opened: vault.Vault) -> None:
    add_contact(opened)
    names = {p.name for p in vault_dir.iterdir()}
    assert {"vault.db-wal", "vault.db-shm"} <= names  # WAL files exist while open...
    for path in [vault_dir, *vault_dir.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_a_world_readable_vault_is_tightened_with_a_warning(vault_dir: Path, opened: vault.Vault) -> None:
    opened.close()
    os.chmod(vault_dir, 0o755)
    os.chmod(vault_dir / vault.HEADER_NAME, 0o644)
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:
        assert len(v.warnings) == 2 and all("readable by others" in w for w in v.warnings)
    assert stat.S_IMODE(vault_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((vault_dir / vault.HEADER_NAME).stat().st_mode) == 0o600


def test_only_one_writer_at_a_time(vault_dir: Path, opened: vault.Vault) -> None:
    with pytest.raises(VaultBusy, match=f"pid {os.getpid()}"):
        vault.unlock(vault_dir, Secret(PASSPHRASE))
    with vault.unlock(vault_dir, Secret(PASSPHRASE), readonly=True) as reader:  # readers are welcome
        assert reader.check_report() == vault.IntegrityReport([], full=False)  # no raw page reads under a writer


def test_a_check_beside_no_writer_holds_the_lock_while_it_reads_the_raw_pages(
    vault_dir: Path, opened: vault.Vault
) -> None:
    opened.close()
    with vault.unlock(vault_dir, Secret(PASSPHRASE), readonly=True) as reader:
        assert reader.check_report() == vault.IntegrityReport([], full=True)
    with vault.unlock(vault_dir, Secret(PASSPHRASE)):  # the check's lock was let go
        pass


def test_a_check_beside_a_writer_still_finds_a_damaged_page_in_use(vault_dir: Path, opened: vault.Vault) -> None:
    for i in range(40):
        add_contact(opened, f"Person {i} " + "notes " * 200)
    opened.close()
    db = vault_dir / vault.DB_NAME
    data = bytearray(db.read_bytes())
    page = len(data) // 4096 - 2  # a page of contacts, not the first (the key check reads that)
    data[page * 4096 + 200 : page * 4096 + 300] = os.urandom(100)
    db.write_bytes(bytes(data))
    holder = vault.WriterLock(vault_dir)  # as the app would hold it
    try:
        with vault.unlock(vault_dir, Secret(PASSPHRASE), readonly=True) as reader:
            report = reader.check_report()
    finally:
        holder.release()
    assert not report.full and report.problems, report


def test_missing_vault_and_missing_parts(tmp_path: Path, vault_dir: Path, opened: vault.Vault) -> None:
    with pytest.raises(NoVault):
        vault.unlock(tmp_path / "nowhere", Secret(PASSPHRASE))
    opened.close()
    (vault_dir / vault.HEADER_NAME).rename(tmp_path / "hdr")
    with pytest.raises(VaultDamaged, match="header .* is missing"):
        vault.unlock(vault_dir, Secret(PASSPHRASE))
    (tmp_path / "hdr").rename(vault_dir / vault.HEADER_NAME)
    (vault_dir / vault.DB_NAME).write_bytes(os.urandom(8192))
    with pytest.raises(VaultDamaged, match="damaged"):
        vault.unlock(vault_dir, Secret(PASSPHRASE))


def test_backup_while_in_use_is_encrypted_verified_and_restorable(
    tmp_path: Path, vault_dir: Path, opened: vault.Vault
) -> None:
    cid = add_contact(opened, "Backup Person")
    with vault.unlock(vault_dir, Secret(PASSPHRASE), readonly=True) as reader:  # the app keeps the writer lock
        dest = reader.backup(tmp_path / "backups" / "monday")
    add_contact(opened, "After The Backup")
    assert sorted(p.name for p in dest.iterdir()) == [vault.DB_NAME, vault.HEADER_NAME]
    assert stat.S_IMODE(dest.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in dest.iterdir())
    opened.close()
    # Restore, as the README says: the backup is a vault; move it into place.
    restored = tmp_path / "restored"
    dest.rename(restored)
    with vault.unlock(restored, Secret(PASSPHRASE)) as v, v.store.session() as s:
        names = {c.name for c in contacts.list_contacts(s)}
        assert names == {"Backup Person"} and v.check() == []
        assert contacts.base.get(s, contacts.Contact, cid)


def test_backup_never_overwrites(tmp_path: Path, opened: vault.Vault) -> None:
    target = tmp_path / "exists"
    target.mkdir()
    (target / "something").write_text("keep me")
    with pytest.raises(HrdError, match="never overwrites"):
        opened.backup(target)
    assert (target / "something").read_text() == "keep me"


def test_close_drops_the_key_and_the_connection(opened: vault.Vault) -> None:
    opened.close()
    assert not opened.is_open
    assert set(opened._data_key) == {0}
    with pytest.raises(HrdError, match="locked"):
        with opened.store.session():
            pass
    assert not any(p.name.endswith("-wal") and p.stat().st_size for p in opened.dir.iterdir())


def test_header_version_from_the_future_is_refused(vault_dir: Path, opened: vault.Vault) -> None:
    opened.close()
    path = vault_dir / vault.HEADER_NAME
    path.write_bytes(path.read_bytes().replace(b'"version":1', b'"version":9'))
    with pytest.raises(VaultDamaged, match="header version 9"):
        vault.unlock(vault_dir, Secret(PASSPHRASE))
    assert keyslots.FORMAT_VERSION == 1


def test_a_file_of_another_user_or_a_symlink_is_refused(tmp_path: Path, vault_dir: Path, opened: vault.Vault) -> None:
    from hrd_tui.errors import PermissionProblem

    opened.close()
    link = vault_dir / "sneaky"
    link.symlink_to(tmp_path)
    with pytest.raises(PermissionProblem, match="symbolic link"):
        vault.unlock(vault_dir, Secret(PASSPHRASE))
    link.unlink()
    if os.getuid() != 0:
        pytest.skip("only root can give a file to another user")
    os.chown(vault_dir / vault.HEADER_NAME, 65534, 65534)
    with pytest.raises(PermissionProblem, match="another user"):
        vault.unlock(vault_dir, Secret(PASSPHRASE))


def test_process_hardening_sets_umask_and_disables_core_dumps() -> None:
    import resource

    from hrd_tui.paths import harden_process

    harden_process()
    current = os.umask(0o077)
    assert current == 0o077
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0


def test_a_passphrase_change_also_reaches_the_automatic_backups(vault_dir: Path, opened: vault.Vault) -> None:
    auto = opened.backup(vault_dir / vault.BACKUPS_NAME / "pre-upgrade-x")
    opened.change_passphrase("the new long passphrase")
    opened.close()
    # The old passphrase must open neither the backup nor, with the backup's header, the live database.
    with pytest.raises(UnlockFailed):
        vault.unlock(auto, Secret(PASSPHRASE), readonly=True, wait=False)
    with vault.unlock(auto, Secret("the new long passphrase"), readonly=True):
        pass


@pytest.mark.parametrize("name", ["a#b", "c%41d", "with space", "q?mode=memory"])
def test_odd_directory_names_keep_the_database_inside_the_vault(tmp_path: Path, name: str) -> None:
    target = tmp_path / name / "vault"
    created, _ = vault.create(target, PASSPHRASE)
    created.close()
    assert (target / vault.DB_NAME).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    with vault.unlock(target, Secret(PASSPHRASE)) as v:
        assert v.check() == []


def test_a_schema_session_checks_every_reference_then_turns_foreign_keys_back_on(opened: vault.Vault) -> None:
    """Migrations run with foreign keys off (a rebuilt table's drop would cascade): what
    they leave pointing nowhere is refused whole before the commit, and the pooled
    connection goes back with foreign keys on."""
    with pytest.raises(ConstraintViolation, match="1 record.* of secure_channel would point at records"):
        with opened.store.schema_session("testing") as s:
            assert s.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
            s.connection().exec_driver_sql(
                "INSERT INTO secure_channel (id, created_at, updated_at, contact_id, kind, handle, preferred, note) "
                "VALUES ('ch', '2026-01-01', '2026-01-01', 'nobody', 'signal', '+1', 0, '')"
            )
    for _ in range(4):  # every pooled connection
        with opened.store.session() as s:
            assert s.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert s.connection().exec_driver_sql("SELECT count(*) FROM secure_channel").scalar() == 0


def test_a_reference_already_dangling_does_not_block_a_schema_change(opened: vault.Vault) -> None:
    """A vault damaged earlier (a row pointing nowhere) can still be upgraded; only what
    the change itself leaves dangling refuses it."""
    row = (
        "INSERT INTO secure_channel (id, created_at, updated_at, contact_id, kind, handle, preferred, note) "
        "VALUES ('{id}', '2026-01-01', '2026-01-01', 'nobody', 'signal', '+1', 0, '')"
    )
    with opened.store.raw() as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(row.format(id="old"))
        conn.execute("PRAGMA foreign_keys = ON")
    with opened.store.schema_session("testing") as s:
        s.connection().exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
    with pytest.raises(ConstraintViolation, match="1 record.* of secure_channel"):
        with opened.store.schema_session("testing") as s:
            s.connection().exec_driver_sql(row.format(id="new"))
    with opened.store.session() as s:
        assert s.connection().exec_driver_sql("SELECT id FROM secure_channel").scalars().all() == ["old"]
