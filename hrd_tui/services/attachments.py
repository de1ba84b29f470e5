"""Evidence files: take a file in, list, read, export, verify, delete and purge.

Where the bytes go, and why (issue 20): inside the SQLCipher database, in chunks of
1 MiB (models/attachments.py). The alternative, files encrypted with AES-GCM beside
the database, is faster on a large file (bench/bench_attachments.py prints both), but
would need its own key handling on rekey, its own copy in backups and handover, its
own destruction in the wipe and its own half-written-file recovery; in the database,
every one of those already holds, and a file whose intake fails (a full disk, a file
that grew past the limit) is rolled back with its transaction: nothing half-added
remains.

Streaming, never whole: intake reads the source 1 MiB at a time (hashing it and
writing each chunk as it comes), export and check read one chunk at a time, so
memory stays flat whatever the size, and nothing is ever copied in clear to a
temporary file. The chain of custody (name, size, type from the content, SHA-256,
when, note, the metadata found) is written once and never changed.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import sqlcipher3
from sqlalchemy import Connection, func, insert
from sqlalchemy import delete as sql_delete
from sqlmodel import Session, col, select

from hrd_tui.errors import HrdError, NotFound, StorageFull, ValidationError, from_db_error, from_os_error
from hrd_tui.models import Attachment, CivicObservation, Contact, Hearing, ThreatCase, Trial, new_id, utcnow
from hrd_tui.models.attachments import CHUNK_SIZE, OWNER_COLUMNS, attachment_chunk
from hrd_tui.services import base, file_metadata, filetypes
from hrd_tui.services.base import Transactions

T = TypeVar("T")

MIB = 1 << 20
#: The size limit per file unless the officer sets another (settings: attachment_max_mib).
DEFAULT_MAX_BYTES = 256 * MIB
#: How much of a text file (or a PDF's text) the viewer shows.
TEXT_LIMIT = 2_000_000

#: The record an attachment can belong to, by the word the command line takes.
OWNER_MODELS: dict[str, type[Any]] = {
    "contact": Contact,
    "case": ThreatCase,
    "trial": Trial,
    "hearing": Hearing,
    "observation": CivicObservation,
}


@dataclass(frozen=True)
class Owner:
    """What an attachment belongs to: its kind (a key of OWNER_MODELS) and full id."""

    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{base.short_id(self.id)}"


@dataclass(frozen=True)
class AttachmentView:
    """An attachment as lists and detail views show it (no ORM object outlives its session)."""

    id: str
    owner: Owner
    name: str
    media_type: str
    size: int
    sha256: str
    note: str
    added_at: datetime
    found_metadata: dict[str, str]
    deleted_at: datetime | None

    @property
    def short_id(self) -> str:
        return base.short_id(self.id)

    @property
    def size_text(self) -> str:
        return size_text(self.size)


@dataclass(frozen=True)
class Exported:
    path: Path
    size: int
    sha256: str  # of the bytes written
    removed: list[str]  # metadata fields removed (--strip-metadata)
    note: str  # how stripping changed the file ("" for an exact copy)


def size_text(size: int) -> str:
    """A size as people read it: 812 B, 4.2 KiB, 200.0 MiB."""
    if size < 1024:
        return f"{size} B"
    if size < MIB:
        return f"{size / 1024:.1f} KiB"
    if size < 1 << 30:
        return f"{size / MIB:.1f} MiB"
    return f"{size / (1 << 30):.2f} GiB"


def view(attachment: Attachment) -> AttachmentView:
    return AttachmentView(
        id=attachment.id,
        owner=owner_of(attachment),
        name=attachment.name,
        media_type=attachment.media_type,
        size=attachment.size,
        sha256=attachment.sha256,
        note=attachment.note,
        added_at=attachment.created_at,
        found_metadata={str(k): str(v) for k, v in attachment.found_metadata.items()},
        deleted_at=attachment.deleted_at,
    )


# -- owners -----------------------------------------------------------------------


def owner_of(attachment: Attachment) -> Owner:
    for kind, column in OWNER_COLUMNS.items():
        ident = getattr(attachment, column)
        if ident is not None:
            return Owner(kind, ident)
    raise ValueError("an attachment without an owner")  # the schema's CHECK forbids it


def parse_owner(text: str) -> tuple[str, str]:
    """KIND:ID as typed (``case:1a2b``): the kind checked, the id not yet looked up."""
    kind, sep, ident = text.strip().partition(":")
    kinds = ", ".join(OWNER_MODELS)
    if not sep or not ident.strip():
        raise ValidationError({"to": f"give KIND:ID, where KIND is one of {kinds} (e.g. case:1a2b3c4d)"})
    if kind.strip().lower() not in OWNER_MODELS:
        raise ValidationError({"to": f"'{kind.strip()}' is not something a file can be attached to ({kinds})"})
    return kind.strip().lower(), ident.strip()


def resolve_owner(session: Session, text: str) -> Owner:
    """The record KIND:ID names (ID whole or a unique start of it)."""
    kind, ident = parse_owner(text)
    return Owner(kind, base.resolve_id(session, OWNER_MODELS[kind], ident, field="to"))


def owner_exists(session: Session, owner: Owner) -> bool:
    return session.get(OWNER_MODELS[owner.kind], owner.id) is not None


# -- intake -------------------------------------------------------------------------


@dataclass
class Source:
    """A file opened for intake: checked to be a regular file, its size known."""

    fd: int
    name: str
    size: int

    def close(self) -> None:
        os.close(self.fd)


_KINDS_OF_FILE = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def open_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Open ``path`` for reading, or say clearly why it cannot be taken in.

    The checks are made on the opened descriptor (fstat), not the name, so the file
    cannot be swapped between the check and the read; O_NONBLOCK keeps a FIFO from
    hanging the open."""
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise NotFound(f"No file {shown}.") from None
    except PermissionError:
        raise ValidationError({"file": f"{shown} cannot be read (permission denied)"}) from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket or a FIFO with no writer
            raise ValidationError({"file": f"{shown} is not a regular file"}) from None
        raise from_os_error(exc, f"opening {shown}") from exc
    try:
        info = os.fstat(fd)
        for test, what in _KINDS_OF_FILE:
            if test(info.st_mode):
                raise ValidationError({"file": f"{shown} is {what}, not a file: only regular files can be attached"})
        if not stat.S_ISREG(info.st_mode):
            raise ValidationError({"file": f"{shown} is not a regular file"})
        if info.st_size > max_bytes:
            raise ValidationError({"file": too_large(info.st_size, max_bytes, shown)})
        if info.st_size == 0:
            raise ValidationError({"file": f"{shown} is empty: there is nothing to keep"})
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return Source(fd, path.name, info.st_size)


