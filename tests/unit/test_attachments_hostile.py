"""Hostile evidence files (issue 20): what a crafted file can make intake, the viewer and
an export without metadata do. Each must end in one clear message or a bounded result,
quickly: Pillow and pypdf run inside the app, in a worker that holds the vault open (so
the lock waits for it), and a PDF's text or a picture's pixels must not cost minutes or
gigabytes."""

from __future__ import annotations

import hashlib
import io
import os
import resource
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from hrd_tui import vault
from hrd_tui.errors import StorageFull, ValidationError
from hrd_tui.services import attachments, contacts, file_metadata
from hrd_tui.services.attachments import Owner

MIB = 1 << 20


@pytest.fixture
def owner(opened: vault.Vault) -> Owner:
    with opened.store.session() as s:
        return Owner("contact", contacts.create_contact(s, {"name": "Ana Núñez"}).id)


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def one_page_pdf(content: bytes) -> bytes:
    """One page whose contents (drawing operators, Flate-compressed) are ``content``."""
    packed = zlib.compress(content, 9)
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def test_a_pdf_page_of_megabytes_of_text_is_not_read_in_the_viewer(
    opened: vault.Vault, owner: Owner, tmp_path: Path
) -> None:
    """pypdf's text extraction took over 5 minutes on a 20 MB page (4.7 s on 2 MB): the
    viewer's worker held the vault open all that time, and ctrl+l waited for it."""
    small = one_page_pdf(b"BT /F1 12 Tf 0 0 Td (WITNESS STATEMENT) Tj ET")
    huge = one_page_pdf(b"BT /F1 12 Tf 0 0 Td " + b"(AAAAAAAAAAAAAAAAAAAA) Tj " * 120_000 + b"ET")  # 3 MB
    assert len(huge) < 64 * 1024  # a small file: the size is in the page, once decoded
    (tmp_path / "small.pdf").write_bytes(small)
    (tmp_path / "huge.pdf").write_bytes(huge)
    read = attachments.attach(opened.store, tmp_path / "small.pdf", owner)
    crafted = attachments.attach(opened.store, tmp_path / "huge.pdf", owner)
    assert "WITNESS STATEMENT" in attachments.readable_text(opened.store, read.id)
    started = time.perf_counter()
    text = attachments.readable_text(opened.store, crafted.id)
    assert time.perf_counter() - started < 2
    assert text == "--- page 1 and after: too large to show here (export the file to read them) ---"


def test_a_damaged_pdf_larger_than_the_read_budget_is_not_read_whole_at_intake(
    opened: vault.Vault, owner: Owner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No %%EOF, no cross-reference table: pypdf scanned the whole file backwards, then
    read it whole into memory to rebuild the table (9.5 s and +420 MB for 200 MB; the
    limit goes up to 4 GiB). The budget is made small here so the file can be."""
    monkeypatch.setattr(file_metadata, "MAX_PDF_READ", 2 * MIB)
    source = tmp_path / "scan.pdf"
    with source.open("wb") as f:
        f.write(b"%PDF-1.7\n1 0 obj\n<< /Author (Nobody) >>\nendobj\n")
        f.truncate(6 * MIB)  # sparse: zeros, no end marker
    added = attachments.attach(opened.store, source, owner)
    assert added.media_type == "application/pdf" and added.size == 6 * MIB
    assert added.found_metadata == {
        "unreadable": "its metadata was not read: the PDF has too many objects, or is too damaged, to read here"
    }
    small = tmp_path / "small.pdf"  # a sound PDF under the same budget is read as before
    small.write_bytes(pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    with small.open("rb") as f:
        assert file_metadata.inspect(f, "application/pdf") == {}


def png(width: int, height: int, idat: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


#: 8,001 x 8,001 grey pixels, all zero: just over MAX_IMAGE_PIXELS (where Pillow only warns
#: and decodes, up to twice it), 64 MB once decoded, about 60 KiB as a file.
SIDE = 8_001


def over_the_pixel_limit() -> bytes:
    assert SIDE * SIDE > file_metadata.MAX_IMAGE_PIXELS
    packer = zlib.compressobj(9)
    row = b"\x00" * (SIDE + 1)
    return png(SIDE, SIDE, b"".join(packer.compress(row) for _ in range(SIDE)) + packer.flush())


def test_an_image_over_the_pixel_limit_is_never_decoded(tmp_path: Path) -> None:
    """A PNG's EXIF may follow its pixels, so Pillow decoded all of them at intake (an
    image over the limit but under twice it: +380 MB for 100 Mpx), and stripping made
    three copies (1.5 GB); Pillow's warning went to the terminal. Measured in a process
    of its own: the peak memory of listing its metadata, then of stripping it."""
    source = tmp_path / "bomb.png"
    source.write_bytes(over_the_pixel_limit())
    script = f"""
