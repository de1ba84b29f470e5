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

import io
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, cast

from hrd_tui.errors import ValidationError
from hrd_tui.services import filetypes

#: A larger picture is not decoded (a "decompression bomb" guard): 64 megapixels.
MAX_IMAGE_PIXELS = 64_000_000
#: At most this many pages of a PDF's text are read for the viewer.
MAX_PDF_PAGES = 200
#: The most pypdf may read of one PDF to list its metadata or show its text. A damaged
#: PDF makes it scan the file backwards line by line, then read it whole to rebuild its
#: cross-reference table: a crafted 4 GiB "PDF" would take minutes and twice its size in
#: memory at intake. A sound PDF needs its tail, its tables and a look at each object
#: (about 60 bytes an object: half a million objects fit).
MAX_PDF_READ = 32 << 20
#: The decoded page contents (drawing operators) the viewer turns into text, in all:
#: pypdf's text extraction grows faster than the page (a 2 MB page takes about 5 s, a
#: 20 MB one many minutes), and the worker doing it holds the vault open, so the lock
#: would wait for it.
MAX_PDF_CONTENT = 2 << 20

# pypdf reports each oddity of a damaged file on the "pypdf" logger, with offsets and key
# names from the file: tens of thousands of lines on a crafted one. Its errors still raise.
logging.getLogger("pypdf").setLevel(logging.ERROR)
# Pillow's warning between MAX_IMAGE_PIXELS and twice it: the app asks too_many_pixels
# itself before decoding (set once here: catch_warnings is not safe in a worker thread).
warnings.filterwarnings("ignore", message=r"Image size \(\d+ pixels\) exceeds limit", module=r"PIL\.")


class PdfTooLarge(Exception):
    """pypdf asked for more than MAX_PDF_READ bytes of one file."""


class _ReadBudget(io.RawIOBase):
    """The stream as pypdf sees it, refusing to read more than ``budget`` bytes in all
    (unbuffered on purpose: pypdf seeks a lot, and a buffer would re-read on each seek)."""

    def __init__(self, stream: IO[bytes], budget: int) -> None:
        super().__init__()
        self._stream = stream
        self._left = budget

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:  # "the rest of the file": only if it is within the budget
            here = self._stream.tell()
            size = self._stream.seek(0, io.SEEK_END) - here
            self._stream.seek(here)
        if size > self._left:
            self._left = 0
            raise PdfTooLarge(f"more than {MAX_PDF_READ >> 20} MiB would have to be read")
        data = self._stream.read(size)
        self._left -= len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)


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
            return _pdf_fields(_pdf_reader(stream, MAX_PDF_READ))
    except PdfTooLarge:
        return {
            "unreadable": "its metadata was not read: the PDF has too many objects, or is too damaged, to read here"
        }
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile file can fail in any way
        return {"unreadable": f"its metadata could not be read ({type(exc).__name__})"}
    return {}


def _open_image(stream: IO[bytes]) -> Any:
    """Pillow refuses more than twice MAX_IMAGE_PIXELS at once; between the two it only
    warns (on stderr), so ``too_many_pixels`` is asked before anything is decoded."""
    from PIL import Image  # only when an image is handled

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    return Image.open(stream)


def too_many_pixels(image: Any) -> bool:
    return bool(image.width * image.height > MAX_IMAGE_PIXELS)


def thumbnail(stream: IO[bytes], width: int, height: int) -> Any:
    """A copy of the image at most ``width`` x ``height`` pixels, RGB (a preview in
    character cells); one over the pixel limit is refused before its pixels are decoded."""
    try:
        with _open_image(stream) as image:
            if too_many_pixels(image):
                raise ValidationError({"id": f"the image is too large to preview ({image.width}x{image.height})"})
            image.draft("RGB", (width, height))  # a JPEG decodes at a fraction of its size
            image.thumbnail((width, height))
            return image.convert("RGB")
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile image can fail in any way
        raise ValidationError({"id": f"the image could not be read ({type(exc).__name__})"}) from exc


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
    from PIL import Image

    found: dict[str, str] = {}
    with _open_image(stream) as image:
        if image.format == "PNG" and "exif" not in image.info and too_many_pixels(image):
            exif = Image.Exif()  # Pillow would decode every pixel to look for EXIF after them
        else:
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