class IntakeCancelled(HrdError):
    """The officer stopped an intake (Esc, or a lock) between two chunks: its transaction
    is rolled back, so nothing of the file is kept."""

    def __init__(self) -> None:
        super().__init__("Cancelled: nothing was kept.")


#: Asked before each chunk (and before the metadata is read): True stops the intake.
CancelCheck = Callable[[], bool]


def too_large(size: int | None, max_bytes: int, shown: str) -> str:
    """``size`` None: a stream, refused as it passed the limit (its whole size is not known)."""
    over = f"is {size_text(size)}, over" if size is not None else "is over"
    return f"{shown} {over} the limit of {size_text(max_bytes)} a file (the setting attachment_max_mib raises it)"


def add(
    session: Session,
    path: Path,
    owner: Owner,
    *,
    note: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    cancelled: CancelCheck | None = None,
) -> Attachment:
    """Take the file at ``path`` in, attached to ``owner``: one transaction."""
    source = open_source(path, max_bytes)
    try:
        with os.fdopen(os.dup(source.fd), "rb", buffering=0) as stream:
            return add_stream(session, stream, source.name, owner, note=note, max_bytes=max_bytes, cancelled=cancelled)
    finally:
        source.close()


def add_stream(
    session: Session,
    stream: IO[bytes],
    name: str,
    owner: Owner,
    *,
    note: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    expect_sha256: str | None = None,
    attachment_id: str | None = None,
    added_at: datetime | None = None,
    found_metadata: dict[str, str] | None = None,
    cancelled: CancelCheck | None = None,
) -> Attachment:
    """Take bytes in from ``stream`` (read to its end), chunk by chunk, hashing as they come.

    ``expect_sha256`` (a handover's import): the bytes must hash to it, or nothing is
    added. ``attachment_id``/``added_at``/``found_metadata``: kept from the vault the
    file came from, so its chain of custody travels with it. ``cancelled``: asked before
    each chunk; True raises IntakeCancelled (a 4 GiB file takes a minute: Esc or a lock
    must not wait for it), and the caller's transaction rolls the chunks written back."""
    clean_name = _clean_name(name)
    if not owner_exists(session, owner):
        raise NotFound(f"No {owner.kind} with id {owner.id}.")
    ident = attachment_id or new_id()
    digest = hashlib.sha256()
    size = 0
    seq = 0
    head = b""
    connection = session.connection()
    while True:
        if cancelled is not None and cancelled():
            raise IntakeCancelled()
        block = _read_full(stream, CHUNK_SIZE)
        if not block:
            break
        size += len(block)
        if size > max_bytes:
            raise ValidationError({"file": too_large(None, max_bytes, clean_name)})
        if seq == 0:
            head = block[: filetypes.SNIFF_BYTES]
        digest.update(block)
        _write_chunk(connection, ident, seq, block)
        seq += 1
    if size == 0:
        raise ValidationError({"file": f"{clean_name} is empty: there is nothing to keep"})
    sha256 = digest.hexdigest()
    if expect_sha256 is not None and sha256 != expect_sha256:
        raise ValidationError({"file": f"{clean_name} does not match its SHA-256: it was changed or damaged"})
    media_type = filetypes.detect(head)
    if cancelled is not None and cancelled():  # before the metadata read (a PDF: up to 32 MiB)
        raise IntakeCancelled()
    if found_metadata is None:
        found_metadata = file_metadata.inspect(io.BufferedReader(ChunkReader(session, ident, size)), media_type)
    fields: dict[str, Any] = {
        "id": ident,
        "name": clean_name,
        "media_type": media_type,
        "size": size,
        "sha256": sha256,
        "note": note.strip(),
        "found_metadata": found_metadata,
        OWNER_COLUMNS[owner.kind]: owner.id,
    }
    # One moment for both: the row is written once, and a handover keeps it exactly.
    fields["created_at"] = fields["updated_at"] = added_at or utcnow()
    attachment = base.validate(Attachment, fields)
    session.add(attachment)
    session.flush()
    return attachment


