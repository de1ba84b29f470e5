"""The attachments service (issue 20) in a real vault: a file taken in chunk by chunk and
read back exact, intake refused whole (nothing half-added) when the bytes are wrong, too
many or missing, exports that never overwrite and never leave a partial file, the check
that finds a changed chunk, and delete and purge with their tombstone."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_NOW
from sqlalchemy import func, text
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.errors import HrdError, NotFound, ValidationError
from hrd_tui.models import Attachment, RecordVersion
from hrd_tui.models.attachments import CHUNK_SIZE, attachment_chunk
from hrd_tui.services import attachments, contacts, threats, trials
from hrd_tui.services.attachments import Owner
from hrd_tui.vocab import ThreatType

MIB = 1 << 20


@pytest.fixture
def case(opened: vault.Vault) -> Owner:
    with opened.store.session() as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        c = threats.open_case(s, {"title": "Threats by phone"}, [ana], [ThreatType.PHYSICAL_ATTACK])
        return Owner("case", c.id)


def counts(opened: vault.Vault) -> tuple[int, int]:
    with opened.store.session() as s:
        rows = s.exec(select(func.count()).select_from(Attachment)).one()
        chunks = s.exec(select(func.count()).select_from(attachment_chunk)).one()
        return int(rows), int(chunks)


def test_a_file_is_kept_in_chunks_and_read_back_exact(opened: vault.Vault, case: Owner, tmp_path: Path) -> None:
    data = os.urandom(2 * MIB + 12_345)
    source = tmp_path / "sub" / "recording.bin"
    source.parent.mkdir()
    source.write_bytes(data)
    added = attachments.attach(opened.store, source, case, note="  from the lawyer ")
    assert (added.name, added.size, added.media_type) == ("recording.bin", len(data), "application/octet-stream")
    assert added.sha256 == hashlib.sha256(data).hexdigest() and added.note == "from the lawyer"
    assert added.owner == case and str(added.owner) == f"case:{case.id[:8]}"
    assert FROZEN_NOW <= added.added_at < FROZEN_NOW + timedelta(minutes=5)
    with opened.store.session() as s:
        assert attachments.chunk_count(s, added.id) == 3
        assert [len(c) for c in attachments.chunks(s, added.id)] == [CHUNK_SIZE, CHUNK_SIZE, 12_345]
        assert b"".join(attachments.chunks(s, added.id)) == data
        stream = attachments.reader(s, attachments.resolve(s, added.id[:8]))
        stream.seek(CHUNK_SIZE - 10)
        assert stream.read(20) == data[CHUNK_SIZE - 10 : CHUNK_SIZE + 10]  # across a chunk boundary
        stream.seek(-5, io.SEEK_END)
        assert stream.read() == data[-5:]
    assert [v.id for v in attachments.views(opened.store, case)] == [added.id]
    assert attachments.check(opened.store) == attachments.Verified(1, [])


def test_intake_is_all_or_nothing(opened: vault.Vault, case: Owner) -> None:
    data = b"x" * (CHUNK_SIZE + 10)
    with pytest.raises(ValidationError, match="does not match its SHA-256"):
        with opened.store.session() as s:
            attachments.add_stream(s, io.BytesIO(data), "a.bin", case, expect_sha256="0" * 64)
    with pytest.raises(ValidationError, match="over the limit of 1.0 MiB"):  # a stream: the size known only at its end
        with opened.store.session() as s:
            attachments.add_stream(s, io.BytesIO(data), "a.bin", case, max_bytes=MIB)
    with pytest.raises(NotFound, match="No trial"):
        with opened.store.session() as s:
            attachments.add_stream(s, io.BytesIO(data), "a.bin", Owner("trial", "f" * 32))
    assert counts(opened) == (0, 0)


def test_a_file_that_cannot_be_taken_is_said_plainly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "empty").touch()
    (tmp_path / "big").write_bytes(b"y" * (MIB + 1))
    with pytest.raises(NotFound, match="No file"):
        attachments.open_source(tmp_path / "missing")
    for path, said in [
        (tmp_path, "is a directory"),
        (fifo, "is a named pipe"),
        (Path("/dev/null"), "is a character device"),
        (tmp_path / "empty", "is empty"),
    ]:
        with pytest.raises(ValidationError, match=said):
            attachments.open_source(path)
    with pytest.raises(ValidationError, match="1.0 MiB, over the limit of 1.0 MiB"):
        attachments.open_source(tmp_path / "big", max_bytes=MIB)
    unreadable = tmp_path / "secret"
    unreadable.write_text("x")
    unreadable.chmod(0)
    if os.geteuid() != 0:  # root reads anything
        with pytest.raises(ValidationError, match="permission denied"):
            attachments.open_source(unreadable)


def test_names_types_and_owners_as_typed(opened: vault.Vault, case: Owner) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with opened.store.session() as s:
        kept = attachments.add_stream(s, io.BytesIO(png), "C:\\Users\\me\\photo\x07.txt", case)
        assert (kept.name, kept.media_type) == ("photo.txt", "image/png")  # the content decides
        assert kept.found_metadata.get("unreadable")  # not a real PNG: said, and kept anyway
        assert attachments.resolve_owner(s, f" Case:{case.id[:6]} ") == case
        with pytest.raises(ValidationError, match="not something a file can be attached to"):
            attachments.resolve_owner(s, f"cas:{case.id}")
        with pytest.raises(ValidationError, match="give KIND:ID"):
            attachments.resolve_owner(s, case.id)
    assert attachments.size_text(812) == "812 B" and attachments.size_text(200 * MIB) == "200.0 MiB"


def test_export_never_overwrites_nor_leaves_a_partial_file(opened: vault.Vault, case: Owner, tmp_path: Path) -> None:
    data = os.urandom(CHUNK_SIZE + 100)
    (tmp_path / "in.bin").write_bytes(data)
    added = attachments.attach(opened.store, tmp_path / "in.bin", case)
    done = attachments.export_to(opened.store, added.id, tmp_path / "out.bin")
    assert (tmp_path / "out.bin").read_bytes() == data and done.sha256 == added.sha256
    assert (tmp_path / "out.bin").stat().st_mode & 0o777 == 0o600 and done.removed == []
    with pytest.raises(ValidationError, match="already exists"):
        attachments.export_to(opened.store, added.id, tmp_path / "out.bin")
    with pytest.raises(ValidationError, match="cannot remove metadata from a application/octet-stream"):
        attachments.export_to(opened.store, added.id, tmp_path / "stripped.bin", strip=True)
    assert not (tmp_path / "stripped.bin").exists()

    with opened.store.session() as s:  # a changed chunk: the export stops, and nothing is left
        s.connection().execute(
            text("UPDATE attachment_chunk SET data = :d WHERE attachment_id = :id AND seq = 1"),
            {"d": b"z" * 100, "id": added.id},
        )
    with pytest.raises(HrdError, match="Nothing was exported: .* no longer matches its SHA-256"):
        attachments.export_to(opened.store, added.id, tmp_path / "again.bin")
    assert not (tmp_path / "again.bin").exists()
    checked = attachments.check(opened.store)
    assert checked.checked == 1 and len(checked.problems) == 1 and added.id[:8] in checked.problems[0]


def test_check_counts_every_attachment_and_finds_missing_and_stray_chunks(opened: vault.Vault, case: Owner) -> None:
    with opened.store.session() as s:
        one = attachments.add_stream(s, io.BytesIO(b"a" * (CHUNK_SIZE + 1)), "one.txt", case)
        attachments.add_stream(s, io.BytesIO(b"second"), "two.txt", case)
    assert attachments.check(opened.store) == attachments.Verified(2, [])
    with opened.store.session() as s:
        s.connection().execute(
            text("DELETE FROM attachment_chunk WHERE attachment_id = :id AND seq = 1"), {"id": one.id}
        )
    (problem,) = attachments.check(opened.store).problems
    assert f"attachment {one.id[:8]} (one.txt) holds {CHUNK_SIZE} bytes, not the {CHUNK_SIZE + 1}" in problem
    with opened.store.raw() as conn:  # a chunk of no attachment (foreign keys off for the raw write)
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute(
            "INSERT INTO attachment_chunk (attachment_id, seq, data) VALUES ('0' || hex(randomblob(15)) || '0', 0, x'00')"
        )
        conn.commit()
        conn.execute("PRAGMA foreign_keys=ON")
    assert "1 stored chunk(s) belong to no attachment" in attachments.check(opened.store).problems


def test_delete_keeps_the_record_and_purge_removes_it_after_the_days_given(opened: vault.Vault, case: Owner) -> None:
    with opened.store.session() as s:
        kept = attachments.add_stream(s, io.BytesIO(b"evidence " * 1000), "summons.txt", case)
    gone = attachments.remove(opened.store, kept.id[:8])
    assert gone.deleted_at is not None and gone.sha256 == kept.sha256
    with pytest.raises(ValidationError, match="already deleted"):
        attachments.remove(opened.store, kept.id)
    assert attachments.views(opened.store) == []
    assert [v.id for v in attachments.views(opened.store, deleted=True)] == [kept.id]
    with opened.store.session() as s:
        assert attachments.purge(s, 30, now=gone.deleted_at + timedelta(days=10)) == 0  # not yet
    assert counts(opened) == (1, 1)
    with opened.store.session() as s:
        assert attachments.purge(s, 30, now=gone.deleted_at + timedelta(days=31)) == 1
    assert counts(opened) == (0, 0)
    with opened.store.session() as s:
        (tombstone,) = s.exec(
            select(RecordVersion).where(RecordVersion.entity_id == kept.id, RecordVersion.deleted == True)  # noqa: E712
        ).all()
        assert tombstone.entity == "attachment" and tombstone.data["sha256"] == kept.sha256


def test_attachments_belong_to_each_kind_of_record(opened: vault.Vault, tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("text\n")
    with opened.store.session() as s:
        person = contacts.create_contact(s, {"name": "Bea", "codename": "Heron-2"})
        trial = trials.create_trial(s, {"title": "The trial"})
        hearing = trials.add_hearing(s, trial, {"starts_at": "2026-06-01T09:30:00Z"})
        owners = [Owner("contact", person.id), Owner("trial", trial.id), Owner("hearing", hearing.id)]
    for owner in owners:
        attachments.attach(opened.store, tmp_path / "f.txt", owner)
    for owner in owners:
        (one,) = attachments.views(opened.store, owner)
        assert one.owner == owner


def test_the_database_refuses_to_change_what_was_taken_in(opened: vault.Vault, case: Owner, tmp_path: Path) -> None:
    """The chain of custody holds below the services too: a trigger refuses any change to
    what was taken in (a bug, or a handover merge, cannot rewrite a hash or a name);
    only the deletion mark can change."""
    source = tmp_path / "summons.txt"
    source.write_text("SUMMONS\n")
    added = attachments.attach(opened.store, source, case)
    for column, value in (("sha256", "0" * 64), ("name", "other.txt"), ("size", 1), ("note", "changed")):
        with pytest.raises(HrdError, match="never changed after intake"):
            with opened.store.session() as s:
                s.connection().execute(
                    text(f"UPDATE attachment SET {column} = :v WHERE id = :i"), {"v": value, "i": added.id}
                )
    with opened.store.session() as s:
        kept = attachments.resolve(s, added.id)
        assert (kept.sha256, kept.name, kept.size, kept.note) == (added.sha256, "summons.txt", 8, "")
    assert attachments.remove(opened.store, added.id).deleted_at is not None  # the mark is allowed


def test_a_cancelled_intake_keeps_nothing(opened: vault.Vault, case: Owner, tmp_path: Path) -> None:
    """Esc or a lock during a long intake: the check before each chunk stops it, and the
    transaction takes back the chunks already written (seen in it before the rollback)."""
    source = tmp_path / "video.bin"
    source.write_bytes(os.urandom(4 * MIB + 7))
    written_when_stopped: list[int] = []
    with pytest.raises(attachments.IntakeCancelled, match=r"^Cancelled: nothing was kept\.$"):
        with opened.store.session() as s:

            def after_two_chunks() -> bool:
                written = int(s.exec(select(func.count()).select_from(attachment_chunk)).one())
                if written >= 2:
                    written_when_stopped.append(written)
                return written >= 2

            attachments.add(s, source, case, cancelled=after_two_chunks)
    assert written_when_stopped == [2]
    assert counts(opened) == (0, 0)
    asked: list[bool] = []

    def the_third_time() -> bool:
        asked.append(len(asked) == 2)
        return asked[-1]

    with pytest.raises(attachments.IntakeCancelled):  # the screens' one-transaction call
        attachments.attach(opened.store, source, case, cancelled=the_third_time)
    assert asked == [False, False, True] and counts(opened) == (0, 0)
    kept = attachments.attach(opened.store, source, case, cancelled=lambda: False)  # asked, never stopping
    assert kept.size == 4 * MIB + 7 and counts(opened) == (1, 5)