def _pdf_reader(stream: IO[bytes], budget: int | None = None) -> Any:
    """pypdf's reader; with ``budget``, one that reads at most that many bytes of the file."""
    from pypdf import PdfReader  # only when a PDF is handled

    return PdfReader(stream if budget is None else cast(IO[bytes], _ReadBudget(stream, budget)), strict=False)


def _pdf_fields(reader: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    info = reader.metadata or {}
    for key, label in _PDF_FIELDS.items():
        value = info.get(key)
        if value not in (None, ""):
            # Not text (a crafted file's dictionary): said so, not its repr (with a memory address).
            found[label] = _text(value) if isinstance(value, (str, bytes, int, float)) else "present, not as text"
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
    except OSError as exc:
        if exc.errno is not None:  # writing failed (a full disk): the caller says so; Pillow's own have none
            raise
        raise _unreadable(media_type, exc) from exc
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile file can fail in any way
        raise _unreadable(media_type, exc) from exc


def _unreadable(media_type: str, exc: Exception) -> ValidationError:
    return ValidationError(
        {"strip_metadata": f"the file could not be read as {media_type} ({type(exc).__name__}); nothing was written"}
    )


def _strip_image(stream: IO[bytes], out: IO[bytes]) -> Stripped:
    from PIL import Image, ImageOps

    found = _image_fields(stream)
    stream.seek(0)
    with _open_image(stream) as image:
        if too_many_pixels(image):
            raise ValidationError(
                {
                    "strip_metadata": f"the image is too large to re-encode ({image.width}x{image.height}); export it as it is"
                }
            )
        fmt = image.format or "PNG"
        frames = getattr(image, "n_frames", 1)
        if frames > 1 and fmt != "MPO":  # an MPO's main picture is its first; the rest are previews
            raise ValidationError(
                {
                    "strip_metadata": f"the image has {frames} pages or frames, and the copy would keep only the "
                    "first; export it as it is"
                }
            )
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

    found = _pdf_fields(_pdf_reader(stream))
    stream.seek(0)
    writer = PdfWriter(clone_from=_pdf_reader(stream))
    writer.metadata = None
    if "/Metadata" in writer.root_object:
        del writer.root_object["/Metadata"]
    writer.write(out)
    return Stripped(sorted(found), "it was rewritten without its information dictionary and XMP")


def pdf_text(stream: IO[bytes], limit_chars: int) -> str:
    """The text of a PDF's pages (at most MAX_PDF_PAGES, at most ``limit_chars``, from at
    most MAX_PDF_CONTENT of page contents: the rest is left for an export to show)."""
    reader = _pdf_reader(stream, MAX_PDF_READ)
    parts: list[str] = []
    total = 0
    content_left = MAX_PDF_CONTENT
    for number, page in enumerate(reader.pages[:MAX_PDF_PAGES], start=1):
        try:
            content_left -= _content_size(page)
        except PdfTooLarge:
            content_left = -1
        if content_left < 0:
            parts.append(f"--- page {number} and after: too large to show here (export the file to read them) ---")
            break
        text = page.extract_text() or ""
        parts.append(f"--- page {number} ---\n{text}")
        total += len(text)
        if total >= limit_chars:
            break
    return "\n".join(parts)[:limit_chars]


def _content_size(page: Any) -> int:
    """The decoded size of a page's contents and of the forms it draws (what text
    extraction would parse)."""
    contents = page.get_contents()
    size = len(contents.get_data()) if contents is not None else 0
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    for ref in xobjects.get_object().values() if xobjects is not None else ():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            size += len(xobject.get_data())
    return size