def _read_full(stream: IO[bytes], size: int) -> bytes:
    """Up to ``size`` bytes, fewer only at the end (a raw read may return less)."""
    parts: list[bytes] = []
    left = size
    while left:
        try:
            part = stream.read(left)
        except OSError as exc:
            raise from_os_error(exc, "reading the file") from exc
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _clean_name(name: str) -> str:
    """The original name as kept: its last path part, without control characters."""
    from hrd_tui.sanitize import strip_invisible

    shown = strip_invisible(os.path.basename(name.replace("\\", "/"))).strip()
    shown = "".join(ch for ch in shown if ch.isprintable())
    if not shown:
        raise ValidationError({"file": "the file has no usable name"})
    return shown[:255]


# -- reading back ---------------------------------------------------------------------


def chunk_count(session: Session, attachment_id: str) -> int:
    stmt = select(func.count()).select_from(attachment_chunk).where(attachment_chunk.c.attachment_id == attachment_id)
    return int(session.exec(stmt).one())


def _blob(connection: Connection, row: int, *, write: bool) -> Any:
    """SQLite's incremental blob I/O on one chunk's value (sqlcipher3's open_blob): the
    bytes go between Python and the pages with no whole copy of the value made by SQLite,
    which SQLCipher's memory security would overwrite with random bytes when freeing it;
    about a fifth less CPU on intake and two fifths on export (bench_attachments.py)."""
    raw = cast(Any, connection.connection.dbapi_connection)
    try:
        return raw.open_blob(attachment_chunk.name, "data", row, not write, "main")
    except sqlcipher3.Error as exc:  # raw, not wrapped by SQLAlchemy: mapped here
        raise from_db_error(exc, "adding the attachment" if write else "reading the attachment") from exc


