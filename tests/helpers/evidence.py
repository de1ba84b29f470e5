"""Evidence files for the attachment tests: a photo that gives its taker away, random
bytes with markers, and a vault's attachments read back by hash."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from sqlmodel import select

from hrd_tui import vault
from hrd_tui.models import Attachment
from hrd_tui.services import attachments
from hrd_tui.services.attachments import Owner

MIB = 1 << 20


def jpeg_with_exif(path: Path, *, owner: str = "Jane Owner") -> Path:
    """A small JPEG with the EXIF a camera writes: make, model, its owner (artist) and a
    GPS position (Paris)."""
    from PIL import Image

    image = Image.new("RGB", (48, 32), (180, 20, 20))
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # make
    exif[0x0110] = "EOS 5D"  # model
    exif[0x013B] = owner  # artist
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 21.0, 0.0)}  # GPS: Paris
    image.save(path, format="JPEG", exif=exif)
    return path


def with_markers(size: int, marker: bytes) -> bytes:
    """Random bytes (not compressible) with ``marker`` every half MiB, so each 1 MiB
    chunk of the file holds it: a marker found on disk is the file in clear."""
    data = bytearray(os.urandom(size))
    for at in range(0, size - len(marker), MIB // 2):
        data[at : at + len(marker)] = marker
    return bytes(data)


def add(v: vault.Vault, owner: Owner, name: str, data: bytes, note: str = "") -> str:
    """Take ``data`` in as the attachment ``name`` of ``owner``; its id."""
    with v.store.session() as s:
        return attachments.add_stream(s, io.BytesIO(data), name, owner, note=note).id


def stored(v: vault.Vault) -> dict[str, str]:
    """SHA-256 of every attachment's stored bytes, by id."""
    with v.store.session() as s:
        ids = list(s.exec(select(Attachment.id)))
        return {i: hashlib.sha256(b"".join(attachments.chunks(s, i))).hexdigest() for i in ids}
