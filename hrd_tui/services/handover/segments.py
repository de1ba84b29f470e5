"""The attachments' bytes in a bundle (format version 2): encrypted segments after the
sealed document, written and read one segment at a time, never the whole file in memory.

Layout
------
The document's ``attachments`` list gives the files that follow it, in that order:
attachment *i* (from 0) of ``size`` bytes is ``ceil(size / SEGMENT_BYTES)`` segments,
each the AES-256-GCM encryption of the next ``SEGMENT_BYTES`` bytes of the file (the
last of a file shorter) with its 16-byte tag. Nothing else is in between, nothing after:
the document, authenticated, fixes the file's exact length, so a cut or lengthened
bundle is reported before any segment is read, and an absurd size or count (limits
below) is refused before anything is read.

Crypto (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár, as age
and Tink use it for files):

* the key is HKDF-SHA256 of the bundle's Argon2id output with its own info
  (``sealing.SEGMENT_INFO``): never the document's key, and new with every bundle
  (its salt is random);
* the nonce of segment *n* of attachment *i* is ``i`` (4 bytes) || ``n`` (7 bytes) ||
  the final flag (1 byte, 1 on the file's last segment): it never repeats under a key;
* the associated data repeats the attachment's id, *i*, *n* and the flag.

So a segment cannot be moved within a file or to another one, a file cannot be cut at
a segment boundary (its last segment would not say so) nor run on into the next, and
a changed byte fails the tag. On import each file is also hashed as it is written
(``services.attachments.add_stream`` with the SHA-256 its row records).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hrd_tui.errors import HrdError
from hrd_tui.services.base import short_id
from hrd_tui.services.handover.errors import BundleError
from hrd_tui.services.handover.sealing import TAG_BYTES

#: Bytes of a file per segment (the vault's own chunk size: an attachment's stored
#: chunks pass straight through). Fixed by the format: another size is another version.
SEGMENT_BYTES = 1 << 20
#: Limits checked on the document before any segment is read (SECURITY.md, requirement 18).
MAX_ATTACHMENTS = 100_000
MAX_ATTACHMENT_BYTES = 4096 << 20  # the ceiling of the setting attachment_max_mib
_AAD_LABEL = b"hrd-tui/bundle/v2/segment\x00"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def segment_count(size: int) -> int:
    return math.ceil(size / SEGMENT_BYTES)


def sealed_size(size: int) -> int:
    """The bytes a file of ``size`` bytes takes in the bundle."""
    return size + TAG_BYTES * segment_count(size)


def _nonce(index: int, seq: int, final: bool) -> bytes:
    return index.to_bytes(4, "big") + seq.to_bytes(7, "big") + (b"\x01" if final else b"\x00")


def _aad(attachment_id: str, index: int, seq: int, final: bool) -> bytes:
    return _AAD_LABEL + attachment_id.encode("ascii") + b"\x00" + _nonce(index, seq, final)


@dataclass(frozen=True)
class Carried:
    """Where one attachment's bytes are in the bundle file, and what they must be."""

    index: int
    id: str
    offset: int
    size: int
    sha256: str


def layout(rows: list[dict[str, Any]], start: int, file_size: int) -> dict[str, Carried]:
    """Each carried attachment by id, checked against the limits and the file's size
    before a byte of it is read: an absurd count or size, a cut or lengthened file, are
    refused here with one clear error."""
    if len(rows) > MAX_ATTACHMENTS:
        raise BundleError(f"The bundle lists more than {MAX_ATTACHMENTS:,} attachments; refusing it.")
    found: dict[str, Carried] = {}
    offset = start
    for index, row in enumerate(rows):
        ident, size, sha256 = row.get("id"), row.get("size"), row.get("sha256")
        if (
            not isinstance(ident, str)
            or not ident.isascii()
            or not 0 < len(ident) <= 64
            or ident in found
            or not isinstance(size, int)
            or isinstance(size, bool)
            or not isinstance(sha256, str)
            or not _SHA256.fullmatch(sha256)
        ):
            raise BundleError("The bundle is damaged: an attachment's record has an unknown shape.")
        if not 0 < size <= MAX_ATTACHMENT_BYTES:
            raise BundleError(
                f"The bundle declares an attachment of {size:,} bytes, outside 1 byte to "
                f"{MAX_ATTACHMENT_BYTES >> 20} MiB; refusing it."
            )
        found[ident] = Carried(index, ident, offset, size, sha256)
        offset += sealed_size(size)
    if file_size < offset:
        raise BundleError(
            f"The bundle is truncated ({file_size:,} of its {offset:,} bytes are there): it was cut short "
            "in copying. Ask for it again."
        )
    if file_size > offset:
        raise BundleError("The bundle is damaged: it has bytes after its end.")
    return found