def _write_chunk(connection: Connection, ident: str, seq: int, block: bytes) -> None:
    """One chunk row: inserted as zeroblob(n), its bytes then written through blob I/O."""
    stmt = insert(attachment_chunk).values(attachment_id=ident, seq=seq, data=func.zeroblob(len(block)))
    row = connection.execute(stmt).lastrowid
    blob = _blob(connection, row, write=True)
    try:
        blob.write(block)
    except sqlcipher3.Error as exc:  # a full disk mid-chunk: StorageFull, as for an INSERT
        raise from_db_error(exc, "adding the attachment") from exc
    finally:
        blob.close()


def _chunk_rows(connection: Connection, attachment_id: str) -> dict[int, int]:
    """The row id of each of an attachment's chunks by its place, in order (a few bytes
    each: never the data)."""
    stmt = select(attachment_chunk.c.seq, attachment_chunk.c.id).where(
        attachment_chunk.c.attachment_id == attachment_id
    )
    return {int(seq): int(row) for seq, row in connection.execute(stmt.order_by(attachment_chunk.c.seq))}


def _read_chunk(connection: Connection, row: int) -> bytes:
    blob = _blob(connection, row, write=False)
    try:
        return bytes(blob.read())
    except sqlcipher3.Error as exc:  # a page failing its HMAC: VaultDamaged
        raise from_db_error(exc, "reading the attachment") from exc
    finally:
        blob.close()


def chunks(session: Session, attachment_id: str) -> Iterator[bytes]:
    """The stored bytes in order, one chunk at a time (never all at once)."""
    connection = session.connection()
    for row in _chunk_rows(connection, attachment_id).values():
        yield _read_chunk(connection, row)


