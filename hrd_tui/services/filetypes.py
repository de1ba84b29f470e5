"""What a file is, from its first bytes (never its name): the type an attachment records.

A short table of signatures rather than a library: the types officers keep as evidence
(photos, scans, PDFs, office documents, audio and video, text) are recognised by a
handful of fixed byte strings, and a table is easy to audit. Anything else is
"application/octet-stream"; text is UTF-8 (or ASCII) with no NUL and few control
characters in what was read.
"""

from __future__ import annotations

#: How many leading bytes ``detect`` needs to see.
SNIFF_BYTES = 8192

OCTET = "application/octet-stream"

_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),  # .doc, .xls, .msg
    (b"{\\rtf", "application/rtf"),
    (b"OggS", "audio/ogg"),
    (b"ID3", "audio/mpeg"),
    (b"fLaC", "audio/flac"),
    (b"\x1aE\xdf\xa3", "video/webm"),
    (b"-----BEGIN PGP", "application/pgp"),
)
#: RIFF containers and ISO media: the brand is further in.
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}
_ISO_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"avif": "image/avif",
    b"qt  ": "video/quicktime",
    b"M4A ": "audio/mp4",
}
#: Office documents are zip files whose first entry names them.
_ZIP_KINDS = (
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (b"mimetypeapplication/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text"),
    (b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"),
)


def detect(head: bytes) -> str:
    """The media type of a file that starts with ``head`` (its first SNIFF_BYTES)."""
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return _ISO_BRANDS.get(head[8:12], "video/mp4")
    for prefix, media_type in _PREFIXES:
        if head.startswith(prefix):
            if media_type == "application/zip":
                return _zip_kind(head)
            return media_type
    if _is_text(head):
        return "text/plain"
    return OCTET


def _zip_kind(head: bytes) -> str:
    for marker, media_type in _ZIP_KINDS:
        if marker in head[30:400]:
            return media_type
    return "application/zip"


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the end of what was read
            return False
        text = head[: exc.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= len(text) // 100


def is_image(media_type: str) -> bool:
    return media_type.startswith("image/")


def is_readable_text(media_type: str) -> bool:
    """Whether the app can show the file as text (a text file, or a PDF's text)."""
    return media_type in ("text/plain", "application/pdf")
