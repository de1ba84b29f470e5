"""Attachments (issue 20) through everything else the vault goes through, on real vaults
(SQLCipher, key slots, files on disk) and the real program where it has a command: a
backup holds them, a new passphrase and a new data key keep them readable and verified,
the emergency wipe leaves nothing of their bytes, a purge removes the deleted ones for
good (their record, with the hash, kept as a tombstone), and deleting the record they
belong to takes them with it, leaving no stray chunk."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN_NOW, PASSPHRASE, find_markers, run_cli
from helpers.evidence import add, stored, with_markers
from sqlalchemy import func
from sqlmodel import select

from hrd_tui import vault, wallclock, wipe
from hrd_tui.models import Attachment, Contact, RecordVersion, ThreatCase
from hrd_tui.models.attachments import attachment_chunk
from hrd_tui.services import attachments, base, contacts, threats
from hrd_tui.services.attachments import Owner
from hrd_tui.vault import Secret

MIB = 1 << 20
TEXT_MARKER = "LIFECYCLE-MARKER Ирина Волкова"
BINARY_MARKER = "BINARY-MARKER-5e1d"
MARKERS = [TEXT_MARKER, BINARY_MARKER, "Ирина Волкова"]


def binary(size: int) -> bytes:
    return with_markers(size, BINARY_MARKER.encode())


def chunk_ids(v: vault.Vault) -> dict[str, int]:
    """Stored chunks per attachment id (whether or not the attachment still exists)."""
    with v.store.session() as s:
        rows = s.exec(
            select(attachment_chunk.c.attachment_id, func.count()).group_by(attachment_chunk.c.attachment_id)
        ).all()
        return {str(i): int(n) for i, n in rows}


def tombstones(v: vault.Vault, attachment_id: str) -> list[dict[str, Any]]:
    with v.store.session() as s:
        return [
            r.data
            for r in s.exec(
                select(RecordVersion).where(
                    RecordVersion.entity == "attachment",
                    RecordVersion.entity_id == attachment_id,
                    RecordVersion.deleted == True,  # noqa: E712
                )
            )
        ]


@pytest.fixture
def filled(opened: vault.Vault) -> dict[str, Any]:
    """A contact and a threat case, each with a file: a text, and a binary of three chunks."""
    with opened.store.session() as s:
        irina = contacts.create_contact(s, {"name": "Ирина Волкова", "codename": "Heron-404"})
        case = threats.open_case(s, {"title": "Raid"}, [irina], plan=False)
        ids = {"contact": irina.id, "case": case.id}
    text = f"{TEXT_MARKER}\nwas summoned on 3 December.\n".encode()
    data = binary(2 * MIB + 4321)
    ids["text"] = add(opened, Owner("contact", ids["contact"]), "summons.txt", text)
    ids["binary"] = add(opened, Owner("case", ids["case"]), "recording.bin", data)
    digests = {ids["text"]: hashlib.sha256(text).hexdigest(), ids["binary"]: hashlib.sha256(data).hexdigest()}
    return {"ids": ids, "digests": digests, "binary": data}


def test_the_markers_are_found_when_they_are_there(tmp_path: Path) -> None:
    """The search every test below relies on finds each marker in a plain copy."""
    (tmp_path / "plain.bin").write_bytes(binary(MIB) + TEXT_MARKER.encode())
    assert len(find_markers([tmp_path], MARKERS)) == 3


# -- backups --------------------------------------------------------------------------------


def test_a_backup_holds_the_files_encrypted_and_verified(
    opened: vault.Vault, filled: dict[str, Any], tmp_path: Path, passfile: Path
) -> None:
    copy = opened.backup(tmp_path / "backup")
    with vault.unlock(copy, Secret(PASSPHRASE), readonly=True) as backup:
        assert stored(backup) == filled["digests"]
        assert attachments.check(backup.store) == attachments.Verified(2, [])
    opened.close()
    done = run_cli("--vault", str(opened.dir), "--passphrase-file", str(passfile), "backup", str(tmp_path / "cli"))
    assert done.returncode == 0, done.stderr
    with vault.unlock(tmp_path / "cli", Secret(PASSPHRASE), readonly=True) as backup:
        assert stored(backup) == filled["digests"]
        assert attachments.check(backup.store) == attachments.Verified(2, [])
    assert find_markers([opened.dir, tmp_path / "backup", tmp_path / "cli"], MARKERS) == []


# -- keys --------------------------------------------------------------------------------------


def test_a_new_passphrase_and_a_new_data_key_keep_the_files(
    new_vault: tuple[vault.Vault, str], filled: dict[str, Any], tmp_path: Path
) -> None:
    opened, code = new_vault
    new_passphrase = "a new passphrase for the rotation 7"
    opened.change_passphrase(new_passphrase)
    opened.close()
    with vault.unlock(opened.dir, Secret(new_passphrase)) as again:
        assert stored(again) == filled["digests"]
        assert attachments.check(again.store) == attachments.Verified(2, [])
        old_key = bytes(again._data_key)
        again.rekey(new_passphrase, code)
        assert bytes(again._data_key) != old_key
        # Within the session that rekeyed, and after reopening under the new key.
        assert attachments.check(again.store) == attachments.Verified(2, [])
    with vault.unlock(opened.dir, Secret(new_passphrase)) as rekeyed:
        assert stored(rekeyed) == filled["digests"]
        assert attachments.check(rekeyed.store) == attachments.Verified(2, [])
        written = attachments.export_to(rekeyed.store, filled["ids"]["binary"], tmp_path / "out.bin")
    assert (tmp_path / "out.bin").read_bytes() == filled["binary"] and written.sha256 == hashlib.sha256(
        filled["binary"]
    ).hexdigest()
    assert find_markers([opened.dir], MARKERS) == []


# -- the emergency wipe -----------------------------------------------------------------------


def test_the_emergency_wipe_leaves_nothing_of_a_files_bytes(
    opened: vault.Vault, filled: dict[str, Any], tmp_path: Path
) -> None:
    # Open, with the write-ahead log holding the last intake: nothing readable there either.
    assert (opened.dir / f"{vault.DB_NAME}-wal").exists()
    assert find_markers([opened.dir], MARKERS) == []
    opened.close()
    report = wipe.destroy_key_slots(opened.dir)  # step 1: unreadable at once, files still there
    assert report.key_slots_destroyed and (opened.dir / vault.DB_NAME).is_file()
    with pytest.raises(wipe.VaultWiped):
        vault.unlock(opened.dir, Secret(PASSPHRASE), readonly=True, wait=False)
    assert find_markers([opened.dir], MARKERS) == []
    done = run_cli("--vault", str(opened.dir), "wipe", "--yes")  # the command finishes it
    assert done.returncode == 0, done.stderr
    assert not opened.dir.exists()
    assert find_markers([tmp_path], MARKERS) == []


# -- purge ---------------------------------------------------------------------------------------


def test_purge_removes_the_bytes_of_files_deleted_before_the_cutoff(
    opened: vault.Vault, filled: dict[str, Any], passfile: Path
) -> None:
    ids = filled["ids"]
    old = add(opened, Owner("case", ids["case"]), "old.bin", binary(MIB + 10))
    with wallclock.frozen(FROZEN_NOW - timedelta(days=40)):
        attachments.remove(opened.store, old)
    with wallclock.frozen(FROZEN_NOW - timedelta(days=10)):
        attachments.remove(opened.store, ids["text"])  # deleted, but not long enough ago
    assert chunk_ids(opened)[old] == 2
    sha = stored(opened)[old]
    opened.close()
    done = run_cli(
        "--vault", str(opened.dir), "--passphrase-file", str(passfile), "purge", "--older-than", "30", "--yes"
    )
    assert done.returncode == 0, done.stderr
    with vault.unlock(opened.dir, Secret(PASSPHRASE)) as after:
        assert old not in chunk_ids(after)  # its bytes, gone
        assert set(chunk_ids(after)) == {ids["text"], ids["binary"]}
        with after.store.session() as s:
            assert s.get(Attachment, old) is None
            assert s.get(Attachment, ids["text"]).deleted_at is not None  # type: ignore[union-attr]
        (tombstone,) = tombstones(after, old)  # its record, with the hash, in the history
        assert tombstone["sha256"] == sha and tombstone["name"] == "old.bin"
        assert stored(after) == filled["digests"]
        assert attachments.check(after.store) == attachments.Verified(2, [])


# -- deleting what they belong to ---------------------------------------------------------------


def test_deleting_a_contact_takes_their_files_with_a_tombstone_each(
    opened: vault.Vault, filled: dict[str, Any]
) -> None:
    """The owner's foreign key is ON DELETE CASCADE, and services.base.delete walks it:
    each attachment is deleted through the session (its tombstone keeps the hash), and
    the database's own cascade removes its chunks (secure_delete overwrites them)."""
    with opened.store.session() as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
    owner = Owner("contact", ana.id)
    mine = [add(opened, owner, "a.bin", binary(2 * MIB + 1)), add(opened, owner, "b.txt", b"a note\n")]
    attachments.remove(opened.store, mine[1])  # deleted already: goes too
    digests = stored(opened)
    with opened.store.session() as s:
        contacts.delete_contact(s, base.get(s, Contact, ana.id))
    assert set(chunk_ids(opened)) == set(filled["digests"])
    for ident in mine:
        (tombstone,) = tombstones(opened, ident)
        assert tombstone["sha256"] == digests[ident] and tombstone["contact_id"] == ana.id
    assert stored(opened) == filled["digests"]
    assert attachments.check(opened.store) == attachments.Verified(2, [])


def test_deleting_a_case_takes_its_files_and_leaves_no_stray_chunk(opened: vault.Vault, filled: dict[str, Any]) -> None:
    """No service deletes a threat case today; base.delete (what one would call) does it
    with every record of the case, its attachments among them."""
    ids = filled["ids"]
    with opened.store.session() as s:
        base.delete(s, base.get(s, ThreatCase, ids["case"]))
    assert set(chunk_ids(opened)) == {ids["text"]}
    (tombstone,) = tombstones(opened, ids["binary"])
    assert tombstone["sha256"] == filled["digests"][ids["binary"]]
    assert attachments.check(opened.store) == attachments.Verified(1, [])
