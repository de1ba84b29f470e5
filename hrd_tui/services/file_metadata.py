"""What an evidence file says about who made it and where: listed at intake, removed on request.

A photo of injuries can carry the GPS position where it was taken, the phone's make,
model and serial number, its owner's name and the minute it was taken: enough to find
the person who took it. A PDF names its author and the software that made it. These
are listed when the file is taken in (the officer sees what it gives away) and removed
on export with ``--strip-metadata``, by Pillow (images) and pypdf (PDFs), well-kept
libraries, imported only when an attachment needs them.

Removing an image's metadata re-encodes its pixels (a fresh image with nothing but
them, turned upright first as its orientation tag said), so the stripped file's hash
differs from the original's: the original stays in the vault, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from hrd_tui.errors import ValidationError
from hrd_tui.services import filetypes

#: A larger picture is not decoded (a "decompression bomb" guard): 64 megapixels.
MAX_IMAGE_PIXELS = 64_000_000
#: At most this many pages of a PDF's text are read for the viewer.
MAX_PDF_PAGES = 200

# EXIF tags that identify a person, a device, a place or a time (tag -> label).
_BASE_TAGS = {
    0x010F: "camera make",
    0x0110: "camera model",
    0x0131: "software",
    0x0132: "date and time",
    0x013B: "artist",
    0x013C: "host computer",
    0x8298: "copyright",
    0x9C9D: "author (Windows)",
    0x010E: "description",
}
_EXIF_TAGS = {
    0x9003: "taken at",
    0x9004: "digitised at",
    0x9011: "time zone",
    0xA420: "image unique id",
    0xA430: "camera owner",
    0xA431: "camera serial number",
    0xA433: "lens make",
    0xA434: "lens model",
    0xA435: "lens serial number",
    0x9286: "user comment",
}
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_PDF_FIELDS = {
    "/Author": "author",
    "/Creator": "creator",
    "/Producer": "producer",
    "/Title": "title",
    "/Subject": "subject",
    "/Keywords": "keywords",
    "/CreationDate": "created",
    "/ModDate": "modified",
}


@dataclass(frozen=True)
class Stripped:
    """What an export without metadata removed, and how it changed the file."""

    removed: list[str]  # the labels of the fields removed (empty: there were none)
    note: str  # how the file was changed (re-encoded, rewritten), for the export's message


def _text(value: Any, limit: int = 200) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).replace("\x00", "").strip()[:limit]


def inspect(stream: IO[bytes], media_type: str) -> dict[str, str]:
    """The identifying metadata of a file: label -> value. A file that cannot be read
    as its type gives one entry saying so (intake goes on: the bytes are the evidence)."""
    try:
        if filetypes.is_image(media_type):
            return _image_fields(stream)
        if media_type == "application/pdf":
            return _pdf_fields(stream)
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile file can fail in any way
        return {"unreadable": f"its metadata could not be read ({type(exc).__name__})"}
    return {}


def _open_image(stream: IO[bytes]) -> Any:
    from PIL import Image  # only when an image is handled

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    return Image.open(stream)


def _gps_text(gps: dict[int, Any]) -> str:
    def degrees(values: Any, ref: Any) -> float | None:
        try:
            d, m, s = (float(v) for v in values)
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        sign = -1 if str(ref).upper() in ("S", "W") else 1
        return sign * (d + m / 60 + s / 3600)

    lat, lon = degrees(gps.get(2), gps.get(1)), degrees(gps.get(4), gps.get(3))
    if lat is not None and lon is not None:
        return f"{lat:.5f}, {lon:.5f}"
    return "present"


def _image_fields(stream: IO[bytes]) -> dict[str, str]:
    found: dict[str, str] = {}
    with _open_image(stream) as image:
        exif = image.getexif()
        for tag, label in _BASE_TAGS.items():
            if exif.get(tag) not in (None, "", b""):
                found[label] = _text(exif[tag])
        sub = exif.get_ifd(_EXIF_IFD)
        for tag, label in _EXIF_TAGS.items():
            if sub.get(tag) not in (None, "", b""):
                found[label] = _text(sub[tag])
        gps = exif.get_ifd(_GPS_IFD)
        if gps:
            found["GPS position"] = _gps_text(gps)
        info = image.info
        if info.get("xmp") or info.get("XML:com.adobe.xmp"):
            found["XMP metadata"] = "present (may hold location, device and owner)"
        for key in ("Author", "Comment", "comment", "Copyright", "Description", "Software", "Location"):
            if key in info and isinstance(info[key], (str, bytes)) and info[key]:
                found[key.lower()] = _text(info[key])
    return found


def _pdf_reader(stream: IO[bytes]) -> Any:
    from pypdf import PdfReader  # only when a PDF is handled

    return PdfReader(stream, strict=False)


def _pdf_fields(stream: IO[bytes]) -> dict[str, str]:
    reader = _pdf_reader(stream)
    found: dict[str, str] = {}
    info = reader.metadata or {}
    for key, label in _PDF_FIELDS.items():
        value = info.get(key)
        if value not in (None, ""):
            found[label] = _text(value)
    if "/Metadata" in reader.trailer["/Root"]:
        found["XMP metadata"] = "present (may repeat the author and software)"
    return found


def can_strip(media_type: str) -> bool:
    return (
        filetypes.is_image(media_type)
        and media_type not in ("image/heic", "image/heif", "image/avif")
        or (media_type == "application/pdf")
    )


def strip(stream: IO[bytes], media_type: str, out: IO[bytes]) -> Stripped:
    """Write the file without its metadata to ``out``; say what was removed."""
    strippers: dict[str, Callable[[IO[bytes], IO[bytes]], Stripped]] = {"application/pdf": _strip_pdf}
    stripper = strippers.get(media_type, _strip_image if can_strip(media_type) else None)
    if stripper is None:
        raise ValidationError(
            {"strip_metadata": f"the app cannot remove metadata from a {media_type} file; export it as it is"}
        )
    try:
        return stripper(stream, out)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile file can fail in any way
        raise ValidationError(
            {
                "strip_metadata": f"the file could not be read as {media_type} ({type(exc).__name__}); nothing was written"
            }
        ) from exc


def _strip_image(stream: IO[bytes], out: IO[bytes]) -> Stripped:
    from PIL import Image, ImageOps

    found = _image_fields(stream)
    stream.seek(0)
    with _open_image(stream) as image:
        fmt = image.format or "PNG"
        upright = ImageOps.exif_transpose(image)
        if upright.mode in ("P", "PA") and fmt == "JPEG":
            upright = upright.convert("RGB")
        clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())  # pixels only: no info, no EXIF
        options: dict[str, Any] = {"quality": 95} if fmt in ("JPEG", "WEBP") else {}
        if fmt == "GIF" and upright.mode == "P":
            clean.putpalette(upright.getpalette() or [])
        clean.save(out, format=fmt, **options)
    encoded = "JPEG quality 95" if fmt == "JPEG" else fmt
    return Stripped(
        sorted(found), f"its pixels were re-encoded ({encoded}), so its SHA-256 differs from the original's"
    )


def _strip_pdf(stream: IO[bytes], out: IO[bytes]) -> Stripped:
    from pypdf import PdfWriter

    found = _pdf_fields(stream)
    stream.seek(0)
    writer = PdfWriter(clone_from=_pdf_reader(stream))
    writer.metadata = None
    if "/Metadata" in writer.root_object:
        del writer.root_object["/Metadata"]
    writer.write(out)
    return Stripped(sorted(found), "it was rewritten without its information dictionary and XMP")


def pdf_text(stream: IO[bytes], limit_chars: int) -> str:
    """The text of a PDF's pages (at most MAX_PDF_PAGES, at most ``limit_chars``)."""
    reader = _pdf_reader(stream)
    parts: list[str] = []
    total = 0
    for number, page in enumerate(reader.pages[:MAX_PDF_PAGES], start=1):
        text = page.extract_text() or ""
        parts.append(f"--- page {number} ---\n{text}")
        total += len(text)
        if total >= limit_chars:
            break
    return "\n".join(parts)[:limit_chars]