# -- writing ------------------------------------------------------------------------------


def _pieces(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """``blocks`` cut again into SEGMENT_BYTES pieces (the last shorter); a block of
    exactly that size, as the vault stores them, passes through without a copy."""
    pending = bytearray()
    for block in blocks:
        if not pending and len(block) == SEGMENT_BYTES:
            yield block
            continue
        pending += block
        while len(pending) >= SEGMENT_BYTES:
            yield bytes(pending[:SEGMENT_BYTES])
            del pending[:SEGMENT_BYTES]
    if pending:
        yield bytes(pending)


def write_attachment(write: Any, key: bytes, carried: Carried, blocks: Iterable[bytes]) -> None:
    """Encrypt one attachment's ``blocks`` (its stored chunks, in order) segment by segment
    through ``write``. The bytes must be what its record says (size and SHA-256), else
    HrdError: a bundle never carries a damaged file as if it were sound."""
    aead = AESGCM(key)
    digest = hashlib.sha256()
    done = 0
    seq = 0
    for piece in _pieces(blocks):
        if done + len(piece) > carried.size:
            break
        final = done + len(piece) == carried.size
        digest.update(piece)
        write(aead.encrypt(_nonce(carried.index, seq, final), piece, _aad(carried.id, carried.index, seq, final)))
        done += len(piece)
        seq += 1
    else:
        if done == carried.size and digest.hexdigest() == carried.sha256:
            return
    raise HrdError(
        f"Attachment {short_id(carried.id)} no longer matches its SHA-256 in this vault, so no bundle was "
        "written. Run 'hrd-tui check', and restore a backup."
    )


# -- reading ------------------------------------------------------------------------------


def _damaged(carried: Carried) -> BundleError:
    return BundleError(
        f"The bundle is damaged: the bytes of attachment {short_id(carried.id)} do not check (changed, or "
        "corrupted in copying). Nothing was imported; ask for the bundle again."
    )


def segments(stream: BinaryIO, key: bytes, carried: Carried) -> Iterator[bytes]:
    """One attachment's bytes from the bundle file, a segment at a time, each checked
    (its tag, its place, the final flag) before it is given out; BundleError otherwise."""
    aead = AESGCM(key)
    stream.seek(carried.offset)
    left = carried.size
    seq = 0
    while left:
        plain = min(left, SEGMENT_BYTES)
        sealed = stream.read(plain + TAG_BYTES)
        if len(sealed) != plain + TAG_BYTES:
            raise _damaged(carried)  # the file changed since its size was checked
        final = plain == left
        try:
            yield aead.decrypt(_nonce(carried.index, seq, final), sealed, _aad(carried.id, carried.index, seq, final))
        except InvalidTag:
            raise _damaged(carried) from None
        left -= plain
        seq += 1


def check(stream: BinaryIO, key: bytes, carried: Carried) -> None:
    """Decrypt and hash one attachment without keeping it: a damaged bundle is refused
    when it is read, before the preview, not half-way through an import."""
    digest = hashlib.sha256()
    for piece in segments(stream, key, carried):
        digest.update(piece)
    if digest.hexdigest() != carried.sha256:
        raise _damaged(carried)


class SegmentReader(io.RawIOBase):
    """A read-only file over one attachment's segments (what add_stream reads from):
    one decrypted segment held at a time."""

    def __init__(self, stream: BinaryIO, key: bytes, carried: Carried) -> None:
        super().__init__()
        self._pieces = segments(stream, key, carried)
        self._piece = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._at >= len(self._piece):
            self._piece = next(self._pieces, b"")
            self._at = 0
            if not self._piece:
                return 0
        part = self._piece[self._at : self._at + len(view)]
        view[: len(part)] = part
        self._at += len(part)
        return len(part)