import io, resource, sys
from hrd_tui.services import file_metadata
from hrd_tui.errors import ValidationError
data = open({str(source)!r}, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(file_metadata.inspect(io.BytesIO(data), "image/png"))
try:
    file_metadata.strip(io.BytesIO(data), "image/png", io.BytesIO())
except ValidationError as exc:
    print(exc)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""
    result = subprocess.run(  # -P: the installed package, not the checkout's folder first on sys.path
        [sys.executable, "-P", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    found, refused, grown_mib = result.stdout.splitlines()
    assert found == "{}"
    assert refused.endswith("the image is too large to re-encode (8001x8001); export it as it is")
    assert int(grown_mib) < 32, result.stdout  # decoding would be 64 MiB at least
    assert result.stderr == ""  # no DecompressionBombWarning on the terminal


def test_a_tiff_is_exported_without_its_metadata(opened: vault.Vault, owner: Owner, tmp_path: Path) -> None:
    """Pillow's TIFF writer seeks back to fill in offsets: through the hashing writer,
    which cannot seek, every TIFF failed with 'could not be read as image/tiff
    (UnsupportedOperation)'. Scans are often TIFF."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = "Ana Nunez"  # artist
    Image.new("L", (32, 16), 200).save(buffer, "TIFF", exif=exif)
    (tmp_path / "scan.tiff").write_bytes(buffer.getvalue())
    added = attachments.attach(opened.store, tmp_path / "scan.tiff", owner)
    assert added.media_type == "image/tiff" and added.found_metadata == {"artist": "Ana Nunez"}
    dest = tmp_path / "out" / "clean.tiff"
    dest.parent.mkdir()
    done = attachments.export_to(opened.store, added.id, dest, strip=True)
    assert done.removed == ["artist"] and done.size == dest.stat().st_size
    assert done.sha256 == hashlib.sha256(dest.read_bytes()).hexdigest()
    assert dest.stat().st_mode & 0o777 == 0o600
    with Image.open(dest) as clean:
        assert clean.size == (32, 16) and 0x013B not in clean.getexif()


def test_a_full_disk_while_stripping_says_so_and_leaves_no_file(
    opened: vault.Vault, owner: Owner, tmp_path: Path
) -> None:
    """A write error was reported as 'the file could not be read as image/png (OSError)'."""
    buffer = io.BytesIO()
    Image.frombytes("L", (128, 128), os.urandom(128 * 128)).save(buffer, "PNG")  # noise: 16 KiB or so
    (tmp_path / "photo.png").write_bytes(buffer.getvalue())
    added = attachments.attach(opened.store, tmp_path / "photo.png", owner)
    dest = tmp_path / "clean.png"
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))  # Python ignores SIGXFSZ: writes fail with EFBIG
    try:
        with pytest.raises(StorageFull, match="The disk is full"):
            attachments.export_to(opened.store, added.id, dest, strip=True)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert not dest.exists()
    with pytest.raises(ValidationError, match="could not be read as image/png"):  # a damaged image still says that
        file_metadata.strip(io.BytesIO(buffer.getvalue()[:200]), "image/png", io.BytesIO())


def test_links_to_devices_and_folders_and_a_sparse_5_gib_file_are_refused_at_once(
    opened: vault.Vault, owner: Owner, tmp_path: Path
) -> None:
    """The checks are on the opened descriptor: a link is judged by what it leads to, and
    a file over the limit by its size as fstat gives it, before a byte is read."""
    (tmp_path / "zero.jpg").symlink_to("/dev/zero")
    (tmp_path / "folder.pdf").symlink_to(tmp_path)
    sparse = tmp_path / "huge.bin"
    with sparse.open("wb") as f:
        f.truncate(5 << 30)
    started = time.perf_counter()
    for path, said in [
        (tmp_path / "zero.jpg", "is a character device, not a file"),
        (tmp_path / "folder.pdf", "is a directory, not a file"),
        (sparse, "is 5.00 GiB, over the limit of 256.0 MiB a file"),
    ]:
        with pytest.raises(ValidationError, match=said):
            attachments.attach(opened.store, path, owner)
    assert time.perf_counter() - started < 1
    assert attachments.views(opened.store, owner) == []


def test_a_pdf_field_that_is_not_text_is_listed_as_such(tmp_path: Path) -> None:
    """A crafted /Author holding a dictionary was kept, for good, as its Python repr with a
    memory address."""
    data = pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [] /Count 0 >>",
            b"<< /Author << /Nested (x) >> /Creator (Writer) >>",
        ]
    ).replace(b"/Root 1 0 R", b"/Root 1 0 R /Info 3 0 R")
    assert file_metadata.inspect(io.BytesIO(data), "application/pdf") == {
        "author": "present, not as text",
        "creator": "Writer",
    }


# SQLCipher 4's page layout (the defaults the store keeps): 4096-byte pages, each ending in
# 80 reserved bytes (a 16-byte IV, then the HMAC); page 1 starts with the 16-byte salt.
PAGE, RESERVED = 4096, 80


def decrypted_pages(path: Path, key: bytes, *, wal: bool = False) -> list[bytes]:
    """Every page of a vault database (or of its WAL: a 32-byte header, then frames of a
    24-byte header and a page), decrypted with the database key, live or free alike."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    data = path.read_bytes() if path.exists() else b""
    if wal:
        pages = [data[at + 24 : at + 24 + PAGE] for at in range(32, len(data) - 24 - PAGE + 1, 24 + PAGE)]
    else:
        pages = [data[at : at + PAGE] for at in range(0, len(data), PAGE)]
    plain = []
    for number, page in enumerate(pages):
        start = 16 if number == 0 and not wal else 0
        decryptor = Cipher(algorithms.AES(key), modes.CBC(page[PAGE - RESERVED : PAGE - RESERVED + 16])).decryptor()
        plain.append(decryptor.update(page[start : PAGE - RESERVED]) + decryptor.finalize())
    return plain


def test_after_a_purge_no_page_of_the_database_or_its_wal_holds_the_bytes_even_with_the_key(
    opened: vault.Vault, owner: Owner, tmp_path: Path
) -> None:
    """Encrypted pages hide the bytes from anyone without the key; a purge must also leave
    nothing for someone who has it (a seized workstation, a coerced passphrase): freed
    pages are zeroed (secure_delete) and the old ones in the WAL overwritten at close."""
    gone, kept = b"PURGED-FILE-MARKER-7731 ", b"KEPT-FILE-MARKER-4420 "
    (tmp_path / "gone.txt").write_bytes(gone * 100_000)  # 2.3 MiB: three chunks
    (tmp_path / "kept.txt").write_bytes(kept * 1_000)
    purged = attachments.attach(opened.store, tmp_path / "gone.txt", owner)
    attachments.attach(opened.store, tmp_path / "kept.txt", owner)
    key, db = opened._db_key(), opened.dir / "vault.db"

    def pages_holding(marker: bytes) -> int:
        both = decrypted_pages(db, key) + decrypted_pages(db.with_name("vault.db-wal"), key, wal=True)
        return sum(marker.strip() in page for page in both)

    assert pages_holding(gone) > 500 and pages_holding(kept) > 0  # the reading is right
    attachments.remove(opened.store, purged.id)
    with opened.store.session() as s:
        assert attachments.purge(s, 0) == 1
    opened.close()
    assert pages_holding(gone) == 0
    assert pages_holding(kept) > 0


def test_a_copy_without_metadata_never_drops_pages_silently() -> None:
    """Re-encoding keeps one picture: a three-page TIFF scan came out as its first page,
    said to be 're-encoded' and nothing more. Refused now; a phone's MPO photo (the main
    picture, then previews) is still stripped to its main picture."""
    pages = [Image.new("L", (40, 30), shade) for shade in (10, 120, 240)]
    scan = io.BytesIO()
    pages[0].save(scan, "TIFF", save_all=True, append_images=pages[1:])
    with pytest.raises(
        ValidationError, match="the image has 3 pages or frames, and the copy would keep only the first"
    ):
        file_metadata.strip(io.BytesIO(scan.getvalue()), "image/tiff", io.BytesIO())
    photo, out = io.BytesIO(), io.BytesIO()
    rgb = [p.convert("RGB") for p in pages]
    rgb[0].save(photo, "MPO", save_all=True, append_images=rgb[1:])
    file_metadata.strip(io.BytesIO(photo.getvalue()), "image/jpeg", out)
    with Image.open(io.BytesIO(out.getvalue())) as clean:
        assert clean.format == "JPEG" and clean.size == (40, 30)
