"""Emergency wipe and wipe after N failed unlocks, on real vaults (SQLCipher, key slots, files)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PASSPHRASE, frozen_settings

from hrd_tui import keyslots, vault, wallclock, wipe
from hrd_tui.errors import (
    HrdError,
    NoVault,
    UnlockFailed,
    ValidationError,
    VaultDamaged,
)
from hrd_tui.services import contacts
from hrd_tui.store import connect_raw
from hrd_tui.vault import Secret

ROOT = Path(__file__).resolve().parents[2]


def filled_vault(vault_dir: Path) -> tuple[str, bytes]:
    """A closed vault with a contact and an automatic backup; (recovery code, old data key)."""
    opened, code = vault.create(vault_dir, PASSPHRASE)
    with opened:
        with opened.store.session() as s:
            contacts.create_contact(s, {"name": "Wipe Marker Person", "notes": "WIPEMARKER " * 50}, ["labour"])
        opened.backup(vault_dir / vault.BACKUPS_NAME / "pre-upgrade-x")
        data_key = bytes(opened._data_key)
    return code, data_key


def headers_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name == vault.HEADER_NAME]


def test_destroying_the_key_slots_makes_the_vault_unreadable_at_once(vault_dir: Path) -> None:
    code, data_key = filled_vault(vault_dir)
    live = vault_dir / vault.HEADER_NAME
    original = live.read_bytes()
    held = os.open(live, os.O_RDONLY)  # the header's bytes, seen through a descriptor that outlives the unlink
    try:
        report = wipe.destroy_key_slots(vault_dir)
        overwritten = os.pread(held, len(original) + 10, 0)
    finally:
        os.close(held)
    assert len(report.key_slots_destroyed) == 2 and report.key_slots_destroyed[0] == live
    assert headers_under(vault_dir) == []
    # overwritten in place (same length, other bytes), not merely unlinked
    assert len(overwritten) == len(original) and overwritten != original and b"wrapped" not in overwritten
    for secret in (Secret(PASSPHRASE), Secret(code, kind="recovery")):
        with pytest.raises(wipe.VaultWiped) as exc:
            vault.unlock(vault_dir, secret, wait=False)
        assert "wiped" in str(exc.value) and "\n" not in str(exc.value)
    # the files are still there, but even the old data key no longer opens them
    for db in (vault_dir / vault.DB_NAME, vault_dir / vault.BACKUPS_NAME / "pre-upgrade-x" / vault.DB_NAME):
        assert db.is_file()
        with pytest.raises(VaultDamaged):
            connect_raw(db, keyslots.database_key(data_key), readonly=True)
    with pytest.raises(HrdError):  # the backup folder has no header left either
        vault.unlock(vault_dir / vault.BACKUPS_NAME / "pre-upgrade-x", Secret(PASSPHRASE), readonly=True, wait=False)
    with pytest.raises(wipe.VaultWiped, match="Finish it"):  # nor is a new vault made on top of the remains
        vault.create(vault_dir, PASSPHRASE)
    again = wipe.wipe(vault_dir)  # an interrupted wipe is finished by the next one
    assert again.complete and again.key_slots_destroyed == [] and not vault_dir.exists()


def test_a_full_wipe_removes_every_file_and_says_what_it_did(tmp_path: Path, vault_dir: Path) -> None:
    filled_vault(vault_dir)
    (vault_dir / ".vault.hdr.tmp-4242").write_bytes((vault_dir / vault.HEADER_NAME).read_bytes())  # a crash's leftover
    start = time.perf_counter()
    report = wipe.wipe(vault_dir)
    elapsed = time.perf_counter() - start
    assert not vault_dir.exists() and list(tmp_path.iterdir()) == []
    assert report.complete and report.problems == [] and report.left == []
    assert len(report.key_slots_destroyed) == 3 and report.keyring.startswith("not bound")
    assert report.writer_pid is None
    lines = report.lines()
    assert all("\n" not in line for line in lines) and "Wipe done" in lines[-1]
    print(
        f"\nwipe of a small vault: key slots gone after {report.key_slots_seconds * 1000:.1f} ms, "
        f"everything after {elapsed * 1000:.1f} ms"
    )


def test_wipe_does_not_wait_for_a_writer_in_another_process(vault_dir: Path, passfile: Path) -> None:
    opened, _ = vault.create(vault_dir, PASSPHRASE)
    opened.close()
    # The installed package, as the durability tests run it: no source tree on the path
    # (in CI the checkout's hrd_tui/ lacks the screens/ and data/ mapping).
    env = {**os.environ, **frozen_settings()}
    writer = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "helpers" / "writer.py"),
            str(vault_dir),
            str(passfile),
            "loop",
            "WIPEMARKER",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        with pytest.raises(vault.VaultBusy):  # the lock is really held
            vault.unlock(vault_dir, Secret(PASSPHRASE), wait=False)
        start = time.perf_counter()
        report = wipe.destroy_key_slots(vault_dir)
        with pytest.raises(wipe.VaultWiped):
            vault.unlock(vault_dir, Secret(PASSPHRASE), readonly=True, wait=False)
        wipe.finish_wipe(report)
        elapsed = time.perf_counter() - start
    finally:
        writer.kill()
        writer.wait()
    assert report.writer_pid == writer.pid
    assert any(str(writer.pid) in line and "Quit it" in line for line in report.lines())
    assert not (vault_dir / vault.HEADER_NAME).exists()
    print(
        f"\nwipe while another process writes: {elapsed * 1000:.1f} ms; left {report.left}, problems {report.problems}"
    )


def test_the_palette_way_key_slots_first_then_close_then_the_rest(vault_dir: Path, opened: vault.Vault) -> None:
    with opened.store.session() as s:
        contacts.create_contact(s, {"name": "Still Open"})
    report = wipe.destroy_key_slots(vault_dir)  # the app still has the vault open in this process
    assert report.writer_pid is None  # our own lock is not "another process"
    assert not report.finished and "Wipe done" not in " ".join(report.lines())
    opened.close()
    wipe.finish_wipe(report)
    assert report.complete and not vault_dir.exists()


def test_a_folder_that_is_not_a_vault_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(NoVault):
        wipe.wipe(folder)
    with pytest.raises(NoVault):
        wipe.wipe(tmp_path / "nowhere")
    assert (folder / "keep.txt").read_text() == "mine"


def test_unknown_files_are_left_and_reported(vault_dir: Path, opened: vault.Vault) -> None:
    opened.close()
    (vault_dir / "my-notes.txt").write_text("not hrd-tui's")
    report = wipe.wipe(vault_dir)
    assert report.left == [vault_dir / "my-notes.txt"] and not report.complete
    assert sorted(p.name for p in vault_dir.iterdir()) == ["my-notes.txt"]


def test_the_exports_folder_is_wiped_only_when_asked(tmp_path: Path, vault_dir: Path, opened: vault.Vault) -> None:
    opened.close()
    exports = tmp_path / "exports" / opened.header.vault_id  # the vault's own folder (paths.default_export_dir)
    exports.mkdir(parents=True)
    (exports / "contacts.csv").write_text("name\nWipe Marker Person\n")
    report = wipe.wipe(vault_dir, exports_dir=exports)
    assert not exports.exists() and exports / "contacts.csv" in report.removed


# -- wipe after N failed unlocks -------------------------------------------------------


def test_the_setting_is_off_by_default_bounded_and_warns(vault_dir: Path, opened: vault.Vault) -> None:
    assert opened.wipe_after is None and wipe.attempts_left(vault_dir) is None
    for bad in (2, 21, True, "5"):
        with pytest.raises(ValidationError):
            opened.set_wipe_after(bad)  # type: ignore[arg-type]
    warning = opened.set_wipe_after(3)
    assert "ON" in warning and "3 wrong passphrases" in warning and "no way back" in warning
    assert opened.wipe_after == 3 and wipe.attempts_left(vault_dir) == 3
    assert "off" in opened.set_wipe_after(None)
    assert opened.wipe_after is None and not (vault_dir / vault.FAILURES_NAME).exists()
    opened.close()
    with (
        vault.unlock(vault_dir, Secret(PASSPHRASE), readonly=True) as reader,
        pytest.raises(HrdError, match="read-only"),
    ):
        reader.set_wipe_after(5)


def test_three_wrong_tries_wipe_the_vault(vault_dir: Path, new_vault: tuple[vault.Vault, str]) -> None:
    opened, code = new_vault
    opened.set_wipe_after(3)
    opened.close()
    with pytest.raises(UnlockFailed, match="^Could not unlock.* 2 attempts left before this vault is wiped.$"):
        vault.unlock(vault_dir, Secret("wrong one"), wait=False)
    assert wipe.attempts_left(vault_dir) == 2
    with pytest.raises(UnlockFailed, match="1 attempt left before"):  # a recovery code (of the right shape) counts too
        vault.unlock(vault_dir, Secret("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", kind="recovery"), wait=False)
    with pytest.raises(wipe.VaultWiped, match="failure 3 in a row.*wiped"):
        vault.unlock(vault_dir, Secret("wrong three"), readonly=True, wait=False)
    assert not vault_dir.exists()
    with pytest.raises(NoVault):
        vault.unlock(vault_dir, Secret(code, kind="recovery"), wait=False)


def test_a_successful_unlock_resets_the_count(vault_dir: Path, opened: vault.Vault) -> None:
    opened.set_wipe_after(3)
    opened.close()
    for _ in range(2):
        with pytest.raises(UnlockFailed):
            vault.unlock(vault_dir, Secret("wrong"), wait=False)
    assert wipe.attempts_left(vault_dir) == 1
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as again:  # waits out the delay
        assert again.wipe_after == 3
    assert vault.failure_count(vault_dir) == 0 and wipe.attempts_left(vault_dir) == 3
    for _ in range(2):
        with pytest.raises(UnlockFailed):
            vault.unlock(vault_dir, Secret("wrong"), wait=False)
    assert vault.exists(vault_dir) and wipe.attempts_left(vault_dir) == 1


def test_the_counter_file_of_an_older_version_still_reads(vault_dir: Path, opened: vault.Vault) -> None:
    opened.close()
    (vault_dir / vault.FAILURES_NAME).write_text('{"count": 2, "last": 0}')
    assert vault.failure_count(vault_dir) == 2 and wipe.attempts_left(vault_dir) is None
    (vault_dir / vault.FAILURES_NAME).write_text('{"count": 2, "last": 0, "wipe_after": 999}')
    assert wipe.wipe_after(vault_dir) is None  # out of range: off, never a surprise wipe


# -- the unlock screen -----------------------------------------------------------------


async def test_the_unlock_screen_counts_down_then_says_the_vault_was_wiped(
    tmp_path: Path, vault_dir: Path, opened: vault.Vault
) -> None:
    from conftest import unlock
    from textual.widgets import Input, Static

    from hrd_tui.app import make_app
    from hrd_tui.screens.unlock import UnlockScreen

    opened.set_wipe_after(3)
    opened.close()
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, UnlockScreen)
        assert (
            str(screen.query_one("#unlock-attempts", Static).content) == "3 attempts left before this vault is wiped."
        )
        await unlock(app, pilot, "wrong passphrase")
        assert (
            str(screen.query_one("#unlock-attempts", Static).content) == "2 attempts left before this vault is wiped."
        )
        await unlock(app, pilot, "wrong again")
        await unlock(app, pilot, "and again")
        assert not vault_dir.exists()
        assert "wiped" in str(screen.query_one("#unlock-title", Static).content)
        assert "has been wiped" in str(screen.query_one("#unlock-status", Static).content)
        assert not screen.query_one("#secret", Input).display
