"""Issue 15: the key slots live in a fixed-size header file overwritten in place.

A header replaced by rename leaves the earlier key slots in the freed blocks of
the disk, where the old passphrase still unwraps the data key. Here: the header
keeps its inode and its size across every change of the key slots; no byte of an
earlier slot is left in the file; a torn write leaves a vault that opens; an old
variable-size header is moved to the layout in place; on a real ext4 image (a
loop device, when this machine allows one) no earlier slot is left on the disk.
Also: an empty database is damage, the KDF policy bound, and rekey's crash order.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from test_keyring_binding import DictKeyring, _forget_test_backends, use_keyring  # noqa: F401 (fixtures)

from hrd_tui import keyslots, vault, wipe
from hrd_tui.errors import HrdError, StorageFull, UnlockFailed, VaultDamaged
from hrd_tui.keyslots import Header, KdfParams
from hrd_tui.paths import atomic_write
from hrd_tui.services import contacts
from hrd_tui.store import connect_raw
from hrd_tui.vault import Secret

NEW = "another long passphrase for the test"


def header_file(vault_dir: Path) -> Path:
    return vault_dir / vault.HEADER_NAME


def identity(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_dev, st.st_ino, st.st_size


def slot_bytes(raw_payload: bytes, type_: str) -> list[bytes]:
    """What identifies one slot in the file: its wrapped key, salt and nonce (base64 and raw)."""
    body = json.loads(raw_payload.split(b"\n")[0])
    slot = next(s for s in body["slots"] if s["type"] == type_)
    found = []
    for name in ("wrapped", "salt", "nonce"):
        found += [slot[name].encode(), base64.b64decode(slot[name])]
    return found


def payload_of(vault_dir: Path) -> bytes:
    return keyslots.header_payload(header_file(vault_dir).read_bytes())[0]


def test_the_header_keeps_its_inode_and_size_through_every_key_change(vault_dir: Path, use_keyring) -> None:  # noqa: F811 (the fixture, imported above)
    use_keyring(DictKeyring())
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    backup = vault_dir / vault.BACKUPS_NAME / "pre-upgrade-x"
    with opened:
        opened.backup(backup)
        live, copy = header_file(vault_dir), header_file(backup)
        before = identity(live), identity(copy)
        assert before[0][2] == keyslots.HEADER_FILE_SIZE == before[1][2]
        steps = [
            ("passwd", lambda: opened.change_passphrase(NEW, KdfParams(**keyslots.TEST_PARAMS))),
            ("bind on", lambda: opened.set_workstation_binding(True, NEW)),
            ("bind off", lambda: opened.set_workstation_binding(False, NEW)),
            ("new recovery code", opened.new_recovery_code),
            ("wipe-after 5", lambda: opened.set_wipe_after(5)),
            ("wipe-after off", lambda: opened.set_wipe_after(None)),
        ]
        for name, step in steps:
            old = payload_of(vault_dir)
            step()
            assert (identity(live), identity(copy)) == before, name
            if name.startswith(("passwd", "bind", "new")):
                assert payload_of(vault_dir) != old, name
            assert keyslots.header_payload(copy.read_bytes())[0] == payload_of(vault_dir), name
    # rekey too (its own test checks the keys); the header file is the same one
    with vault.unlock(vault_dir, Secret(NEW)) as again:
        code = again.new_recovery_code()
        again.rekey(NEW, code)
    assert (identity(live), identity(copy)) == before


def test_after_passwd_no_byte_of_the_old_slot_is_left_in_the_file(vault_dir: Path, opened: vault.Vault) -> None:
    opened.backup(vault_dir / vault.BACKUPS_NAME / "pre-upgrade-x")
    old_raw = header_file(vault_dir).read_bytes()
    old_slot = slot_bytes(payload_of(vault_dir), "passphrase")
    assert all(needle in old_raw for needle in old_slot[::2])  # both areas hold it before
    opened.change_passphrase(NEW, KdfParams(**keyslots.TEST_PARAMS))
    for path in (header_file(vault_dir), header_file(vault_dir / vault.BACKUPS_NAME / "pre-upgrade-x")):
        raw = path.read_bytes()
        assert len(raw) == keyslots.HEADER_FILE_SIZE
        assert [needle for needle in old_slot if needle in raw] == [], path
    opened.close()
    with pytest.raises(UnlockFailed):
        vault.unlock(vault_dir, Secret(PASSPHRASE), wait=False)
    with vault.unlock(vault_dir, Secret(NEW)):
        pass


def test_an_old_variable_size_header_is_moved_to_the_fixed_layout_in_place(vault_dir: Path) -> None:
    opened, code = vault.create(vault_dir, PASSPHRASE)
    with opened:
        key = bytes(opened._data_key)
        legacy = opened.header.to_bytes(key)
    atomic_write(header_file(vault_dir), legacy)  # as every hrd-tui before this one wrote it
    inode = header_file(vault_dir).stat().st_ino
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as again:  # an old header opens unchanged
        assert header_file(vault_dir).read_bytes() == legacy
        old_slot = slot_bytes(legacy, "passphrase")
        again.change_passphrase(NEW, KdfParams(**keyslots.TEST_PARAMS))
    raw = header_file(vault_dir).read_bytes()
    assert header_file(vault_dir).stat().st_ino == inode and len(raw) == keyslots.HEADER_FILE_SIZE
    assert all(area is not None for area in keyslots.header_areas(raw))
    assert [needle for needle in old_slot if needle in raw] == []
    with vault.unlock(vault_dir, Secret(code, kind="recovery")):
        pass


def test_a_torn_write_leaves_a_vault_that_opens(vault_dir: Path, opened: vault.Vault) -> None:
    size = keyslots.AREA_SIZE
    old = header_file(vault_dir).read_bytes()
    opened.change_passphrase(NEW, KdfParams(**keyslots.TEST_PARAMS))
    new = header_file(vault_dir).read_bytes()
    opened.close()
    # Both areas were in force (same sequence): area 0 is written first, then area 1.
    assert new[300:size].rstrip(b"\0") != b""  # a cut at 300 bytes is inside the slots' text
    torn_first = new[:300] + old[300:]  # cut during the first write
    torn_second = new[: size + 300] + old[size + 300 :]  # cut during the second
    for raw, opens, refused in ((torn_first, PASSPHRASE, NEW), (torn_second, NEW, PASSPHRASE)):
        header_file(vault_dir).write_bytes(raw)
        with pytest.raises(UnlockFailed):
            vault.unlock(vault_dir, Secret(refused), wait=False)
        with vault.unlock(vault_dir, Secret(opens), wait=False) as again:  # and the next write repairs it
            again.change_passphrase(opens, KdfParams(**keyslots.TEST_PARAMS))
        raw = header_file(vault_dir).read_bytes()
        assert raw[:size] == raw[size:] and all(keyslots.header_areas(raw))


def test_writes_alternate_the_area_not_in_force_first(tmp_path: Path) -> None:
    path = tmp_path / "h"
    path.write_bytes(keyslots.frame_header(b"A\n", seq=7))
    written: list[int] = []
    real = os.pwrite

    def spy(fd: int, data: bytes, offset: int) -> int:
        written.append(offset)
        return real(fd, data, offset)

    os.pwrite = spy  # type: ignore[assignment]
    try:
        keyslots.write_header_in_place(path, b"B\n")
        raw = path.read_bytes()
        raw = raw[: keyslots.AREA_SIZE] + raw[keyslots.AREA_SIZE :].replace(b"B\n", b"X\n", 1)  # area 1 torn
        path.write_bytes(raw)
        assert keyslots.header_payload(raw)[0] == b"B\n"
        written.clear()
        keyslots.write_header_in_place(path, b"C\n")
    finally:
        os.pwrite = real  # type: ignore[assignment]
    assert written == [keyslots.AREA_SIZE, 0]  # the torn area first, the one in force last
    assert [area[0] for area in keyslots.header_areas(path.read_bytes())] == [9, 9]


# -- on a real ext4 disk ------------------------------------------------------------


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def test_on_ext4_neither_passwd_nor_wipe_leaves_a_key_slot_on_the_disk(tmp_path: Path) -> None:
    """A loop-mounted ext4 image: after passwd the old slot is nowhere on the disk (the
    same blocks were overwritten), and after the wipe no header is."""
    if not (shutil.which("mkfs.ext4") and shutil.which("mount")) or os.geteuid() != 0:
        pytest.skip("needs root, mkfs.ext4 and mount to loop-mount an ext4 image")
    image, mnt = tmp_path / "disk.img", tmp_path / "mnt"
    mnt.mkdir()
    with image.open("wb") as fh:
        fh.truncate(16 << 20)
    made = _run("mkfs.ext4", "-q", "-F", str(image))
    if made.returncode != 0:
        pytest.skip(f"mkfs.ext4 failed: {made.stderr.strip()}")
    mounted = _run("mount", "-o", "loop", str(image), str(mnt))
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow a loop mount: {mounted.stderr.strip()}")
    try:
        vault_dir = mnt / "vault"
        opened, code = vault.create(vault_dir, PASSPHRASE)
        with opened:
            first = payload_of(vault_dir)
            old_slots = slot_bytes(first, "passphrase") + slot_bytes(first, "recovery")
            opened.change_passphrase(NEW, KdfParams(**keyslots.TEST_PARAMS))
            opened.new_recovery_code()
            current = payload_of(vault_dir)
        os.sync()
        on_disk = image.read_bytes()
        assert [n for n in old_slots if len(n) > 12 and n in on_disk] == []
        assert slot_bytes(current, "passphrase")[0] in on_disk  # the scan does see the disk's contents
        wipe.wipe(vault_dir)
    finally:
        assert _run("umount", str(mnt)).returncode == 0
    on_disk = image.read_bytes()
    assert b'"format":"hrd-tui-vault"' not in on_disk
    assert [
        n for n in slot_bytes(current, "passphrase") + slot_bytes(current, "recovery") if len(n) > 12 and n in on_disk
    ] == []


# -- an empty or missing database -----------------------------------------------------


@pytest.mark.parametrize("damage", ["empty", "missing", "no tables"])
def test_an_empty_or_missing_database_is_damage_never_a_new_vault(vault_dir: Path, damage: str) -> None:
    opened, code = vault.create(vault_dir, PASSPHRASE)
    key = bytes(opened._data_key)
    opened.close()
    db = vault_dir / vault.DB_NAME
    db.unlink()
    if damage == "empty":
        db.write_bytes(b"")
    elif damage == "no tables":  # a valid SQLCipher file under this key, with nothing in it
        conn = connect_raw(db, keyslots.database_key(key))
        conn.execute("PRAGMA user_version = 1")
        conn.close()
    before = db.read_bytes() if db.exists() else None
    for readonly in (True, False):
        for secret in (Secret(PASSPHRASE), Secret(code, kind="recovery")):
            with pytest.raises(VaultDamaged, match="empty|missing") as exc:
                vault.unlock(vault_dir, secret, readonly=readonly)
            assert exc.value.exit_code == 5
    assert (db.read_bytes() if db.exists() else None) == before  # nothing was started in its place


# -- the KDF policy ---------------------------------------------------------------------


def _forge_kdf(vault_dir: Path, **kdf: int) -> None:
    header, _, mac = Header.parse(payload_of(vault_dir))
    slot = header.slot("passphrase")
    slot.kdf.update(kdf)
    forged = header.body() + b"\nmac:" + mac.encode() + b"\n"
    header_file(vault_dir).write_bytes(keyslots.frame_header(forged, seq=99))


def test_a_header_asking_for_4_gib_and_64_passes_is_refused_before_any_kdf_work(
    vault_dir: Path, opened: vault.Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened.close()
    _forge_kdf(vault_dir, time_cost=64, memory_kib=4 * 1024 * 1024, parallelism=4)

    def no_kdf(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a KDF ran")

    monkeypatch.setattr(keyslots, "hash_secret_raw", no_kdf)
    with pytest.raises(VaultDamaged, match="more memory than hrd-tui ever picks") as exc:
        vault.unlock(vault_dir, Secret(PASSPHRASE), wait=False)
    assert exc.value.exit_code == 5 and vault.failure_count(vault_dir) == 0


def test_the_kdf_cost_is_bounded_by_this_machines_calibration(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(keyslots, "probe_seconds", lambda p: calls.append(p) or 0.1)  # 64 MiB, one pass: 0.1 s here
    KdfParams(3, 512 * 1024, 4).check_policy()  # what calibration picks: nothing measured
    assert calls == []
    KdfParams(5, 512 * 1024, 4).check_policy()  # 4.0 s: 4x calibration's 1 s, the most accepted
    with pytest.raises(VaultDamaged, match=r"about 5 s of work on this machine: more than 4x"):
        KdfParams(6, 512 * 1024, 4).check_policy()
    with pytest.raises(VaultDamaged, match="more than 4x"):
        KdfParams(64, 512 * 1024, 4).check_policy()
    with pytest.raises(VaultDamaged, match="more memory"):
        KdfParams(3, 1024 * 1024 + 1024, 4).check_policy()


# -- a full disk at unlock --------------------------------------------------------------


def test_a_full_disk_at_unlock_is_reported_as_a_full_disk(tmp_path: Path) -> None:
    """A real tmpfs of 4 MiB, filled up: the -wal/-shm cannot be made at the open."""
    if not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("needs root and mount for a small tmpfs")
    mnt = tmp_path / "small"
    mnt.mkdir()
    mounted = _run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt))
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow a tmpfs mount: {mounted.stderr.strip()}")
    try:
        vault_dir = mnt / "vault"
        vault.create(vault_dir, PASSPHRASE)[0].close()
        with (mnt / "fill").open("wb") as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError:
                pass
        for readonly in (True, False):
            with pytest.raises(StorageFull) as exc:
                vault.unlock(vault_dir, Secret(PASSPHRASE), readonly=readonly, wait=False)
            assert exc.value.exit_code == 7
        (mnt / "fill").unlink()
        with vault.unlock(vault_dir, Secret(PASSPHRASE)) as again:  # intact, once there is room
            assert again.check() == []
    finally:
        _run("umount", str(mnt))


# -- rekey's crash order --------------------------------------------------------------------


def _filled(vault_dir: Path) -> str:
    opened, code = vault.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session() as s:
        contacts.create_contact(s, {"name": "Rekey Marker"}, ["labour"])
    return code


def _names(vault_dir: Path, secret: Secret) -> list[str]:
    with vault.unlock(vault_dir, secret, readonly=True, wait=False) as v, v.store.session() as s:
        return [c.name for c in contacts.list_contacts(s)]


def test_a_rekey_cut_before_the_database_commit_is_undone(vault_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = _filled(vault_dir)
    monkeypatch.setattr(vault, "_rekey_database", lambda *a: (_ for _ in ()).throw(HrdError("power cut")))
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v, pytest.raises(HrdError, match="power cut"):
        v.rekey(PASSPHRASE, code)
    monkeypatch.undo()
    assert Header.parse(payload_of(vault_dir))[0].slot(keyslots.REKEY_SLOT) is not None
    assert _names(vault_dir, Secret(code, kind="recovery")) == ["Rekey Marker"]
    with vault.unlock(vault_dir, Secret(PASSPHRASE)):  # a writer takes the unused next key out
        pass
    assert Header.parse(payload_of(vault_dir))[0].slot(keyslots.REKEY_SLOT) is None


def test_a_rekey_cut_after_the_database_commit_opens_and_finishes(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _filled(vault_dir)
    real = vault.Vault._write_header

    def cut(self: vault.Vault, header: Header, key: bytes | None = None) -> None:
        if header.slot(keyslots.REKEY_SLOT) is None:
            raise HrdError("power cut")
        real(self, header, key)

    monkeypatch.setattr(vault.Vault, "_write_header", cut)
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v, pytest.raises(HrdError, match="power cut"):
        v.rekey(PASSPHRASE, code)
    monkeypatch.undo()
    for secret in (Secret(PASSPHRASE), Secret(code, kind="recovery")):
        assert _names(vault_dir, secret) == ["Rekey Marker"]
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:
        assert any("rekey was interrupted" in w for w in v.warnings)
        assert v.rekey(PASSPHRASE, code) is None
    header = Header.parse(payload_of(vault_dir))[0]
    assert header.slot(keyslots.REKEY_SLOT) is None
    assert _names(vault_dir, Secret(code, kind="recovery")) == ["Rekey Marker"]