class ChunkReader(io.RawIOBase):
    """A read-only, seekable file over an attachment's chunks (for Pillow and pypdf,
    which seek), holding one chunk at a time."""

    def __init__(self, session: Session, attachment_id: str, size: int) -> None:
        super().__init__()
        self._connection = session.connection()
        self._rows = _chunk_rows(self._connection, attachment_id)
        self._size = size
        self._pos = 0
        self._seq = -1
        self._chunk = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        start = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, start + offset)
        return self._pos

    def _load(self, seq: int) -> None:
        if seq != self._seq:
            row = self._rows.get(seq)  # a missing chunk reads as the end, never as the next one
            self._chunk = _read_chunk(self._connection, row) if row is not None else b""
            self._seq = seq

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._pos >= self._size or not len(view):
            return 0
        self._load(self._pos // CHUNK_SIZE)
        offset = self._pos % CHUNK_SIZE
        part = self._chunk[offset : offset + len(view)]
        view[: len(part)] = part
        self._pos += len(part)
        return len(part)


def reader(session: Session, attachment: Attachment) -> io.BufferedReader:
    return io.BufferedReader(ChunkReader(session, attachment.id, attachment.size), buffer_size=256 * 1024)


# -- finding and listing -----------------------------------------------------------------


def resolve(session: Session, typed: str) -> Attachment:
    return base.get(session, Attachment, base.resolve_id(session, Attachment, typed))


def listed(session: Session, owner: Owner | None = None, *, deleted: bool = False) -> list[Attachment]:
    """Attachments, oldest first; of one record if ``owner``; deleted ones only if asked."""
    stmt = select(Attachment).order_by(col(Attachment.created_at), col(Attachment.id))
    if owner is not None:
        stmt = stmt.where(getattr(Attachment, OWNER_COLUMNS[owner.kind]) == owner.id)
    if not deleted:
        stmt = stmt.where(col(Attachment.deleted_at).is_(None))
    return list(session.exec(stmt))


# -- export ------------------------------------------------------------------------------


def export(session: Session, attachment: Attachment, dest: Path, *, strip: bool = False) -> Exported:
    """Write the attachment to ``dest``, a new file (0600; never over an existing one).

    Exact (the default): the original bytes, checked against the recorded SHA-256 as
    they are written. ``strip``: the file without its identifying metadata. A file
    that fails half-way is removed."""
    try:
        fd = os.open(dest, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        raise ValidationError({"output": f"{dest} already exists: an export never overwrites a file"}) from None
    except OSError as exc:
        raise from_os_error(exc, f"creating {dest}") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            if strip:
                # Into the file itself, hashed once written: a TIFF's writer seeks back.
                done = file_metadata.strip(reader(session, attachment), attachment.media_type, out)
                removed, note = done.removed, done.note
                out.flush()
                size, sha256 = _hash_of(out.fileno())
            else:
                counting = _Counting(out)
                _copy_checked(session, attachment, counting)
                removed, note = [], ""
                size, sha256 = counting.size, counting.digest.hexdigest()
            out.flush()
            os.fsync(out.fileno())
    except BaseException as exc:
        dest.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise from_os_error(exc, f"writing {dest}") from exc
        raise
    return Exported(dest, size, sha256, removed, note)


def _hash_of(fd: int) -> tuple[int, str]:
    """The size and SHA-256 of what the file ``fd`` holds (read back, a chunk at a time)."""
    digest = hashlib.sha256()
    size = 0
    while block := os.pread(fd, CHUNK_SIZE, size):
        digest.update(block)
        size += len(block)
    return size, digest.hexdigest()


class _Counting(io.RawIOBase):
    """A writer that hashes and counts what passes through it."""

    def __init__(self, out: IO[bytes]) -> None:
        super().__init__()
        self._out = out
        self.size = 0
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._out.write(view)
        self.digest.update(view)
        self.size += len(view)
        return len(view)


def _copy_checked(session: Session, attachment: Attachment, out: _Counting) -> None:
    for block in chunks(session, attachment.id):
        out.write(block)
    problem = _mismatch(attachment, out.size, out.digest.hexdigest())
    if problem:
        raise HrdError(f"Nothing was exported: {problem}. Run 'hrd-tui check', and restore a backup.")


def _mismatch(attachment: Attachment, size: int, sha256: str) -> str | None:
    if size != attachment.size:
        return f"attachment {base.short_id(attachment.id)} ({attachment.name}) holds {size} bytes, not the {attachment.size} taken in"
    if sha256 != attachment.sha256:
        return f"attachment {base.short_id(attachment.id)} ({attachment.name}) no longer matches its SHA-256"
    return None


# -- check -------------------------------------------------------------------------------


def verify(session: Session, attachment: Attachment) -> str | None:
    """What is wrong with one attachment's stored bytes, or None when they hash as taken in."""
    digest = hashlib.sha256()
    size = 0
    for block in chunks(session, attachment.id):
        digest.update(block)
        size += len(block)
    return _mismatch(attachment, size, digest.hexdigest())


@dataclass(frozen=True)
class Verified:
    checked: int
    problems: list[str]


def verify_all(session: Session) -> Verified:
    """Every attachment (deleted ones too, until purged) re-hashed against its record."""
    ids = list(session.exec(select(Attachment.id).order_by(col(Attachment.id))))
    problems: list[str] = []
    for ident in ids:
        attachment = base.get(session, Attachment, ident)
        problem = verify(session, attachment)
        if problem:
            problems.append(problem)
        session.expunge(attachment)
    stray = session.exec(
        select(func.count())
        .select_from(attachment_chunk)
        .where(~attachment_chunk.c.attachment_id.in_(select(Attachment.id)))
    ).one()
    if stray:
        problems.append(f"{stray} stored chunk(s) belong to no attachment")
    return Verified(len(ids), problems)


# -- delete and purge -----------------------------------------------------------------------


def delete(session: Session, attachment: Attachment) -> Attachment:
    """Mark deleted: hidden from lists, its record (with the hash) and bytes kept until a purge."""
    if attachment.deleted_at is not None:
        raise ValidationError({"id": f"attachment {base.short_id(attachment.id)} is already deleted"})
    attachment.deleted_at = utcnow()
    attachment.updated_at = attachment.deleted_at
    session.add(attachment)
    session.flush()
    return attachment


def purge(session: Session, older_than_days: int, *, now: datetime | None = None) -> int:
    """Remove for good the attachments deleted more than ``older_than_days`` ago: their
    bytes (overwritten: secure_delete) and their row (its last state, with the hash,
    stays in the history as a tombstone, which a later purge removes in its turn)."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    gone = list(session.exec(select(Attachment).where(col(Attachment.deleted_at) < cutoff)))
    for attachment in gone:
        session.execute(sql_delete(attachment_chunk).where(attachment_chunk.c.attachment_id == attachment.id))
        session.delete(attachment)
    session.flush()
    return len(gone)


# -- for the screens and the command line: one transaction each --------------------------------


def views(tx: Transactions, owner: Owner | None = None, *, deleted: bool = False) -> list[AttachmentView]:
    with tx.session("reading the attachments") as session:
        return [view(a) for a in listed(session, owner, deleted=deleted)]


def find(tx: Transactions, typed: str) -> AttachmentView:
    with tx.session("reading the attachment") as session:
        return view(resolve(session, typed))


def attach(
    tx: Transactions,
    path: Path,
    owner: Owner,
    *,
    note: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    cancelled: CancelCheck | None = None,
) -> AttachmentView:
    """Take a file in: all of it in one transaction, or nothing (a full disk, a cancel included)."""
    return _all_or_nothing(
        tx, lambda session: add(session, path, owner, note=note, max_bytes=max_bytes, cancelled=cancelled)
    )


def attach_stream(
    tx: Transactions, stream: IO[bytes], name: str, owner: Owner, *, note: str = "", max_bytes: int = DEFAULT_MAX_BYTES
) -> AttachmentView:
    """Take bytes in from a pipe (``gpg -d file.gpg | hrd-tui attach - --name NAME``: never a
    decrypted copy on disk), read to its end: as ``attach``, all of it or nothing."""
    return _all_or_nothing(tx, lambda session: add_stream(session, stream, name, owner, note=note, max_bytes=max_bytes))


def _all_or_nothing(tx: Transactions, take: Callable[[Session], Attachment]) -> AttachmentView:
    try:
        with tx.session("adding the attachment") as session:
            return view(take(session))
    except StorageFull as exc:
        raise StorageFull(f"{exc} The file was not added: nothing of it was kept.") from exc


def export_to(tx: Transactions, attachment_id: str, dest: Path, *, strip: bool = False) -> Exported:
    with tx.session("exporting the attachment") as session:
        return export(session, resolve(session, attachment_id), dest, strip=strip)


def remove(tx: Transactions, attachment_id: str) -> AttachmentView:
    with tx.session("deleting the attachment") as session:
        return view(delete(session, resolve(session, attachment_id)))


def same_file(tx: Transactions, added: AttachmentView) -> list[str]:
    """The other attachments holding the very same bytes (same SHA-256), deleted ones
    too, as "1a2b3c4d on case:4f05e57f": said at intake, so that a file kept twice is
    seen to be one piece of evidence, not two."""
    with tx.session("looking for the same file") as session:
        stmt = (
            select(Attachment)
            .where(Attachment.sha256 == added.sha256, Attachment.id != added.id)
            .order_by(col(Attachment.created_at), col(Attachment.id))
        )
        return [
            f"{base.short_id(a.id)} on {owner_of(a)}" + (" (deleted)" if a.deleted_at is not None else "")
            for a in session.exec(stmt)
        ]


def check(tx: Transactions) -> Verified:
    with tx.session("checking the attachments") as session:
        return verify_all(session)


def with_contents(tx: Transactions, attachment_id: str, use: Callable[[IO[bytes], AttachmentView], T]) -> T:
    """Call ``use`` with a seekable reader over the stored bytes (within one transaction)."""
    with tx.session("reading the attachment") as session:
        attachment = resolve(session, attachment_id)
        return use(reader(session, attachment), view(attachment))


def readable_text(tx: Transactions, attachment_id: str, limit_chars: int = TEXT_LIMIT) -> str:
    """A text file's text, or a PDF's, for the viewer (control characters left for the
    screen's own sanitising); a clear error for any other type."""

    def text_of(stream: IO[bytes], shown: AttachmentView) -> str:
        if shown.media_type == "text/plain":
            return stream.read(limit_chars * 4).decode("utf-8", "replace")[:limit_chars]
        if shown.media_type == "application/pdf":
            try:
                return file_metadata.pdf_text(stream, limit_chars)
            except Exception as exc:  # noqa: BLE001 - a damaged or hostile PDF can fail in any way
                raise ValidationError({"id": f"the PDF's text could not be read ({type(exc).__name__})"}) from exc
        raise ValidationError({"id": f"a {shown.media_type} file has no text to show: export it to open it"})

    return with_contents(tx, attachment_id, text_of)


# -- for the screens ---------------------------------------------------------------------------

#: What discreet mode shows instead of an original file name that names a contact.
HIDDEN_NAME = "[name hidden]"
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}\Z")


def name_hider(tx: Transactions) -> Callable[[str], str]:
    """Discreet mode's rule for original file names: one that names a contact (a whole
    name or a part of it, case and accents folded, words apart however they are joined:
    ``Amina_Yusuf_injuries.jpg``, ``amina-yusuf.jpg``, ``AminaYusuf.jpg``) is shown as
    ``[name hidden].jpg``. The app's own names filter (codenames in free text) cannot
    see these: ``_`` joins words, so "Amina_Yusuf" is one word to it."""
    from hrd_tui.services import redaction

    with tx.session("reading names for discreet mode") as session:
        names = [name for name in session.exec(select(Contact.name)) if name]
    people = [(str(n), name, "") for n, name in enumerate(names)]  # no codename: it may be shown
    squeezed_names = {s for s in (_NOT_LETTERS.sub("", redaction.fold(name)) for name in names) if len(s) >= 6}

    def shown(name: str) -> str:
        words = _NOT_LETTERS.sub(" ", _CAMEL.sub(" ", name)).strip()
        squeezed = _NOT_LETTERS.sub("", redaction.fold(name))
        if not ((words and redaction.mentioned(words, people)) or any(part in squeezed for part in squeezed_names)):
            return name
        extension = _EXTENSION.search(name)
        return HIDDEN_NAME + (extension.group(0).lower() if extension else "")

    return shown


def preview_image(tx: Transactions, attachment_id: str, width: int, height: int) -> Any:
    """A copy of an image at most ``width`` x ``height`` pixels, RGB, for a preview in
    character cells (Pillow; the same pixel limit as intake, so a crafted image with
    huge dimensions is refused before its pixels are decoded)."""

    def small(stream: IO[bytes], shown: AttachmentView) -> Any:
        if not filetypes.is_image(shown.media_type):
            raise ValidationError({"id": f"a {shown.media_type} file is not an image"})
        return file_metadata.thumbnail(stream, width, height)

    return with_contents(tx, attachment_id, small)
