"""Issue 15: rotating the recovery code and the data key from the command line,
and an empty database is damage for every command."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli

from hrd_tui import keyslots, vault
from hrd_tui.errors import VaultDamaged
from hrd_tui.services import contacts
from hrd_tui.store import connect_raw


@pytest.fixture
def cli_vault(tmp_path: Path, passfile: Path) -> tuple[Path, str]:
    vault_dir = tmp_path / "v"
    result = run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "init")
    assert result.returncode == 0, result.stderr
    with vault.unlock(vault_dir, vault.Secret(PASSPHRASE)) as v, v.store.session() as s:
        contacts.create_contact(s, {"name": "Rotation Marker", "notes": "kept through the rekey"}, ["labour"])
    return vault_dir, result.stdout.strip()


def cli(vault_dir: Path, passfile: Path | str, *args: str, **kw) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), *args, **kw)


def with_code(tmp_path: Path, code: str, name: str = "code.txt") -> Path:
    path = tmp_path / name
    path.write_text(code + "\n")
    return path


def test_passwd_new_recovery_code_prints_a_new_code_and_the_old_one_fails(
    tmp_path: Path, passfile: Path, cli_vault: tuple[Path, str]
) -> None:
    vault_dir, old_code = cli_vault
    old_slot = vault.read_header(vault_dir)[0].slot("recovery")
    result = cli(vault_dir, passfile, "passwd", "--new-recovery-code")
    assert result.returncode == 0, result.stderr
    new_code = result.stdout.strip()
    assert len(new_code) == 39 and new_code != old_code
    assert "RECOVERY CODE: shown this once only" in result.stderr and "old recovery code no longer" in result.stderr
    refused = cli(
        vault_dir, passfile, "passwd", "--recovery-file", str(with_code(tmp_path, old_code)), "--new-recovery-code"
    )
    assert refused.returncode == 3, refused.stderr
    with vault.unlock(vault_dir, vault.Secret(new_code, kind="recovery")) as v:
        assert v.header.slot("recovery") is not None
    raw = (vault_dir / vault.HEADER_NAME).read_bytes()  # the old slot overwritten in place, not left in the file
    assert old_slot.wrapped.encode() not in raw and old_slot.salt.encode() not in raw


def test_rekey_gives_a_new_data_key_and_both_secrets_still_open(
    tmp_path: Path, passfile: Path, cli_vault: tuple[Path, str]
) -> None:
    vault_dir, code = cli_vault
    header, body, mac = vault.read_header(vault_dir)
    old_key = keyslots.open_slot(header, body, mac, "passphrase", PASSPHRASE.encode())
    result = cli(vault_dir, passfile, "rekey", "--recovery-code-file", str(with_code(tmp_path, code)))
    assert result.returncode == 0, result.stderr
    assert "new data key" in result.stdout and not result.stdout.startswith(code[:4])
    with pytest.raises(VaultDamaged):  # the old data key no longer decrypts the database file
        connect_raw(vault_dir / vault.DB_NAME, keyslots.database_key(old_key), readonly=True)
    for secret in (vault.Secret(PASSPHRASE), vault.Secret(code, kind="recovery")):
        with vault.unlock(vault_dir, secret, readonly=True) as v:
            assert bytes(v._data_key) != old_key and v.check() == []
            with v.store.session() as s:
                assert [c.notes for c in contacts.list_contacts(s)] == ["kept through the rekey"]
    assert cli(vault_dir, passfile, "check").returncode == 0


def test_rekey_with_a_new_recovery_code_and_a_wrong_code_changes_nothing(
    tmp_path: Path, passfile: Path, cli_vault: tuple[Path, str]
) -> None:
    vault_dir, code = cli_vault
    before = (vault_dir / vault.HEADER_NAME).read_bytes()
    wrong = cli(vault_dir, passfile, "rekey", "--recovery-code-file", str(with_code(tmp_path, "0" * 32)))
    assert wrong.returncode == 3 and "recovery code" in wrong.stderr
    assert (vault_dir / vault.HEADER_NAME).read_bytes() == before
    result = cli(vault_dir, passfile, "rekey", "--new-recovery-code")
    assert result.returncode == 0, result.stderr
    new_code = result.stdout.splitlines()[0].strip()
    assert "RECOVERY CODE" in result.stderr and len(new_code) == 39
    with vault.unlock(vault_dir, vault.Secret(new_code, kind="recovery"), readonly=True):
        pass
    again = cli(vault_dir, passfile, "passwd", "--recovery-file", str(with_code(tmp_path, code)), "--new-recovery-code")
    assert again.returncode == 3


def test_rekey_is_refused_while_the_vault_is_open(tmp_path: Path, passfile: Path, cli_vault: tuple[Path, str]) -> None:
    vault_dir, code = cli_vault
    with vault.unlock(vault_dir, vault.Secret(PASSPHRASE)):  # as the app holds it
        result = cli(vault_dir, passfile, "rekey", "--recovery-code-file", str(with_code(tmp_path, code)))
    assert result.returncode == 6 and "open in another hrd-tui process" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["info"],
        ["export", "--format", "json"],
        ["passwd", "--new-recovery-code"],
        ["backup", "DEST"],
        ["purge", "--older-than", "1", "--yes"],
        ["wipe-after", "5"],
    ],
)
def test_an_empty_database_is_damage_for_every_command(
    tmp_path: Path, passfile: Path, cli_vault: tuple[Path, str], command: list[str]
) -> None:
    vault_dir, _code = cli_vault
    for name in ("", "-wal", "-shm"):
        Path(str(vault_dir / vault.DB_NAME) + name).unlink(missing_ok=True)
    (vault_dir / vault.DB_NAME).write_bytes(b"")
    args = [str(tmp_path / "dest") if part == "DEST" else part for part in command]
    result = cli(vault_dir, passfile, *args)
    assert result.returncode == 5, (result.returncode, result.stderr)
    assert "is empty" in result.stderr and "Traceback" not in result.stderr
    assert (vault_dir / vault.DB_NAME).stat().st_size == 0  # never started again as a new vault
