"""Secrets in memory (issue 15, SECURITY.md requirement 20): what can be checked from Python."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSPHRASE, frozen_settings

from hrd_tui import keyslots, paths, vault
from hrd_tui.vault import Secret


def _spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[bytes]]:
    """Keep a reference to the very objects handed to the KDF and to the engine."""
    seen: dict[str, list[bytes]] = {"material": [], "engine_key": [], "data_key": []}
    open_slot, store_cls = keyslots.open_slot, vault.Store

    def spy_open_slot(header, body, mac, kind, material, binding_secret):  # type: ignore[no-untyped-def]
        seen["material"].append(material)
        key = open_slot(header, body, mac, kind, material, binding_secret)
        seen["data_key"].append(key)
        return key

    def spy_store(path, db_key, **kw):  # type: ignore[no-untyped-def]
        seen["engine_key"].append(db_key)
        return store_cls(path, db_key, **kw)

    monkeypatch.setattr(keyslots, "open_slot", spy_open_slot)
    monkeypatch.setattr(vault, "Store", spy_store)
    return seen


def test_close_zeroes_every_key_buffer_the_vault_owns(
    vault_dir: Path, opened: vault.Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened.close()
    seen = _spy(monkeypatch)
    unlocked = vault.unlock(vault_dir, Secret(PASSPHRASE))
    data_key = unlocked._data_key
    assert any(data_key) and any(seen["engine_key"][0])
    # the typed passphrase's bytes and the data key's bytes object: zeroed as soon as they are used
    assert seen["material"] == [bytes(len(PASSPHRASE))] and seen["data_key"] == [bytes(32)]
    unlocked.close()
    assert data_key == bytearray(32)  # the data key, in place
    assert seen["engine_key"] == [bytes(32)]  # the SQLCipher key, the very object the engine held


def test_a_failed_unlock_zeroes_the_typed_secret(
    vault_dir: Path, opened: vault.Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened.close()
    seen = _spy(monkeypatch)
    with pytest.raises(vault.UnlockFailed):
        vault.unlock(vault_dir, Secret("a wrong passphrase"), wait=False)
    assert seen["material"] == [bytes(len("a wrong passphrase"))]


def test_wipe_buffer() -> None:
    key = os.urandom(32)
    paths.wipe_buffer(key)
    assert key == bytes(32)
    buf = bytearray(b"secret")
    paths.wipe_buffer(buf)
    assert buf == bytearray(6)
    paths.wipe_buffer(b"x")  # a shared one-byte object: left alone
    assert b"x" == bytes([120])


def test_cipher_memory_security_is_on(opened: vault.Vault) -> None:
    with opened.store.raw() as conn:
        assert conn.execute("PRAGMA cipher_memory_security").fetchone()[0] in (1, "1")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_the_cli_process_is_not_dumpable(tmp_path: Path, vault_dir: Path, opened: vault.Vault) -> None:
    opened.close()
    passfile = tmp_path / "pass"
    passfile.write_text(PASSPHRASE + "\n")
    # The command line's own entry point, then prctl(PR_GET_DUMPABLE) in the same process
    # (this kernel's /proc/PID/status may not show it).
    code = (
        "import sys; from hrd_tui import cli, paths; before = paths.dumpable(); "
        f"rc = cli.main(['--vault', {str(vault_dir)!r}, '--passphrase-file', {str(passfile)!r}, 'info']); "
        "print('dumpable', before, paths.dumpable(), 'rc', rc)"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **frozen_settings()},
        timeout=120,
    )
    assert done.stdout.splitlines()[-1] == "dumpable 1 0 rc 0", done.stdout + done.stderr


def test_harden_process_in_this_process() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("prctl is Linux's")
    code = "from hrd_tui import paths; a = paths.dumpable(); paths.harden_process(); print(a, paths.dumpable())"
    done = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1", "0"]
